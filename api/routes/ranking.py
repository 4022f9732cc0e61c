"""``/api/chains/{chain}/targets``: ranked firms to court, explained; Excel/CSV export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.deps import CacheDep, RegionDep, RevisionCache, SettingsDep, StoreDep
from api.errors import ERROR_RESPONSES, ApiError
from api.exports import ChainSheet, to_csv, to_xlsx
from api.routes.analysis import analysed
from graph import Chain, NodeKind, Store
from graph.analysis import RankedCandidate, rank_targets

router = APIRouter(prefix="/api/chains", tags=["targets"], responses=ERROR_RESPONSES)

ChainId = Annotated[str, Path(max_length=80, description="chain id, e.g. pv")]
SegmentQuery = Annotated[
    str | None, Query(max_length=80, description="one segment (default: every gap segment)")
]
TopQuery = Annotated[int | None, Query(ge=1, le=10_000, description="keep the N best")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ranked(
    store: Store,
    cache: RevisionCache,
    chain_id: str,
    region: str,
    segment: str | None,
    top: int | None,
) -> list[RankedCandidate]:
    result = analysed(store, cache, chain_id, region)
    key = ("ranked", chain_id, region, segment, top)
    return cache.get(
        store,
        key,
        lambda: rank_targets(
            store, result.view, segment, weights=cache.weights, top=top, verdicts=result.verdicts
        ),
    )


def check_top(top: int | None, limit: int) -> None:
    if top is not None and top > limit:
        raise ApiError(
            422, "invalid_parameter", f"参数 top 最大为 {limit} (top too large)", field="top"
        )


@router.get("/{chain_id}/targets", summary="Ranked candidate firms for the chain's gaps")
async def chain_targets(
    chain_id: ChainId,
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    region: RegionDep,
    segment: SegmentQuery = None,
    top: TopQuery = None,
) -> list[RankedCandidate]:
    check_top(top, settings.max_page_size)
    return ranked(store, cache, chain_id, region, segment, top)


def attachment(body: bytes, media_type: str, filename: str) -> Response:
    # RFC 5987 keeps the Chinese-free ASCII name safe in every browser.
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {}, "text/csv": {}}, "description": "the ranked list as a file"}
}


@router.get(
    "/{chain_id}/targets.xlsx",
    summary="Ranked candidates as an Excel workbook",
    description="A 汇总 sheet, then the chain's sheet: print-ready (A4 landscape, header "
    "repeated, fitted widths, wrap, filter), every text cell cleaned of control characters "
    "and neutralised against formulas (OWASP CSV injection). See api/exports.py.",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_xlsx(
    chain_id: ChainId,
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    segment: SegmentQuery = None,
    top: TopQuery = None,
) -> Response:
    body = to_xlsx([chain_sheet(store, cache, chain_id, region, segment, top)])
    return attachment(body, XLSX, f"targets-{chain_id}.xlsx")


@router.get(
    "/{chain_id}/targets.csv",
    summary="Ranked candidates as CSV (UTF-8 with BOM, opens in Excel)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_csv(
    chain_id: ChainId,
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    segment: SegmentQuery = None,
    top: TopQuery = None,
) -> Response:
    body = to_csv([chain_sheet(store, cache, chain_id, region, segment, top)])
    return attachment(body, "text/csv; charset=utf-8", f"targets-{chain_id}.csv")


every_chain = APIRouter(prefix="/api/targets", tags=["targets"], responses=ERROR_RESPONSES)


def chain_sheet(
    store: Store,
    cache: RevisionCache,
    chain_id: str,
    region: str,
    segment: str | None = None,
    top: int | None = None,
) -> ChainSheet:
    """One chain's ranked candidates with its id and name, for the exports."""
    chain = analysed(store, cache, chain_id, region).view.chain
    return ChainSheet(chain.id, chain.name, ranked(store, cache, chain_id, region, segment, top))


def all_sheets(store: Store, cache: RevisionCache, region: str) -> list[ChainSheet]:
    """Every chain's ranked candidates, chains in store order (one Excel sheet each; chains
    that share a name stay apart: sheets are keyed by chain id, not by name)."""
    chains = [c for c in store.nodes(NodeKind.CHAIN) if isinstance(c, Chain)]
    return [chain_sheet(store, cache, c.id, region) for c in chains]


@every_chain.get(
    "/export.xlsx",
    summary="Ranked candidates of every chain: one Excel sheet per chain",
    description="A 汇总 sheet, then one sheet per chain (unique valid names: chains that share "
    "a name or their first 31 characters get a suffix, none is dropped). 链内排名 ranks "
    "within each chain.",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_all_xlsx(store: StoreDep, cache: CacheDep, region: RegionDep) -> Response:
    body = to_xlsx(all_sheets(store, cache, region))
    return attachment(body, XLSX, "targets-all.xlsx")


@every_chain.get(
    "/export.csv",
    summary="Ranked candidates of every chain as one CSV (UTF-8 with BOM)",
    description="First column 产业链, last 产业链ID; 链内排名 ranks within each chain. Every "
    "field quoted; a formula character at the start of a cell or after , ; | tab is "
    "prefixed with ' (OWASP CSV injection).",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_all_csv(store: StoreDep, cache: CacheDep, region: RegionDep) -> Response:
    body = to_csv(all_sheets(store, cache, region))
    return attachment(body, "text/csv; charset=utf-8", "targets-all.csv")
