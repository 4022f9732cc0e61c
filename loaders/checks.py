"""Checks across the whole dataset, run once every file is parsed: references, units, cycles,
maps, firms listed twice. Each adds problems to the ``Reader``; none raises.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph import units
from graph.errors import closest
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

# relations written once per mention, so repeating one is harmless (a map listing a segment
# twice, a firm with two segments at one park); the rest state a fact and must not repeat
REPEATABLE = frozenset({"LOCATED_IN", "PART_OF", "SHOWS", "FILLS", "IN"})
Where = tuple[str, int, str]  # file, line, field of a problem


def validate(reader: Reader, known: dict[str, NodeKind]) -> None:
    """Run every cross-record check; ``known`` are ids already in the target store."""
    segments = {i: n for i, (n, _, _) in reader.nodes.items() if isinstance(n, Segment)}
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
        names = "/".join(k.value for k in allowed)
        if kind is None:
            if node_id in self.invalid or self.unsure.intersection(allowed):
                return
            near = self.near(node_id, allowed)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            reader.problem(*where, f"unknown {names} {node_id!r}{hint}")
        elif kind not in allowed:
            reader.problem(*where, f"{node_id!r} is a {kind.value}, expected a {names}")


def check_references(reader: Reader, known: dict[str, NodeKind]) -> None:
    """Every reference names a node of the right kind. An id is not called unknown when it
    failed validation itself or may be in a file that could not be read: that problem is
    already reported, and the next run will say whether the id exists."""
    kinds = {**known, **{i: n.KIND for i, (n, _, _) in reader.nodes.items()}}
    ids = _Known(kinds, _unsure_kinds(reader), reader.invalid_ids)
    for placed in reader.edges:
        for end, allowed in (("src", placed.edge.SRC), ("dst", placed.edge.DST)):
            name, node_id = placed.name(end), getattr(placed.edge, end)
            ids.check(reader, node_id, allowed, (placed.file, placed.line_of(name), name))
    for ref in reader.refs:
        ids.check(reader, ref.node_id, (ref.kind,), (ref.file, ref.line, ref.field))


def check_units(reader: Reader, segments: dict[str, Segment]) -> None:
    """Capacities need a known unit of the kind their segment is measured in."""
    for placed in reader.edges:
        edge, file, line = placed.edge, placed.file, placed.line_of("unit")
        if not isinstance(edge, OperatesIn | HasCapacity):
            continue
        if edge.capacity is None and not edge.unit:
            continue
        if edge.capacity is not None and not edge.unit:
            reader.problem(file, line, "unit", "a capacity needs a unit (e.g. GW, 万吨)")
        elif not units.is_known(edge.unit):
            known = ", ".join(sorted(units.UNITS))
            reader.problem(file, line, "unit", f"unknown unit {edge.unit!r}; use one of {known}")
        elif (seg := segments.get(edge.dst)) and units.is_known(seg.unit):
            if not units.comparable(edge.unit, seg.unit):
                reader.problem(
                    file,
                    line,
                    "unit",
                    f"{edge.unit!r} does not measure what segment {seg.id!r} is measured in "
                    f"({seg.unit}, {units.dimension(seg.unit)})",
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
            f"SUPPLIES cycle in chain {chain!r}: {path}; links must run upstream to downstream",
        )


def check_maps(reader: Reader, segments: dict[str, Segment]) -> None:
    """Every segment is on at least one investment map, or officers never see it."""
    shown = {p.edge.dst for p in reader.edges if isinstance(p.edge, Shows)}
    for seg_id in segments.keys() - shown:
        _, file, line = reader.nodes[seg_id]
        reader.problem(
            file, line, "id", f"segment {seg_id!r} is on no map: add it to a map in maps.yaml"
        )


def check_duplicate_firms(reader: Reader) -> None:
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
                    f"firm {node.id!r} has the same {key[0]} {key[1]!r} as firm "
                    f"{seen[key]!r}: one firm, two ids? Use one id for both rows",
                )
            seen.setdefault(key, node.id)


def check_repeated_facts(reader: Reader) -> None:
    """A fact stated twice (a firm listed twice for one segment, a link written twice)."""
    seen: dict[tuple[str, str, str], Placed] = {}
    for placed in reader.edges:
        edge = placed.edge
        first = seen.setdefault(edge.key, placed)
        if first is placed or edge.REL.value in REPEATABLE or _local_and_target(first, placed):
            continue
        reader.problem(
            placed.file,
            placed.line_of(placed.name("dst")),
            placed.name("dst"),
            f"{edge.src!r} -> {edge.dst!r} ({edge.REL.value}) is already given at "
            f"{first.file}:{first.line}: keep one of the two",
        )


def _local_and_target(first: Placed, again: Placed) -> bool:
    """A local firm may also be on the target list for its segment (e.g. courted to expand):
    its local operation stands and the target row's national one adds nothing."""
    return (
        isinstance(first.edge, OperatesIn)
        and first.file == "local_firms.csv"
        and again.file == "targets.csv"
    )
