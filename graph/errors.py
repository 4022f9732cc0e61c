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

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class DatasetError(GraphError, ValueError):
    """A dataset failed validation; ``problems`` lists every problem found, in file order
    (a problem found twice, e.g. by two records built from one CSV row, is listed once)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
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
