"""Exported maps in Debian's headless Chromium, opened from disk with every non-file request
blocked: they load without a failed request or a console error, hold exactly the graph,
colour holes as holes, keep hostile names as text, and respond to clicks, filters, search."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from api.pages import Pages, export_all, page_for
from graph import MemoryStore, NodeKind
from tests.viz.conftest import ARTIFACTS, XINING, Loaded, expected_map_contents
from tests.viz.test_render import MARKUP, SCRIPT_CLOSER, hostile_store
from viz import render_page, write_page
from viz.style import GROUP_STYLES, MISSING_COLOUR
from viz.synthetic import synthetic_graph

pytestmark = pytest.mark.browser

OpenMap = Callable[..., Loaded]
RELATION = {
    "supplies": "SUPPLIES",
    "cross": "SUPPLIES",
    "operates": "OPERATES_IN",
    "targets": "TARGETED_FOR",
}


def xining_map_ids() -> list[str]:
    """Whatever data/xining/maps.yaml lists (eleven when the dataset is complete)."""
    path = XINING / "maps.yaml"
    if not path.exists():
        return []
    return [m["id"] for m in yaml.safe_load(path.read_text(encoding="utf-8"))["maps"]]


def shown(loaded: Loaded) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Node ids and (from, to, relation) of the page's vis-network data sets (no duplicates)."""
    nodes = loaded.ids()
    edges = [
        (a, b, RELATION[kind])
        for a, b, kind in loaded.evaluate("chainkg.edges.get().map(e => [e.from, e.to, e.kind])")
    ]
    assert len(edges) == len(set(edges)), "an edge appears twice"
    assert loaded.evaluate("chainkg.nodes.length") == len(nodes)
    return nodes, set(edges)


def exported(store: MemoryStore, region: str, folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in export_all(Pages(store, region), folder)}


def test_every_mini_map_loads_offline_and_holds_exactly_its_graph(
    loaded_store: MemoryStore, tmp_path: Path, open_map: OpenMap
) -> None:
    files = exported(loaded_store, "xn", tmp_path)
    for chain_map in loaded_store.nodes(NodeKind.MAP):
        loaded = open_map(files[chain_map.id])
        nodes, edges = expected_map_contents(loaded_store, chain_map.id, "xn")
        assert shown(loaded) == (nodes, edges), chain_map.id
        assert loaded.evaluate("document.querySelectorAll('canvas').length") == 1
    index = open_map(files["index"], False)
    links = index.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    expected = [f"{m.id}.html" for m in loaded_store.nodes(NodeKind.MAP)] + ["overview.html"]
    assert links == expected
    assert all((tmp_path / link).exists() for link in links)


@pytest.mark.parametrize("map_id", xining_map_ids() or ["(data/xining absent)"])
def test_every_xining_map_loads_offline_and_holds_exactly_its_graph(
    map_id: str, xining_store: MemoryStore, tmp_path: Path, open_map: OpenMap
) -> None:
    path = write_page(page_for(xining_store, map_id, "xining"), tmp_path / f"{map_id}.html")
    loaded = open_map(path)
    assert shown(loaded) == expected_map_contents(xining_store, map_id, "xining")


def test_the_overview_chain_and_firm_pages_load_offline(
    loaded_store: MemoryStore, tmp_path: Path, open_map: OpenMap
) -> None:
    for item, expected in (("overview", {"pv", "li"}), ("pv", None), ("ingot-b", None)):
        loaded = open_map(write_page(page_for(loaded_store, item, "xn"), tmp_path / f"{item}.html"))
        if expected:
            assert loaded.ids() == expected
        else:
            assert item in loaded.ids() or "pv-poly" in loaded.ids()


@pytest.fixture
def pv_map(loaded_store: MemoryStore, tmp_path: Path, open_map: OpenMap) -> Loaded:
    return open_map(write_page(page_for(loaded_store, "pv-map", "xn"), tmp_path / "pv-map.html"))


def drawn_colour(loaded: Loaded, node_id: str) -> dict[str, str]:
    return loaded.evaluate(  # type: ignore[no-any-return]
        "(id) => chainkg.network.body.nodes[id].options.color", node_id
    )


def test_a_missing_segment_is_drawn_in_the_missing_colour(pv_map: Loaded) -> None:
    assert drawn_colour(pv_map, "pv-film")["background"] == MISSING_COLOUR
    weak = GROUP_STYLES["weak"]["color"]["background"]  # type: ignore[index]
    assert drawn_colour(pv_map, "pv-wafer")["background"] == weak != MISSING_COLOUR


def is_shown(loaded: Loaded, node_id: str) -> bool:
    """Drawn by the network (the data set always holds every node)."""
    return bool(loaded.evaluate("(id) => chainkg.isShown(id)", node_id))


def test_target_firms_are_shown_on_demand(pv_map: Loaded) -> None:
    assert not is_shown(pv_map, "film-h")
    pv_map.page.check("#f-targets")
    assert is_shown(pv_map, "film-h")
    pv_map.page.uncheck("#f-local")
    assert not is_shown(pv_map, "ingot-b")
    assert "ingot-b" in pv_map.ids()


def opacity(loaded: Loaded, node_id: str) -> float:
    return float(loaded.node(node_id).get("opacity", 1))


def test_clicking_a_segment_lights_up_everything_upstream_and_downstream(pv_map: Loaded) -> None:
    pv_map.click_node("pv-wafer")
    lit = ["pv-poly", "pv-ingot", "pv-wafer", "pv-cell", "pv-module", "li-ess", "ingot-b"]
    assert all(opacity(pv_map, n) == 1 for n in lit)
    assert opacity(pv_map, "pv-film") < 0.5  # feeds modules, but is not up- or downstream of wafers
    assert "上游 2 个、下游 3 个环节" in pv_map.page.inner_text("#status")
    pv_map.page.click("#reset")
    assert opacity(pv_map, "pv-film") == 1


def test_the_gap_filter_fades_what_is_not_a_gap(pv_map: Loaded) -> None:
    pv_map.page.check("#f-gaps")
    assert opacity(pv_map, "pv-film") == 1 and opacity(pv_map, "pv-wafer") == 1  # missing, weak


def test_hovering_a_firm_shows_its_facts_and_sources(pv_map: Loaded) -> None:
    pv_map.hover_node("ingot-b")
    tip = pv_map.page.locator("#tip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert "乙光伏科技有限公司" in text
    assert "example.org（2023年，已核实）" in text  # the site; the full address on hover
    titles = pv_map.evaluate("[...document.querySelectorAll('#tip .src')].map(s => s.title)")
    assert titles and set(titles) == {"https://example.org/b"}


def test_search_finds_a_target_firm_and_reveals_it(pv_map: Loaded) -> None:
    pv_map.page.fill("#q", "辛胶")
    hits = pv_map.page.locator("#hits li")
    assert hits.all_inner_texts() == ["辛胶膜 · 靶向企业"]
    hits.first.click()
    assert is_shown(pv_map, "film-h")
    assert pv_map.evaluate("chainkg.network.getSelectedNodes()") == ["film-h"]


def test_hostile_names_are_shown_as_text_and_never_run(
    mini_copy: Path, tmp_path: Path, open_map: OpenMap
) -> None:
    store = hostile_store(mini_copy)
    loaded = open_map(write_page(page_for(store, "pv-map", "xn"), tmp_path / "hostile.html"))
    loaded.hover_node("poly-a")
    loaded.page.locator("#tip").wait_for(state="visible", timeout=5_000)
    assert "<img src=x onerror=alert(1)>" in loaded.page.inner_text("#tip")
    loaded.page.check("#f-targets")
    loaded.page.fill("#q", "script")
    assert loaded.page.locator("#hits li").all_inner_texts() == [f"{SCRIPT_CLOSER} · 靶向企业"]
    loaded.page.fill("#q", "onmouseover")
    loaded.page.locator("#hits li").first.hover()
    assert loaded.evaluate("document.querySelectorAll('img, [onerror], [onmouseover]').length") == 0
    wafer = loaded.evaluate("chainkg.data.label[chainkg.data.id.indexOf('pv-wafer')]")
    assert wafer == f"{MARKUP}切片"  # the full name; the box draws it fitted, as canvas text
    assert loaded.node("pv-wafer")["label"].startswith("<b onmou")
    # the open_map fixture fails the test if an alert() opened a dialog or an error was logged


def test_a_large_map_collapses_crowded_segments_and_opens_them_on_click(
    tmp_path: Path, open_map: OpenMap
) -> None:
    graph = synthetic_graph(600)
    loaded = open_map(write_page(render_page(graph), tmp_path / "large.html"))
    assert loaded.ids() == {n.id for n in graph.nodes}  # the data set always holds everything
    boxes = loaded.evaluate("[...chainkg.collapsed].map(([s, box]) => [s, box.members])")
    assert boxes, "no segment was collapsed"
    segment, members = boxes[0]
    assert len(members) >= 6
    assert {n.anchor for n in graph.nodes if n.id in members} == {segment}
    assert not any(is_shown(loaded, m) for m in members)
    first = next(n for n in graph.nodes if n.id == members[0])
    x, y = loaded.evaluate(
        """(id) => { const n = chainkg.nodes.get(id);
                     chainkg.network.moveTo({position: {x: n.x, y: n.y}, animation: false});
                     const d = chainkg.network.canvasToDOM({x: n.x, y: n.y});
                     const box = document.getElementById('net').getBoundingClientRect();
                     return [box.left + d.x, box.top + d.y]; }""",
        first.id,
    )
    loaded.page.mouse.click(x, y)
    assert all(is_shown(loaded, m) for m in members)
    y_of = "(id) => chainkg.network.getPosition(id).y"
    assert all(loaded.evaluate(y_of, m) > loaded.evaluate(y_of, segment) for m in members)


def test_the_pv_map_screenshot_reads_like_a_chain(
    loaded_store: MemoryStore, tmp_path: Path, browser: object
) -> None:
    """Writes test-artifacts/pv-map.png (the Xining PV map when the dataset is there)."""
    store, region = loaded_store, "xn"
    if (XINING / "maps.yaml").exists():
        from loaders import load_dataset

        store, region = MemoryStore(), "xining"
        load_dataset(XINING, store)
    path = write_page(page_for(store, "pv-map", region), tmp_path / "pv-map.html")
    page = browser.new_page(viewport={"width": 1920, "height": 1080})  # type: ignore[attr-defined]
    loaded = Loaded(page)
    page.goto(path.as_uri())
    page.wait_for_function("window.__chainkgReady === true", timeout=60_000)
    page.wait_for_timeout(200)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "pv-map.png"))
    headers = page.evaluate("chainkg.data.bands.map(b => b[0])")
    page.close()
    assert headers == ["上游", "中游", "下游"]
    assert loaded.problems == [] and loaded.outside == []
    assert (ARTIFACTS / "pv-map.png").stat().st_size > 20_000
