"""How well the Xining segments match ChainKG products: unmatched segments, suspicious matches.

Not a timing: a reproducible check of the matching rules (loaders/chainkg_match.py) on the real
data, written to its own section of BENCHMARKS.md.

    python benchmarks/match_quality.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import SHARED_CHAINKG, XINING, command_line, table, write_section  # noqa: E402
from graph import Direction, MemoryStore, NodeKind, RelType, Segment  # noqa: E402
from loaders import load_dataset  # noqa: E402
from loaders.chainkg import load_chainkg  # noqa: E402
from loaders.chainkg_match import match_quality, matches_term  # noqa: E402

SHOWN = 6


def main() -> None:
    store = MemoryStore()
    load_dataset(XINING, store)
    data = load_chainkg(SHARED_CHAINKG, store)
    segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
    matches = store.edges(RelType.MATCHES)
    quality = match_quality(segments, matches, data.national)  # type: ignore[arg-type]
    rows = []
    for q in sorted(quality, key=lambda q: (q.segment.chain, q.segment.id)):
        products = "、".join(p[2:] for p in q.direct[:SHOWN]) + (
            "…" if len(q.direct) > SHOWN else ""
        )
        flags = "; ".join(q.flags[:3]) + ("…" if len(q.flags) > 3 else "")
        rows.append(
            [
                q.segment.id,
                q.segment.name,
                len(q.direct),
                len(q.subclass),
                q.firms,
                products or "**no match**",
                flags,
            ]
        )
    unmatched = [q.segment.name for q in quality if not q.direct]
    flagged = sum(1 for q in quality if q.flags)
    summary = (
        f"{len(segments)} segments, {len(matches):,} MATCHES; "
        f"{len(segments) - len(unmatched)} matched, {len(unmatched)} without any product "
        f"({'、'.join(unmatched) or 'none'}); {flagged} with a flag.\n\n"
    )
    summary += _subclass_note(store, matches) + "\n\n"
    headers = [
        "segment",
        "name",
        "direct",
        "sub-class",
        "listed firms",
        "products (first)",
        "flags",
    ]
    body = summary + table(headers, rows) + NOTES
    write_section("match", "Segment ↔ product match quality (Xining)", body, command_line())


def _subclass_note(store: MemoryStore, matches: list) -> str:  # type: ignore[type-arg]
    """How ChainKG's 产品小类 edges leaving matched products fared under the head-noun rule."""
    kept, rejected = 0, []
    for product in sorted({m.dst for m in matches}):
        for edge in store.neighbours(product, RelType.SUBCLASS, Direction.OUT):
            if matches_term(product[2:], edge.dst[2:]):
                kept += 1
            else:
                rejected.append(f"{product[2:]}→{edge.dst[2:]}")
    examples = "、".join(rejected[:: max(1, len(rejected) // 8)][:8])
    return (
        f"ChainKG 产品小类 edges leaving the matched products: {kept:,} kept (each also a direct "
        f"match), {len(rejected):,} rejected by the same rule (another head noun, or a modifier "
        f"on a two-character name), e.g. {examples}."
    )


NOTES = """

Rules (loaders/chainkg_match.py): a segment's keywords, name and aliases match a product named
exactly so, or so plus a generic ending (业务, 销售, 系列, 产品…); terms of 3+ characters also
match after a modifier of at most 6 characters (太阳能光伏玻璃), never when the term is not the
head noun (多晶硅切削液), after 废/回收/设备/检测, or after a sentence fragment (以…, 是…).
ChainKG sub-classes (产品小类) of a matched product are added when they keep its head noun.
"Flags" are what a reviewer should look at: a term matching over 40 products (too generic)
or a product that segments of another chain also match.
"""


if __name__ == "__main__":
    main()
