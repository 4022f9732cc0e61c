"""How long validating and loading a curated dataset takes as the firm tables grow.

Generates synthetic datasets (clearly fake ids, written to a temporary directory, never
committed) shaped like the Xining one: 6 chains of 20 segments, 10 parks, and N rows in each
of local_firms.csv and targets.csv. Also times the real data/xining when present.

    python benchmarks/bench_loader.py            # sizes 1000 10000 50000
    python benchmarks/bench_loader.py 2000       # one size
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from graph import DatasetError, MemoryStore
from loaders import load_dataset, read_dataset

ROOT = Path(__file__).resolve().parents[1]
CHAINS, SEGMENTS, PARKS = 6, 20, 10
SOURCE = "synthetic benchmark data"


def write_dataset(root: Path, rows: int, broken_every: int = 0) -> Path:
    """A synthetic dataset with ``rows`` local rows and ``rows`` target rows; with
    ``broken_every``, every so many local rows name an unknown segment."""
    (root / "chains").mkdir(parents=True)
    (root / "dataset.yaml").write_text("name: bench\nregion: r\n", encoding="utf-8")
    parks = "\n".join(
        f"  - {{id: p{i}, name: 园区{i}, region: r, source: s, year: 2024}}" for i in range(PARKS)
    )
    (root / "regions.yaml").write_text(
        f"regions:\n  - {{id: r, name: 区, source: s, year: 2024}}\nparks:\n{parks}\n",
        encoding="utf-8",
    )
    maps = []
    for c in range(CHAINS):
        segs = [f"c{c}-s{s}" for s in range(SEGMENTS)]
        lines = [f"id: c{c}", f"name: 链{c}", f"source: {SOURCE}", "year: 2024", "segments:"]
        lines += [f"  - {{id: {s}, name: 环节{s}, stage: 中游, unit: GW}}" for s in segs]
        lines += ["links:"] + [
            f"  - {{from: {a}, to: {b}}}" for a, b in zip(segs, segs[1:], strict=False)
        ]
        (root / "chains" / f"c{c}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        maps.append(
            f"  - {{id: m{c}, name: 图谱{c}, chain: c{c}, segments: [{', '.join(segs)}], "
            f"source: s, year: 2024}}"
        )
    (root / "maps.yaml").write_text("maps:\n" + "\n".join(maps) + "\n", encoding="utf-8")
    _write_tables(root, rows, broken_every)
    return root


def _write_tables(root: Path, rows: int, broken_every: int) -> None:
    local = ["firm_id,short_name,park,segment,capacity,unit,source,year"]
    for i in range(rows):
        seg = f"c{i % CHAINS}-s{i % SEGMENTS}"
        if broken_every and i % broken_every == 0:
            seg = f"c{i % CHAINS}-x{i % SEGMENTS}"
        local.append(f"lf{i},本地{i},p{i % PARKS},{seg},{1 + i % 50},GW,{SOURCE},2024")
    targets = ["firm_id,short_name,segment,priority,status,source,year"]
    for i in range(rows):
        targets.append(
            f"tf{i},靶向{i},c{i % CHAINS}-s{i % SEGMENTS},{1 + i % 3},待接触,{SOURCE},2024"
        )
    (root / "local_firms.csv").write_text("\n".join(local) + "\n", encoding="utf-8")
    (root / "targets.csv").write_text("\n".join(targets) + "\n", encoding="utf-8")


def timed(work: Callable[[], object], repeat: int = 3) -> float:
    """Median CPU time of ``work`` in seconds (CPU, not wall: the machine is often shared)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _expect_problems(path: Path) -> int:
    try:
        read_dataset(path)
    except DatasetError as e:
        return len(e.problems)
    raise AssertionError("the broken benchmark dataset validated")


def bench(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        good = write_dataset(Path(tmp) / "good", rows)
        broken = write_dataset(Path(tmp) / "broken", rows, broken_every=10)
        validate = timed(lambda: read_dataset(good))
        store = MemoryStore()
        first = timed(lambda: load_dataset(good, MemoryStore()), repeat=1)
        load_dataset(good, store)
        again = timed(lambda: load_dataset(good, store))
        problems = _expect_problems(broken)
        with_errors = timed(lambda: _expect_problems(broken))
    print(
        f"{rows:>7} rows/table | CPU: validate {validate:6.2f}s | load {first:6.2f}s | "
        f"repeat load (no-op) {again:6.2f}s | validate with {problems} problems "
        f"{with_errors:6.2f}s"
    )


def main(sizes: list[int]) -> None:
    xining = ROOT / "data" / "xining"
    if xining.is_dir():
        print(f"data/xining: validate {timed(lambda: read_dataset(xining)):.3f}s CPU")
    for rows in sizes:
        bench(rows)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10_000, 50_000])
