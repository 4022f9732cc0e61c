"""The analysis on the shipped Xining dataset: the answers officers will check first."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import MemoryStore, NodeKind
from graph.analysis import (
    EvidenceGrade,
    GapKind,
    GapRules,
    Status,
    chain_view,
    completeness,
    find_gaps,
    map_completeness,
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
        known = [p for p in r.components if p.points is not None]
        total = 100 * sum(p.points for p in known) / sum(p.weight for p in known)
        assert total == pytest.approx(r.score, abs=0.05)  # points are rounded


# ------------------------------------------------------------------ issue 12: honest verdicts

SIX = ("pv", "lithium", "electronic", "alloy", "biomed", "plateau")
# segments where the research brief has sourced local presence (§2): never "无本地数据"
SOURCED_PRESENCE = (
    "plateau-livestock",  # 湟源 牦牛存栏>10万头
    "plateau-slaughter",  # 湟源 屠宰能力>25万头, 冷藏8800吨
    "alloy-recycled-aluminium",  # 大通北川 电解铝及再生铝企业4家
    "pv-glass",
    "electronic-special-gas",
    "electronic-formed-foil",
    "electronic-sapphire",
    "plateau-barley-food",
    "plateau-wolfberry-products",
    "plateau-edible-oil",
    "alloy-methanol",
    "alloy-olefins",
    "alloy-chromium-salts",
)


def test_every_non_present_segment_of_the_six_chains_is_listed_once_with_its_grade(store):
    for chain in SIX:
        view = chain_view(store, chain, "xining")
        verdicts = segment_status(view)
        found = find_gaps(view, verdicts=verdicts)
        listed = [g.segment for g in found]
        assert len(listed) == len(set(listed)), chain
        assert set(listed) == {s for s in view.segments if verdicts[s].status != Status.PRESENT}
        assert all(g.evidence_grade_label and g.coverage_label for g in found)


def test_no_segment_with_sourced_presence_in_the_brief_says_no_local_data(store):
    for chain in SIX:
        verdicts = segment_status(chain_view(store, chain, "xining"))
        for seg in set(SOURCED_PRESENCE) & set(verdicts):
            verdict = verdicts[seg]
            assert verdict.evidence_grade != EvidenceGrade.NO_LOCAL_DATA, seg
            assert "无本地数据" not in verdict.reason and "没有本地" not in verdict.reason, seg


def test_unverified_sole_facts_are_to_be_verified_not_single_points(store):
    lithium = segment_status(chain_view(store, "lithium", "xining"))
    carbonate = lithium["lithium-carbonate"]
    assert (
        carbonate.evidence_grade == EvidenceGrade.UNVERIFIED and carbonate.rule == "only_uncertain"
    )
    assert "泰丰先行" in carbonate.reason and "单点风险" not in carbonate.reason
    silicon = segment_status(chain_view(store, "pv", "xining"))["pv-industrial-silicon"]
    assert silicon.evidence_grade_label == "待核实" and "单点风险" not in silicon.reason


def test_lipf6_and_electronic_special_gas_are_fill_gaps(store):
    lithium = {g.segment: g for g in find_gaps(chain_view(store, "lithium", "xining"))}
    assert lithium["lithium-lipf6"].kind == GapKind.FILL
    electronic = {g.segment: g for g in find_gaps(chain_view(store, "electronic", "xining"))}
    assert electronic["electronic-special-gas"].kind == GapKind.FILL


def test_isolated_missing_segments_are_listed_as_far_extensions(store):
    alloy = {g.segment: g for g in find_gaps(chain_view(store, "alloy", "xining"))}
    biomed = {g.segment: g for g in find_gaps(chain_view(store, "biomed", "xining"))}
    electronic = {g.segment: g for g in find_gaps(chain_view(store, "electronic", "xining"))}
    for gap in (
        alloy["alloy-magnesium"],
        biomed["biomed-biologics"],
        electronic["electronic-packaging"],
    ):
        assert gap.kind in (GapKind.EXTEND, GapKind.FILL) and gap.why


def test_plateau_lists_its_gaps_when_uncertain_facts_are_not_counted(store):
    rules = GapRules(count_uncertain=False)
    view = chain_view(store, "plateau", "xining")
    found = find_gaps(view, rules)
    assert len(found) >= 12


def test_a_verified_50gw_wafer_landing_lifts_wafers_out_of_the_bottleneck(store):
    result = simulate_landing(store, "t-002129", "pv-wafer", "xining", capacity=50, unit="GW")
    assert result.verdict_before.rule == "bottleneck"
    assert result.verdict_after.rule != "bottleneck"
    assert result.verdict_after.local_capacity == pytest.approx(55.6)
    assert ("pv-wafer", GapKind.STRENGTHEN) in {(g.segment, g.kind) for g in result.gaps_closed}
    for change in result.maps:  # each map from its own segments, as gaps --map computes it
        assert change.before == map_completeness(store, change.scope, "xining")


def test_the_aluminium_map_has_one_completeness_from_every_chain(store):
    score = map_completeness(store, "alloy-aluminium-map", "xining")
    pv = chain_view(store, "pv", "xining")
    alloy = chain_view(store, "alloy", "xining")
    assert "alloy-aluminium-map" in alloy.maps
    assert score.share == pytest.approx(9 / 14)
    for view in (pv, alloy):
        if "alloy-aluminium-map" in view.maps:
            # the chain's own view of the map may differ; the figure to show is map_completeness
            assert map_completeness(store, "alloy-aluminium-map", "xining") == score
