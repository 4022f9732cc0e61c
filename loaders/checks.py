"""Checks across the whole dataset, run once every file is parsed: references, units, cycles,
maps, firms listed twice. Each adds problems to the ``Reader``; none raises.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph import units
from graph.errors import closest, excerpt
from graph.i18n import N_, _
from graph.schema import (
    Firm,
    HasCapacity,
    NodeKind,
    OperatesIn,
    Segment,
    Shows,
    Supplies,
)
from loaders.reader import Placed, Reader
from loaders.textin import fold

# relations written once per mention, so repeating one is harmless (a map listing a segment
# twice, a firm with two segments at one park); the rest state a fact and must not repeat
REPEATABLE = frozenset({"LOCATED_IN", "PART_OF", "SHOWS", "FILLS", "IN"})
Where = tuple[str, int, str]  # file, line, field of a problem
# node kinds and unit dimensions as messages name them (translated when shown)
KIND_NAMES = {
    NodeKind.REGION: N_("Region"),
    NodeKind.PARK: N_("Park"),
    NodeKind.CHAIN: N_("Chain"),
    NodeKind.MAP: N_("ChainMap"),
    NodeKind.SEGMENT: N_("Segment"),
    NodeKind.FIRM: N_("Firm"),
    NodeKind.PROJECT: N_("Project"),
    NodeKind.KPI: N_("Kpi"),
    NodeKind.PRODUCT: N_("Product"),
    NodeKind.INDUSTRY: N_("Industry"),
}
DIMENSIONS = {
    "power": N_("power"),
    "energy": N_("energy"),
    "mass": N_("mass"),
    "area": N_("area"),
    "count": N_("count"),
    "length": N_("length"),
    "fibre": N_("fibre"),
    "head": N_("head"),
    "money": N_("money"),
}


def kind_name(kind: NodeKind) -> str:
    return _(KIND_NAMES.get(kind, kind.value))


def validate(reader: Reader, known: dict[str, NodeKind]) -> None:
    """Run every cross-record check; ``known`` are ids already in the target store."""
    segments = {i: n for i, (n, *_where) in reader.nodes.items() if isinstance(n, Segment)}
    check_references(reader, known)
    check_units(reader, segments)
    check_cycles(reader, segments)
    if "maps.yaml" not in reader.unreadable:
        check_maps(reader, segments)
    check_duplicate_firms(reader)
    check_repeated_facts(reader)


# what each file defines: while a file is unreadable, an id of these kinds may be defined in it
DEFINES = {
    "regions.yaml": {NodeKind.REGION, NodeKind.PARK},
    "maps.yaml": {NodeKind.MAP},
    "projects.yaml": {NodeKind.PROJECT},
    "kpis.yaml": {NodeKind.KPI},
    "local_firms.csv": {NodeKind.FIRM},
    "targets.csv": {NodeKind.FIRM},
    "relations.csv": {NodeKind.FIRM},
    "chains/": {NodeKind.CHAIN, NodeKind.SEGMENT},
}


def _unsure_kinds(reader: Reader) -> set[NodeKind]:
    """Kinds of which an id may be defined in a file that could not be read."""
    unsure: set[NodeKind] = set()
    for file in reader.unreadable:
        unsure |= DEFINES.get("chains/" if file.startswith("chains/") else file, set())
    return unsure


@dataclass
class _Known:
    """The ids a reference may name: of this dataset and already in the store."""

    kinds: dict[str, NodeKind]
    unsure: set[NodeKind]  # kinds that may be defined in a file that could not be read
    invalid: set[str]  # ids of records that failed validation (already reported)
    pools: dict[tuple[NodeKind, ...], list[str]] = field(default_factory=dict)
    hints: dict[tuple[str, tuple[NodeKind, ...]], list[str]] = field(default_factory=dict)

    def near(self, node_id: str, allowed: tuple[NodeKind, ...]) -> list[str]:
        """Close existing ids for a 'did you mean' hint; pools and hints are computed once
        (one misspelt id is typically repeated on many rows)."""
        if allowed not in self.pools:
            self.pools[allowed] = [i for i, k in self.kinds.items() if k in allowed]
        key = (node_id, allowed)
        if key not in self.hints:
            self.hints[key] = closest(node_id, self.pools[allowed])
        return self.hints[key]

    def check(
        self, reader: Reader, node_id: str, allowed: tuple[NodeKind, ...], where: Where
    ) -> None:
        kind = self.kinds.get(node_id)
        names = "/".join(kind_name(k) for k in allowed)
        if kind is None:
            if node_id in self.invalid or self.unsure.intersection(allowed):
                return
            near = self.near(node_id, allowed)
            shown = excerpt(node_id)
            if near:
                message = _(
                    "unknown {kind} {id}; did you mean {near}?",
                    kind=names,
                    id=shown,
                    near=", ".join(near),
                )
            else:
                message = _("unknown {kind} {id}", kind=names, id=shown)
            reader.problem(*where, message)
        elif kind not in allowed:
            reader.problem(
                *where,
                _(
                    "{id} is a {kind}, expected a {expected}",
                    id=excerpt(node_id),
                    kind=kind_name(kind),
                    expected=names,
                ),
            )


def check_references(reader: Reader, known: dict[str, NodeKind]) -> None:
    """Every reference names a node of the right kind. An id is not called unknown when it
    failed validation itself or may be in a file that could not be read: that problem is
    already reported, and the next run will say whether the id exists."""
    kinds = {**known, **{i: n.KIND for i, (n, *_where) in reader.nodes.items()}}
    ids = _Known(kinds, _unsure_kinds(reader), reader.invalid_ids)
    for placed in reader.edges:
        for end, allowed in (("src", placed.edge.SRC), ("dst", placed.edge.DST)):
            name, node_id = placed.name(end), getattr(placed.edge, end)
            ids.check(reader, node_id, allowed, (placed.file, placed.line_of(name), name))
    for ref in reader.refs:
        kinds = ref.kind if isinstance(ref.kind, tuple) else (ref.kind,)
        ids.check(reader, ref.node_id, kinds, (ref.file, ref.line, ref.field))


def check_units(reader: Reader, segments: dict[str, Segment]) -> None:
    """Capacities need a known unit of the kind their segment is measured in."""
    for placed in reader.edges:
        edge, file, line = placed.edge, placed.file, placed.line_of("unit")
        if not isinstance(edge, OperatesIn | HasCapacity):
            continue
        if edge.capacity is None and not edge.unit:
            continue
        if edge.capacity is not None and not edge.unit:
            reader.problem(file, line, "unit", _("a capacity needs a unit (e.g. GW, 万吨)"))
        elif not units.is_known(edge.unit):
            known = ", ".join(sorted(units.UNITS))
            reader.problem(
                file,
                line,
                "unit",
                _("unknown unit {unit}; use one of {known}", unit=excerpt(edge.unit), known=known),
            )
        elif (seg := segments.get(edge.dst)) and units.is_known(seg.unit):
            if not units.comparable(edge.unit, seg.unit):
                reader.problem(
                    file,
                    line,
                    "unit",
                    _(
                        "{unit!r} does not measure what segment {segment!r} is measured in "
                        "({segment_unit}, {dimension})",
                        unit=edge.unit,
                        segment=seg.id,
                        segment_unit=seg.unit,
                        dimension=_(DIMENSIONS.get(units.dimension(seg.unit), "?")),
                    ),
                )


def check_cycles(reader: Reader, segments: dict[str, Segment]) -> None:
    """SUPPLIES must run upstream -> downstream: no cycle among the segments of one chain.
    A cycle is reported at its link written last, the likeliest to be the mistake."""
    by_chain: dict[str, nx.DiGraph] = defaultdict(nx.DiGraph)
    where: dict[tuple[str, str], tuple[str, int]] = {}
    for placed in reader.edges:
        edge = placed.edge
        if isinstance(edge, Supplies) and edge.src in segments and edge.dst in segments:
            shared = set(segments[edge.src].chains) & set(segments[edge.dst].chains)
            for chain in shared:
                by_chain[chain].add_edge(edge.src, edge.dst)
            where.setdefault((edge.src, edge.dst), (placed.file, placed.line_of("to")))
    for chain, graph in sorted(by_chain.items()):
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            continue
        file, line = max(where[(u, v)] for u, v, *_ in cycle)
        path = " -> ".join([u for u, *_ in cycle] + [cycle[0][0]])
        reader.problem(
            file,
            line,
            "to",
            _(
                "SUPPLIES cycle in chain {chain!r}: {path}; links must run upstream to downstream",
                chain=chain,
                path=path,
            ),
        )


def check_maps(reader: Reader, segments: dict[str, Segment]) -> None:
    """Every segment is on at least one investment map, or officers never see it."""
    shown = {p.edge.dst for p in reader.edges if isinstance(p.edge, Shows)}
    for seg_id in segments.keys() - shown:
        file, line = reader.nodes[seg_id][1:]
        reader.problem(
            file,
            line,
            "id",
            _("segment {id!r} is on no map: add it to a map in maps.yaml", id=seg_id),
        )


def check_duplicate_firms(reader: Reader) -> None:
    """The same firm under two ids: equal stock code or equal full name."""
    seen: dict[tuple[str, str], str] = {}
    for node, file, line in reader.nodes.values():
        if not isinstance(node, Firm):
            continue
        for column, value in (
            ("stock_code", node.stock_code),
            ("full_name", node.full_name),
            ("registry_code", node.registry_code),
        ):
            if not value:
                continue
            key = (column, fold(value))  # 甲（上海）and 甲(上海) are one name
            if key in seen and seen[key] != node.id:
                reader.problem(
                    file,
                    line,
                    column,
                    _(
                        "firm {id!r} has the same {column} {value!r} as firm {other!r}: one "
                        "firm, two ids? Use one id for both rows",
                        id=node.id,
                        column=reader.display(file, column),
                        value=value,
                        other=seen[key],
                    ),
                )
            seen.setdefault(key, node.id)


def check_repeated_facts(reader: Reader) -> None:
    """A fact stated twice (a firm listed twice for one segment, a link written twice)."""
    seen: dict[tuple[str, str, str], Placed] = {}
    said: set[tuple[str, int]] = set()  # a repeated target row states two facts: say it once
    for placed in reader.edges:
        edge = placed.edge
        first = seen.setdefault(edge.key, placed)
        if first is placed or edge.REL.value in REPEATABLE or _local_and_target(first, placed):
            continue
        if (placed.file, placed.line) in said:
            continue
        said.add((placed.file, placed.line))
        where = f"{first.file}:{first.line}"
        reader.problem(
            placed.file,
            placed.line_of(placed.name("dst")),
            placed.name("dst"),
            _(
                "{src!r} -> {dst!r} ({rel}) is already given at {where}: keep one of the two",
                src=edge.src,
                dst=edge.dst,
                rel=edge.REL.value,
                where=where,
            ),
        )


def _local_and_target(first: Placed, again: Placed) -> bool:
    """A local firm may also be on the target list for its segment (e.g. courted to expand):
    its local operation stands and the target row's national one adds nothing."""
    return (
        isinstance(first.edge, OperatesIn)
        and first.file == "local_firms.csv"
        and again.file == "targets.csv"
    )
