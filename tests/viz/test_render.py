"""The page as bytes: self-contained, no external reference, data that cannot break out of its
script element, only our own scripts allowed to run, and the same bytes for the same graph."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from api.pages import Pages
from graph import MemoryStore
from loaders import load_dataset
from tests.viz.conftest import XINING
from viz import render_page, write_page
from viz.facts import SOURCE_KEY
from viz.render import script_safe_json
from viz.synthetic import synthetic_graph
from viz.vendor import VIS_NETWORK

DATA = re.compile(r'<script type="application/json" id="chainkg-data">(.*?)</script>', re.S)
SCRIPTS = re.compile(r"<script>(.*?)</script>", re.S)
RESOURCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import|\bimport\s*\(|fetch\s*\(|XMLHttpRequest""",
    re.I,
)


@pytest.fixture
def pv_page(pages: Pages) -> str:
    return render_page(pages.map_graph("pv", "pv-map"))


def page_data(html: str) -> dict:  # type: ignore[type-arg]
    found = DATA.search(html)
    assert found, "the page has no data block"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_no_http_url_appears_anywhere_in_a_page(pv_page: str) -> None:
    # the mini dataset's firms cite https://example.org/... : shown as text, never fetchable
    assert re.findall(r"https?://", pv_page) == []
    assert "https://example.org/b（2023年，已核实）" in json.dumps(
        page_data(pv_page), ensure_ascii=False
    )


def test_a_page_references_no_resource_outside_itself(pv_page: str) -> None:
    assert RESOURCE.findall(pv_page) == []
    assert "<link" not in pv_page and "<iframe" not in pv_page


def test_the_vendored_vis_network_is_inlined_whole(pv_page: str) -> None:
    vendored = VIS_NETWORK.read_text(encoding="utf-8")
    inlined = max(SCRIPTS.findall(pv_page), key=len)
    assert len(inlined) > 600_000
    lines = [line for line in vendored.splitlines() if not line.startswith("//# sourceMappingURL")]
    assert inlined.replace(":\\/\\/", "://") == "\n".join(lines)
    assert (VIS_NETWORK.parent / "LICENSE-MIT").exists()
    assert (VIS_NETWORK.parent / "LICENSE-APACHE-2.0").exists()


def test_only_the_inlined_scripts_may_run(pv_page: str) -> None:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', pv_page)
    assert policy, "no Content-Security-Policy"
    csp = html.unescape(policy.group(1))
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    scripts = SCRIPTS.findall(pv_page)
    digests = {
        base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts
    }
    assert len(scripts) == 2 and digests == allowed
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src


HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "<!--<script>",
    "a\u2028b\u2029c",
    "&lt;b&gt;",
)


@pytest.mark.parametrize("text", HOSTILE)
def test_script_safe_json_round_trips_and_cannot_close_the_script(text: str) -> None:
    encoded = script_safe_json({"name": text})
    assert not re.search(r"[<>&\u2028\u2029]", encoded)
    assert json.loads(encoded) == {"name": text}


SCRIPT_CLOSER = "</script><script>alert(2)</script>"
MARKUP = "<b onmouseover=alert(3)>"


def hostile_store(mini_copy: Path) -> MemoryStore:
    """The mini dataset with a local firm, a target and a segment named to attack the page."""
    firms = mini_copy / "local_firms.csv"
    firms.write_text(
        firms.read_text(encoding="utf-8").replace("甲硅业,", '"<img src=x onerror=alert(1)>",'),
        encoding="utf-8",
    )
    targets = mini_copy / "targets.csv"
    targets.write_text(
        targets.read_text(encoding="utf-8").replace(
            "辛胶膜,", "</script><script>alert(2)</script>,"
        ),
        encoding="utf-8",
    )
    chain = mini_copy / "chains" / "pv.yaml"
    chain.write_text(
        chain.read_text(encoding="utf-8").replace(
            "name: 切片", "name: '<b onmouseover=alert(3)>切片'"
        ),
        encoding="utf-8",
    )
    store = MemoryStore()
    load_dataset(mini_copy, store)
    return store


def test_hostile_names_stay_text_in_the_page_bytes(mini_copy: Path) -> None:
    html = render_page(Pages(hostile_store(mini_copy), "xn").map_graph("pv", "pv-map"))
    assert "<img src=x" not in html and "<script>alert" not in html and "<b onmouseover" not in html
    labels = set(page_data(html)["label"])
    assert {"<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>"} <= labels
    assert "<b onmouseover=alert(3)>切片" in labels


def test_titles_and_notes_are_escaped_in_the_html(mini_copy: Path) -> None:
    maps = mini_copy / "maps.yaml"
    maps.write_text(
        maps.read_text(encoding="utf-8").replace("name: 光伏制造招商图谱", "name: '<i>光伏</i>'"),
        encoding="utf-8",
    )
    store = MemoryStore()
    load_dataset(mini_copy, store)
    html = render_page(Pages(store, "xn").map_graph("pv", "pv-map"))
    assert "<title>&lt;i&gt;光伏&lt;/i&gt;</title>" in html
    assert "<i>光伏" not in html


RENDER = """
import sys
from api.pages import page_for
from graph import MemoryStore
from loaders import load_dataset
store = MemoryStore()
load_dataset(sys.argv[1], store)
sys.stdout.buffer.write(page_for(store, sys.argv[2], sys.argv[3]).encode("utf-8"))
"""


@pytest.mark.parametrize("item", ["pv-map", "overview", "ingot-b"])
def test_the_same_graph_gives_the_same_bytes_in_every_process(
    mini_dataset: Path, item: str
) -> None:
    """Two processes with different string hashing (set order) write identical pages."""
    pages = [_render_elsewhere(mini_dataset, item, "xn", seed) for seed in ("1", "2")]
    assert pages[0] == pages[1]
    assert len(pages[0]) > 600_000


def test_the_xining_pv_map_is_the_same_bytes_in_every_process(xining_store: MemoryStore) -> None:
    pages = [_render_elsewhere(XINING, "pv-map", "xining", seed) for seed in ("3", "4")]
    assert pages[0] == pages[1]


def _render_elsewhere(dataset: Path, item: str, region: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", RENDER, str(dataset), item, region],
        env=env,
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return done.stdout


def test_a_page_carries_at_most_a_fifth_of_a_kibibyte_of_data_per_node() -> None:
    # bytes, not time: deterministic, so it is asserted here (timings live in benchmarks/)
    for nodes in (2_000, 20_000):
        data = DATA.search(render_page(synthetic_graph(nodes)))
        assert data is not None
        assert len(data.group(1).encode("utf-8")) / nodes <= 204.8


def test_long_tooltip_values_travel_once_in_a_shared_table(pv_page: str) -> None:
    data = page_data(pv_page)
    i = data["id"].index("ingot-b")
    start = 2 * sum(data["factCount"][:i])
    facts = data["facts"][start : start + 2 * data["factCount"][i]]
    values = [v if isinstance(v, str) else data["strings"][v] for v in facts[1::2]]
    pairs = list(zip([data["keys"][k] for k in facts[::2]], values, strict=True))
    assert ("全称", "乙光伏科技有限公司") in pairs  # short: inline
    source = "https://example.org/b（2023年，已核实）"
    assert (SOURCE_KEY, source) in pairs
    assert data["strings"].count(source) == 1 and source not in data["facts"]


def test_write_page_replaces_a_file_whole_or_not_at_all(tmp_path: Path, pv_page: str) -> None:
    target = write_page("old", tmp_path / "map.html")
    with pytest.raises(TypeError):
        write_page(None, target)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    write_page(pv_page, target)
    assert target.read_bytes() == pv_page.encode("utf-8")
