"""The store's share of each user path, in process (no HTTP), on SQLite data files of several
sizes (benchmarks/build_sqlite.py): open, the gap query's reads (chain view + verdicts), the
top-k read for ranking, firm search, a status write, and the first read after a write.

    python benchmarks/bench_store.py --data 100k=/tmp/100k.sqlite --data 700k=/tmp/700k.sqlite
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import command_line, peak_rss_mib, percentile, table, write_section  # noqa: E402
from graph import NodeKind, SqliteStore, TargetStatus  # noqa: E402
from graph.analysis import chain_view, find_gaps, segment_status  # noqa: E402

QUERIES = [
    "隆基",
    "龙基",
    "longji",
    "ＴＣＬ",
    "601012",
    "合成企业0012345",
    "合成企业099",
    "hcqy0054321",
]


def clock(action, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        samples.append(time.perf_counter() - begin)
    return samples


def ms(samples: list[float]) -> str:
    return f"{min(samples) * 1000:.2f} / {statistics.median(samples) * 1000:.2f} ms"


def gap_query(store: SqliteStore) -> None:
    view = chain_view(store, "pv", "xining")
    find_gaps(view, verdicts=segment_status(view))


def measure(path: Path, repeat: int) -> dict[str, str]:
    row: dict[str, str] = {}
    opened = clock(lambda: SqliteStore(path).close(), repeat)
    row["open the store (min / median)"] = ms(opened)
    store = SqliteStore(path)
    row["firms in the file"] = f"{store.count(NodeKind.FIRM):,}"
    row["gap query reads + analysis, pv (min / median)"] = ms(
        clock(lambda: gap_query(store), repeat)
    )
    big = max(
        (s.id for s in store.nodes(NodeKind.SEGMENT)),
        key=lambda s: store.count_operations(s),
    )
    row["largest segment: operations nationwide"] = f"{store.count_operations(big):,}"
    row["top_operations(largest, outside xining, 10)"] = ms(
        clock(lambda: store.top_operations(big, "xining", 10), repeat * 5)
    )
    searches = [t for q in QUERIES for t in clock(lambda q=q: store.search(q, 10), repeat)]
    row["search (8 queries): p50 / max"] = (
        f"{percentile(searches, 50) * 1000:.2f} / {max(searches) * 1000:.2f} ms"
    )
    writes = clock(
        lambda: store.set_target_status("t-002129", "pv-wafer", TargetStatus.CONTACTED, "", "x"),
        repeat * 20,
    )
    row["status write: p50 / p99"] = (
        f"{percentile(writes, 50) * 1000:.2f} / {percentile(writes, 99) * 1000:.2f} ms"
    )
    row["peak RSS of this process"] = f"{peak_rss_mib():.0f} MiB"
    store.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", required=True, help="LABEL=FILE")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    sizes = dict(item.split("=", 1) for item in args.data)
    results = {}
    for label, path in sizes.items():
        with tempfile.TemporaryDirectory() as tmp:  # writes go to a copy
            copy = Path(tmp) / "graph.sqlite"
            shutil.copyfile(path, copy)
            results[label] = measure(copy, args.repeat)
    rows = list(next(iter(results.values())))
    body = table(["path", *sizes], [[r, *(results[s][r] for s in sizes)] for r in rows])
    print(body)
    if not args.no_report:
        write_section("store", "SQLite store paths in process (issue 16)", body, command_line())


if __name__ == "__main__":
    main()
