"""Every console page in Debian's Chromium at 1440×900 and 390×844, against a real server
(subprocess, 127.0.0.1, a real data file, the Xining dataset): no horizontal scroll, no
English or ids in visible text, gap cards naming their targets, the pipeline round trip
through the forms surviving a restart, uploads showing their problems, forgiving search.
Screenshots of every page go to test-artifacts/console/ (kept by CI)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph import Firm, Segment
from loaders import read_dataset
from tests.api.console_server import REPO, TOKEN, XINING, Server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "console"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
PAGES = {
    "overview": "/",
    "chain-pv": "/chains/pv",
    "chain-pv-wafers": "/chains/pv?segment=pv-wafer&sort=score",
    "chain-lithium": "/chains/lithium",
    "chain-alloy": "/chains/alloy",
    "chain-electronic": "/chains/electronic",
    "chain-biomed": "/chains/biomed",
    "chain-plateau": "/chains/plateau",
    "segment": "/segments/pv-wafer",
    "firm": "/firms/t-601012",
    "search": "/search?q=longi",
    "projects": "/projects",
    "projects-filtered": "/projects?type=补链",
    "parks": "/parks",
    "kanban": "/chains/pv/pipeline",
    "due": "/pipeline/due",
    "upload": "/upload",
    "login": "/login",
    "simulate": "/simulate?firm=t-601012&segment=pv-wafer",
    "not-found": "/chains/solar",
}
# Latin words a page may show besides those in the data's own names: units and named formats.
ALLOWED = {"ChainKG", "GW", "GWh", "MW", "Excel", "CSV", "PDF", "UTF-8", "zip", "SH", "SZ", "BJ"}
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin"),
]


@pytest.fixture(scope="module")
def data_words() -> set[str]:
    """Latin words in the names of the data itself (brands such as TCL, units such as GW)."""
    batch = read_dataset(XINING).batch
    texts: list[str] = []
    for node in batch.nodes:
        texts.append(node.name)
        if isinstance(node, Firm):
            texts += [node.full_name, *node.aliases, node.stock_code]
        if isinstance(node, Segment):
            texts += [*node.aliases, node.unit]
    texts += [getattr(e, "unit", "") for e in batch.edges]
    return {w for t in texts for w in LATIN.findall(t)} | ALLOWED


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("console") / "store.data").start()
    yield running
    running.stop()


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Any]:
    """``open_page(url, size)``: a page at that viewport; fails on any failed request,
    console error or request leaving 127.0.0.1."""
    contexts, problems = [], []

    def opener(url: str, size: str = "desktop", **options: Any) -> Any:
        width, height = SIZES[size]
        context = chromium.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://127.0.0.1", "data:"))
                else (problems.append(f"outside {route.request.url}"), route.abort())
            ),
        )
        page.on("pageerror", lambda e: problems.append(f"page error {e}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="networkidle")
        return page

    yield opener
    for context in contexts:
        context.close()
    # pages answering 404 (unknown id) or 422 (an upload's problems) on purpose say so
    assert [p for p in problems if "status of 404" not in p and "status of 422" not in p] == []


def sign_in(page: Any, server: Server) -> None:
    page.goto(server.url + "/login?next=/", wait_until="networkidle")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("button:has-text('退出登录')").count() == 1


def visible_text(page: Any) -> str:
    """The page's visible text, sources' domains (the short form of a URL) aside."""
    text: str = page.evaluate(
        """() => { const hidden = [...document.querySelectorAll('.src')];
                   hidden.forEach(e => e.style.display = 'none');
                   const text = document.body.innerText;
                   hidden.forEach(e => e.style.display = '');
                   return text; }"""
    )
    return text


def english_words(page: Any, allowed: set[str]) -> list[str]:
    text = visible_text(page)
    return sorted({w for w in LATIN.findall(text) if w not in allowed})


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_the_screen_and_speaks_chinese(
    server: Server, open_page: Any, data_words: set[str], name: str, size: str
) -> None:
    page = open_page(server.url + PAGES[name], size)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0], f"{name} is {width}px wide at {size}"
    title = page.locator("h1").first.bounding_box()
    assert title and title["width"] > 150 and title["height"] < 100, "the title reads across"
    assert english_words(page, data_words) == [], name
    text = visible_text(page)
    for leak in ("seed article", "company.json", "no_local_firm", "unknown", "xining"):
        assert leak not in text, f"{name}: {leak}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{size}.png", full_page=True)


def test_gap_cards_name_and_link_their_top_targets(server: Server, open_page: Any) -> None:
    page = open_page(server.url + "/chains/pv")
    cards = page.locator(".card.gap")
    assert cards.count() >= 10
    for i in range(cards.count()):
        card = cards.nth(i)
        if card.locator("ol.top-targets").count():
            assert 1 <= card.locator("ol.top-targets a[href^='/firms/']").count() <= 3
            assert "segment=" in (card.locator("a.more").get_attribute("href") or "")
    wafers = page.locator(".card.gap", has=page.locator("a[href='/segments/pv-wafer']"))
    names = wafers.locator("ol.top-targets a").all_inner_texts()
    assert names, "the wafer gap names whom to call"
    wafers.locator("a.more").click()
    page.wait_for_load_state("networkidle")
    segments = page.locator("table.targets tbody td[data-label='环节']").all_inner_texts()
    assert segments and set(segments) == {"切片"}
    firms = page.locator("table.targets tbody td[data-label='企业'] a").all_inner_texts()
    assert firms[: len(names)] == names, "the card's targets head the filtered list"


def test_main_chain_map_comes_first(server: Server, open_page: Any) -> None:
    page = open_page(server.url + "/chains/pv")
    assert page.locator("iframe.map").get_attribute("src") == "/api/maps/pv-map/html"


def test_target_table_filters_and_sorts_without_javascript(server: Server, open_page: Any) -> None:
    page = open_page(server.url + "/chains/pv", java_script_enabled=False)
    page.select_option("form.filters select[name=province]", "江苏省")
    page.select_option("form.filters select[name=sort]", "score")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "province=" in page.url
    provinces = page.locator("td[data-label='省份']").all_inner_texts()
    assert provinces and set(provinces) == {"江苏省"}
    scores = [float(s) for s in page.locator("td[data-label='总分']").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    details = page.locator("table.targets details").first
    assert details.get_attribute("open") is None, "score breakdown and sources fold away"


@pytest.mark.parametrize(
    ("query", "firm"),
    [
        ("龙基", "隆基绿能"),
        ("longi", "隆基绿能"),
        ("longji", "隆基绿能"),
        ("ljln", "隆基绿能"),
        ("ＴＣＬ中环", "TCL中环"),
        ("tcl zhonghuan", "TCL中环"),
        ("中坏", "TCL中环"),
    ],
)
def test_search_forgives_typos_pinyin_and_full_width(
    server: Server, open_page: Any, query: str, firm: str
) -> None:
    page = open_page(f"{server.url}/search?q={query}")
    first = page.locator("table.firms tbody tr").first
    assert first.locator("td[data-label='简称'] a").inner_text() == firm
    if query in ("龙基", "longi", "中坏"):
        assert page.locator(".did-you-mean a").inner_text() == firm
    segments = first.locator("td[data-label='环节'] a").all_inner_texts()
    assert segments and len(segments) == len(set(segments)), "each segment once"


def test_segment_results_link_to_their_page_and_list_firms(server: Server, open_page: Any) -> None:
    page = open_page(server.url + "/search?q=硅片")
    item = page.locator("ul.segments li", has=page.locator("a[href='/segments/pv-wafer']"))
    assert item.locator("a[href^='/firms/']").count() >= 3
    item.locator("a[href='/segments/pv-wafer']").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("切片")


def test_an_upload_with_problems_lists_them_in_a_table(
    server: Server, open_page: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "targets.csv"
    bad.write_text(
        "firm_id,short_name,full_name,segment,priority,source\n"
        "t-x1,某企业,某企业有限公司,pv-wafr,1,https://example.org\n"
        "t-x2,另一企业,另一企业有限公司,pv-wafer,7,https://example.org\n",
        encoding="utf-8",
    )
    page = open_page(server.url + "/")
    sign_in(page, server)
    page.goto(server.url + "/upload", wait_until="networkidle")
    form = page.locator("form[action='/upload/targets']")
    form.locator("input[type=file]").set_input_files(str(bad))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("table.problems tbody tr")
    assert rows.count() >= 2
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    assert any(c[0] == "targets.csv" and c[1] == "2" and c[2] == "segment" for c in cells)
    assert any(c[1] == "3" and c[2] == "priority" for c in cells)
    assert httpx.get(server.url + "/api/firms/t-x2").status_code == 404, "nothing written"


def this_week(today: dt.date) -> str:
    """A day of this week, from today on (Sunday stays Sunday)."""
    return min(
        today + dt.timedelta(days=1), today + dt.timedelta(days=6 - today.weekday())
    ).isoformat()


def test_the_pipeline_round_trip_through_the_forms_survives_a_restart(
    chromium: Any, tmp_path: Path
) -> None:
    server = Server(tmp_path / "store.data").start()
    try:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        sign_in(page, server)
        cookie = next(c for c in context.cookies() if c["name"] == "chainkg_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        page.goto(server.url + "/firms/t-601012", wait_until="networkidle")
        entry = page.locator("#t-pv-module")
        entry.locator("form.status-form select[name=status]").select_option("已接触")
        entry.locator("form.status-form input[name=date]").fill("2024-05-02")
        entry.locator("form.status-form input[name=note]").fill("首次电话")
        entry.locator("form.status-form button").click()
        page.wait_for_load_state("networkidle")
        next_date = this_week(dt.date.today())
        entry = page.locator("#t-pv-module")
        entry.locator("form.plan-form input[name=owner]").fill("王科长")
        entry.locator("form.plan-form input[name=next_contact]").fill(next_date)
        entry.locator("form.plan-form button").click()
        page.wait_for_load_state("networkidle")
        entry = page.locator("#t-pv-module")
        entry.locator("form.followup-form input[name=date]").fill("2024-05-03")
        entry.locator("form.followup-form textarea[name=text]").fill("寄送园区资料，约下周拜访")
        entry.locator("form.followup-form button").click()
        page.wait_for_load_state("networkidle")
        context.close()

        server.stop()
        server.start()

        context = chromium.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(server.url + "/firms/t-601012", wait_until="networkidle")
        entry = page.locator("#t-pv-module")
        assert "已接触" in entry.locator("h3").inner_text()
        assert entry.locator(".owner").inner_text() == "王科长"
        assert entry.locator(".next-contact").inner_text() == next_date
        assert "寄送园区资料，约下周拜访" in entry.locator("ul.followups").inner_text()
        page.goto(server.url + "/pipeline/due", wait_until="networkidle")
        assert "隆基绿能" in page.locator("table.due").inner_text()
        page.goto(server.url + "/chains/pv/pipeline", wait_until="networkidle")
        column = page.locator("section.column", has=page.locator("h2:has-text('已接触')"))
        assert "隆基绿能" in column.inner_text() and "王科长" in column.inner_text()
        context.close()
        export = httpx.get(server.url + "/api/targets/pipeline.csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(export)))
        row = next(r for r in rows if r["企业"] == "隆基绿能" and r["环节"] == "组件")
        assert (row["状态"], row["状态日期"], row["状态说明"]) == (
            "已接触",
            "2024-05-02",
            "首次电话",
        )
        assert (row["负责人"], row["下次联系"], row["跟进次数"]) == ("王科长", next_date, "1")
        assert row["最近跟进"] == "2024-05-03 寄送园区资料，约下周拜访"
    finally:
        server.stop()


def test_console_writes_need_a_session_and_its_csrf_token(server: Server) -> None:
    form = {"owner": "张三", "next_contact": "", "csrf": "forged"}
    url = server.url + "/targets/t-601012/pv-wafer/plan"
    assert httpx.post(url, data=form).status_code == 401
    with httpx.Client(base_url=server.url) as client:
        signed = client.post("/login", data={"token": TOKEN, "next": "/"})
        assert signed.status_code == 303
        assert client.post(url, data=form).status_code == 403, "a forged CSRF token is refused"
        assert client.post("/login", data={"token": "wrong"}).status_code == 401
    entry = httpx.get(server.url + "/api/firms/t-601012").json()["targets"]
    assert all(t["owner"] == "" for t in entry), "nothing was written"


def test_the_chain_page_prints_as_a_clean_brief(server: Server, open_page: Any) -> None:
    page = open_page(server.url + "/chains/pv")
    page.emulate_media(media="print")
    for hidden in ("header.top", "iframe.map", "form.filters", "footer"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is not printed"
    assert page.locator(".card.gap").first.is_visible()
    assert page.locator("table.targets").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "chain-pv-report.pdf"), format="A4")
    assert pdf[:4] == b"%PDF"
