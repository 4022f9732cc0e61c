"""``ChainView``: everything the analysis needs about one chain in one region, fetched once.

Built only through ``Store`` methods whose cost follows the chain (its segments, their SUPPLIES
neighbours, the operations sited in the region), so a gap query on one chain does not touch
the rest of the country. Analysis functions take a view and return plain data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

from graph.schema import (
    Certainty,
    Chain,
    ChainMap,
    Edge,
    Firm,
    HasCapacity,
    NodeKind,
    OperatesIn,
    Project,
    RelType,
    Segment,
    Supplies,
    TargetedFor,
)
from graph.store import Direction, Store, get_firm, get_segment


@dataclass(frozen=True)
class ChainView:
    """One chain as seen from one region. ``segments`` are the chain's own segments;
    ``neighbours`` are other chains' segments linked to them by SUPPLIES (cross-chain)."""

    chain: Chain
    region: str
    segments: dict[str, Segment]
    neighbours: dict[str, Segment]
    supplies: tuple[Supplies, ...]
    local_ops: dict[str, tuple[OperatesIn, ...]]  # segment -> operations sited in the region
    capacities: dict[str, HasCapacity]  # segment -> the region's official capacity figure
    targets: dict[str, tuple[TargetedFor, ...]]  # segment -> target-list entries
    projects: dict[str, tuple[Project, ...]]  # segment -> projects that fill it
    firms: dict[str, Firm]  # every firm named by local_ops or targets
    maps: dict[str, ChainMap] = field(default_factory=dict)
    chains_seen: dict[str, Chain] = field(default_factory=dict)  # chains of segments + neighbours
    landed: frozenset[tuple[str, str]] = frozenset()  # (firm, segment) added by a simulation

    # SUPPLIES reachability on plain dicts, memoised per view: the analysis asks the same
    # questions for every segment (a networkx BFS per question dominated a gap query).

    @cached_property
    def _links(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        up: dict[str, list[str]] = defaultdict(list)
        down: dict[str, list[str]] = defaultdict(list)
        for link in self.supplies:
            down[link.src].append(link.dst)
            up[link.dst].append(link.src)
        return (
            {k: tuple(sorted(v)) for k, v in up.items()},
            {k: tuple(sorted(v)) for k, v in down.items()},
        )

    @cached_property
    def _reach(self) -> dict[tuple[str, str, bool], frozenset[str]]:
        return {}

    @cached_property
    def newest_year(self) -> int | None:
        """The newest year of any local operation or official figure in the view."""
        years = [op.year for ops in self.local_ops.values() for op in ops if op.year]
        years += [f.year for f in self.capacities.values() if f.year]
        return max(years) if years else None

    @cached_property
    def statistics_year(self) -> int | None:
        """The newest year (0: undated) of the region's verified official figures on the
        chain's own segments (None: none) — asked once per segment, computed once per view."""
        years = [
            f.year or 0
            for seg, f in self.capacities.items()
            if seg in self.segments and f.certainty == Certainty.VERIFIED
        ]
        return max(years) if years else None

    def upstream_of(self, segment_id: str) -> tuple[str, ...]:
        """Direct SUPPLIES predecessors (any chain), sorted."""
        return self._links[0].get(segment_id, ())

    def downstream_of(self, segment_id: str) -> tuple[str, ...]:
        """Direct SUPPLIES successors (any chain), sorted."""
        return self._links[1].get(segment_id, ())

    def ancestors(self, segment_id: str, within_chain: bool = False) -> frozenset[str]:
        """Every segment upstream of ``segment_id``, transitively (optionally only the chain's)."""
        return self._walk(segment_id, 0, within_chain)

    def descendants(self, segment_id: str, within_chain: bool = False) -> frozenset[str]:
        """Every segment downstream of ``segment_id``, transitively."""
        return self._walk(segment_id, 1, within_chain)

    def _walk(self, start: str, direction: int, within_chain: bool) -> frozenset[str]:
        key = (start, "up" if direction == 0 else "down", within_chain)
        if key not in self._reach:
            step = self._links[direction]
            seen: set[str] = set()
            todo = [start]
            while todo:
                for nxt in step.get(todo.pop(), ()):
                    if nxt not in seen and (not within_chain or nxt in self.segments):
                        seen.add(nxt)
                        todo.append(nxt)
            seen.discard(start)
            self._reach[key] = frozenset(seen)
        return self._reach[key]

    def segment(self, segment_id: str) -> Segment:
        return self.segments.get(segment_id) or self.neighbours[segment_id]

    def local_firm_ids(self, segment_id: str) -> list[str]:
        """The ids of the firms operating locally in the segment, sorted (a new list)."""
        found = self._firm_ids.get(segment_id)
        if found is None:
            found = self._firm_ids[segment_id] = sorted(
                {op.src for op in self.local_ops.get(segment_id, ())}
            )
        return list(found)

    @cached_property
    def _firm_ids(self) -> dict[str, list[str]]:
        return {}

    def with_operation(self, op: OperatesIn, firm: Firm) -> ChainView:
        """A copy of the view in which ``op`` exists too (for landing simulation). The landed
        capacity adds to the region's official figure (see ``status.local_capacity``)."""
        ops = dict(self.local_ops)
        kept = tuple(o for o in ops.get(op.dst, ()) if o.src != op.src)
        ops[op.dst] = (*kept, op)
        return replace(
            self,
            local_ops=ops,
            firms={**self.firms, firm.id: firm},
            landed=self.landed | {(op.src, op.dst)},
        )


@runtime_checkable
class ViewSource(Protocol):
    """A store that builds a whole ``ChainView`` itself in a constant number of round trips
    (a server back end), instead of the generic reads below; it must return the same view."""

    def chain_view(self, chain_id: str, region: str) -> ChainView: ...


def chain_view(store: Store, chain_id: str, region: str) -> ChainView:
    """Fetch the view of ``chain_id`` for ``region`` (``NotFound`` if the chain is unknown).

    >>> from graph.stores.memory import MemoryStore
    >>> chain_view(MemoryStore(), "pv", "xining")
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: unknown Chain id 'pv'
    """
    if isinstance(store, ViewSource):  # a back end that reads a whole view at once (Neo4j)
        return store.chain_view(chain_id, region)
    chain = store.get(chain_id, NodeKind.CHAIN)
    assert isinstance(chain, Chain)
    segments = {s.id: s for s in store.chain_segments(chain_id)}
    supplies = tuple(store.supplies_touching(segments))
    ends = {e.src for e in supplies} | {e.dst for e in supplies}
    outside = sorted(ends - set(segments))
    neighbours = {i: get_segment(store, i) for i in outside}
    every = [*segments, *neighbours]
    local = _group(store.operations(every, region))
    targets = _group(store.targets(segments))
    firm_ids = {op.src for ops in local.values() for op in ops}
    firm_ids |= {t.src for entries in targets.values() for t in entries}
    return ChainView(
        chain=chain,
        region=region,
        segments=segments,
        neighbours=neighbours,
        supplies=supplies,
        local_ops=local,
        capacities=_capacities(store, region, every),
        targets=targets,
        projects=_projects(store, every),
        firms={i: get_firm(store, i) for i in sorted(firm_ids)},
        maps=_maps(store, segments),
        chains_seen=_chains(store, [*segments.values(), *neighbours.values()]),
    )


def _chains(store: Store, segments: Iterable[Segment]) -> dict[str, Chain]:
    found = (store.find(i) for i in sorted({s.chain for s in segments}))
    return {c.id: c for c in found if isinstance(c, Chain)}


def _group(edges: Iterable[Edge]) -> dict[str, tuple[Any, ...]]:
    grouped: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        grouped[edge.dst].append(edge)
    return {seg: tuple(sorted(items, key=lambda e: e.src)) for seg, items in grouped.items()}


def _capacities(store: Store, region: str, segment_ids: list[str]) -> dict[str, HasCapacity]:
    wanted = set(segment_ids)
    facts = store.neighbours(region, RelType.HAS_CAPACITY, Direction.OUT) if region else []
    return {f.dst: f for f in facts if f.dst in wanted and isinstance(f, HasCapacity)}


def _projects(store: Store, segments: Iterable[str]) -> dict[str, tuple[Project, ...]]:
    found: dict[str, tuple[Project, ...]] = {}
    for seg in segments:
        ids = sorted(e.src for e in store.neighbours(seg, RelType.FILLS, Direction.IN))
        if ids:
            found[seg] = tuple(store.get(i, NodeKind.PROJECT) for i in ids)  # type: ignore[misc]
    return found


def _maps(store: Store, segments: Iterable[str]) -> dict[str, ChainMap]:
    ids = {e.src for seg in segments for e in store.neighbours(seg, RelType.SHOWS, Direction.IN)}
    return {i: store.get(i, NodeKind.MAP) for i in sorted(ids)}  # type: ignore[misc]


def map_view(store: Store, view: ChainView, chain_map: ChainMap) -> ChainView:
    """``view`` widened to the segments of other chains that ``chain_map`` shows (合金 maps show
    锂电铝箔, 光伏边框 …): their SUPPLIES links, local operations, figures, targets, projects."""
    foreign = sorted(set(chain_map.segments) - set(view.segments))
    links = {(e.src, e.dst): e for e in (*view.supplies, *store.supplies_touching(foreign))}
    supplies = tuple(links[key] for key in sorted(links))
    ends = {end for link in supplies for end in (link.src, link.dst)} | set(foreign)
    added = sorted(ends - set(view.segments) - set(view.neighbours))
    local_ops = _merged(view.local_ops, store.operations(added, view.region))
    targets = _merged(view.targets, store.targets(foreign))
    named = {e.src for edges in (*local_ops.values(), *targets.values()) for e in edges}
    neighbours = {**view.neighbours, **{i: get_segment(store, i) for i in added}}
    return replace(
        view,
        neighbours=neighbours,
        chains_seen={**view.chains_seen, **_chains(store, neighbours.values())},
        supplies=supplies,
        local_ops=local_ops,
        targets=targets,
        capacities={**view.capacities, **_capacities(store, view.region, added)},
        projects={**view.projects, **_projects(store, added)},
        firms={**view.firms, **{i: get_firm(store, i) for i in sorted(named - set(view.firms))}},
    )


def _merged(
    existing: dict[str, tuple[Any, ...]], more: Iterable[Edge]
) -> dict[str, tuple[Any, ...]]:
    """``existing`` (segment -> edges into it) plus ``more``, each sorted by source."""
    added = _group(e for e in more if e not in existing.get(e.dst, ()))
    keys = set(existing) | set(added)
    return {
        seg: tuple(sorted((*existing.get(seg, ()), *added.get(seg, ())), key=lambda e: e.src))
        for seg in keys
    }
