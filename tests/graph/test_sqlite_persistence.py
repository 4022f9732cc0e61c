"""The SQLite file as users rely on it: the revision survives a restart, two real servers on one
file lose no acknowledged write, ``kill -9`` in a stream of writes loses nothing acknowledged
and leaves no stray file, and nothing planted in the working directory is ever executed."""

from __future__ import annotations

import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from graph import Batch, Chain, GraphError, Kpi, NodeKind, RelType, SqliteStore, TargetedFor
from loaders import load_dataset

ROOT = Path(__file__).resolve().parents[2]
SRC = {"source": "test", "year": 2024}
TOKEN = "test-token-persistence"
LAUNCHER = "from api.cli import main; main()"  # what the chainkg script runs


def test_the_revision_and_every_write_survive_a_restart(tmp_path: Path, mini_dataset: Path) -> None:
    path = tmp_path / "graph.sqlite"
    store = SqliteStore(path)
    load_dataset(mini_dataset, store)
    store.apply(Batch(nodes=[Chain(id="extra", name="新链", **SRC)]))
    revision = store.revision
    store.close()
    again = SqliteStore(path)
    assert again.revision == revision == 2
    assert again.get("extra").name == "新链" and again.count(NodeKind.SEGMENT) == 11
    load_dataset(mini_dataset, again)  # a repeated load is a no-op: the revision stays
    assert again.revision == revision
    again.close()


def test_a_second_store_on_the_file_sees_the_first_ones_writes(tmp_path: Path) -> None:
    one, two = SqliteStore(tmp_path / "g.sqlite"), SqliteStore(tmp_path / "g.sqlite")
    one.apply(Batch(nodes=[Chain(id="a", name="甲", **SRC)]))
    assert two.revision == 1 and two.get("a").name == "甲"
    two.apply(Batch(nodes=[Chain(id="b", name="乙", **SRC)]))
    assert [c.id for c in one.nodes(NodeKind.CHAIN)] == ["a", "b"] and one.revision == 2
    one.close()
    two.close()


def test_a_file_that_is_not_ours_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    path.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(GraphError, match="is not a chainkg SQLite data file"):
        SqliteStore(path)


# ------------------------------------------------------------------------- two real servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_file: Path, dataset: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "CHAINKG_DATA_FILE": str(data_file),
        "CHAINKG_DATASET": str(dataset),
        "CHAINKG_REGION": "xn",
        "CHAINKG_TOKEN": TOKEN,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-c", LAUNCHER, "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            stop(server)
            raise RuntimeError(f"server did not start: {server.stderr and server.stderr.read()}")
        time.sleep(0.2)


def stop(server: subprocess.Popen[bytes]) -> None:
    os.kill(server.pid, signal.SIGTERM)  # by its own process id
    try:
        server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        server.communicate()


def test_two_servers_on_one_file_lose_no_acknowledged_write(
    tmp_path: Path, mini_dataset: Path
) -> None:
    data_file = tmp_path / "graph.sqlite"
    first, url_a = start_server(data_file, mini_dataset)
    second, url_b = start_server(data_file, mini_dataset)
    try:
        with _open(data_file) as probe:
            entries = sorted((e.src, e.dst) for e in probe.edges(RelType.TARGETED_FOR))
        assert len(entries) >= 2
        auth = {"Authorization": f"Bearer {TOKEN}"}
        acknowledged: dict[tuple[str, str], str] = {}
        for round_ in range(6):
            for i, (firm, segment) in enumerate(entries):  # the servers take turns
                url = (url_a, url_b)[(i + round_) % 2]
                note = f"{url[-5:]}-round-{round_}"
                body = {"status": "已接触", "date": "2024-05-01", "note": note, "correction": True}
                response = httpx.put(
                    f"{url}/api/targets/{firm}/{segment}/status", json=body, headers=auth
                )
                assert response.status_code == 200, response.text
                acknowledged[(firm, segment)] = note
        for url in (url_a, url_b):  # each server serves the other's writes too
            for (firm, segment), note in acknowledged.items():
                targets = httpx.get(f"{url}/api/firms/{firm}").json()["targets"]
                assert {t["segment"]: t["status_note"] for t in targets}[segment] == note
    finally:
        stop(first)
        stop(second)
    with _open(data_file) as restarted:
        stored = {(e.src, e.dst): e for e in restarted.edges(RelType.TARGETED_FOR)}
    for key, note in acknowledged.items():
        entry = stored[key]
        assert isinstance(entry, TargetedFor) and entry.status_note == note


class _open:  # noqa: N801 - a closing context manager for a store
    def __init__(self, path: Path) -> None:
        self.store = SqliteStore(path)

    def __enter__(self) -> SqliteStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


# ------------------------------------------------------------------------- kill -9


WRITER = """
import sys
from graph import Batch, Kpi, SqliteStore
store = SqliteStore(sys.argv[1])
for i in range(1_000_000):
    store.apply(Batch(nodes=[Kpi(id=f"k{i}", name="写入", value=i, source="test")]))
    print(i, flush=True)  # printed only after the commit: an acknowledgement
"""


def test_kill_9_in_a_stream_of_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "graph.sqlite"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert writer.stdout is not None
    acknowledged = []
    for line in writer.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 150:
            break
    os.kill(writer.pid, signal.SIGKILL)
    rest = writer.communicate()[0].decode().split()
    acknowledged += [int(x) for x in rest]
    with _open(path) as store:
        stored = {k.id for k in store.nodes(NodeKind.KPI) if isinstance(k, Kpi)}
        assert {f"k{i}" for i in acknowledged} <= stored
        assert store.revision == len(stored)
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["graph.sqlite"], "no journal, WAL or temporary file is left behind"


# ------------------------------------------------------------------------- planted files


class Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('executed')",))


def run_cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHAINKG_", "NEO4J_"))}
    return subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_pickle_planted_in_the_working_directory_is_never_executed(tmp_path: Path) -> None:
    folder = tmp_path / "received-from-someone"
    (folder / ".chainkg").mkdir(parents=True)
    marker = tmp_path / "EXECUTED"
    planted = folder / ".chainkg" / "graph.pickle"
    planted.write_bytes(pickle.dumps(Payload(marker)))
    xdg = str(tmp_path / "data-home")
    for backend in ("sqlite", "memory"):
        result = run_cli(folder, "stats", XDG_DATA_HOME=xdg, CHAINKG_BACKEND=backend)
        assert result.returncode == 0, result.stderr
    pointed = run_cli(folder, "stats", XDG_DATA_HOME=xdg, CHAINKG_DATA_FILE=str(planted))
    assert pointed.returncode == 1 and "is not a chainkg SQLite data file" in pointed.stderr
    assert not marker.exists(), "a file from the working directory ran code"
    assert (tmp_path / "data-home" / "chainkg" / "graph.sqlite").exists()
