"""Target ranking: which firms to court for a gap, with every score component shown.

Candidates for a segment are firms active in it outside the region: the target list first
(靶向企业), then any other firm the graph knows to operate in the segment, then the national
pool (listed companies whose main products match the segment), marked "not yet on the list".

The score is a sum of named components, each ``weight × value`` with value in [0, 1]:

- ``fit``: share of the firm's business in the segment (revenue share; 0 when unknown);
- ``on_list``: on the target list, by priority (1 → 1.0, 2 → 0.67, 3 → 0.33);
- ``link``: 以商招商 — how many local segments its segments supply or buy from (3 or more → 1);
- ``scale``: its capacity in the segment relative to the largest candidate's;
- ``listed``: a listed company (1) or not (0).

Ties are broken by list membership, then firm id, so the order never depends on storage.

>>> RankWeights().fit
30.0
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from graph import units
from graph.analysis.evidence import amount
from graph.analysis.status import SegmentVerdict, Status, segment_status
from graph.analysis.view import ChainView
from graph.errors import NotFound, closest
from graph.schema import Firm, NationalCandidate, NodeKind, OperatesIn, RelType, TargetedFor
from graph.store import Direction, Store


class RankWeights(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    fit: float = Field(30.0, ge=0, description="share of the firm's business in the segment")
    on_list: float = Field(30.0, ge=0, description="on the official target list, by priority")
    link: float = Field(15.0, ge=0, description="supplies or buys from local segments (以商招商)")
    scale: float = Field(15.0, ge=0, description="capacity relative to the largest candidate")
    listed: float = Field(10.0, ge=0, description="listed company")


COMPONENTS = ("fit", "on_list", "link", "scale", "listed")


class Component(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    value: float  # in [0, 1]
    weight: float
    points: float  # weight × value, to 2 decimals; the score is the sum of the points
    why: str


class RankedCandidate(BaseModel):
    model_config = ConfigDict(frozen=True)
    rank: int
    firm: str
    name: str
    full_name: str
    stock_code: str
    hq: str
    segment: str
    segment_name: str
    origin: str  # "target_list" | "graph" | "national"
    on_list: bool
    status: str  # pipeline status on the list, "" otherwise
    rationale: str
    score: float
    components: list[Component]
    source: str
    year: int | None = None


@dataclass(frozen=True)
class Candidate:
    """What we know of one firm for one segment before scoring."""

    firm: Firm
    segment: str
    origin: str
    entry: TargetedFor | None
    operation: OperatesIn | None
    share: float | None
    source: str
    year: int | None
    linked_segments: tuple[str, ...]


def gather_candidates(store: Store, view: ChainView, segment_id: str) -> list[Candidate]:
    """Every firm outside the region active in ``segment_id``, one candidate per firm."""
    local = set(view.local_firm_ids(segment_id))
    entries = {t.src: t for t in store.targets([segment_id])}
    ops = {
        o.src: o
        for o in store.operations([segment_id])
        if o.src not in local and store.site_region(o.site) != view.region
    }
    pool = {c.firm: c for c in _national(store, segment_id)}
    present = {s for s in (*view.segments, *view.neighbours) if _present(view, s)}
    candidates = []
    for firm_id in sorted((set(entries) | set(ops) | set(pool)) - local):
        firm = store.get(firm_id, NodeKind.FIRM)
        assert isinstance(firm, Firm)
        entry, op, national = entries.get(firm_id), ops.get(firm_id), pool.get(firm_id)
        origin = "target_list" if entry else ("graph" if op else "national")
        share = op.share if op and op.share is not None else (national.weight if national else None)
        fact = entry or op
        source = fact.source if fact else national.source if national else ""
        year = fact.year if fact else None
        candidates.append(
            Candidate(
                firm,
                segment_id,
                origin,
                entry,
                op,
                share,
                source,
                year,
                _linked(store, view, firm_id, segment_id, present),
            )
        )
    return candidates


def _present(view: ChainView, segment_id: str) -> bool:
    return bool(view.local_ops.get(segment_id)) or segment_id in view.capacities


def _national(store: Store, segment_id: str) -> list[NationalCandidate]:
    """The national pool (ChainKG); empty when none was imported."""
    return store.national_candidates([segment_id])


def _linked(
    store: Store, view: ChainView, firm_id: str, segment_id: str, present: set[str]
) -> tuple[str, ...]:
    """Local segments next (by SUPPLIES) to any segment the firm is active in."""
    own = {segment_id} | {
        e.dst for e in store.neighbours(firm_id, RelType.OPERATES_IN, Direction.OUT)
    }
    linked = {n for s in own for n in (*view.upstream_of(s), *view.downstream_of(s))}
    return tuple(sorted(linked & present))


def score(
    candidates: Iterable[Candidate], view: ChainView, weights: RankWeights | None = None
) -> list[RankedCandidate]:
    """Score and order candidates (pure: no store access)."""
    weights = weights or RankWeights()
    items = list(candidates)
    capacities = [_capacity(c, view.segment(c.segment).unit) for c in items]
    top: dict[str, float] = {}  # the largest candidate capacity per segment
    for c, capacity in zip(items, capacities, strict=True):
        top[c.segment] = max(top.get(c.segment, 0.0), capacity)
    ranked = []
    for c, capacity in zip(items, capacities, strict=True):
        parts = _components(c, weights, capacity, top[c.segment])
        ranked.append((c, parts, round(sum(p.points for p in parts), 2)))
    ranked.sort(key=lambda r: (r[0].entry is None, -r[2], r[0].firm.id, r[0].segment))
    return [_result(i, c, parts, total, view) for i, (c, parts, total) in enumerate(ranked, 1)]


def _capacity(c: Candidate, unit: str) -> float:
    op = c.operation
    if op is None or op.capacity is None or not op.unit:
        return 0.0
    if unit and units.comparable(op.unit, unit):
        return units.convert(op.capacity, op.unit, unit)
    return 0.0


def _approximate(c: Candidate) -> bool:
    return c.operation is not None and c.operation.approximate


def _components(c: Candidate, w: RankWeights, capacity: float, largest: float) -> list[Component]:
    priority = c.entry.priority if c.entry else None
    values = {
        "fit": (
            min(max(c.share or 0.0, 0.0), 1.0),
            f"业务占比{c.share:.0%}" if c.share is not None else "业务占比未知",
        ),
        "on_list": (
            (4 - priority) / 3 if priority else 0.0,
            f"在靶向名单上（优先级{priority}）" if priority else "尚未列入名单",
        ),
        "link": (
            min(len(c.linked_segments) / 3, 1.0),
            f"与本地{len(c.linked_segments)}个环节上下游相连"
            if c.linked_segments
            else "与本地环节无直接上下游关系",
        ),
        "scale": (
            capacity / largest if largest else 0.0,
            f"产能{amount(capacity, '', _approximate(c))}" if capacity else "产能未知",
        ),
        "listed": (
            1.0 if c.firm.stock_code else 0.0,
            f"上市公司 {c.firm.stock_code}" if c.firm.stock_code else "非上市",
        ),
    }
    parts = []
    for name in COMPONENTS:
        value, why = values[name]
        weight = getattr(w, name)
        parts.append(
            Component(
                name=name,
                value=round(value, 4),
                weight=weight,
                points=round(weight * value, 2),
                why=why,
            )
        )
    return parts


def _result(
    rank: int, c: Candidate, parts: list[Component], total: float, view: ChainView
) -> RankedCandidate:
    firm = c.firm
    return RankedCandidate(
        rank=rank,
        firm=firm.id,
        name=firm.name,
        full_name=firm.full_name,
        stock_code=firm.stock_code,
        hq=f"{firm.hq_province}{firm.hq_city}",
        segment=c.segment,
        segment_name=view.segment(c.segment).name,
        origin=c.origin,
        on_list=c.entry is not None,
        status=c.entry.status.value if c.entry else "",
        rationale=c.entry.rationale if c.entry else "",
        score=total,
        components=parts,
        source=c.source,
        year=c.year,
    )


def rank_targets(
    store: Store,
    view: ChainView,
    segment_id: str | None = None,
    weights: RankWeights | None = None,
    top: int | None = None,
    verdicts: dict[str, SegmentVerdict] | None = None,
) -> list[RankedCandidate]:
    """Ranked candidates for one segment, or for every gap segment of the chain.

    For a whole chain, candidates of each missing or weak segment are ranked together; ``top``
    limits the list (per segment when one is given, overall otherwise).
    """
    if segment_id is not None:
        if segment_id not in view.segments:
            raise NotFound("Segment", segment_id, closest(segment_id, view.segments))
        ranked = score(gather_candidates(store, view, segment_id), view, weights)
        return ranked[:top] if top else ranked
    verdicts = verdicts or segment_status(view)
    gaps = [s for s in sorted(view.segments) if verdicts[s].status != Status.PRESENT]
    pool = [c for s in gaps for c in gather_candidates(store, view, s)]
    ranked = score(pool, view, weights)
    return ranked[:top] if top else ranked
