"""A firm's neighbourhood: its segments, who supplies them and whom they supply, locally.

For 以商招商 (attracting firms through the firms already here): the firm in the middle, the
segments it operates in or is courted for, their direct SUPPLIES neighbours, and the local
firms of all of those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from graph.errors import InvalidRequest
from graph.schema import Firm, OperatesIn, Segment, Supplies, TargetedFor
from viz.facts import (
    firm_facts,
    operation_facts,
    segment_facts,
    supply_facts,
    target_facts,
    with_firm_source,
)
from viz.model import DisplayEdge, DisplayGraph, DisplayNode, EdgeKind, Fact, Group


@dataclass(frozen=True)
class FirmNeighbourhood:
    """What the page of one firm needs; gathered by the caller through the Store."""

    firm: Firm
    operations: tuple[OperatesIn, ...]  # the firm's own operations, anywhere
    targets: tuple[TargetedFor, ...]  # target-list entries naming the firm
    segments: Mapping[str, Segment]  # its segments and their SUPPLIES neighbours
    supplies: tuple[Supplies, ...]  # SUPPLIES touching its segments
    local_ops: tuple[OperatesIn, ...]  # other firms' operations in the region, same segments
    firms: Mapping[str, Firm]  # every firm named by local_ops
    region: str


def firm_graph(hood: FirmNeighbourhood, names: Mapping[str, str] | None = None) -> DisplayGraph:
    """The display graph of ``hood``: the firm, its segments and their neighbours."""
    labels = {**(names or {}), **{s: seg.name for s, seg in hood.segments.items()}}
    own = sorted({op.dst for op in hood.operations} | {t.dst for t in hood.targets})
    if not own:
        raise InvalidRequest(
            f"firm {hood.firm.id!r} operates in no segment and is on no target list: "
            "there is no chain to draw it on"
        )
    nodes = [_segment(hood.segments[s], Group.OWN, labels) for s in own]
    nodes += [
        _segment(hood.segments[s], Group.NEIGHBOUR, labels)
        for s in sorted(set(hood.segments) - set(own))
    ]
    focus, focus_edges = _focus(hood, own, labels)
    neighbours, neighbour_edges = _local_firms(hood, labels)
    edges = [DisplayEdge(s.src, s.dst, EdgeKind.SUPPLIES, supply_facts(s)) for s in hood.supplies]
    return DisplayGraph(
        title=f"{hood.firm.name} · 企业关联图",
        subtitle=_subtitle(hood, labels),
        nodes=(*nodes, focus, *neighbours),
        edges=(*edges, *focus_edges, *neighbour_edges),
        notes=(
            "深色环节为该企业所在或被招引的环节，浅色为其直接上下游环节；本地企业为在"
            f"{labels.get(hood.region, hood.region)}有生产经营的企业。",
            "来源、年份与可信度见悬停提示。",
        ),
        summary=(
            Fact("所在环节", str(len({op.dst for op in hood.operations}))),
            Fact("招引环节", str(len(hood.targets))),
            Fact("上下游本地企业", str(len(neighbours))),
        ),
    )


def _segment(segment: Segment, group: Group, names: Mapping[str, str]) -> DisplayNode:
    return DisplayNode(
        id=segment.id,
        label=segment.name,
        group=group,
        stage=segment.stage.rank,
        facts=segment_facts(segment, None, names),
        search=" ".join((*segment.aliases, *segment.keywords)),
    )


def _focus(
    hood: FirmNeighbourhood, own: list[str], names: Mapping[str, str]
) -> tuple[DisplayNode, list[DisplayEdge]]:
    firm = hood.firm
    facts = with_firm_source(
        firm,
        [
            *firm_facts(firm),
            *(f for op in hood.operations for f in operation_facts(op, names)),
            *(f for t in hood.targets for f in target_facts(t, names)),
        ],
    )
    node = DisplayNode(firm.id, firm.name, Group.FOCUS, anchor=own[0], facts=tuple(facts))
    edges = [DisplayEdge(firm.id, op.dst, EdgeKind.OPERATES) for op in hood.operations]
    edges += [DisplayEdge(firm.id, t.dst, EdgeKind.TARGETS) for t in hood.targets]
    return node, edges


def _local_firms(
    hood: FirmNeighbourhood, names: Mapping[str, str]
) -> tuple[list[DisplayNode], list[DisplayEdge]]:
    by_firm: dict[str, list[OperatesIn]] = defaultdict(list)
    for op in hood.local_ops:
        if op.src != hood.firm.id and op.dst in hood.segments:
            by_firm[op.src].append(op)
    nodes, edges = [], []
    for firm_id in sorted(by_firm):
        firm, ops = hood.firms[firm_id], sorted(by_firm[firm_id], key=lambda o: o.dst)
        operations = [f for o in ops for f in operation_facts(o, names)]
        facts = with_firm_source(firm, [*firm_facts(firm), *operations])
        node = DisplayNode(firm_id, firm.name, Group.LOCAL, anchor=ops[0].dst, facts=tuple(facts))
        nodes.append(node)
        edges += [DisplayEdge(firm_id, o.dst, EdgeKind.OPERATES) for o in ops]
    return nodes, edges


def _subtitle(hood: FirmNeighbourhood, names: Mapping[str, str]) -> str:
    firm = hood.firm
    parts = [firm.full_name or firm.name]
    if firm.stock_code:
        parts.append(firm.stock_code)
    parts.append(f"地区：{names.get(hood.region, hood.region)}")
    return " · ".join(parts)
