"""A real chainkg server for the console's browser tests: ``uvicorn`` in a subprocess on
127.0.0.1, over a real SQLite data file (the dataset loaded into it first, as ``chainkg serve``
would), stopped by its own process id."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from graph import SqliteStore
from loaders import load_dataset

REPO = Path(__file__).resolve().parents[2]
XINING = REPO / "data" / "xining"
TOKEN = "console-test-token-4b1d"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``chainkg`` served from ``data_file``; ``start()``/``stop()`` may be repeated (a restart)."""

    def __init__(self, data_file: Path, dataset: Path = XINING, region: str = "xining") -> None:
        self.data_file = data_file
        self.dataset = dataset
        self.region = region
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> Server:
        if not self.data_file.exists():  # the first start: load, as the quick start does
            store = SqliteStore(self.data_file)
            try:
                load_dataset(self.dataset, store)
            finally:
                store.close()
        env = {
            **os.environ,
            "CHAINKG_DATA_FILE": str(self.data_file),
            "CHAINKG_DATASET": str(self.dataset),
            "CHAINKG_REGION": self.region,
            "CHAINKG_TOKEN": TOKEN,
        }
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=env, cwd=REPO)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited while starting"
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"the server did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # this process, by its id
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
