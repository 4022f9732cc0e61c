"""The web console: Chinese pages rendered on the server, escaped, script-free."""

from __future__ import annotations

import re

from tests.api.conftest import TOKEN

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
    assert "补链</span> 1" in html and "延链</span> 1" in html
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
        for ref in re.findall(r"""(?:src|<link[^>]*href|action)=["']([^"']+)""", html):
            assert ref.startswith(("/", "data:", "#")), f"{url}: {ref} is not local"
        for link in re.findall(r"""<a [^>]*href=["']https?:[^>]*>""", html):
            assert 'rel="noopener"' in link, "a source link opens nothing of ours to the site"


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


def test_gap_counts_agree_between_overview_and_chain_page(client) -> None:
    overview = page(client, "/")
    for chain in ("pv", "li"):
        told = re.search(rf'href="/chains/{chain}#gaps">缺口 (\d+) 个', overview)
        shown = re.search(r"缺口 <strong>(\d+)</strong> 个", page(client, f"/chains/{chain}"))
        cards = page(client, f"/chains/{chain}").count('class="card gap ')
        assert told and shown and int(told.group(1)) == int(shown.group(1)) == cards


def test_sessions_are_signed_with_the_token_and_expire(settings) -> None:
    from api.console import session

    value = session.new_session(settings, now=1_000_000)
    assert session.is_valid(settings, value, now=1_000_000 + 60)
    assert not session.is_valid(settings, value, now=1_000_000 + session.MAX_AGE + 1)
    issued, nonce, signature = value.split(".")
    assert not session.is_valid(settings, f"{issued}.{nonce}x.{signature}", now=1_000_060)
    assert not session.is_valid(settings, f"{int(issued) + 1}.{nonce}.{signature}", now=1_000_060)
    other = settings.model_copy(update={"token": None})
    assert not session.is_valid(other, value, now=1_000_060), "no token, no session"


def test_a_form_write_without_a_session_changes_nothing(client) -> None:
    form = {"owner": "张三", "next_contact": "", "csrf": ""}
    answer = client.post("/targets/film-h/pv-film/plan", data=form)
    assert answer.status_code == 401
    assert client.get("/api/firms/film-h").json()["targets"][0]["owner"] == ""


def test_segment_projects_parks_and_due_pages_render(client) -> None:
    assert "切片" in page(client, "/segments/pv-wafer")
    assert "项目" in page(client, "/projects") and "园区" in page(client, "/parks")
    assert "本周待跟进" in page(client, "/pipeline/due")
    assert "招商看板" in page(client, "/chains/pv/pipeline")


def test_the_kanban_moves_a_card_forward_and_stays_on_the_board(client) -> None:
    signed = client.post("/login", data={"token": TOKEN, "next": "/"}, follow_redirects=False)
    assert signed.status_code == 303
    board = page(client, "/chains/pv/pipeline")
    csrf = re.search(r'name="csrf" value="([^"]+)"', board)
    assert csrf and 'action="/targets/film-h/pv-film/status"' in board
    form = {"status": "洽谈中", "date": "2024-05-20", "back": "/chains/pv/pipeline"}
    moved = client.post(
        "/targets/film-h/pv-film/status",
        data={**form, "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == "/chains/pv/pipeline"
    assert client.get("/api/firms/film-h").json()["targets"][0]["status"] == "洽谈中"
    away = {**form, "status": "已签约", "back": "//evil.example", "csrf": csrf.group(1)}
    answer = client.post("/targets/film-h/pv-film/status", data=away, follow_redirects=False)
    assert answer.headers["location"] == "/", "never sent off the site"
