"""Forgiving search for the console: typos, pinyin (全拼 and 首字母), full-width forms, codes.

Names are normalised with Unicode NFKC (``ＴＣＬ`` → ``tcl``), spelled in pinyin with
``pypinyin`` (so a homophone typo such as 龙基 meets 隆基 as ``longji``) and compared with
``rapidfuzz`` for near misses (``longi``). A store that offers its own ``search`` (the SQLite
store's FTS5 index) is asked first; this index is the fallback for the others.

>>> [hit.name for hit, _ in search(build_index([("a", "隆基绿能", ("隆基股份",))]), "longji")]
['隆基绿能']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

EXACT, PINYIN, INITIALS = 100, 95, 90
NEAR = 85  # below this a fuzzy score is noise (longji vs tongji is 83)
PUNCTUATION = re.compile(r"[\s·•・.,，。、()（）\-_/]+")


@dataclass(frozen=True)
class Entry:
    """One searchable thing (a firm or a segment): its id, its display name, and its keys."""

    id: str
    name: str
    keys: tuple[str, ...]  # normalised names, aliases, codes
    spelled: tuple[str, ...]  # pinyin of the names, syllables run together
    initials: tuple[str, ...]


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    return PUNCTUATION.sub("", unicodedata.normalize("NFKC", text)).lower()


def spell(text: str) -> tuple[str, str]:
    """Pinyin of ``text`` (syllables run together) and its initials; Latin letters kept."""
    syllables = lazy_pinyin(text, errors="default")
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return normalise("".join(syllables)), normalise("".join(letters))


def entry(item_id: str, name: str, others: Iterable[str] = ()) -> Entry:
    names = [n for n in (name, *others) if n]
    spelled = [spell(n) for n in names]
    return Entry(
        id=item_id,
        name=name,
        keys=tuple(dict.fromkeys(normalise(n) for n in (*names, item_id))),
        spelled=tuple(dict.fromkeys(s for s, _ in spelled)),
        initials=tuple(dict.fromkeys(i for _, i in spelled)),
    )


def build_index(items: Iterable[tuple[str, str, Iterable[str]]]) -> list[Entry]:
    """Entries of ``(id, name, other names)`` triples."""
    return [entry(item_id, name, others) for item_id, name, others in items]


def _near(needle: str, keys: Iterable[str]) -> float:
    """Similarity of a query to the start of a key, or (lower) to any part of it."""
    best = 0.0
    for key in keys:
        prefix = max(
            fuzz.ratio(needle, key[:n]) for n in range(max(1, len(needle) - 1), len(needle) + 2)
        )
        best = max(best, prefix, 0.9 * fuzz.partial_ratio(needle, key))
    return best


def score(item: Entry, needle: str, spelled: str) -> float:
    """How well ``item`` answers the normalised query (0 = not at all)."""
    if any(needle in key for key in item.keys):
        return EXACT
    if spelled and any(spelled in s for s in item.spelled):
        return PINYIN
    if needle.isascii() and len(needle) >= 2 and any(i.startswith(needle) for i in item.initials):
        return INITIALS
    if len(needle) < 2:
        return 0
    near = _near(spelled, item.spelled) if len(spelled) >= 4 else 0.0
    near = max(near, _near(needle, item.keys))
    return near if near >= NEAR else 0


def search(index: list[Entry], query: str, limit: int = 50) -> list[tuple[Entry, float]]:
    """Entries matching ``query``, best first (then by name), with their scores."""
    needle = normalise(query)
    if not needle:
        return []
    spelled, _ = spell(query)
    hits = [(item, s) for item in index if (s := score(item, needle, spelled))]
    hits.sort(key=lambda hit: (-hit[1], hit[0].name))
    if hits and hits[0][1] >= INITIALS:  # a sure match: near misses would only be noise
        hits = [hit for hit in hits if hit[1] >= INITIALS]
    return hits[:limit]


def did_you_mean(hits: list[tuple[Entry, float]]) -> str | None:
    """The name to suggest when nothing matched the query as typed."""
    if not hits or hits[0][1] >= EXACT:
        return None
    return hits[0][0].name
