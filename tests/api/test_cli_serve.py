"""``chainkg serve`` starts the console and the API on the configured store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_loads_the_default_dataset_and_answers(tmp_path: Path, mini_dataset: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "CHAINKG_DATA_FILE": str(tmp_path / "graph.pickle"),
        "CHAINKG_DATASET": str(mini_dataset),
        "CHAINKG_REGION": "xn",
    }
    env.pop("CHAINKG_TOKEN", None)
    launcher = "from api.cli import main; main()"  # what the chainkg script runs
    command = [sys.executable, "-c", launcher, "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        health = wait_for(f"http://127.0.0.1:{port}/health").json()
        assert health["chains"] == 2 and health["writes_enabled"] is False
        console = httpx.get(f"http://127.0.0.1:{port}/")
        assert console.status_code == 200 and "光伏制造" in console.text
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert f"http://127.0.0.1:{port}/" in output
    assert (tmp_path / "graph.pickle").exists(), "the loaded dataset was saved"


def test_serve_help_names_its_options() -> None:
    from typer.testing import CliRunner

    from api.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--reload"):
        assert option in result.output


def test_serve_prints_dataset_problems_instead_of_a_trace(
    tmp_path: Path, broken_dataset: Path
) -> None:
    env = {
        **os.environ,
        "CHAINKG_DATA_FILE": str(tmp_path / "graph.pickle"),
        "CHAINKG_DATASET": str(broken_dataset),
    }
    launcher = "from api.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", launcher, "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "处问题" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_serve_names_a_bad_setting(tmp_path: Path) -> None:
    env = {**os.environ, "CHAINKG_MAX_DEPTH": "999"}
    launcher = "from api.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", launcher, "serve"], env=env, capture_output=True, timeout=60
    )
    assert result.returncode == 1
    assert "CHAINKG_MAX_DEPTH" in result.stderr.decode()


def serve_once(tmp_path: Path, **env: str) -> tuple[dict, str, str]:  # type: ignore[type-arg]
    """Start `chainkg serve` with no chainkg setting but ``env``; (health, stdout, stderr)."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHAINKG_", "NEO4J_"))}
    clean.update({"CHAINKG_DATA_FILE": str(tmp_path / "graph.pickle"), **env})
    command = [
        sys.executable,
        "-c",
        "from api.cli import main; main()",
        "serve",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        health = wait_for(f"http://127.0.0.1:{port}/health", seconds=60).json()
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    return health, out.decode(), err.decode()


def test_the_quick_start_loads_the_reference_dataset_only_with_no_store(tmp_path: Path) -> None:
    health, out, err = serve_once(tmp_path)
    assert health["chains"] == 6
    assert "快速开始" in err and "data/xining" in err and "西宁" not in out
    health, _, err = serve_once(tmp_path)  # the store exists now: nothing loaded again
    assert health["revision"] == 0 and "快速开始" not in err


def test_serve_never_loads_into_a_store_holding_another_dataset(
    tmp_path: Path, mini_dataset: Path
) -> None:
    second = Path(__file__).resolve().parents[1] / "fixtures" / "shilishi"
    health, _, err = serve_once(tmp_path, CHAINKG_DATASET=str(second))
    assert health["chains"] == 1 and "快速开始" in err
    health, _, err = serve_once(tmp_path, CHAINKG_DATASET=str(mini_dataset))
    assert health["chains"] == 1, "the other dataset was not merged in"
    assert "未加载 CHAINKG_DATASET" in err and "--replace" in err
