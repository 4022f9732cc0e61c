"""The error family of chainkg. Every failure the user can act on is a ``GraphError``.

Subclasses also derive from the natural builtin, so ``except LookupError`` keeps working.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from graph.i18n import N_, _


class GraphError(Exception):
    """Root of every chainkg error."""


KIND_NAMES = {  # msgid = the kind as the code names it (English); zh in api.po
    kind: kind
    for kind in (
        N_("Region"),
        N_("Park"),
        N_("Chain"),
        N_("ChainMap"),
        N_("Segment"),
        N_("Firm"),
        N_("Project"),
        N_("Kpi"),
        N_("Product"),
        N_("Industry"),
        N_("node"),
        N_("target-list entry"),
        N_("map, chain or firm"),
    )
}


def kind_name(kind: str) -> str:
    """A node kind (``Segment``) in the current language (环节 / segment)."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


class NotFound(GraphError, LookupError):
    """An id that is not in the graph; suggests the closest existing ids.

    ``listing`` (e.g. ``['西宁市（xining）']``) names every one there is, for small sets such
    as the regions of the store; the message then lists them instead of close matches.
    The text is translated when shown, in the language current then (``graph.i18n``)."""

    def __init__(
        self, kind: str, node_id: str, suggestions: Iterable[str] = (), listing: Iterable[str] = ()
    ) -> None:
        self.kind = kind
        self.node_id = node_id
        self.suggestions = list(suggestions)
        self.listing = list(listing)
        super().__init__(kind, node_id)

    def __str__(self) -> str:
        shown = self.node_id if len(self.node_id) <= 80 else self.node_id[:79] + "…"
        text = _("unknown {kind} id {id!r}", kind=kind_name(self.kind), id=shown)
        if self.listing:
            there = "、".join(self.listing)
            return text + _("; the {kind} ids stored: {ids}", kind=kind_name(self.kind), ids=there)
        if self.suggestions:
            return text + _("; did you mean: {ids}?", ids=", ".join(self.suggestions))
        return text


class InvalidRequest(GraphError, ValueError):
    """A request that cannot be answered as asked (bad parameter, impossible combination)."""


class NoDataset(GraphError, LookupError):
    """The store holds no dataset yet: say how to load one instead of loading one silently."""

    def __str__(self) -> str:
        return _(
            "the store holds no dataset yet: load one with `chainkg load DIR` (or import a "
            "dataset .zip in the web console), then try again"
        )


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
        super().__init__(len(self.problems))

    def __str__(self) -> str:
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return _("{n} problem(s) in the dataset:", n=len(self.problems)) + "\n" + lines


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
