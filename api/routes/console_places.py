"""The console's projects and parks pages, and the landing simulator's result page.

Sums are given only as far as the data supports them: the investment total counts projects
with a stated figure, says how many have none, and splits the sum by certainty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.console.render import html
from api.deps import CacheDep, RegionDep, StoreDep
from api.routes.console import names, region_names
from api.routes.projects import project_out
from graph import Chain, NodeKind, OperatesIn, Park, Project, ProjectType, RelType, Store
from graph.analysis import simulate_landing

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Query(max_length=80)]


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    segments: list[str]
    chains: list[str]
    firm: str | None


def project_rows(store: Store) -> list[ProjectRow]:
    rows = []
    for p in store.nodes(NodeKind.PROJECT):
        if not isinstance(p, Project):
            continue
        out = project_out(store, p)
        chains = [getattr(store.find(s), "chain", "") for s in out.segments]
        rows.append(
            ProjectRow(p, out.segments, list(dict.fromkeys(c for c in chains if c)), out.firm)
        )
    return rows


def sums(rows: list[ProjectRow]) -> dict[str, Any]:
    """Investment total of the projects with a figure, by certainty, and how many lack one."""
    stated = [r.project for r in rows if r.project.investment is not None]
    by_certainty: dict[str, float] = {}
    for p in stated:
        key = str(p.certainty)
        by_certainty[key] = by_certainty.get(key, 0.0) + (p.investment or 0.0)
    return {
        "count": len(rows),
        "stated": len(stated),
        "total": round(sum(p.investment or 0.0 for p in stated), 2),
        "by_certainty": {k: round(v, 2) for k, v in sorted(by_certainty.items())},
    }


@router.get("/projects", response_class=HTMLResponse)
def projects_page(
    request: Request,
    store: StoreDep,
    type: Annotated[str, Query(max_length=4)] = "",
    chain: Id = "",
    park: Id = "",
) -> HTMLResponse:
    rows = project_rows(store)
    shown = [
        r
        for r in rows
        if (not type or r.project.type == type)
        and (not chain or chain in r.chains)
        and (not park or r.project.park == park)
    ]
    ids = {s for r in rows for s in r.segments} | {r.firm for r in rows if r.firm}
    return html(
        request,
        "projects.html",
        title="项目",
        rows=shown,
        sums=sums(shown),
        types=[t.value for t in ProjectType],
        chains=[(c.id, c.name) for c in store.nodes(NodeKind.CHAIN) if isinstance(c, Chain)],
        parks=[(p.id, p.name) for p in store.nodes(NodeKind.PARK)],
        chosen={"type": type, "chain": chain, "park": park},
        names=names(store, ids) | region_names(store),
    )


def park_firms(store: Store, park_id: str) -> list[OperatesIn]:
    return [
        op
        for op in store.edges(RelType.OPERATES_IN)
        if isinstance(op, OperatesIn) and op.site == park_id
    ]


@router.get("/parks", response_class=HTMLResponse)
def parks_page(request: Request, store: StoreDep) -> HTMLResponse:
    rows = project_rows(store)
    ops = [op for op in store.edges(RelType.OPERATES_IN) if isinstance(op, OperatesIn)]
    parks = []
    for park in store.nodes(NodeKind.PARK):
        assert isinstance(park, Park)
        mine = [r for r in rows if r.project.park == park.id]
        firms = {op.src for op in ops if op.site == park.id}
        parks.append((park, sums(mine), len(firms)))
    return html(request, "parks.html", title="园区", parks=parks, names=region_names(store))


@router.get("/parks/{park_id}", response_class=HTMLResponse)
def park_page(request: Request, park_id: str, store: StoreDep) -> HTMLResponse:
    park = store.get(park_id, NodeKind.PARK)
    rows = [r for r in project_rows(store) if r.project.park == park_id]
    ops = park_firms(store, park_id)
    ids = {op.src for op in ops} | {op.dst for op in ops} | {s for r in rows for s in r.segments}
    ids |= {r.firm for r in rows if r.firm}
    return html(
        request,
        "park.html",
        title=park.name,
        park=park,
        rows=rows,
        sums=sums(rows),
        ops=ops,
        names=names(store, ids) | region_names(store),
    )


@router.get("/simulate", response_class=HTMLResponse)
def simulate_page(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    region: RegionDep,
    firm: Id,
    segment: Id,
) -> HTMLResponse:
    key = ("simulate", firm, segment, region)
    result = cache.get(
        store, key, lambda: simulate_landing(store, firm, segment, region, cache.rules)
    )
    data = result.model_dump(mode="json")
    return html(
        request,
        "simulate.html",
        title="模拟落地",
        r=data,
        firm=firm,
        segment=segment,
        names=region_names(store),
    )
