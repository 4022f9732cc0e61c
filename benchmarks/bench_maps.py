"""Benchmark the interactive maps (not a test): generation time, page weight, time to interactive.

On synthetic display graphs (``viz.synthetic``: made-up firms, 1 node in 20 a segment):

- HTML generation: ``viz.render_page`` (layout + packing + template) for 2,000 and 20,000
  nodes, best of ``--repeat`` runs, and the growth ratio time(20k) / time(2k);
- page weight: bytes of the embedded data per node (and of the whole page, vis-network
  included);
- time to interactive in Debian's headless chromium: navigation start to the first drawn
  frame of the network (``window.__chainkgReadyAt``, set by the page on vis-network's first
  ``afterDrawing``), every non-file request blocked, best and median of ``--loads`` loads;
- with ``--pyvis``: the same graphs assembled with pyvis's ``Network.add_node``/``add_edge``
  (what rendering bypasses; see viz/render.py); with ``--pyvis-physics``: seconds until a
  2,000-node graph with pyvis's default options (physics on, no positions) finishes
  stabilising, with the same vendored vis-network.

    python benchmarks/bench_maps.py
    python benchmarks/bench_maps.py --pyvis --pyvis-physics

Writes its section of BENCHMARKS.md (through benchmarks/_report.py, like the other scripts).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _report  # noqa: E402 - the shared BENCHMARKS.md writer beside this script

ROOT = _report.ROOT
sys.path.insert(0, str(ROOT))

from viz.render import render_page, write_page  # noqa: E402
from viz.synthetic import synthetic_graph  # noqa: E402
from viz.vendor import vis_network_js  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DATA = re.compile(rb'<script type="application/json" id="chainkg-data">(.*?)</script>', re.S)


def generation(sizes: tuple[int, ...], repeat: int) -> dict[int, tuple[float, float]]:
    """(best wall seconds, best CPU seconds of this process) of render_page, per size."""
    render_page(synthetic_graph(50))  # warm caches: templates, vendored script and its hash
    graphs = {n: synthetic_graph(n) for n in sizes}
    timings = {}
    for n, graph in graphs.items():
        wall = _report.best_of(repeat, lambda g=graph: render_page(g), time.perf_counter)
        cpu = _report.best_of(repeat, lambda g=graph: render_page(g), time.process_time)
        timings[n] = (wall, cpu)
    return timings


def weight(nodes: int) -> tuple[float, float]:
    """(data bytes per node, page bytes per node)."""
    page = render_page(synthetic_graph(nodes)).encode("utf-8")
    data = DATA.search(page)
    assert data is not None, "the page lost its data block"
    return len(data.group(1)) / nodes, len(page) / nodes


def time_to_interactive(nodes: int, loads: int) -> list[float]:
    """Milliseconds from navigation to the network's first drawn frame, one per load."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        path = write_page(render_page(synthetic_graph(nodes)), Path(tmp) / "map.html")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return [_one_load(browser, path) for _ in range(loads)]
            finally:
                browser.close()


def xining_maps(loads: int) -> list[list[str]]:
    """Rows (map, nodes, best ms, median ms) for every map of data/xining, if present."""
    from playwright.sync_api import sync_playwright

    from api.pages import Pages
    from graph import MemoryStore, NodeKind
    from loaders import load_dataset

    store = MemoryStore()
    load_dataset(_report.XINING, store)
    pages = Pages(store, "xining")
    rows = []
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for chain_map in store.nodes(NodeKind.MAP):
            graph = pages.map_graph(chain_map.chain, chain_map.id)
            path = write_page(render_page(graph), Path(tmp) / f"{chain_map.id}.html")
            times = [_one_load(browser, path) for _ in range(loads)]
            rows.append(
                [
                    chain_map.id,
                    str(len(graph.nodes)),
                    f"{min(times):.0f}",
                    f"{statistics.median(times):.0f}",
                ]
            )
        browser.close()
    return rows


def _one_load(browser, path: Path) -> float:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(path.as_uri())
    page.wait_for_function("window.__chainkgReady === true", timeout=120_000)
    ready = float(page.evaluate("window.__chainkgReadyAt"))
    page.close()
    if problems:
        raise RuntimeError(f"page errors: {problems}")
    return ready


def pyvis_assembly(nodes: int) -> float:
    """Seconds for pyvis to take the synthetic graph's nodes and edges (no HTML written)."""
    from pyvis.network import Network

    graph = synthetic_graph(nodes)
    started = time.perf_counter()
    net = Network(directed=True, cdn_resources="local")
    for node in graph.nodes:
        net.add_node(node.id, label=node.label, group=node.group.value)
    for edge in graph.edges:
        net.add_edge(edge.src, edge.dst)
    return time.perf_counter() - started


PHYSICS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="net" style="width:1600px;height:900px"></div>
<script>{vis}</script>
<script>
const data = {data};
const net = new vis.Network(document.getElementById("net"),
  {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, {options});
net.once("stabilizationIterationsDone", () => {{
  window.__doneAt = performance.now(); window.__done = true; }});
</script></body></html>"""


def pyvis_physics(nodes: int) -> float:
    """Seconds until pyvis's default physics settles ``nodes`` nodes (vendored vis-network)."""
    import json

    from playwright.sync_api import sync_playwright
    from pyvis.network import Network

    graph = synthetic_graph(nodes)
    net = Network(directed=True, cdn_resources="local")
    for node in graph.nodes:
        net.add_node(node.id, label=node.label, group=node.group.value)
    for edge in graph.edges:
        net.add_edge(edge.src, edge.dst)
    nodes, edges, _, _, _, options = net.get_network_data()  # options as pyvis serialises them
    data = json.dumps({"nodes": nodes, "edges": edges})
    html = PHYSICS_PAGE.format(vis=vis_network_js(), data=data, options=options)
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        path = write_page(html, Path(tmp) / "physics.html")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_timeout(2000)
            if errors:
                raise RuntimeError(f"physics page failed: {errors}")
            page.wait_for_function("window.__done === true", timeout=900_000, polling=1000)
            seconds = float(page.evaluate("window.__doneAt")) / 1000
            browser.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="generation runs, best kept")
    parser.add_argument("--loads", type=int, default=7, help="browser loads per size")
    parser.add_argument("--pyvis", action="store_true", help="also time pyvis's assembly")
    parser.add_argument("--pyvis-physics", action="store_true", help="also time pyvis physics")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()

    small, large = 2_000, 20_000
    times = generation((small, large), args.repeat)
    weights = {n: weight(n) for n in (small, large)}
    rows = [
        [
            f"{n:,}",
            f"{times[n][0] * 1000:.0f}",
            f"{times[n][1] * 1000:.0f}",
            f"{weights[n][0]:.0f}",
            f"{weights[n][1]:,.0f}",
        ]
        for n in (small, large)
    ]
    growth_wall = times[large][0] / times[small][0]
    growth_cpu = times[large][1] / times[small][1]
    body = [
        "Synthetic display graphs (`viz/synthetic.py`: 1 node in 20 a segment, firms 4:1 local"
        " to targets, each with a real-sized tooltip). Generation = `viz.render_page`: layout,"
        f" packing, template; best of {args.repeat}.",
        "",
        _report.table(
            [
                "nodes",
                "generation ms (wall)",
                "generation ms (CPU)",
                "data B/node",
                "page B/node incl. vis-network",
            ],
            rows,
        ),
        "",
        f"Growth time(20k)/time(2k): {growth_wall:.1f} wall, {growth_cpu:.1f} CPU.",
    ]
    if Path(CHROMIUM).exists():
        tti = time_to_interactive(small, args.loads)
        tti_large = time_to_interactive(large, 3)
        body += [
            "",
            "Time to interactive in headless Debian chromium (navigation start to the first"
            " drawn frame after the page script has built the network; every non-file request"
            " blocked; 1600×900 viewport):",
            "",
            _report.table(
                ["nodes", "loads", "best ms", "median ms", "worst ms"],
                [
                    [
                        f"{n:,}",
                        len(t),
                        f"{min(t):.0f}",
                        f"{statistics.median(t):.0f}",
                        f"{max(t):.0f}",
                    ]
                    for n, t in ((small, tti), (large, tti_large))
                ],
            ),
        ]
        if (_report.XINING / "maps.yaml").exists():
            body += [
                "",
                "The eleven maps of `data/xining` (region xining, all their segments, context"
                " segments, local and target firms), same measure:",
                "",
                _report.table(["map", "nodes", "best ms", "median ms"], xining_maps(3)),
            ]
    else:
        body += ["", f"Time to interactive: not measured ({CHROMIUM} absent)."]
    if args.pyvis:
        body += [
            "",
            f"pyvis `Network.add_node`/`add_edge` on the same graphs (what viz bypasses):"
            f" {pyvis_assembly(small):.2f} s for {small:,} nodes,"
            f" {pyvis_assembly(large):.2f} s for {large:,} nodes.",
        ]
    if args.pyvis_physics:
        body += [
            "",
            f"pyvis default options (physics on, no positions), same vendored vis-network:"
            f" {pyvis_physics(small):.1f} s until {small:,} nodes stabilise.",
        ]
    text = "\n".join(body)
    if args.no_record:
        print(text)
    else:
        _report.write_section(
            "maps",
            "Maps: generation, page weight, time to interactive",
            text,
            _report.command_line(),
        )


if __name__ == "__main__":
    main()
