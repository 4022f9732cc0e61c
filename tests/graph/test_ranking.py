"""Target ranking rules (issue 13), on small hand-built graphs with known answers."""

from __future__ import annotations

import pytest

from graph import Firm, ParentOf, TargetedFor
from graph.analysis import chain_view, order_key, rank_targets
from graph.analysis.candidates import identity_keys, normalise_name, pool_verdict
from graph.analysis.ranking import RankWeights
from tests.graph.analysis_builders import SRC, GraphBuilder


def chain() -> GraphBuilder:
    b = GraphBuilder().chain("k", ("a", "上游"), ("b", "中游"), ("c", "下游"))
    return b.link("a>b", "b>c").local("f1", "a").local("f2", "a").local("f3", "c")


def ranked(b: GraphBuilder, segment: str = "b", **kwargs):
    store = b.store()
    return rank_targets(store, chain_view(store, "k", "home"), segment, **kwargs)


def component(row, name: str):
    return next(p for p in row.components if p.name == name)


# ------------------------------------------------------------------------- names and identity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("天合光能（常州）股份有限公司", "天合光能(常州)有限公司"),  # full/half-width brackets
        ("隆基 绿能科技股份有限公司", "隆基绿能科技"),  # spaces, legal form
        ("ＴＣＬ中环", "TCL中环"),  # full-width Latin letters (NFKC)
        ("诺德集团", "诺德股份有限公司"),
    ],
)
def test_names_compare_in_one_normal_form(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_identity_keys_cover_code_names_and_aliases():
    firm = Firm(id="x", name="晶澳科技", full_name="晶澳太阳能科技股份有限公司",
                aliases=("天业通联",), stock_code="002459.SZ", **SRC)  # fmt: skip
    assert {"code:002459.SZ", "name:晶澳科技", "name:天业通联", "name:晶澳太阳能科技"} <= (
        identity_keys(firm)
    )


def test_one_firm_one_row_across_list_and_graph_spellings():
    b = chain().target("t1", "b", priority=1, share=0.5, code="600001")
    b.nodes.append(Firm(id="t1-again", name="企业t1", stock_code="", **SRC))  # same short name
    b.edges.append(b.edges[-2].model_copy(update={"src": "t1-again"}))  # and an operation
    rows = ranked(b)
    assert [r.firm for r in rows] == ["t1"]


# ------------------------------------------------------------------------- unknown is not zero


def test_an_unknown_component_is_left_out_and_said_so():
    rows = ranked(chain().target("t1", "b", priority=1, share=None))
    fit = component(rows[0], "fit")
    assert fit.value is None and fit.points is None and "数据缺失" in fit.why
    assert rows[0].scored_on == 3 and rows[0].scored_note == "按5项中的3项计分"
    known = [p for p in rows[0].components if p.points is not None]
    assert rows[0].score == pytest.approx(
        100 * sum(p.points for p in known) / sum(p.weight for p in known), abs=0.05
    )


def test_scale_is_relative_to_the_largest_cited_figure_and_says_which():
    b = chain().outside("big", "b", capacity=10, share=0.5).outside("small", "b", capacity=5)
    rows = {r.firm: r for r in ranked(b)}
    assert component(rows["big"], "scale").value == 1.0
    assert component(rows["small"], "scale").value == 0.5
    assert "10GW" in rows["big"].scale_figure


# ------------------------------------------------------------------------- one ordering rule


def test_a_better_scored_firm_outranks_a_list_entry():
    b = chain().target("listed", "b", priority=3, share=0.01)
    b.outside("giant", "b", capacity=100, share=1.0, code="600010")
    rows = ranked(b)
    assert [r.firm for r in rows] == ["giant", "listed"]
    assert rows[0].score > rows[1].score


def test_equal_scores_put_the_list_entry_first():
    b = chain().outside("a-firm", "b", share=0.5).target("z-firm", "b", priority=1, share=0.5)
    rows = ranked(b, weights=RankWeights(on_list=0))
    assert rows[0].score == rows[1].score and [r.firm for r in rows] == ["z-firm", "a-firm"]


def test_order_key_is_the_sort_of_every_output():
    b = chain().target("t1", "b", priority=2, share=0.3).outside("o1", "b", share=0.9)
    store = b.store()
    view = chain_view(store, "k", "home")
    from graph.analysis.candidates import gather_candidates
    from graph.analysis.ranking import score

    scored = score(gather_candidates(store, view, "b"), view)
    assert scored == sorted(scored, key=order_key)


def test_gap_kind_comes_from_the_analysis_not_the_rationale():
    b = chain()
    b.firm("t1")
    b.edges.append(TargetedFor(src="t1", dst="b", rationale="某某，补链；…", **SRC))
    rows = ranked(b)
    assert rows[0].gap_kind == "补链" and rows[0].rationale.startswith("某某")


# ------------------------------------------------------------------------- related firms


def test_a_parent_of_a_local_firm_is_an_expansion_lead():
    b = chain().outside("parent", "b", share=0.4, code="600020")
    b.edges.append(ParentOf(src="parent", dst="f3", relation="子公司", **SRC))
    row = ranked(b)[0]
    assert row.related == ["企业f3（子公司）"] and row.lead == "以商招商（关联企业）"
    assert (
        component(row, "link").value == 1.0 and "已在本地（关联企业）" in component(row, "link").why
    )


# ------------------------------------------------------------------------- the national pool


def test_pool_verdict_rules():
    assert pool_verdict(0.01, {"光伏设备"}, {"光伏设备"}) is None  # a sideline
    assert pool_verdict(0.56, {"化学纤维"}, {"光伏设备"}) is None  # nylon chips, not wafers
    assert pool_verdict(0.5, set(), {"光伏设备"}) is None  # nothing shows the same trade
    assert "光伏设备" in (pool_verdict(0.2, {"光伏设备"}, {"光伏设备"}) or "")
    assert pool_verdict(0.1, {"x"}, set()) is None  # nothing to compare: must be main line
    assert "占营收60%" in (pool_verdict(0.6, {"x"}, set()) or "")


# ------------------------------------------------------------------------- relations.csv


def test_relations_csv_loads_parent_links_and_reports_a_bad_child(mini_copy):
    from graph import DatasetError, MemoryStore, RelType
    from loaders import load_dataset

    header = "parent_id,parent_short_name,parent_stock_code,child_id,relation,source,year\n"
    (mini_copy / "relations.csv").write_text(
        header + "a-600999-sh,某集团,600999,poly-a,子公司,https://example.org/r,2024\n",
        encoding="utf-8",
    )
    store = MemoryStore()
    load_dataset(mini_copy, store)
    [edge] = store.edges(RelType.PARENT_OF)
    assert (edge.src, edge.dst, edge.relation) == ("a-600999-sh", "poly-a", "子公司")
    (mini_copy / "relations.csv").write_text(
        header + "a-600999-sh,某集团,600999,no-such-firm,子公司,https://example.org/r,2024\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy, MemoryStore())
    problem = next(p for p in info.value.problems if p.field == "child_id")
    assert problem.file.endswith("relations.csv") and problem.line == 2


def test_a_local_firm_is_a_candidate_only_elsewhere_and_then_an_expansion_lead():
    b = chain().outside("f3", "b", share=0.5)  # f3 is local in c
    row = ranked(b)[0]
    assert row.firm == "f3" and row.lead == "以商招商（关联企业）"
    assert row.related == ["本企业已在本地其他环节"]
    assert ranked(b, segment="c") == []  # never a candidate where it is already local
