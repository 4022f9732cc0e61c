"""Console sign-in: the write token, typed once into a form, becomes a session cookie.

The cookie is ``<issued>.<nonce>.<signature>``, signed with HMAC-SHA256 keyed by the write
token (so changing CHAINKG_TOKEN signs everybody out), HttpOnly, SameSite=Strict, and expires
after ``MAX_AGE`` seconds. Every console form carries a CSRF token derived from the session
(HMAC of the session value), checked on the server before anything is written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from fastapi import Request
from fastapi.responses import Response

from api.errors import ApiError
from api.settings import Settings
from graph.i18n import _

COOKIE = "chainkg_session"
MAX_AGE = 12 * 3600  # a working day


def _key(settings: Settings) -> bytes | None:
    token = settings.token.get_secret_value() if settings.token else ""
    return token.encode() if token else None


def _sign(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def token_matches(settings: Settings, given: str) -> bool:
    """True when ``given`` is the configured write token (constant-time comparison)."""
    key = _key(settings)
    return key is not None and hmac.compare_digest(given.encode(), key)


def new_session(settings: Settings, now: float | None = None) -> str:
    key = _key(settings)
    assert key is not None, "sign-in needs a configured token"
    payload = f"{int(now if now is not None else time.time())}.{secrets.token_urlsafe(16)}"
    return f"{payload}.{_sign(key, 'session', payload)}"


def is_valid(settings: Settings, value: str, now: float | None = None) -> bool:
    """A session value signed with the current token and not expired."""
    key = _key(settings)
    issued, _, rest = value.partition(".")
    nonce, _, signature = rest.partition(".")
    if key is None or not issued.isdigit() or not nonce or not signature:
        return False
    age = (now if now is not None else time.time()) - int(issued)
    expected = _sign(key, "session", f"{issued}.{nonce}")
    return 0 <= age <= MAX_AGE and hmac.compare_digest(signature, expected)


def current(request: Request) -> str | None:
    """The request's valid session value, or None when not signed in."""
    value = request.cookies.get(COOKIE, "")
    settings: Settings = request.app.state.settings
    return value if value and is_valid(settings, value) else None


def csrf_token(request: Request, session_value: str) -> str:
    key = _key(request.app.state.settings)
    return _sign(key, "csrf", session_value) if key else ""


def require(request: Request, csrf: str) -> None:
    """Refuse a console write without a valid session (401) or with a wrong CSRF token (403)."""
    value = current(request)
    if value is None:
        raise ApiError(
            401, "not_signed_in", _("sign in (with the write token) before changing data")
        )
    if not hmac.compare_digest(csrf.encode(), csrf_token(request, value).encode()):
        raise ApiError(
            403,
            "csrf",
            _("the form has expired or did not come from this site: reload the page and retry"),
        )


def set_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
