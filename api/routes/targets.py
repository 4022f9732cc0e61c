"""``/api/targets``: the target list (靶向企业) and its pipeline status (writes need the token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import StoreDep, WriteAccess
from api.errors import ERROR_RESPONSES, WRITE_RESPONSES, ApiError
from api.models import StatusUpdate, TargetOut
from api.routes.views import target_out
from graph import Direction, NodeKind, RelType, TargetedFor, TargetStatus

router = APIRouter(prefix="/api/targets", tags=["targets"], responses=ERROR_RESPONSES)

PIPELINE = list(TargetStatus)  # 待接触 → 已接触 → 洽谈中 → 已签约 → 已落地
IdPath = Path(max_length=80)


def check_step(current: TargetStatus, update: StatusUpdate) -> None:
    """Forward along the pipeline (stages may be skipped); backwards only as a correction."""
    if PIPELINE.index(update.status) < PIPELINE.index(current) and not update.correction:
        raise ApiError(
            409,
            "backward_step",
            f"状态不能从“{current.value}”退回“{update.status.value}”；"
            "如为纠正录入错误，请设置 correction=true",
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
