"""Per-request language: ``?lang=``, then the ``lang`` cookie, then ``Accept-Language``.

Plain ASGI middleware, so it runs before routing, validation and every error handler: the
``ContextVar`` of ``graph.i18n`` is set for the whole request (each request runs in its own
context, so concurrent requests never see each other's language), and every answer says
which language it is in with ``Content-Language``. Chinese when nothing asks otherwise.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from graph.i18n import DEFAULT_LANG, current_lang, negotiate, normalise_lang

COOKIE = "lang"


def _cookie(headers: dict[bytes, bytes]) -> str | None:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _sep, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


def request_lang(scope: dict[str, Any], default: str = DEFAULT_LANG) -> str:
    """The language a request asks for (``zh`` or ``en``); ``default`` when it asks none."""
    headers = dict(scope.get("headers") or ())
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    return normalise_lang(query) or normalise_lang(_cookie(headers)) or negotiate(accept) or default


class LanguageMiddleware:
    """Set the request's language and answer with ``Content-Language``."""

    def __init__(self, app: Any, default: str = DEFAULT_LANG) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = request_lang(scope, self.default)
        token = current_lang.set(lang)

        async def send_with_language(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"content-language"]
                message = {**message, "headers": [*headers, (b"content-language", lang.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_language)
        finally:
            current_lang.reset(token)
