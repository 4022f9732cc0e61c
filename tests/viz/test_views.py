"""Every map kind (chain map, investment map, firm map, overview) in Debian's Chromium at a
laptop's 1440×900 and a phone's 390×844: labels legible at the default view, no box over
another, no sideways scroll, a tap shows a node's details, the legend folds on a phone, and
no English word or internal id in what an officer reads. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.pages import page_for
from graph import MemoryStore, NodeKind
from tests.viz.conftest import ARTIFACTS, Loaded
from tests.viz.test_browser import xining_map_ids
from viz import write_page
from viz.style import LEGIBLE_FIRM_PX, LEGIBLE_SEGMENT_PX, MIN_SCALE

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
KINDS = {  # map kind -> (mini item, Xining item)
    "chain": ("pv", "pv"),
    "investment": ("pv-map", "pv-map"),
    "firm": ("ingot-b", "trina"),
    "overview": ("overview", "overview"),
}
FIRM_GROUPS = ("local", "target", "focus")
# Latin words an officer may read: units, exchanges, brands are taken from the data itself
UNITS = {"GW", "GWh", "MW", "MWh", "kW", "kWh", "kV", "t", "km", "SH", "SZ", "BJ", "HK"}
TERMS = {"HJT", "PERC", "TOPCon", "IBC", "EVA", "POE", "PVB", "IC", "LED", "OLED", "LCD", "PCB"}
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
INTERNAL_ID = re.compile(r"\b[a-z]+_[a-z_]+\b")  # rule ids such as no_local_firm

MEASURE = """(firmGroups) => {
  const net = chainkg.network, scale = net.getScale();
  const px = { segment: [], firm: [] };
  const boxes = [];
  for (const id of chainkg.nodes.getIds()) {
    if (!chainkg.isShown(id)) continue;
    const node = net.body.nodes[id];
    const kind = firmGroups.includes(node.options.group) ? "firm" : "segment";
    px[kind].push(node.labelModule.fontOptions.size * scale);
    boxes.push([id, net.getBoundingBox(id)]);
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i][1], b = boxes[j][1];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
      overlaps.push([boxes[i][0], boxes[j][0]]);
    }
  }
  return {
    scale, overlaps,
    segment: px.segment.length ? Math.min(...px.segment) : null,
    firm: px.firm.length ? Math.min(...px.firm) : null,
    scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
  };
}"""

VISIBLE_NODE = """(groups) => {
  const net = chainkg.network, box = document.getElementById('net').getBoundingClientRect();
  for (const id of chainkg.nodes.getIds()) {
    if (!chainkg.isShown(id) || !groups.includes(net.body.nodes[id].options.group)) continue;
    const d = net.canvasToDOM(net.getPosition(id));
    if (d.x > 30 && d.y > 30 && d.x < box.width - 30 && d.y < box.height - 60) {
      return [id, box.left + d.x, box.top + d.y];
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def xining(request: pytest.FixtureRequest) -> MemoryStore:
    return request.getfixturevalue("xining_store")  # type: ignore[no-any-return]


@pytest.fixture
def view(browser: Any, tmp_path: Path) -> Iterator[Any]:
    opened: list[tuple[Any, Loaded]] = []

    def open_view(store: MemoryStore, item: str, region: str, viewport: dict[str, int]) -> Loaded:
        path = write_page(page_for(store, item, region), tmp_path / f"{region}-{item}.html")
        phone = viewport is PHONE
        context = browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone)
        loaded = Loaded(context.new_page())
        opened.append((context, loaded))
        loaded.page.goto(path.as_uri())
        loaded.page.wait_for_function("window.__chainkgReady === true", timeout=60_000)
        return loaded

    yield open_view
    for context, _ in opened:
        context.close()
    for _, loaded in opened:
        assert loaded.outside == [] and loaded.problems == [] and loaded.dialogs == []


def check_legible_and_apart(loaded: Loaded, where: str) -> dict[str, Any]:
    m = loaded.evaluate(MEASURE, list(FIRM_GROUPS))
    assert m["scale"] >= MIN_SCALE - 1e-6, where
    assert m["segment"] is None or m["segment"] >= LEGIBLE_SEGMENT_PX, (where, m)
    assert m["firm"] is None or m["firm"] >= LEGIBLE_FIRM_PX, (where, m)
    assert m["overlaps"] == [], (where, m["overlaps"][:5])
    assert m["scrollWidth"] <= m["width"], (where, "the page scrolls sideways")
    return m  # type: ignore[no-any-return]


def check_views(loaded: Loaded, viewport: dict[str, int], name: str) -> None:
    where = f"{name} at {viewport['width']}×{viewport['height']}"
    check_legible_and_apart(loaded, where)
    ARTIFACTS.mkdir(exist_ok=True)
    loaded.page.screenshot(path=str(ARTIFACTS / f"map-{name}-{viewport['width']}.png"))
    if loaded.page.locator("#f-targets").count():  # targets shown: still legible, apart
        loaded.page.check("#f-targets")
        check_legible_and_apart(loaded, where + " with targets")
    legend = loaded.page.locator("#legend")
    if viewport is PHONE:
        assert legend.evaluate("el => el.open") is False, where
        assert legend.bounding_box()["height"] < 60, where  # one folded line under the map
        canvas = loaded.page.locator("#net").bounding_box()
        assert canvas["width"] >= viewport["width"] - 2, where  # the map takes the width
    else:
        assert legend.evaluate("el => el.open") is True, where
        assert legend.bounding_box()["width"] < 0.2 * viewport["width"], where


PAN_TO = """(groups) => {
  const id = chainkg.nodes.getIds().find((id) => chainkg.isShown(id)
    && groups.includes(chainkg.network.body.nodes[id].options.group));
  if (id === undefined) return false;
  chainkg.network.moveTo({ position: chainkg.network.getPosition(id), animation: false });
  return true;
}"""


def tap_shows_details(loaded: Loaded, groups: tuple[str, ...], where: str) -> None:
    """Tap a node of ``groups`` in view (panning to one, as a user would, if none is)."""
    found = loaded.evaluate(VISIBLE_NODE, list(groups))
    if not found and loaded.evaluate(PAN_TO, list(groups)):
        found = loaded.evaluate(VISIBLE_NODE, list(groups))
    if not found:
        assert groups == FIRM_GROUPS, f"{where}: no node of {groups} on the map"
        return  # a map with no firm shown
    node_id, x, y = found
    loaded.page.touchscreen.tap(x, y)
    tip = loaded.page.locator("#tip")
    tip.wait_for(state="visible", timeout=5_000)
    full = loaded.evaluate("(id) => chainkg.data.label[chainkg.data.id.indexOf(id)]", node_id)
    assert tip.inner_text().startswith(full.split("\n")[0]), where
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, where


def readable_text(loaded: Loaded) -> str:
    """What an officer reads: the page, and every node's details as a tap shows them. Left
    out: source citations and data notes (备注), quoted as the data writes them (sources are
    shown as their site, see the hover test), and proper names (allowed by ``names_in``)."""
    texts = [loaded.evaluate("document.body.innerText")]
    for node_id in loaded.evaluate("chainkg.data.id"):
        loaded.evaluate("(id) => chainkg.showTip(id)", node_id)
        texts.append(
            loaded.evaluate(
                """() => { const tip = document.getElementById('tip').cloneNode(true);
                  tip.querySelectorAll('.src').forEach((s) => s.remove());
                  tip.querySelectorAll('dt').forEach((dt) => {
                    const key = dt.textContent;
                    if (key === '备注' || key.includes('来源')) dt.nextElementSibling.remove();
                  });
                  return tip.innerText; }"""
            )
        )
    return "\n".join(texts)


def names_in(store: MemoryStore) -> set[str]:
    """Latin words of proper names in the data (brands such as TCL, EVA/POE)."""
    words: set[str] = set()
    for kind in (NodeKind.FIRM, NodeKind.SEGMENT, NodeKind.CHAIN, NodeKind.PARK, NodeKind.MAP):
        for node in store.nodes(kind):
            for field in ("name", "full_name", "aliases", "stock_code", "description"):
                value = getattr(node, field, "")
                text = " ".join(value) if isinstance(value, tuple) else str(value)
                words |= set(WORD.findall(text))
    return words


def check_chinese(loaded: Loaded, store: MemoryStore, region: str, where: str) -> None:
    text = readable_text(loaded)
    assert not INTERNAL_ID.findall(text), (where, set(INTERNAL_ID.findall(text)))
    assert not re.search(rf"\b{re.escape(region)}\b", text), (where, "a region id is shown")
    allowed = UNITS | TERMS | names_in(store) | {"ChainKG", "chainkg"}
    english = sorted(set(WORD.findall(text)) - allowed)
    context = [re.findall(rf".{{20}}\b{w}\b.{{10}}", text)[:1] for w in english[:8]]
    assert english == [], (where, english[:20], context)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1440x900", "390x844"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_mini_map_kind_is_legible_apart_and_fits(
    kind: str, viewport: dict[str, int], loaded_store: MemoryStore, view: Any
) -> None:
    loaded = view(loaded_store, KINDS[kind][0], "xn", viewport)
    check_views(loaded, viewport, f"mini-{kind}")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1440x900", "390x844"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_xining_map_kind_is_legible_apart_and_fits(
    kind: str, viewport: dict[str, int], xining: MemoryStore, view: Any
) -> None:
    loaded = view(xining, KINDS[kind][1], "xining", viewport)
    check_views(loaded, viewport, f"xining-{kind}")


TAPPED = [*xining_map_ids(), "pv", "trina", "overview"]  # every map, a chain, a firm, overview


@pytest.mark.parametrize("item", TAPPED)
def test_a_tap_shows_the_details_of_a_segment_and_of_a_firm(
    item: str, xining: MemoryStore, view: Any
) -> None:
    loaded = view(xining, item, "xining", PHONE)
    kind = item
    if kind == "overview":
        tap_shows_details(loaded, ("chain",), kind)
        return
    tap_shows_details(loaded, ("present", "weak", "missing", "own", "external", "neighbour"), kind)
    loaded.page.touchscreen.tap(5, loaded.page.locator("#net").bounding_box()["y"] + 5)
    tap_shows_details(loaded, FIRM_GROUPS, kind)


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_english_or_internal_id_in_what_an_officer_reads(
    kind: str, xining: MemoryStore, view: Any
) -> None:
    loaded = view(xining, KINDS[kind][1], "xining", LAPTOP)
    check_chinese(loaded, xining, "xining", kind)
