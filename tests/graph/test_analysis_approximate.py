"""Figures written 约/近/超 … (``approximate``) are shown as 约… wherever analysis quotes them,
on the chinese-number-forms case: 丙能源 makes 约5.7 GW of cells, 单晶拉棒项目 is 约180亿元."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import MemoryStore
from graph.analysis import amount, chain_view, find_gaps, segment_status
from graph.analysis.evidence import sightings
from loaders.curated import load_dataset
from viz.facts import operation_facts, segment_facts

CASE = Path(__file__).parents[1] / "fixtures" / "cases" / "chinese-number-forms"


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    loaded = MemoryStore()
    load_dataset(CASE, loaded)
    return loaded


def test_amount_marks_only_approximate_figures() -> None:
    assert amount(5.7, "GW", True) == "约5.7GW"
    assert amount(102.0, "GW", False) == "102GW"
    assert amount(None, "GW", True) == ""


def test_the_bottleneck_reason_says_about_for_an_approximate_capacity(store) -> None:
    verdicts = segment_status(chain_view(store, "pv", "xn"))
    cell = verdicts["pv-cell"]
    assert cell.rule == "bottleneck"
    assert cell.reason.startswith("本地电池片产能约5.7GW，仅为链上单晶拉棒102GW的")
    assert (cell.local_capacity, cell.local_capacity_approximate) == (5.7, True)
    assert [(f.subject, f.approximate) for f in cell.local_firms] == [("cell-c", True)]
    # exact figures stay unmarked: 1,200 MW of modules, 102 GW of ingots
    assert "约" not in verdicts["pv-module"].reason
    assert verdicts["pv-module"].local_capacity_approximate is False
    assert verdicts["pv-ingot"].local_capacity_approximate is False


def test_gap_stake_and_quotes_carry_the_flag(store) -> None:
    view = chain_view(store, "pv", "xn")
    gaps = {g.segment: g for g in find_gaps(view)}
    assert gaps["pv-cell"].verdict.local_capacity_approximate
    stakes = [s for g in gaps.values() for s in g.capacity_at_stake if s.segment == "pv-cell"]
    assert stakes and all(s.approximate for s in stakes)
    (fact,) = sightings(view, "pv-cell")
    assert fact.quote().startswith("丙能源约5.7GW（")


def test_map_tooltips_say_about(store) -> None:
    view = chain_view(store, "pv", "xn")
    verdict = segment_status(view)["pv-cell"]
    facts = {f.key: f.value for f in segment_facts(view.segments["pv-cell"], verdict, {})}
    assert facts["本地产能"] == "约5.7 GW"
    (op,) = view.local_ops["pv-cell"]
    assert operation_facts(op, {})[0].value.startswith("约5.7 GW")
    (module,) = view.local_ops["pv-module"]
    assert operation_facts(module, {})[0].value.startswith("1200 MW")
