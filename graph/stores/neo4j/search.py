"""Firm search on the Neo4j store: a bounded candidate set from the full-text index
``chainkg_firm_search`` (the search keys of ``graph.search.search_keys``, stored on each Firm
node as ``search_names``/``search_pinyin``/``search_initials``), ranked by
``graph.search.rank_hits`` like every other back end -- never a read of every firm.

The Lucene query is built from word characters only (no user text reaches the parser as
syntax). Each term of the normalised query is looked up as a phrase (Chinese is indexed per
character, so a phrase matches a substring), a Latin term also as a prefix (``longji*``,
``ljln*``), from three characters on as a fuzzy term (close spellings), and from four
on its prefix without the last character (``longi`` → ``long*``). A Chinese query is
also looked up by its pinyin (homophone typos: 龙基 → ``longji*`` → 隆基绿能) and by each of its
characters (other typos), ranked by Lucene and cut at ``CANDIDATES``.

>>> lucene_terms("ＴＣＬ 中环")
['"tcl"', 'tcl*', 'tcl~', '"中环"', 'tclzhonghuan*', '中', '环']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graph.schema import Firm
from graph.search import FirmHit, matches_directly, normalise, query_forms, rank_hits, search_keys

CANDIDATES = 200  # firms read from the index per query: the most a query ranks
MAX_TERMS = 24
_WORD = re.compile(r"\w+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def lucene_terms(query: str) -> list[str]:
    """The Lucene clauses (OR-ed) for ``query``; ``[]`` when it has no word character."""
    text, spoken = query_forms(query)
    words = _WORD.findall(text)
    clauses: list[str] = []
    for word in words:
        clauses.append(f'"{word}"')
        if word.isascii():
            clauses.append(f"{word}*")
            if len(word) >= 3:
                clauses.append(f"{word}~")
            if len(word) >= 4:  # a typo at the end of a word read as a prefix (longi → long*)
                clauses.append(f"{word[:-1]}*")
    if spoken:
        clauses.extend(f"{w}*" for w in _WORD.findall(spoken) if w.isascii())
    clauses.extend(dict.fromkeys(c for c in text if _HAN.match(c)))
    return list(dict.fromkeys(clauses))[:MAX_TERMS]


def search_firms(
    read: Callable[[str], list[dict[str, Any]]],
    to_firm: Callable[[dict[str, Any]], Firm],
    query: str,
    limit: int,
) -> list[FirmHit]:
    """The best ``limit`` hits for ``query``: ``read(lucene_query)`` returns index rows with
    ``props``; firms containing the query win, else the closest ("did you mean")."""
    terms = lucene_terms(query)
    if not normalise(query) or not terms or limit <= 0:
        return []
    firms = [to_firm(row["props"]) for row in read(" OR ".join(terms))]
    pool = [(f, search_keys(f)) for f in firms]
    direct = rank_hits(query, [(f, k) for f, k in pool if matches_directly(query, k)], limit)
    return direct if any(h.exact for h in direct) else rank_hits(query, pool, limit)
