"""The written rules of "How the analysis decides", each pinned on a hand-built graph.

Evidence grades, coverage, bottleneck scope, gap kinds, every non-present segment listed once,
rank order and tie-breaks, the completeness figure to quote, and the simulator.
"""

from __future__ import annotations

import pytest
from analysis_builders import SRC, GraphBuilder

from graph import HasCapacity, Project
from graph.analysis import (
    Coverage,
    EvidenceGrade,
    GapKind,
    GapRules,
    Status,
    chain_view,
    completeness,
    find_gaps,
    segment_status,
    simulate_landing,
)
from graph.schema import Fills

LINE = (("a", "上游"), ("b", "中游"), ("c", "中游"), ("d", "下游"))


def verdicts(store, chain="k", rules=None):
    return segment_status(chain_view(store, chain, "home"), rules)


def gaps(store, chain="k", rules=None):
    return {g.segment: g for g in find_gaps(chain_view(store, chain, "home"), rules)}


# ------------------------------------------------------------------ evidence grades


def test_each_evidence_grade_and_its_chinese_label():
    b = GraphBuilder().chain("k", *LINE)
    b.local("f1", "a").local("f2", "a")  # verified firms
    b.local("u1", "b", certainty="uncertain")  # an unverified sole fact
    b.figure("c", 5)  # an official figure, no firm
    store = b.store()
    v = verdicts(store)
    grades = {s: (v[s].evidence_grade, v[s].evidence_grade_label) for s in "abcd"}
    assert grades == {
        "a": (EvidenceGrade.VERIFIED_FIRM, "已核实企业"),
        "b": (EvidenceGrade.UNVERIFIED, "待核实"),
        "c": (EvidenceGrade.OFFICIAL_ONLY, "仅官方统计"),
        "d": (EvidenceGrade.NO_LOCAL_DATA, "无本地数据"),
    }


def test_an_unverified_sole_fact_is_to_be_verified_with_the_fact_quoted_not_a_single_point():
    b = GraphBuilder().chain("k", *LINE).local("u1", "b", capacity=3, certainty="uncertain")
    verdict = verdicts(b.store())["b"]
    assert (verdict.status, verdict.rule) == (Status.WEAK, "only_uncertain")
    assert verdict.reason.startswith("待核实")
    assert "企业u1" in verdict.reason and "3GW" in verdict.reason and "2024" in verdict.reason
    assert "单点风险" not in verdict.reason


def test_a_verified_sole_firm_is_a_single_point_naming_the_firm():
    verdict = verdicts(GraphBuilder().chain("k", *LINE).local("f1", "b").store())["b"]
    assert (
        verdict.rule == "single_firm"
        and "企业f1" in verdict.reason
        and "单点风险" in verdict.reason
    )


def test_not_counting_uncertain_keeps_the_fact_quoted_on_a_missing_segment():
    b = GraphBuilder().chain("k", *LINE).local("u1", "b", certainty="uncertain")
    verdict = verdicts(b.store(), rules=GapRules(count_uncertain=False))["b"]
    assert verdict.status == Status.MISSING
    assert verdict.evidence_grade == EvidenceGrade.UNVERIFIED and "企业u1" in verdict.reason


def test_a_plan_alone_is_to_be_verified_and_missing():
    b = GraphBuilder().chain("k", *LINE)
    b.nodes.append(Project(id="p", name="规划项目P", type="补链", **SRC))
    b.edges.append(Fills(src="p", dst="c"))
    verdict = verdicts(b.store())["c"]
    assert verdict.status == Status.MISSING
    assert verdict.evidence_grade == EvidenceGrade.UNVERIFIED and "规划项目P" in verdict.reason


# ------------------------------------------------------------------ coverage


def test_absent_is_not_unobserved_coverage_says_what_was_looked_at():
    b = GraphBuilder().chain("k", *LINE).local("f1", "a").local("f2", "a").figure("a", 10)
    v = verdicts(b.store())
    # a: verified recent firms (+2) and an official figure for it (+1)
    assert v["a"].coverage == Coverage.HIGH
    assert v["a"].coverage_label.startswith("本地环节a：依据")
    # d: nothing about it, but official statistics cover the chain and do not list it
    assert v["d"].coverage == Coverage.LOW
    assert "本地未发现环节d企业" in v["d"].coverage_label
    assert "未列此环节" in v["d"].coverage_label and "可信度低" in v["d"].coverage_label


def test_with_no_source_at_all_coverage_says_so_and_never_claims_absence():
    v = verdicts(GraphBuilder().chain("k", *LINE).store())
    assert v["b"].coverage == Coverage.LOW
    assert "不等于本地没有" in v["b"].coverage_label


# ------------------------------------------------------------------ bottleneck scope


def test_bottleneck_compares_with_the_chain_transitively_up_and_downstream():
    # a 100 GW > b (2 firms, no figure) > c 5 GW: c is compared with a, two steps up
    b = GraphBuilder().chain("k", *LINE).link("a>b", "b>c", "c>d")
    b.figure("a", 100).figure("c", 5)
    for firm, seg in (("f1", "a"), ("f2", "a"), ("f3", "b"), ("f4", "b"), ("f5", "c"), ("f6", "c")):
        b.local(firm, seg)
    verdict = verdicts(b.store())["c"]
    assert verdict.rule == "bottleneck" and verdict.compared_with.segment == "a"
    assert verdict.compared_with.ratio == pytest.approx(0.05)


def test_bottleneck_ignores_other_chains_and_unlinked_segments():
    b = GraphBuilder().chain("k", *LINE).chain("o", ("big", "上游")).link("big>c", "a>b")
    b.figure("big", 1000).figure("c", 5).figure("b", 1000)  # b is not linked to c
    for firm, seg in (("f1", "c"), ("f2", "c")):
        b.local(firm, seg)
    assert verdicts(b.store())["c"].rule == "established"


# ------------------------------------------------------------------ gap kinds


def kinds_chain() -> GraphBuilder:
    """w > a > b > d, with inputs y > z > b and an isolated q; a and b are local."""
    b = GraphBuilder().chain(
        "k",
        ("w", "上游"),
        ("a", "上游"),
        ("b", "中游"),
        ("d", "下游"),
        ("y", "上游"),
        ("z", "中游"),
        ("q", "下游"),
    )
    b.link("w>a", "a>b", "b>d", "y>z", "z>b")
    for firm, seg in (("f1", "a"), ("f2", "a"), ("f3", "b"), ("f4", "b")):
        b.local(firm, seg)
    return b


def test_an_input_of_a_local_stage_reachable_downstream_is_fill_even_through_a_missing_one():
    found = gaps(kinds_chain().store())
    assert found["z"].kind == GapKind.FILL  # a direct input of local b (which a also feeds)
    assert found["y"].kind == GapKind.FILL  # y > z > b: like LiPF6 > electrolyte > cells
    assert "b" in found["y"].why or "环节b" in found["y"].why


def test_before_the_first_and_beyond_the_last_local_stage_is_extend():
    found = gaps(kinds_chain().store())
    assert found["w"].kind == GapKind.EXTEND and "向上延链" in found["w"].why
    assert found["d"].kind == GapKind.EXTEND and "向下延链" in found["d"].why


def test_a_missing_input_of_another_chains_local_stage_is_fill():
    b = GraphBuilder().chain("k", ("gas", "上游")).chain("o", ("cell", "中游"))
    b.link("gas>cell").local("f1", "cell").local("f2", "cell")
    assert gaps(b.store())["gas"].kind == GapKind.FILL


def test_every_non_present_segment_is_listed_once_isolated_ones_as_far_extensions():
    store = kinds_chain().store()
    found = find_gaps(chain_view(store, "k", "home"))
    v = verdicts(store)
    assert sorted(g.segment for g in found) == sorted(s for s in v if v[s].status != "present")
    assert len({g.segment for g in found}) == len(found)
    q = next(g for g in found if g.segment == "q")
    assert (q.kind, q.isolated) == (GapKind.EXTEND, True) and "远端延链候选" in q.why


def test_with_uncertain_not_counted_a_zero_percent_chain_still_lists_its_gaps():
    b = GraphBuilder().chain("k", *LINE).link("a>b", "b>c", "c>d")
    for seg in "abcd":
        b.local(f"u{seg}", seg, certainty="uncertain")
    rules = GapRules(count_uncertain=False)
    view = chain_view(b.store(), "k", "home")
    assert completeness(view, segment_status(view, rules)).share == 0
    found = find_gaps(view, rules)
    assert sorted(g.segment for g in found) == ["a", "b", "c", "d"]
    assert all(g.evidence_grade == EvidenceGrade.UNVERIFIED for g in found)


# ------------------------------------------------------------------ rank order


def test_rank_by_local_segments_downstream_then_firms_then_feeders_then_id():
    b = GraphBuilder().chain(
        "k",
        ("a", "上游"),
        ("m1", "中游"),
        ("m2", "中游"),
        ("n", "中游"),
        ("c", "下游"),
        ("e", "下游"),
    )
    # m1, m2 are inputs of c (local, supplied by a); n feeds e (local) and c
    b.link("a>c", "m1>c", "m2>c", "n>c", "n>e", "a>e")
    for firm, seg in (("f1", "a"), ("f2", "a"), ("f3", "c"), ("f4", "c"), ("f5", "e"), ("f6", "e")):
        b.local(firm, seg)
    fill = sorted(
        (g for g in gaps(b.store()).values() if g.kind == GapKind.FILL), key=lambda g: g.rank
    )
    # n reaches two local segments; m1 and m2 tie on everything and are ordered by id
    assert [g.segment for g in fill] == ["n", "m1", "m2"]
    assert [g.rank for g in fill] == [1, 2, 3]


# ------------------------------------------------------------------ completeness


def test_one_completeness_figure_to_quote_and_the_weighted_one_labelled():
    b = GraphBuilder().chain("k", *LINE).link("a>b", "b>c", "c>d").local("f1", "a").local("f2", "a")
    score = completeness(chain_view(b.store(), "k", "home"))
    assert score.share == pytest.approx(0.25)
    assert score.label.startswith("完整度 25%") and "仅供参考" in score.label


# ------------------------------------------------------------------ simulator


def test_a_landing_adds_to_the_official_figure_so_a_bottleneck_lifts():
    b = GraphBuilder().chain("k", *LINE).link("a>b", "b>c", "c>d")
    b.figure("a", 102).figure("b", 5.6)
    for firm, seg in (("f1", "a"), ("f2", "a"), ("f3", "b"), ("f4", "b")):
        b.local(firm, seg)
    b.target("maker", "b")
    store = b.store()
    assert verdicts(store)["b"].rule == "bottleneck"
    result = simulate_landing(store, "maker", "b", "home", capacity=50, unit="GW")
    assert result.verdict_after.local_capacity == pytest.approx(55.6)
    assert result.verdict_after.rule == "established"
    assert [(g.segment, g.kind) for g in result.gaps_closed] == [("b", GapKind.STRENGTHEN)]
    assert result.certainty == "verified" and "已核实" in result.certainty_note
    assert result.why_unchanged == ""


def test_a_landing_that_changes_nothing_says_why():
    b = GraphBuilder().chain("k", *LINE).local("f1", "a").local("f2", "a").target("t", "a")
    result = simulate_landing(b.store(), "t", "a", "home")
    assert result.status_changes == [] and result.gaps_closed == []
    assert "没有变化" in result.why_unchanged and "已有" in result.why_unchanged


def test_a_landing_stated_unverified_is_not_counted_when_uncertain_is_off_and_says_so():
    b = GraphBuilder().chain("k", *LINE).target("t", "b")
    rules = GapRules(count_uncertain=False)
    result = simulate_landing(b.store(), "t", "b", "home", rules, certainty="uncertain")
    assert "CHAINKG_COUNT_UNCERTAIN=false" in result.why_unchanged


def test_landed_capacity_defaults_to_the_segment_unit_and_adds_to_the_figure():
    # the figure counts what is there; the landed capacity is added on top of it
    b = GraphBuilder().chain("k", *LINE).target("t", "b")
    b.edges.append(HasCapacity(src="home", dst="b", capacity=1, unit="GW", **SRC))
    result = simulate_landing(b.store(), "t", "b", "home", capacity=2)
    assert result.unit == "GW" and result.verdict_after.local_capacity == pytest.approx(3)
