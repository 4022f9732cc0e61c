"""``/api/targets``: the target list (靶向企业) and its pipeline — status, 负责人, next contact
date, the append-only 跟进记录 — and the pipeline export (writes need the token)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field, ValidationError

from api.deps import StoreDep, WriteAccess
from api.errors import ERROR_RESPONSES, WRITE_RESPONSES, ApiError
from api.models import StatusUpdate, TargetOut
from api.pipeline_export import pipeline_csv, pipeline_xlsx
from api.routes.views import target_out
from graph import Direction, FollowUp, NodeKind, RelType, TargetedFor, TargetStatus
from graph.i18n import N_, _

router = APIRouter(prefix="/api/targets", tags=["targets"], responses=ERROR_RESPONSES)

PIPELINE = list(TargetStatus)  # 待接触 → 已接触 → 洽谈中 → 已签约 → 已落地
IdPath = Path(max_length=80)
T = TypeVar("T")
FIELD_MESSAGES = {
    "date": N_("write the date as YYYY-MM-DD, e.g. 2024-05-20"),
    "next_contact": N_(
        "write the next contact date as YYYY-MM-DD, e.g. 2024-05-20, or leave it empty"
    ),
    "owner": N_("the owner takes at most 40 characters"),
    "text": N_("the follow-up text must not be empty and takes at most 2000 characters"),
    "author": N_("the author takes at most 40 characters"),
    "status": N_("the status is one of 待接触, 已接触, 洽谈中, 已签约, 已落地"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanUpdate(BaseModel):
    """Set 负责人 and/or the next contact date; a field left out is kept, "" clears it."""

    owner: str | None = Field(None, max_length=40, description="负责人")
    next_contact: dt.date | None | str = Field(
        None, description="下次联系日期 YYYY-MM-DD, or '' to clear"
    )


class FollowUpIn(BaseModel):
    """One 跟进记录 to append."""

    date: dt.date = Field(description="day of the contact, YYYY-MM-DD")
    text: str = Field(min_length=1, max_length=2000)
    author: str = Field("", max_length=40)


def checked(write: Callable[[], T]) -> T:
    """Run a store write; a record that does not validate becomes a 422 naming the field."""
    try:
        return write()
    except ValidationError as e:
        field = str(e.errors()[0]["loc"][-1]) if e.errors() and e.errors()[0]["loc"] else ""
        message = _(FIELD_MESSAGES.get(field, N_("the input is not valid: check it and retry")))
        raise ApiError(422, "invalid_parameter", message, field=field or None) from None


def check_step(current: TargetStatus, update: StatusUpdate) -> None:
    """Forward along the pipeline (stages may be skipped); backwards only as a correction."""
    if PIPELINE.index(update.status) < PIPELINE.index(current) and not update.correction:
        raise ApiError(
            409,
            "backward_step",
            _(
                "the status cannot go back from {current} to {new}; to correct a mistake, "
                "tick the correction box (API: correction=true)",
                current=current.value,
                new=update.status.value,
            ),
            field="status",
        )


@router.put(
    "/{firm_id}/{segment_id}/status",
    summary="Move a target along 待接触 → 已接触 → 洽谈中 → 已签约 → 已落地",
    responses=WRITE_RESPONSES,
    dependencies=[WriteAccess],
)
def update_status(
    firm_id: Annotated[str, IdPath],
    segment_id: Annotated[str, IdPath],
    update: StatusUpdate,
    store: StoreDep,
) -> TargetOut:
    store.get(firm_id, NodeKind.FIRM)
    store.get(segment_id, NodeKind.SEGMENT)
    entries = store.neighbours(firm_id, RelType.TARGETED_FOR, Direction.OUT)
    current = next((e for e in entries if e.dst == segment_id), None)
    if isinstance(current, TargetedFor):
        check_step(current.status, update)
    updated = store.set_target_status(
        firm_id, segment_id, update.status, update.date.isoformat(), update.note
    )
    return target_out(store, updated)


@router.put(
    "/{firm_id}/{segment_id}/plan",
    summary="Set 负责人 (owner) and/or the next contact date of a target",
    responses=WRITE_RESPONSES,
    dependencies=[WriteAccess],
)
def update_plan(
    firm_id: Annotated[str, IdPath],
    segment_id: Annotated[str, IdPath],
    plan: PlanUpdate,
    store: StoreDep,
) -> TargetOut:
    when = plan.next_contact
    next_contact = when.isoformat() if isinstance(when, dt.date) else when
    updated = checked(lambda: store.set_target_plan(firm_id, segment_id, plan.owner, next_contact))
    return target_out(store, updated)


@router.post(
    "/{firm_id}/{segment_id}/followups",
    summary="Append a dated 跟进记录 to a target's follow-up log (append-only)",
    responses=WRITE_RESPONSES,
    dependencies=[WriteAccess],
    status_code=201,
)
def add_followup(
    firm_id: Annotated[str, IdPath],
    segment_id: Annotated[str, IdPath],
    entry: FollowUpIn,
    store: StoreDep,
) -> FollowUp:
    return checked(
        lambda: store.add_followup(
            firm_id, segment_id, entry.date.isoformat(), entry.text, entry.author
        )
    )


@router.get("/{firm_id}/{segment_id}/followups", summary="A target's follow-up log, oldest first")
def list_followups(
    firm_id: Annotated[str, IdPath], segment_id: Annotated[str, IdPath], store: StoreDep
) -> list[FollowUp]:
    store.get(firm_id, NodeKind.FIRM)
    store.get(segment_id, NodeKind.SEGMENT)
    return store.followups(firm_id, [segment_id])


def _download(body: bytes, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get(
    "/pipeline.xlsx",
    summary="Every target-list entry with status, 负责人, next contact and follow-ups (Excel)",
    response_class=Response,
)
def export_pipeline_xlsx(store: StoreDep) -> Response:
    return _download(pipeline_xlsx(store), XLSX, "pipeline.xlsx")


@router.get(
    "/pipeline.csv",
    summary="Every target-list entry with its pipeline fields (CSV, UTF-8 with BOM)",
    response_class=Response,
)
def export_pipeline_csv(store: StoreDep) -> Response:
    return _download(pipeline_csv(store), "text/csv; charset=utf-8", "pipeline.csv")
