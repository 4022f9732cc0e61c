"""Validating and loading a curated dataset as its firm table grows: 10k, 50k and 100k firms.

Datasets come from ``gen_scale.write_curated`` (the Xining dataset plus synthetic firms, written
to a temporary directory). For each size: ``validate`` (``read_dataset``), a first ``load`` into
an empty MemoryStore, a repeated ``load`` (a no-op), and ``validate`` of a copy where every
tenth synthetic row names a misspelt segment (the error path, with its 'did you mean' hints).
Target: cost linear in the rows (CPU seconds per 10k rows flat across sizes).

    python benchmarks/bench_loader.py                  # all sizes, writes BENCHMARKS.md
    python benchmarks/bench_loader.py --firms 10000    # just one
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import best_of, command_line, table, write_section  # noqa: E402
from benchmarks.gen_scale import SOURCE, write_curated  # noqa: E402
from graph import DatasetError, MemoryStore  # noqa: E402
from loaders import load_dataset, read_dataset  # noqa: E402

SIZES = (10_000, 50_000, 100_000)
CLOCK = time.process_time  # CPU seconds: the machine is shared, wall time is noise


def misspell_every_tenth(dataset: Path) -> int:
    """Misspell the segment of every tenth synthetic row; returns how many rows changed."""
    path = dataset / "local_firms.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("segment")
    synthetic = [row for row in rows[1:] if SOURCE in row]
    for row in synthetic[::10]:
        row[column] += "x"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return len(synthetic[::10])


def problems_in(dataset: Path) -> int:
    try:
        read_dataset(dataset)
    except DatasetError as e:
        return len(e.problems)
    return 0


def measure(firms: int, runs: int) -> list[object]:
    with tempfile.TemporaryDirectory() as tmp:
        good = write_curated(Path(tmp) / "good", firms)
        rows = len((good / "local_firms.csv").read_text(encoding="utf-8").splitlines()) - 1
        validate = best_of(runs, lambda: read_dataset(good), CLOCK)
        first = best_of(runs, lambda: load_dataset(good, MemoryStore()), CLOCK)
        store = MemoryStore()
        load_dataset(good, store)
        again = best_of(runs, lambda: load_dataset(good, store), CLOCK)
        broken = write_curated(Path(tmp) / "broken", firms)
        misspelt = misspell_every_tenth(broken)
        problems = problems_in(broken)
        assert problems >= misspelt, "every misspelt segment must be reported"
        with_errors = best_of(runs, lambda: problems_in(broken), CLOCK)
    per_10k = validate / rows * 10_000
    return [
        f"{firms:,}",
        f"{rows:,}",
        f"{validate:.2f}",
        f"{per_10k:.2f}",
        f"{first:.2f}",
        f"{again:.2f}",
        f"{with_errors:.2f} ({problems:,} problems)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(firms, args.runs) for firms in args.firms]
    headers = (
        "synthetic firms",
        "local_firms.csv rows",
        "validate s",
        "validate s / 10k rows",
        "first load s",
        "repeated load s",
        "validate with errors s",
    )
    body = (
        "CPU seconds, best of "
        f"{args.runs}. A repeated load validates again and then finds nothing to write.\n\n"
        + table(headers, rows)
    )
    write_section("loader", "Curated dataset: validate and load", body, command_line())


if __name__ == "__main__":
    main()
