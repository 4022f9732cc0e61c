"""Rules every ``Store`` back end applies the same way, kept in one place so they cannot drift.

``batch_problems`` is the all-or-nothing check of ``Store.apply``; ``pick_national`` chooses,
for each (segment, firm), the product behind a national candidate. The embedded store and the
Neo4j store both call these, so a batch rejected by one is rejected by the other with the same
words, and the national pool ranks the same on both.

>>> from graph.schema import Batch, PartOf
>>> [p.message for p in batch_problems(Batch(edges=[PartOf(src="pv-wafer", dst="pv")]),
...                                      lambda node_id: None)][0]
"PART_OF refers to unknown node 'pv-wafer'"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from graph.errors import Problem
from graph.schema import Batch, Firm, Matches, NationalCandidate, NodeKind, kind_of

if TYPE_CHECKING:  # graph.national imports graph.store, which imports nothing from here
    from graph.national import NationalGraph

NATIONAL_SOURCE = "ChainKG 主营产品"


def referenced_ids(batch: Batch) -> set[str]:
    """Every id the batch writes or points at: what a back end must look up to check it."""
    ids = {node.id for node in batch.nodes}
    for edge in batch.edges:
        ids.update((edge.src, edge.dst))
    return ids


def batch_problems(batch: Batch, existing_kind: Callable[[str], NodeKind | None]) -> list[Problem]:
    """Every reason the batch cannot be applied; empty when it can.

    ``existing_kind`` tells the kind of a node already stored (None when there is none)."""
    incoming: dict[str, NodeKind] = {}
    problems: list[Problem] = []
    for node in batch.nodes:
        kind = kind_of(node)
        other = incoming.get(node.id) or existing_kind(node.id)
        if other and other != kind:
            problems.append(
                Problem("<batch>", 0, "id", f"id {node.id!r} is already used by a {other}")
            )
        incoming[node.id] = kind
    for edge in batch.edges:
        for end, allowed in (("src", edge.SRC), ("dst", edge.DST)):
            node_id = getattr(edge, end)
            found = incoming.get(node_id) or existing_kind(node_id)
            if found is None:
                message = f"{edge.REL} refers to unknown node {node_id!r}"
            elif found not in allowed:
                message = f"{edge.REL} needs a {'/'.join(allowed)}, {node_id!r} is a {found}"
            else:
                continue
            problems.append(Problem("<batch>", 0, end, message))
    return problems


def national_problems(
    national: NationalGraph,
    firms: Iterable[Firm],
    matches: Iterable[Matches],
    existing_kind: Callable[[str], NodeKind | None],
) -> list[Problem]:
    """Why ``load_national`` cannot take this graph: firms it names that are neither given nor
    stored, matches from an unknown segment or to a product found neither in the new graph
    nor among the stored nodes. ``existing_kind`` must not see the national graph being
    replaced."""
    incoming = {f.id for f in firms}
    problems = [
        Problem("<national>", 0, "firm", f"the national graph names unknown firm {firm!r}")
        for firm in national.firms.names
        if firm not in incoming and existing_kind(firm) != NodeKind.FIRM
    ]
    for match in matches:
        if existing_kind(match.src) != NodeKind.SEGMENT:
            problems.append(Problem("<national>", 0, "src", f"unknown segment {match.src!r}"))
        if national.kind_of(match.dst) != NodeKind.PRODUCT and existing_kind(match.dst) is None:
            problems.append(Problem("<national>", 0, "dst", f"unknown product {match.dst!r}"))
    return problems


def pick_national(
    offers: Iterable[tuple[str, str, str, float | None]],
) -> list[NationalCandidate]:
    """One candidate per (segment, firm) from ``(segment, product, firm, weight)`` offers: the
    product with the largest weight, ties to the smallest product id, so the answer never
    depends on the order a back end happens to return the offers in. Sorted by (segment, firm).

    >>> [c.product for c in pick_national([("s", "b", "f", 0.5), ("s", "a", "f", 0.5)])]
    ['a']
    """
    best: dict[tuple[str, str], tuple[float, str, float | None]] = {}
    for segment, product, firm, weight in offers:
        current = best.get((segment, firm))
        if current is None or _beats(weight or 0, product, current[0], current[1]):
            best[(segment, firm)] = (weight or 0, product, weight)
    return [
        NationalCandidate(
            firm=firm, segment=segment, product=product, weight=weight, source=NATIONAL_SOURCE
        )
        for (segment, firm), (_, product, weight) in sorted(best.items())
    ]


def _beats(weight: float, product: str, best_weight: float, best_product: str) -> bool:
    return weight > best_weight or (weight == best_weight and product < best_product)
