"""The bulk path, live: ``export_bulk`` -> ``neo4j-admin database import full`` -> a Neo4j
server on the imported files -> the same counts per label and type, and the same analysis
answers, as the embedded store the files came from.

Needs the launcher of tools/neo4j-server (``CHAINKG_NEO4J_SERVER``, set by CI and by
tools/neo4j-server/with-server.sh); it imports into a scratch folder and starts a second server
there, stopped by its process id. The national case also needs the ChainKG data set
(``CHAINKG_NATIONAL_DIR``, default /work/shared/datasets/chainkg; never copied into the repo).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_store_parity import XINING, answers

from graph import Batch, MemoryStore, NodeKind, RelType
from graph.analysis import chain_view, find_gaps, segment_status
from graph.stores.neo4j.store import Neo4jStore
from loaders import load_dataset
from loaders.neo4j_bulk import export_bulk, import_arguments

LAUNCHER = os.environ.get("CHAINKG_NEO4J_SERVER", "")
NATIONAL = Path(os.environ.get("CHAINKG_NATIONAL_DIR", "/work/shared/datasets/chainkg"))


def launcher() -> str:
    if not LAUNCHER:
        if os.environ.get("CHAINKG_REQUIRE_NEO4J") == "1":
            pytest.fail("CHAINKG_REQUIRE_NEO4J=1 but CHAINKG_NEO4J_SERVER is not set")
        pytest.skip("CHAINKG_NEO4J_SERVER is not set: run under tools/neo4j-server/with-server.sh")
    return LAUNCHER


def imported(store: MemoryStore, home: Path) -> Iterator[Neo4jStore]:
    """A server on ``home`` after importing ``store``'s export; stopped afterwards."""
    files = export_bulk(store, home / "import")
    admin = subprocess.run(
        ["bash", launcher(), "admin", str(home), *import_arguments(files, str(home / "import"))],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert admin.returncode == 0, admin.stdout[-2000:] + admin.stderr[-2000:]
    out = (home / "bolt.txt").open("w")
    server = subprocess.Popen(
        ["bash", launcher(), "start", str(home), "0"],
        stdout=out,
        stderr=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "NEO4J_SERVER_PASSWORD"},
    )
    try:
        uri = wait_for_bolt(home / "bolt.txt", server)
        neo4j = Neo4jStore.connect(uri, "neo4j", "", query_timeout=None)
        try:
            yield neo4j
        finally:
            neo4j.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
        out.close()


def wait_for_bolt(path: Path, server: subprocess.Popen[bytes], seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = path.read_text(encoding="utf-8").strip()
        if text.startswith("bolt://"):
            return text.splitlines()[0]
        assert server.poll() is None, "the Neo4j server exited before it was ready"
        time.sleep(0.5)
    raise AssertionError(f"no Bolt address after {seconds} s")


def counts(store: object) -> dict[str, int]:
    return {k.value: store.count(k) for k in (*NodeKind, *RelType)}  # type: ignore[attr-defined]


def test_a_bulk_import_of_xining_answers_like_the_embedded_store(tmp_path: Path) -> None:
    launcher()
    embedded = MemoryStore()
    load_dataset(XINING, embedded)
    for neo4j in imported(embedded, tmp_path):
        assert counts(neo4j) == counts(embedded)
        assert neo4j.revision > 1_000_000_000_000  # the export's time: not 0, not any old count
        assert answers(neo4j, "xining") == answers(embedded, "xining")
        before = neo4j.revision  # writing what was imported changes nothing
        neo4j.apply(
            Batch(nodes=embedded.nodes(NodeKind.SEGMENT), edges=embedded.edges(RelType.OPERATES_IN))
        )
        assert neo4j.revision == before


@pytest.mark.skipif(
    not (NATIONAL / "company.json").is_file(), reason=f"no ChainKG data set at {NATIONAL}"
)
def test_a_bulk_import_of_the_national_pool_answers_like_the_embedded_store(
    tmp_path: Path,
) -> None:
    from loaders.chainkg import load_chainkg

    launcher()
    embedded = MemoryStore()
    load_dataset(XINING, embedded)
    load_chainkg(NATIONAL, embedded)
    for neo4j in imported(embedded, tmp_path):
        assert counts(neo4j) == counts(embedded)
        for chain in embedded.nodes(NodeKind.CHAIN):
            mine, theirs = (
                chain_view(neo4j, chain.id, "xining"),
                chain_view(embedded, chain.id, "xining"),
            )
            assert mine == theirs
            assert find_gaps(mine, verdicts=segment_status(mine)) == find_gaps(
                theirs, verdicts=segment_status(theirs)
            )
            segments = sorted(mine.segments)[:3]
            assert neo4j.national_candidates(segments) == embedded.national_candidates(segments)
