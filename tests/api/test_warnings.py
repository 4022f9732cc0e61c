"""The loader's warnings (read, but the user should know) reach the user: on stderr in the
CLI, in the import answer of the API — with file, line and field, in Chinese by default."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from tests.api.test_writes import upload

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "excel-control-char"
WARNING = "targets.csv:2 [rationale]: 控制字符 U+000B"


def test_validate_prints_each_warning_on_stderr_not_stdout() -> None:
    result = CliRunner().invoke(app, ["validate", str(CASE)])
    assert result.exit_code == 0, result.stderr
    assert WARNING in result.stderr and "⚠" in result.stderr
    assert WARNING not in result.stdout


def test_an_imported_table_answers_with_its_warnings(client, auth) -> None:
    response = upload(client, "targets", (CASE / "targets.csv").read_bytes(), auth, "targets.csv")
    assert response.status_code == 200, response.text
    warnings = response.json()["warnings"]
    assert any(w.startswith("targets.csv:2 [rationale]") and "U+000B" in w for w in warnings)


def test_a_clean_table_has_no_warnings(client, auth) -> None:
    from tests.api.test_writes import TARGETS_CSV

    response = upload(client, "targets", TARGETS_CSV, auth, "targets.csv")
    assert response.status_code == 200 and response.json()["warnings"] == []
