"""The error family of chainkg. Every failure the user can act on is a ``GraphError``.

Subclasses also derive from the natural builtin, so ``except LookupError`` keeps working.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class GraphError(Exception):
    """Root of every chainkg error."""


class NotFound(GraphError, LookupError):
    """An id that is not in the graph; suggests the closest existing ids."""

    def __init__(self, kind: str, node_id: str, suggestions: Iterable[str] = ()) -> None:
        self.kind = kind
        self.node_id = node_id
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} id {node_id!r}{hint}")


class InvalidRequest(GraphError, ValueError):
    """A request that cannot be answered as asked (bad parameter, impossible combination)."""


class BackendUnavailable(GraphError, ConnectionError):
    """The graph database cannot be reached or refused our credentials."""


class WriteRejected(GraphError, PermissionError):
    """A write that the store refuses (read-only store, conflicting data)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a dataset, located precisely enough to fix it."""

    file: str
    line: int  # 1-based line or CSV row (header = 1); 0 when not tied to a line
    field: str
    message: str
    severity: str = "error"  # "error" stops a load; "warning" says what was read and how

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


def warning(file: str, line: int, fld: str, message: str) -> Problem:
    """A ``Problem`` that does not stop a load (e.g. a GBK file read, a control character
    removed): the data was read, and the user is told how."""
    return Problem(file, line, fld, message, "warning")


def excerpt(value: object, limit: int = 40) -> str:
    """``repr`` of a value cut to ``limit`` characters, so no message echoes a whole value.

    >>> excerpt("x" * 100, 10)
    "'xxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DatasetError(GraphError, ValueError):
    """A dataset failed validation; ``problems`` lists every problem found, in file order
    (a problem found twice, e.g. by two records built from one CSV row, is listed once)."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems = sorted(set(problems))
        self.warnings = sorted(set(warnings))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n{lines}")


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The existing ids closest to ``word``, for 'did you mean' hints.

    >>> closest("pv-wafr", ["pv-wafer", "pv-cell", "li-anode"])
    ['pv-wafer']
    """
    pool = list(candidates)
    hits = difflib.get_close_matches(word, pool, n=n, cutoff=0.5)
    if len(hits) < n:
        hits += sorted(c for c in pool if word and word in c and c not in hits)[: n - len(hits)]
    return hits
