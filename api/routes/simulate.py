"""``/api/simulate``: what landing a firm in a segment would change (read only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CacheDep, RegionDep, StoreDep
from api.errors import ERROR_RESPONSES
from graph.analysis import LandingResult, simulate_landing
from graph.schema import Certainty, CertaintyField

router = APIRouter(prefix="/api/simulate", tags=["simulate"], responses=ERROR_RESPONSES)


@router.get(
    "", summary="Simulate a firm landing in a segment: gaps closed/opened, completeness Δ, why not"
)
async def simulate(
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    firm: Annotated[str, Query(max_length=80, description="firm id")],
    segment: Annotated[str, Query(max_length=80, description="segment id")],
    capacity: Annotated[
        float | None, Query(ge=0, description="capacity the firm would bring (default: known)")
    ] = None,
    unit: Annotated[str, Query(max_length=20, description="unit of capacity")] = "",
    certainty: Annotated[
        CertaintyField, Query(description="what the simulated firm counts as (default verified)")
    ] = Certainty.VERIFIED,
) -> LandingResult:
    key = ("simulate", firm, segment, region, capacity, unit, certainty)
    return cache.get(
        store,
        key,
        lambda: simulate_landing(
            store, firm, segment, region, cache.rules, capacity, unit, certainty
        ),
    )
