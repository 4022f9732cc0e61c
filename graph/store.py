"""The storage port: a narrow ``Store`` protocol in domain words.

Back ends implement it in ``graph.stores``: ``memory.MemoryStore`` (embedded networkx, the
zero-setup default and the test double) and ``neo4j.Neo4jStore``. Loaders, analysis, maps and
the API only ever talk to this protocol, so they work unchanged on either.

Conventions every implementation keeps:
- lists come back sorted by id (nodes) or by ``(src, dst)`` (edges), so answers are
  deterministic and identical across back ends;
- ``apply`` is all or nothing: a batch that fails validation changes nothing;
- ``region`` arguments are region ids; an operation is local to a region when its ``site`` is
  that region or a park in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

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
    RelType,
    Segment,
    Supplies,
    TargetedFor,
    TargetStatus,
)

if TYPE_CHECKING:
    from graph.national import NationalGraph


@runtime_checkable
class Store(Protocol):
    """What chainkg needs from a graph database."""

    # --- writes -----------------------------------------------------------------------
    def apply(self, batch: Batch) -> None:
        """Upsert all nodes and edges of ``batch`` (by id / by (type, src, dst)), atomically.

        Raises ``DatasetError`` naming each edge whose endpoints are missing or of the wrong
        kind; nothing is written then. Applying the same batch twice is a no-op."""
        ...

    def replace_dataset(self, batch: Batch) -> None:
        """Make ``batch`` the whole curated dataset of the store, in one atomic write.

        Kept: the national pool (Product/Industry nodes, MAKES, IN_INDUSTRY and the product
        and industry relations, every Firm one of those relations names) and the MATCHES
        edges whose segment is still stored. Every other node and edge not in ``batch`` is
        removed. Checked like ``apply`` against (kept + batch): ``DatasetError`` and nothing
        changed otherwise. A batch without nodes raises ``InvalidRequest`` (a load that found
        no dataset never empties the store). Replacing with what is stored is a no-op; the
        caller keeps pipeline status (``loaders.keep_pipeline_progress``) beforehand."""
        ...

    def set_target_status(
        self, firm_id: str, segment_id: str, status: TargetStatus, date: str, note: str
    ) -> TargetedFor:
        """Move a target-list entry along the pipeline; returns the updated entry."""
        ...

    def load_national(
        self, national: NationalGraph, firms: Iterable[Firm], matches: Iterable[Matches]
    ) -> None:
        """Replace the national product graph (ChainKG: products, Shenwan industries, their
        relations, MAKES and IN_INDUSTRY) with ``national``, upsert ``firms`` (the listed
        companies it names that are not stored yet) and replace every MATCHES edge.

        All or nothing; ``DatasetError`` when the graph names a firm that is neither in
        ``firms`` nor stored, or a match names an unknown segment or product. Loading the same
        data twice is a no-op. ``national.iter_rows(rel)`` gives each relation as
        ``(src id, dst id, value)`` rows (value: MAKES weight, UPSTREAM_INDUSTRY count) for a
        batched writer; node ids are ``p:<name>`` (products) and ``sw:<code>`` (industries)."""
        ...

    def replace_matches(self, matches: Iterable[Matches]) -> None:
        """Replace every Segment-MATCHES->Product edge, atomically (after re-matching)."""
        ...

    # --- generic reads ----------------------------------------------------------------
    @property
    def revision(self) -> int:
        """Increases on every accepted write; lets callers cache derived answers."""
        ...

    def get(self, node_id: str, kind: NodeKind | None = None) -> AnyNode:
        """The node with this id (of this kind); ``NotFound`` with close matches otherwise."""
        ...

    def find(self, node_id: str) -> AnyNode | None: ...

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        """All nodes of a kind, sorted by id."""
        ...

    def count(self, kind: NodeKind | RelType) -> int: ...

    def edges(self, rel: RelType) -> list[Edge]:
        """All edges of a type, sorted by (src, dst). A full scan: for export and stats."""
        ...

    def neighbours(self, node_id: str, rel: RelType, direction: Direction) -> list[Edge]:
        """Edges of type ``rel`` leaving (OUT) or entering (IN) ``node_id``."""
        ...

    # --- chain queries (cost follows the chain, not the graph) -------------------------
    def chain_segments(self, chain_id: str) -> list[Segment]:
        """Segments that are part of the chain (including those shared with other chains)."""
        ...

    def supplies_touching(self, segment_ids: Iterable[str]) -> list[Supplies]:
        """SUPPLIES edges with at least one end in ``segment_ids``."""
        ...

    def operations(self, segment_ids: Iterable[str], region: str | None = None) -> list[OperatesIn]:
        """OPERATES_IN edges into these segments; only those sited in ``region`` if given."""
        ...

    def targets(self, segment_ids: Iterable[str]) -> list[TargetedFor]:
        """Target-list entries for these segments."""
        ...

    def national_candidates(self, segment_ids: Iterable[str]) -> list[NationalCandidate]:
        """Firms of the national pool (ChainKG) making products the segments match, via
        Segment-MATCHES->Product<-MAKES-Firm; sorted by (segment, firm). Empty without a pool."""
        ...

    def site_region(self, site: str) -> str:
        """Region id of a site (a park or a region); '' for an empty or unknown site."""
        ...

    def close(self) -> None: ...


def get_segment(store: Store, segment_id: str) -> Segment:
    """The segment with this id (``NotFound`` with close matches otherwise), typed."""
    node = store.get(segment_id, NodeKind.SEGMENT)
    assert isinstance(node, Segment)
    return node


def get_firm(store: Store, firm_id: str) -> Firm:
    """The firm with this id (``NotFound`` with close matches otherwise), typed."""
    node = store.get(firm_id, NodeKind.FIRM)
    assert isinstance(node, Firm)
    return node
