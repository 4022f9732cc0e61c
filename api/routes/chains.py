"""``/api/chains``: the chains, one chain's segments, links and maps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import CacheDep, RegionDep, RevisionCache, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import ChainDetail, ChainSummary
from api.routes.analysis import analysed, gap_counts
from graph import Chain, ChainMap, NodeKind, Store

router = APIRouter(prefix="/api/chains", tags=["chains"], responses=ERROR_RESPONSES)

ChainId = Annotated[str, Path(description="chain id, e.g. pv", max_length=80)]


def chain_maps(store: Store, chain_id: str) -> list[ChainMap]:
    return [m for m in store.nodes(NodeKind.MAP) if isinstance(m, ChainMap) and m.chain == chain_id]


def chain_summary(store: Store, cache: RevisionCache, chain: Chain, region: str) -> ChainSummary:
    segment_ids = [s.id for s in store.chain_segments(chain.id)]
    result = analysed(store, cache, chain.id, region) if segment_ids else None
    return ChainSummary(
        id=chain.id,
        name=chain.name,
        description=chain.description,
        segments=len(segment_ids),
        maps=len(chain_maps(store, chain.id)),
        local_firms=len({op.src for op in store.operations(segment_ids, region)}),
        target_firms=len({t.src for t in store.targets(segment_ids)}),
        completeness=result.completeness.share if result else None,
        gaps=gap_counts(result.gaps) if result else {},
        completeness_label=result.completeness.label if result else "",
    )


def chain_summaries(store: Store, cache: RevisionCache, region: str) -> list[ChainSummary]:
    chains = [c for c in store.nodes(NodeKind.CHAIN) if isinstance(c, Chain)]
    return [chain_summary(store, cache, chain, region) for chain in chains]


@router.get("", summary="All chains with counts for the region")
async def list_chains(store: StoreDep, cache: CacheDep, region: RegionDep) -> list[ChainSummary]:
    return cache.get(store, ("chains", region), lambda: chain_summaries(store, cache, region))


@router.get("/{chain_id}", summary="One chain: its segments, SUPPLIES links and maps")
async def chain_detail(chain_id: ChainId, store: StoreDep) -> ChainDetail:
    chain = store.get(chain_id, NodeKind.CHAIN)
    segments = store.chain_segments(chain_id)
    return ChainDetail(
        chain=chain,
        segments=segments,
        links=store.supplies_touching(s.id for s in segments),
        maps=chain_maps(store, chain_id),
    )
