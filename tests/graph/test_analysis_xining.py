"""The analysis on the shipped Xining dataset: the answers officers will check first."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import MemoryStore, NodeKind
from graph.analysis import (
    GapKind,
    Status,
    chain_view,
    completeness,
    find_gaps,
    rank_targets,
    segment_status,
    simulate_landing,
)
from loaders import load_dataset

XINING = Path(__file__).resolve().parents[2] / "data" / "xining"


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_dataset(XINING, store)
    return store


def gaps_of(store, chain, kind):
    return [g for g in find_gaps(chain_view(store, chain, "xining")) if g.kind == kind]


def test_lithium_fill_gaps_include_anode_and_electrolyte_with_evidence(store):
    fill = {g.segment: g for g in gaps_of(store, "lithium", GapKind.FILL)}
    assert {"lithium-anode", "lithium-electrolyte"} <= set(fill)
    anode = fill["lithium-anode"]
    assert anode.verdict.status == Status.MISSING and anode.verdict.rule == "no_local_firm"
    assert "lithium-cell" in anode.dependent_segments  # local cell makers need it
    assert anode.dependent_firms and anode.targets_on_list >= 3
    assert anode.capacity_at_stake  # the cells' GWh are at stake


def test_pv_wafer_cell_module_are_weak_against_ingots_with_the_numbers(store):
    verdicts = segment_status(chain_view(store, "pv", "xining"))
    for seg in ("pv-wafer", "pv-cell", "pv-module"):
        verdict = verdicts[seg]
        assert (verdict.status, verdict.rule) == (Status.WEAK, "bottleneck"), seg
        assert verdict.compared_with.segment == "pv-ingot"
        assert verdict.compared_with.ratio < 0.25
        assert verdict.regional_figure is not None and verdict.regional_figure.source
    assert verdicts["pv-wafer"].local_capacity == pytest.approx(5.6)
    assert verdicts["pv-wafer"].compared_with.capacity == pytest.approx(102)
    assert verdicts["pv-ingot"].status != Status.MISSING


def test_pv_lists_the_missing_auxiliary_materials(store):
    fill = {g.segment for g in gaps_of(store, "pv", GapKind.FILL)}
    assert {"pv-eva-film", "pv-silver-paste", "pv-ribbon"} <= fill


def test_every_verdict_carries_its_evidence(store):
    for chain in store.nodes(NodeKind.CHAIN):
        for verdict in segment_status(chain_view(store, chain.id, "xining")).values():
            assert verdict.reason and verdict.rule and verdict.thresholds
            for fact in verdict.local_firms:
                assert fact.source, (verdict.segment, fact.subject)
            if verdict.status == Status.MISSING:
                assert not verdict.local_firms
            else:
                assert verdict.local_firms or verdict.regional_figure


def test_landing_a_listed_anode_maker_fills_the_gap_by_exactly_one_segment(store):
    view = chain_view(store, "lithium", "xining")
    before = completeness(view)
    result = simulate_landing(store, "t-603659", "lithium-anode", "xining")
    changed = {(g.segment, g.kind, g.kind_after) for g in result.gaps_changed}
    assert ("lithium-anode", GapKind.FILL, GapKind.STRENGTHEN) in changed  # one firm: still weak
    assert "lithium-anode" not in {g.segment for g in result.gaps_closed}
    lithium = next(c for c in result.chains if c.scope == "lithium")
    assert lithium.before == before
    assert lithium.delta_share == pytest.approx(1 / before.total, abs=1e-6)
    assert lithium.after.missing == before.missing - 1
    # nothing was written
    assert store.operations(["lithium-anode"], "xining") == []


def test_ranked_targets_explain_their_scores(store):
    view = chain_view(store, "lithium", "xining")
    ranked = rank_targets(store, view, "lithium-anode")
    assert ranked and all(r.on_list for r in ranked[:3])
    for r in rank_targets(store, view):
        assert sum(p.points for p in r.components) == pytest.approx(r.score, abs=0.011)
