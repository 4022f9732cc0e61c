"""The FastAPI application: factory, lifespan, offline docs.

``create_app(settings)`` builds the app; its lifespan opens the store named by the settings
and closes it on shutdown. It never loads data: ``chainkg serve`` does the quick start (and
says so), so a server never fills a store behind anyone's back. Tests
(and embedders) may pass an already open ``store`` instead; the app then never closes it.

>>> from graph import MemoryStore
>>> create_app(store=MemoryStore()).title
'chainkg'
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import errors
from api.backend import open_store
from api.deps import CachedReads, RevisionCache
from api.lang import LanguageMiddleware
from api.routes import ROUTERS
from api.routes.console import render_error_page
from api.settings import Settings
from graph import Store

log = logging.getLogger("chainkg.api")

STATIC = Path(__file__).parent / "static"
CONSOLE_STATIC = Path(__file__).parent / "console" / "static"
# A blank icon, so no browser asks for /favicon.ico from a CDN or logs a 404.
BLANK_ICON = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
DESCRIPTION = """产业链知识图谱 · 招商引资 (chainkg): chains, segments, gaps (补链/强链/延链),
ranked target firms (靶向企业), maps, projects and programme KPIs of a region.

Write requests (imports, target status) need `Authorization: Bearer <CHAINKG_TOKEN>`;
with no token configured the service is read-only. Errors share one shape: `{"error": {...}}`.
"""


def _lifespan(
    settings: Settings, given: Store | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = given if given is not None else open_store(settings)
        try:
            app.state.store = store
            yield
        finally:
            if given is None:
                store.close()

    return lifespan


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI from vendored assets (api/static/swagger), so /docs works offline."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/console/static", StaticFiles(directory=CONSOLE_STATIC), name="console-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="chainkg API 文档",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url=BLANK_ICON,
            swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0},
        )


def _limits_in_schema(app: FastAPI, settings: Settings) -> None:
    """The OpenAPI schema states the limits this server enforces (they are settings)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for param in operation.get("parameters", []):
                    if param.get("name") == "limit":
                        param["schema"]["maximum"] = settings.max_page_size
                    if param.get("name") in ("up", "down", "depth"):
                        param["schema"]["maximum"] = settings.max_depth
                body = operation.get("requestBody", {}).get("content", {})
                if "multipart/form-data" in body:
                    operation["description"] = (
                        f"{operation.get('description', '')}\n\nLimits: at most "
                        f"{settings.max_upload_bytes} bytes (413 beyond), read within "
                        f"{settings.upload_seconds:g} s."
                    ).strip()
                    operation["x-max-upload-bytes"] = settings.max_upload_bytes
        schema["info"]["x-limits"] = {
            "max_upload_bytes": settings.max_upload_bytes,
            "max_page_size": settings.max_page_size,
            "max_depth": settings.max_depth,
            "upload_seconds": settings.upload_seconds,
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The chainkg service; ``store`` (optional) is used as is and left open."""
    settings = settings or Settings()
    app = FastAPI(
        title="chainkg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_lifespan(settings, store),
        docs_url=None,
        redoc_url=None,  # ReDoc loads from a CDN; Swagger UI at /docs is served locally
    )
    app.state.settings = settings
    app.state.cache = RevisionCache(rules=settings.gap_rules(), weights=settings.rank_weights())
    app.state.render_error_page = render_error_page
    if store is not None:  # usable even when the lifespan is not run (e.g. schema fuzzing)
        app.state.store = store
    errors.install(app)
    app.add_middleware(errors.BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(CachedReads)
    app.add_middleware(LanguageMiddleware, default=settings.lang)
    _mount_docs(app)
    for router in ROUTERS:
        app.include_router(router)
    _limits_in_schema(app, settings)
    return app
