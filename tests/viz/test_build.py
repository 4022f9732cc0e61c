"""The display graphs hold what the store holds: the map's segments coloured by their verdict,
the segments linked to them, the region's firms and the target list -- nothing else."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.pages import Pages, firm_neighbourhood, overview
from graph import InvalidRequest, MemoryStore, NodeKind, NotFound, RelType
from graph.analysis import chain_view, segment_status
from tests.viz.conftest import expected_map_contents
from viz import EdgeKind, Group, chain_map_graph, firm_graph, overview_graph

RELATION = {
    EdgeKind.SUPPLIES: "SUPPLIES",
    EdgeKind.CROSS: "SUPPLIES",
    EdgeKind.OPERATES: "OPERATES_IN",
    EdgeKind.TARGETS: "TARGETED_FOR",
}


@pytest.mark.parametrize("map_id", ["pv-map", "li-map"])
def test_a_map_shows_exactly_its_segments_their_links_local_firms_and_targets(
    pages: Pages, loaded_store: MemoryStore, map_id: str
) -> None:
    chain = loaded_store.get(map_id, NodeKind.MAP).chain
    graph = pages.map_graph(chain, map_id)
    nodes, edges = expected_map_contents(loaded_store, map_id, "xn")
    assert {n.id for n in graph.nodes} == nodes
    assert {(e.src, e.dst, RELATION[e.kind]) for e in graph.edges} == edges
    assert len(graph.nodes) == len(nodes), "a node appears twice"


def test_segments_are_coloured_by_the_analysis_verdict(loaded_store: MemoryStore) -> None:
    view = chain_view(loaded_store, "pv", "xn")
    verdicts = segment_status(view)
    graph = chain_map_graph(view, verdicts, "pv-map")
    for segment in loaded_store.get("pv-map", NodeKind.MAP).segments:
        assert graph.node(segment).group.value == verdicts[segment].status.value
    assert graph.node("pv-film").group == Group.MISSING  # no local firm, no figure
    assert graph.node("li-ess").group == Group.EXTERNAL  # another chain's, shown quietly


def test_firms_hang_off_a_segment_they_operate_in_or_are_courted_for(pages: Pages) -> None:
    graph = pages.map_graph("pv", "pv-map")
    assert graph.node("ingot-b").group == Group.LOCAL
    assert graph.node("ingot-b").anchor == "pv-ingot"  # upstream of its other segment, wafer
    assert graph.node("film-h").group == Group.TARGET
    assert graph.node("film-h").anchor == "pv-film"
    assert graph.node("pv-poly").anchor is None


def test_links_to_other_chains_are_quiet_and_links_within_the_map_are_arrows(pages: Pages) -> None:
    kinds = {(e.src, e.dst): e.kind for e in pages.map_graph("pv", "pv-map").edges}
    assert kinds[("pv-poly", "pv-ingot")] == EdgeKind.SUPPLIES
    assert kinds[("pv-module", "li-ess")] == EdgeKind.CROSS


def test_every_tooltip_fact_from_the_data_names_its_source_and_year(pages: Pages) -> None:
    graph = pages.map_graph("pv", "pv-map")
    ingot_b = {f.key: f.value for f in graph.node("ingot-b").facts}
    assert ingot_b["环节·单晶拉棒"] == "102 GW · 位于 甲园区"
    sources = [f.value for f in graph.node("ingot-b").facts if f.key.strip() == "来源"]
    assert sources == [
        "https://example.org/b（2023年，已核实）",
        "https://example.org/b（2023年，待核实）",
    ]
    film = {f.key: f.value for f in graph.node("pv-film").facts}
    assert film["状态"].startswith("缺失：")
    assert film["环节来源"] == "fixture（2023年，整理重建）"
    supply = next(e for e in graph.edges if (e.src, e.dst) == ("pv-poly", "pv-ingot"))
    assert ("来源", "fixture（2023年，整理重建）") in [(f.key, f.value) for f in supply.facts]


def test_a_reconstructed_map_says_so_in_its_first_note(pages: Pages) -> None:
    notes = pages.map_graph("pv", "pv-map").notes
    assert notes[0] == "本图谱由 chainkg 根据公开资料整理重建，非官方发布。"
    assert "图谱来源：fixture（2023年）" in notes
    assert pages.map_graph("li", "li-map").notes[0] == "图谱结构：已核实。"


def test_the_summary_counts_statuses_and_firms(pages: Pages) -> None:
    summary = {f.key: f.value for f in pages.map_graph("pv", "pv-map").summary}
    assert summary == {
        "环节": "6",
        "已有": "0",
        "薄弱": "5",
        "缺失": "1",
        "本地企业": "3",
        "靶向企业": "2",
    }


def test_an_unknown_map_is_refused_with_the_closest_ids(loaded_store: MemoryStore) -> None:
    view = chain_view(loaded_store, "pv", "xn")
    with pytest.raises(NotFound, match="pv-map"):
        chain_map_graph(view, segment_status(view), "pv-mapp")


def test_a_map_of_another_chain_is_refused_with_what_to_do(loaded_store: MemoryStore) -> None:
    li = chain_view(loaded_store, "li", "xn")
    pv_map = loaded_store.get("pv-map", NodeKind.MAP)
    view = replace(li, maps={**li.maps, "pv-map": pv_map})
    with pytest.raises(InvalidRequest, match="outside chain 'li'.*pv-poly"):
        chain_map_graph(view, segment_status(view), "pv-map")


def test_a_chain_graph_includes_segments_shared_with_other_chains(pages: Pages) -> None:
    graph = pages.map_graph("pv", None)
    assert "li-foil" in graph  # 电解铜箔 is also_in pv
    assert graph.title == "光伏制造产业链图谱"


def test_a_firm_neighbourhood_shows_its_segments_their_neighbours_and_local_firms(
    loaded_store: MemoryStore,
) -> None:
    graph = firm_graph(firm_neighbourhood(loaded_store, "ingot-b", "xn"))
    groups = {n.id: n.group for n in graph.nodes}
    assert groups == {
        "ingot-b": Group.FOCUS,
        "pv-ingot": Group.OWN,
        "pv-wafer": Group.OWN,
        "pv-poly": Group.NEIGHBOUR,
        "pv-cell": Group.NEIGHBOUR,
        "poly-a": Group.LOCAL,
        "cell-c": Group.LOCAL,
    }
    operations = {(e.src, e.dst) for e in graph.edges if e.kind == EdgeKind.OPERATES}
    assert ("ingot-b", "pv-wafer") in operations and ("cell-c", "pv-cell") in operations


def test_a_target_firm_neighbourhood_shows_the_segment_it_is_courted_for(
    loaded_store: MemoryStore,
) -> None:
    graph = firm_graph(firm_neighbourhood(loaded_store, "film-h", "xn"))
    assert ("film-h", "pv-film", EdgeKind.TARGETS) in {(e.src, e.dst, e.kind) for e in graph.edges}
    assert graph.node("pv-module").group == Group.NEIGHBOUR
    # the legend names them for what they are: in-chain neighbours, not "outside the chain"
    assert Group.NEIGHBOUR.label == "直接上下游环节"
    assert Group.OWN.label == "企业所在或被招引的环节"


def test_the_overview_aggregates_links_between_chains(pages: Pages) -> None:
    graph = overview_graph(overview(pages), pages.names)
    assert {n.id for n in graph.nodes} == {"pv", "li"}
    (edge,) = graph.edges
    assert (edge.src, edge.dst, edge.label) == ("pv", "li", "1条")
    assert edge.facts[0].key == "组件 → 储能系统"
    pv = {f.key: f.value for f in graph.node("pv").facts}
    assert pv["共享环节"] == "电解铜箔（锂动力及储能电池/光伏制造）"
    assert pv["环节状态"] == "已有 0，薄弱 6，缺失 1"


def test_the_overview_counts_every_cross_chain_link_of_the_store(pages: Pages) -> None:
    store = pages.store
    chains = {s.id: s.chain for s in store.nodes(NodeKind.SEGMENT)}
    crossing = [e for e in store.edges(RelType.SUPPLIES) if chains[e.src] != chains[e.dst]]
    graph = overview_graph(overview(pages), pages.names)
    assert sum(int(e.label.rstrip("条")) for e in graph.edges) == len(crossing)


def test_a_source_is_cited_once_per_tooltip(pages: Pages) -> None:
    graph = pages.map_graph("pv", "pv-map")
    for firm in ("ingot-b", "film-h"):
        values = [f.value for f in graph.node(firm).facts]
        assert len(values) == len(set(values)), firm
    keys = [f.key for f in graph.node("film-h").facts]
    assert "企业信息来源" not in keys  # the target row is where the firm's details come from
