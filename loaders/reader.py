"""What the parsers of one dataset share: the records read so far, and the problems found.

Every problem names a file, a line and the field as the user wrote it (``from``, ``firm_id``),
not the schema's internal name (``src``, ``id``), and says what to do in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from graph.errors import Problem, closest
from graph.schema import Edge, Node, NodeKind
from loaders.yamlio import LineDict

# How to spell each enum, said in the error when a value is not one of them.
ENUM_HINTS = {
    "stage": "上游, 中游 or 下游 (upstream, midstream, downstream)",
    "certainty": "verified, uncertain, low_reliability or reconstructed (V, U, LR, R)",
    "type": "强链, 补链 or 延链",
    "status": "待接触, 已接触, 洽谈中, 已签约 or 已落地",
    "kind": "material, equipment or service (材料, 设备, 服务)",
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
    kind: NodeKind
    file: str
    line: int
    field: str


@dataclass
class Reader:
    """Accumulates records and problems while the files of one dataset are parsed."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    nodes: dict[str, tuple[Node, str, int]] = field(default_factory=dict)  # id -> (node, at)
    edges: list[Placed] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    firm_rows: dict[str, tuple[dict[str, str], str, int]] = field(default_factory=dict)
    # ids of records that failed validation: already reported, so not "unknown" elsewhere
    invalid_ids: set[str] = field(default_factory=set)
    unreadable: set[str] = field(default_factory=set)  # files that could not be parsed

    def problem(self, file: str, line: int, fld: str, message: str) -> None:
        self.problems.append(Problem(file, line, fld, message))

    def build(
        self,
        model: type[Any],
        data: dict[str, Any],
        file: str,
        line: int,
        at: LineDict | None = None,
        names: Mapping[str, str] | None = None,
    ) -> Any:
        """Validate ``data`` into ``model``; report each error at its key's line (from ``at``)
        under the user's field name (``names`` maps schema fields to the user's names)."""
        try:
            return model.model_validate(data)
        except ValidationError as e:
            names = names or {}
            for err in e.errors():
                loc = [str(p) for p in err["loc"]]
                shown = [names.get(loc[0], loc[0]), *loc[1:]] if loc else []
                where = at.line_of(shown[0]) if at is not None and shown else line
                self.problem(file, where, ".".join(shown), explain(err, model, shown))
            if isinstance(data.get("id"), str) and data["id"]:
                self.invalid_ids.add(data["id"])
            return None

    def add_node(self, node: Node | None, file: str, line: int) -> None:
        if node is None:
            return
        if node.id in self.nodes:
            _, other_file, other_line = self.nodes[node.id]
            self.problem(
                file,
                line,
                "id",
                f"duplicate id {node.id!r} (first defined at {other_file}:{other_line}): "
                "ids must be unique across the dataset",
            )
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

    def add_ref(self, node_id: str, kind: NodeKind, file: str, line: int, fld: str) -> None:
        self.refs.append(Ref(node_id, kind, file, line, fld))


def explain(err: Any, model: type[Any], loc: list[str]) -> str:
    """One sentence for a pydantic error, quoting the value the user wrote."""
    kind, ctx, value = err.get("type", ""), err.get("ctx") or {}, err.get("input")
    name = loc[0] if loc else "value"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        near = closest(name, model.model_fields, n=1)
        hint = f"did you mean {near[0]!r}?" if near else "check docs/data-format.md"
        return f"unknown field: {hint}"
    if kind == "enum":
        return f"{value!r} is not a valid {name}: use {ENUM_HINTS.get(name, ctx.get('expected'))}"
    if kind in ("greater_than_equal", "greater_than") and ctx.get("ge", ctx.get("gt")) == 0:
        return f"{value!r} is negative: {name} must be 0 or more"
    if kind == "greater_than_equal":
        return f"{value!r} is too small: {name} must be at least {ctx['ge']}"
    if kind == "less_than_equal":
        extra = " (a share is 0-1 or a percentage like 45%)" if name == "share" else ""
        return f"{value!r} is too large: {name} must be at most {ctx['le']}{extra}"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{value!r} is not a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{value!r} is not a number"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "must list at least one item"
    message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return message if kind == "value_error" else f"{message} (got {value!r})"
