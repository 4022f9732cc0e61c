"""Target ranking: which firms to court for a gap, with every score component shown.

Candidates (``graph.analysis.candidates``) are the target list (靶向企业), other firms the graph
knows in the segment, and the national pool (ChainKG listed companies whose matching product
and Shenwan industry fit the segment), one row per firm.

The score is built from named components, each with a value in [0, 1] or **unknown**:

- ``fit`` 契合: revenue share of the product that matches the segment (ChainKG 主营产品
  rel_weight, or the list's share); unknown when no share is published;
- ``on_list`` 名单: on the target list, by priority (1 → 1.0, 2 → 0.67, 3 → 0.33), else 0;
- ``link`` 以商招商: how many local segments its segments supply or buy from (3 or more → 1);
  1 for a parent or subsidiary of a firm already in the region (已在本地（关联企业）);
- ``scale`` 规模: its cited capacity/output relative to the largest candidate's figure of the
  same dimension in the segment; unknown without a cited figure (数据缺失);
- ``listed`` 上市: a listed company (1) or not (0).

Unknown is not zero: ``score = 100 × Σ(weight × value) / Σ(weight)`` over the components
known for that candidate, so scores stay comparable on 0–100, and each row says on how many
components it was scored (``scored_on`` of ``len(COMPONENTS)``, "按5项中的3项计分").

**Ordering rule** (one rule, used by every output — CLI, API, console, Excel/CSV — through
``order_key``): score descending; equal scores put target-list entries first, then the higher
list priority, then the firm id. List membership is a component of the score, never a bracket
of its own: a pool firm with a higher score ranks above a list firm.

>>> RankWeights().scale
50.0
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from graph import units
from graph.analysis.candidates import Candidate, gather_candidates
from graph.analysis.gaps import classify
from graph.analysis.status import GapRules, SegmentVerdict, Status, judge_segment
from graph.analysis.view import ChainView
from graph.errors import NotFound, closest
from graph.store import Store

CHAINKG_DATE = "ChainKG 2021年快照"  # the data date shown wherever the national pool is used
COMPONENTS = ("fit", "on_list", "link", "scale", "listed")
COMPONENT_LABELS = {
    "fit": "契合",
    "on_list": "名单",
    "link": "以商招商",
    "scale": "规模",
    "listed": "上市",
}
ORIGIN_LABELS = {"target_list": "名单", "graph": "图谱", "national": "全国池"}
MISSING = "数据缺失"


class RankWeights(BaseModel):
    """Component weights. Cited scale weighs most: it is the evidence of industry weight."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    fit: float = Field(10.0, ge=0, description="share of the firm's business in the segment")
    on_list: float = Field(20.0, ge=0, description="on the official target list, by priority")
    link: float = Field(10.0, ge=0, description="supplies or buys from local segments (以商招商)")
    scale: float = Field(50.0, ge=0, description="capacity relative to the largest candidate")
    listed: float = Field(10.0, ge=0, description="listed company")


class Component(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    label: str  # Chinese label: 契合 名单 以商招商 规模 上市
    value: float | None  # in [0, 1]; None = unknown (数据缺失), left out of the score
    weight: float
    points: float | None  # weight × value, to 2 decimals; None when unknown
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
    gap_kind: str = ""  # 补链/强链/延链 from the analysis at output time ("" when not a gap)
    origin: str  # "target_list" | "graph" | "national"
    origin_label: str = ""  # 名单 | 图谱 | 全国池
    on_list: bool
    status: str  # pipeline status on the list, "" otherwise
    lead: str = "新引进"  # 新引进 | 以商招商（关联企业）
    related: list[str] = Field(default_factory=list)  # local firms it owns/is owned by
    rationale: str
    product: str = ""  # the matching ChainKG product ("" when none)
    share: float | None = None  # its revenue share
    scale_figure: str = ""  # the cited figure behind ``scale`` (or 数据缺失)
    score: float  # 0–100 over the known components
    scored_on: int = 0  # how many components were known
    scored_note: str = ""  # 按5项中的3项计分
    components: list[Component]
    source: str
    year: int | None = None
    data_date: str = ""  # CHAINKG_DATE when a national-pool figure is used


@dataclass(frozen=True)
class Scored:
    """A candidate with its components and score, before any pydantic model is built."""

    candidate: Candidate
    parts: tuple[tuple[str, float | None, str], ...]  # (name, value or None, why)
    score: float
    scored_on: int
    scale_figure: str


def order_key(item: Scored) -> tuple[float, bool, int, str, str]:
    """The one ordering rule (see the module doc): score, list, priority, firm id."""
    entry = item.candidate.entry
    return (-item.score, entry is None, entry.priority if entry else 9, item.candidate.firm.id,
            item.candidate.segment)  # fmt: skip


def score(
    candidates: Iterable[Candidate], view: ChainView, weights: RankWeights | None = None
) -> list[Scored]:
    """Score and order candidates (pure: no store access)."""
    weights = weights or RankWeights()
    items = list(candidates)
    reference = _reference_figures(items)
    scored = [_score_one(c, weights, reference.get(c.segment)) for c in items]
    return sorted(scored, key=order_key)


def _figure(c: Candidate) -> tuple[float, str] | None:
    op = c.operation
    if op is None or op.capacity is None or not op.unit or not units.is_known(op.unit):
        return None
    return units.to_base(op.capacity, op.unit), units.dimension(op.unit)


def _reference_figures(items: list[Candidate]) -> dict[str, tuple[str, float]]:
    """Per segment: the dimension scale is compared in (the one most candidates have a figure
    in; ties by the latest figure year, then name) and the largest figure in it."""
    by_segment: dict[str, dict[str, list[tuple[float, int]]]] = {}
    for c in items:
        if (fig := _figure(c)) is not None:
            year = c.operation.capacity_year or c.operation.year or 0 if c.operation else 0
            by_segment.setdefault(c.segment, {}).setdefault(fig[1], []).append((fig[0], year))
    return {
        seg: max(((dim, max(v for v, _ in figs)) for dim, figs in dims.items()),
                 key=lambda d: (len(dims[d[0]]), max(y for _, y in dims[d[0]]), d[0]))
        for seg, dims in by_segment.items()
    }  # fmt: skip


def _score_one(c: Candidate, w: RankWeights, reference: tuple[str, float] | None) -> Scored:
    scale_value, figure = _scale(c, reference)
    priority = c.entry.priority if c.entry else None
    links = len(c.linked_segments)
    parts = (
        ("fit", _clamp(c.share), _fit_why(c)),
        ("on_list", (4 - priority) / 3 if priority else 0.0,
         f"在靶向名单上（优先级{priority}）" if priority else "尚未列入名单"),
        ("link", 1.0 if c.related else min(links / 3, 1.0),
         f"已在本地（关联企业）：{'、'.join(c.related)}" if c.related
         else f"与本地{links}个环节上下游相连" if links else "与本地环节无直接上下游关系"),
        ("scale", scale_value, figure),
        ("listed", 1.0 if c.firm.stock_code else 0.0,
         f"上市公司 {c.firm.stock_code}" if c.firm.stock_code else "非上市"),
    )  # fmt: skip
    known = [(getattr(w, n), v) for n, v, _ in parts if v is not None]
    total = sum(weight for weight, _ in known)
    value = 100 * sum(weight * v for weight, v in known) / total if total else 0.0
    return Scored(c, parts, round(value, 2), len(known), figure)


def _clamp(share: float | None) -> float | None:
    return None if share is None else min(max(share, 0.0), 1.0)


def _fit_why(c: Candidate) -> str:
    if c.share is None:
        return f"业务占比{MISSING}" + (f"（匹配产品「{c.product}」）" if c.product else "")
    product = f"「{c.product}」" if c.product else "该环节业务"
    return f"{product}占营收{c.share:.0%}"


def _scale(c: Candidate, reference: tuple[str, float] | None) -> tuple[float | None, str]:
    op, fig = c.operation, _figure(c)
    if op is None or fig is None:
        return None, f"规模{MISSING}"
    basis = op.basis or "产能"
    year = op.capacity_year or op.year
    cited = f"{basis} {op.capacity:g}{op.unit}（{year}年；来源：{op.capacity_source or op.source}）"
    if reference is None or fig[1] != reference[0] or not reference[1]:
        return None, f"{cited}；单位与本环节其他企业不可比，不计分"
    return fig[0] / reference[1], cited


def to_result(
    rank: int, s: Scored, view: ChainView, w: RankWeights, kinds: dict[str, str]
) -> RankedCandidate:
    """The row a user sees (built only for the rows returned)."""
    c, firm = s.candidate, s.candidate.firm
    parts = [
        Component(
            name=name,
            label=COMPONENT_LABELS[name],
            value=None if value is None else round(value, 4),
            weight=getattr(w, name),
            points=None if value is None else round(getattr(w, name) * value, 2),
            why=why,
        )
        for name, value, why in s.parts
    ]
    return RankedCandidate(
        rank=rank,
        firm=firm.id,
        name=firm.name,
        full_name=firm.full_name,
        stock_code=firm.stock_code,
        hq=f"{firm.hq_province}{firm.hq_city}",
        segment=c.segment,
        segment_name=view.segment(c.segment).name,
        gap_kind=kinds.get(c.segment, ""),
        origin=c.origin,
        origin_label=ORIGIN_LABELS[c.origin],
        on_list=c.entry is not None,
        status=c.entry.status.value if c.entry else "",
        lead="以商招商（关联企业）" if c.related else "新引进",
        related=list(c.related),
        rationale=c.entry.rationale if c.entry else c.pool_note,
        product=c.product,
        share=c.share,
        scale_figure=s.scale_figure,
        score=s.score,
        scored_on=s.scored_on,
        scored_note=f"按{len(COMPONENTS)}项中的{s.scored_on}项计分",
        components=parts,
        source=c.source,
        year=c.year,
        data_date=CHAINKG_DATE if c.product else "",
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

    Returns ``RankedCandidate`` rows ordered by ``order_key``; ``top`` keeps the N best per
    segment (one segment) or overall (whole chain). ``gap_kind`` is read from the analysis
    (``graph.analysis.gaps.classify``), never from the list's free text. Raises ``NotFound``
    for a segment not in the chain.
    """
    weights = weights or RankWeights()
    verdicts = verdicts or _LazyVerdicts(view)
    if segment_id is not None:
        if segment_id not in view.segments:
            raise NotFound("Segment", segment_id, closest(segment_id, view.segments))
        segments = [segment_id]
    else:
        segments = [s for s in sorted(view.segments) if verdicts[s].status != Status.PRESENT]
    kinds = {s: _gap_kind(view, verdicts, s) for s in segments}
    pool = [c for s in segments for c in gather_candidates(store, view, s)]
    ranked = score(pool, view, weights)
    ranked = ranked[:top] if top else ranked
    return [to_result(i, s, view, weights, kinds) for i, s in enumerate(ranked, 1)]


class _LazyVerdicts(dict[str, SegmentVerdict]):
    """Verdicts judged on first use: one segment's gap kind needs only its neighbourhood."""

    def __init__(self, view: ChainView) -> None:
        super().__init__()
        self.view, self.rules = view, GapRules()
        self.capacities: dict[str, tuple[float, str] | None] = {}

    def __missing__(self, key: str) -> SegmentVerdict:
        if key not in self.view.segments and key not in self.view.neighbours:
            raise KeyError(key)
        self[key] = judge_segment(self.view, key, self.rules, self.capacities)
        return self[key]

    def get(self, key: str, default: SegmentVerdict | None = None) -> SegmentVerdict | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


def _gap_kind(view: ChainView, verdicts: dict[str, SegmentVerdict], segment_id: str) -> str:
    kind, _ = classify(view, verdicts, segment_id)
    return kind.value if kind is not None else ""
