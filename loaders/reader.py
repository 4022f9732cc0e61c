"""What the parsers of one dataset share: the records read so far, and the problems found.

Every problem names a file, a line and the field as the user wrote it (``from``, ``firm_id``),
not the schema's internal name (``src``, ``id``), and says what to do in one sentence.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from graph.errors import Problem, closest, excerpt, warning
from graph.i18n import N_, _
from graph.schema import Edge, Node, NodeKind
from loaders.coerce import coerce
from loaders.yamlio import LineDict

# How to spell each enum, said in the error when a value is not one of them.
ENUM_HINTS = {
    "stage": N_("上游, 中游 or 下游 (upstream, midstream, downstream)"),
    "certainty": N_("verified, uncertain, low_reliability or reconstructed (V, U, LR, R)"),
    "type": N_("强链, 补链 or 延链"),
    "status": N_("待接触, 已接触, 洽谈中, 已签约 or 已落地"),
    "kind": N_("material, equipment or service (材料, 设备, 服务)"),
}


class Placed(NamedTuple):
    """A relation and where it was written; ``names`` maps src/dst to the user's field names,
    ``at`` (YAML only) knows the line of each of those fields."""

    edge: Edge
    file: str
    line: int
    names: Mapping[str, str]
    at: LineDict | None = None

    def name(self, end: str) -> str:
        return self.names.get(end, end)

    def line_of(self, fld: str) -> int:
        return self.at.line_of(fld) if self.at is not None else self.line


class Ref(NamedTuple):
    """A reference from a record's field to a node of ``kind`` (e.g. a map's ``chain``)."""

    node_id: str
    kind: NodeKind | tuple[NodeKind, ...]
    file: str
    line: int
    field: str


@dataclass
class Reader:
    """Accumulates records and problems while the files of one dataset are parsed.

    ``problems`` holds errors and warnings (``Problem.severity``); ``spelled`` maps, per file,
    a canonical column to the header as the file spelled it (产能 for capacity), so problems
    name the field as the user wrote it."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    nodes: dict[str, tuple[Node, str, int]] = field(default_factory=dict)  # id -> (node, at)
    edges: list[Placed] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    firm_rows: dict[str, tuple[dict[str, str], str, int]] = field(default_factory=dict)
    # ids of records that failed validation: already reported, so not "unknown" elsewhere
    invalid_ids: set[str] = field(default_factory=set)
    invalid_at: dict[str, tuple[str, int]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # files that could not be parsed
    spelled: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]

    def display(self, file: str, fld: str) -> str:
        """``fld`` as the file spells it (``capacity`` -> ``产能`` in a Chinese-headed CSV)."""
        head, dot, rest = fld.partition(".")
        return self.spelled.get(file, {}).get(head, head) + dot + rest

    def problem(self, file: str, line: int, fld: str, message: str) -> None:
        self.problems.append(Problem(file, line, self.display(file, fld), message))

    def warn(self, file: str, line: int, fld: str, message: str) -> None:
        self.problems.append(warning(file, line, self.display(file, fld), message))

    def build(
        self,
        model: type[Any],
        data: dict[str, Any],
        file: str,
        line: int,
        at: LineDict | None = None,
        names: Mapping[str, str] | None = None,
        inherited: Collection[str] = (),
        track: bool = False,
    ) -> Any:
        """Validate ``data`` into ``model``; report each error at its key's line (from ``at``)
        under the user's field name (``names`` maps schema fields to the user's names).

        Numbers and years are read as officers write them first (``loaders.numbers``); a
        field ``inherited`` from the enclosing record is reported there, not again here.
        With ``track``, an invalid record's id still counts for "duplicate id"."""
        names = names or {}

        def where(key: str) -> tuple[str, int, str]:
            shown = names.get(key, key)
            return file, at.line_of(shown) if at is not None else line, shown

        values, handled = coerce(model, data, inherited)
        for key, message in handled.items():
            if message and key not in inherited:
                self.problem(*where(key), message)
            if message:  # reported: the rest of the record is still checked (one pass)
                values.pop(key, None)
        try:
            record = model.model_validate(values)
        except ValidationError as e:
            for err in e.errors():
                loc = [str(p) for p in err["loc"]]
                if loc and (handled.get(loc[0]) or loc[0] in inherited):
                    continue
                shown = [names.get(loc[0], loc[0]), *loc[1:]] if loc else []
                fline = at.line_of(shown[0]) if at is not None and shown else line
                label = self.display(file, ".".join(shown))
                self.problem(file, fline, ".".join(shown), explain(err, model, shown, label))
            record = None
        if record is None:
            self._invalid(values.get("id"), file, line, track)
        return record

    def _invalid(self, node_id: Any, file: str, line: int, track: bool) -> None:
        if not isinstance(node_id, str) or not node_id:
            return
        self.invalid_ids.add(node_id)
        if not track:
            return
        first = self.nodes[node_id][1:] if node_id in self.nodes else self.invalid_at.get(node_id)
        if first is not None:
            self._duplicate(node_id, file, line, first)
        else:
            self.invalid_at[node_id] = (file, line)

    def _duplicate(self, node_id: str, file: str, line: int, first: tuple[str, int]) -> None:
        where = "{}:{}".format(*first)
        self.problem(
            file,
            line,
            "id",
            _(
                "duplicate id {id} (first defined at {where}): ids must be unique across "
                "the dataset",
                id=excerpt(node_id),
                where=where,
            ),
        )

    def add_node(self, node: Node | None, file: str, line: int) -> None:
        if node is None:
            return
        first = self.nodes[node.id][1:] if node.id in self.nodes else None
        first = first or self.invalid_at.get(node.id)
        if first is not None:
            self._duplicate(node.id, file, line, first)
            return
        self.nodes[node.id] = (node, file, line)

    def add_edge(
        self,
        edge: Edge | None,
        file: str,
        line: int,
        names: Mapping[str, str] | None = None,
        at: LineDict | None = None,
    ) -> None:
        if edge is not None:
            self.edges.append(Placed(edge, file, line, names or {}, at))

    def add_ref(
        self, node_id: str, kind: NodeKind | tuple[NodeKind, ...], file: str, line: int, fld: str
    ) -> None:
        self.refs.append(Ref(node_id, kind, file, line, fld))


def explain(err: Any, model: type[Any], loc: list[str], label: str = "") -> str:
    """One sentence for a pydantic error, quoting (a short excerpt of) the value written."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    value = excerpt(err.get("input"))
    name = loc[0] if loc else "value"
    label = label or name
    if kind == "missing":
        return _("required field is missing")
    if kind == "extra_forbidden":
        near = closest(name, model.model_fields, n=1)
        if near:
            return _("unknown field: did you mean {name!r}?", name=near[0])
        return _("unknown field: check docs/data-format.md")
    if kind == "enum":
        hint = ENUM_HINTS.get(name)
        return _(
            "{value} is not a valid {name}: use {hint}",
            value=value,
            name=label,
            hint=_(hint) if hint else ctx.get("expected"),
        )
    if kind in ("greater_than_equal", "greater_than") and ctx.get("ge", ctx.get("gt")) == 0:
        return _("{value} is negative: {name} must be 0 or more", value=value, name=label)
    if kind == "greater_than_equal":
        return _(
            "{value} is too small: {name} must be at least {limit}",
            value=value,
            name=label,
            limit=ctx["ge"],
        )
    if kind == "less_than_equal":
        if name == "share":
            return _(
                "{value} is too large: {name} must be at most {limit} (a share is 0-1 "
                "or a percentage like 45%)",
                value=value,
                name=label,
                limit=ctx["le"],
            )
        return _(
            "{value} is too large: {name} must be at most {limit}",
            value=value,
            name=label,
            limit=ctx["le"],
        )
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("{value} is not a whole number", value=value)
    if kind in ("float_parsing", "float_type"):
        return _("{value} is not a number", value=value)
    if kind in ("string_type",):
        return _("{value} is not text: write it as text", value=value)
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "too_short":
        return _("must list at least one item")
    message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")[:200]
    return message if kind == "value_error" else f"{message} ({value})"
