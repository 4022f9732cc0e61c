"""Fixtures of the API tests: settings, an app over a real MemoryStore, a test client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore

with warnings.catch_warnings():
    # starlette's TestClient warns that it prefers httpx2 over the installed httpx; the
    # client still works with httpx, which the project depends on.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "test-token-7f3a"


@pytest.fixture
def settings(tmp_path: Path, mini_dataset: Path) -> Settings:
    """Settings for the mini dataset (focus region ``xn``), writes enabled with ``TOKEN``."""
    return Settings(
        region="xn",
        token=TOKEN,
        dataset=mini_dataset,
        data_file=tmp_path / "graph.sqlite",
        max_depth=4,
        max_page_size=100,
        max_upload_bytes=200_000,
    )


@pytest.fixture
def client(settings: Settings, loaded_store: MemoryStore) -> Iterator[TestClient]:
    """A client of an app serving the mini dataset from an in-memory store."""
    with TestClient(create_app(settings, store=loaded_store)) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def make_client(settings: Settings, store: MemoryStore | None = None) -> TestClient:
    """A client for an app built from ``settings`` (use as a context manager: runs lifespan)."""
    return TestClient(create_app(settings, store=store), raise_server_exceptions=False)
