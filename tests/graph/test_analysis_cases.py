"""Cases cross-chain-map and simulate-unverified (copied from ../shared/cases/ into
tests/fixtures/cases/): the right values, from the analysis, the CLI and the API."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.pages import Pages
from api.settings import Settings
from graph import MemoryStore
from graph.analysis import (
    GapKind,
    GapRules,
    Status,
    chain_view,
    completeness,
    map_completeness,
    segment_status,
    simulate_landing,
)
from loaders import load_dataset

with warnings.catch_warnings():  # as in tests/api/conftest.py: starlette prefers httpx2
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
REGION = "baotou"


def loaded(name: str) -> MemoryStore:
    store = MemoryStore()
    load_dataset(CASES / name, store)
    return store


# ------------------------------------------------------------------ cross-chain-map
# bt-re-map shows re-separation (北方稀土, verified, alone: weak), re-ndfeb (missing),
# bt-al-primary (包头铝业, verified, alone: weak), bt-al-extrusion (missing): 2 of 4 = 50 %;
# weighted (weak = ½, weight 1 + segments downstream in its chain) = (2·½ + 2·½) / 6 = ⅓.


@pytest.fixture(scope="module")
def cross() -> MemoryStore:
    return loaded("cross-chain-map")


def test_a_map_spanning_two_chains_has_one_completeness(cross):
    score = map_completeness(cross, "bt-re-map", REGION)
    assert (score.total, score.present, score.weak, score.missing) == (4, 0, 2, 2)
    assert score.share == pytest.approx(0.5) and score.weighted == pytest.approx(1 / 3, abs=1e-6)
    assert score.label.startswith("完整度 50%")


def test_the_cli_gives_the_same_figure_from_either_chain(cross, tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "graph.pickle"))
    monkeypatch.setenv("CHAINKG_DATASET", str(CASES / "cross-chain-map"))
    monkeypatch.setenv("CHAINKG_REGION", REGION)
    shares = []
    for chain in ("rare-earth", "bt-al"):
        result = CliRunner().invoke(
            cli, ["gaps", chain, "--map", "bt-re-map", "--format", "json"], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output[result.output.index("{") :])
        shares.append(payload["completeness"]["share"])
    assert shares == [pytest.approx(0.5), pytest.approx(0.5)]


def test_the_api_and_the_page_give_the_same_figure(cross, tmp_path):
    settings = Settings(region=REGION, dataset=CASES / "cross-chain-map", data_file=tmp_path / "g")
    with TestClient(create_app(settings, store=cross)) as client:
        figures = {
            client.get(f"/api/chains/{c}/gaps?map=bt-re-map").json()["completeness"]["share"]
            for c in ("rare-earth", "bt-al")
        }
        figures.add(client.get("/api/maps/bt-re-map/completeness").json()["share"])
    assert figures == {0.5}
    summary = {
        f.key: f.value for f in Pages(cross, REGION).map_graph("rare-earth", "bt-re-map").summary
    }
    assert (summary["薄弱"], summary["缺失"]) == ("2", "2")


def test_map_segments_keep_the_verdict_of_their_own_chain(cross):
    own = segment_status(chain_view(cross, "bt-al", REGION))["bt-al-primary"]
    score = map_completeness(cross, "bt-re-map", REGION)
    assert own.status == Status.WEAK and score.weak == 2


# ------------------------------------------------------------------ simulate-unverified
# re-ndfeb has one local firm, 金力永磁包头, uncertain. The top target 正海磁材 is on the
# list as ``reconstructed``; simulating its landing must count it as what the officer states.


@pytest.fixture(scope="module")
def unverified() -> MemoryStore:
    return loaded("simulate-unverified")


def test_before_the_landing_the_unverified_firm_is_to_be_verified_not_a_single_point(unverified):
    verdict = segment_status(chain_view(unverified, "rare-earth", REGION))["re-ndfeb"]
    assert (verdict.status, verdict.rule, verdict.evidence_grade_label) == (
        Status.WEAK,
        "only_uncertain",
        "待核实",
    )
    assert "金力永磁包头" in verdict.reason and "单点风险" not in verdict.reason


def test_a_simulated_landing_counts_as_verified_and_says_why_the_figure_stays(unverified):
    result = simulate_landing(unverified, "bt-t-zhenghai", "re-ndfeb", REGION)
    assert result.certainty == "verified" and "已核实" in result.certainty_note
    before, after = result.verdict_before, result.verdict_after
    assert (before.rule, before.evidence_grade_label) == ("only_uncertain", "待核实")
    # the landed firm counts as verified: one verified firm (+ the unverified one, quoted)
    assert (after.status, after.rule, after.evidence_grade_label) == (
        Status.WEAK,
        "single_firm",
        "已核实企业",
    )
    assert "正海磁材" in after.reason and "金力永磁包头" in after.reason
    assert result.status_changes == [] and result.chains[0].delta_share == 0
    # nothing moves, and the answer says why instead of a bare "+0.0 %"
    assert "仍为薄弱" in result.why_unchanged and "待核实 → 已核实企业" in result.why_unchanged
    (map_change,) = result.maps
    assert map_change.after == map_completeness(
        unverified, "bt-re-map", REGION, views={"rare-earth": _landed(unverified)}
    )


def test_a_second_verified_landing_makes_the_segment_present(unverified):
    from graph.analysis.simulate import hypothetical_operation

    view = _landed(unverified)  # 正海磁材 landed, verified
    firm = unverified.get("bt-northern-re")
    op = hypothetical_operation(unverified, firm, unverified.get("re-ndfeb"), REGION)
    twice = segment_status(view.with_operation(op, firm))["re-ndfeb"]
    assert (twice.status, twice.rule) == (Status.PRESENT, "established")


def _landed(store: MemoryStore):
    from graph.analysis.simulate import hypothetical_operation

    firm, seg = store.get("bt-t-zhenghai"), store.get("re-ndfeb")
    view = chain_view(store, "rare-earth", REGION)
    return view.with_operation(hypothetical_operation(store, firm, seg, REGION), firm)


def test_with_uncertain_not_counted_the_landing_fills_the_segment(unverified):
    rules = GapRules(count_uncertain=False)
    before = completeness(chain_view(unverified, "rare-earth", REGION), None)
    assert before.share == pytest.approx(1.0)  # default rules count the uncertain firm
    result = simulate_landing(unverified, "bt-t-zhenghai", "re-ndfeb", REGION, rules)
    chain = result.chains[0]
    assert (chain.before.share, chain.after.share) == (pytest.approx(0.5), pytest.approx(1.0))
    # one verified firm: weak, still a gap of another kind — never "closed"
    assert result.gaps_closed == []
    assert [(g.segment, g.kind_after) for g in result.gaps_changed] == [
        ("re-ndfeb", GapKind.STRENGTHEN)
    ]


def test_a_landing_stated_unverified_that_changes_nothing_says_why(unverified):
    result = simulate_landing(
        unverified, "bt-t-zhenghai", "re-ndfeb", REGION, certainty="uncertain"
    )
    assert result.status_changes == [] and result.chains[0].delta_weighted == 0
    assert "没有变化" in result.why_unchanged and "薄弱" in result.why_unchanged


def test_the_cli_prints_the_reason_and_never_closes_a_gap_still_open(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "graph.pickle"))
    monkeypatch.setenv("CHAINKG_DATASET", str(CASES / "simulate-unverified"))
    monkeypatch.setenv("CHAINKG_REGION", REGION)
    monkeypatch.setenv("CHAINKG_COUNT_UNCERTAIN", "false")
    result = CliRunner().invoke(
        cli, ["simulate", "bt-t-zhenghai", "--segment", "re-ndfeb"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "关闭缺口" not in result.output and "缺口类型变化" in result.output
    assert "已核实" in result.output and "50.0% → 100.0%" in result.output


def test_gaps_csv_and_table_show_the_evidence_grade_and_coverage(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "graph.pickle"))
    monkeypatch.setenv("CHAINKG_DATASET", str(CASES / "simulate-unverified"))
    monkeypatch.setenv("CHAINKG_REGION", REGION)
    run = CliRunner()
    result = run.invoke(cli, ["gaps", "rare-earth", "--format", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output[result.output.index("类型") :])))
    header = rows[0]
    assert "证据等级" in header and "覆盖与可信度" in header
    grade = {r[header.index("环节ID")]: r[header.index("证据等级")] for r in rows[1:]}
    assert grade == {"re-ndfeb": "待核实", "re-separation": "已核实企业"}
    table = run.invoke(cli, ["gaps", "rare-earth"], catch_exceptions=False).output
    assert "仅供参考" in table  # the quoted figure and the labelled one, in the title
