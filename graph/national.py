"""The national product graph (ChainKG), stored compactly.

About 100k products and 170k relations: a networkx graph holding one pydantic record per edge
would take well over a kilobyte per relation. Here names are interned once, every relation
type is a pair of ``int32`` arrays with CSR indexes for both directions, and records
(``Product``, ``Makes``, …) are built only when read, so the embedded store keeps the
``Store`` semantics (``edges``/``neighbours`` return records) at a fraction of the memory.

Node ids: a product is ``p:<name>``, a Shenwan industry ``sw:<code>``; firms keep their own
ids (they are ordinary ``Firm`` nodes of the store).

>>> b = NationalBuilder()
>>> glass, ultra = b.products.add("光伏玻璃"), b.products.add("太阳能光伏玻璃")
>>> b.add(RelType.SUBCLASS, glass, ultra)
>>> b.add(RelType.MAKES, b.firms.add("a-601865-sh"), glass, 0.73)
>>> g = b.build()
>>> [e.dst for e in g.neighbours("p:光伏玻璃", RelType.SUBCLASS, Direction.OUT)]
['p:太阳能光伏玻璃']
>>> g.makers("p:光伏玻璃")
[('a-601865-sh', 0.73)]
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.schema import (
    Direction,
    DownstreamProduct,
    Edge,
    Industry,
    InIndustry,
    Makes,
    NodeKind,
    Product,
    RelType,
    Subclass,
    SubindustryOf,
    UpstreamIndustry,
    UpstreamMaterial,
)

PRODUCT_PREFIX = "p:"
INDUSTRY_PREFIX = "sw:"

# Which id space each end of a national relation lives in.
ENDS: dict[RelType, tuple[str, str]] = {
    RelType.MAKES: ("firm", "product"),
    RelType.UPSTREAM_MATERIAL: ("product", "product"),
    RelType.SUBCLASS: ("product", "product"),
    RelType.DOWNSTREAM_PRODUCT: ("product", "product"),
    RelType.IN_INDUSTRY: ("firm", "industry"),
    RelType.SUBINDUSTRY_OF: ("industry", "industry"),
    RelType.UPSTREAM_INDUSTRY: ("industry", "industry"),
}
NATIONAL_RELS = tuple(ENDS)
_PLAIN_EDGES: dict[RelType, type[Edge]] = {
    RelType.UPSTREAM_MATERIAL: UpstreamMaterial,
    RelType.SUBCLASS: Subclass,
    RelType.DOWNSTREAM_PRODUCT: DownstreamProduct,
    RelType.IN_INDUSTRY: InIndustry,
    RelType.SUBINDUSTRY_OF: SubindustryOf,
}


def product_id(name: str) -> str:
    return PRODUCT_PREFIX + name


def industry_id(code: str) -> str:
    return INDUSTRY_PREFIX + code


@dataclass
class Interned:
    """Strings numbered in order of first appearance: ``names[i]`` and ``index[name] == i``."""

    names: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, name: str) -> int:
        found = self.index.get(name)
        if found is None:
            found = self.index[name] = len(self.names)
            self.names.append(name)
        return found

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class Adjacency:
    """One relation type: edge ``k`` goes ``src[k] -> dst[k]`` (with ``value[k]``); the CSR
    pairs ``out_ptr/out_idx`` and ``in_ptr/in_idx`` list the edges of a node in O(degree)."""

    src: np.ndarray
    dst: np.ndarray
    value: np.ndarray
    out_ptr: np.ndarray
    out_idx: np.ndarray
    in_ptr: np.ndarray
    in_idx: np.ndarray

    @classmethod
    def build(cls, src: array, dst: array, value: array, n_src: int, n_dst: int) -> Adjacency:
        s = np.frombuffer(src, dtype=np.int32).copy() if len(src) else np.zeros(0, np.int32)
        d = np.frombuffer(dst, dtype=np.int32).copy() if len(dst) else np.zeros(0, np.int32)
        v = np.frombuffer(value, dtype=np.float64).copy() if len(value) else np.zeros(0)
        out_ptr, out_idx = _csr(s, n_src)
        in_ptr, in_idx = _csr(d, n_dst)
        return cls(s, d, v, out_ptr, out_idx, in_ptr, in_idx)

    def __len__(self) -> int:
        return len(self.src)

    def out_edges(self, node: int) -> np.ndarray:
        if node >= len(self.out_ptr) - 1:
            return self.out_idx[:0]
        return self.out_idx[self.out_ptr[node] : self.out_ptr[node + 1]]

    def in_edges(self, node: int) -> np.ndarray:
        if node >= len(self.in_ptr) - 1:
            return self.in_idx[:0]
        return self.in_idx[self.in_ptr[node] : self.in_ptr[node + 1]]

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.src, self.dst, self.value, self.out_ptr, self.out_idx))


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Edge indexes grouped by ``keys`` (stable), and where each key's group starts."""
    order = np.argsort(keys, kind="stable").astype(np.int32)
    counts = np.bincount(keys, minlength=n) if len(keys) else np.zeros(n, np.int64)
    ptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=ptr[1:])
    return ptr, order


class NationalGraph:
    """Products, Shenwan industries and their relations, plus which firm makes what.

    Immutable once built: a new import builds a new graph and the store swaps it in."""

    def __init__(
        self,
        products: Interned,
        industries: Interned,
        industry_records: list[Industry],
        firms: Interned,
        rels: dict[RelType, Adjacency],
    ) -> None:
        self.products = products
        self.industries = industries
        self.industry_records = industry_records
        self.firms = firms
        self.rels = rels

    @classmethod
    def empty(cls) -> NationalGraph:
        return NationalBuilder().build()

    # ------------------------------------------------------------------ nodes

    def kind_of(self, node_id: str) -> NodeKind | None:
        if node_id.startswith(PRODUCT_PREFIX):
            found = node_id[len(PRODUCT_PREFIX) :] in self.products.index
            return NodeKind.PRODUCT if found else None
        if node_id.startswith(INDUSTRY_PREFIX):
            found = node_id[len(INDUSTRY_PREFIX) :] in self.industries.index
            return NodeKind.INDUSTRY if found else None
        return None

    def node(self, node_id: str) -> Product | Industry | None:
        kind = self.kind_of(node_id)
        if kind == NodeKind.PRODUCT:
            return Product(id=node_id, name=node_id[len(PRODUCT_PREFIX) :])
        if kind == NodeKind.INDUSTRY:
            code = node_id[len(INDUSTRY_PREFIX) :]
            return self.industry_records[self.industries.index[code]]
        return None

    def node_ids(self, kind: NodeKind) -> list[str]:
        if kind == NodeKind.PRODUCT:
            return [product_id(n) for n in self.products.names]
        if kind == NodeKind.INDUSTRY:
            return [industry_id(c) for c in self.industries.names]
        return []

    def count_nodes(self, kind: NodeKind) -> int:
        if kind == NodeKind.PRODUCT:
            return len(self.products)
        if kind == NodeKind.INDUSTRY:
            return len(self.industries)
        return 0

    # ------------------------------------------------------------------ edges

    def count_edges(self, rel: RelType) -> int:
        adjacency = self.rels.get(rel)
        return len(adjacency) if adjacency is not None else 0

    def edges(self, rel: RelType) -> list[Edge]:
        adjacency = self.rels.get(rel)
        if adjacency is None:
            return []
        return [self._record(rel, adjacency, k) for k in range(len(adjacency))]

    def neighbours(self, node_id: str, rel: RelType, direction: Direction) -> list[Edge]:
        adjacency = self.rels.get(rel)
        if adjacency is None:
            return []
        src_space, dst_space = ENDS[rel]
        space = src_space if direction == Direction.OUT else dst_space
        node = self._index(space, node_id)
        if node is None:
            return []
        outgoing = direction == Direction.OUT
        found = adjacency.out_edges(node) if outgoing else adjacency.in_edges(node)
        return [self._record(rel, adjacency, int(k)) for k in found]

    def makers(self, product: str) -> list[tuple[str, float]]:
        """``(firm id, revenue share)`` of every firm making ``product`` (a product id)."""
        node = self._index("product", product)
        adjacency = self.rels[RelType.MAKES]
        if node is None:
            return []
        firms, weights = self.firms.names, adjacency.value
        return [(firms[adjacency.src[k]], float(weights[k])) for k in adjacency.in_edges(node)]

    def iter_rows(self, rel: RelType) -> Iterator[tuple[str, str, float]]:
        """``(src id, dst id, value)`` of every edge: the bulk form a database writer needs."""
        adjacency = self.rels[rel]
        src_space, dst_space = ENDS[rel]
        for k in range(len(adjacency)):
            yield (
                self._id(src_space, int(adjacency.src[k])),
                self._id(dst_space, int(adjacency.dst[k])),
                float(adjacency.value[k]),
            )

    def _index(self, space: str, node_id: str) -> int | None:
        if space == "firm":
            return self.firms.index.get(node_id)
        prefix, table = (
            (PRODUCT_PREFIX, self.products)
            if space == "product"
            else (INDUSTRY_PREFIX, self.industries)
        )
        if not node_id.startswith(prefix):
            return None
        return table.index.get(node_id[len(prefix) :])

    def _id(self, space: str, index: int) -> str:
        if space == "firm":
            return self.firms.names[index]
        if space == "product":
            return PRODUCT_PREFIX + self.products.names[index]
        return INDUSTRY_PREFIX + self.industries.names[index]

    def _record(self, rel: RelType, adjacency: Adjacency, k: int) -> Edge:
        src_space, dst_space = ENDS[rel]
        src = self._id(src_space, int(adjacency.src[k]))
        dst = self._id(dst_space, int(adjacency.dst[k]))
        if rel == RelType.MAKES:
            return Makes(src=src, dst=dst, weight=float(adjacency.value[k]))
        if rel == RelType.UPSTREAM_INDUSTRY:
            return UpstreamIndustry(src=src, dst=dst, count=int(adjacency.value[k]))
        return _PLAIN_EDGES[rel](src=src, dst=dst)

    def nbytes(self) -> int:
        """Bytes held by the edge arrays (names and records not included)."""
        return sum(a.nbytes() for a in self.rels.values())


class NationalBuilder:
    """Collects interned nodes and int edges while a loader streams; ``build`` freezes them."""

    def __init__(self) -> None:
        self.products = Interned()
        self.industries = Interned()
        self.industry_records: list[Industry] = []
        self.firms = Interned()
        self._src = {rel: array("i") for rel in NATIONAL_RELS}
        self._dst = {rel: array("i") for rel in NATIONAL_RELS}
        self._value = {rel: array("d") for rel in NATIONAL_RELS}

    def add_industry(self, record: Industry) -> int:
        code = record.id[len(INDUSTRY_PREFIX) :]
        index = self.industries.add(code)
        if index == len(self.industry_records):
            self.industry_records.append(record)
        return index

    def columns(
        self, rel: RelType
    ) -> tuple[Callable[[int], None], Callable[[int], None], Callable[[float], None]]:
        """The append methods of a relation's src, dst and value columns (for hot loops)."""
        return self._src[rel].append, self._dst[rel].append, self._value[rel].append

    def count(self, *rels: RelType) -> int:
        """Edges collected so far in these relations."""
        return sum(len(self._src[rel]) for rel in rels)

    def extend(self, rel: RelType, src: Any, dst: Any, value: Any) -> None:
        """Append many edges at once (numpy arrays or sequences of equal length)."""
        self._src[rel].frombytes(np.asarray(src, dtype=np.int32).tobytes())
        self._dst[rel].frombytes(np.asarray(dst, dtype=np.int32).tobytes())
        self._value[rel].frombytes(np.asarray(value, dtype=np.float64).tobytes())

    def add(self, rel: RelType, src: int, dst: int, value: float = 0.0) -> None:
        self._src[rel].append(src)
        self._dst[rel].append(dst)
        self._value[rel].append(value)

    def build(self) -> NationalGraph:
        sizes = {
            "product": len(self.products),
            "industry": len(self.industries),
            "firm": len(self.firms),
        }
        rels = {
            rel: Adjacency.build(
                self._src[rel],
                self._dst[rel],
                self._value[rel],
                sizes[ENDS[rel][0]],
                sizes[ENDS[rel][1]],
            )
            for rel in NATIONAL_RELS
        }
        return NationalGraph(
            self.products, self.industries, self.industry_records, self.firms, rels
        )
