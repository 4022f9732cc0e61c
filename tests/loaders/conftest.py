"""The loader tests written against the English msgids run in English; tests of what officers
see (Chinese by default) say ``use_lang("zh")`` themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.i18n import use_lang


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with use_lang("en"):
        yield
