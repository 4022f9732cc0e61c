"""Build a SQLite data file with the Xining dataset plus N synthetic firms (gen_scale.py).

python benchmarks/build_sqlite.py --firms 1000000 --out /tmp/scale/1m.sqlite
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import peak_rss_mib  # noqa: E402
from benchmarks.gen_scale import base_dataset, batches, layout  # noqa: E402
from graph import NodeKind, RelType, SqliteStore  # noqa: E402
from graph.schema import Segment  # noqa: E402
from loaders import load_dataset  # noqa: E402


def build(firms: int, out: Path, regions: int = 300, seed: int = 7) -> float:
    """Seconds to write the base dataset and ``firms`` synthetic firms into ``out``."""
    start = time.perf_counter()
    store = SqliteStore(out)
    try:
        load_dataset(base_dataset(), store)
        segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
        rng = random.Random(seed)
        for batch in batches(firms, layout(segments, regions, rng), rng):
            store.apply(batch)
        print(f"{store.count(NodeKind.FIRM):,} firms, {store.count(RelType.OPERATES_IN):,} ops")
    finally:
        store.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    seconds = build(args.firms, args.out)
    size = args.out.stat().st_size / 2**20
    rss = peak_rss_mib()
    print(f"built {args.out} in {seconds:.1f} s, {size:,.0f} MiB, peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
