"""Target ranking latency for a segment with the national candidate pool (ChainKG).

The store holds the Xining dataset plus the full ChainKG import; ``rank_targets`` ranks the
target list first, then the national pool ("not yet on the list").

    python benchmarks/bench_ranking.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import (  # noqa: E402
    SHARED_CHAINKG,
    XINING,
    command_line,
    latencies,
    percentile,
    table,
    write_section,
)
from graph import MemoryStore  # noqa: E402
from graph.analysis import chain_view, rank_targets  # noqa: E402
from loaders import load_dataset  # noqa: E402
from loaders.chainkg import load_chainkg  # noqa: E402

# (chain, segment): a small pool, the anode question of the issue, the largest pools
SEGMENTS = (
    ("pv", "pv-glass"),
    ("lithium", "lithium-anode"),
    ("lithium", "lithium-cell"),
    ("biomed", "biomed-medical-devices"),
    ("pv", "pv-power-plant"),
)
REPEAT = 50


def main() -> None:
    store = MemoryStore()
    load_dataset(XINING, store)
    load_chainkg(Path(os.environ.get("CHAINKG_DIR", SHARED_CHAINKG)), store)
    rows = []
    for chain, segment in SEGMENTS:
        view = chain_view(store, chain, "xining")
        pool = store.national_candidates([segment])
        ranked = rank_targets(store, view, segment)
        national = sum(1 for r in ranked if r.origin == "national")
        pool_times = latencies(lambda s=segment: store.national_candidates([s]), REPEAT)
        rank_times = latencies(lambda v=view, s=segment: rank_targets(store, v, s), REPEAT)
        rows.append(
            [
                segment,
                len(pool),
                f"{len(ranked)} ({national} not yet on the list)",
                f"{percentile(pool_times, 50) * 1e3:.2f} / {percentile(pool_times, 99) * 1e3:.2f}",
                f"{percentile(rank_times, 50) * 1e3:.2f} / {percentile(rank_times, 99) * 1e3:.2f}",
            ]
        )
        print(rows[-1], flush=True)
    headers = [
        "segment",
        "national pool",
        "ranked",
        "pool p50 / p99 ms",
        "rank_targets p50 / p99 ms",
    ]
    write_section(
        "ranking",
        "Target ranking with the national pool",
        table(headers, rows) + NOTES.format(repeat=REPEAT),
        command_line(),
    )


NOTES = """

Store: the Xining dataset plus the full ChainKG import, in memory. "pool" is
`Store.national_candidates([segment])` alone (MATCHES -> compact MAKES index); "rank_targets"
is the whole ranking for the segment (target list, other firms known in the segment, national
pool, each scored with its named components), for a view fetched once. {repeat} calls after
20 warm-up calls, wall clock. Since issue 13 the ranking also reads, per pool firm that passes
the 5 % share check, its Shenwan industry and (if kept) its other products, and builds the
output models only for the rows it returns; "ranked" counts the pool firms the precision rules
keep (no nylon 切片 for 切片, no 系统集成 firms for 电站).
"""


if __name__ == "__main__":
    main()
