"""Firm search on the SQLite store: a bounded candidate set from indexes, ranked by
``graph.search.rank_hits`` (rapidfuzz) — never a scan of every firm.

Each query term is routed by length: terms of 3+ characters go to ``firm_fts`` (FTS5,
trigram tokenizer) as quoted phrases; 1–2 character terms go to ``firm_grams`` (the firm's
2-character grams, and each name's last character for a prefix query), because ``MATCH``
on a trigram table finds nothing for them and a ``LIKE '%…%'`` would read every row. A
Chinese query is also looked up by its pinyin (homophone typos such as 龙基 → 隆基), and when
that finds fewer hits than asked, by any of its trigrams ranked by FTS5's bm25 (other
typos), still with a ``LIMIT``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from graph.schema import Firm
from graph.search import FirmHit, SearchKeys, query_forms, rank_hits

CANDIDATES = 200  # rows read per index lookup: the most any query ranks
FUZZY_CANDIDATES = 100
MAX_GRAMS = 24


def quote(term: str) -> str:
    """An FTS5 phrase: the term in double quotes, inner quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def _term_rowids(db: sqlite3.Connection, term: str) -> set[int]:
    if len(term) >= 3:
        sql = "SELECT rowid FROM firm_fts WHERE firm_fts MATCH ? LIMIT ?"
        phrase = quote(term)
    else:
        sql = "SELECT rowid FROM firm_grams WHERE firm_grams MATCH ? LIMIT ?"
        phrase = quote(term) + ("*" if len(term) == 1 else "")
    return {r[0] for r in db.execute(sql, (phrase, CANDIDATES))}


def _direct(db: sqlite3.Connection, text: str) -> set[int]:
    """Firms containing every term of the query (AND over terms)."""
    found: set[int] | None = None
    for term in text.split():
        rowids = _term_rowids(db, term)
        found = rowids if found is None else found & rowids
    return found or set()


def _by_sound(db: sqlite3.Connection, spoken: str) -> set[int]:
    if len(spoken) < 3:
        return set()
    sql = "SELECT rowid FROM firm_fts WHERE pinyin MATCH ? LIMIT ?"
    return {r[0] for r in db.execute(sql, (quote(spoken), CANDIDATES))}


def _similar(db: sqlite3.Connection, text: str, spoken: str) -> set[int]:
    """Firms sharing a trigram with the query or its pinyin: a few per trigram, so a common
    trigram (合成企…) costs no more than a rare one (no bm25 ``ORDER BY rank`` over every
    match)."""
    grams = {text[i : i + 3] for i in range(len(text) - 2)}
    grams |= {spoken[i : i + 3] for i in range(len(spoken) - 2)}
    grams = {g for g in grams if g.strip()}
    sql = "SELECT rowid FROM firm_fts WHERE firm_fts MATCH ? LIMIT ?"
    each = max(10, FUZZY_CANDIDATES // max(1, len(grams)))
    return {r[0] for g in sorted(grams)[:MAX_GRAMS] for r in db.execute(sql, (quote(g), each))}


def _candidates(db: sqlite3.Connection, rowids: Iterable[int]) -> list[tuple[Firm, SearchKeys]]:
    wanted = sorted(set(rowids))
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = db.execute(
        "SELECT n.body, s.names, s.pinyin, s.initials, s.grams FROM firm_search s"
        f" JOIN nodes n ON n.id = s.id WHERE s.rowid IN ({marks})",
        wanted,
    )
    return [(Firm.model_validate_json(body), SearchKeys(*keys)) for body, *keys in rows]


def search_firms(db: sqlite3.Connection, query: str, limit: int) -> list[FirmHit]:
    """The best ``limit`` firms for ``query`` (empty for an empty query)."""
    text, spoken = query_forms(query)
    if not text or limit <= 0:
        return []
    rowids = _direct(db, text)
    hits = rank_hits(query, _candidates(db, rowids), limit)
    if any(h.exact for h in hits):
        return hits
    rowids |= _by_sound(db, spoken)  # nothing as written: what sounds the same (龙基 → 隆基)
    hits = rank_hits(query, _candidates(db, rowids), limit)
    if hits:
        return hits
    rowids |= _similar(db, text.replace(" ", ""), spoken)  # else what comes close
    return rank_hits(query, _candidates(db, rowids), limit)
