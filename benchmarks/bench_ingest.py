"""Full ChainKG ingest into the embedded store: speed, memory per edge, warm restart.

Targets: ingest <= 6x the time ``orjson.loads`` takes on the same lines; <= 350 B of retained
memory per relation; a warm restart from the snapshot <= 0.5x the cold ingest.

    python benchmarks/bench_ingest.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import (  # noqa: E402
    SHARED_CHAINKG,
    XINING,
    best_of,
    command_line,
    table,
    write_section,
)
from graph import Batch, MemoryStore, NodeKind, RelType, Segment, SqliteStore  # noqa: E402
from graph.national import NATIONAL_RELS  # noqa: E402
from loaders import load_dataset  # noqa: E402
from loaders.chainkg import FILES, load_chainkg, read_chainkg  # noqa: E402
from loaders.chainkg_match import match_segments  # noqa: E402


def parse_only(root: Path) -> None:
    """The baseline: ``orjson.loads`` on every line of the eight files, nothing else."""
    loads = orjson.loads
    for name in FILES:
        with (root / name).open("rb") as fh:
            for line in fh:
                if line.strip():
                    loads(line)


def ingest(root: Path) -> MemoryStore:
    store = MemoryStore()
    load_chainkg(root, store)
    return store


def retained_bytes(root: Path) -> tuple[int, MemoryStore]:
    """Bytes still allocated once the import is done (the store, not the parsing)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    store = ingest(root)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, store


def save_sqlite(store: MemoryStore, path: Path) -> None:
    """The ingested graph written to a SQLite file (what a restart opens)."""
    national = {NodeKind.PRODUCT, NodeKind.INDUSTRY}
    saved = SqliteStore(path)
    nodes = [n for kind in NodeKind if kind not in national for n in store.nodes(kind)]
    skip = {*NATIONAL_RELS, RelType.MATCHES}
    edges = [e for rel in RelType if rel not in skip for e in store.edges(rel)]
    saved.apply(Batch(nodes=nodes, edges=edges))
    saved.load_national(store._national, [], store.edges(RelType.MATCHES))  # noqa: SLF001
    saved.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dataset", type=Path, default=SHARED_CHAINKG)
    args = parser.parse_args()
    root: Path = args.dataset
    cpu, wall = time.process_time, time.perf_counter
    base_cpu = best_of(args.runs, lambda: parse_only(root), cpu)
    base_wall = best_of(args.runs, lambda: parse_only(root), wall)
    cold_cpu = best_of(args.runs, lambda: ingest(root), cpu)
    cold_wall = best_of(args.runs, lambda: ingest(root), wall)
    retained, store = retained_bytes(root)
    edges = sum(store.count(rel) for rel in NATIONAL_RELS)
    nodes = sum(store.count(kind) for kind in (NodeKind.PRODUCT, NodeKind.INDUSTRY, NodeKind.FIRM))
    arrays = store._national.nbytes()  # noqa: SLF001 - the benchmark looks inside on purpose
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "graph.sqlite"
        save_sqlite(store, snapshot)
        warm_wall = best_of(args.runs, lambda: SqliteStore(snapshot).close(), wall)
        warm_cpu = best_of(args.runs, lambda: SqliteStore(snapshot).close(), cpu)
        size = snapshot.stat().st_size
    match_s, matches = _matching(root)
    rows = [
        ["orjson.loads of every line (baseline)", f"{base_wall:.3f} s", f"{base_cpu:.3f} s", ""],
        [
            "cold ingest (parse, repair, report, build, load_national)",
            f"{cold_wall:.3f} s",
            f"{cold_cpu:.3f} s",
            f"{cold_wall / base_wall:.2f}x wall, {cold_cpu / base_cpu:.2f}x CPU (target ≤ 6x)",
        ],
        [
            "warm restart from snapshot",
            f"{warm_wall:.3f} s",
            f"{warm_cpu:.3f} s",
            f"{warm_wall / cold_wall:.2f}x of cold (target ≤ 0.5x)",
        ],
        [f"match Xining segments ({matches} MATCHES)", f"{match_s:.3f} s", "", "not in ingest"],
    ]
    memory = table(
        ["measure", "value"],
        [
            ["relations (national)", f"{edges:,}"],
            ["nodes (products, industries, firms)", f"{nodes:,}"],
            ["retained by the store (tracemalloc)", f"{retained / 2**20:.1f} MiB"],
            [
                "retained per relation (all of it, nodes included)",
                f"{retained / edges:.0f} B (target ≤ 350 B)",
            ],
            [
                "of which edge arrays (int32 CSR both ways + values)",
                f"{arrays / edges:.0f} B per relation",
            ],
            ["snapshot file", f"{size / 2**20:.1f} MiB"],
        ],
    )
    body = table(["step", "wall", "CPU", "ratio"], rows) + "\n\n" + memory + NOTES
    write_section("ingest", "ChainKG ingest into the embedded store", body, command_line())


def _matching(root: Path) -> tuple[float, int]:
    """Time to match the Xining segments against the national products (run by the import
    command too, but on a dataset of its own: reported apart from the ingest)."""
    if not (XINING / "dataset.yaml").is_file():
        return 0.0, 0
    store = MemoryStore()
    load_dataset(XINING, store)
    national = read_chainkg(root).national
    segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
    start = time.perf_counter()
    matches = match_segments(segments, national)
    return time.perf_counter() - start, len(matches)


NOTES = """

Times are the best of several runs (the machine is shared). The baseline and the ingest read
the same eight files line by line; the ingest is `load_chainkg` into an empty `MemoryStore`:
stream, clean and repair names, account for every line, intern, build the int32 CSR indexes,
build the 4,586 `Firm` records and swap the national graph in. Retained memory is what
tracemalloc still sees allocated after the import and a garbage collection, divided by the
number of national relations; it includes the product names, the firm records and every index.
"""


if __name__ == "__main__":
    main()
