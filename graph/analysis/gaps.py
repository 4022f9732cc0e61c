"""补链 / 强链 / 延链 gaps of a chain, ranked by impact, and the completeness index.

Every segment of the chain that is not present is listed exactly once. A segment has *local
presence* when its status is present or weak. Then, for a segment that is not present:

- **强链 (strengthen)**: it is weak (bottleneck, single firm, official figure only, 待核实);
- **补链 (fill)**: it is missing and an input of a local stage reachable downstream through
  SUPPLIES (directly or through other missing segments: 六氟磷酸锂 → 电解液 → local 电芯), and
  either it has local presence upstream or that local stage has other local supply — an input
  the local manufacturers bring in from outside (负极材料 → 电芯, 电子特气 → 电池片). A local
  stage of another chain always counts as supplied (its own inputs are not in this view);
- **延链 (extend)**: it is missing and lies beyond the local chain: before the first local
  stage (it feeds only local stages that have no other local supply: 工业硅 → 多晶硅), after
  the last (fed by local stages, feeding none: 电芯 → 新能源汽车), or with no local neighbour
  at all (``isolated``: a far 延链 candidate, explained as such).

Rank, within each kind (rank 1 = most impact): more local segments downstream (transitively),
then more local firms in them, then more local segments feeding it directly, then more local
capacity figures at stake directly downstream; ties broken by segment id. Isolated gaps have
no local impact and so rank last among 延链.

Completeness: ``share`` = (present + weak) / segments — **the figure to quote**; ``weighted``
counts present as 1 and weak as 0.5, each segment weighted by 1 + its downstream segments in
its own chain — a labelled reference figure. A map's completeness is computed from the map's
own segments, each judged in its own chain (``map_completeness``), so it is the same figure
whichever chain, API route or page asks.

>>> GapKind("补链").label_en
'fill'
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.analysis.evidence import Coverage, EvidenceGrade
from graph.analysis.status import GapRules, SegmentVerdict, Status, segment_status
from graph.analysis.view import ChainView, chain_view
from graph.errors import InvalidRequest, NotFound, closest
from graph.i18n import _
from graph.schema import ChainMap, NodeKind
from graph.store import Store, get_segment


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
    isolated: bool = False  # missing with no local neighbour: a far 延链 candidate
    evidence_grade: EvidenceGrade = EvidenceGrade.NO_LOCAL_DATA
    evidence_grade_label: str = "无本地数据"
    coverage: Coverage = Coverage.LOW
    coverage_label: str = ""


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
    share: float  # (present + weak) / total — the figure to quote
    weighted: float  # reference only, labelled as such
    label: str = ""  # one sentence: the figure to quote, the other labelled


def _has_presence(verdict: SegmentVerdict | None) -> bool:
    return verdict is not None and verdict.status != Status.MISSING


def classify(
    view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str
) -> tuple[GapKind | None, str]:
    """The gap kind of one chain segment (None: present, not a gap) and why (see module)."""
    verdict = verdicts[segment_id]
    if verdict.status == Status.WEAK:
        return GapKind.STRENGTHEN, verdict.reason
    if verdict.status == Status.PRESENT:
        return None, ""
    local_up = sorted(u for u in view.ancestors(segment_id) if _has_presence(verdicts.get(u)))
    reached = _local_reached(view, verdicts, segment_id)
    if reached and local_up:
        return GapKind.FILL, _(
            "between local {up} and local {down}: an input brought in from outside",
            up=_names(view, _nearest(view, local_up)),
            down=_names(view, reached),
        )
    supplied = [d for d in reached if _has_other_local_supply(view, verdicts, d, segment_id)]
    if supplied:
        return GapKind.FILL, _(
            "an input of local {down}, which is missing locally and brought in",
            down=_names(view, supplied),
        )
    if reached:
        return GapKind.EXTEND, _(
            "upstream of {down}, the first local stage (extend upstream)",
            down=_names(view, reached),
        )
    if local_up:
        return GapKind.EXTEND, _(
            "downstream of local {up}, beyond the last local stage (extend downstream)",
            up=_names(view, _nearest(view, local_up)),
        )
    return GapKind.EXTEND, _(
        "no local stage up- or downstream: a far 延链 candidate, to build from scratch"
    )


def _local_reached(
    view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str
) -> list[str]:
    """The first local stages reached downstream, walking through missing segments only."""
    found, seen, todo = set(), {segment_id}, [segment_id]
    while todo:
        for nxt in view.downstream_of(todo.pop()):
            if nxt in seen:
                continue
            seen.add(nxt)
            if _has_presence(verdicts.get(nxt)):
                found.add(nxt)
            else:
                todo.append(nxt)
    return sorted(found)


def _nearest(view: ChainView, local: list[str]) -> list[str]:
    """Of ``local`` (ancestors of the segment), the ones not upstream of another of them."""
    keep = [u for u in local if not any(u in view.ancestors(o) for o in local if o != u)]
    return keep or local


def _has_other_local_supply(
    view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str, besides: str
) -> bool:
    """True when ``segment_id`` has local presence upstream other than through ``besides``
    (so it is not the first local stage), or belongs to another chain (its inputs are not
    in this view)."""
    if segment_id not in view.segments:
        return True
    upstream = view.ancestors(segment_id) - {besides} - view.ancestors(besides)
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
        impact = _impact(view, verdicts, seg_id)
        isolated = gap_kind == GapKind.EXTEND and not (
            impact["dependent_segments"] or _local_reached(view, verdicts, seg_id)
        )
        isolated = isolated and not any(
            _has_presence(verdicts.get(u)) for u in view.ancestors(seg_id)
        )
        found[gap_kind].append({"segment": seg_id, "why": why, "isolated": isolated, **impact})
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
                    isolated=item.pop("isolated"),
                    evidence_grade=verdicts[seg.id].evidence_grade,
                    evidence_grade_label=verdicts[seg.id].evidence_grade_label,
                    coverage=verdicts[seg.id].coverage,
                    coverage_label=verdicts[seg.id].coverage_label,
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
    """Completeness of the chain. With ``map_id``, of that map **as seen from this view**:
    segments of other chains count only if judged in the view — use ``map_completeness``
    for the one figure per map that every caller must show."""
    verdicts = verdicts or segment_status(view)
    if map_id:
        ids = sorted(_map_segments(view, map_id))
        scope, name = map_id, view.maps[map_id].name
    else:
        ids, scope, name = sorted(view.segments), view.chain.id, view.chain.name
    weights = {i: 1 + len(view.descendants(i, within_chain=True)) for i in ids}
    return score(scope, name, {i: verdicts.get(i) for i in ids}, weights)


def score(
    scope: str, name: str, verdicts: dict[str, SegmentVerdict | None], weights: dict[str, int]
) -> Completeness:
    """The completeness of ``verdicts`` (segment -> verdict, None = not judged = missing)."""
    if not verdicts:
        raise InvalidRequest(f"{scope!r} has no segments")
    statuses = {i: v.status if v else Status.MISSING for i, v in verdicts.items()}
    value = {Status.PRESENT: 1.0, Status.WEAK: 0.5, Status.MISSING: 0.0}
    total_weight = sum(weights[i] for i in statuses)
    weighted = sum(weights[i] * value[s] for i, s in statuses.items()) / total_weight
    present = sum(s == Status.PRESENT for s in statuses.values())
    weak = sum(s == Status.WEAK for s in statuses.values())
    share = (present + weak) / len(statuses)
    label = _(
        "completeness {share:.0%} ({n} of {total} segments with local presence); "
        "weighted {weighted:.0%} for reference only (weak counts half, upstream weighs more)",
        share=share,
        n=present + weak,
        total=len(statuses),
        weighted=weighted,
    )
    return Completeness(
        scope=scope,
        name=name,
        total=len(statuses),
        present=present,
        weak=weak,
        missing=len(statuses) - present - weak,
        share=round(share, 6),
        weighted=round(weighted, 6),
        label=label,
    )


def map_verdicts(
    store: Store,
    chain_map: ChainMap,
    region: str,
    rules: GapRules | None = None,
    views: dict[str, ChainView] | None = None,
) -> tuple[dict[str, SegmentVerdict], dict[str, int]]:
    """The verdict of each segment of ``chain_map``, judged in **its own chain's** view (the
    verdict ``gaps`` gives for that chain), and its completeness weight.

    ``views`` (chain id -> view) may supply views already built — or altered, as a landing
    simulation does; missing ones are fetched from ``store``.
    """
    views = dict(views or {})
    verdicts: dict[str, SegmentVerdict] = {}
    weights: dict[str, int] = {}
    by_chain: dict[str, list[str]] = {}
    for seg_id in chain_map.segments:
        by_chain.setdefault(get_segment(store, seg_id).chain, []).append(seg_id)
    for chain_id, ids in sorted(by_chain.items()):
        view = views.get(chain_id) or chain_view(store, chain_id, region)
        judged = segment_status(view, rules)
        for seg_id in ids:
            verdicts[seg_id] = judged[seg_id]
            weights[seg_id] = 1 + len(view.descendants(seg_id, within_chain=True))
    return verdicts, weights


def map_completeness(
    store: Store,
    map_id: str,
    region: str,
    rules: GapRules | None = None,
    views: dict[str, ChainView] | None = None,
) -> Completeness:
    """The one completeness figure of a map: its own segments, each judged in its own chain.

    Raises ``NotFound`` for an unknown map.
    """
    chain_map = store.get(map_id, NodeKind.MAP)
    assert isinstance(chain_map, ChainMap)
    verdicts, weights = map_verdicts(store, chain_map, region, rules, views)
    return score(chain_map.id, chain_map.name, dict(verdicts), weights)
