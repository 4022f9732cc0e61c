"""The ranking on the real data: Xining + the full ChainKG import (issue 13's done criteria).

Needs the third-party ChainKG dataset (``../shared/datasets/chainkg`` beside the repository,
or ``CHAINKG_DIR``); skipped without it, as the other ChainKG tests are.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from graph import MemoryStore, NodeKind
from graph.analysis import chain_view, rank_targets
from loaders import load_dataset
from loaders.chainkg import load_chainkg
from loaders.chainkg_match import score_labels

REPO = Path(__file__).resolve().parents[2]
CHAINKG = Path(os.environ.get("CHAINKG_DIR", REPO.parent / "shared" / "datasets" / "chainkg"))
LABELS = REPO / "tests" / "data" / "national_labels.csv"
# (chain, segment): the firms the cited figures in targets.csv show to be the largest
LARGEST = {
    ("pv", "pv-wafer"): {"t-601012", "t-002129"},  # 隆基绿能, TCL中环: 拉晶产能超150GW
    ("lithium", "lithium-anode"): {"t-835185", "t-600884"},  # 贝特瑞 36万吨, 杉杉 20万吨
    ("lithium", "lithium-electrolyte"): {"t-002709"},  # 天赐材料 39.6万吨 (2023)
    ("pv", "pv-glass"): {"t-002623"},  # 亚玛顿: the only comparable (㎡) figure
}


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    if not (CHAINKG / "company.json").exists():
        pytest.skip(f"the ChainKG dataset is not at {CHAINKG}")
    store = MemoryStore()
    load_dataset(REPO / "data" / "xining", store)
    load_chainkg(CHAINKG, store)
    return store


@pytest.mark.parametrize(("key", "largest"), sorted(LARGEST.items()))
def test_the_largest_cited_firms_rank_in_the_top_two(store, key, largest):
    chain, segment = key
    rows = rank_targets(store, chain_view(store, chain, "xining"), segment)
    assert largest <= {r.firm for r in rows[:2]}
    for r in rows[:2]:
        if r.firm in largest:
            assert "来源" in r.scale_figure  # the row says which figure put it there


@pytest.mark.parametrize(
    ("chain", "segment", "name"),
    [
        ("pv", "pv-wafer", "美达股份"),
        ("pv", "pv-wafer", "神马股份"),
        ("pv", "pv-module", "正海磁材"),
        ("pv", "pv-module", "徕木股份"),
        ("lithium", "lithium-ev", "精锻科技"),
        ("lithium", "lithium-ev", "国机汽车"),
        ("lithium", "lithium-ev", "广汇汽车"),
    ],
)
def test_the_named_false_positives_are_gone(store, chain, segment, name):
    rows = rank_targets(store, chain_view(store, chain, "xining"), segment)
    assert name not in {r.name for r in rows}


def test_no_firm_twice_in_any_chain_ranking(store):
    for chain in (c.id for c in store.nodes(NodeKind.CHAIN)):
        rows = rank_targets(store, chain_view(store, chain, "xining"))
        twice = [k for k, n in Counter((r.firm, r.segment) for r in rows).items() if n > 1]
        codes = Counter((r.stock_code, r.segment) for r in rows if r.stock_code)
        assert twice == [] and [k for k, n in codes.items() if n > 1] == []


def test_parents_of_local_firms_are_marked(store):
    rows = rank_targets(store, chain_view(store, "alloy", "xining"), "alloy-alumina")
    chalco = next(r for r in rows if r.name == "中国铝业")
    assert chalco.lead == "以商招商（关联企业）" and chalco.related
    rows = rank_targets(store, chain_view(store, "lithium", "xining"), "lithium-copper-foil")
    assert next(r for r in rows if r.name == "诺德股份").related == ["青海诺德（子公司）"]


def test_fit_comes_from_the_matching_product(store):
    rows = rank_targets(store, chain_view(store, "alloy", "xining"), "alloy-alumina")
    tianshan = next(r for r in rows if r.name == "天山铝业")
    assert tianshan.share == pytest.approx(0.044) and tianshan.product == "销售氧化铝"
    assert tianshan.data_date == "ChainKG 2021年快照"  # the share is a ChainKG figure
    rows = rank_targets(store, chain_view(store, "pv", "xining"), "pv-wafer")
    assert next(r for r in rows if r.name == "隆基绿能").product == "单晶硅片"


def test_every_pool_row_shows_its_product_share_and_data_date(store):
    rows = rank_targets(store, chain_view(store, "pv", "xining"))
    pool = [r for r in rows if r.origin == "national"]
    assert pool and all(r.product and r.data_date == "ChainKG 2021年快照" for r in pool)


def test_precision_on_the_hand_labelled_sample(store):
    with LABELS.open(encoding="utf-8") as f:
        labels = list(csv.DictReader(f))
    assert len(labels) >= 200
    result = score_labels(store, "xining", labels)
    assert result.precision >= 0.9, result.mistakes
