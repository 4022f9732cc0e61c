"""A write whose snapshot cannot be saved is not applied in memory either."""

from __future__ import annotations

import pytest

from graph import Batch, Chain, GraphError, MemoryStore

SRC = {"source": "test", "year": 2024}


def test_failed_save_leaves_memory_as_on_disk(tmp_path, monkeypatch):
    path = tmp_path / "graph.pickle"
    store = MemoryStore(path)
    store.apply(Batch(nodes=[Chain(id="kept", name="保留", **SRC)]))
    revision = store.revision

    def full_disk(self, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(MemoryStore, "save", full_disk)
    with pytest.raises(GraphError, match="not applied.*|No space"):
        store.apply(Batch(nodes=[Chain(id="lost", name="丢失", **SRC)]))
    assert store.find("lost") is None and store.find("kept") is not None
    assert store.revision == revision
    monkeypatch.undo()
    assert MemoryStore(path).find("lost") is None
