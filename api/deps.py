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
from graph import Store
from graph.analysis import GapRules, RankWeights
from graph.datasets import choose_region
from graph.i18n import _, current_lang

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

    def __init__(
        self,
        max_entries: int = 512,
        rules: GapRules | None = None,
        weights: RankWeights | None = None,
    ) -> None:
        self.max_entries = max_entries
        self.rules = rules or GapRules()  # the settings every cached analysis was computed with
        self.weights = weights or RankWeights()
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
    """Writes need ``Authorization: Bearer <CHAINKG_TOKEN>``; no token configured = no writes.

    Upload routes declare no body parameter (they read the form themselves, after their
    dependencies), so this check runs before a single byte of the body is read."""
    if settings.token is None or not settings.token.get_secret_value():
        raise ApiError(
            403,
            "writes_disabled",
            _("writes are disabled: set CHAINKG_TOKEN on the server and restart"),
        )
    given = credentials.credentials if credentials else ""
    expected = settings.token.get_secret_value()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        error = ApiError(
            401,
            "unauthorized",
            _("missing or wrong token: send the header Authorization: Bearer <token>"),
        )
        error.headers["WWW-Authenticate"] = "Bearer"
        raise error


WriteAccess = Depends(require_token)


RegionQuery = Annotated[
    str | None,
    Query(
        description="region id (default: the region of the loaded dataset; CHAINKG_REGION "
        "overrides); a region that is not in the store is an error listing those that are",
        pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$",
        max_length=80,
    ),
]


async def focus_region(store: StoreDep, settings: SettingsDep, region: RegionQuery = None) -> str:
    """The region a request analyses: ``?region=``, else ``CHAINKG_REGION``, else the loaded
    dataset's own region (``graph.datasets.choose_region``: 404 listing the stored regions,
    404 ``no_dataset`` on an empty store, 422 when several are stored and none is chosen)."""
    return choose_region(store, region or settings.region)


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
            _("limit is at most {n}: fetch the rest page by page", n=settings.max_page_size),
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
            _("{field} is at most {n}", field=field, n=settings.max_depth),
            field=field,
        )
    return value


class CachedReads:
    """ASGI middleware: answers a repeated ``GET /api/...`` from the bytes of the last answer.

    Every API read is a function of its URL and the store, so a 200 answer stays valid until
    ``store.revision`` changes; then everything cached is dropped. This skips routing,
    parameter validation and serialisation on the hot path (e.g. the gap report).
    """

    def __init__(self, app: Any, max_entries: int = 1024, max_body: int = 2_000_000) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_body = max_body
        self.revision = -1
        self._answers: OrderedDict[tuple[str, bytes, str], tuple[list[Any], bytes]] = OrderedDict()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        store = getattr(scope.get("app").state, "store", None) if "app" in scope else None
        if (
            store is None
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        if store.revision != self.revision:
            self._answers.clear()
            self.revision = store.revision
        key = (scope["path"], scope.get("query_string", b""), current_lang.get())
        if key in self._answers:
            headers, body = self._answers[key]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, self._recorder(key, store.revision, send))

    def _recorder(self, key: tuple[str, bytes, str], revision: int, send: Any) -> Any:
        start: dict[str, Any] = {}

        async def record(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif (
                start.get("status") == 200
                and not message.get("more_body", False)
                and len(message.get("body", b"")) <= self.max_body
                and revision == self.revision
            ):
                self._answers[key] = (list(start.get("headers", [])), message.get("body", b""))
                if len(self._answers) > self.max_entries:
                    self._answers.popitem(last=False)
            await send(message)

        return record
