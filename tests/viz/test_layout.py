"""The layout reads like a chain: suppliers left of what they supply, stages in order, firms
under their segment, nothing on top of anything else, and the same picture every time."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import combinations

import pytest

from api.pages import Pages
from graph import MemoryStore, NodeKind
from viz import DisplayEdge, DisplayGraph, EdgeKind, Group
from viz.layout import FIRM_WIDTH, place
from viz.model import segment_node
from viz.synthetic import synthetic_graph


def test_every_supply_arrow_points_right_on_the_mini_maps(pages: Pages) -> None:
    for map_id, chain in (("pv-map", "pv"), ("li-map", "li")):
        graph = pages.map_graph(chain, map_id)
        x = {k: p[0] for k, p in place(graph).positions.items()}
        arrows = [e for e in graph.edges if e.kind in (EdgeKind.SUPPLIES, EdgeKind.CROSS)]
        assert arrows
        assert all(x[e.src] < x[e.dst] for e in arrows), map_id


def test_the_pv_chain_reads_from_polysilicon_to_modules(pages: Pages) -> None:
    columns = place(pages.map_graph("pv", "pv-map")).columns
    order = ["pv-poly", "pv-ingot", "pv-wafer", "pv-cell", "pv-module"]
    assert [columns[s] for s in order] == sorted(columns[s] for s in order)
    assert len({columns[s] for s in order}) == 5
    # a pure feeder sits just before what it feeds, not at the far left
    assert columns["pv-film"] == columns["pv-module"] - 1


def test_stages_occupy_bands_left_to_right(pages: Pages) -> None:
    graph = pages.map_graph("pv", "pv-map")
    placement = place(graph)
    assert [b.label for b in placement.bands] == ["上游", "中游", "下游"]
    for left, right in zip(placement.bands, placement.bands[1:], strict=False):
        assert left.x1 < right.x0
    bands = {b.label: b for b in placement.bands}
    for node in graph.nodes:
        if node.group.is_segment and node.group != Group.EXTERNAL:
            band = bands[("上游", "中游", "下游")[node.stage]]  # type: ignore[index]
            assert band.x0 < placement.positions[node.id][0] < band.x1, node.id


def test_firms_sit_under_their_segment(pages: Pages) -> None:
    graph = pages.map_graph("pv", "pv-map")
    positions = place(graph).positions
    for node in graph.nodes:
        if node.anchor:
            (fx, fy), (sx, sy) = positions[node.id], positions[node.anchor]
            assert fy > sy and abs(fx - sx) <= FIRM_WIDTH, node.id


@pytest.mark.parametrize("nodes", [60, 600])
def test_no_two_nodes_share_a_place(nodes: int) -> None:
    positions = place(synthetic_graph(nodes)).positions
    assert len(set(positions.values())) == len(positions)


def test_segment_blocks_never_overlap_within_a_column() -> None:
    graph = synthetic_graph(600)
    placement = place(graph)
    by_column: dict[int, list[int]] = {}
    for segment, column in placement.columns.items():
        by_column.setdefault(column, []).append(placement.positions[segment][1])
    lowest_firm = {}
    for node in graph.nodes:
        if node.anchor:
            y = placement.positions[node.id][1]
            lowest_firm[node.anchor] = max(lowest_firm.get(node.anchor, y), y)
    for segment, column in placement.columns.items():
        top, bottom = placement.positions[segment][1], lowest_firm.get(segment, 0)
        others = [y for y in by_column[column] if y != top]
        assert not any(top < y <= bottom for y in others), segment


def test_positions_do_not_depend_on_the_order_nodes_arrive_in() -> None:
    graph = synthetic_graph(400)
    nodes, edges = list(graph.nodes), list(graph.edges)
    random.Random(3).shuffle(nodes)
    random.Random(4).shuffle(edges)
    shuffled = DisplayGraph(graph.title, tuple(nodes), tuple(edges))
    assert place(shuffled).positions == place(graph).positions


def test_a_cycle_across_chains_is_laid_out_in_one_column() -> None:
    a = segment_node("a", "A", Group.PRESENT, 0)
    b = segment_node("b", "B", Group.EXTERNAL, 1)
    c = segment_node("c", "C", Group.WEAK, 2)
    edges = (
        DisplayEdge("a", "b", EdgeKind.CROSS),
        DisplayEdge("b", "a", EdgeKind.CROSS),
        DisplayEdge("b", "c", EdgeKind.CROSS),
    )
    placement = place(DisplayGraph("cycle", (a, b, c), edges))
    assert placement.columns["a"] == placement.columns["b"] < placement.columns["c"]


def test_a_firm_hanging_off_no_segment_is_refused() -> None:
    graph = synthetic_graph(30)
    stray = replace(graph.nodes[-1], anchor="nope")
    with pytest.raises(ValueError, match="hangs off 'nope'"):
        place(DisplayGraph("x", (*graph.nodes[:-1], stray), ()))


def test_every_map_of_the_xining_dataset_points_its_arrows_right(xining_store: MemoryStore) -> None:
    pages = Pages(xining_store, "xining")
    for chain_map in xining_store.nodes(NodeKind.MAP):
        graph = pages.map_graph(chain_map.chain, chain_map.id)
        x = {k: p[0] for k, p in place(graph).positions.items()}
        backwards = [
            (e.src, e.dst)
            for e in graph.edges
            if e.kind == EdgeKind.SUPPLIES
            and x[e.src] >= x[e.dst]
            and graph.node(e.src).stage <= graph.node(e.dst).stage  # type: ignore[operator]
        ]
        assert backwards == [], chain_map.id


def test_pairs_of_columns_are_distinct() -> None:
    placement = place(synthetic_graph(300))
    xs = {}
    for segment, column in placement.columns.items():
        xs.setdefault(column, set()).add(placement.positions[segment][0])
    assert all(len(v) == 1 for v in xs.values())
    assert all(a != b for a, b in combinations([next(iter(v)) for v in xs.values()], 2))
