"""A figure the source wrote 约/近/超 … reaches the officer as 约…: API field, CLI, console
pages (chinese-number-forms case: 丙能源 约5.7 GW of cells, 单晶拉棒项目 约180亿元)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph import MemoryStore
from loaders.curated import load_dataset
from tests.api.conftest import make_client

CASE = Path(__file__).parents[1] / "fixtures" / "cases" / "chinese-number-forms"


@pytest.fixture
def client(tmp_path: Path):
    settings = Settings(region="xn", dataset=CASE, data_file=tmp_path / "graph.pickle")
    store = MemoryStore()
    load_dataset(CASE, store)
    with make_client(settings, store) as test_client:
        yield test_client


def test_firm_operations_carry_approximate(client) -> None:
    ops = {o["segment"]: o for o in client.get("/api/firms/cell-c").json()["operations"]}
    assert (ops["pv-cell"]["capacity"], ops["pv-cell"]["approximate"]) == (5.7, True)
    assert ops["pv-module"]["approximate"] is False


def test_gap_verdicts_and_project_investment_carry_approximate(client) -> None:
    gaps = {g["segment"]: g for g in client.get("/api/chains/pv/gaps").json()["gaps"]}
    verdict = gaps["pv-cell"]["verdict"]
    assert verdict["local_capacity_approximate"] is True
    assert "约5.7GW" in verdict["reason"]
    measured = {m["id"]: m for m in client.get("/api/kpis").json()["measured"]}
    assert (measured["investment"]["value"], measured["investment"]["approximate"]) == (180, True)


def test_console_pages_prefix_about(client) -> None:
    firm = client.get("/firms/cell-c").text
    assert "约5.7GW" in firm and "约1200" not in firm
    assert "约180亿元" in client.get("/firms/ingot-b").text
    assert "约180" in client.get("/").text
    assert "约5.7GW" in client.get("/chains/pv").text


def test_cli_gaps_table_quotes_about(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "graph.sqlite"))
    monkeypatch.setenv("CHAINKG_REGION", "xn")
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(CASE)], catch_exceptions=False).exit_code == 0
    result = runner.invoke(app, ["gaps", "pv", "--format", "csv"], catch_exceptions=False)
    rows = {r[2]: r for r in csv.reader(io.StringIO(result.stdout)) if len(r) > 6}
    assert "本地电池片产能约5.7GW" in rows["pv-cell"][6]
