"""The one place where errors become HTTP responses.

Every error body has the same shape (``ErrorBody``): a machine ``code``, a ``message`` an
officer can act on (Chinese first, the precise English detail after it), and where relevant
the offending ``field``, the unknown ``id`` with ``suggestions``, or the dataset ``problems``
(file, line, field). Nothing ever returns a stack trace: unexpected errors are logged on the
server and answered with a short 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    BackendUnavailable,
    DatasetError,
    GraphError,
    InvalidRequest,
    NoDataset,
    NotFound,
    WriteRejected,
)
from graph.i18n import N_, _

log = logging.getLogger("chainkg.api")


class ProblemOut(BaseModel):
    """One problem of an imported file, located like the CLI's messages."""

    file: str
    line: int = Field(description="1-based line or CSV row (header = 1); 0 = whole file")
    field: str
    message: str
    text: str = Field(description="the problem as `chainkg validate` prints it")


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable kind, e.g. not_found, invalid_parameter")
    message: str = Field(description="what went wrong and what to do about it")
    field: str | None = Field(None, description="the request field at fault, if any")
    id: str | None = Field(None, description="the unknown id, for not_found")
    suggestions: list[str] = Field(default_factory=list, description="close existing ids")
    problems: list[ProblemOut] = Field(default_factory=list, description="dataset problems")


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An error raised by a route with its HTTP status already decided."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.detail = ErrorDetail(code=code, message=message, **extra)
        self.headers: dict[str, str] = {}


def error_response(
    status: int, detail: ErrorDetail, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(error=detail).model_dump(mode="json")
    return JSONResponse(body, status_code=status, headers=headers)


JSON_PREFIXES = ("/api/", "/health", "/openapi.json", "/static/")


def respond(
    request: Request, status: int, detail: ErrorDetail, headers: dict[str, str] | None = None
) -> Response:
    """JSON for API clients; the console's HTML error page for a browser on a console page."""
    render = getattr(request.app.state, "render_error_page", None)
    browser = "text/html" in request.headers.get("accept", "")
    if render and browser and not request.url.path.startswith(JSON_PREFIXES):
        return render(request, status, detail)
    return error_response(status, detail, headers)


# Documented on every route so clients (and the schema fuzzer) know the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {
        "model": ErrorBody,
        "description": "unknown id (with close matches), or no_dataset: nothing loaded yet",
    },
    413: {"model": ErrorBody, "description": "request body larger than the upload limit"},
    422: {"model": ErrorBody, "description": "invalid parameter (the field is named)"},
    500: {"model": ErrorBody, "description": "unexpected server error (no details leaked)"},
    503: {"model": ErrorBody, "description": "graph back end unavailable"},
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    400: {"model": ErrorBody, "description": "malformed body (e.g. broken multipart upload)"},
    401: {"model": ErrorBody, "description": "missing or wrong bearer token"},
    403: {"model": ErrorBody, "description": "writes are disabled (no token configured)"},
    409: {"model": ErrorBody, "description": "the write conflicts with what is stored"},
}

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def _field_of(loc: Sequence[Any]) -> str:
    """``('query', 'top')`` -> ``top``; body paths keep their dots (``body.status``)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts)


# Pydantic's own messages are English: each error type is said again through the catalogue,
# with its ``ctx`` values (Pydantic docs, "Customize error messages").
VALIDATION_MESSAGES = {
    "missing": N_("{field} is required"),
    "int_parsing": N_("{field} must be a whole number"),
    "int_type": N_("{field} must be a whole number"),
    "int_from_float": N_("{field} must be a whole number"),
    "float_parsing": N_("{field} must be a number"),
    "float_type": N_("{field} must be a number"),
    "bool_parsing": N_("{field} must be true or false"),
    "greater_than_equal": N_("{field} must be at least {ge}"),
    "greater_than": N_("{field} must be more than {gt}"),
    "less_than_equal": N_("{field} must be at most {le}"),
    "less_than": N_("{field} must be less than {lt}"),
    "string_too_long": N_("{field} must be at most {max_length} characters"),
    "string_too_short": N_("{field} must be at least {min_length} characters"),
    "string_pattern_mismatch": N_(
        "{field} may hold only lower-case latin letters, digits and - (an id such as pv-wafer)"
    ),
    "literal_error": N_("{field} must be one of: {expected}"),
    "enum": N_("{field} must be one of: {expected}"),
    "json_invalid": N_("the request body is not valid JSON"),
    "extra_forbidden": N_("{field} is not a known field"),
}
EXCERPT = 60  # characters of a user's value ever echoed back


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A short, single-line excerpt of a value a user sent (never the whole of it)."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validation_message(error: dict[str, Any]) -> str:
    """One Pydantic error in the request's language, naming the field."""
    fld = _field_of(error.get("loc", ())) or _("the request")
    template = VALIDATION_MESSAGES.get(str(error.get("type")))
    if template is None:
        return _("{field} is not valid", field=fld)
    ctx = {k: excerpt(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return _(template, field=fld, **ctx)
    except (KeyError, IndexError):
        return _("{field} is not valid", field=fld)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": ()}
    fld = _field_of(first.get("loc", ()))
    reasons = "；".join(validation_message(e) for e in errors[:5])
    detail = ErrorDetail(
        code="invalid_parameter",
        message=_("invalid request: {reasons}; see /docs", reasons=reasons),
        field=fld or None,
    )
    return respond(request, 422, detail)


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return respond(request, exc.status, exc.detail, exc.headers or None)


async def on_not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFound)
    detail = ErrorDetail(
        code="not_found", message=str(exc), id=excerpt(exc.node_id), suggestions=exc.suggestions
    )
    return respond(request, 404, detail)


async def on_no_dataset(request: Request, exc: Exception) -> Response:
    return respond(request, 404, ErrorDetail(code="no_dataset", message=str(exc)))


async def on_dataset_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DatasetError)
    problems = [ProblemOut(**vars(p), text=str(p)) for p in exc.problems]
    first = exc.problems[0] if exc.problems else None
    detail = ErrorDetail(
        code="dataset_invalid",
        message=_(
            "the upload has {n} problem(s); nothing was written: fix each and import again",
            n=len(problems),
        ),
        field=first.field if first else None,
        problems=problems,
    )
    return respond(request, 422, detail)


async def on_graph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphError)
    if isinstance(exc, InvalidRequest):
        return respond(request, 422, ErrorDetail(code="invalid_parameter", message=str(exc)))
    if isinstance(exc, WriteRejected):
        return respond(request, 409, ErrorDetail(code="write_rejected", message=str(exc)))
    if isinstance(exc, BackendUnavailable):
        log.error("back end unavailable: %s", exc)
        message = _("the graph database is unavailable: try again later or ask the administrator")
        return respond(request, 503, ErrorDetail(code="backend_unavailable", message=message))
    # e.g. a failed save: the log has the details (paths included), the answer none of them
    log.error("graph error on %s %s", request.method, request.url.path, exc_info=exc)
    message = _("the server could not complete the request; it is logged: try again later")
    return respond(request, 500, ErrorDetail(code="graph_error", message=message))


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "http_error")
    message = _("no such address: check the link") if exc.status_code == 404 else exc.detail
    detail = ErrorDetail(code=code, message=excerpt(message, 300))
    return respond(request, exc.status_code, detail, getattr(exc, "headers", None))


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    message = _("internal server error; it is logged: try again later or ask the administrator")
    return respond(request, 500, ErrorDetail(code="internal_error", message=message))


def install(app: FastAPI) -> None:
    """Route every error through the handlers above (most specific class wins)."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(DatasetError, on_dataset_error)
    app.add_exception_handler(NoDataset, on_no_dataset)
    app.add_exception_handler(GraphError, on_graph_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


class BodySizeLimit:
    """ASGI middleware: refuse bodies over ``max_bytes`` with 413, declared or streamed."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> StarletteHTTPException:
        limit = f"{self.max_bytes / 1_000_000:.1f} MB"
        message = _(
            "the upload is larger than the {limit} limit: split the file or raise "
            "CHAINKG_MAX_UPLOAD_BYTES",
            limit=limit,
        )
        return StarletteHTTPException(413, message)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            exc = self._too_large()
            response = error_response(413, ErrorDetail(code="too_large", message=exc.detail))
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Any:
            # A chunked body has no Content-Length: count what actually arrives.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise self._too_large()
            return message

        await self.app(scope, counted_receive, send)
