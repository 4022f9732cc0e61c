"""Records survive the trip to Neo4j properties and back, for every kind the schema has."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import GraphError
from graph.schema import (
    EDGE_MODELS,
    NODE_MODELS,
    DownstreamProduct,
    Edge,
    Industry,
    InIndustry,
    Makes,
    Matches,
    NodeKind,
    ParentOf,
    Product,
    Project,
    Record,
    Segment,
    Subclass,
    SubindustryOf,
    UpstreamIndustry,
    UpstreamMaterial,
    kind_of,
)
from graph.stores.neo4j.rows import (
    chunks,
    edge_from,
    edge_row,
    kind_from_labels,
    node_from,
    node_row,
    to_properties,
)
from loaders import read_dataset

NATIONAL_NODES = [
    Product(id="p:负极材料", name="负极材料"),
    Industry(id="sw:730000", name="电子", level=1),
]
NATIONAL_EDGES: list[Edge] = [
    Makes(src="a-600001-sh", dst="p:负极材料", weight=0.8),
    Matches(src="li-anode", dst="p:负极材料", keyword="负极材料"),
    UpstreamMaterial(src="p:负极材料", dst="p:石墨"),
    Subclass(src="p:负极材料", dst="p:人造石墨"),
    DownstreamProduct(src="p:负极材料", dst="p:锂电池"),
    InIndustry(src="a-600001-sh", dst="sw:730000"),
    SubindustryOf(src="sw:730100", dst="sw:730000"),
    UpstreamIndustry(src="sw:730100", dst="sw:720000", count=3),
    ParentOf(src="a-600001-sh", dst="poly-a", relation="子公司", source="https://example.org/p"),
]
STORABLE = (str, int, float, bool)


def every_record(mini_dataset: Path) -> tuple[list[Record], list[Edge]]:
    batch = read_dataset(mini_dataset).batch
    return [*batch.nodes, *NATIONAL_NODES], [*batch.edges, *NATIONAL_EDGES]


def assert_storable(props: dict[str, object]) -> None:
    for key, value in props.items():
        if isinstance(value, list):
            assert value and len({type(v) for v in value}) == 1, key
            assert isinstance(value[0], STORABLE), key
        else:
            assert isinstance(value, STORABLE), key


def test_every_node_kind_and_edge_type_is_covered(mini_dataset: Path) -> None:
    nodes, edges = every_record(mini_dataset)
    assert {kind_of(n) for n in nodes} == set(NODE_MODELS)
    missing = set(EDGE_MODELS) - {e.REL for e in edges}
    assert missing == set(), f"add an example of {missing} to this test"


def test_nodes_round_trip_unchanged(mini_dataset: Path) -> None:
    nodes, _ = every_record(mini_dataset)
    for node in nodes:
        row = node_row(node)  # type: ignore[arg-type]
        assert_storable(row["props"])
        assert node_from(kind_of(node), row["props"]) == node


def test_edges_round_trip_unchanged(mini_dataset: Path) -> None:
    _, edges = every_record(mini_dataset)
    for edge in edges:
        row = edge_row(edge)
        assert "src" not in row["props"] and "dst" not in row["props"]
        assert_storable(row["props"])
        assert edge_from(edge.REL, row["src"], row["dst"], row["props"]) == edge


def test_absent_values_and_empty_lists_are_left_out() -> None:
    project = Project(id="proj-x", name="项目", type="补链", source="s", investment=None)
    segment = Segment(id="pv-x", name="环节", chain="pv", stage="上游", source="s")
    assert "investment" not in to_properties(project)
    assert "aliases" not in to_properties(segment)
    assert to_properties(segment)["note"] == ""  # an empty string is a value, kept


def test_the_kind_is_read_from_the_labels() -> None:
    assert kind_from_labels(["Node", "Segment"]) == NodeKind.SEGMENT
    with pytest.raises(GraphError, match="expected one node kind"):
        kind_from_labels(["Node"])


def test_a_stored_node_the_schema_no_longer_fits_says_how_to_repair_it() -> None:
    with pytest.raises(GraphError, match="Segment 'pv-x' stored in Neo4j does not fit") as caught:
        node_from(NodeKind.SEGMENT, {"id": "pv-x", "name": "环节", "colour": "red"})
    assert "load the dataset again" in str(caught.value)


def test_rows_are_sent_in_slices_of_the_batch_size() -> None:
    assert [len(part) for part in chunks(list(range(7)), 3)] == [3, 3, 1]
    assert list(chunks([], 3)) == []
