"""``/api/simulate``: what landing a firm in a segment would change (read only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CacheDep, RegionDep, StoreDep
from api.errors import ERROR_RESPONSES
from graph.analysis import LandingResult, simulate_landing

router = APIRouter(prefix="/api/simulate", tags=["simulate"], responses=ERROR_RESPONSES)


@router.get("", summary="Simulate a firm landing in a segment: gaps closed, completeness Δ")
def simulate(
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    firm: Annotated[str, Query(max_length=80, description="firm id")],
    segment: Annotated[str, Query(max_length=80, description="segment id")],
) -> LandingResult:
    key = ("simulate", firm, segment, region)
    return cache.get(
        store, key, lambda: simulate_landing(store, firm, segment, region, cache.rules)
    )
