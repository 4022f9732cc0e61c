"""Fixtures shared by every test package: the small hand-made dataset and a store loaded from it.

Package-specific fixtures live in the package's own conftest (e.g. tests/graph/conftest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import MemoryStore
from loaders import load_dataset

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: never a downloaded browser
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for every browser test of the session (Playwright's sync API
    runs one driver per thread, so the packages must share it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def mini_dataset() -> Path:
    """Path of tests/fixtures/mini, the small valid dataset (read-only: copy it to edit)."""
    return FIXTURES / "mini"


@pytest.fixture
def broken_dataset() -> Path:
    """Path of tests/fixtures/broken: the mini dataset with planted errors (see EXPECTED.md)."""
    return FIXTURES / "broken"


@pytest.fixture
def mini_copy(tmp_path: Path, mini_dataset: Path) -> Path:
    """A writable copy of the mini dataset, for tests that edit one file of it."""
    return Path(shutil.copytree(mini_dataset, tmp_path / "mini"))


@pytest.fixture
def loaded_store(mini_dataset: Path) -> MemoryStore:
    """A fresh in-memory store with the mini dataset loaded (each test gets its own)."""
    store = MemoryStore()
    load_dataset(mini_dataset, store)
    return store


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the default language (Chinese): a CLI run with ``--lang en`` sets
    the language for the rest of its thread, which must not leak into the next test."""
    from graph.i18n import DEFAULT_LANG, current_lang

    token = current_lang.set(DEFAULT_LANG)
    yield
    current_lang.reset(token)
