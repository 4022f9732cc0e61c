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

router = APIRouter(prefix="/api/firms", tags=["firms"], responses=ERROR_RESPONSES)


@dataclass(frozen=True)
class FirmFacts:
    """What search filters on, gathered once per store revision."""

    firm: Firm
    haystack: str  # lower-cased id, short name, full name and aliases
    segments: frozenset[str]
    targeted_for: frozenset[str]
    regions: frozenset[str]  # regions of the firm's operation sites


def firm_index(store: Store) -> list[FirmFacts]:
    segments: dict[str, set[str]] = {}
    regions: dict[str, set[str]] = {}
    for op in store.edges(RelType.OPERATES_IN):
        segments.setdefault(op.src, set()).add(op.dst)
        site_region = store.site_region(getattr(op, "site", ""))
        if site_region:
            regions.setdefault(op.src, set()).add(site_region)
    targeted: dict[str, set[str]] = {}
    for entry in store.edges(RelType.TARGETED_FOR):
        targeted.setdefault(entry.src, set()).add(entry.dst)
    return [
        FirmFacts(
            firm=firm,
            haystack="\n".join((firm.id, firm.name, firm.full_name, *firm.aliases)).lower(),
            segments=frozenset(segments.get(firm.id, ())),
            targeted_for=frozenset(targeted.get(firm.id, ())),
            regions=frozenset(regions.get(firm.id, ())),
        )
        for firm in store.nodes(NodeKind.FIRM)
        if isinstance(firm, Firm)
    ]


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


def search_firms(
    index: list[FirmFacts],
    region: str,
    q: str = "",
    segment: str | None = None,
    in_region: str | None = None,
    local: bool | None = None,
) -> list[FirmSummary]:
    """Firms whose names contain ``q`` (any case), filtered; sorted by id.

    ``segment`` matches firms operating in or targeted for it; ``local`` asks whether the firm
    operates in ``region``; ``in_region`` keeps firms with an operation in that region.
    """
    needle = q.strip().lower()
    hits = [
        f
        for f in index
        if needle in f.haystack
        and (segment is None or segment in f.segments or segment in f.targeted_for)
        and (in_region is None or in_region in f.regions)
        and (local is None or (region in f.regions) == local)
    ]
    return [firm_summary(f, region) for f in hits]


@router.get("", summary="Search firms (Chinese full name, short name, aliases)")
async def list_firms(
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
    index = cache.get(store, "firm-index", lambda: firm_index(store))
    hits = search_firms(index, focus, q, segment, region, local)
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
async def firm_detail(
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
