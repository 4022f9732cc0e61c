"""The curated dataset format (see docs/data-format.md): read, validate, load.

``read_dataset(dir)`` parses every file and validates the whole dataset, collecting *all*
problems (file, line, field, message) before giving up; ``load_dataset(dir, store)`` writes it
in one all-or-nothing ``Store.apply``. Parsing is pure: ``parse_*`` turn already-read YAML/CSV
records into schema objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from graph import units
from graph.codes import normalise_code
from graph.errors import DatasetError, Problem
from graph.schema import (
    Batch,
    By,
    Chain,
    ChainMap,
    Edge,
    Fills,
    Firm,
    HasCapacity,
    Kpi,
    LocatedIn,
    Node,
    NodeKind,
    OperatesIn,
    Park,
    ParkIn,
    PartOf,
    Project,
    Region,
    Segment,
    Shows,
    Supplies,
    TargetedFor,
)
from graph.store import Store
from loaders.csvio import Row, parse_number, read_csv
from loaders.yamlio import LineDict, read_yaml

FIRM_COLUMNS = (
    "firm_id",
    "short_name",
    "full_name",
    "aliases",
    "stock_code",
    "exchange",
    "hq_province",
    "hq_city",
)
LOCAL_COLUMNS = (
    *FIRM_COLUMNS,
    "segment",
    "park",
    "capacity",
    "unit",
    "share",
    "certainty",
    "source",
    "year",
    "note",
)
TARGET_COLUMNS = (
    *FIRM_COLUMNS,
    "segment",
    "share",
    "capacity",
    "unit",
    "priority",
    "rationale",
    "status",
    "certainty",
    "source",
    "year",
    "note",
)
REQUIRED = {
    "local_firms.csv": ("firm_id", "short_name", "segment", "park", "source"),
    "targets.csv": ("firm_id", "short_name", "segment", "source"),
}


@dataclass
class Dataset:
    """A validated dataset: its metadata and the batch that writes it."""

    path: Path
    meta: dict[str, Any]
    batch: Batch
    region: str

    def count(self, kind: NodeKind) -> int:
        return sum(1 for n in self.batch.nodes if n.KIND == kind)


@dataclass
class _Reader:
    """Accumulates records and problems while the files of one dataset are parsed."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    nodes: dict[str, tuple[Node, str, int]] = field(
        default_factory=dict
    )  # id -> (node, file, line)
    edges: list[tuple[Edge, str, int]] = field(default_factory=list)
    firm_rows: dict[str, tuple[dict[str, str], str, int]] = field(default_factory=dict)

    def problem(self, file: str, line: int, fld: str, message: str) -> None:
        self.problems.append(Problem(file, line, fld, message))

    def build(
        self,
        model: type[Any],
        data: dict[str, Any],
        file: str,
        line: int,
        lines: Callable[[str], int] | None = None,
    ) -> Any:
        """Validate ``data`` into ``model``; report each pydantic error as a problem."""
        try:
            return model.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                loc = ".".join(str(p) for p in err["loc"])
                top = str(err["loc"][0]) if err["loc"] else ""
                at = lines(top) if lines else line
                self.problem(file, at, loc, _explain(err))
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
                f"duplicate id {node.id!r} (first defined at {other_file}:{other_line})",
            )
            return
        self.nodes[node.id] = (node, file, line)

    def add_edge(self, edge: Edge | None, file: str, line: int) -> None:
        if edge is not None:
            self.edges.append((edge, file, line))


def _explain(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling against docs/data-format.md)"
    return str(err.get("msg", "invalid value"))


# --------------------------------------------------------------------------------- YAML files


def _mapping_list(reader: _Reader, data: Any, key: str, file: str) -> list[LineDict]:
    items = data.get(key, []) if isinstance(data, dict) else None
    if items is None or not isinstance(items, list):
        reader.problem(file, getattr(data, "line", 0), key, f"expected a list under '{key}:'")
        return []
    good = []
    for item in items:
        if isinstance(item, LineDict):
            good.append(item)
        else:
            reader.problem(
                file,
                getattr(data, "line_of", lambda k: 0)(key),
                key,
                f"each entry of '{key}' must be a mapping, got {item!r}",
            )
    return good


def _inherit(item: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """Fill ``source``/``year``/``certainty`` from the enclosing record when omitted."""
    merged = dict(item)
    for key in ("source", "year", "certainty"):
        if key not in merged and key in parent:
            merged[key] = parent[key]
    return merged


def parse_regions(reader: _Reader, data: Any, file: str) -> None:
    for item in _mapping_list(reader, data, "regions", file):
        reader.add_node(
            reader.build(Region, dict(item), file, item.line, item.line_of), file, item.line
        )
    for item in _mapping_list(reader, data, "parks", file):
        park = reader.build(Park, dict(item), file, item.line, item.line_of)
        reader.add_node(park, file, item.line)
        if park:
            reader.add_edge(ParkIn(src=park.id, dst=park.region), file, item.line_of("region"))


def parse_chain(reader: _Reader, data: Any, file: str) -> None:
    if not isinstance(data, LineDict):
        reader.problem(file, 0, "", "a chain file must be a mapping with id, name, segments, links")
        return
    head = {k: v for k, v in data.items() if k not in ("segments", "links")}
    chain = reader.build(Chain, head, file, data.line, data.line_of)
    reader.add_node(chain, file, data.line)
    chain_id = data.get("id", "")
    for item in _mapping_list(reader, data, "segments", file):
        values = _inherit(item, data)
        values.setdefault("chain", chain_id)
        segment = reader.build(Segment, values, file, item.line, item.line_of)
        reader.add_node(segment, file, item.line)
        if segment:
            for member in segment.chains:
                reader.add_edge(PartOf(src=segment.id, dst=member), file, item.line)
    for item in _mapping_list(reader, data, "links", file):
        values = _inherit(item, data)
        values["src"] = values.pop("from", None)
        values["dst"] = values.pop("to", None)
        lines = {"src": item.line_of("from"), "dst": item.line_of("to")}
        link = reader.build(
            Supplies, values, file, item.line, lambda k, i=item, m=lines: m.get(k, i.line_of(k))
        )
        reader.add_edge(link, file, item.line)


def parse_maps(reader: _Reader, data: Any, file: str) -> None:
    for item in _mapping_list(reader, data, "maps", file):
        chain_map = reader.build(ChainMap, dict(item), file, item.line, item.line_of)
        reader.add_node(chain_map, file, item.line)
        if chain_map:
            for seg in chain_map.segments:
                reader.add_edge(Shows(src=chain_map.id, dst=seg), file, item.line_of("segments"))


def parse_projects(reader: _Reader, data: Any, file: str) -> None:
    for item in _mapping_list(reader, data, "projects", file):
        values = {k: v for k, v in item.items() if k not in ("firm", "segments")}
        project = reader.build(Project, values, file, item.line, item.line_of)
        reader.add_node(project, file, item.line)
        if not project:
            continue
        segments = item.get("segments", [])
        if not isinstance(segments, list):
            reader.problem(
                file, item.line_of("segments"), "segments", "expected a list of segment ids"
            )
            segments = []
        for seg in segments:
            reader.add_edge(Fills(src=project.id, dst=str(seg)), file, item.line_of("segments"))
        if item.get("firm"):
            reader.add_edge(By(src=project.id, dst=str(item["firm"])), file, item.line_of("firm"))


CAPACITY_FIELDS = {"src": "region", "dst": "segment"}


def parse_capacities(reader: _Reader, data: Any, file: str) -> None:
    for item in _mapping_list(reader, data, "capacities", file):
        values = dict(item)
        values["src"] = values.pop("region", None)
        values["dst"] = values.pop("segment", None)
        fact = reader.build(
            HasCapacity,
            values,
            file,
            item.line,
            lambda k, i=item: i.line_of(CAPACITY_FIELDS.get(k, k)),
        )
        reader.add_edge(fact, file, item.line)


def parse_kpis(reader: _Reader, data: Any, file: str) -> None:
    for item in _mapping_list(reader, data, "kpis", file):
        reader.add_node(
            reader.build(Kpi, dict(item), file, item.line, item.line_of), file, item.line
        )


# --------------------------------------------------------------------------------- CSV tables


def _split_list(text: str) -> tuple[str, ...]:
    for sep in ("；", "、", "|", "，"):
        text = text.replace(sep, ";")
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _firm_values(reader: _Reader, row: Row, file: str) -> dict[str, Any] | None:
    """The firm columns of a row, normalised; None (with a problem) when unusable."""
    values: dict[str, Any] = {
        "id": row.get("firm_id"),
        "name": row.get("short_name"),
        "full_name": row.get("full_name"),
        "aliases": _split_list(row.get("aliases")),
        "exchange": row.get("exchange"),
        "hq_province": row.get("hq_province"),
        "hq_city": row.get("hq_city"),
        "source": row.get("source"),
        "year": row.get("year") or None,
        "certainty": row.get("certainty") or "verified",
    }
    code = row.get("stock_code")
    if code:
        try:
            values["stock_code"] = normalise_code(code)
        except ValueError as e:
            reader.problem(file, row.line, "stock_code", str(e))
            return None
    return values


FIRM_IDENTITY = ("name", "full_name", "stock_code", "hq_province", "hq_city")


def _register_firm(reader: _Reader, values: dict[str, Any], file: str, line: int) -> None:
    """Add the firm of a row once; later rows for the same firm must agree with the first."""
    firm_id = values["id"]
    if firm_id in reader.firm_rows:
        first, first_file, first_line = reader.firm_rows[firm_id]
        for key in FIRM_IDENTITY:
            if values.get(key) and first.get(key) and values[key] != first[key]:
                reader.problem(
                    file,
                    line,
                    key,
                    f"firm {firm_id!r} has {key} {values[key]!r} here but "
                    f"{first[key]!r} at {first_file}:{first_line}",
                )
        return
    firm = reader.build(Firm, values, file, line)
    if firm is None:
        return
    reader.firm_rows[firm_id] = (values, file, line)
    reader.add_node(firm, file, line)


def _number(reader: _Reader, row: Row, column: str, file: str) -> float | None:
    text = row.get(column)
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError:
        reader.problem(file, row.line, column, f"{text!r} is not a number")
        return None


def _check_required(reader: _Reader, row: Row, file: str, required: Iterable[str]) -> bool:
    missing = [c for c in required if not row.get(c)]
    for column in missing:
        reader.problem(file, row.line, column, "required value is empty")
    return not missing


def parse_local_firms(reader: _Reader, rows: list[Row], file: str) -> None:
    """Rows of local_firms.csv: one firm operating in one segment at one park."""
    for row in rows:
        if not _check_required(reader, row, file, REQUIRED["local_firms.csv"]):
            continue
        firm = _firm_values(reader, row, file)
        if firm is None:
            continue
        _register_firm(reader, firm, file, row.line)
        common = {
            "src": firm["id"],
            "dst": row.get("segment"),
            "source": row.get("source"),
            "year": row.get("year") or None,
            "certainty": row.get("certainty") or "verified",
            "note": row.get("note"),
        }
        op = {
            **common,
            "site": row.get("park"),
            "capacity": _number(reader, row, "capacity", file),
            "unit": row.get("unit"),
            "share": _number(reader, row, "share", file),
        }
        reader.add_edge(reader.build(OperatesIn, op, file, row.line), file, row.line)
        located = {k: common[k] for k in ("src", "source", "year", "certainty")}
        reader.add_edge(
            reader.build(LocatedIn, {**located, "dst": row.get("park")}, file, row.line),
            file,
            row.line,
        )


def parse_targets(reader: _Reader, rows: list[Row], file: str) -> None:
    """Rows of targets.csv: one target-list entry (firm courted for a segment)."""
    for row in rows:
        if not _check_required(reader, row, file, REQUIRED["targets.csv"]):
            continue
        firm = _firm_values(reader, row, file)
        if firm is None:
            continue
        _register_firm(reader, firm, file, row.line)
        common = {
            "src": firm["id"],
            "dst": row.get("segment"),
            "source": row.get("source"),
            "year": row.get("year") or None,
            "certainty": row.get("certainty") or "verified",
        }
        op = {
            **common,
            "capacity": _number(reader, row, "capacity", file),
            "unit": row.get("unit"),
            "share": _number(reader, row, "share", file),
        }
        reader.add_edge(reader.build(OperatesIn, op, file, row.line), file, row.line)
        entry = {
            **common,
            "priority": row.get("priority") or 2,
            "rationale": row.get("rationale"),
            "status": row.get("status") or "待接触",
            "note": row.get("note"),
        }
        reader.add_edge(reader.build(TargetedFor, entry, file, row.line), file, row.line)


# --------------------------------------------------------------------------------- validation


def _check_references(reader: _Reader, known: dict[str, NodeKind]) -> None:
    kinds = {**known, **{i: n.KIND for i, (n, _, _) in reader.nodes.items()}}
    for edge, file, line in reader.edges:
        for end, allowed in (("src", edge.SRC), ("dst", edge.DST)):
            node_id = getattr(edge, end)
            kind = kinds.get(node_id)
            names = "/".join(k.value for k in allowed)
            if kind is None:
                reader.problem(
                    file,
                    line,
                    _field_name(edge, end),
                    f"unknown {names} {node_id!r}{_hint(node_id, kinds, allowed)}",
                )
            elif kind not in allowed:
                reader.problem(
                    file,
                    line,
                    _field_name(edge, end),
                    f"{node_id!r} is a {kind.value}, expected a {names}",
                )
    for node, file, line in reader.nodes.values():
        for ref, kind in _node_refs(node):
            if kinds.get(ref) != kind:
                reader.problem(
                    file,
                    line,
                    kind.value.lower(),
                    f"unknown {kind.value} {ref!r}{_hint(ref, kinds, (kind,))}",
                )


def _field_name(edge: Edge, end: str) -> str:
    names = {
        OperatesIn: {"dst": "segment"},
        TargetedFor: {"dst": "segment"},
        LocatedIn: {"dst": "park"},
        Supplies: {"src": "from", "dst": "to"},
        ParkIn: {"dst": "region"},
        Shows: {"dst": "segments"},
        Fills: {"dst": "segments"},
        By: {"dst": "firm"},
        PartOf: {"dst": "also_in"},
    }
    return names.get(type(edge), {}).get(end, end)


def _hint(node_id: str, kinds: dict[str, NodeKind], allowed: Iterable[NodeKind]) -> str:
    from graph.errors import closest

    pool = [i for i, k in kinds.items() if k in tuple(allowed)]
    near = closest(node_id, pool)
    return f"; did you mean {', '.join(near)}?" if near else ""


def _node_refs(node: Node) -> list[tuple[str, NodeKind]]:
    if isinstance(node, Park):
        return [(node.region, NodeKind.REGION)]
    if isinstance(node, ChainMap):
        return [(node.chain, NodeKind.CHAIN)]
    if isinstance(node, Project) and node.park:
        return [(node.park, NodeKind.PARK)]
    if isinstance(node, Segment):
        return [(c, NodeKind.CHAIN) for c in node.chains]
    return []


def _check_units(reader: _Reader, segments: dict[str, Segment]) -> None:
    for edge, file, line in reader.edges:
        if not isinstance(edge, OperatesIn | HasCapacity):
            continue
        if not edge.unit and edge.capacity is None:
            continue
        if edge.capacity is not None and not edge.unit:
            reader.problem(file, line, "unit", "a capacity needs a unit (e.g. GW, 万吨)")
            continue
        if not units.is_known(edge.unit):
            reader.problem(
                file,
                line,
                "unit",
                f"unknown unit {edge.unit!r}; use one of {', '.join(sorted(units.UNITS))}",
            )
            continue
        seg = segments.get(edge.dst)
        if seg and seg.unit and not units.comparable(edge.unit, seg.unit):
            reader.problem(
                file,
                line,
                "unit",
                f"{edge.unit!r} does not measure what segment "
                f"{seg.id!r} is measured in ({seg.unit})",
            )
    for seg in segments.values():
        if seg.unit and not units.is_known(seg.unit):
            _, file, line = reader.nodes[seg.id]
            reader.problem(file, line, "unit", f"unknown unit {seg.unit!r}")


def _check_cycles(reader: _Reader, segments: dict[str, Segment]) -> None:
    """SUPPLIES must run upstream -> downstream: no cycle among the segments of one chain."""
    by_chain: dict[str, nx.DiGraph] = defaultdict(nx.DiGraph)
    where: dict[tuple[str, str], tuple[str, int]] = {}
    for edge, file, line in reader.edges:
        if isinstance(edge, Supplies) and edge.src in segments and edge.dst in segments:
            shared = set(segments[edge.src].chains) & set(segments[edge.dst].chains)
            for chain in shared:
                by_chain[chain].add_edge(edge.src, edge.dst)
            where[(edge.src, edge.dst)] = (file, line)
    for chain, graph in sorted(by_chain.items()):
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            continue
        path = " -> ".join([u for u, _ in cycle] + [cycle[0][0]])
        file, line = where[(cycle[-1][0], cycle[-1][1])]
        reader.problem(file, line, "to", f"SUPPLIES cycle in chain {chain!r}: {path}")


def _check_maps(reader: _Reader, segments: dict[str, Segment], maps_file: str) -> None:
    shown = {e.dst for e, _, _ in reader.edges if isinstance(e, Shows)}
    for seg_id, seg in segments.items():
        if seg_id not in shown:
            _, file, line = reader.nodes[seg_id]
            reader.problem(
                file, line, "id", f"segment {seg.id!r} is on no map: add it to a map in {maps_file}"
            )


def _check_duplicate_firms(reader: _Reader) -> None:
    """The same firm under two ids: equal stock code or equal full name."""
    seen: dict[tuple[str, str], str] = {}
    for node, file, line in reader.nodes.values():
        if not isinstance(node, Firm):
            continue
        for key in (("stock_code", node.stock_code), ("full_name", node.full_name)):
            if not key[1]:
                continue
            if key in seen and seen[key] != node.id:
                reader.problem(
                    file,
                    line,
                    key[0],
                    f"firm {node.id!r} has the same {key[0]} "
                    f"{key[1]!r} as firm {seen[key]!r}: one firm, two ids?",
                )
            seen.setdefault(key, node.id)


def _check_dedupe_edges(reader: _Reader) -> None:
    seen: dict[tuple[str, str, str], tuple[str, int]] = {}
    for edge, file, line in reader.edges:
        if edge.key in seen and not isinstance(edge, LocatedIn | PartOf | Shows | Fills | ParkIn):
            first = seen[edge.key]
            reader.problem(
                file,
                line,
                "segment",
                f"{edge.src!r} -> {edge.dst!r} "
                f"({edge.REL.value}) is listed twice (first at {first[0]}:{first[1]})",
            )
        seen.setdefault(edge.key, (file, line))


# --------------------------------------------------------------------------------- entry points

FILES = (
    "dataset.yaml",
    "regions.yaml",
    "maps.yaml",
    "projects.yaml",
    "capacities.yaml",
    "kpis.yaml",
    "local_firms.csv",
    "targets.csv",
)


def read_dataset(path: str | Path, known: dict[str, NodeKind] | None = None) -> Dataset:
    """Parse and validate the dataset at ``path``; ``DatasetError`` lists every problem.

    ``known`` maps ids already in the target store to their kind, so a partial dataset may
    refer to them (e.g. an officer's target list against the loaded chains).
    """
    root = Path(path)
    reader = _Reader(root)
    if not root.is_dir():
        raise DatasetError([Problem(str(root), 0, "", "no such dataset directory")])
    meta = (
        read_yaml(root / "dataset.yaml", "dataset.yaml", reader.problems)
        if (root / "dataset.yaml").exists()
        else {}
    )
    meta = meta if isinstance(meta, dict) else {}
    for name, parse in (
        ("regions.yaml", parse_regions),
        ("maps.yaml", parse_maps),
        ("projects.yaml", parse_projects),
        ("kpis.yaml", parse_kpis),
        ("capacities.yaml", parse_capacities),
    ):
        if (root / name).exists():
            data = read_yaml(root / name, name, reader.problems)
            if data is not None:
                parse(reader, data, name)
    for chain_file in sorted((root / "chains").glob("*.yaml")):
        rel = f"chains/{chain_file.name}"
        data = read_yaml(chain_file, rel, reader.problems)
        if data is not None:
            parse_chain(reader, data, rel)
    for name, parse_rows in (
        ("local_firms.csv", parse_local_firms),
        ("targets.csv", parse_targets),
    ):
        if (root / name).exists():
            rows = read_csv(root / name, name, reader.problems)
            if rows is not None:
                parse_rows(reader, rows, name)
    _validate(reader, known or {})
    if reader.problems:
        raise DatasetError(reader.problems)
    region = str(meta.get("region", ""))
    batch = Batch(
        nodes=[n for n, _, _ in reader.nodes.values()],
        edges=_unique_edges(e for e, _, _ in reader.edges),
    )
    return Dataset(root, meta, batch, region)


def _validate(reader: _Reader, known: dict[str, NodeKind]) -> None:
    segments = {i: n for i, (n, _, _) in reader.nodes.items() if isinstance(n, Segment)}
    _check_references(reader, known)
    _check_units(reader, segments)
    _check_cycles(reader, segments)
    if any(isinstance(n, ChainMap) for n, _, _ in reader.nodes.values()) or segments:
        _check_maps(reader, segments, "maps.yaml")
    _check_duplicate_firms(reader)
    _check_dedupe_edges(reader)


def _unique_edges(edges: Iterable[Edge]) -> list[Edge]:
    unique: dict[tuple[str, str, str], Edge] = {}
    for edge in edges:
        unique.setdefault(edge.key, edge)
    return list(unique.values())


def load_dataset(path: str | Path, store: Store) -> Dataset:
    """Validate the dataset at ``path`` and write it to ``store`` in one atomic batch.

    A dataset with problems raises ``DatasetError`` and leaves the store untouched; loading
    the same dataset twice leaves the store as after the first load.
    """
    dataset = read_dataset(path)
    store.apply(dataset.batch)
    return dataset
