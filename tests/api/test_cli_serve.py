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
        "CHAINKG_DATA_FILE": str(tmp_path / "graph.sqlite"),
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
    assert (tmp_path / "graph.sqlite").exists(), "the loaded dataset was saved"


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
        "CHAINKG_DATA_FILE": str(tmp_path / "graph.sqlite"),
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
    assert "problem(s) found" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_serve_names_a_bad_setting(tmp_path: Path) -> None:
    env = {**os.environ, "CHAINKG_MAX_DEPTH": "999"}
    launcher = "from api.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", launcher, "serve"], env=env, capture_output=True, timeout=60
    )
    assert result.returncode == 1
    assert "CHAINKG_MAX_DEPTH" in result.stderr.decode()
