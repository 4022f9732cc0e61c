"""Neo4j's own parser checks every statement chainkg ships (tools/cypher-lint), and can fail.

Skipped when the pinned linter is not installed (``tools/cypher-lint/run.sh`` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.stores.neo4j.statements import STATEMENTS

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tools" / "cypher-lint"
BROKEN = ROOT / "tests" / "fixtures" / "cypher" / "broken.cypher"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None
    or not (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(),
    reason="Cypher linter not installed: run tools/cypher-lint/run.sh once (npm ci)",
)


def lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(LINT / "run.sh"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"},
    )


def test_every_shipped_statement_passes_neo4js_linter() -> None:
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(STATEMENTS)} statement(s) checked, all clean" in result.stdout


def test_the_broken_fixture_fails_with_neo4js_message() -> None:
    result = lint(str(BROKEN))
    assert result.returncode == 1
    assert "Invalid input 'RETRUN'" in result.stdout
    assert "1 with problems" in result.stdout


PROBES = {
    "MATCH (a:Segment)-[:SUPPLIES*1..]->(b:Segment) RETURN b": "unbounded variable-length",
    "MATCH (a:Segment)-[:SUPPLIES*]->(b:Segment) RETURN b": "unbounded variable-length",
    "MATCH (n:Node {id: 'pv'}) RETURN n": "pass values as $parameters",
    "MATCH (n:Segmnt {id: $id}) RETURN n": "Label Segmnt is not present",
    "MATCH ()-[r:SUPPLY]->() RETURN r": "SUPPLY is not present",
    "MATCH (n:Node {id: $id}) RETURN n.nmae": "nmae is not present",
    "MATCH (n:Node) RETURN m": "Variable `m` not defined",
}
FINE = (
    "MATCH (a:Segment {id: $id})-[:SUPPLIES*1..6]->(b:Segment) "
    "RETURN coalesce(b.unit, '') AS unit, count(b) + 1 AS n"
)


@pytest.fixture(scope="module")
def probe_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Lints every probe in one run; maps each statement to what the linter said of it."""
    source = tmp_path_factory.mktemp("cypher") / "probes.cypher"
    source.write_text(";\n".join([*PROBES, FINE]) + "\n", encoding="utf-8")
    result = lint(str(source))
    assert result.returncode == 1, result.stdout
    blocks = result.stdout.split("✗ ")[1:]
    return {block.splitlines()[1].strip().rstrip(";"): block for block in blocks}


@pytest.mark.parametrize(("cypher", "complaint"), PROBES.items())
def test_lint_catches(probe_report: dict[str, str], cypher: str, complaint: str) -> None:
    assert complaint in probe_report[cypher]


def test_bounded_patterns_and_empty_literals_are_accepted(probe_report: dict[str, str]) -> None:
    assert FINE not in probe_report
