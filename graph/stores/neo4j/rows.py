"""Records to Neo4j properties and back, for the Neo4j store and the bulk CSV export.

A record becomes ``model_dump(mode="json")`` with ``None`` and empty lists dropped (Neo4j has
no null property, and an absent list reads back as the model's empty default); ``src`` and
``dst`` of an edge become its end nodes. Reading validates the properties into the same model,
so a record survives the round trip unchanged (tuples come back as lists, which pydantic turns
into tuples again).

>>> from graph.schema import Segment
>>> seg = Segment(id="pv-wafer", name="切片", chain="pv", stage="中游", source="s", year=2023)
>>> node_from(NodeKind.SEGMENT, to_properties(seg)) == seg
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from graph.errors import GraphError
from graph.schema import EDGE_MODELS, NODE_MODELS, AnyNode, Edge, Firm, NodeKind, Record, RelType
from graph.search import search_keys

T = TypeVar("T")
KIND_LABELS = frozenset(kind.value for kind in NodeKind)
# properties the store adds for its own reads, not record fields: OPERATES_IN's site region,
# the load generation of national nodes and relationships
DERIVED = frozenset({"region", "chainkg_gen"})
# a Firm node's search keys (graph.search.search_keys), indexed by chainkg_firm_search
SEARCH_PROPS = ("search_names", "search_pinyin", "search_initials")
NODE_DERIVED = frozenset({"chainkg_gen", *SEARCH_PROPS})


def to_properties(record: Record, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The record's fields as Neo4j property values (None and empty lists left out)."""
    props: dict[str, Any] = {}
    for key, value in record.model_dump(mode="json", exclude=set(exclude)).items():
        if value is None or value == []:
            continue
        if isinstance(value, dict) or (isinstance(value, list) and not _flat(value)):
            raise GraphError(f"{type(record).__name__}.{key} cannot be a Neo4j property: {value!r}")
        props[key] = value
    return props


def _flat(values: list[Any]) -> bool:
    """Neo4j stores only lists of one simple type."""
    return len({type(v) for v in values}) == 1 and not isinstance(values[0], list | dict)


def node_row(node: AnyNode) -> dict[str, Any]:
    """The node's row for a write: its properties, plus a Firm's search keys."""
    props = to_properties(node)
    if isinstance(node, Firm):
        keys = search_keys(node)
        values = (keys.names, keys.pinyin, keys.initials)
        props.update({k: v for k, v in zip(SEARCH_PROPS, values, strict=True) if v})
    return {"id": node.id, "props": props}


def edge_row(edge: Edge) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "props": to_properties(edge, ("src", "dst"))}


def kind_from_labels(labels: Iterable[str]) -> NodeKind:
    """The node kind among a node's labels (every chainkg node has exactly one)."""
    kinds = sorted(KIND_LABELS.intersection(labels))
    if len(kinds) != 1:
        raise GraphError(f"a node in Neo4j has labels {sorted(labels)}: expected one node kind")
    return NodeKind(kinds[0])


def node_from(kind: NodeKind, props: dict[str, Any]) -> AnyNode:
    model = NODE_MODELS[kind]
    if not NODE_DERIVED.isdisjoint(props):
        props = {k: v for k, v in props.items() if k not in NODE_DERIVED or k in model.model_fields}
    try:
        return model.model_validate(props)  # type: ignore[return-value]
    except ValidationError as e:
        raise _stale(f"{kind.value} {props.get('id')!r}", e) from e


def edge_from(rel: RelType, src: str, dst: str, props: dict[str, Any]) -> Edge:
    """The edge from its stored properties; properties the store derives for its own indexes
    (``DERIVED``: OPERATES_IN's ``region``) are not part of the record."""
    model = EDGE_MODELS[rel]
    kept = {k: v for k, v in props.items() if k not in DERIVED or k in model.model_fields}
    try:
        return model.model_validate({**kept, "src": src, "dst": dst})
    except ValidationError as e:
        raise _stale(f"{rel.value} {src!r} -> {dst!r}", e) from e


def _stale(what: str, error: ValidationError) -> GraphError:
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return GraphError(
        f"{what} stored in Neo4j does not fit chainkg's schema ({problems}); "
        "it was written by another version: load the dataset again with --backend neo4j"
    )


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size`` (one UNWIND statement each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
