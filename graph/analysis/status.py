"""Segment status for a region: present / weak / missing, with the rule that decided it.

Rules, in the order they are tried (thresholds are ``GapRules`` settings):

- ``no_local_firm`` → missing: no local firm operates in the segment and no official figure
  shows local capacity;
- ``no_named_firm`` → weak: an official regional figure shows capacity but no local firm is
  known (presence that nobody can be called about);
- ``bottleneck`` → weak: local capacity is below ``bottleneck_ratio`` × the largest local
  capacity of a comparable unit upstream or downstream in the chain (102 GW of ingots but
  5.6 GW of wafers: wafers are weak);
- ``single_firm`` → weak: fewer than ``min_firms`` local firms (a single point of failure);
- ``only_uncertain`` → weak: every local fact about the segment is unverified;
- ``established`` → present.

>>> GapRules().min_firms
2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graph import units
from graph.analysis.view import ChainView
from graph.schema import Certainty, OperatesIn, Stage


class Status(StrEnum):
    PRESENT = "present"
    WEAK = "weak"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {"present": "已有", "weak": "薄弱", "missing": "缺失"}[self.value]


class GapRules(BaseModel):
    """Thresholds of the status rules; every verdict repeats the ones it used."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    min_firms: int = Field(2, ge=1, description="fewer local firms than this is weak")
    bottleneck_ratio: float = Field(
        0.25, gt=0, le=1, description="local capacity below this share of the chain flow is weak"
    )
    count_uncertain: bool = Field(
        True, description="count unverified local operations as presence (then flagged)"
    )


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact a verdict rests on, with where it comes from."""

    subject: str  # firm or region id
    name: str
    source: str
    capacity: float | None = None
    unit: str = ""
    year: int | None = None
    certainty: Certainty = Certainty.VERIFIED


@dataclass(frozen=True, slots=True)
class Comparison:
    """The chain flow a bottleneck verdict compares against."""

    segment: str
    name: str
    capacity: float
    unit: str
    ratio: float  # this segment's capacity / the compared capacity, same unit


@dataclass(frozen=True)
class SegmentVerdict:
    """The status of one segment, the rule that decided it and the evidence.

    A plain dataclass (not a pydantic model): a gap query builds dozens of these from records
    that were validated when stored, and validation again cost more than the analysis."""

    segment: str
    name: str
    chain: str
    stage: Stage
    status: Status
    rule: str
    reason: str  # one Chinese sentence an officer can read out
    local_firms: list[Fact] = field(default_factory=list)
    regional_figure: Fact | None = None
    local_capacity: float | None = None
    unit: str = ""
    compared_with: Comparison | None = None
    thresholds: dict[str, float | int | bool] = field(default_factory=dict)
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    has_local_data: bool = False  # any local fact at all (firm, figure or project)

    @property
    def status_label(self) -> str:
        return self.status.label


def _firm_fact(view: ChainView, op: OperatesIn) -> Fact:
    firm = view.firms.get(op.src)
    return Fact(
        subject=op.src,
        name=firm.name if firm else op.src,
        capacity=op.capacity,
        unit=op.unit,
        source=op.source,
        year=op.year,
        certainty=op.certainty,
    )


def _counted_ops(view: ChainView, segment_id: str, rules: GapRules) -> list[OperatesIn]:
    ops = view.local_ops.get(segment_id, ())
    if rules.count_uncertain:
        return list(ops)
    return [op for op in ops if op.certainty == Certainty.VERIFIED]


def local_capacity(view: ChainView, segment_id: str, rules: GapRules) -> tuple[float, str] | None:
    """The region's capacity in a segment: the official figure if any, else the sum of firm
    capacities in the segment's unit (firms with an incomparable unit are left out)."""
    figure = view.capacities.get(segment_id)
    if figure is not None:
        return figure.capacity, figure.unit
    unit = view.segment(segment_id).unit
    ops = [o for o in _counted_ops(view, segment_id, rules) if o.capacity is not None and o.unit]
    if not ops:
        return None
    unit = unit or ops[0].unit
    usable = [o for o in ops if units.comparable(o.unit, unit)]
    if not usable:
        return None
    return sum(units.convert(o.capacity or 0, o.unit, unit) for o in usable), unit


def _bottleneck(
    view: ChainView,
    segment_id: str,
    rules: GapRules,
    own: tuple[float, str],
    capacities: dict[str, tuple[float, str] | None],
) -> Comparison | None:
    """The largest comparable local capacity along the chain that ``own`` falls short of."""
    if segment_id not in view.segments:
        return None
    related = view.ancestors(segment_id, True) | view.descendants(segment_id, True)
    worst: Comparison | None = None
    for other in sorted(related):
        if other not in capacities:
            capacities[other] = local_capacity(view, other, rules)
        theirs = capacities[other]
        if theirs is None or not units.comparable(theirs[1], own[1]) or theirs[0] <= 0:
            continue
        ratio = units.to_base(own[0], own[1]) / units.to_base(theirs[0], theirs[1])
        if ratio < rules.bottleneck_ratio and (worst is None or ratio < worst.ratio):
            name = view.segment(other).name
            worst = Comparison(
                segment=other, name=name, capacity=theirs[0], unit=theirs[1], ratio=round(ratio, 4)
            )
    return worst


def judge_segment(
    view: ChainView,
    segment_id: str,
    rules: GapRules,
    capacities: dict[str, tuple[float, str] | None] | None = None,
) -> SegmentVerdict:
    """The verdict on one segment (of the chain or a cross-chain neighbour).

    ``capacities`` (segment -> ``local_capacity``) may be passed in when judging many segments
    of one view, so each sum is computed once.
    """
    capacities = capacities if capacities is not None else {}
    seg = view.segment(segment_id)
    ops = _counted_ops(view, segment_id, rules)
    firms = [_firm_fact(view, op) for op in ops]
    figure = view.capacities.get(segment_id)
    figure_fact = (
        Fact(
            subject=figure.src,
            name=view.region,
            capacity=figure.capacity,
            unit=figure.unit,
            source=figure.source,
            year=figure.year,
            certainty=figure.certainty,
        )
        if figure
        else None
    )
    if segment_id not in capacities:
        capacities[segment_id] = local_capacity(view, segment_id, rules)
    capacity = capacities[segment_id]
    projects = [p.id for p in view.projects.get(segment_id, ())]
    status, rule, reason, comparison = _decide(
        view, segment_id, rules, ops, figure_fact, capacities
    )
    return SegmentVerdict(
        segment=seg.id,
        name=seg.name,
        chain=seg.chain,
        stage=seg.stage,
        status=status,
        rule=rule,
        reason=reason,
        local_firms=firms,
        regional_figure=figure_fact,
        local_capacity=capacity[0] if capacity else None,
        unit=capacity[1] if capacity else "",
        compared_with=comparison,
        thresholds=rules.model_dump(),
        upstream=list(view.upstream_of(segment_id)),
        downstream=list(view.downstream_of(segment_id)),
        projects=projects,
        has_local_data=bool(firms or figure or projects),
    )


def _decide(
    view: ChainView,
    segment_id: str,
    rules: GapRules,
    ops: list[OperatesIn],
    figure: Fact | None,
    capacities: dict[str, tuple[float, str] | None],
) -> tuple[Status, str, str, Comparison | None]:
    name = view.segment(segment_id).name
    capacity = capacities[segment_id]
    if not ops and (figure is None or not figure.capacity):
        planned = view.projects.get(segment_id, ())
        why = f"本地无{name}企业"
        why += f"；已有规划项目{len(planned)}个（尚未形成产能）" if planned else "；无本地数据"
        return Status.MISSING, "no_local_firm", why, None
    if not ops:
        assert figure is not None
        why = f"官方统计本地{name}产能{figure.capacity:g}{figure.unit}，但未知具体企业"
        return Status.WEAK, "no_named_firm", why, None
    if capacity is not None:
        comparison = _bottleneck(view, segment_id, rules, capacity, capacities)
        if comparison is not None:
            why = (
                f"本地{name}产能{capacity[0]:g}{capacity[1]}，仅为链上{comparison.name}"
                f"{comparison.capacity:g}{comparison.unit}的{comparison.ratio:.1%}"
                f"（阈值{rules.bottleneck_ratio:.0%}）"
            )
            return Status.WEAK, "bottleneck", why, comparison
    firm_count = len({op.src for op in ops})
    if firm_count < rules.min_firms:
        why = f"本地仅{firm_count}家{name}企业（少于{rules.min_firms}家，单点风险）"
        return Status.WEAK, "single_firm", why, None
    if all(op.certainty != Certainty.VERIFIED for op in ops):
        return Status.WEAK, "only_uncertain", f"本地{name}企业信息均未经核实", None
    return Status.PRESENT, "established", f"本地{firm_count}家{name}企业", None


def segment_status(view: ChainView, rules: GapRules | None = None) -> dict[str, SegmentVerdict]:
    """Verdicts for every segment of the chain and its cross-chain neighbours, by id."""
    rules = rules or GapRules()
    ids = sorted(view.segments) + sorted(view.neighbours)
    capacities: dict[str, tuple[float, str] | None] = {}
    return {seg: judge_segment(view, seg, rules, capacities) for seg in ids}
