"""Gap query latency on one chain as the country grows: 100k, 1M and 5M firms.

A gap query is what ``chainkg gaps`` and the API do: ``chain_view`` (the chain's data for the
region, through the Store) + ``segment_status`` + ``find_gaps``. Each scale runs in its own
process (so memory figures do not mix) on a graph from ``gen_scale.generate``: the Xining
dataset plus synthetic firms elsewhere. Targets: p50 <= 1 ms and p99 <= 5 ms at 1M firms, and
p50 growing <= 1.5x from 100k to 1M (cost follows the chain, not the country).

    python benchmarks/bench_gaps.py                     # all scales, writes BENCHMARKS.md
    python benchmarks/bench_gaps.py --scales 100000     # just one
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import command_line, latencies, percentile, table, write_section  # noqa: E402

SCALES = (100_000, 1_000_000, 5_000_000)
CHAINS = ("pv", "lithium")
REPEAT = 2000
WITHOUT_LOCATED_IN = 5_000_000  # from this size LOCATED_IN is left out to fit in RAM


def measure(firms: int) -> dict[str, object]:
    """Generate ``firms`` firms, then time gap queries on each chain of ``CHAINS``."""
    from benchmarks.gen_scale import base_dataset, generate
    from graph.analysis import chain_view, find_gaps, segment_status

    made = generate(firms, located_in=firms < WITHOUT_LOCATED_IN)
    store, region = made.store, "xining" if "xining" in str(base_dataset()) else "xn"
    result: dict[str, object] = {
        "firms": made.firms,
        "operations": made.operations,
        "generate_s": round(made.seconds, 1),
        "peak_rss_mib": round(made.peak_rss_mib),
        "located_in": firms < WITHOUT_LOCATED_IN,
    }
    for chain in CHAINS if region == "xining" else ("pv",):

        def query(chain: str = chain) -> object:
            view = chain_view(store, chain, region)
            return find_gaps(view, verdicts=segment_status(view))

        def fetch(chain: str = chain) -> object:
            return chain_view(store, chain, region)

        times, fetches = latencies(query, REPEAT), latencies(fetch, REPEAT)
        cpu = latencies(query, REPEAT, clock=time.process_time)
        gc.freeze()  # what a server does after loading: the loaded graph leaves GC's scans
        frozen = latencies(query, REPEAT)
        gc.unfreeze()
        result[chain] = {
            "frozen_p50_ms": _ms(percentile(frozen, 50)),
            "frozen_p99_ms": _ms(percentile(frozen, 99)),
            "cpu_p50_ms": _ms(percentile(cpu, 50)),
            "cpu_p99_ms": _ms(percentile(cpu, 99)),
            "p50_ms": _ms(percentile(times, 50)),
            "p99_ms": _ms(percentile(times, 99)),
            "view_p50_ms": _ms(percentile(fetches, 50)),
            "view_p99_ms": _ms(percentile(fetches, 99)),
            "gaps": len(query()),  # type: ignore[arg-type]
        }
    return result


def _ms(seconds: float) -> float:
    return round(seconds * 1e3, 3)


def run_isolated(firms: int, limit_mib: float) -> dict[str, object]:
    """``measure`` in a child process whose address space is capped at ``limit_mib``, so
    running out of memory is a MemoryError reported here, never the machine's OOM killer."""
    limit = int(limit_mib * 2**20)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [sys.executable, __file__, "--one", str(firms)],
        capture_output=True,
        text=True,
        preexec_fn=cap,
    )
    if done.returncode != 0:
        return {"firms": firms, "error": (done.stderr.strip().splitlines() or ["killed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def report(results: list[dict[str, object]]) -> str:
    rows = []
    for r in results:
        if "error" in r or "skipped" in r:
            why = r.get("error") or r["skipped"]
            rows.append([f"{r['firms']:,}", "—", "—", "—", why, "—", "—", "—", "—"])
            continue
        located = "" if r["located_in"] else " (no LOCATED_IN)"
        for chain in (c for c in CHAINS if c in r):
            q: dict[str, object] = r[chain]  # type: ignore[assignment]
            rows.append(
                [
                    f"{r['firms']:,}",
                    f"{r['operations']:,}{located}",
                    r["generate_s"],
                    r["peak_rss_mib"],
                    f"{chain} ({q['gaps']} gaps)",
                    f"{q['p50_ms']} / {q['p99_ms']}",
                    f"{q['cpu_p50_ms']} / {q['cpu_p99_ms']}",
                    f"{q['view_p50_ms']} / {q['view_p99_ms']}",
                    f"{q['frozen_p50_ms']} / {q['frozen_p99_ms']}",
                ]
            )
    headers = ["firms", "operations", "generate s", "peak RSS MiB", "chain"]
    timings = [
        "gap query p50 / p99 ms (wall)",
        "same, CPU time",
        "of which chain_view (wall)",
        "gap query after gc.freeze() (wall)",
    ]
    return table([*headers, *timings], rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scales", type=int, nargs="*", default=list(SCALES))
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results: list[dict[str, object]] = []
    for firms in args.scales:
        # LOCATED_IN is about a third of a firm's memory; left out at the largest size
        need = _bytes_per_firm(results) * firms * (0.7 if firms >= WITHOUT_LOCATED_IN else 1)
        budget = 0.85 * available_mib()
        if need / 2**20 > budget:
            results.append({"firms": firms, "skipped": f"needs ~{need / 2**30:.0f} GiB of RAM"})
            continue
        print(f"measuring {firms:,} firms…", flush=True)
        results.append(run_isolated(firms, budget))
        print(results[-1], flush=True)
    write_section("gaps", "Gap query at national scale", report(results) + NOTES, command_line())


def _bytes_per_firm(results: list[dict[str, object]]) -> float:
    done = [r for r in results if "peak_rss_mib" in r]
    if not done:
        return 0.0
    last = done[-1]
    return float(last["peak_rss_mib"]) * 2**20 / float(last["firms"])  # type: ignore[arg-type]


NOTES = """

Query = `chain_view` + `segment_status` + `find_gaps` for the chain in the focus region
(Xining), wall clock, 2,000 calls after 20 warm-up calls. Synthetic firms (Zipf-skewed over
segments and 300 regions × 2 parks, 1–3 operations each) are all outside the focus region,
whose own firms, targets and capacities are the real dataset's: the question measured is
whether a query on Xining's chain pays for the size of the country.
"""


if __name__ == "__main__":
    main()
