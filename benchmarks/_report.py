"""What every benchmark script shares: the machine, timing helpers, and writing its section
of BENCHMARKS.md (between ``<!-- bench:NAME -->`` markers, so scripts never overwrite each
other's figures).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import resource
import sys
import time
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "BENCHMARKS.md"
SHARED_CHAINKG = ROOT.parent / "shared" / "datasets" / "chainkg"
XINING = ROOT / "data" / "xining"
MINI = ROOT / "tests" / "fixtures" / "mini"
VERSIONS = ("pydantic", "networkx", "numpy", "orjson", "fastapi", "uvicorn")


def machine() -> str:
    """One line naming the machine and the versions the figures were taken with."""
    cpu = _cpu_model()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{name} {_version(name)}" for name in VERSIONS)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; {versions}; "
        f"load average when written {load} (other work shares the machine)"
    )


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    found = re.search(r"model name\s*:\s*(.+)", text)
    return found.group(1).strip() if found else "unknown CPU"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def best_of(runs: int, action: Callable[[], object], clock: Callable[[], float]) -> float:
    """The fastest of ``runs`` timings of ``action`` (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(runs):
        start = clock()
        action()
        best = min(best, clock() - start)
    return best


def latencies(
    action: Callable[[], object],
    repeat: int,
    warmup: int = 20,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Seconds of each of ``repeat`` calls after ``warmup`` untimed ones, by ``clock``: wall
    time by default; ``time.process_time`` gives the CPU the call itself used, which other
    processes on a busy machine do not inflate."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = clock()
        action()
        times.append(clock() - start)
    return times


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = list(headers)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(name: str, title: str, body: str, command: str) -> None:
    """Replace (or append) this benchmark's section of BENCHMARKS.md."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"<!-- bench:{name} -->\n## {title}\n\n"
        f"Measured {stamp} on: {machine()}.\n\n"
        f"Reproduce: `{command}`\n\n{body.strip()}\n<!-- /bench:{name} -->"
    )
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else _HEADER
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.DOTALL)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text}\n{section}\n"
    REPORT.write_text(text, encoding="utf-8")
    print(section)


def command_line() -> str:
    return "python " + " ".join([os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])


_HEADER = """# Benchmarks

Figures written by the scripts in `benchmarks/` (scripts, not tests: nothing here is asserted
in CI). Each section says when and on what machine it was measured and how to reproduce it.
The machine is shared with other work while these run, so timings take the best of several
runs (ingest) or percentiles over many calls (queries).
"""
