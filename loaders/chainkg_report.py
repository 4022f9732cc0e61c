"""What an import did with every line of every ChainKG file: loaded, repaired, or dropped.

Each line of a file is counted exactly once, as loaded or as dropped with a reason, so
``loaded + dropped == lines`` holds per file and an officer can see nothing vanished silently.
Repairs and notes count loaded lines that needed attention (a line can carry several).

>>> r = FileReport("product.json")
>>> r.line(); r.loaded += 1; r.line(); r.drop(2, "duplicate name")
>>> r.balanced, r.dropped_total
(True, 1)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_EXAMPLES = 5


@dataclass
class FileReport:
    file: str
    lines: int = 0
    loaded: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    repaired: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)

    def line(self) -> None:
        self.lines += 1

    def drop(self, line: int, reason: str) -> None:
        self.dropped[reason] += 1
        self._example(reason, line)

    def repair(self, line: int, what: str) -> None:
        self.repaired[what] += 1
        self._example(what, line)

    def note(self, line: int, what: str, count: int = 1) -> None:
        self.notes[what] += count
        self._example(what, line)

    def _example(self, key: str, line: int) -> None:
        lines = self.examples.setdefault(key, [])
        if len(lines) < MAX_EXAMPLES:
            lines.append(line)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    @property
    def balanced(self) -> bool:
        return self.loaded + self.dropped_total == self.lines

    def where(self, key: str) -> str:
        """``file:line, line…`` of the first lines a reason applies to, for the report."""
        lines = self.examples.get(key, [])
        more = "…" if len(lines) == MAX_EXAMPLES else ""
        return f"{self.file}:" + ",".join(str(n) for n in lines) + more


@dataclass
class ImportReport:
    files: dict[str, FileReport] = field(default_factory=dict)

    def file(self, name: str) -> FileReport:
        return self.files.setdefault(name, FileReport(name))

    @property
    def balanced(self) -> bool:
        return all(f.balanced for f in self.files.values())

    def lines(self) -> list[str]:
        """The report as plain text lines (Chinese officers read the CLI's table instead)."""
        out = []
        for f in self.files.values():
            out.append(f"{f.file}: {f.lines} lines = {f.loaded} loaded + {f.dropped_total} dropped")
            for label, counter in (("dropped", f.dropped), ("repaired", f.repaired)):
                for key, n in counter.most_common():
                    out.append(f"  {label} {n}: {key} ({f.where(key)})")
            for key, n in f.notes.most_common():
                out.append(f"  note {n}: {key}")
        return out
