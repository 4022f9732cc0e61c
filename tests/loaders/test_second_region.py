"""A second region's dataset written only from docs/data-format.md loads like Xining's, and
its broken twin gets every planted problem (tests/fixtures/second-region-broken/EXPECTED.md)
in one run, at its file:line:field, in Chinese, with nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from graph import DatasetError, MemoryStore, NodeKind
from graph.i18n import use_lang
from graph.schema import Firm, HasCapacity, Kpi, OperatesIn, Project, TargetedFor
from loaders import load_dataset, read_dataset

FIXTURES = Path(__file__).parents[1] / "fixtures"
GOOD, BROKEN = FIXTURES / "second-region", FIXTURES / "second-region-broken"


class Planted(NamedTuple):
    file: str
    line: int
    field: str
    says: str


def planted(section: int) -> list[Planted]:
    """Rows of the ``section``-th table of EXPECTED.md (0: problems, 1: warnings)."""
    tables = (BROKEN / "EXPECTED.md").read_text(encoding="utf-8").split("\n\n")
    tables = [t for t in tables if t.startswith("| file |")]
    rows = []
    for text in tables[section].splitlines()[2:]:
        file, line, fld, _kind, says = (c.strip() for c in text.strip().strip("|").split("|"))
        rows.append(Planted(file, int(line), fld, says))
    return rows


def test_the_second_region_loads_with_its_own_region_and_officers_forms() -> None:
    with use_lang("zh"):
        store = MemoryStore()
        dataset = load_dataset(GOOD, store)
    assert dataset.region == "baotou"
    assert store.count(NodeKind.CHAIN) == 2 and store.count(NodeKind.SEGMENT) == 6
    ops = {(e.src, e.dst): e for e in dataset.batch.edges if isinstance(e, OperatesIn)}
    assert (ops[("bt-a", "re-separation")].capacity, ops[("bt-a", "re-separation")].unit) == (
        5.0,
        "万吨",
    )
    assert ops[("bt-a", "re-separation")].approximate
    assert ops[("bt-a", "re-concentrate")].capacity == 12.0
    assert (ops[("bt-b", "re-ndfeb")].capacity, ops[("bt-b", "re-ndfeb")].year) == (2000.0, 2023)
    assert (ops[("bt-c", "wind-nacelle")].capacity, ops[("bt-c", "wind-nacelle")].unit) == (
        1.5,
        "GW",
    )
    firm = next(n for n in dataset.batch.nodes if isinstance(n, Firm) and n.id == "bt-a")
    assert firm.registry_code == "91150200MA0000000A"
    [target] = [e for e in dataset.batch.edges if isinstance(e, TargetedFor) and e.src == "bt-t1"]
    assert target.year == 2024
    [capacity] = [e for e in dataset.batch.edges if isinstance(e, HasCapacity)]
    assert (capacity.capacity, capacity.approximate) == (10.0, True)
    [project] = [n for n in dataset.batch.nodes if isinstance(n, Project)]
    assert (project.investment, project.approximate) == (20.0, True)
    [kpi] = [n for n in dataset.batch.nodes if isinstance(n, Kpi)]
    assert (kpi.value, kpi.unit) == (2.0, "家")
    assert [(w.file, w.line) for w in dataset.warnings] == [("targets.csv", 2)]


def test_the_broken_twin_gets_every_planted_problem_in_one_run() -> None:
    with use_lang("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(BROKEN)
    expected, found = planted(0), caught.value.problems
    assert sorted((p.file, p.line, p.field) for p in found) == sorted(
        (e.file, e.line, e.field) for e in expected
    )
    by_place = {(p.file, p.line, p.field): p.message for p in found}
    for row in expected:
        assert row.says in by_place[(row.file, row.line, row.field)], row
    warnings = {(w.file, w.line, w.field): w.message for w in caught.value.warnings}
    assert set(warnings) == {(w.file, w.line, w.field) for w in planted(1)}
    for row in planted(1):
        assert row.says in warnings[(row.file, row.line, row.field)], row


def test_the_broken_twin_plants_many_kinds() -> None:
    assert len(planted(0)) >= 20
    assert len({(p.file, p.line) for p in planted(0)}) < len(planted(0)), "two on one record"
