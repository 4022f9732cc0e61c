"""The pipeline part of the Store contract (负责人, 下次联系日期, 跟进记录), on every back end
(see conftest.py). Spelled out in /work/wt/PROTOCOL.md for the SQLite and Neo4j stores.
Surviving a restart of a file-backed store is checked end to end through the console
(tests/api/test_console_pages.py), whatever store the settings pick."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from graph import NotFound, Store, TargetStatus
from loaders import load_dataset


@pytest.fixture
def loaded(store: Store, mini_dataset: Path) -> Store:
    load_dataset(mini_dataset, store)
    return store


def test_owner_and_next_contact_are_set_kept_and_cleared(loaded: Store) -> None:
    revision = loaded.revision
    entry = loaded.set_target_plan("film-h", "pv-film", owner="王科长", next_contact="2024-06-03")
    assert (entry.owner, entry.next_contact) == ("王科长", "2024-06-03")
    assert entry.priority == 1 and entry.rationale == "胶膜龙头"  # the rest is untouched
    assert loaded.targets(["pv-film"]) == [entry]
    assert loaded.revision > revision
    kept = loaded.set_target_plan("film-h", "pv-film", next_contact="2024-06-10")
    assert (kept.owner, kept.next_contact) == ("王科长", "2024-06-10")
    cleared = loaded.set_target_plan("film-h", "pv-film", owner="")
    assert (cleared.owner, cleared.next_contact) == ("", "2024-06-10")


def test_status_moves_keep_the_plan(loaded: Store) -> None:
    loaded.set_target_plan("film-h", "pv-film", owner="李四", next_contact="2024-06-03")
    moved = loaded.set_target_status("film-h", "pv-film", TargetStatus.CONTACTED, "2024-05-02", "")
    assert (moved.owner, moved.next_contact, moved.status) == ("李四", "2024-06-03", "已接触")


@pytest.mark.parametrize("bad", ["2024-02-30", "2024/06/03", "下周一"])
def test_a_bad_next_contact_date_writes_nothing(loaded: Store, bad: str) -> None:
    revision = loaded.revision
    with pytest.raises(ValidationError, match="YYYY-MM-DD|date"):
        loaded.set_target_plan("film-h", "pv-film", next_contact=bad)
    assert loaded.revision == revision
    assert loaded.targets(["pv-film"])[0].next_contact == ""


def test_the_plan_of_an_entry_that_is_not_on_the_list(loaded: Store) -> None:
    with pytest.raises(NotFound, match="unknown target-list entry id 'poly-a -> pv-film'"):
        loaded.set_target_plan("poly-a", "pv-film", owner="x")
    with pytest.raises(NotFound, match="did you mean: film-h"):
        loaded.add_followup("film-hh", "pv-film", "2024-05-01", "电话")


def test_followups_append_in_order_and_filter(loaded: Store) -> None:
    revision = loaded.revision
    first = loaded.add_followup("film-h", "pv-film", "2024-05-03", "电话联系，约下周拜访", "王")
    second = loaded.add_followup("film-h", "pv-film", "2024-05-01", "首次邮件")
    third = loaded.add_followup("film-h", "pv-film", "2024-05-03", "发送园区资料")
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert loaded.revision > revision
    log = loaded.followups("film-h")
    assert [f.text for f in log] == ["首次邮件", "电话联系，约下周拜访", "发送园区资料"]
    assert log[1].author == "王" and log[1].date == "2024-05-03"
    assert loaded.followups(segment_ids=["pv-film"]) == log
    assert loaded.followups("poly-a") == []
    assert loaded.followups(segment_ids=["pv-wafer"]) == []


@pytest.mark.parametrize(("date", "text"), [("2024-13-01", "x"), ("2024-05-01", "")])
def test_a_bad_followup_writes_nothing(loaded: Store, date: str, text: str) -> None:
    revision = loaded.revision
    with pytest.raises(ValidationError):
        loaded.add_followup("film-h", "pv-film", date, text)
    assert loaded.followups() == [] and loaded.revision == revision


def test_reloading_the_dataset_keeps_the_pipeline(loaded: Store, mini_dataset: Path) -> None:
    loaded.set_target_plan("film-h", "pv-film", owner="王科长", next_contact="2024-06-03")
    loaded.add_followup("film-h", "pv-film", "2024-05-03", "电话联系")
    load_dataset(mini_dataset, loaded)
    entry = loaded.targets(["pv-film"])[0]
    assert (entry.owner, entry.next_contact) == ("王科长", "2024-06-03")
    assert [f.text for f in loaded.followups("film-h")] == ["电话联系"]
