"""Landing simulation: "if firm X lands in segment S", what changes — without touching the store.

The firm is added, in memory only, as a local operation in S (with its known capacity in S, if
any); every chain S belongs to is re-judged, and the differences are reported: gaps closed,
weak segments that became present, completeness of each chain and map before and after.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.analysis.gaps import Completeness, GapKind, completeness, find_gaps
from graph.analysis.status import GapRules, Status, segment_status
from graph.analysis.view import ChainView, chain_view
from graph.schema import Certainty, Firm, NodeKind, OperatesIn, RelType, Segment
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
    model_config = ConfigDict(frozen=True)
    segment: str
    name: str
    kind: GapKind


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
    status_changes: list[StatusChange]
    gaps_closed: list[GapClosed]
    gaps_opened: list[GapClosed]
    chains: list[CompletenessChange]
    maps: list[CompletenessChange]


def hypothetical_operation(store: Store, firm: Firm, segment: Segment, region: str) -> OperatesIn:
    """The operation the firm would bring: its known capacity in the segment, sited locally."""
    # the firm's own operations, not every operation of the segment in the country
    known = store.neighbours(firm.id, RelType.OPERATES_IN, Direction.OUT)
    capacity = next(
        (
            op
            for op in known
            if isinstance(op, OperatesIn) and op.dst == segment.id and op.capacity is not None
        ),
        None,
    )
    return OperatesIn(
        src=firm.id,
        dst=segment.id,
        site=region,
        capacity=capacity.capacity if capacity else None,
        unit=capacity.unit if capacity else "",
        source="chainkg landing simulation (hypothetical)",
        certainty=Certainty.RECONSTRUCTED,
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
    closed = [
        GapClosed(segment=s, name=g.name, kind=g.kind)
        for s, g in sorted(g0.items())
        if s not in g1 or g1[s].kind != g.kind
    ]
    opened = [
        GapClosed(segment=s, name=g.name, kind=g.kind)
        for s, g in sorted(g1.items())
        if s not in g0 or g0[s].kind != g.kind
    ]
    chain = _change(
        before.chain.id, before.chain.name, completeness(before, v0), completeness(after, v1)
    )
    maps = [
        _change(m, cm.name, completeness(before, v0, m), completeness(after, v1, m))
        for m, cm in sorted(before.maps.items())
    ]
    return {"changes": changes, "closed": closed, "opened": opened, "chain": chain, "maps": maps}


def simulate_landing(
    store: Store, firm_id: str, segment_id: str, region: str, rules: GapRules | None = None
) -> LandingResult:
    """What landing ``firm_id`` in ``segment_id`` would change for ``region``.

    Raises ``NotFound`` (with suggestions) for an unknown firm or segment. The store is only
    read.
    """
    rules = rules or GapRules()
    firm = store.get(firm_id, NodeKind.FIRM)
    segment = store.get(segment_id, NodeKind.SEGMENT)
    assert isinstance(firm, Firm) and isinstance(segment, Segment)
    op = hypothetical_operation(store, firm, segment, region)
    results = [
        _compare(view, view.with_operation(op, firm), rules)
        for view in (chain_view(store, c, region) for c in segment.chains)
    ]
    seen_maps: dict[str, CompletenessChange] = {}
    for r in results:
        for m in r["maps"]:
            seen_maps.setdefault(m.scope, m)
    return LandingResult(
        firm=firm.id,
        firm_name=firm.name,
        segment=segment.id,
        segment_name=segment.name,
        region=region,
        capacity=op.capacity,
        unit=op.unit,
        status_changes=_unique([c for r in results for c in r["changes"]]),
        gaps_closed=_unique([c for r in results for c in r["closed"]]),
        gaps_opened=_unique([c for r in results for c in r["opened"]]),
        chains=[r["chain"] for r in results],
        maps=[seen_maps[k] for k in sorted(seen_maps)],
    )


def _unique(items: list[Any]) -> list[Any]:
    seen, out = set(), []
    for item in items:
        key = (item.segment, getattr(item, "kind", None))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
