"""The compact national graph inside the embedded store keeps the Store semantics."""

from __future__ import annotations

import pytest

from graph import Batch, DatasetError, Direction, Firm, MemoryStore, NodeKind, RelType
from graph.national import NationalBuilder, NationalGraph
from graph.schema import Industry, Makes, Matches, Product


def small_graph() -> NationalGraph:
    b = NationalBuilder()
    glass, ultra, soda = (b.products.add(n) for n in ("光伏玻璃", "太阳能光伏玻璃", "纯碱"))
    b.add(RelType.SUBCLASS, glass, ultra)
    b.add(RelType.UPSTREAM_MATERIAL, glass, soda)
    b.add(RelType.MAKES, b.firms.add("a-601865-sh"), glass, 0.73)
    b.add(RelType.MAKES, b.firms.add("a-002623-sz"), ultra, 0.5)
    aux = b.add_industry(Industry(id="sw:630504", name="光伏辅材", level=3))
    kit = b.add_industry(Industry(id="sw:630500", name="光伏设备", level=2))
    b.add(RelType.SUBINDUSTRY_OF, aux, kit)
    b.add(RelType.UPSTREAM_INDUSTRY, aux, kit, 4.0)
    return b.build()


@pytest.fixture
def store(loaded_store: MemoryStore) -> MemoryStore:
    firms = [
        Firm(id=i, name=n, stock_code=c, source="t", year=2021)
        for i, n, c in (
            ("a-601865-sh", "福莱特", "601865.SH"),
            ("a-002623-sz", "亚玛顿", "002623.SZ"),
        )
    ]
    match = Matches(src="pv-module", dst="p:光伏玻璃", keyword="光伏玻璃")
    loaded_store.load_national(small_graph(), firms, [match])
    return loaded_store


def test_rows_for_a_database_writer_carry_ids_and_values():
    graph = small_graph()
    assert sorted(graph.iter_rows(RelType.MAKES)) == [
        ("a-002623-sz", "p:太阳能光伏玻璃", 0.5),
        ("a-601865-sh", "p:光伏玻璃", 0.73),
    ]
    assert list(graph.iter_rows(RelType.UPSTREAM_INDUSTRY)) == [("sw:630504", "sw:630500", 4.0)]


def test_reads_in_both_directions_build_records(store):
    made_by = store.neighbours("p:光伏玻璃", RelType.MAKES, Direction.IN)
    assert made_by == [Makes(src="a-601865-sh", dst="p:光伏玻璃", weight=0.73)]
    assert [e.src for e in store.neighbours("p:纯碱", RelType.UPSTREAM_MATERIAL, Direction.IN)] == [
        "p:光伏玻璃"
    ]
    assert store.neighbours("光伏玻璃", RelType.SUBCLASS, Direction.OUT) == []  # id needs p:
    assert store.neighbours("p:没有", RelType.SUBCLASS, Direction.OUT) == []
    ups = store.neighbours("sw:630504", RelType.UPSTREAM_INDUSTRY, Direction.OUT)
    assert [(e.dst, e.count) for e in ups] == [("sw:630500", 4)]


def test_products_written_by_a_batch_sit_beside_the_national_ones(store):
    store.apply(Batch(nodes=[Product(id="p:光伏边框", name="光伏边框")]))
    store.apply(Batch(edges=[Makes(src="a-601865-sh", dst="p:光伏边框", weight=0.1)]))
    assert store.count(NodeKind.PRODUCT) == 4
    assert [n.id for n in store.nodes(NodeKind.PRODUCT)] == sorted(
        ["p:光伏玻璃", "p:太阳能光伏玻璃", "p:纯碱", "p:光伏边框"]
    )
    made = store.neighbours("a-601865-sh", RelType.MAKES, Direction.OUT)
    assert [e.dst for e in made] == ["p:光伏玻璃", "p:光伏边框"]


def test_national_candidates_follow_matches_to_the_makers(store):
    pool = store.national_candidates(["pv-module"])
    assert [(c.firm, c.segment, c.product, c.weight) for c in pool] == [
        ("a-601865-sh", "pv-module", "p:光伏玻璃", 0.73)
    ]
    assert store.national_candidates(["pv-cell"]) == []


def test_a_batch_may_match_a_national_product(store):
    store.apply(Batch(edges=[Matches(src="pv-cell", dst="p:太阳能光伏玻璃", keyword="t")]))
    assert [c.firm for c in store.national_candidates(["pv-cell"])] == ["a-002623-sz"]


def test_replacing_matches_with_an_unknown_product_changes_nothing(store):
    with pytest.raises(DatasetError, match="p:不存在"):
        store.replace_matches([Matches(src="pv-cell", dst="p:不存在")])
    assert [c.firm for c in store.national_candidates(["pv-module"])] == ["a-601865-sh"]


def test_replacing_matches_drops_the_old_ones(store):
    store.replace_matches([Matches(src="pv-cell", dst="p:光伏玻璃")])
    assert store.national_candidates(["pv-module"]) == []
    assert [c.segment for c in store.national_candidates(["pv-cell"])] == ["pv-cell"]


def test_an_empty_national_graph_answers_nothing():
    graph = NationalGraph.empty()
    assert graph.makers("p:光伏玻璃") == [] and graph.edges(RelType.MAKES) == []
    assert graph.kind_of("p:光伏玻璃") is None and graph.node("sw:630504") is None
