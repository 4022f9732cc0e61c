"""``/api/kpis``: programme figures as published, beside the same figures counted in the graph."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.errors import ERROR_RESPONSES
from api.models import KpiReport, Measure
from graph import Kpi, NodeKind, Project, ProjectType, RelType, Store, TargetedFor, TargetStatus

router = APIRouter(prefix="/api/kpis", tags=["kpis"], responses=ERROR_RESPONSES)


def measured(store: Store) -> list[Measure]:
    """Counts an officer reports on: chains, maps, targets by pipeline stage, projects."""
    entries = [e for e in store.edges(RelType.TARGETED_FOR) if isinstance(e, TargetedFor)]
    projects = [p for p in store.nodes(NodeKind.PROJECT) if isinstance(p, Project)]
    figures = [
        Measure(id="chains", name="产业链", value=store.count(NodeKind.CHAIN), unit="条"),
        Measure(id="maps", name="招商图谱", value=store.count(NodeKind.MAP), unit="张"),
        Measure(id="target-firms", name="靶向企业", value=len({e.src for e in entries}), unit="家"),
    ]
    for status in TargetStatus:
        count = len({e.src for e in entries if e.status == status})
        figures.append(
            Measure(
                id=f"targets-{status.name.lower()}",
                name=f"靶向企业·{status.value}",
                value=count,
                unit="家",
            )
        )
    figures.append(Measure(id="projects", name="项目", value=len(projects), unit="个"))
    for kind in ProjectType:
        count = sum(1 for p in projects if p.type == kind)
        figures.append(
            Measure(
                id=f"projects-{kind.name.lower()}", name=f"{kind.value}项目", value=count, unit="个"
            )
        )
    invested = sum(p.investment or 0 for p in projects)
    rounded = any(p.approximate and p.investment for p in projects)
    figures.append(
        Measure(
            id="investment",
            name="项目总投资(已记录)",
            value=round(invested, 2),
            unit="亿元",
            approximate=rounded,
        )
    )
    return figures


@router.get("", summary="Programme KPIs: stated by sources, and counted in the graph")
def kpis(store: StoreDep) -> KpiReport:
    stated = [k for k in store.nodes(NodeKind.KPI) if isinstance(k, Kpi)]
    return KpiReport(stated=stated, measured=measured(store))
