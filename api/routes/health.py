"""``/health``: is the service up, which back end, how much is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import Health
from graph import NodeKind

router = APIRouter(tags=["health"], responses=ERROR_RESPONSES)


@router.get("/health", summary="Service status")
def health(store: StoreDep, settings: SettingsDep) -> Health:
    token = settings.token.get_secret_value() if settings.token else ""
    return Health(
        backend=settings.backend,
        revision=store.revision,
        chains=store.count(NodeKind.CHAIN),
        segments=store.count(NodeKind.SEGMENT),
        firms=store.count(NodeKind.FIRM),
        writes_enabled=bool(token),
    )
