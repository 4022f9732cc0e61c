"""补链 / 强链 / 延链 gaps of a chain, ranked by impact, and the completeness index.

A segment has *local presence* when its status is present or weak. Then:

- **补链 (fill)**: a missing segment with local presence on both sides, or one that feeds a
  local segment which has local presence upstream through another path (an input or
  auxiliary that local manufacturers must bring in: 负极材料 → 电芯, 银浆 → 电池片);
- **延链 (extend)**: a missing segment just beyond the local frontier: it feeds a local
  segment with no local presence upstream (before the first local stage, 工业硅 → 多晶硅), or it
  is fed by local segments and feeds none (downstream of the last, 电芯 → 新能源汽车);
- **强链 (strengthen)**: a weak segment.

Impact = how many local segments and firms depend on the segment downstream, transitively,
plus the capacity of the local segments it directly feeds; for downstream extensions, the
local segments feeding it. Missing segments with no local neighbour are not listed as gaps
(too far from what exists), but they count in the completeness index.

>>> GapKind("补链").label_en
'fill'
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.analysis.status import GapRules, SegmentVerdict, Status, segment_status
from graph.analysis.view import ChainView
from graph.errors import InvalidRequest, NotFound, closest


class GapKind(StrEnum):
    FILL = "补链"
    STRENGTHEN = "强链"
    EXTEND = "延链"

    @property
    def label_en(self) -> str:
        return {"补链": "fill", "强链": "strengthen", "延链": "extend"}[self.value]


class Stake(BaseModel):
    """Local capacity in a segment that depends on a gap."""

    model_config = ConfigDict(frozen=True)
    segment: str
    capacity: float
    unit: str


class Gap(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: GapKind
    segment: str
    name: str
    chain: str
    rank: int
    why: str  # which rule made it a gap of this kind, in Chinese
    dependent_segments: list[str]  # local segments downstream, transitively
    dependent_firms: list[str]  # local firms in them
    feeding_segments: list[str]  # local segments directly upstream
    capacity_at_stake: list[Stake]
    maps: list[str]
    verdict: SegmentVerdict
    targets_on_list: int  # target-list entries for this segment


class Completeness(BaseModel):
    """Share of segments with local presence, and a weighted variant.

    ``weighted`` counts present as 1 and weak as 0.5, each segment weighted by 1 + the number
    of segments downstream of it in the chain (a missing basic material weighs more)."""

    model_config = ConfigDict(frozen=True)
    scope: str  # chain or map id
    name: str
    total: int
    present: int
    weak: int
    missing: int
    share: float  # (present + weak) / total
    weighted: float


def _has_presence(verdict: SegmentVerdict | None) -> bool:
    return verdict is not None and verdict.status != Status.MISSING


def classify(
    view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str
) -> tuple[GapKind | None, str]:
    """The gap kind of one chain segment (None: not a gap) and why."""
    verdict = verdicts[segment_id]
    if verdict.status == Status.WEAK:
        return GapKind.STRENGTHEN, verdict.reason
    if verdict.status == Status.PRESENT:
        return None, ""
    local_up = [u for u in view.upstream_of(segment_id) if _has_presence(verdicts.get(u))]
    local_down = [d for d in view.downstream_of(segment_id) if _has_presence(verdicts.get(d))]
    if local_up and local_down:
        return (
            GapKind.FILL,
            f"上游{_names(view, local_up)}与下游{_names(view, local_down)}本地均有，中间缺失",
        )
    supplied = [d for d in local_down if _has_other_local_supply(view, verdicts, d, segment_id)]
    if supplied:
        return GapKind.FILL, f"为本地{_names(view, supplied)}配套，本地缺失需外购"
    if local_down:
        return GapKind.EXTEND, f"位于本地首个环节{_names(view, local_down)}上游（向上延链）"
    if local_up:
        return GapKind.EXTEND, f"位于本地{_names(view, local_up)}下游（向下延链）"
    return None, ""


def _has_other_local_supply(
    view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str, besides: str
) -> bool:
    """True when ``segment_id`` has local presence upstream other than through ``besides``
    (so it is not the first local stage)."""
    upstream = view.ancestors(segment_id) - {besides}
    return any(_has_presence(verdicts.get(u)) for u in upstream)


def _names(view: ChainView, ids: list[str]) -> str:
    return "、".join(view.segment(i).name for i in sorted(ids))


def _impact(
    view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str
) -> dict[str, Any]:
    downstream = sorted(d for d in view.descendants(segment_id) if _has_presence(verdicts.get(d)))
    firms = sorted({f for d in downstream for f in view.local_firm_ids(d)})
    direct = [d for d in view.downstream_of(segment_id) if _has_presence(verdicts.get(d))]
    stake = [
        Stake(segment=d, capacity=verdicts[d].local_capacity or 0.0, unit=verdicts[d].unit)
        for d in sorted(direct)
        if verdicts[d].local_capacity
    ]
    feeding = sorted(u for u in view.upstream_of(segment_id) if _has_presence(verdicts.get(u)))
    return {
        "dependent_segments": downstream,
        "dependent_firms": firms,
        "feeding_segments": feeding,
        "capacity_at_stake": stake,
    }


def _sort_key(gap: dict[str, Any]) -> tuple[Any, ...]:
    return (
        -len(gap["dependent_segments"]),
        -len(gap["dependent_firms"]),
        -len(gap["feeding_segments"]),
        -len(gap["capacity_at_stake"]),
        gap["segment"],
    )


def find_gaps(
    view: ChainView,
    rules: GapRules | None = None,
    kind: GapKind | str | None = None,
    map_id: str | None = None,
    verdicts: dict[str, SegmentVerdict] | None = None,
) -> list[Gap]:
    """The chain's gaps, each kind ranked by impact (rank 1 = most impact).

    ``map_id`` keeps only segments shown on that map; ``kind`` keeps one kind.
    """
    verdicts = verdicts or segment_status(view, rules)
    wanted = _map_segments(view, map_id) if map_id else set(view.segments)
    kind = GapKind(kind) if kind else None
    found: dict[GapKind, list[dict[str, Any]]] = {k: [] for k in GapKind}
    for seg_id in sorted(wanted & set(view.segments)):
        gap_kind, why = classify(view, verdicts, seg_id)
        if gap_kind is None or (kind and gap_kind != kind):
            continue
        found[gap_kind].append({"segment": seg_id, "why": why, **_impact(view, verdicts, seg_id)})
    gaps: list[Gap] = []
    for gap_kind, items in found.items():
        for rank, item in enumerate(sorted(items, key=_sort_key), start=1):
            seg = view.segments[item["segment"]]
            gaps.append(
                Gap(
                    kind=gap_kind,
                    name=seg.name,
                    chain=view.chain.id,
                    rank=rank,
                    maps=sorted(m for m, cm in view.maps.items() if seg.id in cm.segments),
                    verdict=verdicts[seg.id],
                    targets_on_list=len(view.targets.get(seg.id, ())),
                    **item,
                )
            )
    return gaps


def _map_segments(view: ChainView, map_id: str) -> set[str]:
    chain_map = view.maps.get(map_id)
    if chain_map is None:
        raise NotFound("ChainMap", map_id, closest(map_id, view.maps))
    return set(chain_map.segments)


def completeness(
    view: ChainView,
    verdicts: dict[str, SegmentVerdict] | None = None,
    map_id: str | None = None,
) -> Completeness:
    """Completeness of the chain (or of one of its maps).

    >>> # share = (present + weak) / total; weighted: see Completeness
    """
    verdicts = verdicts or segment_status(view)
    if map_id:
        ids = sorted(_map_segments(view, map_id))
        scope, name = map_id, view.maps[map_id].name
    else:
        ids, scope, name = sorted(view.segments), view.chain.id, view.chain.name
    if not ids:
        raise InvalidRequest(f"{scope!r} has no segments")
    statuses = [verdicts[i].status if i in verdicts else Status.MISSING for i in ids]
    value = {Status.PRESENT: 1.0, Status.WEAK: 0.5, Status.MISSING: 0.0}
    weights = [1 + len(view.descendants(i, within_chain=True)) for i in ids]
    weighted = sum(w * value[s] for w, s in zip(weights, statuses, strict=True)) / sum(weights)
    present = statuses.count(Status.PRESENT)
    weak = statuses.count(Status.WEAK)
    return Completeness(
        scope=scope,
        name=name,
        total=len(ids),
        present=present,
        weak=weak,
        missing=len(ids) - present - weak,
        share=round((present + weak) / len(ids), 6),
        weighted=round(weighted, 6),
    )
