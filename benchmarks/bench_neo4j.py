"""The Neo4j back end on a live server at national scale, beside the embedded store.

For each size, ``gen_scale.generate`` builds Xining plus N synthetic firms in the embedded
store; then a fresh Neo4j 5.26 server (tools/neo4j-server, heap and page cache 4 GB each) is
started on a scratch folder and measured:

- ``neo4j-admin database import full`` of ``export_bulk``'s files, relationships per second
  (JVM start included); the queries run on the server started on that import (after
  ``ensure_schema`` built the constraints and indexes, timed);
- ingest through the driver (sizes up to ``--ingest-max``): ``Neo4jStore.apply`` of batches
  of 50k records into a fresh server (one managed transaction each, checked like any write),
  relationships per second;
- gap query (chain view + verdicts + gaps) p50/p99, targets top 10, firm search, a status
  write and the API's gap report (``gap_report``, what /chains/{id}/gaps computes on a cache
  miss) -- each beside the embedded store, and each answer compared with the embedded one.

    python benchmarks/bench_neo4j.py --firms 100000 1000000
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import command_line, latencies, percentile, table, write_section  # noqa: E402
from graph import Batch, Firm, MemoryStore, NodeKind, RelType, Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "tools" / "neo4j-server" / "run.sh"
CHAINS = ("pv", "lithium")
REGION = "xining"
CHUNK = 50_000
SLOW = 2.0  # seconds: a query slower than this is timed once (N+1 ranking at scale)


def server(home: Path) -> Iterator[str]:
    """A scratch server on ``home`` (no authentication, 127.0.0.1), stopped by its pid."""
    env = {**os.environ, "NEO4J_SERVER_HEAP": "4g", "NEO4J_SERVER_PAGECACHE": "4g"}
    env.pop("NEO4J_SERVER_PASSWORD", None)
    home.mkdir(parents=True, exist_ok=True)
    out = home / "bolt.txt"
    with out.open("w") as fh:
        proc = subprocess.Popen(
            ["bash", str(LAUNCHER), "start", str(home), "0"], stdout=fh, env=env
        )
    try:
        while not out.read_text().startswith("bolt://"):
            if proc.poll() is not None:
                raise SystemExit("the Neo4j server did not start")
            time.sleep(0.5)
        yield out.read_text().split()[0]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=300)


def chunks_of(store: Store) -> Iterator[Batch]:
    for kind in NodeKind:
        nodes = store.nodes(kind)
        for i in range(0, len(nodes), CHUNK):
            yield Batch.model_construct(nodes=nodes[i : i + CHUNK], edges=[])
    for rel in RelType:
        edges = store.edges(rel)
        for i in range(0, len(edges), CHUNK):
            yield Batch.model_construct(nodes=[], edges=edges[i : i + CHUNK])


def rels(store: Store) -> int:
    return sum(store.count(r) for r in RelType)


def ms(samples: list[float], q: float) -> float:
    return round(percentile(samples, q) * 1000, 2)


def pair(label: str, neo: Callable[[], Any], mem: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """p50/p99 of both, and whether the answers are identical. A call slower than
    ``SLOW`` seconds is timed once instead of ``repeat`` times."""
    start = time.perf_counter()
    mine = neo()
    once = time.perf_counter() - start
    same = mine == mem()
    if once > SLOW:
        return {
            "what": label,
            "neo_p50": round(once * 1000),
            "neo_p99": "(1 run)",
            "mem_p50": ms(latencies(mem, 5, 1), 50),
            "mem_p99": "",
            "same": same,
        }
    a, b = latencies(neo, repeat, warmup=3), latencies(mem, repeat, warmup=3)
    return {
        "what": label,
        "neo_p50": ms(a, 50),
        "neo_p99": ms(a, 99),
        "mem_p50": ms(b, 50),
        "mem_p99": ms(b, 99),
        "same": same,
    }


def queries(neo: Store, mem: MemoryStore, repeat: int) -> list[dict[str, Any]]:
    from api.deps import RevisionCache
    from api.routes.gaps import gap_report
    from graph.analysis import chain_view, find_gaps, rank_targets, segment_status

    def gaps(store: Store, chain: str) -> Callable[[], Any]:
        def run() -> Any:
            view = chain_view(store, chain, REGION)
            return find_gaps(view, verdicts=segment_status(view))

        return run

    def top10(store: Store, chain: str) -> Callable[[], Any]:
        return lambda: rank_targets(store, chain_view(store, chain, REGION), top=10)

    def report(store: Store, chain: str) -> Callable[[], Any]:
        return lambda: gap_report(store, RevisionCache(), chain, REGION, None, None).body

    found = []
    for chain in CHAINS:
        found.append(pair(f"gap query {chain}", gaps(neo, chain), gaps(mem, chain), repeat))
        found.append(
            pair(
                f"targets top 10 {chain}",
                top10(neo, chain),
                top10(mem, chain),
                max(5, repeat // 20),
            )
        )
        found.append(
            pair(
                f"API gap report {chain}",
                report(neo, chain),
                report(mem, chain),
                max(5, repeat // 4),
            )
        )
    firms = [f for f in mem.nodes(NodeKind.FIRM) if isinstance(f, Firm)]

    def scan(text: str) -> list[str]:  # the embedded answer: every firm whose name holds it
        return sorted(f.id for f in firms if text in f.name)[:10]

    def search(text: str) -> list[str]:
        return sorted(f.id for f in neo.search_nodes(text, limit=10))  # type: ignore[attr-defined]

    found.append(
        pair(
            "firm search 合成企业0001234",
            lambda: search("合成企业0001234"),
            lambda: scan("合成企业0001234"),
            repeat,
        )
    )
    entry = mem.edges(RelType.TARGETED_FOR)[0]
    state = {"n": 0}

    def write(store: Store) -> Callable[[], Any]:
        def run() -> Any:
            state["n"] += 1
            return store.set_target_status(
                entry.src, entry.dst, "contacted", "2026-11-30", f"bench {state['n'] % 2}"
            )

        return run

    found.append(pair("status write", write(neo), write(mem), max(20, repeat // 4)))
    found[-1]["same"] = "n/a"
    return found


def measure(firms: int, repeat: int, ingest: bool) -> dict[str, Any]:
    import graph.stores.neo4j.store as neo4j_store
    from benchmarks.gen_scale import generate
    from graph.stores.neo4j.store import Neo4jStore
    from loaders.neo4j_bulk import export_bulk, import_arguments

    neo4j_store.INDEX_WAIT = 7200  # index population at national scale on a shared machine
    made = generate(firms)
    mem = made.store
    result: dict[str, Any] = {"firms": made.firms, "rels": rels(mem)}
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as tmp:
        home = Path(tmp)
        files = export_bulk(mem, home / "import")
        args = import_arguments(files, str(home / "import"))
        env = {**os.environ, "NEO4J_SERVER_HEAP": "4g"}
        start = time.perf_counter()
        subprocess.run(
            ["bash", str(LAUNCHER), "admin", str(home / "bulk"), *args],
            check=True,
            capture_output=True,
            env=env,
        )
        took = time.perf_counter() - start
        result["import_s"], result["import_rels_s"] = round(took, 1), round(result["rels"] / took)
        print(result, flush=True)
        for uri in server(home / "bulk"):
            neo = Neo4jStore.connect(uri, "neo4j", "", batch_size=10_000, query_timeout=None)
            start = time.perf_counter()
            neo.ensure_schema()
            result["index_s"] = round(time.perf_counter() - start, 1)
            result["counts_same"] = all(neo.count(k) == mem.count(k) for k in (*NodeKind, *RelType))
            result["queries"] = queries(neo, mem, repeat)
            neo.close()
        print(result, flush=True)
        if not ingest:
            result["ingest_s"], result["ingest_rels_s"] = "not run", "-"
            return result
        for uri in server(home / "live"):
            neo = Neo4jStore.connect(uri, "neo4j", "", batch_size=10_000, query_timeout=None)
            neo.ensure_schema()
            start = time.perf_counter()
            for batch in chunks_of(mem):
                neo.apply(batch)
            took = time.perf_counter() - start
            result["ingest_s"], result["ingest_rels_s"] = (
                round(took, 1),
                round(result["rels"] / took),
            )
            neo.close()
    print(result, flush=True)
    return result


def report(results: list[dict[str, Any]]) -> str:
    head = table(
        [
            "firms",
            "relationships",
            "ingest via driver",
            "rels/s",
            "neo4j-admin import",
            "rels/s",
            "counts equal",
        ],
        [
            [
                f"{r['firms']:,}",
                f"{r['rels']:,}",
                f"{r['ingest_s']} s",
                f"{r['ingest_rels_s']:,}",
                f"{r['import_s']} s",
                f"{r['import_rels_s']:,}",
                r["counts_same"],
            ]
            for r in results
        ],
    )
    rows = []
    for r in results:
        for q in r["queries"]:
            rows.append(
                [
                    f"{r['firms']:,}",
                    q["what"],
                    q["neo_p50"],
                    q["neo_p99"],
                    q["mem_p50"],
                    q["mem_p99"],
                    q["same"],
                ]
            )
    body = table(
        [
            "firms",
            "query",
            "Neo4j p50 ms",
            "Neo4j p99 ms",
            "embedded p50 ms",
            "embedded p99 ms",
            "same answer",
        ],
        rows,
    )
    return head + "\n\n" + body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--ingest-max", type=int, default=100_000, help="driver ingest up to this size"
    )
    args = parser.parse_args()
    results = [measure(n, args.repeat, n <= args.ingest_max) for n in args.firms]
    write_section(
        "neo4j-live", "Neo4j back end on a live server (issue 14)", report(results), command_line()
    )


if __name__ == "__main__":
    main()
