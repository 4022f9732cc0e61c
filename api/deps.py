"""Dependencies shared by the routes: the store, the settings, write access, a revision cache.

Handlers and dependencies are ``async def`` on purpose: the embedded store is not
thread-safe, and running everything on the event loop means a read never sees a half-applied
write. (A plain ``def`` dependency would also cost a thread-pool hop on every request.)
"""

from __future__ import annotations

import hmac
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.settings import Settings
from graph import NodeKind, Store

T = TypeVar("T")


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_cache(request: Request) -> RevisionCache:
    return request.app.state.cache


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


class RevisionCache:
    """Derived answers (analysis, indexes, rendered bytes) keyed by the store's revision.

    Every accepted write bumps ``store.revision``, which empties the cache, so a cached answer
    is never stale. Bounded so a crawler walking every URL cannot grow it without limit.
    """

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self.revision = -1
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        if store.revision != self.revision:
            self._entries.clear()
            self.revision = store.revision
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        value = compute()
        self._entries[key] = value
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return value


CacheDep = Annotated[RevisionCache, Depends(get_cache)]

_bearer = HTTPBearer(auto_error=False, description="the token set in CHAINKG_TOKEN")


async def require_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need ``Authorization: Bearer <CHAINKG_TOKEN>``; no token configured = no writes."""
    if settings.token is None or not settings.token.get_secret_value():
        raise ApiError(
            403,
            "writes_disabled",
            "写入功能未开启：请在服务器上设置 CHAINKG_TOKEN 后重启 (writes are disabled)",
        )
    given = credentials.credentials if credentials else ""
    expected = settings.token.get_secret_value()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        error = ApiError(
            401,
            "unauthorized",
            "缺少或错误的令牌：请在请求头加入 Authorization: Bearer <令牌>",
        )
        error.headers["WWW-Authenticate"] = "Bearer"
        raise error


WriteAccess = Depends(require_token)


RegionQuery = Annotated[
    str | None,
    Query(
        description="region id (default: the configured focus region)",
        pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$",
        max_length=80,
    ),
]


async def focus_region(store: StoreDep, settings: SettingsDep, region: RegionQuery = None) -> str:
    """The region a request analyses: ``?region=`` or the configured focus region."""
    chosen = region or settings.region
    store.get(chosen, NodeKind.REGION)  # NotFound (404 with suggestions) for a wrong id
    return chosen


RegionDep = Annotated[str, Depends(focus_region)]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def paging(
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=10_000, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")] = 0,
) -> Paging:
    """``?limit=&offset=``; the largest page is a setting (CHAINKG_MAX_PAGE_SIZE)."""
    if limit > settings.max_page_size:
        raise ApiError(
            422,
            "invalid_parameter",
            f"参数 limit 最大为 {settings.max_page_size}，请分页获取 (limit too large)",
            field="limit",
        )
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


def check_depth(settings: Settings, value: int, field: str) -> int:
    """Upstream/downstream depths are bounded by CHAINKG_MAX_DEPTH."""
    if value > settings.max_depth:
        raise ApiError(
            422,
            "invalid_parameter",
            f"参数 {field} 最大为 {settings.max_depth} (depth too large)",
            field=field,
        )
    return value
