"""Landing simulation: "if firm X lands in segment S", what changes — without touching the store.

The firm is added, in memory only, as a local operation in S at the certainty the officer
states (default ``verified``: the simulation asks "what if it were really here"), with the
capacity the officer states or else the firm's known capacity in S. The landed capacity adds
to the region's official figure, so a bottleneck can lift (5.6 GW of wafers + a 50 GW landing
against 102 GW of ingots). Every chain S belongs to is re-judged and the differences are
reported: status changes, gaps closed (now present), gaps whose kind changed, gaps opened,
the completeness of each chain and of every map showing the chain's segments — each map
computed from its own segments (``map_completeness``). When nothing changes, ``why_unchanged``
says why.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.analysis.gaps import (
    Completeness,
    GapKind,
    completeness,
    find_gaps,
    map_completeness,
)
from graph.analysis.status import GapRules, SegmentVerdict, Status, segment_status
from graph.analysis.view import ChainView, chain_view
from graph.i18n import _
from graph.schema import Certainty, ChainMap, Firm, NodeKind, OperatesIn, RelType, Segment
from graph.store import Direction, Store


class StatusChange(BaseModel):
    model_config = ConfigDict(frozen=True)
    segment: str
    name: str
    before: Status
    after: Status
    rule_before: str
    rule_after: str


class GapClosed(BaseModel):
    """A gap that a landing closes, opens or changes (``kind``: before for closed/changed,
    after for opened; ``kind_after``: after, for changed)."""

    model_config = ConfigDict(frozen=True)
    segment: str
    name: str
    kind: GapKind
    kind_after: GapKind | None = None


class CompletenessChange(BaseModel):
    model_config = ConfigDict(frozen=True)
    scope: str
    name: str
    before: Completeness
    after: Completeness
    delta_share: float
    delta_weighted: float


class LandingResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    firm: str
    firm_name: str
    segment: str
    segment_name: str
    region: str
    capacity: float | None
    unit: str
    certainty: Certainty  # what the simulated firm counts as
    certainty_note: str  # the same, said in words
    status_changes: list[StatusChange]
    gaps_closed: list[GapClosed]  # no longer a gap: the segment became present
    gaps_changed: list[GapClosed]  # still a gap, of another kind (补链 → 强链 …)
    gaps_opened: list[GapClosed]
    chains: list[CompletenessChange]
    maps: list[CompletenessChange]
    verdict_before: SegmentVerdict
    verdict_after: SegmentVerdict
    why_unchanged: str = ""  # '' when something changed


def hypothetical_operation(
    store: Store,
    firm: Firm,
    segment: Segment,
    region: str,
    capacity: float | None = None,
    unit: str = "",
    certainty: Certainty = Certainty.VERIFIED,
) -> OperatesIn:
    """The operation the firm would bring: the stated capacity (else its known capacity in
    the segment), sited locally, at the stated certainty."""
    if capacity is None:
        # the firm's own operations, not every operation of the segment in the country
        known = store.neighbours(firm.id, RelType.OPERATES_IN, Direction.OUT)
        op = next(
            (
                o
                for o in known
                if isinstance(o, OperatesIn) and o.dst == segment.id and o.capacity is not None
            ),
            None,
        )
        capacity, unit = (op.capacity, op.unit) if op else (None, "")
    return OperatesIn(
        src=firm.id,
        dst=segment.id,
        site=region,
        capacity=capacity,
        unit=(unit or segment.unit) if capacity is not None else "",
        source="chainkg 落地模拟（假设）",
        certainty=certainty,
    )


def _change(scope: str, name: str, before: Completeness, after: Completeness) -> CompletenessChange:
    return CompletenessChange(
        scope=scope,
        name=name,
        before=before,
        after=after,
        delta_share=round(after.share - before.share, 6),
        delta_weighted=round(after.weighted - before.weighted, 6),
    )


def _compare(before: ChainView, after: ChainView, rules: GapRules) -> dict[str, Any]:
    v0, v1 = segment_status(before, rules), segment_status(after, rules)
    g0 = {g.segment: g for g in find_gaps(before, rules, verdicts=v0)}
    g1 = {g.segment: g for g in find_gaps(after, rules, verdicts=v1)}
    changes = [
        StatusChange(
            segment=s,
            name=v0[s].name,
            before=v0[s].status,
            after=v1[s].status,
            rule_before=v0[s].rule,
            rule_after=v1[s].rule,
        )
        for s in sorted(before.segments)
        if v0[s].status != v1[s].status
    ]
    closed = [GapClosed(segment=s, name=g.name, kind=g.kind) for s, g in g0.items() if s not in g1]
    changed = [
        GapClosed(segment=s, name=g.name, kind=g.kind, kind_after=g1[s].kind)
        for s, g in g0.items()
        if s in g1 and g1[s].kind != g.kind
    ]
    opened = [GapClosed(segment=s, name=g.name, kind=g.kind) for s, g in g1.items() if s not in g0]
    chain = _change(
        before.chain.id, before.chain.name, completeness(before, v0), completeness(after, v1)
    )
    return {
        "changes": changes,
        "closed": sorted(closed, key=lambda g: g.segment),
        "changed": sorted(changed, key=lambda g: g.segment),
        "opened": sorted(opened, key=lambda g: g.segment),
        "chain": chain,
        "verdicts": (v0, v1),
    }


def _maps(
    store: Store, region: str, rules: GapRules, before: list[ChainView], after: list[ChainView]
) -> list[CompletenessChange]:
    """Every map showing a segment of the re-judged chains, before and after, each from its
    own segments judged in their own chains (the landed views stand in for theirs)."""
    ids = sorted({m for view in before for m in view.maps})
    landed = {view.chain.id: view for view in after}
    changes = []
    for map_id in ids:
        chain_map = store.get(map_id, NodeKind.MAP)
        assert isinstance(chain_map, ChainMap)
        b = map_completeness(store, map_id, region, rules)
        a = map_completeness(store, map_id, region, rules, landed)
        changes.append(_change(map_id, chain_map.name, b, a))
    return changes


def simulate_landing(
    store: Store,
    firm_id: str,
    segment_id: str,
    region: str,
    rules: GapRules | None = None,
    capacity: float | None = None,
    unit: str = "",
    certainty: Certainty | str = Certainty.VERIFIED,
) -> LandingResult:
    """What landing ``firm_id`` in ``segment_id`` would change for ``region``.

    ``capacity``/``unit``: what the firm would bring (default: its known capacity in the
    segment); ``certainty``: what the simulated firm counts as (default ``verified``). Raises
    ``NotFound`` (with suggestions) for an unknown firm or segment. The store is only read.
    """
    rules = rules or GapRules()
    certainty = Certainty(certainty)
    firm = store.get(firm_id, NodeKind.FIRM)
    segment = store.get(segment_id, NodeKind.SEGMENT)
    assert isinstance(firm, Firm) and isinstance(segment, Segment)
    op = hypothetical_operation(store, firm, segment, region, capacity, unit, certainty)
    before = [chain_view(store, c, region) for c in segment.chains]
    after = [view.with_operation(op, firm) for view in before]
    results = [_compare(b, a, rules) for b, a in zip(before, after, strict=True)]
    v0, v1 = results[0]["verdicts"]
    result = LandingResult(
        firm=firm.id,
        firm_name=firm.name,
        segment=segment.id,
        segment_name=segment.name,
        region=region,
        capacity=op.capacity,
        unit=op.unit,
        certainty=certainty,
        certainty_note=_(
            "the simulated firm counts as {certainty} (stated for this simulation)",
            certainty=certainty.label,
        ),
        status_changes=_unique([c for r in results for c in r["changes"]]),
        gaps_closed=_unique([c for r in results for c in r["closed"]]),
        gaps_changed=_unique([c for r in results for c in r["changed"]]),
        gaps_opened=_unique([c for r in results for c in r["opened"]]),
        chains=[r["chain"] for r in results],
        maps=_maps(store, region, rules, before, after),
        verdict_before=v0[segment.id],
        verdict_after=v1[segment.id],
    )
    return result.model_copy(update={"why_unchanged": _why_unchanged(result, rules)})


def _why_unchanged(result: LandingResult, rules: GapRules) -> str:
    """'' if the landing changes anything; else the reason, in words."""
    moved = [c for c in (*result.chains, *result.maps) if c.delta_share or c.delta_weighted]
    if result.status_changes or result.gaps_opened or result.gaps_changed or moved:
        return ""
    before, after = result.verdict_before, result.verdict_after
    if result.certainty != Certainty.VERIFIED and not rules.count_uncertain:
        return _(
            "nothing changes: the firm is simulated as {certainty} and unverified firms are "
            "not counted (CHAINKG_COUNT_UNCERTAIN=false)",
            certainty=result.certainty.label,
        )
    if (before.rule, before.evidence_grade) != (after.rule, after.evidence_grade):
        return _(
            "completeness unchanged: {segment} stays {status}, now because {reason} "
            "(evidence {grade_before} → {grade_after})",
            segment=result.segment_name,
            status=after.status.label,
            reason=after.reason,
            grade_before=before.evidence_grade_label,
            grade_after=after.evidence_grade_label,
        )
    if before.status == Status.PRESENT:
        return _(
            "nothing changes: {segment} is already present locally ({reason})",
            segment=result.segment_name,
            reason=before.reason,
        )
    return _(
        "nothing changes: {segment} stays {status} — {reason}",
        segment=result.segment_name,
        status=after.status.label,
        reason=after.reason,
    )


def _unique(items: list[Any]) -> list[Any]:
    seen, out = set(), []
    for item in items:
        key = (item.segment, getattr(item, "kind", None))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
