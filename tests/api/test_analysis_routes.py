"""Gaps, ranked targets, exports and landing simulation through the API."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook


def gap_ids(body: dict) -> list[tuple[str, int, str]]:
    return [(g["kind"], g["rank"], g["segment"]) for g in body["gaps"]]


def test_gaps_of_a_chain_with_evidence_and_completeness(client) -> None:
    body = client.get("/api/chains/li/gaps").json()
    assert body["region"] == "xn" and body["map"] is None
    assert gap_ids(body) == [
        ("补链", 1, "li-anode"),
        ("强链", 1, "li-cathode"),
        ("强链", 2, "li-foil"),
        ("强链", 3, "li-cell"),
        ("延链", 1, "li-ess"),
    ]
    anode = body["gaps"][0]
    assert anode["verdict"]["status"] == "missing" and anode["targets_on_list"] == 1
    cathode = body["gaps"][1]["verdict"]
    assert cathode["local_firms"][0]["source"] == "https://example.org/d", "evidence is sourced"
    assert body["completeness"]["missing"] == 2 and body["completeness"]["total"] == 5
    assert body["rules"]["min_firms"] == 2


@pytest.mark.parametrize("kind", ["强链", "strengthen"])
def test_gaps_filtered_by_kind_in_chinese_or_english(client, kind: str) -> None:
    body = client.get("/api/chains/pv/gaps", params={"kind": kind}).json()
    assert {g["kind"] for g in body["gaps"]} == {"强链"}
    assert len(body["gaps"]) == 6


def test_gap_evidence_names_the_bottleneck(client) -> None:
    body = client.get("/api/chains/pv/gaps?kind=强链").json()
    wafer = next(g for g in body["gaps"] if g["segment"] == "pv-wafer")["verdict"]
    assert wafer["rule"] == "bottleneck"
    assert wafer["compared_with"]["segment"] == "pv-ingot"
    assert wafer["regional_figure"]["capacity"] == 5.6


def test_gaps_filtered_by_map_use_that_maps_completeness(client) -> None:
    body = client.get("/api/chains/pv/gaps?map=pv-map").json()
    assert body["map"] == "pv-map"
    assert "li-foil" not in {g["segment"] for g in body["gaps"]}, "li-foil is not on pv-map"
    assert body["completeness"]["scope"] == "pv-map" and body["completeness"]["total"] == 6


def test_gaps_follow_writes(client, auth) -> None:
    assert "li-anode" in {g["segment"] for g in client.get("/api/chains/li/gaps").json()["gaps"]}
    row = "anode-new,新负极,新负极材料有限公司,park-a,li-anode,https://example.org/n,2024\n"
    csv_text = "firm_id,short_name,full_name,park,segment,source,year\n" + row
    files = {"file": ("local_firms.csv", csv_text.encode(), "text/csv")}
    assert client.post("/api/import/local-firms", files=files, headers=auth).status_code == 200
    after = client.get("/api/chains/li/gaps").json()
    anode = next(g for g in after["gaps"] if g["segment"] == "li-anode")
    assert anode["kind"] == "强链", "no longer missing: one local firm makes it weak"


def test_ranked_targets_have_components_summing_to_the_score(client) -> None:
    ranked = client.get("/api/chains/pv/targets").json()
    assert [(c["rank"], c["firm"]) for c in ranked] == [(1, "film-h"), (2, "wafer-i")]
    for c in ranked:
        known = [p for p in c["components"] if p["points"] is not None]
        total = 100 * sum(p["points"] for p in known) / sum(p["weight"] for p in known)
        assert abs(total - c["score"]) < 0.05  # over the components known for that firm
        assert c["scored_note"] == f"按5项中的{len(known)}项计分"
        assert c["source"].startswith("https://example.org/")


def test_ranked_targets_by_segment_and_top(client) -> None:
    only = client.get("/api/chains/pv/targets?segment=pv-wafer").json()
    assert [c["firm"] for c in only] == ["wafer-i"]
    assert len(client.get("/api/chains/pv/targets?top=1").json()) == 1


def test_ranked_targets_top_is_bounded_by_the_page_size(client) -> None:
    response = client.get("/api/chains/pv/targets?top=101")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "top"


def test_export_xlsx_opens_in_excel_with_chinese_headers(client) -> None:
    response = client.get("/api/chains/pv/targets.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "targets-pv.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "光伏制造"]
    rows = list(book["光伏制造"].iter_rows(values_only=True))
    assert rows[0][:3] == ("链内排名", "企业简称", "企业全称")
    assert [r[rows[0].index("企业ID")] for r in rows[1:]] == ["film-h", "wafer-i"]


def test_export_csv_has_a_bom_and_the_same_rows(client) -> None:
    response = client.get("/api/chains/pv/targets.csv?top=1")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["产业链", "链内排名"] and len(rows) == 2
    assert rows[1][rows[0].index("企业ID")] == "film-h"


def test_simulate_landing_reports_the_gap_closed(client) -> None:
    body = client.get("/api/simulate?firm=anode-g&segment=li-anode").json()
    assert body["firm_name"] == "庚负极" and body["region"] == "xn"
    assert body["gaps_closed"] == []  # one firm: still weak, so the 补链 became 强链
    assert [(g["segment"], g["kind"], g["kind_after"]) for g in body["gaps_changed"]] == [
        ("li-anode", "补链", "强链")
    ]
    chain = body["chains"][0]
    assert chain["before"]["missing"] == 2 and chain["after"]["missing"] == 1
    assert chain["delta_share"] == pytest.approx(0.2)


def test_simulate_does_not_change_the_store(client) -> None:
    before = client.get("/health").json()["revision"]
    client.get("/api/simulate?firm=anode-g&segment=li-anode")
    assert client.get("/health").json()["revision"] == before
    assert client.get("/api/chains/li/gaps?kind=补链").json()["gaps"][0]["segment"] == "li-anode"


def test_export_of_every_chain_has_one_sheet_per_chain(client) -> None:
    response = client.get("/api/targets/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "锂动力及储能电池", "光伏制造"]
    rows = list(book["锂动力及储能电池"].iter_rows(values_only=True))
    assert [r[rows[0].index("企业ID")] for r in rows[1:]] == ["anode-g"]


def test_csv_export_of_every_chain_lists_all_candidates(client) -> None:
    response = client.get("/api/targets/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    firm = rows[0].index("企业ID")
    assert [(r[0], r[firm]) for r in rows[1:]] == [
        ("锂动力及储能电池", "anode-g"),
        ("光伏制造", "film-h"),
        ("光伏制造", "wafer-i"),
    ]
