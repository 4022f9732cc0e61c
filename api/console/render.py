"""Rendering console pages: one Jinja2 environment (autoescaped), security headers, and the
filters that turn records into words an officer reads (certainty, sources, regions).

No JavaScript runs on console pages (the Content-Security-Policy forbids it): sorting and
filtering are links and GET forms, folding is ``<details>``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from api.console import session

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; "
    "style-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # pages carry the CSRF token of the session
}
CERTAINTY = {
    "verified": "已核实",
    "uncertain": "待核实",
    "low_reliability": "低可信",
    "reconstructed": "整理重建",
}
STATUS = {"present": "已有", "weak": "薄弱", "missing": "缺失"}
URL = re.compile(r"https?://[^\s;；,，)）]+")
# Known sources named in words rather than by their file names.
SOURCE_TITLES = (
    ("ChainKG", "ChainKG 上市公司数据集"),
    ("chainkg 据公开信息整理", "本项目据公开资料整理"),
)
# A URL, or a bare host name cited in running text ("（m.578011.com 2016-03-01）").
CITED = re.compile(URL.pattern + r"|\b(?:[A-Za-z0-9-]+\.)+(?:com|cn|net|org)\b")
ENGLISH_TAIL = re.compile(r"\s*\((?=[^()]*[A-Za-z])[^()]*\)\s*$")


def certainty(value: object) -> str:
    """``verified`` → 已核实 (and the other grades in words)."""
    return CERTAINTY.get(str(value), str(value))


def short_source(source: str) -> str:
    """A short title of a source: a known dataset's name, the first URL's domain, or the
    text up to the first separator (at most 24 characters)."""
    for needle, title in SOURCE_TITLES:
        if needle in source:
            return title
    if url := URL.search(source):
        return urlsplit(url.group()).netloc.removeprefix("www.")
    text = re.split(r"[;；(（]", source, maxsplit=1)[0].strip()
    return text if len(text) <= 24 else text[:23] + "…"


def source_link(source: str, year: int | None = None) -> Markup:
    """The source as a short link (or title) with the full text on hover, and its year."""
    if not source:
        return Markup("")
    short = short_source(source)
    when = f"，{year}年" if year else ""
    url = URL.search(source)
    if url:
        return Markup('<a class="src" href="{}" title="{}" rel="noopener">{}</a>{}').format(
            url.group(), source, short, when
        )
    return Markup('<span class="src" title="{}">{}</span>{}').format(source, short, when)


def chinese_message(message: str) -> str:
    """An error message without its trailing English detail in parentheses."""
    return ENGLISH_TAIL.sub("", message)


def clause(text: str, limit: int = 28) -> str:
    """The first clause of a sentence (up to a semicolon or bracket), cut at ``limit``
    characters without splitting a Latin word (brand names stay whole or go)."""
    first = re.split(r"[；;（(]", text, maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit]
    if re.match(r"[A-Za-z0-9]", first[limit]):
        cut = re.sub(r"[A-Za-z0-9.\-]+$", "", cut)
    return cut.rstrip() + "…"


def sourced(text: str) -> Markup:
    """A sentence with every URL (or bare host name) in it shown as its short domain, the
    full text on hover (``source_link``); the rest of the text escaped."""
    parts: list[str] = []
    last = 0
    for url in CITED.finditer(text):
        parts += [escape(text[last : url.start()]), source_link(url.group())]
        last = url.end()
    return Markup("").join([*parts, escape(text[last:])])


def number(value: float | int | None) -> str:
    return "—" if value is None else f"{value:g}"


environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,  # every value user data puts into HTML is escaped
    undefined=jinja2.StrictUndefined,
)
environment.filters.update(
    certainty=certainty,
    source=source_link,
    short_source=short_source,
    num=number,
    clause=clause,
    sourced=sourced,
)
environment.globals.update(STATUS=STATUS)


def html(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` for this request: the signed-in state and the CSRF token of the
    session are in every page's context (every form carries the token)."""
    context.setdefault("query", "")
    current = session.current(request)
    context.setdefault("signed_in", current is not None)
    context.setdefault("csrf", session.csrf_token(request, current) if current else "")
    context.setdefault("here", str(request.url.path))
    body = environment.get_template(template).render(**context)
    return HTMLResponse(body, status_code=code, headers=SECURITY_HEADERS)


def hidden_csrf(token: str) -> Markup:
    return Markup('<input type="hidden" name="csrf" value="{}">').format(escape(token))


environment.globals.update(hidden_csrf=hidden_csrf)
