"""Response and request models of the API, where they differ from ``graph.schema``.

Records of the graph (``Chain``, ``Segment``, ``Firm``…) are returned as they are; the models
here add what a reader needs beside them (names next to ids, a firm's locality, paging).
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from graph.analysis import Coverage, EvidenceGrade, SegmentVerdict
from graph.schema import (
    Certainty,
    Chain,
    ChainMap,
    Firm,
    Kpi,
    LinkKind,
    Project,
    Segment,
    Supplies,
    TargetStatus,
    TargetStatusField,
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    total: int = Field(description="matches before paging")
    limit: int
    offset: int
    items: list[T]


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    backend: str
    revision: int = Field(description="increases on every accepted write")
    chains: int
    segments: int
    firms: int
    writes_enabled: bool


class ChainSummary(BaseModel):
    id: str
    name: str
    description: str
    segments: int
    maps: int
    local_firms: int = Field(description="firms operating in the chain in the region")
    target_firms: int = Field(description="firms on the target list for the chain")
    completeness: float | None = Field(
        None, ge=0, le=1, description="share of the chain's segments present in the region"
    )
    gaps: dict[str, int] = Field(
        default_factory=dict, description="gap count by kind 补链/强链/延链"
    )
    completeness_label: str = Field(
        "", description="the completeness figure to quote, the weighted one labelled (Chinese)"
    )


class ChainDetail(BaseModel):
    chain: Chain
    segments: list[Segment]
    links: list[Supplies] = Field(description="SUPPLIES edges touching the chain's segments")
    maps: list[ChainMap]


class Hop(BaseModel):
    """A segment reached from the origin by following SUPPLIES edges."""

    segment: Segment
    depth: int = Field(ge=1)
    via: str = Field(description="the segment one step closer to the origin")
    kind: LinkKind
    other_chain: bool = Field(description="the segment belongs to none of the origin's chains")


class OperationOut(BaseModel):
    firm: str
    firm_name: str
    segment: str
    segment_name: str
    site: str
    site_name: str
    region: str = Field(description="region of the site; '' for a national operation")
    local: bool = Field(description="the operation is sited in the requested region")
    capacity: float | None
    unit: str
    share: float | None
    source: str
    year: int | None
    certainty: Certainty


class TargetOut(BaseModel):
    firm: str
    firm_name: str
    segment: str
    segment_name: str
    priority: int
    rationale: str
    status: TargetStatus
    status_date: str
    status_note: str
    source: str
    year: int | None
    certainty: Certainty


class SegmentDetail(BaseModel):
    segment: Segment
    maps: list[str] = Field(description="ids of the maps showing the segment")
    upstream: list[Hop]
    downstream: list[Hop]
    local_operations: list[OperationOut]
    targets: list[TargetOut]


class FirmSummary(BaseModel):
    id: str
    name: str
    full_name: str
    aliases: list[str]
    stock_code: str
    hq_province: str
    hq_city: str
    local: bool = Field(description="operates at a site in the requested region")
    segments: list[str] = Field(description="segments the firm operates in")
    targeted_for: list[str] = Field(description="segments the firm is courted for")
    certainty: Certainty


class NeighbourSegment(BaseModel):
    segment: Segment
    relation: Literal["upstream", "downstream"]
    of: str = Field(description="the firm's own segment this one supplies or is supplied by")
    local_firms: list[str] = Field(description="firms operating this segment in the region")


class FirmDetail(BaseModel):
    firm: Firm
    local: bool
    operations: list[OperationOut]
    targets: list[TargetOut]
    projects: list[Project]
    neighbourhood: list[NeighbourSegment]


class ProjectOut(BaseModel):
    project: Project
    segments: list[str]
    firm: str | None


class Measure(BaseModel):
    """A figure counted from the graph itself (beside the KPIs stated by sources)."""

    id: str
    name: str
    value: float
    unit: str


class KpiReport(BaseModel):
    stated: list[Kpi] = Field(description="programme figures as published, with their source")
    measured: list[Measure] = Field(description="the same kind of figures counted in the graph")


class MapDetail(BaseModel):
    map: ChainMap
    segments: list[Segment]
    links: list[Supplies] = Field(description="SUPPLIES edges between segments of the map")


class StatusUpdate(BaseModel):
    """Move a target along 待接触 → 已接触 → 洽谈中 → 已签约 → 已落地."""

    status: TargetStatusField = Field(description="待接触/已接触/洽谈中/已签约/已落地 (or English)")
    date: dt.date = Field(description="day of the step, YYYY-MM-DD")
    note: str = Field("", max_length=500)
    correction: bool = Field(
        False, description="allow moving back along the pipeline (to correct a mistake)"
    )


class ImportResult(BaseModel):
    file: str
    nodes: int = Field(description="nodes written (new or updated)")
    edges: int = Field(description="relations written (new or updated)")
    revision: int
    mode: Literal["merge", "replace"] = Field("merge", description="how the upload was written")
    added: list[str] = Field(default_factory=list, description="ids of nodes added")
    changed: list[str] = Field(default_factory=list, description="ids of nodes changed")
    removed: list[str] = Field(default_factory=list, description="ids removed (replace mode)")
    edges_added: int = 0
    edges_changed: int = 0
    edges_removed: int = 0
    message: str = Field("", description="what changed, in words (the request's language)")


class SegmentStatusOut(BaseModel):
    """One segment's verdict as officers read it: status, rule, evidence grade, coverage."""

    segment: str
    name: str
    chain: str
    status: str = Field(description="present / weak / missing")
    status_label: str = Field(description="已有 / 薄弱 / 缺失")
    rule: str
    reason: str
    gap_kind: str | None = Field(None, description="补链 / 强链 / 延链; None when present")
    evidence_grade: EvidenceGrade
    evidence_grade_label: str = Field(description="已核实企业 / 仅官方统计 / 待核实 / 无本地数据")
    coverage: Coverage = Field(description="高 / 中 / 低: how well the data looked at it")
    coverage_label: str = Field(description="what was looked at, in one sentence")

    @classmethod
    def of(cls, verdict: SegmentVerdict, kind: str | None) -> SegmentStatusOut:
        return cls(
            segment=verdict.segment,
            name=verdict.name,
            chain=verdict.chain,
            status=verdict.status.value,
            status_label=verdict.status.label,
            rule=verdict.rule,
            reason=verdict.reason,
            gap_kind=kind,
            evidence_grade=verdict.evidence_grade,
            evidence_grade_label=verdict.evidence_grade_label,
            coverage=verdict.coverage,
            coverage_label=verdict.coverage_label,
        )
