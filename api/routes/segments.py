"""``/api/segments``: one segment with its suppliers and customers, depth bounded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import RegionDep, SettingsDep, StoreDep, check_depth
from api.errors import ERROR_RESPONSES
from api.models import Hop, SegmentDetail
from api.routes.views import links, operation_out, segment_of, target_out
from graph import Direction, RelType, Segment, Store

router = APIRouter(prefix="/api/segments", tags=["segments"], responses=ERROR_RESPONSES)

DepthQuery = Query(ge=0, le=20, description="levels to follow (≤ CHAINKG_MAX_DEPTH)")


def expand(store: Store, origin: Segment, direction: Direction, depth: int) -> list[Hop]:
    """Segments reached from ``origin`` along SUPPLIES, breadth first, each once.

    ``Direction.IN`` walks upstream (who supplies it), ``Direction.OUT`` downstream.
    """
    seen, frontier, hops = {origin.id}, [origin.id], []
    for level in range(1, depth + 1):
        reached = []
        for seg_id in frontier:
            for link in links(store, seg_id, direction):
                other = link.src if direction == Direction.IN else link.dst
                if other in seen:
                    continue
                seen.add(other)
                reached.append(other)
                segment = segment_of(store, other)
                foreign = not set(segment.chains) & set(origin.chains)
                hops.append(
                    Hop(
                        segment=segment,
                        depth=level,
                        via=seg_id,
                        kind=link.kind,
                        other_chain=foreign,
                    )
                )
        frontier = reached
    return hops


def maps_showing(store: Store, segment_id: str) -> list[str]:
    return [e.src for e in store.neighbours(segment_id, RelType.SHOWS, Direction.IN)]


@router.get("/{segment_id}", summary="A segment with upstream/downstream expansion")
def segment_detail(
    segment_id: Annotated[str, Path(max_length=80, description="segment id, e.g. pv-wafer")],
    store: StoreDep,
    settings: SettingsDep,
    region: RegionDep,
    upstream: Annotated[int, DepthQuery] = 1,
    downstream: Annotated[int, DepthQuery] = 1,
) -> SegmentDetail:
    segment = segment_of(store, segment_id)
    check_depth(settings, upstream, "upstream")
    check_depth(settings, downstream, "downstream")
    return SegmentDetail(
        segment=segment,
        maps=maps_showing(store, segment_id),
        upstream=expand(store, segment, Direction.IN, upstream),
        downstream=expand(store, segment, Direction.OUT, downstream),
        local_operations=[
            operation_out(store, op, region) for op in store.operations([segment_id], region)
        ],
        targets=[target_out(store, t) for t in store.targets([segment_id])],
    )
