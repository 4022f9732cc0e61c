"""A chain view from Neo4j in ONE read transaction of six statements, whatever the chain's
size: the same ``ChainView`` that ``graph.analysis.view.chain_view`` assembles from the
generic ``Store`` reads (one round trip per segment, firm and project there), in the same
order. The parity suite compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graph.schema import ChainMap, HasCapacity, NodeKind, Project, RelType
from graph.stores.neo4j import statements as q
from graph.stores.neo4j.rows import edge_from, node_from

if TYPE_CHECKING:
    from graph.analysis.view import ChainView

Run = Callable[..., list[dict[str, Any]]]


def read_view(run: Run, chain_id: str, region: str) -> ChainView | None:
    """The view of ``chain_id`` for ``region``; ``None`` when there is no such chain.
    ``run(statement, **params)`` runs one statement inside the caller's read transaction."""
    from graph.analysis.view import ChainView, _group

    head = run(q.VIEW_CHAIN, chain=chain_id)
    if not head:
        return None
    chain = node_from(NodeKind.CHAIN, head[0]["chain"])
    segs = sorted((node_from(NodeKind.SEGMENT, p) for p in head[0]["segments"]), key=_id)
    segments = {s.id: s for s in segs}
    rows = run(q.VIEW_SUPPLIES, segments=sorted(segments))
    links = [edge_from(RelType.SUPPLIES, r["src"], r["dst"], r["props"]) for r in rows]
    supplies = tuple(sorted(links, key=lambda e: (e.src, e.dst)))
    ends = {r[end]["id"]: r[end] for r in rows for end in ("src_node", "dst_node")}
    neighbours = {
        i: node_from(NodeKind.SEGMENT, ends[i]) for i in sorted(set(ends) - set(segments))
    }
    every = [*segments, *neighbours]
    firms: dict[str, Any] = {}
    ops = _edges_with_firms(
        run(q.VIEW_OPERATIONS, segments=every, region=region), RelType.OPERATES_IN, firms
    )
    targets = _edges_with_firms(
        run(q.VIEW_TARGETS, segments=sorted(segments)), RelType.TARGETED_FOR, firms
    )
    return ChainView(
        chain=chain,  # type: ignore[arg-type]
        region=region,
        segments=segments,  # type: ignore[arg-type]
        neighbours=neighbours,  # type: ignore[arg-type]
        supplies=supplies,  # type: ignore[arg-type]
        local_ops=_group(ops),
        capacities=_capacities(run, region, set(every)),
        targets=_group(targets),
        projects=_projects(run(q.VIEW_PROJECTS, segments=every), every),
        firms={i: node_from(NodeKind.FIRM, firms[i]) for i in sorted(firms)},  # type: ignore[misc]
        maps=_maps(run(q.VIEW_MAPS, segments=sorted(segments))),
        chains_seen=_chains(run, [*segs, *neighbours.values()]),
    )


def _id(node: Any) -> str:
    return str(node.id)


def _edges_with_firms(rows: list[dict[str, Any]], rel: RelType, firms: dict[str, Any]) -> list[Any]:
    edges = []
    for row in rows:
        firms[row["src"]] = row["firm"]
        edges.append(edge_from(rel, row["src"], row["dst"], row["props"]))
    return sorted(edges, key=lambda e: (e.dst, e.src))


def _capacities(run: Run, region: str, wanted: set[str]) -> dict[str, HasCapacity]:
    if not region:
        return {}
    rows = run(q.NEIGHBOURS_OUT[RelType.HAS_CAPACITY], id=region)
    facts = sorted(
        (edge_from(RelType.HAS_CAPACITY, r["src"], r["dst"], r["props"]) for r in rows),
        key=lambda e: (e.src, e.dst),
    )
    return {f.dst: f for f in facts if f.dst in wanted and isinstance(f, HasCapacity)}


def _projects(rows: list[dict[str, Any]], order: list[str]) -> dict[str, tuple[Project, ...]]:
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row["segment"], []).append(node_from(NodeKind.PROJECT, row["props"]))
    return {seg: tuple(sorted(found[seg], key=_id)) for seg in order if seg in found}


def _chains(run: Run, segments: list[Any]) -> dict[str, Any]:
    ids = sorted({s.chain for s in segments})
    chains = sorted(
        (node_from(NodeKind.CHAIN, r["props"]) for r in run(q.VIEW_CHAINS, ids=ids)), key=_id
    )
    return {c.id: c for c in chains}


def _maps(rows: list[dict[str, Any]]) -> dict[str, ChainMap]:
    maps = [node_from(NodeKind.MAP, r["props"]) for r in rows]
    return {m.id: m for m in sorted(maps, key=_id)}  # type: ignore[misc]
