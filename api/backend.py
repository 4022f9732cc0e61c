"""Picks and opens the store named by the settings. Nothing opens at import."""

from __future__ import annotations

from api.settings import Settings
from graph import MemoryStore, SqliteStore, Store
from graph.errors import GraphError


def open_store(settings: Settings) -> Store:
    """The configured store, opened; the caller closes it."""
    if settings.backend == "sqlite":
        return SqliteStore(settings.data_file)
    if settings.backend == "memory":
        return MemoryStore()  # in-process only: nothing is read from or written to disk
    if settings.backend == "neo4j":
        from graph.stores.neo4j.store import Neo4jStore  # imported only when asked for

        return Neo4jStore.connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            batch_size=settings.neo4j_batch_size,
        )
    raise GraphError(f"unknown back end {settings.backend!r}: use 'sqlite', 'memory' or 'neo4j'")


def ensure_loaded(store: Store, settings: Settings) -> bool:
    """Load the default dataset when the store holds no chain yet; True if it loaded."""
    from graph import NodeKind
    from loaders import load_dataset

    if store.count(NodeKind.CHAIN):
        return False
    load_dataset(settings.dataset, store)
    return True
