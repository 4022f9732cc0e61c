"""Picks and opens the store named by the settings. Nothing opens at import."""

from __future__ import annotations

from pathlib import Path

from api.settings import DEFAULT_DATASET, Settings
from graph import MemoryStore, NodeKind, Store
from graph.errors import GraphError


def open_store(settings: Settings) -> Store:
    """The configured store, opened; the caller closes it."""
    if settings.backend == "memory":
        return MemoryStore(settings.data_file)
    if settings.backend == "neo4j":
        from graph.stores.neo4j.store import Neo4jStore  # imported only when asked for

        return Neo4jStore.connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            batch_size=settings.neo4j_batch_size,
        )
    raise GraphError(f"unknown back end {settings.backend!r}: use 'memory' or 'neo4j'")


def store_is_new(store: Store, settings: Settings) -> bool:
    """True when there is no store at all yet: not a single chainkg node (a dataset can
    never be emptied by a load: ``replace_dataset`` refuses an empty batch), on any back end."""
    return not any(store.count(kind) for kind in NodeKind)


def quick_start_dataset(store: Store, settings: Settings) -> Path | None:
    """What ``chainkg serve`` loads before starting, if anything: ``CHAINKG_DATASET`` into a
    store that holds no dataset yet, or the Xining reference dataset when there is no store
    at all. Never anything into a store that holds a dataset."""
    if store.count(NodeKind.CHAIN):
        return None
    if settings.dataset is not None:
        return settings.dataset
    return DEFAULT_DATASET if store_is_new(store, settings) else None
