"""Reloading a dataset keeps the pipeline progress officers recorded through the API."""

from __future__ import annotations

from graph import MemoryStore, TargetStatus
from loaders import load_dataset


def test_reload_keeps_a_status_moved_along_the_pipeline(mini_dataset):
    store = MemoryStore()
    load_dataset(mini_dataset, store)
    store.set_target_status("anode-g", "li-anode", TargetStatus.NEGOTIATING, "2026-11-20", "二轮")
    load_dataset(mini_dataset, store)
    entry = next(t for t in store.targets(["li-anode"]) if t.src == "anode-g")
    assert (entry.status, entry.status_date, entry.status_note) == (
        TargetStatus.NEGOTIATING,
        "2026-11-20",
        "二轮",
    )


def test_reload_still_takes_list_changes_other_than_status(mini_copy):
    store = MemoryStore()
    load_dataset(mini_copy, store)
    store.set_target_status("anode-g", "li-anode", TargetStatus.CONTACTED, "2026-11-01", "")
    path = mini_copy / "targets.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("负极龙头", "负极龙头，已更新"), encoding="utf-8"
    )
    load_dataset(mini_copy, store)
    entry = next(t for t in store.targets(["li-anode"]) if t.src == "anode-g")
    assert entry.rationale == "负极龙头，已更新" and entry.status == TargetStatus.CONTACTED
