"""The Neo4j commands as an operator runs them: a clear error when Neo4j is not there, and a
bulk export that writes the files and prints the import command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner in an empty directory, with no chainkg settings leaking in from outside."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("CHAINKG_", "NEO4J_")):
            monkeypatch.delenv(name)
    return CliRunner()


def test_check_says_what_to_fix_when_neo4j_is_not_running(runner: CliRunner) -> None:
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-pw"}
    result = runner.invoke(app, ["neo4j-check"], env=env)
    assert result.exit_code == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in result.output
    assert "NEO4J_URI" in result.output
    assert "s3cret-pw" not in result.output
    assert "Traceback" not in result.output


def test_check_without_a_uri_names_the_variable(runner: CliRunner) -> None:
    result = runner.invoke(app, ["neo4j-check"])
    assert result.exit_code == 1
    assert "NEO4J_URI is not set" in result.output


def test_load_on_neo4j_fails_cleanly_when_it_is_unreachable(
    runner: CliRunner, mini_dataset: Path
) -> None:
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-pw"}
    result = runner.invoke(app, ["load", str(mini_dataset), "--backend", "neo4j"], env=env)
    assert result.exit_code == 1
    assert "cannot reach Neo4j" in result.output and "s3cret-pw" not in result.output


def test_export_writes_the_files_and_prints_the_command(
    runner: CliRunner, mini_dataset: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bulk"
    result = runner.invoke(app, ["export-neo4j-csv", str(out), "--dataset", str(mini_dataset)])
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full neo4j" in result.output
    assert "--nodes=Node:Segment=/import/nodes_Segment.csv" in result.output
    assert (out / "nodes_Segment.csv").read_text(encoding="utf-8").count("\n") == 1 + 11
    guide = (out / "IMPORT.txt").read_text(encoding="utf-8")
    assert "CREATE CONSTRAINT chainkg_node_id IF NOT EXISTS" in guide
    assert "chainkg neo4j-check" in guide


def test_export_of_the_embedded_store(
    runner: CliRunner, mini_dataset: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / "graph.sqlite"
    assert (
        runner.invoke(app, ["load", str(mini_dataset), "--data-file", str(snapshot)]).exit_code == 0
    )
    out = tmp_path / "bulk"
    result = runner.invoke(app, ["export-neo4j-csv", str(out), "--data-file", str(snapshot)])
    assert result.exit_code == 0, result.output
    assert (out / "rels_SUPPLIES.csv").read_text(encoding="utf-8").count("\n") == 1 + 10
