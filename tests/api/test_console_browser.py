"""The console in a real (Debian) Chromium, offline: no failed request, no console error,
and a hostile firm name imported through the API stays text."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from tests.api.conftest import TOKEN

CHROMIUM = Path("/usr/bin/chromium")
XSS = "<script>alert(1)</script>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(settings: Settings, loaded_store: MemoryStore) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 in a background thread."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(settings, store=loaded_store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


class Watched:
    """A page whose failed requests, console errors and dialogs are recorded."""

    def __init__(self, page) -> None:  # noqa: ANN001 - playwright Page
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("requestfailed", lambda r: self.problems.append(f"failed {r.url}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error {e}"))
        page.on(
            "console",
            lambda m: self.problems.append(f"console {m.text}") if m.type == "error" else None,
        )
        page.on("response", self._on_response)
        page.on("dialog", self._on_dialog)

    def _on_response(self, response) -> None:  # noqa: ANN001
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    def _on_dialog(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Watched]:
    context = chromium.new_context()
    page = context.new_page()
    blocked: list[str] = []

    def only_loopback(route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_loopback)
    watched = Watched(page)
    yield watched
    context.close()
    assert blocked == [], f"the page tried to reach outside: {blocked}"


def test_overview_and_chain_page_render_offline_without_errors(server, browser_page) -> None:
    browser_page.open(server + "/")
    assert browser_page.page.locator(".chain-card").count() == 2
    assert browser_page.page.locator("progress").count() == 2
    overview_map = browser_page.page.frame_locator("iframe.map").locator("canvas")
    overview_map.first.wait_for(timeout=15_000)
    browser_page.page.click("text=光伏制造")
    browser_page.page.wait_for_load_state("networkidle")
    assert browser_page.page.url.endswith("/chains/pv")
    assert browser_page.page.locator(".gap").count() == 7
    assert browser_page.page.locator("a:has-text('导出Excel')").count() == 1
    drawn = browser_page.page.frame_locator("iframe.map").locator("canvas")
    drawn.first.wait_for(timeout=15_000)  # the interactive map rendered inside the page
    assert browser_page.problems == []


def test_docs_render_offline(server, browser_page) -> None:
    browser_page.open(server + "/docs")
    browser_page.page.wait_for_selector(".opblock-summary", timeout=15_000)
    assert browser_page.page.locator(".opblock").count() >= 15
    assert browser_page.problems == []


def test_hostile_firm_name_imported_through_the_api_is_shown_as_text(server, browser_page) -> None:
    csv = (
        "firm_id,short_name,full_name,segment,priority,source,year\n"
        f"xss-firm,{XSS},{XSS},pv-film,1,x,2024\n"
    )
    response = httpx.post(
        server + "/api/import/targets",
        files={"file": ("targets.csv", csv.encode(), "text/csv")},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200, response.text
    for url in ("/firms/xss-firm", "/chains/pv", "/search?q=script"):
        browser_page.open(server + url)
        assert XSS in browser_page.page.inner_text("main"), f"{url} shows the name as text"
    assert browser_page.dialogs == [], "no script ran"
    assert browser_page.problems == []
