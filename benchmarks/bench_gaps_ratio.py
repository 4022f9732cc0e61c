"""Gap query CPU time of this tree against another git revision, measured in the same run.

The machine is shared (2 cores, other work running), so absolute times drift by 2x between
runs; a ratio of two code versions measured alternately in one run does not. Each version runs
in its own process (its own ``graph`` package, from a temporary ``git worktree`` for the
baseline) on the same synthetic country (``gen_scale.generate``): per chain, 3 blocks of 500
gap queries (``chain_view`` + ``segment_status`` + ``find_gaps``) after 20 warm-up calls, CPU
time p50 of each block; the versions alternate for ``--rounds`` rounds.

    python benchmarks/bench_gaps_ratio.py --baseline main --firms 100000
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAINS = ("pv", "lithium")


def measure(tree: Path, firms: int) -> dict[str, list[float]]:
    """In this process, with ``tree``'s code: CPU p50 (ms) of 3 blocks of 500 queries per chain."""
    sys.path[:0] = [str(tree), str(ROOT)]  # tree's graph; the one generator (and dataset) of ROOT
    import graph.analysis
    from benchmarks.gen_scale import generate
    from graph.analysis import chain_view, find_gaps, segment_status

    assert Path(graph.analysis.__file__).is_relative_to(tree), graph.analysis.__file__

    store = generate(firms).store
    found: dict[str, list[float]] = {}
    for chain in CHAINS:

        def query(chain: str = chain) -> object:
            view = chain_view(store, chain, "xining")
            return find_gaps(view, verdicts=segment_status(view))

        for _ in range(20):
            query()
        found[chain] = [_block_p50(query) for _ in range(3)]
    return found


def _block_p50(query: object, calls: int = 500) -> float:
    times = []
    for _ in range(calls):
        start = time.process_time()
        query()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return round(statistics.median(times) * 1e3, 3)


def run(tree: Path, firms: int) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(tree), "--firms", str(firms)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.firms)))
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks._report import command_line, write_section

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        git = ["git", "-C", str(ROOT), "worktree"]
        subprocess.run([*git, "add", "--detach", str(base), args.baseline], check=True)
        try:
            blocks: dict[str, dict[str, list[float]]] = {"baseline": {}, "this tree": {}}
            for _ in range(args.rounds):
                for name, tree in (("baseline", base), ("this tree", ROOT)):
                    for chain, values in run(tree, args.firms).items():
                        blocks[name].setdefault(chain, []).extend(values)
        finally:
            subprocess.run([*git, "remove", "--force", str(base)], check=True)
    write_section("gaps-ratio", TITLE, report(blocks, args), command_line())


def report(blocks: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> str:
    from benchmarks._report import table

    rows = []
    median = statistics.median
    for chain in CHAINS:
        old, new = blocks["baseline"][chain], blocks["this tree"][chain]
        rows.append(
            [
                chain,
                f"{min(old)} / {median(old):.3f}",
                f"{min(new)} / {median(new):.3f}",
                f"{min(new) / min(old):.2f} / {median(new) / median(old):.2f}",
            ]
        )
    headers = [
        f"chain ({args.firms:,} synthetic firms)",
        f"{args.baseline}: CPU p50 ms, min / median of blocks",
        "this tree: same",
        "ratio this / baseline (min / median)",
    ]
    return table(headers, rows) + NOTES


TITLE = "Gap query: this tree against a baseline revision, same run"
NOTES = """

Each cell summarises the CPU-time p50 of 500-query blocks (3 blocks per process, processes of
the two versions alternating). The analysis answers are the same in both versions apart from
fields the newer one adds (`chainkg gaps CHAIN --format json` compared on the six Xining chains).
"""


if __name__ == "__main__":
    main()
