"""The embedded store: networkx graphs in memory, optionally persisted to one snapshot file.

One ``nx.DiGraph`` per relation type holds the edges (edge attribute ``r`` = the record), node
records live in a dict by id, and two indexes keep chain queries proportional to the chain:
``PART_OF`` is a graph (chain -> its segments via predecessors), and ``(segment, region) ->
firms`` answers "who operates this segment here" without scanning every firm.

>>> from graph.schema import Chain
>>> store = MemoryStore()
>>> store.apply(Batch(nodes=[Chain(id="pv", name="光伏制造", source="seed", year=2023)]))
>>> store.get("pv").name
'光伏制造'
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graph.datasets import DATASET_RELS, NATIONAL_KINDS, NATIONAL_RELS
from graph.errors import DatasetError, GraphError, InvalidRequest, NotFound, Problem, closest
from graph.i18n import _
from graph.national import NationalGraph
from graph.schema import (
    AnyNode,
    Batch,
    Direction,
    Edge,
    Firm,
    Matches,
    NationalCandidate,
    NodeKind,
    OperatesIn,
    Park,
    RelType,
    Segment,
    Supplies,
    TargetedFor,
    TargetStatus,
    kind_of,
)
from graph.store_rules import batch_problems, national_problems, pick_national

SNAPSHOT_FORMAT = 1


def _edge_sort_key(edge: Edge) -> tuple[str, str]:
    return (edge.src, edge.dst)


class MemoryStore:
    """The zero-setup store. Pass ``path`` to persist every accepted write atomically."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else None
        self._revision = 0
        self._load_saved()

    def _load_saved(self) -> None:
        """Start from the snapshot at ``path`` if there is one, else empty."""
        self._nodes: dict[str, AnyNode] = {}
        self._by_kind: dict[NodeKind, set[str]] = defaultdict(set)
        self._rels: dict[RelType, nx.DiGraph] = {rel: nx.DiGraph() for rel in RelType}
        self._ops_by_region: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._national = NationalGraph.empty()  # ChainKG products, compact (graph/national.py)
        if self.path and self.path.exists():
            self._restore(self.path)

    # ------------------------------------------------------------------ writes

    def apply(self, batch: Batch) -> None:
        problems = self._check(batch)
        if problems:
            raise DatasetError(problems)
        if self._holds(batch):
            return  # a repeated load changes nothing: revision and snapshot stay as they are
        for node in batch.nodes:
            self._put_node(node)
        for edge in batch.edges:
            self._put_edge(edge)
        if any(isinstance(n, Park) for n in batch.nodes):
            self._reindex_operations()
        self._committed()

    def replace_dataset(self, batch: Batch) -> None:
        """Make ``batch`` the whole curated dataset; the national pool stays (see the protocol
        in graph/store.py). Built aside and swapped in, so a rejected batch changes nothing."""
        if not batch.nodes:
            raise InvalidRequest(_("the dataset to load is empty; nothing was changed"))
        kept = {i: n for i, n in self._nodes.items() if self._kept(n)}
        nodes = {**kept, **{n.id: n for n in batch.nodes}}

        def kind(node_id: str) -> NodeKind | None:
            node = kept.get(node_id)
            return kind_of(node) if node is not None else self._national.kind_of(node_id)

        problems = batch_problems(batch, kind)
        if problems:
            raise DatasetError(problems)
        if self._holds(batch) and nodes.keys() == self._nodes.keys() and self._same_edges(batch):
            return
        self._swap(nodes, self._replaced_rels(batch, nodes))
        self._committed()

    def _kept(self, node: AnyNode) -> bool:
        """Nodes of the national pool, which replacing the dataset leaves in place."""
        kind = kind_of(node)
        if kind in NATIONAL_KINDS:
            return True
        if kind != NodeKind.FIRM:
            return False
        national = (r for r in NATIONAL_RELS if node.id in self._rels[r])
        return node.id in self._national.firms.index or any(national)

    def _same_edges(self, batch: Batch) -> bool:
        keys = {e.key for e in batch.edges if e.REL in DATASET_RELS}
        return len(keys) == sum(self._rels[r].number_of_edges() for r in DATASET_RELS)

    def _replaced_rels(self, batch: Batch, nodes: dict[str, AnyNode]) -> dict[RelType, nx.DiGraph]:
        rels = {rel: self._rels[rel] for rel in NATIONAL_RELS}
        rels.update({rel: nx.DiGraph() for rel in DATASET_RELS})
        rels[RelType.MATCHES] = nx.DiGraph()
        for src, dst, match in self._rels[RelType.MATCHES].edges(data="r"):
            if src in nodes:
                rels[RelType.MATCHES].add_edge(src, dst, r=match)
        for edge in batch.edges:
            rels[edge.REL].add_edge(edge.src, edge.dst, r=edge)
        return rels

    def _swap(self, nodes: dict[str, AnyNode], rels: dict[RelType, nx.DiGraph]) -> None:
        self._nodes, self._rels = nodes, rels
        self._by_kind = defaultdict(set)
        for node_id, node in nodes.items():
            self._by_kind[kind_of(node)].add(node_id)
        self._reindex_operations()

    def set_target_status(
        self, firm_id: str, segment_id: str, status: TargetStatus, date: str, note: str
    ) -> TargetedFor:
        graph = self._rels[RelType.TARGETED_FOR]
        if not graph.has_edge(firm_id, segment_id):
            self.get(firm_id, NodeKind.FIRM)
            self.get(segment_id, NodeKind.SEGMENT)
            raise NotFound("target-list entry", f"{firm_id} -> {segment_id}")
        entry: TargetedFor = graph.edges[firm_id, segment_id]["r"]
        updated = entry.model_copy(
            update={"status": status, "status_date": date, "status_note": note}
        )
        graph.edges[firm_id, segment_id]["r"] = updated
        self._committed()
        return updated

    def _committed(self) -> None:
        """Count the write and persist it; if saving fails, undo it in memory too, so what
        the process serves never differs from what a restart would load."""
        if self.path:
            try:
                self.save(self.path)
            except Exception as e:
                self._load_saved()
                raise GraphError(
                    f"could not save {self.path} ({e}); the write was not applied"
                ) from e
        self._revision += 1

    def _put_node(self, node: AnyNode) -> None:
        self._nodes[node.id] = node
        self._by_kind[kind_of(node)].add(node.id)

    def _holds(self, batch: Batch) -> bool:
        """True when every record of ``batch`` is already stored exactly as given."""
        return all(self._nodes.get(n.id) == n for n in batch.nodes) and all(
            self._stored(e) == e for e in batch.edges
        )

    def _stored(self, edge: Edge) -> Edge | None:
        graph = self._rels[edge.REL]
        found: Edge | None = (
            graph.edges[edge.src, edge.dst]["r"] if graph.has_edge(edge.src, edge.dst) else None
        )
        return found

    def _put_edge(self, edge: Edge) -> None:
        graph = self._rels[edge.REL]
        if isinstance(old := self._stored(edge), OperatesIn):
            # a replaced operation may have moved to another region: drop its old index entry
            self._ops_by_region[(old.dst, self.site_region(old.site))].discard(old.src)
        graph.add_edge(edge.src, edge.dst, r=edge)
        if isinstance(edge, OperatesIn):
            self._index_operation(edge)

    def _index_operation(self, op: OperatesIn) -> None:
        self._ops_by_region[(op.dst, self.site_region(op.site))].add(op.src)

    def _reindex_operations(self) -> None:
        self._ops_by_region.clear()
        for _src, _dst, op in self._rels[RelType.OPERATES_IN].edges(data="r"):
            self._index_operation(op)

    def _check(self, batch: Batch) -> list[Problem]:
        """Every reason the batch cannot be applied; empty when it can."""
        return batch_problems(batch, self._kind_of)

    def _kind_of(self, node_id: str) -> NodeKind | None:
        node = self._nodes.get(node_id)
        return kind_of(node) if node is not None else self._national.kind_of(node_id)

    def load_national(
        self, national: NationalGraph, firms: Iterable[Firm], matches: Iterable[Matches]
    ) -> None:
        """Swap in a new national product graph, upsert its firms, replace every MATCHES edge.

        All or nothing: a firm id the graph names that is neither in ``firms`` nor a stored
        firm, or a match to an unknown segment or product, raises ``DatasetError``."""
        firms, matches = list(firms), list(matches)
        problems = self._national_problems(national, firms, matches)
        if problems:
            raise DatasetError(problems)
        for firm in firms:
            self._put_node(firm)
        self._national = national
        self._set_matches(matches)
        self._committed()

    def replace_matches(self, matches: Iterable[Matches]) -> None:
        """Replace every Segment-MATCHES->Product edge (after re-matching keywords)."""
        matches = list(matches)
        problems = batch_problems(Batch(edges=matches), self._kind_of)
        if problems:
            raise DatasetError(problems)
        self._set_matches(matches)
        self._committed()

    def _set_matches(self, matches: list[Matches]) -> None:
        graph = self._rels[RelType.MATCHES] = nx.DiGraph()
        for match in matches:
            graph.add_edge(match.src, match.dst, r=match)

    def _national_problems(
        self, national: NationalGraph, firms: list[Firm], matches: list[Matches]
    ) -> list[Problem]:
        stored = self._nodes.get  # not the national graph being replaced
        return national_problems(
            national, firms, matches, lambda i: kind_of(n) if (n := stored(i)) else None
        )

    # ------------------------------------------------------------------ reads

    @property
    def revision(self) -> int:
        return self._revision

    def get(self, node_id: str, kind: NodeKind | None = None) -> AnyNode:
        node = self.find(node_id)
        if node is None or (kind is not None and kind_of(node) != kind):
            pool = self._by_kind[kind] if kind else self._nodes.keys()
            raise NotFound(kind.value if kind else "node", node_id, closest(node_id, pool))
        return node

    def find(self, node_id: str) -> AnyNode | None:
        return self._nodes.get(node_id) or self._national.node(node_id)

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        national = self._national.node_ids(kind)
        ids = self._by_kind[kind].union(national) if national else self._by_kind[kind]
        return [self.find(i) for i in sorted(ids)]  # type: ignore[misc]

    def count(self, kind: NodeKind | RelType) -> int:
        if isinstance(kind, NodeKind):
            return len(self._by_kind[kind]) + self._national.count_nodes(kind)
        return int(self._rels[kind].number_of_edges()) + self._national.count_edges(kind)

    def edges(self, rel: RelType) -> list[Edge]:
        stored = [r for _, _, r in self._rels[rel].edges(data="r")]
        return sorted(stored + self._national.edges(rel), key=_edge_sort_key)

    def neighbours(self, node_id: str, rel: RelType, direction: Direction) -> list[Edge]:
        graph = self._rels[rel]
        found = self._national.neighbours(node_id, rel, direction)
        if node_id in graph:
            adjacency = graph._succ if direction == Direction.OUT else graph._pred
            found += [attrs["r"] for attrs in adjacency[node_id].values()]
        return sorted(found, key=_edge_sort_key)

    def chain_segments(self, chain_id: str) -> list[Segment]:
        part_of = self._rels[RelType.PART_OF]
        if chain_id not in part_of:
            return []
        ids = sorted(part_of.predecessors(chain_id))
        return [self._nodes[i] for i in ids]  # type: ignore[misc]

    def supplies_touching(self, segment_ids: Iterable[str]) -> list[Supplies]:
        graph = self._rels[RelType.SUPPLIES]
        found: dict[tuple[str, str], Supplies] = {}
        succ, pred = graph._succ, graph._pred  # plain dicts: no view objects on the hot path
        for seg in segment_ids:
            if seg in succ:
                for v, attrs in succ[seg].items():
                    found[(seg, v)] = attrs["r"]
                for u, attrs in pred[seg].items():
                    found[(u, seg)] = attrs["r"]
        return [found[k] for k in sorted(found)]

    def operations(self, segment_ids: Iterable[str], region: str | None = None) -> list[OperatesIn]:
        graph = self._rels[RelType.OPERATES_IN]
        ops: list[OperatesIn] = []
        for seg in set(segment_ids):
            if seg not in graph:
                continue
            into = graph._pred[seg]
            if region is None:
                ops.extend(attrs["r"] for attrs in into.values())
            else:
                ops.extend(into[f]["r"] for f in self._ops_by_region.get((seg, region), ()))
        return sorted(ops, key=lambda op: (op.dst, op.src))

    def targets(self, segment_ids: Iterable[str]) -> list[TargetedFor]:
        graph = self._rels[RelType.TARGETED_FOR]
        entries = [
            r
            for seg in set(segment_ids)
            if seg in graph
            for r in (attrs["r"] for attrs in graph._pred[seg].values())
        ]
        return sorted(entries, key=lambda t: (t.dst, t.src))

    def national_candidates(self, segment_ids: Iterable[str]) -> list[NationalCandidate]:
        matches = self._rels[RelType.MATCHES]
        return pick_national(
            (seg, product, firm, weight)
            for seg in set(segment_ids)
            if seg in matches
            for product in matches.successors(seg)
            for firm, weight in self._makers(product)
        )

    def _makers(self, product: str) -> list[tuple[str, float]]:
        makes = self._rels[RelType.MAKES]
        found = self._national.makers(product)
        if product in makes:
            found += [(firm, made.weight) for firm, _, made in makes.in_edges(product, data="r")]
        return found

    def site_region(self, site: str) -> str:
        node = self._nodes.get(site)
        if isinstance(node, Park):
            return node.region
        if node is not None and kind_of(node) == NodeKind.REGION:
            return site
        return ""

    def close(self) -> None:
        """Nothing to release: every accepted write is already on disk when ``path`` is set."""

    # ------------------------------------------------------------------ snapshots

    def save(self, path: str | Path) -> None:
        """Write a snapshot atomically: a crash mid-write leaves the previous file intact."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "format": SNAPSHOT_FORMAT,
            "nodes": self._nodes,
            "rels": self._rels,
            "national": self._national,
        }
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _restore(self, path: Path) -> None:
        try:
            with path.open("rb") as fh:
                state: dict[str, Any] = pickle.load(fh)  # noqa: S301 - our own snapshot file
        except Exception as e:  # unpickling garbage can raise almost anything
            raise GraphError(f"cannot read snapshot {path}: {e}; delete it to start empty") from e
        if not isinstance(state, dict) or state.get("format") != SNAPSHOT_FORMAT:
            raise GraphError(f"snapshot {path} has an unknown format; delete it and load again")
        self._nodes = state["nodes"]
        self._rels = state["rels"]
        self._national = state.get("national") or NationalGraph.empty()
        for rel in RelType:
            self._rels.setdefault(rel, nx.DiGraph())
        for node_id, node in self._nodes.items():
            self._by_kind[kind_of(node)].add(node_id)
        self._reindex_operations()
