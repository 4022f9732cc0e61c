"""Who could be courted for a segment: one row per firm, from the list, the graph and the pool.

``gather_candidates`` merges three sources for one segment of one region:

1. the target list (靶向企业, ``TARGETED_FOR``);
2. other firms the graph knows to operate in the segment outside the region;
3. the national pool (ChainKG listed companies making a product the segment matches), kept
   only when the firm's Shenwan industry agrees with the industries of the firms already known
   for the segment (list, local and graph firms) — a nylon-chip maker (化学纤维) is no wafer
   maker although both sell "切片". With no known firm to learn from, the product match alone
   decides and the row says so.

One firm, one row: candidates are de-duplicated by stock code, normalised full name and short
name, and aliases (``identity_keys``); local firms (by the same keys) are never candidates.
A firm that is the parent or a subsidiary (``PARENT_OF``) of a firm already operating in the
region is marked ``related`` (已在本地（关联企业）): a 以商招商 expansion lead.

Cost follows the candidates: the store is read per candidate, never per national firm.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.analysis.view import ChainView
from graph.schema import Firm, NodeKind, OperatesIn, RelType, TargetedFor
from graph.store import Direction, Store

# Legal-form endings dropped before names are compared (longest first).
LEGAL_FORMS = (
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团",
)
_BRACKETS = re.compile(r"[()\[\]{}<>【】〔〕「」『』]")
_SPACES = re.compile(r"[\s\u3000]+")
# the list's note names the product its share is of: share = ChainKG rel_weight of 主营产品「X」
_NAMED_PRODUCT = re.compile(r"主营产品「([^」]+)」")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """A firm name in the form names are compared in: NFKC (full/half width), no spaces or
    brackets, no legal-form ending. ``normalise_name("天合光能（常州）股份有限公司")`` is
    ``"天合光能常州"``."""
    text = _BRACKETS.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", name)))
    for form in LEGAL_FORMS:
        if text.endswith(form) and len(text) > len(form):
            return text[: -len(form)]
    return text


def identity_keys(firm: Firm) -> set[str]:
    """Everything that identifies ``firm``: stock code, normalised names and aliases."""
    keys = {f"code:{firm.stock_code}"} if firm.stock_code else set()
    names = (firm.name, firm.full_name, *firm.aliases)
    return keys | {f"name:{n}" for n in map(normalise_name, names) if len(n) >= 2}


@dataclass(frozen=True)
class Candidate:
    """What we know of one firm for one segment before scoring."""

    firm: Firm
    segment: str
    origin: str  # "target_list" | "graph" | "national"
    entry: TargetedFor | None
    operation: OperatesIn | None
    share: float | None  # revenue share of the matching product (None: unknown)
    product: str  # the ChainKG product that matched the segment ("" when none)
    source: str
    year: int | None
    linked_segments: tuple[str, ...]
    related: tuple[str, ...] = ()  # local firms it is parent or subsidiary of
    pool_note: str = ""  # why the national pool kept it (industry agreement)


def gather_candidates(store: Store, view: ChainView, segment_id: str) -> list[Candidate]:
    """Every firm outside the region that could be courted for ``segment_id``, once each."""
    local_ids = set(view.local_firm_ids(segment_id))  # local elsewhere: an expansion lead
    local_keys = {
        k for f in local_ids if (firm := _firm(store, view, f)) for k in identity_keys(firm)
    }
    entries = {t.src: t for t in store.targets([segment_id])}
    ops = {
        o.src: o
        for o in store.operations([segment_id])
        if o.src not in local_ids and store.site_region(o.site) != view.region
    }
    present = {s for s in (*view.segments, *view.neighbours) if _present(view, s)}
    rows: dict[str, Candidate] = {}
    keys: dict[str, str] = {}  # identity key -> firm id of its row
    for firm_id in sorted(set(entries) | set(ops), key=lambda f: (f not in entries, f)):
        firm = _firm(store, view, firm_id)
        ids = identity_keys(firm) if firm else set()
        if firm is None or firm_id in local_ids or ids & (local_keys | set(keys)):
            continue  # a local firm, or the same firm as a row already taken (list first)
        entry, op = entries.get(firm_id), ops.get(firm_id)
        fact = entry or op
        assert fact is not None
        share = op.share if op else None
        named = _NAMED_PRODUCT.search(f"{entry.note if entry else ''} {op.note if op else ''}")
        product = named.group(1) if named and share is not None else ""
        rows[firm_id] = Candidate(
            firm, segment_id, "target_list" if entry else "graph", entry, op, share, product,
            fact.source, fact.year, (),
        )  # fmt: skip
        keys.update(dict.fromkeys(ids, firm_id))
    _add_pool(store, view, segment_id, rows, keys, local_keys)
    return [
        replace(c, linked_segments=_linked(store, view, c.firm.id, segment_id, present),
                related=_related(store, view, c.firm.id))
        for c in (rows[f] for f in sorted(rows))
    ]  # fmt: skip


def _add_pool(
    store: Store,
    view: ChainView,
    segment_id: str,
    rows: dict[str, Candidate],
    keys: dict[str, str],
    local_keys: set[str],
) -> None:
    """National-pool firms: the best-share matching product per firm, merged into an existing
    row of the same firm (its matching product then becomes that row's fit evidence)."""
    best: dict[str, tuple[float, str, str]] = {}
    for c in store.national_candidates([segment_id]):
        weight = c.weight if c.weight is not None and c.weight <= 1 else -1.0
        if c.firm not in best or weight > best[c.firm][0]:
            best[c.firm] = (weight, c.product.removeprefix("p:"), c.source)
    known = _known_industries(store, view, segment_id, rows) or {
        i for f, (w, _, _) in sorted(best.items()) if w >= CORE_SHARE for i in _industries(store, f)
    }  # nothing known: learn from the segment's core makers (the product is most of revenue)
    for firm_id, (weight, product, source) in sorted(best.items()):
        share = weight if weight >= 0 else None
        firm = _firm(store, view, firm_id)
        if firm is None:
            continue
        ids = identity_keys(firm)
        twin = rows.get(firm_id) or next((rows[keys[k]] for k in ids if k in keys), None)
        if twin is not None:  # the same firm: the list's own product share wins, if any
            if twin.share is None:
                rows[twin.firm.id] = replace(twin, product=product, share=share)
            continue
        if ids & local_keys or (share is not None and share < MIN_SHARE):
            continue  # a local firm, or a sideline (checked before any industry is read)
        verdict = pool_verdict(share, _industries(store, firm_id), known)
        if verdict is None or _sideline(store, view, firm_id, segment_id, share):
            continue
        rows[firm_id] = Candidate(
            firm, segment_id, "national", None, None, share, product, source, None, (),
            pool_note=verdict,
        )  # fmt: skip
        keys.update(dict.fromkeys(ids, firm_id))


MIN_SHARE = 0.05  # a matching product below 5 % of revenue is a sideline or a trade line
MAIN_SHARE = 0.3  # without an industry to compare, the product must be a main business
SIDELINE_RATIO = 3.0  # another chain segment's product this many times larger: a sideline
CORE_SHARE = 0.5  # a pool firm making mostly this product shows the segment's industry


def pool_verdict(share: float | None, own: set[str], known: set[str]) -> str | None:
    """Why a national-pool firm is kept (Chinese), or None when it is not a credible maker.

    ``share`` is the matching product's revenue share; ``own`` and ``known`` hold Shenwan
    level-2 industry names (the firm's, and those of the firms already known for the
    segment). Rules, in order: a product under ``MIN_SHARE`` of revenue is a sideline; a firm
    whose industry differs from every known firm's is another trade (化学纤维 for 切片);
    with nothing to compare, the product must be at least ``MAIN_SHARE`` of revenue."""
    if share is not None and share < MIN_SHARE:
        return None
    if known:
        if own & known:
            return f"行业与该环节已知企业一致（申万：{'、'.join(sorted(own & known))}）"
        return None  # another trade, or no industry record to show it is the same one
    if share is None or share < MAIN_SHARE:
        return None
    return f"按产品名匹配，且该产品占营收{share:.0%}（该环节无已知企业的行业可参照）"


def _sideline(
    store: Store, view: ChainView, firm_id: str, segment_id: str, share: float | None
) -> bool:
    """True when the firm's main line is another segment of the chain (an inverter maker's
    small 光伏组件 line is resale): a product matching another chain segment earns at least
    ``SIDELINE_RATIO`` times the matching product's share."""
    if share is None:
        return False
    chain = set(view.segments) - {segment_id}
    for made in store.neighbours(firm_id, RelType.MAKES, Direction.OUT):
        weight = getattr(made, "weight", None) or 0.0
        if weight <= 1 and weight >= SIDELINE_RATIO * share:
            matched = store.neighbours(made.dst, RelType.MATCHES, Direction.IN)
            if any(m.src in chain for m in matched):
                return True
    return False


def _known_industries(
    store: Store, view: ChainView, segment_id: str, rows: dict[str, Candidate]
) -> set[str]:
    firms = set(rows) | set(view.local_firm_ids(segment_id))
    return {i for f in sorted(firms) for i in _industries(store, f)}


def _industries(store: Store, firm_id: str) -> set[str]:
    """The firm's Shenwan industries one level above the finest (光伏设备, 化学纤维)."""
    found = set()
    for edge in store.neighbours(firm_id, RelType.IN_INDUSTRY, Direction.OUT):
        parents = store.neighbours(edge.dst, RelType.SUBINDUSTRY_OF, Direction.OUT)
        for industry in [p.dst for p in parents] or [edge.dst]:
            found.add(store.get(industry, NodeKind.INDUSTRY).name)
    return found


def _firm(store: Store, view: ChainView, firm_id: str) -> Firm | None:
    firm = view.firms.get(firm_id) or store.get(firm_id, NodeKind.FIRM)
    return firm if isinstance(firm, Firm) else None


def _present(view: ChainView, segment_id: str) -> bool:
    return bool(view.local_ops.get(segment_id)) or segment_id in view.capacities


def _linked(
    store: Store, view: ChainView, firm_id: str, segment_id: str, present: set[str]
) -> tuple[str, ...]:
    """Local segments next (by SUPPLIES) to any segment the firm is active in."""
    own = {segment_id} | {
        e.dst for e in store.neighbours(firm_id, RelType.OPERATES_IN, Direction.OUT)
    }
    linked = {n for s in own for n in (*view.upstream_of(s), *view.downstream_of(s))}
    return tuple(sorted(linked & present))


def _related(store: Store, view: ChainView, firm_id: str) -> tuple[str, ...]:
    """Names of firms operating in the region that ``firm_id`` owns or is owned by (or the
    firm itself, when it already operates in the region in another segment)."""
    names = ["本企业已在本地其他环节"] if _operates_in_region(store, view, firm_id) else []
    for direction in (Direction.OUT, Direction.IN):
        for edge in store.neighbours(firm_id, RelType.PARENT_OF, direction):
            other = edge.dst if direction == Direction.OUT else edge.src
            if _operates_in_region(store, view, other):
                firm = store.get(other, NodeKind.FIRM)
                names.append(f"{firm.name}（{getattr(edge, 'relation', '') or '关联'}）")
    return tuple(sorted(names))


def _operates_in_region(store: Store, view: ChainView, firm_id: str) -> bool:
    ops: Iterable[OperatesIn] = (
        e
        for e in store.neighbours(firm_id, RelType.OPERATES_IN, Direction.OUT)
        if isinstance(e, OperatesIn)
    )
    return any(op.site and store.site_region(op.site) == view.region for op in ops)
