"""The web console's reading pages: overview, chain, segment, firm and search.

Server-rendered Chinese pages for officers who never call an API (templates in
api/console/templates). The pipeline forms and uploads are in ``console_work``, projects,
parks and the landing simulator in ``console_places``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.console import search as forgiving
from api.console import views
from api.console.render import chinese_message, html
from api.deps import CacheDep, RegionDep, RevisionCache, StoreDep
from api.errors import ErrorDetail
from api.routes import chains as chain_routes
from api.routes import firms as firm_routes
from api.routes import kpis as kpi_routes
from api.routes.analysis import analysed, gap_counts
from api.routes.ranking import ranked
from api.routes.views import firm_entries
from graph import Firm, NodeKind, Segment, Stage, Store
from graph.i18n import _

TABLE_ROWS = 50
ORIGINS = {"target_list": "靶向名单", "graph": "图谱企业", "national": "全国池（未列入名单）"}
COMPONENTS = {
    "fit": "契合",
    "on_list": "名单",
    "link": "以商招商",
    "scale": "规模",
    "listed": "上市",
}
Id = Annotated[str, Query(max_length=80)]

router = APIRouter(include_in_schema=False)


def render_error_page(request: Request, status: int, detail: ErrorDetail) -> HTMLResponse:
    """Console errors as a Chinese page (installed on ``app.state`` for the error handler)."""
    message = chinese_message(detail.message)
    if detail.id and detail.id == request.query_params.get("region"):
        pass  # the store's words list the loaded regions to choose from
    elif detail.code == "not_found" and detail.id:
        message = _("nothing is found at this link: check it, or use the search box above")
    elif status == 404:
        message = _("there is no such page: check the link, or go back to the overview")
    return html(
        request,
        "error.html",
        code=status,
        title="未找到" if status == 404 else "出错了",
        status=status,
        message=message,
        suggestions=[(s, suggestion_name(request, s)) for s in detail.suggestions],
        base=request.url.path.rsplit("/", 1)[0] + "/",
    )


def suggestion_name(request: Request, node_id: str) -> str:
    store = getattr(request.app.state, "store", None)
    node = store.find(node_id) if store is not None else None
    return node.name if node is not None else node_id


def names(store: Store, ids: set[str]) -> dict[str, str]:
    return {i: node.name for i in ids if (node := store.find(i)) is not None}


def region_names(store: Store) -> dict[str, str]:
    kinds = (NodeKind.REGION, NodeKind.PARK, NodeKind.CHAIN)
    return {n.id: n.name for kind in kinds for n in store.nodes(kind)}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: StoreDep, cache: CacheDep, region: RegionDep) -> HTMLResponse:
    summaries = cache.get(
        store, ("chains", region), lambda: chain_routes.chain_summaries(store, cache, region)
    )
    return html(
        request,
        "overview.html",
        title="总览",
        region_name=store.get(region).name,
        chains=summaries,
        kpis=kpi_routes.kpis(store),
    )


def by_stage(segments: list[Segment]) -> list[tuple[str, list[Segment]]]:
    grouped: dict[Stage, list[Segment]] = {stage: [] for stage in Stage}
    for seg in segments:
        grouped[seg.stage].append(seg)
    return [(stage.label, grouped[stage]) for stage in Stage if grouped[stage]]


@router.get("/chains/{chain_id}", response_class=HTMLResponse)
def chain_page(
    request: Request,
    chain_id: str,
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    segment: Id = "",
    province: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    priority: Annotated[str, Query(max_length=2)] = "",
    sort: Annotated[str, Query(max_length=20)] = "rank",
) -> HTMLResponse:
    result = analysed(store, cache, chain_id, region)
    candidates = ranked(store, cache, chain_id, region, None, None)
    segments = list(result.view.segments.values())
    maps = chain_routes.chain_maps(store, chain_id)
    main = views.main_map(maps, (s.id for s in store.chain_segments(chain_id)))
    table = views.TableQuery(segment, province, status, priority, sort)
    all_rows = cache.get(store, ("rows", chain_id, region), lambda: views.rows(store, candidates))
    shown = table.apply(all_rows)
    seg_names = {s.id: s.name for s in segments}
    return html(
        request,
        "chain.html",
        title=result.view.chain.name,
        chain=result.view.chain,
        score=result.completeness,
        main_map=main,
        other_maps=[m for m in maps if m is not main],
        stages=by_stage(segments),
        verdicts=result.verdicts,
        gaps=result.gaps,
        gap_counts=gap_counts(result.gaps),
        top=views.top_targets(candidates),
        per_segment=views.count_by_segment(candidates),
        rows=shown[:TABLE_ROWS],
        total=len(shown),
        table=table,
        choices=views.choices(all_rows, seg_names),
        base=f"/chains/{chain_id}",
        origins=ORIGINS,
        components=COMPONENTS,
        names=region_names(store),
    )


@router.get("/segments/{segment_id}", response_class=HTMLResponse)
def segment_page(
    request: Request, segment_id: str, store: StoreDep, cache: CacheDep, region: RegionDep
) -> HTMLResponse:
    segment = store.get(segment_id, NodeKind.SEGMENT)
    assert isinstance(segment, Segment)
    result = analysed(store, cache, segment.chain, region)
    verdict = result.verdicts.get(segment_id)
    gap = next((g for g in result.gaps if g.segment == segment_id), None)
    candidates = [
        c
        for c in ranked(store, cache, segment.chain, region, None, None)
        if c.segment == segment_id
    ]
    operations = store.operations([segment_id], region)
    ids = {op.src for op in operations} | set(verdict.upstream if verdict else ())
    ids |= set(verdict.downstream if verdict else ()) | {segment.chain, *segment.also_in}
    ids |= {op.site for op in operations if op.site}
    return html(
        request,
        "segment.html",
        title=segment.name,
        seg=segment,
        verdict=verdict,
        gap=gap,
        operations=operations,
        candidates=candidates[:TABLE_ROWS],
        entries={(t.src, t.dst): t for t in store.targets([segment_id])},
        names=names(store, ids) | region_names(store),
        origins=ORIGINS,
    )


@router.get("/firms/{firm_id}", response_class=HTMLResponse)
def firm_page(request: Request, firm_id: str, store: StoreDep, region: RegionDep) -> HTMLResponse:
    detail = firm_routes.firm_detail(firm_id, store, region)
    ids = {op.segment for op in detail.operations} | {n.of for n in detail.neighbourhood}
    ids |= {f for n in detail.neighbourhood for f in n.local_firms}
    entries = {t.dst: t for t in firm_entries(store, firm_id)}
    return html(
        request,
        "firm.html",
        title=detail.firm.name,
        d=detail,
        entries=entries,
        followups=store.followups(firm_id),
        segment_choices=list(
            dict.fromkeys(
                [(t.segment, t.segment_name) for t in detail.targets]
                + [(o.segment, o.segment_name) for o in detail.operations]
            )
        ),
        pipeline=views.PIPELINE,
        names=names(store, ids) | region_names(store),
    )


def search_index(store: Store, kind: NodeKind) -> list[forgiving.Entry]:
    items = []
    for node in store.nodes(kind):
        if isinstance(node, Firm):
            others = (node.full_name, *node.aliases, node.stock_code)
            items.append((node.id, node.name, others))
        elif isinstance(node, Segment):
            items.append((node.id, node.name, (*node.aliases, *node.keywords)))
    return forgiving.build_index(items)


def firms_of_segments(
    store: Store, region: str, ids: list[str], local: bool = False
) -> dict[str, list[str]]:
    """Segment id → the firms in it here (local operations first, then, unless ``local``,
    its target list)."""
    found: dict[str, list[str]] = {i: [] for i in ids}
    for op in store.operations(ids, region):
        found[op.dst].append(op.src)
    for t in [] if local else store.targets(ids):
        found[t.dst].append(t.src)
    return {i: list(dict.fromkeys(firms)) for i, firms in found.items()}


@dataclass(frozen=True)
class Hit:
    """A search result: id, name, score 0–100, and whether the query matched as written."""

    id: str
    name: str
    score: float
    exact: bool


def segment_hits(store: Store, cache: RevisionCache, q: str) -> list[Hit]:
    index = cache.get(store, "console-segs", lambda: search_index(store, NodeKind.SEGMENT))
    found = forgiving.search(index, q, 20)
    return [Hit(e.id, e.name, s, s >= forgiving.EXACT) for e, s in found]


def did_you_mean(hits: list[Hit]) -> str | None:
    """The best near miss, when nothing matched the query as written."""
    if not hits or any(h.exact for h in hits):
        return None
    return max(hits, key=lambda h: h.score).name


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    local: bool = False,
) -> HTMLResponse:
    found = store.search(q, 200) if q.strip() else []
    facts = [(firm_routes.firm_facts(store, h.firm), h) for h in found]
    if local:
        facts = [(f, h) for f, h in facts if region in f.regions]
    hits = [Hit(h.firm.id, h.firm.name, h.score, h.exact) for _, h in facts]
    firms = [
        (firm_routes.firm_summary(f, region), hit)
        for (f, _), hit in zip(facts[:TABLE_ROWS], hits, strict=False)
    ]
    seg_hits = segment_hits(store, cache, q) if q.strip() else []
    segments = [store.get(h.id) for h in seg_hits]
    seg_firms = firms_of_segments(store, region, [s.id for s in segments], local)
    ids = {s for f, _ in firms for s in (*f.segments, *f.targeted_for)}
    ids |= {s.chain for s in segments if isinstance(s, Segment)}
    ids |= {f for firms_ in seg_firms.values() for f in firms_}
    return html(
        request,
        "search.html",
        title="搜索",
        query=q,
        local=local,
        firms=firms,
        total=len(hits),
        segments=segments,
        seg_firms=seg_firms,
        suggestion=did_you_mean(hits + seg_hits),
        names=names(store, ids),
    )
