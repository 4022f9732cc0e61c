"""Synthetic display graphs of any size, for the map benchmark and the clustering tests.

SYNTHETIC: every firm, figure and source here is made up (names say 合成企业, sources point at
``example.org``) and must never be shown as data. The shape imitates a real chain map: ~1 in
20 nodes is a segment, the rest are firms hanging off segments (4 in 5 local, 1 in 5 targets),
and each firm's tooltip carries the facts a real one does (full name, code, HQ, capacity,
source, year).

>>> g = synthetic_graph(200)
>>> len(g.nodes)
200
"""

from __future__ import annotations

import random

from viz.model import DisplayEdge, DisplayGraph, DisplayNode, EdgeKind, Fact, Group

STATUSES = (Group.PRESENT, Group.WEAK, Group.MISSING)
PROVINCES = ("青海省", "江苏省", "浙江省", "广东省", "四川省", "上海市", "北京市", "陕西省")
SOURCES = tuple(f"https://example.org/synthetic/report-{i:02d}.html" for i in range(40))


def synthetic_graph(nodes: int, seed: int = 7) -> DisplayGraph:
    """A display graph of exactly ``nodes`` nodes (at least 10), same seed same graph."""
    rng = random.Random(seed)
    segments = _segments(max(5, nodes // 20))
    firms, firm_edges = _firms(rng, nodes - len(segments), segments)
    return DisplayGraph(
        title=f"合成测试图谱（{nodes}个节点）",
        subtitle="SYNTHETIC · 合成数据，仅用于性能测试",
        nodes=(*segments, *firms),
        edges=(*_supplies(rng, segments), *firm_edges),
        notes=("合成数据：企业、产能与来源均为虚构，仅用于性能测试。",),
    )


def _segments(count: int) -> list[DisplayNode]:
    return [
        DisplayNode(
            id=f"seg-{i:04d}",
            label=f"合成环节{i}",
            group=STATUSES[i % 3],
            stage=min(2, 3 * i // count),
            facts=(Fact("状态", "合成"), Fact("环节来源", f"{SOURCES[i % 40]}（2023年）")),
        )
        for i in range(count)
    ]


def _supplies(rng: random.Random, segments: list[DisplayNode]) -> list[DisplayEdge]:
    """Each segment after the first few is supplied by one or two earlier ones."""
    edges = set()
    for i in range(3, len(segments)):
        for j in rng.sample(range(max(0, i - 12), i), k=min(2, i)):
            edges.add((segments[j].id, segments[i].id))
    facts = (Fact("关系", "原材料供应"), Fact("来源", "合成（2023年，整理重建）"))
    return [DisplayEdge(a, b, EdgeKind.SUPPLIES, facts) for a, b in sorted(edges)]


def _firms(
    rng: random.Random, count: int, segments: list[DisplayNode]
) -> tuple[list[DisplayNode], list[DisplayEdge]]:
    """Firms spread unevenly over segments (a few crowded ones, many with a handful)."""
    weights = [rng.paretovariate(1.5) for _ in segments]
    anchors = rng.choices([s.id for s in segments], weights, k=count)
    nodes, edges = [], []
    for i, anchor in enumerate(anchors):
        target = i % 5 == 4
        capacity = f"{rng.randint(1, 500)} GW · 位于 合成园区{i % 12}"
        facts = (
            Fact("全称", f"合成企业{i:05d}新材料科技有限公司"),
            Fact("股票代码", f"{600000 + i}.SH") if i % 3 == 0 else Fact("总部", "青海省西宁市"),
            Fact(f"环节·合成环节{anchor[-4:]}", capacity),
            Fact("\u3000来源", f"{SOURCES[i % 40]}（2023年，已核实）"),
            Fact("企业信息来源", f"{SOURCES[(i * 7) % 40]}（2023年，已核实）"),
        )
        group = Group.TARGET if target else Group.LOCAL
        node_id = f"firm-{i:05d}"
        nodes.append(DisplayNode(node_id, f"合成企业{i:05d}", group, anchor=anchor, facts=facts))
        kind = EdgeKind.TARGETS if target else EdgeKind.OPERATES
        edges.append(DisplayEdge(node_id, anchor, kind))
    return nodes, edges
