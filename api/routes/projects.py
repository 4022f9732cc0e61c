"""``/api/projects``: 强链/补链/延链 projects, filtered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import PagingDep, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import Page, ProjectOut
from api.routes.views import page
from graph import Direction, NodeKind, Project, ProjectType, RelType, Store

router = APIRouter(prefix="/api/projects", tags=["projects"], responses=ERROR_RESPONSES)

IdQuery = Query(max_length=80)


def project_out(store: Store, project: Project) -> ProjectOut:
    fills = store.neighbours(project.id, RelType.FILLS, Direction.OUT)
    by = store.neighbours(project.id, RelType.BY, Direction.OUT)
    return ProjectOut(
        project=project, segments=[e.dst for e in fills], firm=by[0].dst if by else None
    )


def chain_of_segments(store: Store, chain_id: str) -> set[str]:
    store.get(chain_id, NodeKind.CHAIN)
    return {s.id for s in store.chain_segments(chain_id)}


@router.get("", summary="Projects by type, chain, segment, firm or park")
def list_projects(
    store: StoreDep,
    paging: PagingDep,
    type: Annotated[ProjectType | None, Query(description="强链 / 补链 / 延链")] = None,
    chain: Annotated[str | None, IdQuery] = None,
    segment: Annotated[str | None, IdQuery] = None,
    firm: Annotated[str | None, IdQuery] = None,
    park: Annotated[str | None, IdQuery] = None,
) -> Page[ProjectOut]:
    for node_id, kind in (
        (segment, NodeKind.SEGMENT),
        (firm, NodeKind.FIRM),
        (park, NodeKind.PARK),
    ):
        if node_id:
            store.get(node_id, kind)
    in_chain = chain_of_segments(store, chain) if chain else None
    projects = [
        project_out(store, p) for p in store.nodes(NodeKind.PROJECT) if isinstance(p, Project)
    ]
    hits = [
        p
        for p in projects
        if (type is None or p.project.type == type)
        and (in_chain is None or in_chain & set(p.segments))
        and (segment is None or segment in p.segments)
        and (firm is None or p.firm == firm)
        and (park is None or p.project.park == park)
    ]
    return page(Page[ProjectOut], hits, paging.limit, paging.offset)
