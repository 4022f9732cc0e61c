"""The web console: Chinese pages rendered on the server, escaped, script-free."""

from __future__ import annotations

import re

XSS = "<script>alert(1)</script>"


def page(client, url: str) -> str:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    return response.text


def test_overview_shows_every_chain_with_completeness_gaps_and_kpis(client) -> None:
    html = page(client, "/")
    assert "光伏制造" in html and "锂动力及储能电池" in html
    assert html.count("<progress") == 2, "one completeness bar per chain"
    assert "补链 1" in html and "延链 1" in html
    assert "靶向企业" in html and "157" in html, "stated KPI with its figure"
    assert 'href="/api/targets/export.xlsx"' in html, "one button exports every chain"


def test_chain_page_has_stages_gap_cards_targets_and_export(client) -> None:
    html = page(client, "/chains/pv")
    for label in ("上游", "中游", "下游", "已有", "薄弱", "缺失"):
        assert label in html
    assert "EVA/POE胶膜" in html and "为本地组件配套" in html, "gap card with its reason"
    assert "https://example.org/b" in html, "evidence names its source"
    assert 'href="/api/chains/pv/targets.xlsx"' in html and "导出Excel" in html
    assert 'href="/firms/film-h"' in html, "ranked table links to the firm page"


def test_firm_page_shows_identity_operations_and_neighbours(client) -> None:
    html = page(client, "/firms/ingot-b")
    assert "乙光伏科技有限公司" in html and "本地企业" in html
    assert "单晶拉棒" in html and "甲园区" in html
    assert 'href="/firms/poly-a"' in html, "upstream neighbour's local firm is linked"


def test_search_finds_firms_and_segments(client) -> None:
    html = page(client, "/search?q=硅")
    assert 'href="/firms/poly-a"' in html and 'href="/firms/wafer-i"' in html
    assert "多晶硅" in html, "segments match too"
    local_only = page(client, "/search?q=硅&local=true")
    assert 'href="/firms/wafer-i"' not in local_only


def test_empty_search_shows_just_the_form(client) -> None:
    html = page(client, "/search")
    assert 'name="q"' in html and "没有匹配" not in html


def test_pages_use_no_script_and_no_external_resource(client) -> None:
    for url in ("/", "/chains/pv", "/chains/li", "/firms/cell-c", "/search?q=a"):
        html = page(client, url)
        assert "<script" not in html.lower()
        for ref in re.findall(r"""(?:src|href|action)=["']([^"']+)""", html):
            assert ref.startswith(("/", "data:", "#")), f"{url}: {ref} is not local"


def test_user_data_is_escaped_everywhere_it_appears(client, auth) -> None:
    csv = (
        "firm_id,short_name,full_name,aliases,segment,rationale,source,year\n"
        f'xss-firm,{XSS},"<img src=x onerror=alert(2)>",{XSS},pv-film,{XSS},{XSS},2024\n'
    )
    files = {"file": ("targets.csv", csv.encode(), "text/csv")}
    assert client.post("/api/import/targets", files=files, headers=auth).status_code == 200
    for url in ("/firms/xss-firm", "/chains/pv", "/search?q=script"):
        html = page(client, url)
        assert XSS not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS in client.get("/api/firms/xss-firm").json()["firm"]["name"], "stored as given"


def test_search_query_is_escaped_in_the_form(client) -> None:
    html = page(client, '/search?q="><script>alert(3)</script>')
    assert "<script>alert(3)" not in html and "&#34;&gt;&lt;script&gt;" in html


def test_console_stylesheet_is_served_locally(client) -> None:
    response = client.get("/console/static/console.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert "@import" not in response.text and "url(http" not in response.text
