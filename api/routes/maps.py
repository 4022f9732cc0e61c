"""``/api/maps``: the investment maps (招商图谱) as JSON and as interactive HTML."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from api.deps import CacheDep, RegionDep, RevisionCache, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import MapDetail
from api.pages import OVERVIEW, page_for
from graph import ChainMap, NodeKind, Segment, Store

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
def list_maps(store: StoreDep) -> list[ChainMap]:
    return [m for m in store.nodes(NodeKind.MAP) if isinstance(m, ChainMap)]


@router.get("/{map_id}", summary="One map: its segments and the links between them")
def get_map(map_id: MapId, store: StoreDep) -> MapDetail:
    return map_detail(store, map_id)


HTML_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "the page"}
}


def drawn_page(store: Store, cache: RevisionCache, item_id: str, region: str) -> HTMLResponse:
    """The interactive page of a map, a firm or ``overview``, as ``chainkg map`` draws it
    (maps showing other chains' segments included), rendered once per store revision."""
    html = cache.get(store, ("page", item_id, region), lambda: page_for(store, item_id, region))
    return HTMLResponse(html, headers={"X-Content-Type-Options": "nosniff"})


@router.get(
    "/{map_id}/html",
    summary="One map as an interactive page (self-contained, works offline)",
    response_model=None,
    responses=HTML_RESPONSES,
)
def get_map_html(
    map_id: MapId, store: StoreDep, cache: CacheDep, region: RegionDep
) -> HTMLResponse:
    store.get(map_id, NodeKind.MAP)  # 404 with suggestions for anything but a map id
    return drawn_page(store, cache, map_id, region)


pages = APIRouter(prefix="/api", tags=["maps"], responses=ERROR_RESPONSES)


@pages.get(
    "/overview/html",
    summary="All chains and their cross-chain links as one interactive page",
    response_model=None,
    responses=HTML_RESPONSES,
)
def overview_html(store: StoreDep, cache: CacheDep, region: RegionDep) -> HTMLResponse:
    return drawn_page(store, cache, OVERVIEW, region)


@pages.get(
    "/firms/{firm_id}/html",
    summary="One firm with its segments, their neighbours and local firms, as a page",
    response_model=None,
    responses=HTML_RESPONSES,
)
def firm_html(
    firm_id: Annotated[str, Path(max_length=80, description="firm id")],
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
) -> HTMLResponse:
    store.get(firm_id, NodeKind.FIRM)
    return drawn_page(store, cache, firm_id, region)
