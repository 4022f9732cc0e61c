"""Read routes over the mini dataset: chains, segments, firms, maps, projects, KPIs."""

from __future__ import annotations

import re

import pytest


def test_chains_list_counts_and_completeness(client) -> None:
    chains = {c["id"]: c for c in client.get("/api/chains").json()}
    assert set(chains) == {"pv", "li"}
    pv = chains["pv"]
    assert pv["name"] == "光伏制造"
    assert pv["segments"] == 7, "six own segments plus the shared copper foil"
    assert pv["maps"] == 1
    assert pv["local_firms"] == 4 and pv["target_firms"] == 2
    assert 0 < pv["completeness"] < 1
    assert set(pv["gaps"]) == {"补链", "强链", "延链"}


def test_chains_for_another_region_see_no_local_firms(client) -> None:
    pv = next(c for c in client.get("/api/chains?region=other").json() if c["id"] == "pv")
    assert pv["local_firms"] == 0


def test_chain_detail_has_segments_links_and_maps(client) -> None:
    body = client.get("/api/chains/li").json()
    assert body["chain"]["name"] == "锂动力及储能电池"
    assert [s["id"] for s in body["segments"]] == [
        "li-anode",
        "li-cathode",
        "li-cell",
        "li-ess",
        "li-foil",
    ]
    links = {(link["src"], link["dst"]) for link in body["links"]}
    assert ("pv-module", "li-ess") in links, "cross-chain supplier is part of the chain's links"
    assert [m["id"] for m in body["maps"]] == ["li-map"]


def test_segment_expansion_follows_supplies_to_the_requested_depth(client) -> None:
    one = client.get("/api/segments/pv-wafer").json()
    assert [h["segment"]["id"] for h in one["upstream"]] == ["pv-ingot"]
    assert [h["segment"]["id"] for h in one["downstream"]] == ["pv-cell"]
    deep = client.get("/api/segments/pv-wafer?upstream=3&downstream=3").json()
    assert [(h["segment"]["id"], h["depth"]) for h in deep["upstream"]] == [
        ("pv-ingot", 1),
        ("pv-poly", 2),
    ]
    down = [(h["segment"]["id"], h["depth"], h["other_chain"]) for h in deep["downstream"]]
    assert down == [("pv-cell", 1, False), ("pv-module", 2, False), ("li-ess", 3, True)]


def test_segment_depth_zero_gives_the_segment_alone(client) -> None:
    body = client.get("/api/segments/pv-cell?upstream=0&downstream=0").json()
    assert body["upstream"] == [] and body["downstream"] == []
    assert body["maps"] == ["pv-map"]
    assert [op["firm"] for op in body["local_operations"]] == ["cell-c"]
    assert body["local_operations"][0]["site_name"] == "乙园区"


def test_segment_lists_its_target_entries(client) -> None:
    body = client.get("/api/segments/pv-film").json()
    assert [(t["firm"], t["status"]) for t in body["targets"]] == [("film-h", "已接触")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=丙能源股份", ["cell-c"]),  # full name
        ("q=庚负极", ["anode-g"]),  # short name
        ("q=硅", ["poly-a", "wafer-i"]),  # substring of several names
        ("q=CELL-C", ["cell-c"]),  # ids too, any case
        ("segment=pv-wafer", ["ingot-b", "wafer-i"]),  # operating or targeted
        ("local=true&q=电池", ["cell-f"]),
        ("local=false", ["anode-g", "film-h", "wafer-i"]),
        ("region=other", []),
        ("region=xn&q=甲", ["poly-a"]),
        ("region=xn", ["cathode-d", "cell-c", "cell-f", "foil-e", "ingot-b", "poly-a"]),
    ],
)
def test_firm_search_and_filters(client, query: str, expected: list[str]) -> None:
    body = client.get(f"/api/firms?{query}").json()
    assert [f["id"] for f in body["items"]] == expected
    assert body["total"] == len(expected)


def test_firm_search_matches_aliases(client, auth) -> None:
    csv = (
        "firm_id,short_name,full_name,aliases,segment,source,year\n"
        "alias-x,某企业,某某材料股份有限公司,老字号;别称乙,pv-film,https://example.org/x,2024\n"
    )
    files = {"file": ("targets.csv", csv.encode(), "text/csv")}
    assert client.post("/api/import/targets", files=files, headers=auth).status_code == 200
    assert [f["id"] for f in client.get("/api/firms?q=别称乙").json()["items"]] == ["alias-x"]


def test_firm_search_pages(client) -> None:
    first = client.get("/api/firms?limit=2").json()
    second = client.get("/api/firms?limit=2&offset=2").json()
    assert first["total"] == second["total"] == 9
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert not {f["id"] for f in first["items"]} & {f["id"] for f in second["items"]}


def test_firm_detail_has_operations_targets_projects_and_neighbourhood(client) -> None:
    body = client.get("/api/firms/ingot-b").json()
    assert body["firm"]["full_name"] == "乙光伏科技有限公司"
    assert body["local"] is True
    assert {op["segment"] for op in body["operations"]} == {"pv-ingot", "pv-wafer"}
    assert [p["id"] for p in body["projects"]] == ["proj-ingot"]
    around = {(n["of"], n["relation"], n["segment"]["id"]) for n in body["neighbourhood"]}
    assert ("pv-ingot", "upstream", "pv-poly") in around
    assert ("pv-wafer", "downstream", "pv-cell") in around
    poly = next(n for n in body["neighbourhood"] if n["segment"]["id"] == "pv-poly")
    assert poly["local_firms"] == ["poly-a"]


def test_target_firm_detail_is_not_local(client) -> None:
    body = client.get("/api/firms/film-h").json()
    assert body["local"] is False
    assert [(t["segment"], t["priority"]) for t in body["targets"]] == [("pv-film", 1)]


def test_maps_list_and_detail(client) -> None:
    assert [m["id"] for m in client.get("/api/maps").json()] == ["li-map", "pv-map"]
    body = client.get("/api/maps/pv-map").json()
    assert body["map"]["certainty"] == "reconstructed"
    assert len(body["segments"]) == 6
    links = {(link["src"], link["dst"]) for link in body["links"]}
    assert ("pv-film", "pv-module") in links
    assert all(src != "pv-module" or dst != "li-ess" for src, dst in links), "only within the map"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["proj-ingot"]),
        ("type=强链", ["proj-ingot"]),
        ("type=补链", []),
        ("chain=pv", ["proj-ingot"]),
        ("chain=li", []),
        ("segment=pv-ingot", ["proj-ingot"]),
        ("firm=ingot-b", ["proj-ingot"]),
        ("park=park-b", []),
    ],
)
def test_project_filters(client, query: str, expected: list[str]) -> None:
    body = client.get(f"/api/projects?{query}").json()
    assert [p["project"]["id"] for p in body["items"]] == expected


def test_project_carries_its_segments_and_firm(client) -> None:
    item = client.get("/api/projects").json()["items"][0]
    assert item["segments"] == ["pv-ingot"] and item["firm"] == "ingot-b"
    assert item["project"]["investment"] == 180


def test_kpis_show_stated_figures_with_source_and_counted_ones(client) -> None:
    body = client.get("/api/kpis").json()
    stated = body["stated"][0]
    assert (stated["name"], stated["value"], stated["source"]) == ("靶向企业", 157, "seed")
    measured = {m["id"]: m["value"] for m in body["measured"]}
    assert measured["target-firms"] == 3
    assert measured["targets-to_contact"] == 2 and measured["targets-contacted"] == 1
    assert measured["projects"] == 1 and measured["investment"] == 180


def test_map_html_is_a_self_contained_interactive_page(client) -> None:
    response = client.get("/api/maps/pv-map/html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "光伏制造招商图谱" in html and "vis" in html.lower()
    external = re.findall(
        r"""<(?:script|link|img|iframe)[^>]*(?:src|href)=["']?(?:https?:)?//""", html
    )
    assert external == [], "the map loads nothing from the network"


def test_map_html_of_an_unknown_map_is_404_with_suggestion(client) -> None:
    response = client.get("/api/maps/pv-mapp/html")
    assert response.status_code == 404 and "pv-map" in response.json()["error"]["suggestions"]


def test_firm_and_overview_pages_are_drawn_offline(client) -> None:
    for url, title in (("/api/firms/ingot-b/html", "乙光伏"), ("/api/overview/html", "光伏制造")):
        response = client.get(url)
        assert response.status_code == 200 and title in response.text
        assert response.headers["x-content-type-options"] == "nosniff"


def test_firm_page_of_an_unknown_firm_is_404(client) -> None:
    response = client.get("/api/firms/ingot-bb/html")
    assert response.status_code == 404 and "ingot-b" in response.json()["error"]["suggestions"]


def test_map_page_refuses_ids_that_are_not_maps(client) -> None:
    assert client.get("/api/maps/pv/html").status_code == 404
