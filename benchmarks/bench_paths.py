"""Every user-facing path on the SQLite store, at the sizes of the given data files.

Build the files first (benchmarks/build_sqlite.py: Xining plus N synthetic firms from
gen_scale.py), then:

    python benchmarks/bench_paths.py --data 100k=/tmp/100k.sqlite --data 1m=/tmp/1m.sqlite

Each path is timed against a real ``chainkg serve`` (uvicorn, 127.0.0.1) or a real CLI process:
serve start to the first 200 on /health; CLI ``gaps pv`` / ``targets pv --top 10`` wall time and
peak RSS; the chain page cold (right after a write empties the caches) and warm; targets top
10 cold; firm search (a new query each time, so no cached answer); status writes with /health
polled meanwhile; the gap query warm and right after a write; the console page and the gap
endpoint at concurrency 1/16/64. Writes go to the given files (target status notes only).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import ROOT, command_line, percentile, table, write_section  # noqa: E402

LAUNCHER = "from api.cli import main; main()"
TOKEN = "bench-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ENTRY = ("t-002129", "pv-wafer")  # a Xining target-list entry (firm, segment)


def env_for(data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CHAINKG_DATA_FILE": str(data),
        "CHAINKG_TOKEN": TOKEN,
        "PYTHONPATH": str(ROOT),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def min_med(samples: list[float]) -> str:
    return f"{ms(min(samples))} / {ms(statistics.median(samples))}"


# ----------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    begin = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env_for(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return server, url, time.perf_counter() - begin
        except httpx.TransportError:
            time.sleep(0.02)
        if server.poll() is not None:
            raise RuntimeError("server exited")


def stop(server: subprocess.Popen[bytes]) -> None:
    os.kill(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def cli(data: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one CLI process."""
    begin = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *args],
        env=env_for(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - begin
    if status != 0:
        raise RuntimeError(f"{args} failed: {proc.stderr.read() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


# ----------------------------------------------------------------------------- requests


def timed(client: httpx.Client, path: str) -> float:
    begin = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - begin
    assert response.status_code == 200, (path, response.status_code, response.text[:200])
    return elapsed


def write(client: httpx.Client, n: int) -> float:
    body = {"status": "已接触", "date": "2024-05-01", "note": f"bench {n}", "correction": True}
    begin = time.perf_counter()
    response = client.put(f"/api/targets/{ENTRY[0]}/{ENTRY[1]}/status", json=body, headers=AUTH)
    elapsed = time.perf_counter() - begin
    assert response.status_code == 200, response.text[:300]
    return elapsed


def after_write(client: httpx.Client, path: str, repeat: int) -> list[float]:
    samples = []
    for n in range(repeat):
        write(client, n)
        samples.append(timed(client, path))
    return samples


def writes_with_health(client: httpx.Client, url: str, count: int) -> tuple[list, list]:
    health: list[float] = []
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=url, timeout=30) as other:
            while not done.is_set():
                health.append(timed(other, "/health"))
                time.sleep(0.005)

    poller = threading.Thread(target=poll)
    poller.start()
    writes = [write(client, n) for n in range(count)]
    done.set()
    poller.join()
    return writes, health


def concurrent(url: str, path: str, workers: int, total: int) -> list[float]:
    local = threading.local()

    def one(_: int) -> float:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, timeout=120)
        return timed(local.client, path)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(total)))


# ----------------------------------------------------------------------------- one size


def measure(data: Path, repeat: int, levels: tuple[int, ...]) -> dict[str, str]:
    row: dict[str, str] = {}
    starts = []
    for _ in range(repeat):
        server, _, seconds = start(data)
        starts.append(seconds)
        stop(server)
    row["serve start → /health 200 (min / median)"] = min_med(starts)
    for name, args in (
        ("gaps pv", ("gaps", "pv")),
        ("targets pv --top 10", ("targets", "pv", "--top", "10")),
    ):
        runs = [cli(data, *args) for _ in range(repeat)]
        row[f"CLI {name}: wall (min / median)"] = min_med([w for w, _ in runs])
        row[f"CLI {name}: peak RSS"] = f"{max(r for _, r in runs):.0f} MiB"
    server, url, _ = start(data)
    try:
        with httpx.Client(base_url=url, timeout=300) as client:
            row.update(served(client, url, repeat, levels))
    finally:
        stop(server)
    return row


def served(client: httpx.Client, url: str, repeat: int, levels: tuple[int, ...]) -> dict[str, str]:
    row: dict[str, str] = {}
    row["chain page /chains/pv cold (after a write)"] = min_med(
        after_write(client, "/chains/pv", repeat)
    )
    warm = [timed(client, "/chains/pv") for _ in range(repeat * 3)]
    row["chain page /chains/pv warm"] = min_med(warm)
    row["/api/chains/pv/targets?top=10 cold"] = min_med(
        after_write(client, "/api/chains/pv/targets?top=10", repeat)
    )
    queries = [
        "隆基",
        "龙基",
        "longji",
        "ＴＣＬ",
        "601012",
        "合成企业0012345",
        "合成企业099",
        "hcqy0054321",
    ]
    search = [
        timed(client, f"/api/firms?q={q}&limit=10&_={n}") for n in range(repeat) for q in queries
    ]
    row["firm search /api/firms?q=… (8 queries × repeats)"] = (
        f"p50 {ms(percentile(search, 50))}, max {ms(max(search))}"
    )
    writes, health = writes_with_health(client, url, 100)
    row["status write p50 / p99 (100 writes)"] = (
        f"{ms(percentile(writes, 50))} / {ms(percentile(writes, 99))}"
    )
    row["/health p99 during the writes"] = f"{ms(percentile(health, 99))} ({len(health)} polls)"
    gaps = "/api/chains/pv/gaps"
    timed(client, gaps)
    row["gap query warm p50"] = ms(percentile([timed(client, gaps) for _ in range(200)], 50))
    row["gap query right after a write (min / median)"] = min_med(after_write(client, gaps, repeat))
    for path in ("/chains/pv", gaps):
        for workers in levels:
            samples = concurrent(url, path, workers, max(64, workers * 4))
            row[f"{path} concurrency {workers}: p50 / p99"] = (
                f"{ms(percentile(samples, 50))} / {ms(percentile(samples, 99))}"
            )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", required=True, help="LABEL=FILE")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-report", action="store_true", help="print only")
    parser.add_argument("--concurrency", default="1,16,64", help="levels, comma-separated")
    args = parser.parse_args()
    sizes = dict(item.split("=", 1) for item in args.data)
    levels = tuple(int(n) for n in args.concurrency.split(","))
    results = {label: measure(Path(path), args.repeat, levels) for label, path in sizes.items()}
    paths = list(next(iter(results.values())))
    body = table(["path", *sizes], [[p, *(results[s][p] for s in sizes)] for p in paths])
    print(body)
    if not args.no_report:
        write_section("paths", "User paths on the SQLite store (issue 16)", body, command_line())


if __name__ == "__main__":
    main()
