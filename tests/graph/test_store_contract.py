"""The Store contract, on every back end (see conftest.py: ``memory`` always, ``neo4j`` when
NEO4J_URI is set). Every method of graph/store.py is exercised with answers a user would see,
and the analysis a user reads (gaps, rankings, map completeness) must come out identical to
that of an embedded store loaded in another order and in other batches.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from store_examples import EXTRA_OPERATIONS, MATCHES, NEW_FIRM, SRC, national_graph

from graph import (
    Batch,
    Chain,
    DatasetError,
    Direction,
    Firm,
    InvalidRequest,
    NodeKind,
    NotFound,
    PartOf,
    Project,
    RelType,
    Store,
    Supplies,
    TargetStatus,
)
from graph.national import NationalBuilder
from graph.schema import Industry, Matches
from loaders import load_dataset, read_dataset


@pytest.fixture
def loaded(store: Store, mini_dataset: Path) -> Store:
    """The store with the mini dataset, one operation sited at a region and one moved to
    another region's park."""
    load_dataset(mini_dataset, store)
    store.apply(Batch(edges=EXTRA_OPERATIONS))
    return store


def ids(records: list) -> list[str]:  # type: ignore[type-arg]
    return [r.id for r in records]


def pairs(edges: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(e.src, e.dst) for e in edges]


def content(store: Store) -> tuple[dict, dict]:  # type: ignore[type-arg]
    return (
        {kind: store.nodes(kind) for kind in NodeKind},
        {rel: store.edges(rel) for rel in RelType},
    )


# ---------------------------------------------------------------------------------- writes


def test_the_store_satisfies_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_every_record_reads_back_exactly_as_written(store: Store, mini_dataset: Path) -> None:
    batch = read_dataset(mini_dataset).batch
    store.apply(batch)
    for node in batch.nodes:
        assert store.get(node.id) == node
    for rel in RelType:
        written = sorted((e for e in batch.edges if e.REL == rel), key=lambda e: (e.src, e.dst))
        assert store.edges(rel) == written
        assert store.count(rel) == len(written)
    assert store.count(NodeKind.SEGMENT) == 11


def test_a_batch_with_problems_writes_nothing_and_says_why(loaded: Store) -> None:
    before, revision = content(loaded), loaded.revision
    bad = Batch(
        nodes=[Chain(id="new-chain", name="新链", **SRC), Firm(id="pv", name="同名", **SRC)],
        edges=[
            PartOf(src="pv-wafer", dst="no-such-chain"),
            Supplies(src="pv-poly", dst="xn", **SRC),
        ],
    )
    with pytest.raises(DatasetError) as caught:
        loaded.apply(bad)
    assert [p.message for p in caught.value.problems] == [
        "PART_OF refers to unknown node 'no-such-chain'",
        "SUPPLIES needs a Segment, 'xn' is a Region",
        "id 'pv' is already used by a Chain",
    ]
    assert loaded.find("new-chain") is None
    assert content(loaded) == before
    assert loaded.revision == revision


def test_applying_the_same_batch_again_changes_nothing(store: Store, mini_dataset: Path) -> None:
    load_dataset(mini_dataset, store)
    before, revision = content(store), store.revision
    load_dataset(mini_dataset, store)
    assert content(store) == before
    assert store.revision == revision


def test_an_upsert_replaces_the_whole_record(loaded: Store) -> None:
    old = loaded.get("proj-ingot")
    assert isinstance(old, Project) and old.investment == 180
    revision = loaded.revision
    loaded.apply(Batch(nodes=[old.model_copy(update={"investment": None, "status": "在建"})]))
    new = loaded.get("proj-ingot")
    assert isinstance(new, Project) and (new.investment, new.status) == (None, "在建")
    assert loaded.revision > revision


def test_moving_a_target_along_the_pipeline(loaded: Store) -> None:
    revision = loaded.revision
    entry = loaded.set_target_status(
        "film-h", "pv-film", TargetStatus.NEGOTIATING, "2024-05-01", "二次拜访"
    )
    assert (entry.status, entry.status_date, entry.status_note) == (
        "洽谈中",
        "2024-05-01",
        "二次拜访",
    )
    assert entry.priority == 1 and entry.rationale == "胶膜龙头"
    assert loaded.targets(["pv-film"]) == [entry]
    assert loaded.revision > revision


@pytest.mark.parametrize(
    ("firm", "segment", "says"),
    [
        ("poly-a", "pv-film", "unknown target-list entry id 'poly-a -> pv-film'"),
        ("film-hh", "pv-film", "unknown Firm id 'film-hh'; did you mean: film-h"),
        ("film-h", "pv-flm", "unknown Segment id 'pv-flm'; did you mean: pv-film"),
    ],
)
def test_moving_a_target_that_is_not_on_the_list(
    loaded: Store, firm: str, segment: str, says: str
) -> None:
    revision = loaded.revision
    with pytest.raises(NotFound, match=says):
        loaded.set_target_status(firm, segment, TargetStatus.SIGNED, "2024-05-01", "")
    assert loaded.revision == revision


# ---------------------------------------------------------------------------------- reads


def test_lookups_suggest_close_ids(loaded: Store) -> None:
    with pytest.raises(NotFound, match="unknown node id 'pv-wafr'; did you mean: pv-wafer"):
        loaded.get("pv-wafr")
    with pytest.raises(NotFound, match="unknown Firm id 'pv-wafer'"):
        loaded.get("pv-wafer", NodeKind.FIRM)
    assert loaded.find("nowhere") is None
    assert loaded.get("pv-wafer", NodeKind.SEGMENT).name == "切片"


def test_nodes_come_sorted_by_id(loaded: Store) -> None:
    assert ids(loaded.nodes(NodeKind.REGION)) == ["other", "xn"]
    assert ids(loaded.nodes(NodeKind.PARK)) == ["park-a", "park-b", "park-x"]
    assert ids(loaded.nodes(NodeKind.PRODUCT)) == []


def test_neighbours_in_both_directions(loaded: Store) -> None:
    out = loaded.neighbours("pv-module", RelType.SUPPLIES, Direction.OUT)
    assert pairs(out) == [("pv-module", "li-ess")]
    into = loaded.neighbours("pv-module", RelType.SUPPLIES, Direction.IN)
    assert pairs(into) == [("pv-cell", "pv-module"), ("pv-film", "pv-module")]
    assert loaded.neighbours("nowhere", RelType.SUPPLIES, Direction.IN) == []


def test_a_chain_includes_the_segments_it_shares(loaded: Store) -> None:
    assert ids(loaded.chain_segments("pv")) == [
        "li-foil",
        "pv-cell",
        "pv-film",
        "pv-ingot",
        "pv-module",
        "pv-poly",
        "pv-wafer",
    ]
    assert loaded.chain_segments("no-such-chain") == []


def test_links_touching_segments_come_once_each_across_chains(loaded: Store) -> None:
    links = loaded.supplies_touching(["pv-module", "li-ess", "pv-module"])
    assert pairs(links) == [
        ("li-cell", "li-ess"),
        ("pv-cell", "pv-module"),
        ("pv-film", "pv-module"),
        ("pv-module", "li-ess"),
    ]
    assert links[-1].kind == "service"


def test_operations_are_local_through_a_park_or_the_region_itself(loaded: Store) -> None:
    assert pairs(loaded.operations(["pv-wafer", "li-cell"], "xn")) == [
        ("cell-c", "li-cell"),
        ("cell-f", "li-cell"),
        ("ingot-b", "pv-wafer"),
    ]
    assert pairs(loaded.operations(["pv-ingot", "pv-wafer"], "other")) == [("wafer-i", "pv-ingot")]
    assert pairs(loaded.operations(["li-anode"], "")) == [("anode-g", "li-anode")]  # national
    everywhere = loaded.operations(["pv-wafer", "li-anode"])
    assert pairs(everywhere) == [
        ("anode-g", "li-anode"),
        ("ingot-b", "pv-wafer"),
        ("wafer-i", "pv-wafer"),
    ]
    assert everywhere[1].capacity == 5.6 and everywhere[1].certainty == "uncertain"


def test_target_list_entries_sorted_by_segment_then_firm(loaded: Store) -> None:
    entries = loaded.targets(["pv-wafer", "pv-film", "li-anode", "no-such-segment"])
    assert pairs(entries) == [
        ("anode-g", "li-anode"),
        ("film-h", "pv-film"),
        ("wafer-i", "pv-wafer"),
    ]


@pytest.mark.parametrize(
    ("site", "region"),
    [("park-x", "other"), ("park-a", "xn"), ("xn", "xn"), ("pv", ""), ("", ""), ("nowhere", "")],
)
def test_the_region_of_a_site(loaded: Store, site: str, region: str) -> None:
    assert loaded.site_region(site) == region


# ---------------------------------------------------------------------------- national pool


def test_the_national_pool_gives_one_candidate_per_firm(loaded: Store) -> None:
    loaded.load_national(national_graph(), [NEW_FIRM], MATCHES)
    found = loaded.national_candidates(["li-anode", "pv-wafer"])
    assert [(c.segment, c.firm, c.product, c.weight) for c in found] == [
        ("li-anode", "a-600002-sh", "p:人造石墨", 0.3),  # a tie goes to the smaller product id
        ("li-anode", "anode-g", "p:负极材料", 0.8),
    ]
    assert ids(loaded.nodes(NodeKind.PRODUCT)) == ["p:人造石墨", "p:负极材料"]
    assert loaded.get("sw:270000") == Industry(id="sw:270000", name="电子", level=1)
    assert loaded.get(NEW_FIRM.id) == NEW_FIRM
    assert pairs(loaded.edges(RelType.IN_INDUSTRY)) == [
        ("a-600002-sh", "sw:270000"),
        ("anode-g", "sw:270000"),
    ]
    assert loaded.count(RelType.MAKES) == 3


def test_a_new_national_pool_replaces_the_old(loaded: Store) -> None:
    loaded.load_national(national_graph(), [NEW_FIRM], MATCHES)
    smaller = NationalBuilder()
    smaller.add(RelType.MAKES, smaller.firms.add("anode-g"), smaller.products.add("负极材料"), 0.9)
    loaded.load_national(smaller.build(), [], MATCHES[:1])
    assert ids(loaded.nodes(NodeKind.PRODUCT)) == ["p:负极材料"]
    assert loaded.count(NodeKind.INDUSTRY) == 0
    assert [(e.src, e.weight) for e in loaded.edges(RelType.MAKES)] == [("anode-g", 0.9)]
    assert loaded.get(NEW_FIRM.id) == NEW_FIRM  # firms are curated records: they stay


def test_a_national_pool_naming_an_unknown_firm_changes_nothing(loaded: Store) -> None:
    loaded.load_national(national_graph(), [NEW_FIRM], MATCHES)
    before, revision = content(loaded), loaded.revision
    with pytest.raises(DatasetError, match="names unknown firm 'nobody-firm'"):
        loaded.load_national(national_graph(with_unknown_firm=True), [], MATCHES)
    assert content(loaded) == before and loaded.revision == revision


def test_replacing_the_matches(loaded: Store) -> None:
    loaded.load_national(national_graph(), [NEW_FIRM], MATCHES)
    loaded.replace_matches(MATCHES[1:])
    assert pairs(loaded.edges(RelType.MATCHES)) == [("li-anode", "p:人造石墨")]
    with pytest.raises(DatasetError, match="unknown node 'pv-wafr'"):
        loaded.replace_matches([Matches(src="pv-wafr", dst="p:人造石墨")])
    assert pairs(loaded.edges(RelType.MATCHES)) == [("li-anode", "p:人造石墨")]


# ---------------------------------------------------------------------- replacing the dataset


def _without(batch: Batch, *ids_gone: str) -> Batch:
    """The batch with these nodes and every edge touching them left out."""
    gone = set(ids_gone)
    return Batch(
        nodes=[n for n in batch.nodes if n.id not in gone],
        edges=[e for e in batch.edges if e.src not in gone and e.dst not in gone],
    )


def test_replacing_the_dataset_removes_what_the_new_one_lacks(
    store: Store, mini_dataset: Path
) -> None:
    batch = read_dataset(mini_dataset).batch
    store.apply(batch)
    store.apply(Batch(edges=EXTRA_OPERATIONS))
    revision = store.revision
    smaller = _without(batch, "pv-wafer", "kpi-targets")
    store.replace_dataset(smaller)
    assert store.find("pv-wafer") is None and store.find("kpi-targets") is None
    assert "pv-wafer" not in ids(store.chain_segments("pv"))
    assert all("pv-wafer" not in (e.src, e.dst) for rel in RelType for e in store.edges(rel))
    assert pairs(store.operations(["li-cell"], "xn")) == [
        (e.src, e.dst) for e in smaller.edges if e.REL == RelType.OPERATES_IN and e.dst == "li-cell"
    ]  # the extra operation at the region itself is gone too: it was not in the new dataset
    assert store.revision > revision
    for node in smaller.nodes:
        assert store.get(node.id) == node


def test_replacing_with_what_is_stored_changes_nothing(store: Store, mini_dataset: Path) -> None:
    batch = read_dataset(mini_dataset).batch
    store.apply(batch)
    before, revision = content(store), store.revision
    store.replace_dataset(batch)
    assert content(store) == before and store.revision == revision


def test_a_replacement_with_problems_changes_nothing(store: Store, mini_dataset: Path) -> None:
    batch = read_dataset(mini_dataset).batch
    store.apply(batch)
    before, revision = content(store), store.revision
    # the new dataset drops segment pv-wafer but a link still points at it
    broken = Batch(nodes=[n for n in batch.nodes if n.id != "pv-wafer"], edges=batch.edges)
    with pytest.raises(DatasetError) as caught:
        store.replace_dataset(broken)
    assert any("pv-wafer" in p.message for p in caught.value.problems)
    assert content(store) == before and store.revision == revision


def test_an_empty_replacement_never_empties_the_store(store: Store, mini_dataset: Path) -> None:
    store.apply(read_dataset(mini_dataset).batch)
    before, revision = content(store), store.revision
    with pytest.raises(InvalidRequest):
        store.replace_dataset(Batch())
    assert content(store) == before and store.revision == revision


def test_replacing_the_dataset_keeps_the_national_pool(store: Store, mini_dataset: Path) -> None:
    batch = read_dataset(mini_dataset).batch
    store.apply(batch)
    store.load_national(national_graph(), [NEW_FIRM], MATCHES)
    products, makes = store.count(NodeKind.PRODUCT), store.count(RelType.MAKES)
    store.replace_dataset(_without(batch, "anode-g"))
    assert store.get(NEW_FIRM.id) == NEW_FIRM  # named by the national pool: kept
    assert store.find("anode-g") is not None  # it makes a national product: kept as well
    assert store.count(NodeKind.PRODUCT) == products and store.count(RelType.MAKES) == makes
    assert pairs(store.edges(RelType.MATCHES)) == sorted(pairs(MATCHES))
    store.replace_dataset(_without(batch, "li-anode"))
    assert store.edges(RelType.MATCHES) == []  # the matched segment is gone, so are its matches
