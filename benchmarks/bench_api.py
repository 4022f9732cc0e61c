"""Benchmark the gap endpoint: requests/s and p50/p99 latency on this machine (not a test).

Starts ``uvicorn api.app:create_app`` (one worker, the embedded store, the default dataset
loaded into a temporary snapshot) on 127.0.0.1, then drives it from this process with a
small keep-alive HTTP/1.1 load generator on asyncio sockets: ``--concurrency`` connections,
at most ``--requests`` requests and ``--seconds`` seconds, loopback only.

    python benchmarks/bench_api.py                      # GET /api/chains/pv/gaps
    python benchmarks/bench_api.py --path '/api/chains/lithium/gaps?kind=补链'

Repeated reads are answered from the revision cache (see ``api.deps.CachedReads``); the
section also reports the cold cost, i.e. building the report from scratch after a write.

Writes its section of BENCHMARKS.md (``--no-record``: print only).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _report  # noqa: E402 - the shared BENCHMARKS.md writer beside this script

ROOT = _report.ROOT
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def uncached_app():  # noqa: ANN201 - a FastAPI app
    """The app without the cached-bytes layer: every request runs routing, validation and the
    handler (analysis still cached per revision). For ``--uncached`` runs."""
    from api.app import create_app
    from api.deps import CachedReads

    app = create_app()
    app.user_middleware = [m for m in app.user_middleware if m.cls is not CachedReads]
    return app


def start_server(port: int, data_file: Path, uncached: bool) -> subprocess.Popen[bytes]:
    path = os.pathsep.join((str(ROOT), str(ROOT / "benchmarks")))
    env = {**os.environ, "CHAINKG_DATA_FILE": str(data_file), "PYTHONPATH": path}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench_api:uncached_app" if uncached else "api.app:create_app",
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
        "p99_ms": _report.percentile(ordered, 99) * 1000,
    }


def cold_analysis_ms(chain: str, runs: int = 20) -> float:
    """Median time to build the gap report from scratch (what the first request after a
    write pays), measured in process on the default dataset."""
    from api.deps import RevisionCache
    from api.routes.gaps import gap_report
    from api.settings import DEFAULT_DATASET, Settings
    from graph import MemoryStore
    from loaders import load_dataset

    settings = Settings(region="xining")
    store = MemoryStore()
    load_dataset(DEFAULT_DATASET, store)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        gap_report(store, RevisionCache(), chain, settings.region, None, None)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(
    path: str, count: int, seconds: float, concurrencies: list[int], rounds: int, uncached: bool
) -> list[dict]:
    """One server, one warm-up, then ``rounds`` measured runs per concurrency level (the
    machine is shared, so the spread between rounds is part of the answer)."""
    port = free_port()
    results = []
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        server = start_server(port, Path(tmp) / "graph.pickle", uncached)
        try:
            wait_until_up(port)
            asyncio.run(drive(port, path, 500, 30, 4))
            for round_no in range(1, rounds + 1):
                for concurrency in concurrencies:
                    result = asyncio.run(drive(port, path, count, seconds, concurrency))
                    results.append({**result, "concurrency": concurrency, "round": round_no})
        finally:
            server.terminate()
            server.wait(timeout=20)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/api/chains/pv/gaps", help="URL path to request")
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many per run")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long per run")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[8, 16], help="keep-alive connections"
    )
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per level")
    parser.add_argument(
        "--uncached", action="store_true", help="without the cached-bytes layer (CachedReads)"
    )
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()

    results = measure(
        args.path, args.requests, args.seconds, args.concurrency, args.rounds, args.uncached
    )
    chain = args.path.split("/")[3] if args.path.startswith("/api/chains/") else "pv"
    cold = cold_analysis_ms(chain)
    rows = [
        (
            r["round"],
            r["concurrency"],
            f"{r['requests']:,}",
            f"{r['rps']:,.0f}",
            f"{r['p50_ms']:.2f}",
            f"{r['p99_ms']:.2f}",
            r["errors"],
        )
        for r in results
    ]
    headers = ("round", "connections", "requests", "req/s", "p50 ms", "p99 ms", "non-200")
    caching = (
        "Without the cached-bytes layer: every request goes through routing, parameter "
        "validation and the handler, which reuses the analysis cached for the store revision."
        if args.uncached
        else "Repeated reads are answered from the bytes cached for the current store revision "
        "(`api.deps.CachedReads`)."
    )
    body = (
        f"`GET {args.path}` on the Xining dataset: uvicorn with one worker (httptools, uvloop), "
        "the embedded store, and the load generator (this script, asyncio sockets) in its own "
        "process on the same 2 cores, over 127.0.0.1.\n\n"
        + _report.table(headers, rows)
        + f"\n\n{caching} The first request after a write rebuilds the report: "
        f"{cold:.1f} ms median in process (chain view, verdicts, gaps, completeness)."
    )
    if args.no_record:
        print(body)
        return
    name, title = ("api", "API: gap endpoint over HTTP")
    if args.uncached:
        name, title = ("api-uncached", "API: gap endpoint over HTTP, without the response cache")
    _report.write_section(name, title, body, _report.command_line())


if __name__ == "__main__":
    main()
