"""Fixtures of the map tests: analysed chains of the mini dataset, the Xining dataset when it
is there, and a real headless Chromium (Debian's) that may only read ``file:`` URLs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api.pages import Pages
from graph import MemoryStore, NodeKind
from loaders import load_dataset

XINING = Path(__file__).resolve().parents[2] / "data" / "xining"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def expected_map_contents(store: MemoryStore, map_id: str, region: str) -> tuple[set, set]:  # type: ignore[type-arg]
    """Node ids and (src, dst, relation) triples a map must show, straight from the store:
    its segments, the segments SUPPLIES links connect them to, the operations in the region
    and the target-list entries of its segments."""
    shown = set(store.get(map_id, NodeKind.MAP).segments)  # type: ignore[union-attr]
    links = store.supplies_touching(shown)
    context = {end for s in links for end in (s.src, s.dst)} - shown
    operations = store.operations(shown, region)
    targets = store.targets(shown)
    nodes = shown | context | {op.src for op in operations} | {t.src for t in targets}
    edges = {(s.src, s.dst, "SUPPLIES") for s in links}
    edges |= {(op.src, op.dst, "OPERATES_IN") for op in operations}
    edges |= {(t.src, t.dst, "TARGETED_FOR") for t in targets}
    return nodes, edges


@pytest.fixture
def pages(loaded_store: MemoryStore) -> Pages:
    """Map pages of the mini dataset, for its focus region ``xn``."""
    return Pages(loaded_store, "xn")


@pytest.fixture(scope="session")
def xining_store() -> MemoryStore:
    """The Xining reference dataset, loaded once (read-only: do not write to it)."""
    if not (XINING / "maps.yaml").exists():
        pytest.skip(f"{XINING} is not there yet: the eleven-map tests need the Xining dataset")
    store = MemoryStore()
    load_dataset(XINING, store)
    return store


class Loaded:
    """A map page open in the browser, with everything that went wrong while it ran."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.outside: list[str] = []  # requests for anything but a file: URL (all blocked)
        self.dialogs: list[str] = []
        page.on("requestfailed", lambda r: self.problems.append(f"failed request {r.url}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error {e}"))
        page.on("console", self._console)
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def ids(self) -> set[str]:
        return set(self.evaluate("chainkg.nodes.getIds()"))

    def node(self, node_id: str) -> dict[str, Any]:
        return self.evaluate("(id) => chainkg.nodes.get(id)", node_id)  # type: ignore[no-any-return]

    def click_node(self, node_id: str) -> None:
        """Click where the node is drawn on the canvas."""
        x, y = self.evaluate(
            """(id) => { const p = chainkg.network.getPosition(id);
                         const d = chainkg.network.canvasToDOM(p);
                         const box = document.getElementById('net').getBoundingClientRect();
                         return [box.left + d.x, box.top + d.y]; }""",
            node_id,
        )
        self.page.mouse.click(x, y)

    def hover_node(self, node_id: str) -> None:
        x, y = self.evaluate(
            """(id) => { const d = chainkg.network.canvasToDOM(chainkg.network.getPosition(id));
                         const box = document.getElementById('net').getBoundingClientRect();
                         return [box.left + d.x, box.top + d.y]; }""",
            node_id,
        )
        self.page.mouse.move(x - 40, y - 40)
        self.page.mouse.move(x, y, steps=4)


@pytest.fixture(scope="session")
def browser(chromium: Any) -> Any:
    return chromium


@pytest.fixture
def open_map(browser: Any) -> Iterator[Callable[..., Loaded]]:
    """Open an exported page from disk; fails the test on any request that is not a file,
    any failed request, console error or warning, or page error."""
    opened: list[Loaded] = []

    def open_file(path: Path, network: bool = True) -> Loaded:
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        loaded = Loaded(page)
        opened.append(loaded)
        page.goto(path.resolve().as_uri())
        if network:  # the index page has none
            page.wait_for_function("window.__chainkgReady === true", timeout=60_000)
        return loaded

    yield open_file
    for loaded in opened:
        loaded.page.close()
    for loaded in opened:
        assert loaded.outside == [], f"the page tried to reach outside: {loaded.outside}"
        assert loaded.problems == [], f"the page had problems: {loaded.problems}"
        assert loaded.dialogs == [], f"the page opened dialogs: {loaded.dialogs}"
