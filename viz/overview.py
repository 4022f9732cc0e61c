"""The cross-chain overview: one node per chain, one arrow per pair of chains that trade.

An arrow from chain A to chain B aggregates every SUPPLIES link from a segment of A to a
segment of B (its label says how many; its tooltip lists them); a link whose two segments
share a chain is internal to that chain and not drawn. Segments shared by two chains
(``also_in``) are listed on both chains' tooltips. Statuses, when given, are summed per chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.analysis import SegmentVerdict
from graph.schema import Chain, ChainMap, Segment, Supplies
from viz.facts import sourced
from viz.model import DisplayEdge, DisplayGraph, DisplayNode, EdgeKind, Fact, Group

LISTED_LINKS = 12  # links named in an arrow's tooltip; the rest are counted


@dataclass(frozen=True)
class Overview:
    chains: tuple[Chain, ...]
    segments: Mapping[str, Segment]  # every segment of these chains
    supplies: tuple[Supplies, ...]  # every SUPPLIES link (only cross-chain ones are drawn)
    maps: tuple[ChainMap, ...] = ()
    verdicts: Mapping[str, Mapping[str, SegmentVerdict]] = field(default_factory=dict)
    region: str = ""


def overview_graph(overview: Overview, names: Mapping[str, str] | None = None) -> DisplayGraph:
    names = {**(names or {}), **{c.id: c.name for c in overview.chains}}
    members = _members(overview)
    links = _links(overview)
    nodes = [_chain_node(overview, chain, members[chain.id], names) for chain in overview.chains]
    edges = [
        _link_edge(src, dst, found, overview.segments)
        for (src, dst), found in sorted(links.items())
    ]
    region = names.get(overview.region, overview.region)
    return DisplayGraph(
        title="产业链全景 · 链间关联",
        subtitle=f"地区：{region}" if region else "",
        nodes=tuple(nodes),
        edges=tuple(edges),
        notes=(
            "箭头表示上游链的环节向下游链的环节供应，数字为环节间供应关系条数；悬停查看明细与来源。",
        ),
        summary=(
            Fact("产业链", str(len(nodes))),
            Fact("链间供应关系", str(sum(len(v) for v in links.values()))),
        ),
    )


def _members(overview: Overview) -> dict[str, list[Segment]]:
    members: dict[str, list[Segment]] = defaultdict(list)
    for segment in sorted(overview.segments.values(), key=lambda s: s.id):
        for chain in segment.chains:
            members[chain].append(segment)
    return members


def _links(overview: Overview) -> dict[tuple[str, str], list[Supplies]]:
    """Cross-chain SUPPLIES grouped by (supplying chain, supplied chain)."""
    known = {c.id for c in overview.chains}
    links: dict[tuple[str, str], list[Supplies]] = defaultdict(list)
    for link in overview.supplies:
        src, dst = overview.segments.get(link.src), overview.segments.get(link.dst)
        if src is None or dst is None:
            continue
        shared = set(src.chains) & set(dst.chains)
        for a in src.chains:
            for b in dst.chains:
                if a != b and a in known and b in known and not shared:
                    links[(a, b)].append(link)
    return links


def _chain_node(
    overview: Overview, chain: Chain, segments: list[Segment], names: Mapping[str, str]
) -> DisplayNode:
    facts = [Fact("环节", f"{len(segments)} 个")]
    verdicts = overview.verdicts.get(chain.id, {})
    statuses = [verdicts[s.id].status.label for s in segments if s.id in verdicts]
    if statuses:
        counts = "，".join(f"{label} {statuses.count(label)}" for label in ("已有", "薄弱", "缺失"))
        facts.append(Fact("环节状态", counts))
    maps = [m.name for m in overview.maps if m.chain == chain.id]
    if maps:
        facts.append(Fact("招商图谱", "、".join(maps)))
    shared = [s for s in segments if len(s.chains) > 1]
    if shared:
        text = "、".join(
            f"{s.name}（{'/'.join(names.get(c, c) for c in s.chains)}）" for s in shared
        )
        facts.append(Fact("共享环节", text))
    if chain.description:
        facts.append(Fact("说明", chain.description))
    facts.append(Fact("来源", sourced(chain)))
    label = f"{chain.name}\n{len(segments)}个环节"
    if statuses:
        label += f" · 缺失{statuses.count('缺失')}"
    return DisplayNode(chain.id, label, Group.CHAIN, facts=tuple(facts), search=chain.name)


def _link_edge(
    src: str, dst: str, links: list[Supplies], segments: Mapping[str, Segment]
) -> DisplayEdge:
    facts = [
        Fact(f"{segments[link.src].name} → {segments[link.dst].name}", sourced(link))
        for link in links[:LISTED_LINKS]
    ]
    if len(links) > LISTED_LINKS:
        facts.append(Fact("另有", f"{len(links) - LISTED_LINKS} 条"))
    return DisplayEdge(src, dst, EdgeKind.LINKS, tuple(facts), label=f"{len(links)}条")
