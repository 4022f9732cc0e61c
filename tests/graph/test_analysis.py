"""Analysis on small hand-built graphs whose answers are known by construction."""

from __future__ import annotations

import pytest
from analysis_builders import GraphBuilder

from graph import NotFound
from graph.analysis import (
    GapKind,
    GapRules,
    RankWeights,
    Status,
    chain_view,
    completeness,
    find_gaps,
    rank_targets,
    segment_status,
    simulate_landing,
)

LINE = (("a", "上游"), ("b", "中游"), ("c", "中游"), ("d", "下游"))


def line_chain() -> GraphBuilder:
    """a > b > c > d, plus an auxiliary x > c."""
    return GraphBuilder().chain("k", *LINE, ("x", "上游")).link("a>b", "b>c", "c>d", "x>c")


def statuses(store, chain="k", rules=None):
    return {k: v.status for k, v in segment_status(chain_view(store, chain, "home"), rules).items()}


def gaps_by_kind(store, chain="k"):
    found = find_gaps(chain_view(store, chain, "home"))
    return {kind: [g.segment for g in found if g.kind == kind] for kind in GapKind}


def test_region_with_no_firms_lists_every_segment_once_as_an_isolated_extension():
    store = line_chain().store()
    assert set(statuses(store).values()) == {Status.MISSING}
    found = find_gaps(chain_view(store, "k", "home"))
    assert sorted(g.segment for g in found) == ["a", "b", "c", "d", "x"]
    assert {(g.kind, g.isolated) for g in found} == {(GapKind.EXTEND, True)}
    assert all("远端延链候选" in g.why and g.evidence_grade_label == "无本地数据" for g in found)
    score = completeness(chain_view(store, "k", "home"))
    assert (score.total, score.missing, score.share, score.weighted) == (5, 5, 0.0, 0.0)


def test_missing_segment_between_local_neighbours_is_a_fill_gap():
    b = line_chain()
    for firm, seg in (("f1", "a"), ("f2", "a"), ("f3", "c"), ("f4", "c")):
        b.local(firm, seg)
    gaps = gaps_by_kind(b.store())
    assert gaps[GapKind.FILL] == ["b", "x"]  # x feeds c, which has local a upstream
    assert gaps[GapKind.EXTEND] == ["d"]  # downstream of the last local stage


def test_input_to_a_supplied_local_segment_is_fill_but_before_the_first_stage_is_extend():
    b = line_chain()
    for firm, seg in (("f1", "b"), ("f2", "b"), ("f3", "c"), ("f4", "c"), ("f5", "d"), ("f6", "d")):
        b.local(firm, seg)
    gaps = gaps_by_kind(b.store())
    assert gaps[GapKind.FILL] == ["x"]  # c already has local supply from b
    assert gaps[GapKind.EXTEND] == ["a"]  # b, the first local stage, has none
    assert gaps[GapKind.STRENGTHEN] == []


def test_single_local_firm_is_weak_and_the_rule_and_threshold_are_stated():
    store = line_chain().local("solo", "b").store()
    verdict = segment_status(chain_view(store, "k", "home"))["b"]
    assert verdict.status == Status.WEAK
    assert verdict.rule == "single_firm"
    assert verdict.thresholds["min_firms"] == 2
    assert [f.subject for f in verdict.local_firms] == ["solo"]
    assert statuses(store, rules=GapRules(min_firms=1))["b"] == Status.PRESENT


def test_capacity_far_below_the_chain_flow_is_a_bottleneck_with_its_numbers():
    b = line_chain()
    for firm, seg, cap in (("i1", "b", 60), ("i2", "b", 42), ("w1", "c", 3), ("w2", "c", 2.6)):
        b.local(firm, seg, cap)
    verdict = segment_status(chain_view(b.store(), "k", "home"))["c"]
    assert verdict.status == Status.WEAK and verdict.rule == "bottleneck"
    assert verdict.local_capacity == pytest.approx(5.6)
    assert verdict.compared_with.segment == "b"
    assert verdict.compared_with.capacity == pytest.approx(102)
    assert verdict.compared_with.ratio == pytest.approx(5.6 / 102, abs=1e-4)
    assert "5.6GW" in verdict.reason and "102GW" in verdict.reason


def test_official_regional_figure_is_used_before_the_sum_of_firms():
    b = line_chain().figure("b", 102).figure("c", 5.6)
    for firm, seg in (("i1", "b"), ("i2", "b"), ("w1", "c"), ("w2", "c")):
        b.local(firm, seg)
    verdicts = segment_status(chain_view(b.store(), "k", "home"))
    assert verdicts["c"].rule == "bottleneck"
    assert verdicts["c"].regional_figure.capacity == 5.6
    assert verdicts["b"].status == Status.PRESENT


def test_figure_without_named_firm_is_weak_not_missing():
    verdict = segment_status(chain_view(line_chain().figure("d", 0.5).store(), "k", "home"))["d"]
    assert (verdict.status, verdict.rule, verdict.has_local_data) == (
        Status.WEAK,
        "no_named_firm",
        True,
    )


def test_only_unverified_presence_is_weak_and_can_be_excluded():
    b = line_chain().local("u1", "a", certainty="uncertain").local("u2", "a", certainty="uncertain")
    store = b.store()
    assert segment_status(chain_view(store, "k", "home"))["a"].rule == "only_uncertain"
    assert statuses(store, rules=GapRules(count_uncertain=False))["a"] == Status.MISSING


def test_segment_in_two_chains_is_judged_in_both():
    b = (
        GraphBuilder()
        .chain("p", ("s", "上游"), ("t", "下游"))
        .chain("q", ("u", "下游"), shared=("s",))
    )
    b.link("s>t", "s>u").local("f1", "s").local("f2", "s")
    store = b.store()
    assert statuses(store, "p")["s"] == Status.PRESENT
    assert statuses(store, "q")["s"] == Status.PRESENT
    assert gaps_by_kind(store, "q")[GapKind.EXTEND] == ["u"]


def test_cross_chain_neighbour_counts_as_local_supply():
    b = GraphBuilder().chain("p", ("m", "中游"), ("n", "下游")).chain("al", ("ore", "上游"))
    b.link("ore>m", "m>n").local("f1", "ore").local("f2", "ore").local("f3", "n").local("f4", "n")
    view = chain_view(b.store(), "p", "home")
    assert set(view.neighbours) == {"ore"}
    gap = next(g for g in find_gaps(view) if g.segment == "m")
    assert gap.kind == GapKind.FILL and gap.feeding_segments == ["ore"]


def test_gaps_are_ranked_by_dependants_downstream():
    b = line_chain()
    for firm, seg in (("f1", "b"), ("f2", "b"), ("f3", "c"), ("f4", "c"), ("f5", "d"), ("f6", "d")):
        b.local(firm, seg)
    b.chain("k2", ("y", "上游")).link("y>d")  # y feeds only d; x feeds c (and so d)
    found = [g for g in find_gaps(chain_view(b.store(), "k", "home")) if g.kind == GapKind.FILL]
    assert [g.segment for g in found] == ["x"]
    assert found[0].dependent_segments == ["c", "d"]
    assert found[0].dependent_firms == ["f3", "f4", "f5", "f6"]


def test_map_filter_and_map_completeness():
    b = line_chain()
    b.local("f1", "a").local("f2", "a")
    view = chain_view(b.store(), "k", "home")
    assert {g.segment for g in find_gaps(view, map_id="k-map")} == {"b", "c", "d", "x"}
    score = completeness(view, map_id="k-map")
    assert (score.total, score.present, score.share) == (5, 1, 0.2)
    with pytest.raises(NotFound, match="k-map"):
        find_gaps(view, map_id="k-mapp")


def test_weighted_completeness_weights_basic_materials_more():
    upstream_only = completeness(
        chain_view(line_chain().local("1", "a").local("2", "a").store(), "k", "home")
    )
    downstream_only = completeness(
        chain_view(line_chain().local("1", "d").local("2", "d").store(), "k", "home")
    )
    assert upstream_only.share == downstream_only.share
    assert upstream_only.weighted > downstream_only.weighted


# ---------------------------------------------------------------------------- ranking


def ranking_store():
    b = line_chain().local("f1", "a").local("f2", "a").local("f3", "c").local("f4", "c")
    b.target("listed-1", "b", priority=1, share=0.5, code="600001")
    b.target("listed-3", "b", priority=3, share=0.9, code="600002")
    b.outside("big", "b", capacity=10, share=0.2)
    b.outside("small", "b", capacity=5, share=0.2)
    b.outside("big", "c", capacity=1)  # firm in several segments: linked to more local ones
    return b.store()


def test_scores_order_the_rows_and_components_add_up_over_the_known_ones():
    store = ranking_store()
    ranked = rank_targets(store, chain_view(store, "k", "home"), "b")
    assert [r.firm for r in ranked] == ["listed-1", "listed-3", "big", "small"]
    for r in ranked:
        known = [p for p in r.components if p.points is not None]
        total = 100 * sum(p.points for p in known) / sum(p.weight for p in known)
        assert total == pytest.approx(r.score, abs=0.05)  # points are rounded
        assert r.scored_on == len(known)
        assert [p.name for p in r.components] == ["fit", "on_list", "link", "scale", "listed"]
    big, small = ranked[2], ranked[3]
    assert next(p for p in big.components if p.name == "scale").value == 1.0
    assert next(p for p in small.components if p.name == "scale").value == 0.5
    assert big.origin == "graph" and not big.on_list


def test_local_firms_are_never_candidates():
    store = ranking_store()
    ranked = rank_targets(store, chain_view(store, "k", "home"), "a")
    assert ranked == []


def test_ties_are_broken_by_firm_id_whatever_the_insertion_order():
    b1 = line_chain().outside("zeta", "b", share=0.3).outside("alpha", "b", share=0.3)
    b2 = line_chain().outside("alpha", "b", share=0.3).outside("zeta", "b", share=0.3)
    for b in (b1, b2):
        store = b.store()
        ranked = rank_targets(store, chain_view(store, "k", "home"), "b")
        assert [r.firm for r in ranked] == ["alpha", "zeta"]
        assert ranked[0].score == ranked[1].score


def test_weights_are_configurable_and_zero_weight_removes_a_component():
    store = ranking_store()
    view = chain_view(store, "k", "home")
    ranked = rank_targets(store, view, "b", weights=RankWeights(on_list=0, fit=100))
    assert ranked[0].firm == "listed-3"  # highest share wins once the list gives no points
    assert all(p.points == 0 for r in ranked for p in r.components if p.name == "on_list")
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_chain_ranking_covers_every_gap_and_top_limits():
    store = ranking_store()
    view = chain_view(store, "k", "home")
    ranked = rank_targets(store, view)
    assert {r.segment for r in ranked} >= {"b"}
    assert len(rank_targets(store, view, top=2)) == 2
    with pytest.raises(NotFound, match="did you mean"):
        rank_targets(store, view, "bb")


# ---------------------------------------------------------------------------- simulation


def test_landing_closes_the_gap_and_raises_completeness_without_touching_the_store():
    b = line_chain()
    for firm, seg in (("f1", "a"), ("f2", "a"), ("f3", "c"), ("f4", "c")):
        b.local(firm, seg)
    b.target("lander", "b", share=0.8)
    store = b.store()
    revision = store.revision
    result = simulate_landing(store, "lander", "b", "home")
    # one firm: b is now weak (single firm), still a gap — of another kind, never "closed"
    assert result.gaps_closed == []
    assert [(g.segment, g.kind, g.kind_after) for g in result.gaps_changed] == [
        ("b", GapKind.FILL, GapKind.STRENGTHEN)
    ]
    assert result.chains[0].delta_share == pytest.approx(1 / 5)
    assert result.status_changes[0].before == Status.MISSING
    assert store.revision == revision
    assert statuses(store)["b"] == Status.MISSING


def test_landing_a_second_firm_turns_weak_into_present():
    b = line_chain().local("f1", "a").outside("other", "a", capacity=3)
    result = simulate_landing(b.store(), "other", "a", "home")
    assert [(c.before, c.after) for c in result.status_changes] == [(Status.WEAK, Status.PRESENT)]
    assert result.capacity == 3 and result.chains[0].delta_share == 0


def test_unknown_firm_or_segment_is_named_with_suggestions():
    store = ranking_store()
    with pytest.raises(NotFound, match="'lister-1'.*listed-1"):
        simulate_landing(store, "lister-1", "b", "home")
    with pytest.raises(NotFound, match="Segment"):
        simulate_landing(store, "big", "zz", "home")
