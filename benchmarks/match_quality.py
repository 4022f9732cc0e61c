"""How well the Xining segments match ChainKG products: unmatched segments, suspicious matches.

Not a timing: a reproducible check of the matching rules (loaders/chainkg_match.py) on the real
data, written to its own section of BENCHMARKS.md; and the national pool's precision and recall
against the hand-labelled sample tests/data/national_labels.csv (section "pool-precision").

    python benchmarks/match_quality.py        # CHAINKG_DIR=... to point at another copy
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import SHARED_CHAINKG, XINING, command_line, table, write_section  # noqa: E402
from graph import Direction, MemoryStore, NodeKind, RelType, Segment  # noqa: E402
from loaders import load_dataset  # noqa: E402
from loaders.chainkg import load_chainkg  # noqa: E402
from loaders.chainkg_match import match_quality, matches_term, score_labels  # noqa: E402

CHAINKG = Path(os.environ.get("CHAINKG_DIR", SHARED_CHAINKG))
LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "national_labels.csv"

SHOWN = 6


def main() -> None:
    store = MemoryStore()
    load_dataset(XINING, store)
    data = load_chainkg(CHAINKG, store)
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
    _pool_precision(store)


def _pool_precision(store: MemoryStore) -> None:
    """Precision/recall of the ranking's national pool against the hand labels."""
    with LABELS.open(encoding="utf-8") as f:
        labels = list(csv.DictReader(f))
    r = score_labels(store, "xining", labels)
    segments = len({row["segment"] for row in labels})
    rows = [[r.tp, r.fp, r.fn, r.tn, f"{r.precision:.1%}", f"{r.recall:.1%}"]]
    body = (
        f"{len(labels)} segment–firm pairs labelled by hand (issue 13) across {segments} "
        f"segments of the six Xining chains, from ChainKG's product names, including hard "
        f"negatives (nylon 切片, relay makers' 太阳能玻璃, car dealers' 整车销售); a pair is "
        f"predicted positive when the ranking offers the firm for the segment (or it is "
        f"already local there).\n\n"
        + table(["TP", "FP", "FN", "TN", "precision", "recall"], rows)
        + "\n\nRemaining errors: "
        + "; ".join(sorted(r.mistakes, reverse=True)[:12])
        + ("…" if len(r.mistakes) > 12 else "")
        + POOL_NOTES
    )
    write_section("pool-precision", "National pool precision (hand-labelled sample)", body,
                  command_line())  # fmt: skip


POOL_NOTES = """

Rules (graph/analysis/candidates.py, loaders/chainkg_match.py): a keyword matching over 40
products that is not the segment's own name is dropped (系统集成, 结构件, 复合材料, 提取物); a
matching product under 5 % of the firm's revenue is a sideline; the firm's Shenwan level-2
industry must be one of the industries of the firms already known for the segment (list,
local, graph firms; or, with none, of pool firms making the product as most of revenue), else
the product must be at least 30 % of revenue; a firm whose product for another segment of the
chain earns 3× more is a reseller of this one. Recall is deliberately traded for precision:
a firm outside the known industries is not offered (e.g. 金冠股份's separators).
"""


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
