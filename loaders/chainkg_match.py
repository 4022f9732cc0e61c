"""Link chain segments to ChainKG products: which products *are* what a segment makes.

A segment's terms are its keywords, name and aliases. A product matches a term when

- its name is the term (多晶硅), or the term plus a generic ending (多晶硅销售, 光伏玻璃业务);
- or, for terms of three or more characters, its name ends with the term after a short
  modifier (太阳能光伏玻璃, 单晶硅片 for 硅片 is *not* allowed: two-character terms are too
  easily the tail of something else — 组件 would take 汽车组件).

Chinese compounds put the head noun last, so 多晶硅切削液 (a cutting fluid) or 银浆印刷设备 is
never a match for 多晶硅 or 银浆, and a term never matches a product that merely contains one
of its characters (银浆 does not take 银 products). A matched product's ChainKG sub-classes
(产品小类) are added when they pass the same rule against the product's name (光伏玻璃 ->
太阳能光伏玻璃, but not 硅片 -> 硅片切割液, nor 牛肉 -> its 490 dishes): the relation is noisy.

>>> matches_term("光伏玻璃", "太阳能光伏玻璃"), matches_term("多晶硅", "多晶硅切削液")
(True, False)
>>> matches_term("银浆", "银"), matches_term("组件", "汽车组件"), matches_term("电缆", "电缆料")
(False, False, False)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from graph.national import NationalBuilder, NationalGraph, product_id
from graph.schema import Matches, NodeKind, RelType, Segment
from graph.store import Direction, Store

# Endings that leave the thing itself (not 材料/料: 电缆料 is a compound for cables).
GENERIC_ENDINGS = ("产品", "系列", "业务", "销售", "制品", "板块", "类")
MAX_MODIFIER = (
    6  # characters before the term: 太阳能 / 锂离子电池用 are modifiers, more is a phrase
)
MIN_HEAD_TERM = 3  # shorter terms match only exactly (or with a generic ending)
# Modifiers that make something else of the term (waste, equipment, another compound), and
# sentence fragments cut from annual reports (以PVC, 是乳制品, 用高质量工程塑料).
EXCLUDED_MODIFIER = re.compile(
    r"废|回收|二手|检测|设备|^[以是者用其及和与或等含为的]|^大多"
    r"|[氢亚过焦次偏]$"  # chemical prefixes make another compound: 氢氧化铝 is not 氧化铝
)
SUBCLASS_DEPTH = 2
GENERIC_TERM = 40  # a term matching more products than this is reported as too generic


def _core(name: str) -> str:
    for ending in GENERIC_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def matches_term(term: str, name: str) -> bool:
    """Whether product ``name`` is a kind of ``term`` (see the module doc for the rules)."""
    for candidate in dict.fromkeys((name, _core(name))):
        if candidate == term:
            return True
        if len(term) >= MIN_HEAD_TERM and candidate.endswith(term):
            modifier = candidate[: -len(term)]
            if len(modifier) <= MAX_MODIFIER and not EXCLUDED_MODIFIER.search(modifier):
                return True
    return False


def segment_terms(segment: Segment) -> list[str]:
    """Keywords first, then name and aliases; spaces removed, one-character terms dropped."""
    terms = (
        t.replace(" ", "").strip() for t in (*segment.keywords, segment.name, *segment.aliases)
    )
    return [t for t in dict.fromkeys(terms) if len(t) >= 2]


class _Names:
    """All product names in one string, so a term is searched at C speed, not per product."""

    def __init__(self, national: NationalGraph) -> None:
        self.text = "\n" + "\n".join(national.products.names) + "\n"

    def containing(self, term: str) -> set[str]:
        found, text, start = set(), self.text, 0
        while (at := text.find(term, start)) >= 0:
            begin, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
            found.add(text[begin:end])
            start = end
        return found


def national_from_store(store: Store) -> NationalGraph:
    """Products, sub-classes and makers as a ``NationalGraph``, read through any ``Store``
    (for re-matching after segments changed; the import itself matches what it reads)."""
    builder = NationalBuilder()
    for product in store.nodes(NodeKind.PRODUCT):
        builder.products.add(product.name)
    index = builder.products.index
    for edge in store.edges(RelType.SUBCLASS):
        builder.add(RelType.SUBCLASS, index[edge.src[2:]], index[edge.dst[2:]])
    for edge in store.edges(RelType.MAKES):
        weight = getattr(edge, "weight", 0.0)
        builder.add(RelType.MAKES, builder.firms.add(edge.src), index[edge.dst[2:]], weight)
    return builder.build()


def match_segments(segments: list[Segment], national: NationalGraph) -> list[Matches]:
    """MATCHES edges from each segment to the products (and sub-classes) it makes."""
    if not national.products.names:
        return []
    names = _Names(national)
    found: dict[tuple[str, str], Matches] = {}
    direct = [
        (segment.id, term, name)
        for segment in segments
        for term in segment_terms(segment)
        for name in sorted(n for n in names.containing(term) if matches_term(term, n))
    ]
    direct = _without_generic(direct, {s.id: s.name for s in segments})
    for seg, term, name in direct:
        _add(found, Matches(src=seg, dst=product_id(name), keyword=term))
    for seg, term, name in direct:  # after every direct match, so a direct one is never "via"
        _add_subclasses(found, seg, term, name, national)
    return [found[key] for key in sorted(found)]


def _without_generic(
    direct: list[tuple[str, str, str]], names: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Drop the matches of a keyword that names a whole field rather than the segment's
    product: over ``GENERIC_TERM`` products (系统集成 for 电站/应用, 结构件, 复合材料, 提取物).
    A term that *is* the segment's name stays (医疗器械 for 医疗器械)."""
    count: dict[tuple[str, str], int] = defaultdict(int)
    for seg, term, _ in direct:
        count[(seg, term)] += 1
    return [
        (seg, term, name)
        for seg, term, name in direct
        if count[(seg, term)] <= GENERIC_TERM or term == names[seg].replace(" ", "")
    ]


def _add(found: dict[tuple[str, str], Matches], match: Matches) -> None:
    found.setdefault((match.src, match.dst), match)


def _add_subclasses(
    found: dict[tuple[str, str], Matches], seg: str, term: str, name: str, national: NationalGraph
) -> None:
    frontier = [name]
    for _ in range(SUBCLASS_DEPTH):
        children = []
        for parent in frontier:
            for edge in national.neighbours(product_id(parent), RelType.SUBCLASS, Direction.OUT):
                child = edge.dst[2:]
                if matches_term(parent, child):
                    _add(found, Matches(src=seg, dst=edge.dst, keyword=term, via=edge.src))
                    children.append(child)
        frontier = children


# ------------------------------------------------------------------------------- quality


@dataclass
class SegmentMatch:
    segment: Segment
    direct: list[str] = field(default_factory=list)  # product ids matched by a term
    subclass: list[str] = field(default_factory=list)  # product ids added as 产品小类
    firms: int = 0
    flags: list[str] = field(default_factory=list)


def match_quality(
    segments: list[Segment], matches: list[Matches], national: NationalGraph
) -> list[SegmentMatch]:
    """Per segment: what matched, how many listed companies that yields, and what looks
    suspicious (a term matching very many products, a product claimed by another chain)."""
    by_segment = {s.id: SegmentMatch(s) for s in segments}
    names = _Names(national)
    chains_of: dict[str, set[str]] = defaultdict(set)
    for match in matches:
        entry = by_segment[match.src]
        (entry.subclass if match.via else entry.direct).append(match.dst)
        chains_of[match.dst].add(entry.segment.chain)
    for entry in by_segment.values():
        products = entry.direct + entry.subclass
        entry.firms = len({f for p in products for f, _ in national.makers(p)})
        entry.flags += [
            f"term {term!r} matches {n} products (too generic?)"
            + ("" if term == entry.segment.name else "; not used for matching")
            for term, n in _generic_terms(entry.segment, names)
        ]
        entry.flags += [
            f"{p[2:]} is also matched by chain {', '.join(sorted(others))}"
            for p in products
            if (others := chains_of[p] - {entry.segment.chain})
        ]
    return list(by_segment.values())


def _generic_terms(segment: Segment, names: _Names) -> list[tuple[str, int]]:
    """The segment's terms that match more than ``GENERIC_TERM`` products, with the count."""
    counts = (
        (term, sum(1 for n in names.containing(term) if matches_term(term, n)))
        for term in segment_terms(segment)
    )
    return [(term, n) for term, n in counts if n > GENERIC_TERM]


# ------------------------------------------------------------------ labelled-sample quality


@dataclass
class LabelScore:
    """Precision and recall of the national pool against hand labels (segment, stock code)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_labels(store: Store, region: str, labels: list[dict[str, str]]) -> LabelScore:
    """Compare hand labels (``segment``, ``stock_code``, ``label`` 1/0) with what the ranking
    offers: a pair is predicted positive when the firm is a candidate for the segment (any
    origin, de-duplicated as the ranking does) or already operates there in the region."""
    from graph.analysis import chain_view  # the ranking's own candidate rules
    from graph.analysis.candidates import gather_candidates

    by_code = {
        f.stock_code: f.id for f in store.nodes(NodeKind.FIRM) if getattr(f, "stock_code", "")
    }
    chain_of = {s.id: s.chain for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)}
    offered: dict[str, set[str]] = {}
    result = LabelScore()
    for row in labels:
        segment = row["segment"]
        if segment not in offered:
            view = chain_view(store, chain_of[segment], region)
            found = {c.firm.id for c in gather_candidates(store, view, segment)}
            offered[segment] = found | set(view.local_firm_ids(segment))
        predicted = by_code.get(row["stock_code"], "") in offered[segment]
        actual = row["label"] == "1"
        if predicted and actual:
            result.tp += 1
        elif predicted:
            result.fp += 1
            result.mistakes.append(f"FP {segment} {row['firm']}「{row['product']}」")
        elif actual:
            result.fn += 1
            result.mistakes.append(f"FN {segment} {row['firm']}「{row['product']}」")
        else:
            result.tn += 1
    return result
