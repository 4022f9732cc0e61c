"""The pipeline's JSON routes (token-gated) and its export: 负责人, next contact date and the
append-only 跟进记录, on the mini dataset."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

URL = "/api/targets/film-h/pv-film"


def test_plan_and_followups_need_the_token(client) -> None:
    assert client.put(URL + "/plan", json={"owner": "王"}).status_code == 401
    followup = {"date": "2024-05-03", "text": "电话"}
    assert client.post(URL + "/followups", json=followup).status_code == 401
    assert client.get(URL + "/followups").json() == []


def test_owner_and_next_contact_are_set_and_shown(client, auth) -> None:
    plan = {"owner": "王科长", "next_contact": "2024-06-03"}
    answer = client.put(URL + "/plan", json=plan, headers=auth)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["owner"], answer.json()["next_contact"]) == ("王科长", "2024-06-03")
    kept = client.put(URL + "/plan", json={"next_contact": ""}, headers=auth).json()
    assert (kept["owner"], kept["next_contact"]) == ("王科长", "")
    firm = client.get("/api/firms/film-h").json()
    assert firm["targets"][0]["owner"] == "王科长"


def test_a_bad_date_is_refused_in_chinese_naming_the_field(client, auth) -> None:
    answer = client.put(URL + "/plan", json={"next_contact": "下周一"}, headers=auth)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == "next_contact" and "年-月-日" in error["message"]


def test_followups_append_and_read_back_in_order(client, auth) -> None:
    for date, text in (("2024-05-03", "寄资料"), ("2024-05-01", "首次电话")):
        body = {"date": date, "text": text, "author": "王"}
        answer = client.post(URL + "/followups", json=body, headers=auth)
        assert answer.status_code == 201, answer.text
    log = client.get(URL + "/followups").json()
    assert [(f["date"], f["text"], f["seq"]) for f in log] == [
        ("2024-05-01", "首次电话", 2),
        ("2024-05-03", "寄资料", 1),
    ]


def test_an_entry_not_on_the_list_is_not_found(client, auth) -> None:
    body = {"date": "2024-05-03", "text": "电话"}
    answer = client.post("/api/targets/poly-a/pv-film/followups", json=body, headers=auth)
    assert answer.status_code == 404


def test_the_pipeline_export_carries_every_change(client, auth) -> None:
    client.put(URL + "/plan", json={"owner": "李四", "next_contact": "2024-06-03"}, headers=auth)
    client.post(URL + "/followups", json={"date": "2024-05-03", "text": "寄资料"}, headers=auth)
    status = {"status": "洽谈中", "date": "2024-05-02", "note": "首次电话"}
    assert client.put(URL + "/status", json=status, headers=auth).status_code == 200
    text = client.get("/api/targets/pipeline.csv").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["企业"] == "辛胶膜")
    assert (row["状态"], row["负责人"], row["下次联系"]) == ("洽谈中", "李四", "2024-06-03")
    assert row["最近跟进"] == "2024-05-03 寄资料"
    book = load_workbook(io.BytesIO(client.get("/api/targets/pipeline.xlsx").content))
    assert book.sheetnames == ["招商进展", "跟进记录"]
    sheet = book["跟进记录"]
    assert [c.value for c in sheet[2]][2:4] == ["2024-05-03", "寄资料"]
    assert book["招商进展"].freeze_panes == "A2" and book["招商进展"].auto_filter.ref
