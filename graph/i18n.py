"""The message catalogue: Chinese by default, English on request.

Every message a user sees is written in code as an English msgid through ``_()`` and
translated from the PO files in ``graph/locale/<lang>/LC_MESSAGES/`` (``chainkg.po`` plus one
file per area, read with Babel and merged; no compiled ``.mo`` to go stale). The language is a
``ContextVar``: the CLI sets it from ``--lang``/``CHAINKG_LANG``, the API per request from
``?lang=``, a cookie or
``Accept-Language`` (primary subtag only: ``zh-CN``, ``zh-Hans`` and ``zh`` are all ``zh``).
Never from ``LANG``: servers run with ``C`` and would silently turn English into the default.

>>> with use_lang("en"):
...     _("unknown {kind} id {id!r}", kind="segment", id="x")
"unknown segment id 'x'"

Placeholders are ``str.format`` fields, filled after translation, so a translation may move
them. ``N_()`` marks a msgid for extraction where it is translated later (module constants).
Extraction: ``pybabel extract -k _ -k N_ -o chainkg.pot graph api loaders viz`` then
``pybabel update -i chainkg.pot -d graph/locale -D chainkg``; ``tests/test_i18n.py`` fails on
an msgid used in code that the ``zh`` catalogue lacks, leaves empty or marks fuzzy.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "chainkg"

current_lang: ContextVar[str] = ContextVar("chainkg_lang", default=DEFAULT_LANG)


@functools.cache
def _catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for ``lang`` (empty and fuzzy entries left out, so they fall back
    to the msgid and the catalogue test reports them)."""
    from babel.messages.pofile import read_po

    merged: dict[str, str] = {}
    for path in catalogue_files(lang):
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        merged.update(
            (str(m.id), str(m.string))
            for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
        )
    return merged


def catalogue_files(lang: str) -> list[Path]:
    """The PO files of ``lang``: ``chainkg.po`` and one per area (``loaders.po``, ``api.po``,
    ``console.po`` …), read together, so areas can grow their messages independently."""
    return sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))


def gettext(msgid: str, lang: str | None = None) -> str:
    """The translation of ``msgid`` into ``lang`` (default: the current language)."""
    return _catalogue(lang or current_lang.get()).get(msgid, msgid)


def _(msgid: str, /, **params: Any) -> str:
    """Translate ``msgid`` into the current language, then fill its ``{placeholders}``."""
    text = gettext(msgid)
    return text.format(**params) if params else text


def N_(msgid: str, /) -> str:
    """Mark ``msgid`` for extraction without translating it now (translate with ``_`` later)."""
    return msgid


def normalise_lang(value: str | None) -> str | None:
    """``'zh-CN'``/``'zh_Hans'``/``'ZH'`` -> ``'zh'``; ``'en-GB'`` -> ``'en'``; else None."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGS else None


def negotiate(accept_language: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header, by q-value order.

    >>> negotiate("zh-Hans,en;q=0.8"), negotiate("fr, en-GB;q=0.7"), negotiate("fr")
    ('zh', 'en', None)
    """
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        tag, _sep, rest = part.strip().partition(";")
        q = 1.0
        if rest.strip().startswith("q="):
            try:
                q = float(rest.strip()[2:])
            except ValueError:
                q = 0.0
        lang = normalise_lang(tag)
        if lang and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else None


@contextmanager
def use_lang(lang: str | None) -> Iterator[str]:
    """Run a block in ``lang`` (normalised; the default language when unknown)."""
    chosen = normalise_lang(lang) or DEFAULT_LANG
    token = current_lang.set(chosen)
    try:
        yield chosen
    finally:
        current_lang.reset(token)


def set_lang(lang: str | None) -> str:
    """Set the language for the rest of this context (the CLI's ``--lang``); returns it."""
    chosen = normalise_lang(lang) or DEFAULT_LANG
    current_lang.set(chosen)
    return chosen
