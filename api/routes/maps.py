"""``/api/maps``: the investment maps (招商图谱) as JSON and as interactive HTML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import StoreDep
from api.errors import ERROR_RESPONSES
from api.models import MapDetail
from graph import ChainMap, NodeKind, Segment, Store

try:  # the map page renderer of viz/ (optional until it lands)
    from viz import render_map_page  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on viz's progress
    render_map_page = None

router = APIRouter(prefix="/api/maps", tags=["maps"], responses=ERROR_RESPONSES)

MapId = Annotated[str, Path(max_length=80, description="map id, e.g. pv-main")]


def map_detail(store: Store, map_id: str) -> MapDetail:
    chain_map = store.get(map_id, NodeKind.MAP)
    assert isinstance(chain_map, ChainMap)
    segments = [s for s in (store.find(i) for i in chain_map.segments) if isinstance(s, Segment)]
    shown = {s.id for s in segments}
    links = [e for e in store.supplies_touching(shown) if e.src in shown and e.dst in shown]
    return MapDetail(map=chain_map, segments=segments, links=links)


@router.get("", summary="All investment maps")
async def list_maps(store: StoreDep) -> list[ChainMap]:
    return [m for m in store.nodes(NodeKind.MAP) if isinstance(m, ChainMap)]


@router.get("/{map_id}", summary="One map: its segments and the links between them")
async def get_map(map_id: MapId, store: StoreDep) -> MapDetail:
    return map_detail(store, map_id)
