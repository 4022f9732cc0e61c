"""Every problem in one pass, none hidden by another; full-width forms compared as one; ChainKG
files re-saved with a byte-order mark and CRLF line ends lose no record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import DatasetError, Problem
from graph.schema import Firm
from loaders import read_dataset
from loaders.chainkg import FILES, read_chainkg

SAMPLE = Path(__file__).parents[1] / "fixtures" / "chainkg_sample"


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    return caught.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_duplicate_id_is_not_hidden_behind_another_error_of_its_record(mini_copy: Path) -> None:
    edit(
        mini_copy / "chains/pv.yaml",
        "{id: pv-cell, name: 电池片, stage: 中游",
        "{id: pv-wafer, name: 电池片, stage: 侧游",
    )
    found = {(p.file, p.field) for p in problems_of(mini_copy) if p.file == "chains/pv.yaml"}
    assert ("chains/pv.yaml", "id") in found and ("chains/pv.yaml", "stage") in found


def test_two_invalid_records_with_one_id_are_both_reported(mini_copy: Path) -> None:
    text = (mini_copy / "kpis.yaml").read_text(encoding="utf-8")
    bad = "  - {id: kpi-x, name: 甲, value: abc, unit: 家, source: s, year: 2022}\n"
    (mini_copy / "kpis.yaml").write_text(text + bad + bad, encoding="utf-8")
    found = [(p.line, p.field) for p in problems_of(mini_copy) if p.file == "kpis.yaml"]
    assert sorted(found) == [(3, "value"), (4, "id"), (4, "value")]


def test_a_row_missing_a_required_cell_still_has_its_other_problems_reported(
    mini_copy: Path,
) -> None:
    table = mini_copy / "local_firms.csv"
    text = table.read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    header = text[0].split(",")
    cells[header.index("source")] = ""
    cells[header.index("capacity")] = "很多"
    cells[header.index("segment")] = "pv-polyy"
    text[1] = ",".join(cells)
    table.write_text("\n".join(text) + "\n", encoding="utf-8")
    found = {p.field for p in problems_of(mini_copy) if (p.file, p.line) == ("local_firms.csv", 2)}
    assert found == {"source", "capacity", "segment"}


def test_a_bad_year_does_not_hide_an_unknown_reference(mini_copy: Path) -> None:
    text = (mini_copy / "maps.yaml").read_text(encoding="utf-8")
    head, tail = text.rsplit("chain: li\n", 1)
    tail = tail.replace("year: 2023", "year: 2023-01-01")
    (mini_copy / "maps.yaml").write_text(head + "chain: lii\n" + tail, encoding="utf-8")
    found = {p.field for p in problems_of(mini_copy) if p.file == "maps.yaml"}
    assert found == {"chain", "year"}


def test_full_width_ids_and_codes_are_the_ascii_ones(mini_copy: Path) -> None:
    table = mini_copy / "local_firms.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(
        text.replace(",pv-cell,", ",ｐｖ－ｃｅｌｌ,").replace("688001", "６８８００１")
    )
    dataset = read_dataset(mini_copy)
    firm = next(n for n in dataset.batch.nodes if isinstance(n, Firm) and n.id == "cell-c")
    assert firm.stock_code == "688001.SH"


def test_full_width_brackets_do_not_make_two_firms_disagree(mini_copy: Path) -> None:
    table = mini_copy / "local_firms.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    rows = [i for i, line in enumerate(lines) if line.startswith("cell-c,")]
    lines[rows[0]] = lines[rows[0]].replace("丙能源股份有限公司", "丙能源（集团）股份有限公司")
    lines[rows[1]] = lines[rows[1]].replace("丙能源股份有限公司", "丙能源(集团)股份有限公司")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_dataset(mini_copy)  # one firm, not "rows of one firm must agree"


def test_the_same_full_name_in_other_bracket_widths_is_one_firm_under_two_ids(
    mini_copy: Path,
) -> None:
    table = mini_copy / "local_firms.csv"
    text = table.read_text(encoding="utf-8")
    text = text.replace("甲硅业有限公司", "甲（青海）有限公司").replace(
        "丁锂能有限公司", "甲(青海)有限公司"
    )
    table.write_text(text, encoding="utf-8")
    found = [p for p in problems_of(mini_copy) if p.field == "full_name"]
    assert len(found) == 1 and "one firm, two ids" in found[0].message


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"])
def test_chainkg_files_with_a_byte_order_mark_lose_no_record(
    tmp_path: Path, line_end: bytes
) -> None:
    plain = read_chainkg(SAMPLE).report
    copy = Path(shutil.copytree(SAMPLE, tmp_path / "chainkg"))
    for name in FILES:
        raw = (copy / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", line_end)
        (copy / name).write_bytes(b"\xef\xbb\xbf" + raw)
    report = read_chainkg(copy).report
    for name in FILES:
        before, after = plain.files[name], report.files[name]
        assert (after.loaded, after.dropped_total) == (before.loaded, before.dropped_total), name
        assert "not valid JSON" not in after.dropped or after.dropped == before.dropped
