"""The chain analysis, computed once per (chain, region, store revision) and shared.

Every route and console page that needs verdicts goes through ``analysed`` so a burst of
requests for the same chain costs one analysis, and any write invalidates it.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.deps import RevisionCache
from graph import Store
from graph.analysis import (
    ChainView,
    Completeness,
    SegmentVerdict,
    chain_view,
    completeness,
    find_gaps,
    segment_status,
)
from graph.analysis.gaps import Gap


@dataclass(frozen=True)
class Analysed:
    view: ChainView
    verdicts: dict[str, SegmentVerdict]
    completeness: Completeness
    gaps: list[Gap]


def analysed(store: Store, cache: RevisionCache, chain_id: str, region: str) -> Analysed:
    def compute() -> Analysed:
        view = chain_view(store, chain_id, region)
        verdicts = segment_status(view, cache.rules)
        return Analysed(
            view=view,
            verdicts=verdicts,
            completeness=completeness(view, verdicts),
            gaps=find_gaps(view, cache.rules, verdicts=verdicts),
        )

    return cache.get(store, ("analysed", chain_id, region), compute)


def gap_counts(gaps: list[Gap]) -> dict[str, int]:
    counts = {"补链": 0, "强链": 0, "延链": 0}
    for gap in gaps:
        counts[gap.kind.value] += 1
    return counts
