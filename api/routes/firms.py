"""``/api/firms``: search firms by name, filter by segment/region/locality; one firm's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import CacheDep, PagingDep, RegionDep, SettingsDep, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import FirmDetail, FirmSummary, NeighbourSegment, Page
from api.routes.views import (
    firm_entries,
    firm_operations,
    links,
    operation_out,
    page,
    segment_of,
    target_out,
)
from graph import Direction, Firm, NodeKind, Project, RelType, Store
from graph.datasets import choose_region
from graph.store import get_firm

router = APIRouter(prefix="/api/firms", tags=["firms"], responses=ERROR_RESPONSES)


SEARCH_POOL = 500  # the most firms a text query considers before filters and paging


@dataclass(frozen=True)
class FirmFacts:
    """What search filters on, read for one firm by indexed lookups."""

    firm: Firm
    segments: frozenset[str]
    targeted_for: frozenset[str]
    regions: frozenset[str]  # regions of the firm's operation sites


def firm_facts(store: Store, firm: Firm) -> FirmFacts:
    ops = store.neighbours(firm.id, RelType.OPERATES_IN, Direction.OUT)
    entries = store.neighbours(firm.id, RelType.TARGETED_FOR, Direction.OUT)
    sites = {getattr(op, "site", "") for op in ops}
    return FirmFacts(
        firm=firm,
        segments=frozenset(op.dst for op in ops),
        targeted_for=frozenset(e.dst for e in entries),
        regions=frozenset(r for r in map(store.site_region, sites) if r),
    )


def firm_summary(facts: FirmFacts, region: str) -> FirmSummary:
    firm = facts.firm
    return FirmSummary(
        id=firm.id,
        name=firm.name,
        full_name=firm.full_name,
        aliases=list(firm.aliases),
        stock_code=firm.stock_code,
        hq_province=firm.hq_province,
        hq_city=firm.hq_city,
        local=region in facts.regions,
        segments=sorted(facts.segments),
        targeted_for=sorted(facts.targeted_for),
        certainty=firm.certainty,
    )


def candidate_firms(store: Store, q: str, segment: str | None, in_region: str | None) -> list[Firm]:
    """The firms a query can answer with, from an index: the store's search for a text query
    (best first), else the firms of the segment or of the region (by id)."""
    if q.strip():
        return [hit.firm for hit in store.search(q, SEARCH_POOL)]
    if segment is not None:
        ids = {o.src for o in store.operations([segment])} | {
            t.src for t in store.targets([segment])
        }
    elif in_region is not None:
        segments = [s.id for s in store.nodes(NodeKind.SEGMENT)]
        ids = {o.src for o in store.operations(segments, in_region)}
    else:
        return [f for f in store.nodes(NodeKind.FIRM) if isinstance(f, Firm)]
    return [get_firm(store, i) for i in sorted(ids)]


def search_firms(
    store: Store,
    region: str,
    q: str = "",
    segment: str | None = None,
    in_region: str | None = None,
    local: bool | None = None,
) -> list[FirmSummary]:
    """Firms for ``q`` (names, pinyin, initials, stock codes, typos: ``Store.search``), best
    first, filtered; without ``q``, sorted by id.

    ``segment`` matches firms operating in or courted for it; ``local`` asks whether the firm
    operates in ``region``; ``in_region`` keeps firms with an operation in that region.
    """
    hits = []
    for firm in candidate_firms(store, q, segment, in_region):
        f = firm_facts(store, firm)
        if (
            (segment is None or segment in f.segments or segment in f.targeted_for)
            and (in_region is None or in_region in f.regions)
            and (local is None or (region in f.regions) == local)
        ):
            hits.append(firm_summary(f, region))
    return hits


@router.get("", summary="Search firms (Chinese full name, short name, aliases)")
def list_firms(
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    paging: PagingDep,
    q: Annotated[str, Query(max_length=100, description="substring of a name or alias")] = "",
    segment: Annotated[
        str | None, Query(max_length=80, description="operating in or courted for this segment")
    ] = None,
    region: Annotated[
        str | None,
        Query(max_length=80, description="only firms operating in this region (default: all)"),
    ] = None,
    local: Annotated[
        bool | None,
        Query(description="only firms operating (true) / not operating (false) in the region"),
    ] = None,
) -> Page[FirmSummary]:
    """``local`` and each firm's ``local`` flag refer to ``region`` when given, else to the
    configured focus region."""
    if segment:
        store.get(segment, NodeKind.SEGMENT)
    focus = choose_region(store, region or settings.region)
    key = ("firms", focus, q, segment, region, local)
    hits = cache.get(store, key, lambda: search_firms(store, focus, q, segment, region, local))
    return page(Page[FirmSummary], hits, paging.limit, paging.offset)


def neighbourhood(store: Store, segment_ids: set[str], region: str) -> list[NeighbourSegment]:
    """The segments one SUPPLIES step up or down from the firm's own, with local firms there."""
    found: list[NeighbourSegment] = []
    for own in sorted(segment_ids):
        sides: tuple[tuple[Literal["upstream", "downstream"], Direction], ...] = (
            ("upstream", Direction.IN),
            ("downstream", Direction.OUT),
        )
        for relation, direction in sides:
            for link in links(store, own, direction):
                other = link.src if direction == Direction.IN else link.dst
                segment = segment_of(store, other)
                local = sorted({op.src for op in store.operations([other], region)})
                found.append(
                    NeighbourSegment(segment=segment, relation=relation, of=own, local_firms=local)
                )
    return found


def firm_projects(store: Store, firm_id: str) -> list[Project]:
    links = store.neighbours(firm_id, RelType.BY, Direction.IN)
    return [p for p in (store.find(e.src) for e in links) if isinstance(p, Project)]


@router.get("/{firm_id}", summary="One firm with its operations, target entries, projects")
def firm_detail(
    firm_id: Annotated[str, Path(max_length=80, description="firm id")],
    store: StoreDep,
    region: RegionDep,
) -> FirmDetail:
    firm = store.get(firm_id, NodeKind.FIRM)
    assert isinstance(firm, Firm)
    operations = [operation_out(store, op, region) for op in firm_operations(store, firm_id)]
    entries = firm_entries(store, firm_id)
    segment_ids = {op.segment for op in operations} | {e.dst for e in entries}
    return FirmDetail(
        firm=firm,
        local=any(op.local for op in operations),
        operations=operations,
        targets=[target_out(store, e) for e in entries],
        projects=firm_projects(store, firm_id),
        neighbourhood=neighbourhood(store, segment_ids, region),
    )
