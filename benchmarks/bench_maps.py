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

Prints the figures and appends them to BENCHMARKS.md under "## Maps" when that file exists,
else to benchmarks/results/maps.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viz.render import render_page, write_page  # noqa: E402
from viz.synthetic import synthetic_graph  # noqa: E402
from viz.vendor import vis_network_js  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DATA = re.compile(rb'<script type="application/json" id="chainkg-data">(.*?)</script>', re.S)


def best_time(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def generation(sizes: tuple[int, ...], repeat: int) -> dict[int, float]:
    render_page(synthetic_graph(50))  # warm caches: templates, vendored script and its hash
    graphs = {n: synthetic_graph(n) for n in sizes}
    return {n: best_time(lambda g=graphs[n]: render_page(g), repeat) for n in sizes}


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
    data = {"nodes": net.nodes, "edges": net.edges}
    html = PHYSICS_PAGE.format(vis=vis_network_js(), data=json.dumps(data), options=net.options)
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        path = write_page(html, Path(tmp) / "physics.html")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("window.__done === true", timeout=900_000, polling=1000)
            seconds = float(page.evaluate("window.__doneAt")) / 1000
            browser.close()
    return seconds


def record(lines: list[str]) -> Path:
    """Append under '## Maps' in BENCHMARKS.md if it exists, else to benchmarks/results."""
    benchmarks_md = ROOT / "BENCHMARKS.md"
    block = "\n".join(lines)
    if benchmarks_md.exists():
        text = benchmarks_md.read_text(encoding="utf-8")
        if "## Maps" not in text:
            text = text.rstrip() + "\n\n## Maps\n\n"
        head, _, tail = text.partition("## Maps")
        body, sep, rest = tail.partition("\n## ")
        after = sep + rest if sep else ""
        updated = head + "## Maps" + body.rstrip() + "\n\n" + block + "\n" + after
        benchmarks_md.write_text(updated, encoding="utf-8")
        return benchmarks_md
    results = ROOT / "benchmarks" / "results" / "maps.md"
    results.parent.mkdir(parents=True, exist_ok=True)
    if not results.exists():
        results.write_text("# Map benchmark results (bench_maps.py)\n\n", encoding="utf-8")
    with results.open("a", encoding="utf-8") as fh:
        fh.write(block + "\n\n")
    return results


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
    data_small, page_small = weight(small)
    data_large, page_large = weight(large)
    tti = time_to_interactive(small, args.loads) if Path(CHROMIUM).exists() else []
    tti_large = time_to_interactive(large, 3) if tti else []
    load = os.getloadavg()[0]
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"### {when} · {platform.machine()} · {os.cpu_count()} cores · load {load:.1f}",
        f"- HTML generation ({small:,} nodes): {times[small] * 1000:.1f} ms "
        f"(best of {args.repeat})",
        f"- HTML generation ({large:,} nodes): {times[large] * 1000:.1f} ms; "
        f"growth time(20k)/time(2k) = {times[large] / times[small]:.1f}",
        f"- data per node: {data_small:.0f} B ({small:,}), {data_large:.0f} B ({large:,}); "
        f"whole page incl. vis-network: {page_small:.0f} B/node ({small:,}), "
        f"{page_large:.0f} B/node ({large:,})",
    ]
    if tti:
        lines.append(
            f"- time to interactive, headless chromium ({small:,} nodes): best "
            f"{min(tti):.0f} ms, median {statistics.median(tti):.0f} ms, worst {max(tti):.0f} ms "
            f"({len(tti)} loads)"
        )
        lines.append(
            f"- time to interactive ({large:,} nodes, for reference): median "
            f"{statistics.median(tti_large):.0f} ms ({len(tti_large)} loads)"
        )
    else:
        lines.append(f"- time to interactive: not measured ({CHROMIUM} absent)")
    if args.pyvis:
        lines.append(
            f"- pyvis add_node/add_edge assembly: {pyvis_assembly(small):.2f} s ({small:,}), "
            f"{pyvis_assembly(large):.2f} s ({large:,})"
        )
    if args.pyvis_physics:
        lines.append(
            f"- pyvis default options (physics on): {pyvis_physics(small):.1f} s to stabilise "
            f"{small:,} nodes in headless chromium"
        )
    print("\n".join(lines))
    if not args.no_record:
        print(f"recorded in {record(lines).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
