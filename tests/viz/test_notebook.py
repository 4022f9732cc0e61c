"""``viz.to_pyvis``: any map as a pyvis Network for Jupyter, the same graph as our pages,
writing pages that stay offline; pyvis (and IPython) imported only when it is called."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from api.pages import Pages, firm_neighbourhood, overview
from graph import MemoryStore
from tests.viz.conftest import Loaded
from viz import DisplayGraph, firm_graph, overview_graph, to_pyvis
from viz.labels import drawn_label
from viz.layout import place
from viz.style import EDGE_STYLES, GROUP_STYLES


def mini_graphs(store: MemoryStore) -> dict[str, DisplayGraph]:
    pages = Pages(store, "xn")
    return {
        "pv-map": pages.map_graph("pv", "pv-map"),
        "li": pages.map_graph("li", None),
        "firm": firm_graph(firm_neighbourhood(store, "ingot-b", "xn"), pages.names),
        "overview": overview_graph(overview(pages), pages.names),
    }


@pytest.mark.parametrize("kind", ["pv-map", "li", "firm", "overview"])
def test_the_network_holds_exactly_the_map_with_its_positions_and_styles(
    kind: str, loaded_store: MemoryStore
) -> None:
    graph = mini_graphs(loaded_store)[kind]
    net = to_pyvis(graph)
    assert [n["id"] for n in net.nodes] == [n.id for n in graph.nodes]
    assert net.get_nodes() == [n.id for n in graph.nodes]
    assert {(e["from"], e["to"]) for e in net.edges} == {(e.src, e.dst) for e in graph.edges}
    assert len(net.edges) == len(graph.edges)
    positions = place(graph).positions
    assert {n["id"]: (n["x"], n["y"]) for n in net.nodes} == positions
    assert {n["id"]: n["group"] for n in net.nodes} == {n.id: n.group.value for n in graph.nodes}
    assert {n["id"]: n["label"] for n in net.nodes} == {n.id: drawn_label(n) for n in graph.nodes}
    assert net.options["physics"]["enabled"] is False
    assert net.options["groups"] == {g.value: style for g, style in GROUP_STYLES.items()}
    for edge, source in zip(net.edges, graph.edges, strict=True):
        assert edge["color"] == EDGE_STYLES[source.kind]["color"]


def test_titles_list_the_facts_as_plain_text(loaded_store: MemoryStore) -> None:
    net = to_pyvis(mini_graphs(loaded_store)["pv-map"])
    title = next(n["title"] for n in net.nodes if n["id"] == "ingot-b")
    assert title.startswith("乙光伏（本地企业）\n")
    assert "全称：乙光伏科技有限公司" in title
    assert "来源：https://example.org/b（2023年，已核实）" in title


def test_the_written_page_references_nothing_remote(
    loaded_store: MemoryStore, tmp_path: Path
) -> None:
    path = tmp_path / "pv-map.html"
    to_pyvis(mini_graphs(loaded_store)["pv-map"]).write_html(str(path))
    html = path.read_text(encoding="utf-8")
    assert "://" not in html  # not a CDN, not even a URL string in the data (written :\/\/)
    remote = r"""(?:src|href)\s*=\s*["']?(?:https?:|//)|url\(\s*["']?(?:https?:|//)|@import"""
    assert not re.search(remote, html, re.I)
    assert "vis.Network" in html and "default-src 'none'" in html


@pytest.mark.browser
def test_the_written_page_draws_offline_in_chromium(
    loaded_store: MemoryStore, tmp_path: Path, open_map: Callable[..., Loaded]
) -> None:
    graph = mini_graphs(loaded_store)["pv-map"]
    path = tmp_path / "pyvis.html"
    to_pyvis(graph, notebook=False).write_html(str(path))
    loaded = open_map(path, False)  # fails on any outside request, console error or page error
    loaded.page.wait_for_function("typeof network !== 'undefined'", timeout=30_000)
    drawn = loaded.evaluate("Object.keys(network.body.nodes).length")
    assert drawn == len(graph.nodes)
    position = loaded.evaluate("network.getPosition('ingot-b')")
    assert (position["x"], position["y"]) == place(graph).positions["ingot-b"]


def test_importing_viz_does_not_import_pyvis_or_ipython() -> None:
    code = "import sys, viz; print('pyvis' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
