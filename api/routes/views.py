"""Turning graph records into API views: names next to ids, locality, paging.

Plain functions over the ``Store`` protocol, shared by the routers and the console.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from api.models import OperationOut, Page, TargetOut
from graph import (
    Direction,
    NodeKind,
    OperatesIn,
    RelType,
    Segment,
    Store,
    Supplies,
    TargetedFor,
)

T = TypeVar("T")


def name_of(store: Store, node_id: str) -> str:
    node = store.find(node_id)
    return node.name if node is not None else ""


def operation_out(store: Store, op: OperatesIn, region: str) -> OperationOut:
    site_region = store.site_region(op.site)
    return OperationOut(
        firm=op.src,
        firm_name=name_of(store, op.src),
        segment=op.dst,
        segment_name=name_of(store, op.dst),
        site=op.site,
        site_name=name_of(store, op.site) if op.site else "",
        region=site_region,
        local=bool(site_region) and site_region == region,
        capacity=op.capacity,
        unit=op.unit,
        approximate=op.approximate,
        share=op.share,
        source=op.source,
        year=op.year,
        certainty=op.certainty,
    )


def target_out(store: Store, entry: TargetedFor) -> TargetOut:
    return TargetOut(
        firm=entry.src,
        firm_name=name_of(store, entry.src),
        segment=entry.dst,
        segment_name=name_of(store, entry.dst),
        priority=entry.priority,
        rationale=entry.rationale,
        status=entry.status,
        status_date=entry.status_date,
        status_note=entry.status_note,
        owner=entry.owner,
        next_contact=entry.next_contact,
        source=entry.source,
        year=entry.year,
        certainty=entry.certainty,
    )


def page(model: type[Page[T]], items: Sequence[T], limit: int, offset: int) -> Page[T]:
    """One page of ``items`` as ``model`` (e.g. ``Page[FirmSummary]``)."""
    return model(total=len(items), limit=limit, offset=offset, items=list(items[offset:][:limit]))


def segment_of(store: Store, segment_id: str) -> Segment:
    """The segment with this id (``NotFound`` with suggestions otherwise)."""
    node = store.get(segment_id, NodeKind.SEGMENT)
    assert isinstance(node, Segment)
    return node


def links(store: Store, segment_id: str, direction: Direction) -> list[Supplies]:
    """SUPPLIES edges into (``IN``: suppliers) or out of (``OUT``: customers) a segment."""
    edges = store.neighbours(segment_id, RelType.SUPPLIES, direction)
    return [e for e in edges if isinstance(e, Supplies)]


def firm_operations(store: Store, firm_id: str) -> list[OperatesIn]:
    edges = store.neighbours(firm_id, RelType.OPERATES_IN, Direction.OUT)
    return [e for e in edges if isinstance(e, OperatesIn)]


def firm_entries(store: Store, firm_id: str) -> list[TargetedFor]:
    edges = store.neighbours(firm_id, RelType.TARGETED_FOR, Direction.OUT)
    return [e for e in edges if isinstance(e, TargetedFor)]
