"""``/api/maps``: the investment maps (招商图谱) as JSON and as interactive HTML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from api.deps import CacheDep, RegionDep, RevisionCache, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import MapDetail
from api.routes.analysis import analysed
from graph import ChainMap, NodeKind, Segment, Store
from viz import render_map_page

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


def display_names(store: Store, region: str) -> dict[str, str]:
    """Chinese names of the region, its parks and every chain, for the map's tooltips."""
    nodes = [*store.nodes(NodeKind.REGION), *store.nodes(NodeKind.PARK)]
    nodes += store.nodes(NodeKind.CHAIN)
    return {node.id: node.name for node in nodes}


def map_page(store: Store, cache: RevisionCache, map_id: str, region: str) -> str:
    chain_map = store.get(map_id, NodeKind.MAP)
    assert isinstance(chain_map, ChainMap)
    result = analysed(store, cache, chain_map.chain, region)

    def render() -> str:
        names = display_names(store, region)
        return render_map_page(result.view, result.verdicts, map_id, names)

    return cache.get(store, ("map-html", map_id, region), render)


@router.get(
    "/{map_id}/html",
    summary="One map as an interactive page (self-contained, works offline)",
    response_model=None,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
)
async def get_map_html(
    map_id: MapId, store: StoreDep, cache: CacheDep, region: RegionDep
) -> HTMLResponse:
    return HTMLResponse(map_page(store, cache, map_id, region))
