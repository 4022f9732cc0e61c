"""Forgiving firm search, shared by every back end: the keys a firm is found by and the ranking.

A firm is indexed under its normalised names (NFKC, case-folded: ``ＴＣＬ`` → ``tcl``), its
stock code, the pinyin of its names (``longjilvneng``) and their initials (``ljln``), plus
two-character grams for short queries. A query finds what contains it in any of these; a
query in Chinese also finds names that sound the same (``龙基`` → ``longji`` → 隆基绿能).
Candidates are then ranked with ``rapidfuzz``; back ends only decide which (bounded) set of
candidates to rank, so every back end orders hits the same way.

>>> keys = search_keys(Firm(id="longi", name="隆基绿能", stock_code="601012.SH", source="s"))
>>> keys.pinyin, keys.initials
('longjilvneng', 'ljln')
>>> [h.firm.name for h in rank_hits("龙基", [(Firm(id="longi", name="隆基绿能", source="s"),
...                                          keys)], 5)]
['隆基绿能']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from graph.schema import Firm

SEPARATOR = "|"
MIN_SCORE = 60.0  # below this a fuzzy candidate is noise, not a "did you mean"
_HAN = re.compile(r"[\u3400-\u9fff]")
_RUNS = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
_NOT_KEY = re.compile(r"[\s|]+")


def normalise(text: str) -> str:
    """NFKC + case fold, inner spaces kept once: ``"ＴＣＬ 中环"`` → ``"tcl 中环"``."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def pinyin(text: str) -> tuple[str, str]:
    """``(full pinyin, initials)`` of the Chinese characters in ``text``, other characters
    kept as they are: ``"TCL中环"`` → ``("tclzhonghuan", "tclzh")``."""
    syllables = [s for run in _RUNS.findall(text) for s in _run_pinyin(run)]
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s)
    return _NOT_KEY.sub("", full.casefold()), _NOT_KEY.sub("", initials.casefold())


@lru_cache(maxsize=65536)
def _run_pinyin(run: str) -> tuple[str, ...]:
    """Syllables of a run of Chinese characters (pypinyin reads phrases, so 重庆 is chongqing),
    or the run itself when it is not Chinese; cached, as names share runs (…股份有限公司)."""
    if not _HAN.match(run):
        return tuple(run)
    return tuple(lazy_pinyin(run, style=Style.NORMAL, errors="default"))


@dataclass(frozen=True)
class SearchKeys:
    """What a firm is found by; every field is normalised and ``|``-separated."""

    names: str  # short name, full name, aliases, id, stock code (and its digits)
    pinyin: str
    initials: str
    grams: str  # space-separated 2-character grams (+ each name's last character)


def firm_names(firm: Firm) -> list[str]:
    """The firm's names, normalised, short name first, without repeats."""
    seen = [normalise(n) for n in (firm.name, firm.full_name, *firm.aliases) if n.strip()]
    return list(dict.fromkeys(seen))


def search_keys(firm: Firm) -> SearchKeys:
    names = firm_names(firm)
    code = normalise(firm.stock_code)
    ids = [normalise(firm.id), code, code.split(".")[0]] if code else [normalise(firm.id)]
    spoken = [pinyin(n) for n in names if _HAN.search(n)]
    grams = {g for n in names for g in _grams(n)}
    grams |= {g for _, initials in spoken for g in _grams(initials)}
    return SearchKeys(
        names=SEPARATOR.join(dict.fromkeys([*names, *ids])),
        pinyin=SEPARATOR.join(p for p, _ in spoken),
        initials=SEPARATOR.join(i for _, i in spoken),
        grams=" ".join(sorted(grams)),
    )


def _grams(text: str) -> list[str]:
    chars = [c for c in text if c.isalnum()]
    pairs = ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]
    return [*pairs, chars[-1]] if chars else []


def query_forms(query: str) -> tuple[str, str]:
    """The normalised query and its pinyin ('' when it has no Chinese character)."""
    text = normalise(query)
    return text, pinyin(text)[0] if _HAN.search(text) else ""


def matches_directly(query: str, keys: SearchKeys) -> bool:
    """True when the query (or its pinyin) is contained in a key of the firm."""
    text, spoken = query_forms(query)
    fields = (keys.names, keys.pinyin, keys.initials)
    return all(any(term in f for f in fields) for term in text.split()) or bool(
        spoken and spoken in keys.pinyin
    )


@dataclass(frozen=True)
class FirmHit:
    """One search result: the firm, a score 0–100 (100 = the query is a name or code) and
    ``exact`` False when it was found only by sound or similarity (a "did you mean")."""

    firm: Firm
    score: float
    exact: bool


def score(query: str, keys: SearchKeys) -> tuple[float, bool]:
    """How well the firm answers the query, and whether it contains the query as written."""
    text, spoken = query_forms(query)
    names = keys.names.split(SEPARATOR)
    if text in names:
        return 100.0, True
    latin_keys = [k for k in (*keys.pinyin.split(SEPARATOR), *keys.initials.split(SEPARATOR)) if k]
    contained = all(any(t in n for n in (*names, *latin_keys)) for t in text.split())
    as_written = max((fuzz.WRatio(text, n) for n in names), default=0.0)
    latin = max((fuzz.WRatio(text, k) for k in latin_keys), default=0.0)
    sound = fuzz.ratio(spoken, keys.pinyin.split(SEPARATOR)[0]) if spoken and keys.pinyin else 0.0
    best = float(max(as_written, latin, sound * 0.95))
    return (min(99.0, best + 10) if contained else best), contained


def rank_hits(
    query: str, candidates: Iterable[tuple[Firm, SearchKeys]], limit: int
) -> list[FirmHit]:
    """The best ``limit`` candidates for ``query``, best first (ties by firm id)."""
    hits = []
    for firm, keys in candidates:
        value, exact = score(query, keys)
        if exact or value >= MIN_SCORE:
            hits.append(FirmHit(firm, round(value, 1), exact))
    hits.sort(key=lambda h: (-h.score, h.firm.id))
    return hits[:limit]


def search_among(query: str, firms: Iterable[tuple[Firm, SearchKeys]], limit: int) -> list[FirmHit]:
    """Search by reading every firm given: the firms containing the query, or when none does,
    the closest ones. For small stores (the in-process test double); indexed back ends pick
    a bounded candidate set instead and call ``rank_hits``."""
    if not normalise(query):
        return []
    pool = list(firms)
    hits = rank_hits(query, [(f, k) for f, k in pool if matches_directly(query, k)], limit)
    return hits if any(h.exact for h in hits) else rank_hits(query, pool, limit)
