"""Segment status for a region: present / weak / missing, with the rule that decided it.

Rules, in the order they are tried (thresholds are ``GapRules`` settings). "Counted" local
firms are every local operation, or only the verified ones when ``count_uncertain`` is off.

- ``no_local_firm`` → missing: no counted local firm and no official figure of local capacity
  (the reason quotes any unverified fact or plan that was not counted);
- ``only_uncertain`` → weak, graded 待核实: every counted local fact is unverified and no
  verified official figure backs it — the facts are quoted, nothing more is claimed;
- ``bottleneck`` → weak: local capacity is below ``bottleneck_ratio`` × the largest local
  capacity in a comparable unit among the segments of the **same chain** reachable from it
  up- or downstream through SUPPLIES, transitively (102 GW of ingots but 5.6 GW of wafers:
  wafers, and the cells and modules after them, are weak);
- ``no_named_firm`` → weak: a verified official figure shows capacity but no verified named
  local firm (presence that nobody can be called about);
- ``single_firm`` → weak: fewer than ``min_firms`` verified local firms (a single point of
  failure; the firm is named, unverified others are quoted);
- ``established`` → present: at least ``min_firms`` verified local firms.

Every verdict carries its ``evidence_grade`` and ``coverage`` (see ``evidence.py``).

>>> GapRules().min_firms
2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graph import units
from graph.analysis.evidence import Coverage, EvidenceGrade, Sighting, coverage, grade, sightings
from graph.analysis.view import ChainView
from graph.i18n import _
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
    evidence_grade: EvidenceGrade = EvidenceGrade.NO_LOCAL_DATA
    evidence_grade_label: str = "无本地数据"
    coverage: Coverage = Coverage.LOW
    coverage_label: str = ""  # one sentence: what was looked at, and the confidence

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
    """The region's capacity in a segment: the official figure if any (plus the capacity of
    firms landed by a simulation, which the figure cannot include yet), else the sum of firm
    capacities in the segment's unit (firms with an incomparable unit are left out)."""
    figure = view.capacities.get(segment_id)
    if figure is not None:
        landed = [
            o
            for o in _counted_ops(view, segment_id, rules)
            if (o.src, o.dst) in view.landed
            and o.capacity
            and units.comparable(o.unit, figure.unit)
        ]
        extra = sum(units.convert(o.capacity or 0, o.unit, figure.unit) for o in landed)
        return figure.capacity + extra, figure.unit
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
    facts = sightings(view, segment_id)
    status, rule, reason, comparison = _decide(
        view, segment_id, rules, ops, figure_fact, capacities, facts
    )
    evidence = grade(facts)
    level, basis = coverage(view, segment_id, facts)
    return SegmentVerdict(
        segment=seg.id,
        name=seg.name,
        chain=seg.chain,
        stage=seg.stage,
        status=status,
        rule=rule,
        reason=reason,
        local_firms=[_firm_fact(view, op) for op in ops],
        regional_figure=figure_fact,
        local_capacity=capacity[0] if capacity else None,
        unit=capacity[1] if capacity else "",
        compared_with=comparison,
        thresholds=rules.model_dump(),
        upstream=list(view.upstream_of(segment_id)),
        downstream=list(view.downstream_of(segment_id)),
        projects=[p.id for p in view.projects.get(segment_id, ())],
        has_local_data=bool(facts),
        evidence_grade=evidence,
        evidence_grade_label=evidence.label,
        coverage=level,
        coverage_label=coverage_sentence(seg.name, status, level, basis, evidence),
    )


def coverage_sentence(
    name: str, status: Status, level: Coverage, basis: str, grade: EvidenceGrade
) -> str:
    """The sentence an officer can repeat about how well the segment was looked at."""
    if status == Status.MISSING and not basis:
        return _(
            "No local {name} firm found; no report or statistic in our data covers this "
            "segment — confidence {level} (not known to our data is not the same as absent)",
            name=name,
            level=level.value,
        )
    if status == Status.MISSING and grade != EvidenceGrade.NO_LOCAL_DATA:
        return _(
            "No named local {name} firm, but reports or plans mention local activity; based "
            "on {basis} — confidence {level}",
            name=name,
            basis=basis,
            level=level.value,
        )
    if status == Status.MISSING:
        return _(
            "No local {name} firm found; based on {basis}, which cover this segment — "
            "confidence {level}",
            name=name,
            basis=basis,
            level=level.value,
        )
    return _(
        "Local {name}: based on {basis} — confidence {level}",
        name=name,
        basis=basis,
        level=level.value,
    )


def _quoted(facts: list[Sighting], kinds: tuple[str, ...] = ("firm", "figure", "project")) -> str:
    return "；".join(f.quote() for f in facts if f.kind in kinds and not f.verified)


def _decide(
    view: ChainView,
    segment_id: str,
    rules: GapRules,
    ops: list[OperatesIn],
    figure: Fact | None,
    capacities: dict[str, tuple[float, str] | None],
    facts: list[Sighting],
) -> tuple[Status, str, str, Comparison | None]:
    name = view.segment(segment_id).name
    capacity = capacities[segment_id]
    verified_ops = [op for op in ops if op.certainty == Certainty.VERIFIED]
    official = (
        figure is not None and bool(figure.capacity) and figure.certainty == Certainty.VERIFIED
    )
    if not ops and (figure is None or not figure.capacity):
        unverified = _quoted(facts)
        if unverified:
            why = _(
                "No counted local {name} firm; unverified, not counted: {facts}",
                name=name,
                facts=unverified,
            )
        else:
            why = _("No local {name} firm known to our data", name=name)
        return Status.MISSING, "no_local_firm", why, None
    if not verified_ops and not official:
        why = _(
            "To be verified: the only local {name} facts are unverified — {facts}",
            name=name,
            facts=_quoted(facts, ("firm", "figure")),
        )
        return Status.WEAK, "only_uncertain", why, None
    if capacity is not None:
        comparison = _bottleneck(view, segment_id, rules, capacity, capacities)
        if comparison is not None:
            why = (
                f"本地{name}产能{capacity[0]:g}{capacity[1]}，仅为链上{comparison.name}"
                f"{comparison.capacity:g}{comparison.unit}的{comparison.ratio:.1%}"
                f"（阈值{rules.bottleneck_ratio:.0%}）"
            )
            return Status.WEAK, "bottleneck", why, comparison
    if not verified_ops:
        assert figure is not None
        why = f"官方统计本地{name}产能{figure.capacity:g}{figure.unit}，但未知具体企业"
        unverified = _quoted(facts, ("firm",))
        if unverified:
            why += _("; unverified: {facts}", facts=unverified)
        return Status.WEAK, "no_named_firm", why, None
    firm_count = len({op.src for op in verified_ops})
    if firm_count < rules.min_firms:
        names = "、".join(sorted({f.name for f in facts if f.kind == "firm" and f.verified}))
        why = _(
            "only {n} verified local {name} firm ({names}; fewer than {min}, a single point "
            "of failure)",
            n=firm_count,
            name=name,
            names=names,
            min=rules.min_firms,
        )
        unverified = _quoted(facts, ("firm",))
        if unverified:
            why += _("; unverified: {facts}", facts=unverified)
        return Status.WEAK, "single_firm", why, None
    return (
        Status.PRESENT,
        "established",
        _("{n} verified local {name} firms", n=firm_count, name=name),
        None,
    )


def segment_status(view: ChainView, rules: GapRules | None = None) -> dict[str, SegmentVerdict]:
    """Verdicts for every segment of the chain and its cross-chain neighbours, by id."""
    rules = rules or GapRules()
    ids = sorted(view.segments) + sorted(view.neighbours)
    capacities: dict[str, tuple[float, str] | None] = {}
    return {seg: judge_segment(view, seg, rules, capacities) for seg in ids}
