"""MemoryStore, the in-process test double: all-or-nothing writes, lookups with suggestions,
the chain queries on the mini fixture and the target pipeline (it is never persisted)."""

from __future__ import annotations

import pytest

from graph import (
    Batch,
    Chain,
    DatasetError,
    Direction,
    MemoryStore,
    NodeKind,
    NotFound,
    OperatesIn,
    PartOf,
    Region,
    RelType,
    Segment,
    Store,
    TargetStatus,
)

SRC = {"source": "test", "year": 2024}


def content(store: MemoryStore) -> tuple[dict[NodeKind, list], dict[RelType, list]]:
    """Everything the store holds, as plain comparable lists."""
    nodes = {kind: store.nodes(kind) for kind in NodeKind}
    edges = {rel: store.edges(rel) for rel in RelType}
    return nodes, edges


def tiny_batch() -> Batch:
    return Batch(
        nodes=[
            Chain(id="pv", name="光伏", **SRC),
            Segment(id="pv-wafer", name="切片", chain="pv", stage="中游", **SRC),
        ],
        edges=[PartOf(src="pv-wafer", dst="pv")],
    )


# ------------------------------------------------------------------------------- writes


def test_memory_store_satisfies_the_store_protocol() -> None:
    assert isinstance(MemoryStore(), Store)


def test_a_batch_with_one_bad_edge_writes_nothing() -> None:
    store = MemoryStore()
    batch = tiny_batch()
    batch.edges.append(PartOf(src="pv-wafer", dst="no-such-chain"))
    with pytest.raises(DatasetError) as caught:
        store.apply(batch)
    assert [p.message for p in caught.value.problems] == [
        "PART_OF refers to unknown node 'no-such-chain'"
    ]
    assert store.count(NodeKind.CHAIN) == store.count(NodeKind.SEGMENT) == 0
    assert store.find("pv") is None
    assert store.revision == 0


def test_a_failed_batch_leaves_earlier_content_untouched(loaded_store: MemoryStore) -> None:
    before, revision = content(loaded_store), loaded_store.revision
    renamed = loaded_store.get("pv").model_copy(update={"name": "改名"})
    with pytest.raises(DatasetError):
        loaded_store.apply(Batch(nodes=[renamed], edges=[PartOf(src="pv-wafer", dst="nope")]))
    assert content(loaded_store) == before
    assert loaded_store.get("pv").name == "光伏制造"
    assert loaded_store.revision == revision


def test_an_edge_to_a_node_of_the_wrong_kind_is_rejected() -> None:
    store = MemoryStore()
    store.apply(tiny_batch())
    with pytest.raises(DatasetError, match="PART_OF needs a Chain, 'pv-wafer' is a Segment"):
        store.apply(Batch(edges=[PartOf(src="pv-wafer", dst="pv-wafer")]))


def test_an_id_cannot_change_kind() -> None:
    store = MemoryStore()
    store.apply(tiny_batch())
    with pytest.raises(DatasetError, match="already used by a Chain"):
        store.apply(Batch(nodes=[Region(id="pv", name="光伏市", **SRC)]))
    assert store.get("pv", NodeKind.CHAIN).name == "光伏"


def test_revision_increases_on_each_accepted_write_and_not_on_a_repeat() -> None:
    store = MemoryStore()
    store.apply(tiny_batch())
    assert store.revision == 1
    store.apply(tiny_batch())  # the same records again: nothing changes
    assert store.revision == 1
    store.apply(Batch(nodes=[Chain(id="li", name="锂电", **SRC)]))
    assert store.revision == 2


def test_an_upsert_replaces_the_record_with_the_same_id() -> None:
    store = MemoryStore()
    store.apply(tiny_batch())
    store.apply(Batch(nodes=[Chain(id="pv", name="光伏制造", **SRC)]))
    assert store.get("pv").name == "光伏制造"
    assert store.count(NodeKind.CHAIN) == 1


# ------------------------------------------------------------------------------- lookups


def test_get_unknown_id_suggests_close_ids(loaded_store: MemoryStore) -> None:
    with pytest.raises(NotFound) as caught:
        loaded_store.get("pv-wafr")
    assert "pv-wafer" in caught.value.suggestions
    assert "did you mean" in str(caught.value) and "pv-wafer" in str(caught.value)
    assert isinstance(caught.value, LookupError)


def test_get_with_the_wrong_kind_is_not_found(loaded_store: MemoryStore) -> None:
    assert loaded_store.get("pv", NodeKind.CHAIN).name == "光伏制造"
    with pytest.raises(NotFound, match="unknown Segment id 'pv'"):
        loaded_store.get("pv", NodeKind.SEGMENT)


def test_nodes_and_edges_come_back_sorted(loaded_store: MemoryStore) -> None:
    ids = [s.id for s in loaded_store.nodes(NodeKind.SEGMENT)]
    assert ids == sorted(ids) and len(ids) == 11
    links = [(e.src, e.dst) for e in loaded_store.edges(RelType.SUPPLIES)]
    assert links == sorted(links) and len(links) == 10


def test_neighbours_follow_the_direction(loaded_store: MemoryStore) -> None:
    out = loaded_store.neighbours("pv-cell", RelType.SUPPLIES, Direction.OUT)
    into = loaded_store.neighbours("pv-cell", RelType.SUPPLIES, Direction.IN)
    assert [(e.src, e.dst) for e in out] == [("pv-cell", "pv-module")]
    assert [(e.src, e.dst) for e in into] == [("pv-wafer", "pv-cell")]
    assert loaded_store.neighbours("nobody", RelType.SUPPLIES, Direction.OUT) == []


# ------------------------------------------------------------------------------- chain queries


def test_chain_segments_include_segments_shared_with_another_chain(
    loaded_store: MemoryStore,
) -> None:
    pv = [s.id for s in loaded_store.chain_segments("pv")]
    li = [s.id for s in loaded_store.chain_segments("li")]
    assert "li-foil" in pv and "li-foil" in li  # 电解铜箔 is also_in pv
    assert pv == sorted(pv) and len(pv) == 7
    assert loaded_store.chain_segments("no-such-chain") == []


def test_operations_are_filtered_by_region_through_the_park(loaded_store: MemoryStore) -> None:
    segs = [s.id for s in loaded_store.chain_segments("pv")]
    local = loaded_store.operations(segs, region="xn")
    assert {(op.src, op.dst) for op in local} == {
        ("poly-a", "pv-poly"),
        ("ingot-b", "pv-ingot"),
        ("ingot-b", "pv-wafer"),
        ("cell-c", "pv-cell"),
        ("cell-c", "pv-module"),
        ("foil-e", "li-foil"),
    }
    assert loaded_store.operations(segs, region="other") == []
    everywhere = loaded_store.operations(segs)
    assert ("wafer-i", "pv-wafer") in {(op.src, op.dst) for op in everywhere}  # a target firm


def test_an_operation_that_moves_region_leaves_the_old_region(loaded_store: MemoryStore) -> None:
    moved = loaded_store.operations(["pv-poly"], region="xn")[0].model_copy(
        update={"site": "park-x"}
    )
    loaded_store.apply(Batch(edges=[moved]))
    assert loaded_store.operations(["pv-poly"], region="xn") == []
    assert [op.site for op in loaded_store.operations(["pv-poly"], region="other")] == ["park-x"]


def test_moving_a_park_to_another_region_moves_its_operations(loaded_store: MemoryStore) -> None:
    park_a = loaded_store.get("park-a", NodeKind.PARK)
    loaded_store.apply(Batch(nodes=[park_a.model_copy(update={"region": "other"})]))
    assert [op.src for op in loaded_store.operations(["pv-poly"], region="other")] == ["poly-a"]
    assert loaded_store.operations(["pv-poly"], region="xn") == []


def test_site_region_resolves_parks_and_regions(loaded_store: MemoryStore) -> None:
    assert loaded_store.site_region("park-a") == "xn"
    assert loaded_store.site_region("park-x") == "other"
    assert loaded_store.site_region("xn") == "xn"
    assert loaded_store.site_region("") == ""
    assert loaded_store.site_region("nowhere") == ""
    assert loaded_store.site_region("pv-wafer") == ""  # a segment is no site


def test_supplies_touching_returns_links_at_either_end(loaded_store: MemoryStore) -> None:
    found = [(e.src, e.dst) for e in loaded_store.supplies_touching(["pv-module"])]
    assert found == [
        ("pv-cell", "pv-module"),
        ("pv-film", "pv-module"),
        ("pv-module", "li-ess"),  # a cross-chain link
    ]


def test_targets_list_the_target_entries_of_segments(loaded_store: MemoryStore) -> None:
    entries = loaded_store.targets(["li-anode", "pv-film", "pv-poly"])
    assert [(t.dst, t.src, t.status) for t in entries] == [
        ("li-anode", "anode-g", TargetStatus.TO_CONTACT),
        ("pv-film", "film-h", TargetStatus.CONTACTED),
    ]


# ------------------------------------------------------------------------------- pipeline


def test_set_target_status_moves_the_entry_and_counts_as_a_write(
    loaded_store: MemoryStore,
) -> None:
    revision = loaded_store.revision
    updated = loaded_store.set_target_status(
        "anode-g", "li-anode", TargetStatus.NEGOTIATING, "2024-05-01", "第二次拜访"
    )
    assert (updated.status, updated.status_date, updated.status_note) == (
        TargetStatus.NEGOTIATING,
        "2024-05-01",
        "第二次拜访",
    )
    assert loaded_store.targets(["li-anode"]) == [updated]
    assert loaded_store.revision == revision + 1


def test_set_target_status_of_a_missing_entry_is_not_found(loaded_store: MemoryStore) -> None:
    revision = loaded_store.revision
    with pytest.raises(NotFound, match="target-list entry"):
        loaded_store.set_target_status("anode-g", "pv-film", TargetStatus.SIGNED, "", "")
    with pytest.raises(NotFound, match="unknown Firm id 'anode-x'"):
        loaded_store.set_target_status("anode-x", "li-anode", TargetStatus.SIGNED, "", "")
    assert loaded_store.revision == revision


def test_operations_keep_their_capacity_records(loaded_store: MemoryStore) -> None:
    [op] = loaded_store.operations(["pv-ingot"], region="xn")
    assert isinstance(op, OperatesIn)
    assert (op.src, op.site, op.capacity, op.unit) == ("ingot-b", "park-a", 102.0, "GW")
