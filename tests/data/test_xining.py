"""The Xining reference dataset (data/xining): counts, integrity, honesty of its facts, and the
promises its README makes (targets are real firms outside Xining, in gap or weak segments, and
the target list can be swapped for an officer's own in one step)."""

from __future__ import annotations

import csv
import json
import re
import shutil
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import (
    Certainty,
    Firm,
    HasCapacity,
    LocatedIn,
    MemoryStore,
    NodeKind,
    OperatesIn,
    RelType,
    TargetedFor,
)
from graph.schema import Sourced
from loaders import Dataset, load_dataset, read_dataset

REPO = Path(__file__).resolve().parents[2]
XINING = REPO / "data" / "xining"
CHAINKG = REPO / ".." / "shared" / "datasets" / "chainkg"
REGION = "xining"
SIX_CHAINS = {"lithium", "pv", "electronic", "alloy", "biomed", "plateau"}
WEAK_BY_CAPACITY = {"pv-wafer", "pv-cell", "pv-module"}  # 5.6–5.9 GW against 102 GW of ingots
# Facts that may lack a year, and why.
YEARLESS = {
    "huangyuan-yak-carcass": "the county's investment-offer page is undated",
    "HasCapacity xining -> plateau-livestock": "same undated county page (湟源 yak herd)",
    "HasCapacity xining -> plateau-slaughter": "same undated county page (湟源 slaughter)",
}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return read_dataset(XINING)


@pytest.fixture(scope="module")
def store(dataset: Dataset) -> MemoryStore:
    store = MemoryStore()
    store.apply(dataset.batch)
    return store


def firms(store: MemoryStore) -> list[Firm]:
    return store.nodes(NodeKind.FIRM)  # type: ignore[return-value]


def target_firm_ids(store: MemoryStore) -> set[str]:
    return {e.src for e in store.edges(RelType.TARGETED_FOR)}


def local_firms_in(store: MemoryStore, segment: str) -> set[str]:
    return {op.src for op in store.operations([segment], REGION)}


def sourced_facts(dataset: Dataset) -> list[Sourced]:
    nodes = [n for n in dataset.batch.nodes if isinstance(n, Sourced)]
    return [*nodes, *(e for e in dataset.batch.edges if isinstance(e, Sourced))]


def label(fact: Sourced) -> str:
    return getattr(fact, "id", None) or f"{type(fact).__name__} {fact.src} -> {fact.dst}"  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- counts


def test_the_dataset_has_six_chains_and_eleven_maps(store: MemoryStore) -> None:
    assert {c.id for c in store.nodes(NodeKind.CHAIN)} == SIX_CHAINS
    assert store.count(NodeKind.MAP) == 11


def test_the_target_list_has_157_distinct_firms_as_the_programme_states(
    store: MemoryStore,
) -> None:
    stated = store.get("kpi-target-firms").value  # type: ignore[union-attr]
    assert len(target_firm_ids(store)) == stated == 157


def test_the_map_count_matches_the_programme_figure(store: MemoryStore) -> None:
    assert store.count(NodeKind.MAP) == store.get("kpi-maps").value  # type: ignore[union-attr]


@pytest.mark.parametrize("chain", sorted(SIX_CHAINS))
def test_each_chain_has_12_to_30_segments_linked_by_supplies(
    store: MemoryStore, chain: str
) -> None:
    segments = {s.id for s in store.chain_segments(chain)}
    assert 12 <= len(segments) <= 30
    linked = {e.src for e in store.supplies_touching(segments)} | {
        e.dst for e in store.supplies_touching(segments)
    }
    assert segments <= linked, f"segments with no SUPPLIES link: {sorted(segments - linked)}"


def test_the_four_maps_named_in_reports_exist(store: MemoryStore) -> None:
    names = {m.name for m in store.nodes(NodeKind.MAP)}
    for named in ("光伏制造", "锂动力及储能电池", "合金新材料", "特色化工"):
        assert any(n.startswith(named) for n in names), named


def test_there_are_local_firms_projects_and_capacities(store: MemoryStore) -> None:
    local = {op.src for op in store.edges(RelType.OPERATES_IN) if op.site}  # type: ignore[attr-defined]
    assert len(local) >= 40
    assert store.count(NodeKind.PROJECT) >= 20
    assert store.count(RelType.HAS_CAPACITY) >= 13


# ------------------------------------------------------------------------------- integrity


def test_the_dataset_loads_into_the_memory_store_all_of_it(tmp_path: Path) -> None:
    store = MemoryStore()
    loaded = load_dataset(XINING, store)
    assert store.count(NodeKind.FIRM) == loaded.count(NodeKind.FIRM)
    assert store.count(NodeKind.SEGMENT) == loaded.count(NodeKind.SEGMENT) >= 100


def test_the_load_command_succeeds_and_stats_show_the_chains(tmp_path: Path) -> None:
    snapshot = str(tmp_path / "graph.pickle")
    loaded = CliRunner().invoke(app, ["load", str(XINING), "--data-file", snapshot])
    assert loaded.exit_code == 0, loaded.output
    stats = CliRunner().invoke(app, ["stats", "--data-file", snapshot])
    assert stats.exit_code == 0, stats.output
    for name in ("光伏制造", "锂动力及储能电池", "电子信息材料", "生物医药"):
        assert name in stats.output
    assert re.search(r"靶向企业（去重）\s*│\s*157\b", stats.output)


@pytest.mark.parametrize(
    "segment",
    [
        "pv-industrial-silicon",
        "pv-polysilicon",
        "pv-ingot",
        "pv-wafer",
        "pv-cell",
        "pv-module",
        "pv-eva-film",
        "pv-silver-paste",
        "pv-ribbon",
        "pv-glass",
        "pv-frame",
        "lithium-cathode",
        "lithium-anode",
        "lithium-electrolyte",
        "lithium-separator",
        "lithium-copper-foil",
        "lithium-cell",
        "alloy-primary-aluminium",
        "electronic-polysilicon",
    ],
)
def test_segments_other_modules_rely_on_exist_with_aliases_and_keywords(
    store: MemoryStore, segment: str
) -> None:
    node = store.get(segment, NodeKind.SEGMENT)
    assert node.aliases and node.keywords  # type: ignore[union-attr]


def test_copper_foil_is_shared_by_lithium_and_electronic(store: MemoryStore) -> None:
    assert store.get("lithium-copper-foil").chains == ("lithium", "electronic")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("upstream", "downstream"),
    [
        ("alloy-primary-aluminium", "pv-frame"),
        ("pv-industrial-silicon", "electronic-polysilicon"),
        ("lithium-copper-foil", "electronic-ccl"),
        ("alloy-rolled-products", "lithium-aluminium-foil"),
    ],
)
def test_real_cross_chain_links_exist(store: MemoryStore, upstream: str, downstream: str) -> None:
    assert any(e.dst == downstream for e in store.supplies_touching([upstream]))


# ------------------------------------------------------------------------------- honesty


def test_every_fact_carries_a_source_and_a_year(dataset: Dataset) -> None:
    missing_year = [label(f) for f in sourced_facts(dataset) if f.year is None]
    assert all(f.source.strip() for f in sourced_facts(dataset))
    assert sorted(missing_year) == sorted(YEARLESS)


def test_facts_without_a_link_are_never_verified(dataset: Dataset) -> None:
    unlinked = [f for f in sourced_facts(dataset) if "http" not in f.source]
    assert unlinked, "expected the seed article and URL-less excerpts to be present"
    promoted = [label(f) for f in unlinked if f.certainty == Certainty.VERIFIED]
    assert promoted == []


UNCERTAIN_IN_BRIEF = [
    ("qinghai-findreams", "lithium-cell"),
    ("huatai-auto", "lithium-ev"),
    ("meilin", "pv-wafer"),
    ("trina", "pv-industrial-silicon"),
    ("trina", "pv-polysilicon"),
    ("taifeng-pulead", "lithium-carbonate"),
    ("wenyou-food", "plateau-meat-products"),
    ("xiaoxiniu", "plateau-dairy"),
    ("yinaweikang", "plateau-seabuckthorn-products"),
    ("qinghai-spring-resources", "biomed-cordyceps"),
    ("jingzhu-tibetan", "biomed-tibetan-drugs"),
    ("xining-special-steel", "alloy-special-steel"),
]


@pytest.mark.parametrize(("firm", "segment"), UNCERTAIN_IN_BRIEF)
def test_operations_tagged_uncertain_in_the_brief_stay_uncertain(
    store: MemoryStore, firm: str, segment: str
) -> None:
    (op,) = [o for o in store.operations([segment]) if o.src == firm]
    assert op.certainty == Certainty.UNCERTAIN


def test_the_blog_sourced_firm_is_low_reliability(store: MemoryStore) -> None:
    (op,) = [o for o in store.operations(["biomed-tibetan-drugs"]) if o.src == "jinhe-tibetan"]
    assert op.certainty == Certainty.LOW_RELIABILITY


@pytest.mark.parametrize(
    "kpi",
    [
        "kpi-chains",
        "kpi-target-firms",
        "kpi-chain-projects",
        "kpi-chain-projects-investment",
        "kpi-funds-2022",
        "kpi-funds-2022-rate",
    ],
)
def test_seed_figures_not_found_elsewhere_are_uncertain(store: MemoryStore, kpi: str) -> None:
    node = store.get(kpi, NodeKind.KPI)
    assert node.certainty == Certainty.UNCERTAIN and "seed article" in node.source


def test_the_verified_2022_target_is_verified_and_consistent_with_105_percent(
    store: MemoryStore,
) -> None:
    target = store.get("kpi-funds-target-2022")
    funds = store.get("kpi-funds-2022")
    assert target.certainty == Certainty.VERIFIED
    assert round(100 * funds.value / target.value) == store.get("kpi-funds-2022-rate").value  # type: ignore[union-attr]


def test_maps_and_target_list_say_they_are_reconstructed(store: MemoryStore) -> None:
    assert {m.certainty for m in store.nodes(NodeKind.MAP)} == {Certainty.RECONSTRUCTED}
    entries: list[TargetedFor] = store.edges(RelType.TARGETED_FOR)  # type: ignore[assignment]
    assert {t.certainty for t in entries} == {Certainty.RECONSTRUCTED}
    assert all("非官方" in t.source and t.rationale for t in entries)


def test_capacity_statistics_show_wafers_far_below_ingots(store: MemoryStore) -> None:
    capacity = {e.dst: e for e in store.edges(RelType.HAS_CAPACITY) if isinstance(e, HasCapacity)}
    assert (capacity["pv-ingot"].capacity, capacity["pv-ingot"].unit) == (102, "GW")
    assert capacity["pv-ingot"].capacity / capacity["pv-wafer"].capacity > 10


# ------------------------------------------------------------------------------- targets


def test_target_firms_have_no_operation_or_site_in_xining(store: MemoryStore) -> None:
    targets = target_firm_ids(store)
    local = [
        e.src
        for e in store.edges(RelType.OPERATES_IN)
        if isinstance(e, OperatesIn) and store.site_region(e.site) == REGION
    ]
    located = [e.src for e in store.edges(RelType.LOCATED_IN) if isinstance(e, LocatedIn)]
    assert targets.isdisjoint(local) and targets.isdisjoint(located)
    assert all(store.get(t).hq_province != "青海省" for t in targets)  # type: ignore[union-attr]


def test_targets_are_only_for_missing_or_weak_segments(store: MemoryStore) -> None:
    too_strong = {
        t.dst
        for t in store.edges(RelType.TARGETED_FOR)
        if t.dst not in WEAK_BY_CAPACITY and len(local_firms_in(store, t.dst)) > 1
    }
    assert too_strong == set()


def test_groups_present_locally_through_a_subsidiary_are_not_targets(store: MemoryStore) -> None:
    local_ids = {e.src for e in store.edges(RelType.LOCATED_IN)}
    local_text = " ".join(
        " ".join([f.name, f.full_name, *f.aliases, f.note])
        for f in firms(store)
        if f.id in local_ids
    )
    local_text += " ".join(o.note for o in store.edges(RelType.OPERATES_IN))  # type: ignore[attr-defined]
    named = [store.get(t).name for t in target_firm_ids(store) if store.get(t).name in local_text]
    assert named == []


@pytest.mark.parametrize(
    "segment",
    ["lithium-anode", "lithium-electrolyte", "pv-eva-film", "pv-silver-paste", "pv-ribbon"],
)
def test_known_gaps_have_no_local_firm(store: MemoryStore, segment: str) -> None:
    assert local_firms_in(store, segment) == set()
    assert store.targets([segment]), f"a gap segment should have target firms: {segment}"


def normalised(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\s()（）·.,，、\-]", "", text)


def test_no_firm_appears_twice_under_another_spelling(store: MemoryStore) -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for firm in firms(store):
        keys = [("code", firm.stock_code), ("full", normalised(firm.full_name))]
        keys += [("name", normalised(n)) for n in (firm.name, *firm.aliases)]
        for key in keys:
            if key[1]:
                owners[key].add(firm.id)
    clashes = {k: ids for k, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


# ------------------------------------------------------------------------------- ChainKG


@cache
def chainkg_companies() -> dict[str, dict[str, str]]:
    with (CHAINKG / "company.json").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return {row["code"].split(".")[0]: row for row in rows}


needs_chainkg = pytest.mark.skipif(
    not (CHAINKG / "company.json").exists(),
    reason="../shared/datasets/chainkg is absent: cannot cross-check stock codes",
)


@pytest.mark.shared
@needs_chainkg
def test_stock_codes_and_names_agree_with_chainkg(store: MemoryStore) -> None:
    companies = chainkg_companies()
    checked, disagreeing = 0, []
    for firm in firms(store):
        known = companies.get(firm.stock_code.split(".")[0]) if firm.stock_code else None
        if known is None:
            continue
        checked += 1
        names = {firm.name, *firm.aliases}
        fulls = {firm.full_name, *firm.aliases}
        if known["name"] not in names or known["fullname"] not in fulls:
            disagreeing.append((firm.id, firm.name, known["name"], known["fullname"]))
    assert disagreeing == []
    assert checked >= 130, "most target firms are A-share companies found in ChainKG"


# ------------------------------------------------------------------------------- swapping


def write_officer_list(path: Path) -> None:
    """An officer's own two-firm list, with the Chinese headers Excel users type."""
    header = [
        "企业ID",
        "简称",
        "全称",
        "股票代码",
        "总部省份",
        "环节",
        "优先级",
        "理由",
        "来源",
        "年份",
    ]
    rows = [
        ["gx-anode", "某负极企业", "某负极材料有限公司", "", "湖南省", "lithium-anode", "1",
         "负极补链", "招商局内部名单", "2024"],
        ["gx-film", "某胶膜企业", "某胶膜科技有限公司", "", "浙江省", "pv-eva-film", "2",
         "胶膜补链", "招商局内部名单", "2024"],
    ]  # fmt: skip
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])


def test_an_officers_target_list_replaces_ours_in_one_step(tmp_path: Path) -> None:
    copy = Path(shutil.copytree(XINING, tmp_path / "xining"))
    write_officer_list(copy / "targets.csv")
    snapshot = str(tmp_path / "graph.pickle")
    result = CliRunner().invoke(app, ["load", str(copy), "--fresh", "--data-file", snapshot])
    assert result.exit_code == 0, result.output
    store = MemoryStore(snapshot)
    assert target_firm_ids(store) == {"gx-anode", "gx-film"}
    assert local_firms_in(store, "lithium-cell")  # the local firms are untouched
