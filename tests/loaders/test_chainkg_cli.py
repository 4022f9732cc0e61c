"""The national commands as an officer runs them: import, re-match, list a segment's pool."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import SqliteStore

SAMPLE = Path(__file__).parents[1] / "fixtures" / "chainkg_sample"


@pytest.fixture
def snapshot(tmp_path: Path, mini_dataset: Path) -> Path:
    path = tmp_path / "graph.sqlite"
    result = CliRunner().invoke(app, ["load", str(mini_dataset), "--data-file", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_import_prints_the_line_report_and_the_unmatched_segments(snapshot):
    output = run("import-chainkg", str(SAMPLE), "--data-file", str(snapshot))
    assert "ChainKG 导入报告" in output
    assert "company.json" in output and "15" in output
    assert "未匹配到产品的环节" in output  # the mini chains have segments ChainKG lacks


def test_import_details_explain_each_reason_in_chinese_with_lines(snapshot):
    output = run("import-chainkg", str(SAMPLE), "--data-file", str(snapshot), "--details")
    assert "丢弃与修复明细" in output
    assert "空行" in output and "company.json:19" in output


def test_national_candidates_lists_firms_not_yet_on_the_list(snapshot, tmp_path):
    run("import-chainkg", str(SAMPLE), "--data-file", str(snapshot))
    out = tmp_path / "anode.csv"
    output = run("national-candidates", "li-anode", "--data-file", str(snapshot), "--out", str(out))
    assert "璞泰来" in output and "尚未列入名单" in output and "61.3%" in output
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff企业ID") and "603659.SH" in text


def test_match_products_links_segments_loaded_after_the_import(tmp_path, mini_dataset):
    path = str(tmp_path / "graph.sqlite")
    run("import-chainkg", str(SAMPLE), "--data-file", path)  # no segments yet: no matches
    run("load", str(mini_dataset), "--data-file", path)
    with closing(SqliteStore(path)) as stored:
        assert stored.national_candidates(["li-anode"]) == []
    output = run("match-products", "--data-file", path)
    assert "环节—产品匹配质量" in output
    with closing(SqliteStore(path)) as stored:
        pool = stored.national_candidates(["li-anode"])
    assert [(c.firm, c.product) for c in pool] == [("a-603659-sh", "p:负极材料业务")]


def test_unknown_segment_suggests_close_ids(snapshot):
    result = CliRunner().invoke(
        app, ["national-candidates", "li-anod", "--data-file", str(snapshot)]
    )
    assert result.exit_code == 1
    assert "li-anode" in result.output


def test_import_of_a_directory_without_chainkg_files_fails_clearly(snapshot, tmp_path):
    result = CliRunner().invoke(
        app, ["import-chainkg", str(tmp_path), "--data-file", str(snapshot)]
    )
    assert result.exit_code == 1
    assert "file missing" in result.output and "company.json" in result.output
