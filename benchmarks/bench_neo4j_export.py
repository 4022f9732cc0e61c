"""What the Neo4j paths cost on the client: building UNWIND rows, and the bulk CSV export.

No Neo4j server runs here, so the server side of either path is not measured; the figures
are the Python work chainkg does before Neo4j sees anything, on the Xining dataset and, when
/work/shared/datasets/chainkg (or the directory given) holds ChainKG, on the national pool.

    python benchmarks/bench_neo4j_export.py [CHAINKG_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph import MemoryStore, NodeKind, RelType, Store
from graph.stores.neo4j.rows import edge_row, node_row
from loaders import load_dataset
from loaders.neo4j_bulk import export_bulk

ROOT = Path(__file__).resolve().parents[1]
CHAINKG = Path("/work/shared/datasets/chainkg")


def timed(action: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best of ``repeat`` wall-clock runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def unwind_rows(store: Store) -> int:
    """Every record as the row Neo4jStore.apply sends (the client half of the UNWIND path)."""
    count = 0
    for kind in NodeKind:
        count += sum(1 for node in store.nodes(kind) if node_row(node))  # type: ignore[arg-type]
    for rel in RelType:
        count += sum(1 for edge in store.edges(rel) if edge_row(edge))
    return count


def report(label: str, store: Store) -> None:
    seconds, rows = timed(lambda: unwind_rows(store))
    print(f"{label}: {rows:,} records")
    print(f"  UNWIND rows built   {seconds:7.3f} s  ({rows / seconds:,.0f} records/s)")
    with tempfile.TemporaryDirectory() as out:
        seconds, files = timed(lambda: export_bulk(store, out))
        size = sum(f.path.stat().st_size for f in files)
        print(
            f"  bulk CSV export     {seconds:7.3f} s  ({rows / seconds:,.0f} records/s, "
            f"{len(files)} files, {size / 1e6:.1f} MB)"
        )


def main() -> None:
    store = MemoryStore()
    load_dataset(ROOT / "data" / "xining", store)
    report("Xining dataset", store)
    national = Path(sys.argv[1]) if len(sys.argv) > 1 else CHAINKG
    if (national / "company.json").exists():
        from loaders.chainkg import load_chainkg

        start = time.perf_counter()
        load_chainkg(national, store)
        print(f"(ChainKG loaded into the embedded store in {time.perf_counter() - start:.1f} s)")
        report("Xining + ChainKG national pool", store)


if __name__ == "__main__":
    main()
