"""``/api/chains/{chain}/gaps``: 补链/强链/延链 gaps with their evidence, and completeness.

The hot path of the service: the answer is serialised once per store revision and query,
then served as cached bytes.
"""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from api.deps import CacheDep, RegionDep, RevisionCache, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import SegmentStatusOut
from api.routes.analysis import analysed
from graph import Store
from graph.analysis import Completeness, GapKind, map_completeness
from graph.analysis.gaps import Gap
from graph.errors import NotFound, closest

router = APIRouter(prefix="/api/chains", tags=["gaps"], responses=ERROR_RESPONSES)

KIND_ALIASES = {"fill": "补链", "strengthen": "强链", "extend": "延链"}
KindQuery = Literal["补链", "强链", "延链", "fill", "strengthen", "extend"]


class GapReport(BaseModel):
    chain: str
    region: str
    map: str | None = Field(None, description="the map the report is restricted to")
    completeness: Completeness
    gaps: list[Gap]
    rules: dict[str, float | int | bool] = Field(description="thresholds the verdicts used")


def gap_report(
    store: Store,
    cache: RevisionCache,
    chain_id: str,
    region: str,
    kind: str | None,
    map_id: str | None,
) -> GapReport:
    result = analysed(store, cache, chain_id, region)
    wanted = GapKind(KIND_ALIASES.get(kind, kind)) if kind else None
    shown = set(result.view.maps[map_id].segments) if map_id in result.view.maps else None
    if map_id and shown is None:
        raise NotFound("ChainMap", map_id, closest(map_id, result.view.maps))
    gaps = [
        g
        for g in result.gaps
        if (wanted is None or g.kind == wanted) and (shown is None or g.segment in shown)
    ]
    score = map_completeness(store, map_id, region, cache.rules) if map_id else result.completeness
    return GapReport(
        chain=chain_id,
        region=region,
        map=map_id,
        completeness=score,
        gaps=gaps,
        rules=cache.rules.model_dump(),
    )


@router.get(
    "/{chain_id}/gaps",
    summary="Gaps of a chain (补链/强链/延链), ranked by impact, with evidence",
    response_model=GapReport,
)
async def chain_gaps(
    chain_id: Annotated[str, Path(max_length=80, description="chain id, e.g. pv")],
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    kind: Annotated[KindQuery | None, Query(description="补链 / 强链 / 延链")] = None,
    map: Annotated[str | None, Query(max_length=80, description="only this map's segments")] = None,
) -> Response:
    def render() -> bytes:
        report = gap_report(store, cache, chain_id, region, kind, map)
        return orjson.dumps(report.model_dump(mode="json"))

    body = cache.get(store, ("gaps-json", chain_id, region, kind, map), render)
    return Response(body, media_type="application/json")


def segment_statuses(
    store: Store, cache: RevisionCache, chain_id: str, region: str
) -> list[SegmentStatusOut]:
    """Every segment of the chain with its status, rule, evidence grade and coverage."""
    result = analysed(store, cache, chain_id, region)
    kinds = {g.segment: g.kind for g in result.gaps}
    return [
        SegmentStatusOut.of(result.verdicts[s], kinds.get(s)) for s in sorted(result.view.segments)
    ]


@router.get(
    "/{chain_id}/status",
    summary="Every segment's status, rule, evidence grade (证据等级) and coverage (覆盖可信度)",
    response_model=list[SegmentStatusOut],
)
async def chain_status(
    chain_id: Annotated[str, Path(max_length=80, description="chain id, e.g. pv")],
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
) -> Response:
    def render() -> bytes:
        rows = segment_statuses(store, cache, chain_id, region)
        return orjson.dumps([r.model_dump(mode="json") for r in rows])

    body = cache.get(store, ("status-json", chain_id, region), render)
    return Response(body, media_type="application/json")


maps = APIRouter(prefix="/api/maps", tags=["gaps"], responses=ERROR_RESPONSES)


@maps.get(
    "/{map_id}/completeness",
    summary="The one completeness figure of a map (its own segments, each judged in its chain)",
)
async def map_score(
    map_id: Annotated[str, Path(max_length=80, description="map id, e.g. pv-map")],
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
) -> Completeness:
    return cache.get(
        store,
        ("map-completeness", map_id, region),
        lambda: map_completeness(store, map_id, region, cache.rules),
    )
