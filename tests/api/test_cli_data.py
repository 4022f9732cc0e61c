"""The dataset commands as an officer runs them: validate, load, stats, and their exit codes."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import MemoryStore, NodeKind


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner in an empty directory, with no chainkg settings leaking in from outside."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("CHAINKG_", "NEO4J_")):
            monkeypatch.delenv(name)
    return CliRunner()


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return tmp_path / "store" / "graph.pickle"


def planted(broken: Path) -> list[tuple[str, str, str]]:
    """(file, line, field) of every row of tests/fixtures/broken/EXPECTED.md."""
    rows = []
    for text in (broken / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].isdigit():
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def load(runner: CliRunner, dataset: Path, snapshot: Path, *extra: str) -> tuple[int, str, str]:
    return run(runner, "load", dataset, "--data-file", snapshot, *extra)


def stats(runner: CliRunner, snapshot: Path) -> str:
    code, out, err = run(runner, "stats", "--data-file", snapshot)
    assert code == 0, err
    return out


def count_in(table: str, label: str) -> int:
    match = re.search(rf"│ {re.escape(label)}\s+│\s+(\d+) │", table)
    assert match, f"no row {label!r} in\n{table}"
    return int(match.group(1))


# ------------------------------------------------------------------------------- validate


def test_validate_lists_every_planted_error_with_its_location_and_fails(
    runner: CliRunner, broken_dataset: Path
) -> None:
    code, out, err = run(runner, "validate", broken_dataset)
    assert code == 1
    expected = planted(broken_dataset)
    assert f"✗ 发现 {len(expected)} 处问题：" in err
    lines = [line for line in err.splitlines() if line.startswith("  • ")]
    assert len(lines) == len(expected)
    for file, line, fld in expected:
        where = f"  • {file}:{line} [{fld}]: " if fld else f"  • {file}:{line}: "
        assert any(text.startswith(where) for text in lines), f"{where!r} not in\n{err}"
    assert "没有问题" not in out


def test_validate_accepts_the_mini_dataset(runner: CliRunner, mini_dataset: Path) -> None:
    code, out, _ = run(runner, "validate", mini_dataset)
    assert code == 0
    assert "31 个节点，60 条关系，没有问题" in out


def test_validate_of_a_missing_directory_fails_clearly(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "validate", tmp_path / "nope")
    assert code == 1
    assert "nope: 数据集目录不存在" in err  # no such dataset directory
    assert "Traceback" not in err


def test_validate_without_a_directory_is_a_usage_error(runner: CliRunner) -> None:
    code, _, err = run(runner, "validate")
    assert code == 2
    assert "Missing argument" in err


# ------------------------------------------------------------------------------- load


def test_load_writes_the_snapshot_and_stats_counts_by_kind_and_chain(
    runner: CliRunner, mini_dataset: Path, snapshot: Path
) -> None:
    code, out, err = load(runner, mini_dataset, snapshot)
    assert code == 0, err
    assert "已加载" in out and "31 个节点，60 条关系" in out
    assert "新增 31 项" in out and "关系：新增 60 条，修改 0 条，删除 0 条" in out
    assert MemoryStore(snapshot).count(NodeKind.SEGMENT) == 11
    table = stats(runner, snapshot)
    assert count_in(table, "Segment") == 11
    assert count_in(table, "Firm") == 9
    assert count_in(table, "SUPPLIES") == 10
    assert re.search(r"│ pv\s+│ 光伏制造\s+│ 7\s+│ 1\s+│", table), table  # segments, maps
    assert re.search(r"│ li\s+│ 锂动力及储能电池\s+│ 5\s+│ 1\s+│", table), table


def test_a_failed_load_leaves_the_loaded_snapshot_byte_identical(
    runner: CliRunner, mini_dataset: Path, broken_dataset: Path, snapshot: Path
) -> None:
    assert load(runner, mini_dataset, snapshot)[0] == 0
    before, table = snapshot.read_bytes(), stats(runner, snapshot)
    code, _, err = load(runner, broken_dataset, snapshot)
    assert code == 1
    assert "处问题" in err
    assert snapshot.read_bytes() == before
    assert stats(runner, snapshot) == table


def test_a_failed_fresh_load_does_not_empty_the_store(
    runner: CliRunner, mini_dataset: Path, broken_dataset: Path, snapshot: Path
) -> None:
    assert load(runner, mini_dataset, snapshot)[0] == 0
    before = snapshot.read_bytes()
    assert load(runner, broken_dataset, snapshot, "--fresh")[0] == 1
    assert snapshot.read_bytes() == before


def test_a_repeated_load_changes_nothing(
    runner: CliRunner, mini_dataset: Path, snapshot: Path
) -> None:
    assert load(runner, mini_dataset, snapshot)[0] == 0
    before, table = snapshot.read_bytes(), stats(runner, snapshot)
    assert load(runner, mini_dataset, snapshot)[0] == 0
    assert snapshot.read_bytes() == before
    assert stats(runner, snapshot) == table


def test_load_merges_and_fresh_replaces(
    runner: CliRunner, mini_dataset: Path, snapshot: Path, tmp_path: Path
) -> None:
    assert load(runner, mini_dataset, snapshot)[0] == 0
    smaller = Path(shutil.copytree(mini_dataset, tmp_path / "smaller"))
    (smaller / "kpis.yaml").unlink()
    assert load(runner, smaller, snapshot)[0] == 0
    assert count_in(stats(runner, snapshot), "Kpi") == 1  # merged: the KPI stays
    assert load(runner, smaller, snapshot, "--fresh")[0] == 0
    assert count_in(stats(runner, snapshot), "Kpi") == 0  # replaced


def test_stats_of_an_empty_store_is_all_zero(runner: CliRunner, snapshot: Path) -> None:
    table = stats(runner, snapshot)
    assert count_in(table, "Segment") == 0 and count_in(table, "OPERATES_IN") == 0
    assert not snapshot.exists()  # reading creates nothing


def test_a_corrupt_snapshot_is_a_clear_error(runner: CliRunner, snapshot: Path) -> None:
    snapshot.parent.mkdir(parents=True)
    snapshot.write_bytes(b"garbage")
    code, _, err = run(runner, "stats", "--data-file", snapshot)
    assert code == 1
    assert "cannot read snapshot" in err and "delete it" in err
    assert "Traceback" not in err


def test_an_invalid_setting_names_the_variable_and_fails(
    runner: CliRunner, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINKG_MAX_DEPTH", "deep")
    code, _, err = run(runner, "stats", "--data-file", snapshot)
    assert code == 1
    assert "设置 max_depth（CHAINKG_MAX_DEPTH）无效" in err and "'deep'" in err
    code, _, err = run(runner, "stats", "--backend", "sqlite")
    assert code == 1
    assert "设置 backend（--backend）无效" in err


def test_the_default_snapshot_goes_to_the_working_directory(
    runner: CliRunner, mini_dataset: Path, tmp_path: Path
) -> None:
    code, _, err = run(runner, "load", mini_dataset)
    assert code == 0, err
    assert (tmp_path / ".chainkg" / "graph.pickle").exists()
