"""The ``store`` fixture: one contract suite, run on every back end.

``memory`` and ``sqlite`` (a real SQLite file in a temporary directory) always run. ``neo4j``
runs when NEO4J_URI is set (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE as for chainkg
itself) and is skipped with the reason otherwise -- unless CHAINKG_REQUIRE_NEO4J=1 (CI,
tools/neo4j-server/with-server.sh): then it fails.
The neo4j case DELETES every chainkg node of that database before each test: point it at a
scratch server (``docker compose up -d neo4j``, see docs/neo4j.md), never at one you care about.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from graph import MemoryStore, SqliteStore, Store

BACKENDS = ("memory", "sqlite", "neo4j")
NEO4J_SKIP = (
    "NEO4J_URI is not set: the neo4j contract case needs a scratch Neo4j 5 server "
    "(docker compose up -d neo4j; see docs/neo4j.md). It wipes that database."
)
# Small on purpose: every batch of the fixtures spans several UNWIND statements.
CONTRACT_BATCH_SIZE = 7


def open_neo4j() -> Store:
    from graph.stores.neo4j.store import Neo4jStore

    return Neo4jStore.connect(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        batch_size=CONTRACT_BATCH_SIZE,
        query_timeout=None,  # answers are checked here, not latency (shared, busy machines)
    )


def live_neo4j() -> Store:
    """The scratch server's store; skipped without one (failed under CHAINKG_REQUIRE_NEO4J)."""
    if not os.environ.get("NEO4J_URI"):
        if os.environ.get("CHAINKG_REQUIRE_NEO4J") == "1":
            pytest.fail("CHAINKG_REQUIRE_NEO4J=1 but NEO4J_URI is not set")
        pytest.skip(NEO4J_SKIP)
    return open_neo4j()


@pytest.fixture
def neo4j_store() -> Iterator[Store]:
    """An empty store on the scratch Neo4j server (skipped without one, see above)."""
    store = live_neo4j()
    store.clear()  # type: ignore[attr-defined]
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """An empty store of each back end."""
    if request.param == "memory":
        yield MemoryStore()
        return
    if request.param == "sqlite":
        sqlite_store = SqliteStore(tmp_path_factory.mktemp("sqlite") / "graph.sqlite")
        yield sqlite_store
        sqlite_store.close()
        return
    neo4j_store = live_neo4j()
    neo4j_store.clear()  # type: ignore[attr-defined]
    try:
        yield neo4j_store
    finally:
        neo4j_store.close()


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """The core's tests read messages in English (the msgids); Chinese, the default, is
    tested where users see it (tests/api, tests/test_i18n.py)."""
    from graph.i18n import use_lang

    with use_lang("en"):
        yield
