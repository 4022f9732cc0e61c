"""Benchmark the gap endpoint: requests/s and p50/p99 latency on this machine (not a test).

Starts ``uvicorn api.app:create_app`` (one worker, the embedded store, the default dataset
loaded into a temporary snapshot) on 127.0.0.1, then drives it from this process with a
small keep-alive HTTP/1.1 load generator on asyncio sockets: ``--concurrency`` connections,
at most ``--requests`` requests and ``--seconds`` seconds, loopback only.

    python benchmarks/bench_api.py                      # GET /api/chains/pv/gaps
    python benchmarks/bench_api.py --path '/api/chains/lithium/gaps?kind=补链'

Repeated reads are answered from the revision cache (see ``api.deps.CachedReads``); the
line also reports the cold cost, i.e. building the report from scratch after a write.

Prints one result line and appends it to BENCHMARKS.md under "## API" when that file exists,
else to benchmarks/results/api.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(port: int, data_file: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CHAINKG_DATA_FILE": str(data_file), "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response; return its status (bodies sized by Content-Length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    await reader.readexactly(length)
    return status


async def connection(port: int, request: bytes, budget: Budget, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    errors = 0
    try:
        while budget.take():
            start = time.perf_counter()
            writer.write(request)
            status = await read_response(reader)
            latencies.append(time.perf_counter() - start)
            errors += status != 200
    finally:
        writer.close()
    return errors


class Budget:
    """At most ``count`` requests and ``seconds`` seconds, shared by every connection."""

    def __init__(self, count: int, seconds: float) -> None:
        self.left = count
        self.deadline = time.perf_counter() + seconds

    def take(self) -> bool:
        if self.left <= 0 or time.perf_counter() > self.deadline:
            return False
        self.left -= 1
        return True


async def drive(port: int, path: str, count: int, seconds: float, concurrency: int) -> dict:
    target = urllib.parse.quote(path, safe="/?=&")
    request = f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nAccept: */*\r\n\r\n".encode()
    latencies: list[float] = []
    budget = Budget(count, seconds)
    started = time.perf_counter()
    errors = await asyncio.gather(
        *(connection(port, request, budget, latencies) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": sum(errors),
        "seconds": elapsed,
        "rps": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def record(line: str) -> Path:
    benchmarks_md = ROOT / "BENCHMARKS.md"
    if benchmarks_md.exists():
        text = benchmarks_md.read_text(encoding="utf-8")
        if "## API" not in text:
            text = text.rstrip() + "\n\n## API\n\n"
        head, _, tail = text.partition("## API")
        body, sep, rest = tail.partition("\n## ")
        updated = head + "## API" + body.rstrip() + "\n" + line + "\n" + (sep + rest if sep else "")
        benchmarks_md.write_text(updated, encoding="utf-8")
        return benchmarks_md
    results = ROOT / "benchmarks" / "results" / "api.md"
    results.parent.mkdir(parents=True, exist_ok=True)
    if not results.exists():
        results.write_text("# API benchmark results (bench_api.py)\n\n", encoding="utf-8")
    with results.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return results


def cold_analysis_ms(chain: str, runs: int = 20) -> float:
    """Median time to build the gap report from scratch (what the first request after a
    write pays), measured in process on the default dataset."""
    sys.path.insert(0, str(ROOT))
    from api.deps import RevisionCache
    from api.routes.gaps import gap_report
    from api.settings import Settings
    from graph import MemoryStore
    from loaders import load_dataset

    settings = Settings()
    store = MemoryStore()
    load_dataset(settings.dataset, store)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        gap_report(store, RevisionCache(), chain, settings.region, None, None)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/api/chains/pv/gaps", help="URL path to request")
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--warmup", type=int, default=500, help="requests before measuring")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        server = start_server(port, Path(tmp) / "graph.pickle")
        try:
            wait_until_up(port)
            asyncio.run(drive(port, args.path, args.warmup, 30, 4))
            result = asyncio.run(
                drive(port, args.path, args.requests, args.seconds, args.concurrency)
            )
        finally:
            server.terminate()
            server.wait(timeout=20)
    chain = args.path.split("/")[3] if args.path.startswith("/api/chains/") else "pv"
    cold = cold_analysis_ms(chain)
    line = (
        f"- {dt.date.today()} `GET {args.path}`: {result['rps']:.0f} req/s, "
        f"p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms "
        f"({result['requests']} requests, {result['errors']} non-200, "
        f"{args.concurrency} connections; uvicorn 1 worker, embedded store; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}); "
        f"cold report after a write: {cold:.1f} ms"
    )
    print(line)
    if not args.no_record:
        print(f"recorded in {record(line).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
