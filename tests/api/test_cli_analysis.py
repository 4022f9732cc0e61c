"""chainkg gaps / targets / simulate, as an officer runs them (on the mini fixture)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app


@pytest.fixture
def run(tmp_path, mini_dataset, monkeypatch):
    """The CLI on a store holding the mini dataset (loaded with `chainkg load`); the region
    comes from its dataset.yaml (xn), with no region setting."""
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "graph.pickle"))
    for name in ("CHAINKG_REGION", "CHAINKG_DATASET"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    assert invoke("load", str(mini_dataset)).exit_code == 0
    return invoke


def test_gaps_json_lists_each_kind_with_evidence_and_completeness(run):
    result = run("gaps", "li", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)  # nothing but the JSON on stdout
    kinds = {(g["kind"], g["segment"]) for g in payload["gaps"]}
    assert ("补链", "li-anode") in kinds and ("延链", "li-ess") in kinds
    anode = next(g for g in payload["gaps"] if g["segment"] == "li-anode")
    assert anode["verdict"]["rule"] == "no_local_firm" and anode["dependent_firms"] == ["cell-f"]
    assert payload["completeness"]["share"] == pytest.approx(0.6)


def test_gaps_kind_filter_accepts_english_and_csv_has_chinese_headers(run):
    result = run("gaps", "li", "--kind", "fill", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:4] == ["类型", "排名", "环节ID", "环节"]
    assert {r[0] for r in rows[1:]} == {"补链"}


def test_unknown_chain_and_bad_kind_exit_non_zero_with_a_hint(run):
    result = run("gaps", "lii")
    assert result.exit_code == 1 and "您是否要找：li" in result.stderr and not result.stdout
    result = run("gaps", "li", "--kind", "补")
    assert result.exit_code == 1 and "补链 | 强链 | 延链" in result.output


def test_thresholds_come_from_settings(run, monkeypatch):
    strict = json.loads(run("gaps", "li", "--format", "json").stdout)
    monkeypatch.setenv("CHAINKG_MIN_FIRMS", "1")
    lenient = json.loads(run("gaps", "li", "--format", "json").stdout)
    weak = {g["segment"] for g in strict["gaps"] if g["kind"] == "强链"}
    assert "li-cathode" in weak
    assert not [g for g in lenient["gaps"] if g["kind"] == "强链"]


def test_targets_export_xlsx_has_one_sheet_per_chain_and_chinese_headers(run, tmp_path):
    path = tmp_path / "targets.xlsx"
    result = run("targets", "all", "--export", str(path))
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "锂动力及储能电池", "光伏制造"]
    header = [c.value for c in book["光伏制造"][1]]
    assert header[:3] == ["链内排名", "企业简称", "企业全称"] and "以商招商" in header
    firm = header.index("企业ID") + 1
    assert book["锂动力及储能电池"].cell(2, firm).value == "anode-g"


def test_targets_export_csv_opens_in_excel(run, tmp_path):
    path = tmp_path / "t.csv"
    assert run("targets", "pv", "--export", str(path)).exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r[rows[0].index("企业ID")] for r in rows[1:]] == ["film-h", "wafer-i"]
    assert run("targets", "pv", "--export", str(tmp_path / "t.pdf")).exit_code == 1


def test_simulate_reports_closed_gap_and_completeness_change(run):
    result = run("simulate", "anode-g", "--segment", "li-anode", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["gaps_closed"] == []  # one firm: still a gap (强链), never "closed"
    assert payload["gaps_changed"] == [
        {"segment": "li-anode", "name": "负极材料", "kind": "补链", "kind_after": "强链"}
    ]
    assert payload["chains"][0]["delta_share"] == pytest.approx(0.2)
    result = run("simulate", "anode-g", "--segment", "li-anod")
    assert result.exit_code == 1 and "li-anode" in result.output
