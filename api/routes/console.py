"""The web console: server-rendered Chinese pages for officers who never call an API.

No JavaScript, no external resources; Jinja2 autoescaping is on for every template, and a
Content-Security-Policy forbids scripts on console pages as a second line of defence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import CacheDep, RegionDep, SettingsDep, StoreDep
from api.errors import ErrorDetail
from api.models import FirmSummary, Page
from api.routes import chains as chain_routes
from api.routes import firms as firm_routes
from api.routes import kpis as kpi_routes
from api.routes.analysis import analysed
from api.routes.ranking import ranked
from api.routes.views import page
from graph import NodeKind, Segment, Stage, Store

TEMPLATES = Path(__file__).resolve().parents[1] / "console" / "templates"
CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; "
    "style-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
TABLE_ROWS = 50
ORIGINS = {"target_list": "靶向名单", "graph": "图谱企业", "national": "全国池（未列入名单）"}
COMPONENTS = {
    "fit": "契合",
    "on_list": "名单",
    "link": "以商招商",
    "scale": "规模",
    "listed": "上市",
}

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,  # every value user data puts into HTML is escaped
    undefined=jinja2.StrictUndefined,
)
router = APIRouter(include_in_schema=False)


def html(template: str, code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("query", "")
    body = environment.get_template(template).render(**context)
    return HTMLResponse(body, status_code=code, headers=SECURITY_HEADERS)


def render_error_page(request: Request, status: int, detail: ErrorDetail) -> HTMLResponse:
    """Console errors as a page (installed on ``app.state`` for the one error handler)."""
    base = request.url.path.rsplit("/", 1)[0] + "/"
    return html(
        "error.html",
        code=status,
        title="出错了",
        status=status,
        message=detail.message,
        suggestions=detail.suggestions,
        base=base,
    )


def names(store: Store, ids: set[str]) -> dict[str, str]:
    return {i: node.name for i in ids if (node := store.find(i)) is not None}


@router.get("/", response_class=HTMLResponse)
def overview(store: StoreDep, cache: CacheDep, region: RegionDep) -> HTMLResponse:
    summaries = cache.get(
        store, ("chains", region), lambda: chain_routes.chain_summaries(store, cache, region)
    )
    return html(
        "overview.html",
        title="总览",
        region_name=store.get(region).name,
        chains=summaries,
        kpis=kpi_routes.kpis(store),
    )


def by_stage(segments: list[Segment]) -> dict[Stage, list[Segment]]:
    grouped: dict[Stage, list[Segment]] = {stage: [] for stage in Stage}
    for seg in segments:
        grouped[seg.stage].append(seg)
    return grouped


@router.get("/chains/{chain_id}", response_class=HTMLResponse)
def chain_page(chain_id: str, store: StoreDep, cache: CacheDep, region: RegionDep) -> HTMLResponse:
    result = analysed(store, cache, chain_id, region)
    candidates = ranked(store, cache, chain_id, region, None, None)
    segments = list(result.view.segments.values())
    return html(
        "chain.html",
        title=result.view.chain.name,
        chain=result.view.chain,
        score=result.completeness,
        maps=chain_routes.chain_maps(store, chain_id),
        stages=[(stage, stage.label) for stage in Stage],
        by_stage=by_stage(segments),
        verdicts=result.verdicts,
        gaps=result.gaps,
        ranked=candidates[:TABLE_ROWS],
        more=len(candidates) > TABLE_ROWS,
        origins=ORIGINS,
        components=COMPONENTS,
    )


@router.get("/firms/{firm_id}", response_class=HTMLResponse)
def firm_page(firm_id: str, store: StoreDep, region: RegionDep) -> HTMLResponse:
    detail = firm_routes.firm_detail(firm_id, store, region)
    ids = {op.segment for op in detail.operations} | {n.of for n in detail.neighbourhood}
    ids |= {f for n in detail.neighbourhood for f in n.local_firms}
    return html("firm.html", title=detail.firm.name, d=detail, names=names(store, ids))


def matching_segments(store: Store, q: str) -> list[Segment]:
    needle = q.strip().lower()
    if not needle:
        return []
    segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
    return [s for s in segments if needle in "\n".join((s.name, *s.aliases)).lower()]


@router.get("/search", response_class=HTMLResponse)
def search_page(
    store: StoreDep,
    cache: CacheDep,
    settings: SettingsDep,
    region: RegionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    local: bool = False,
) -> HTMLResponse:
    only_local = True if local else None
    hits = cache.get(
        store,
        ("search", region, q, only_local),
        lambda: firm_routes.search_firms(store, region, q, local=only_local),
    )
    firms = page(Page[FirmSummary], hits, min(TABLE_ROWS, settings.max_page_size), 0)
    segments = matching_segments(store, q)
    ids = {s for f in firms.items for s in (*f.segments, *f.targeted_for)}
    ids |= {s.chain for s in segments}
    return html(
        "search.html",
        title="搜索",
        query=q,
        local=local,
        firms=firms,
        segments=segments,
        names=names(store, ids),
    )
