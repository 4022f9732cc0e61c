"""The curated dataset loader: the mini fixture loads, the broken one reports every planted
error at its place and nothing else, loads are all or nothing, and the YAML side reports what
would otherwise be lost silently."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from graph import DatasetError, MemoryStore, NodeKind, Problem, RelType
from graph.schema import Certainty, Firm, OperatesIn, Segment
from loaders import load_dataset, read_dataset


class Planted(NamedTuple):
    file: str
    line: int
    field: str
    says: str


def planted_errors(broken: Path) -> list[Planted]:
    """The table of tests/fixtures/broken/EXPECTED.md."""
    rows = []
    for text in (broken / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].isdigit():
            file, line, fld, _kind, says = cells
            rows.append(Planted(file, int(line), fld, says))
    return rows


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    return caught.value.problems


def problem_at(path: Path, file: str, line: int) -> Problem:
    found = [p for p in problems_of(path) if (p.file, p.line) == (file, line)]
    assert len(found) == 1, problems_of(path)
    return found[0]


def content(store: MemoryStore) -> tuple[dict[NodeKind, list], dict[RelType, list]]:
    return (
        {kind: store.nodes(kind) for kind in NodeKind},
        {rel: store.edges(rel) for rel in RelType},
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# ------------------------------------------------------------------------------- the fixtures


def test_the_mini_fixture_is_valid_and_complete(mini_dataset: Path) -> None:
    dataset = read_dataset(mini_dataset)
    counts = {kind: dataset.count(kind) for kind in NodeKind if dataset.count(kind)}
    assert counts == {
        NodeKind.REGION: 2,
        NodeKind.PARK: 3,
        NodeKind.CHAIN: 2,
        NodeKind.MAP: 2,
        NodeKind.SEGMENT: 11,
        NodeKind.FIRM: 9,
        NodeKind.PROJECT: 1,
        NodeKind.KPI: 1,
    }
    assert dataset.region == "xn"
    assert dataset.meta["name"].startswith("测试小数据集")


def test_the_broken_fixture_plants_at_least_ten_kinds_of_error(broken_dataset: Path) -> None:
    kinds = {
        c.strip()
        for line in (broken_dataset / "EXPECTED.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and (c := line.split("|")[4]) and c.strip()[0].islower()
    } - {"kind of error"}
    assert len(kinds) >= 10, kinds
    assert len(planted_errors(broken_dataset)) >= 30


def test_every_planted_error_is_reported_at_its_place_and_nothing_else(
    broken_dataset: Path,
) -> None:
    expected = planted_errors(broken_dataset)
    found = problems_of(broken_dataset)
    assert sorted((p.file, p.line, p.field) for p in found) == sorted(
        (e.file, e.line, e.field) for e in expected
    )
    by_place = {(p.file, p.line, p.field): p.message for p in found}
    for planted in expected:
        message = by_place[(planted.file, planted.line, planted.field)]
        assert planted.says in message, f"{planted}: {message}"


def test_the_broken_fixture_keeps_its_gbk_encoded_csv(broken_dataset: Path) -> None:
    raw = (broken_dataset / "targets.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "庚负极" in raw.decode("gbk")
    with pytest.raises(DatasetError) as caught:
        read_dataset(broken_dataset)
    [warning] = caught.value.warnings
    assert (warning.file, warning.severity) == ("targets.csv", "warning")
    assert "GBK" in warning.message


# ------------------------------------------------------------------------------- what is read


def test_segments_and_links_inherit_source_year_and_certainty_from_their_chain(
    mini_dataset: Path,
) -> None:
    nodes = {n.id: n for n in read_dataset(mini_dataset).batch.nodes}
    wafer = nodes["pv-wafer"]
    assert isinstance(wafer, Segment)
    assert (wafer.source, wafer.year, wafer.certainty) == (
        "fixture",
        2023,
        Certainty.RECONSTRUCTED,
    )
    assert nodes["li-cell"].certainty is Certainty.VERIFIED  # li.yaml states no certainty


def test_csv_rows_become_firms_operations_and_locations(mini_dataset: Path) -> None:
    batch = read_dataset(mini_dataset).batch
    firm = next(n for n in batch.nodes if n.id == "cell-c")
    assert isinstance(firm, Firm)
    assert (firm.name, firm.full_name, firm.stock_code) == (
        "丙能源",
        "丙能源股份有限公司",
        "688001.SH",
    )
    ops = {(e.src, e.dst): e for e in batch.edges if isinstance(e, OperatesIn)}
    assert (ops["cell-c", "pv-module"].site, ops["cell-c", "pv-module"].capacity) == ("park-b", 5.9)
    assert ops["wafer-i", "pv-wafer"].site == ""  # a target firm: a national operation
    located = {(e.src, e.dst) for e in batch.edges if e.REL is RelType.LOCATED_IN}
    assert ("ingot-b", "park-a") in located


def test_a_shared_segment_is_part_of_both_chains(mini_dataset: Path) -> None:
    part_of = {(e.src, e.dst) for e in read_dataset(mini_dataset).batch.edges if e.REL == "PART_OF"}
    assert {("li-foil", "li"), ("li-foil", "pv")} <= part_of


def test_a_missing_directory_is_one_clear_problem(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path / "nope")
    assert problem.message == "no such dataset directory"


# ------------------------------------------------------------------------------- loading


def test_a_failed_load_leaves_a_loaded_store_exactly_as_it_was(
    loaded_store: MemoryStore, broken_dataset: Path
) -> None:
    before, revision = content(loaded_store), loaded_store.revision
    with pytest.raises(DatasetError):
        load_dataset(broken_dataset, loaded_store)
    assert content(loaded_store) == before
    assert loaded_store.revision == revision


def test_a_repeated_load_is_a_no_op(loaded_store: MemoryStore, mini_dataset: Path) -> None:
    before, revision = content(loaded_store), loaded_store.revision
    load_dataset(mini_dataset, loaded_store)
    assert content(loaded_store) == before
    assert loaded_store.revision == revision


def test_a_partial_dataset_may_refer_to_ids_already_in_the_store(tmp_path: Path) -> None:
    (tmp_path / "targets.csv").write_text(
        "firm_id,short_name,segment,source,year\nnew-firm,新企业,pv-wafer,https://example.org,2024\n",
        encoding="utf-8",
    )
    assert "unknown Segment 'pv-wafer'" in problem_at(tmp_path, "targets.csv", 2).message
    dataset = read_dataset(tmp_path, known={"pv-wafer": NodeKind.SEGMENT})
    assert [n.id for n in dataset.batch.nodes] == ["new-firm"]


# ------------------------------------------------------------------------------- no cascades


def test_an_invalid_segment_is_reported_once_not_again_where_it_is_used(mini_copy: Path) -> None:
    edit(
        mini_copy / "chains/pv.yaml",
        "{id: pv-cell, name: 电池片, stage: 中游",
        "{id: pv-cell, stage: 中游",
    )
    [problem] = problems_of(mini_copy)  # not also: map, links and firm rows naming pv-cell
    assert (problem.file, problem.field, problem.message) == (
        "chains/pv.yaml",
        "name",
        "required field is missing",
    )


def test_an_invalid_map_still_counts_for_its_segments(mini_copy: Path) -> None:
    edit(mini_copy / "maps.yaml", "    name: 锂电招商图谱\n", "")
    [problem] = problems_of(mini_copy)  # not also: five segments "on no map"
    assert (problem.file, problem.line, problem.field) == ("maps.yaml", 9, "name")


def test_a_bad_value_in_a_csv_row_is_reported_once(mini_copy: Path) -> None:
    edit(
        mini_copy / "local_firms.csv",
        "verified,https://example.org/d",
        "sure,https://example.org/d",
    )
    [problem] = problems_of(mini_copy)
    assert (problem.line, problem.field) == (7, "certainty")
    assert "V, U, LR, R" in problem.message


def test_an_unreadable_maps_file_is_not_also_every_segment_on_no_map(mini_copy: Path) -> None:
    edit(mini_copy / "maps.yaml", "segments: [li-cathode", "segments: [[li-cathode")
    problems = problems_of(mini_copy)
    assert [p.file for p in problems] == ["maps.yaml"]
    assert "YAML syntax error" in problems[0].message


# ------------------------------------------------------------------------------- YAML


def test_block_style_yaml_is_located_at_the_offending_key(mini_copy: Path) -> None:
    edit(mini_copy / "maps.yaml", "    chain: li\n", "    chain: lithium\n")
    problem = problem_at(mini_copy, "maps.yaml", 11)
    assert (problem.field, problem.message) == ("chain", "unknown Chain 'lithium'")


def test_a_duplicate_key_in_a_yaml_mapping_is_reported_not_silently_overwritten(
    mini_copy: Path,
) -> None:
    edit(mini_copy / "maps.yaml", "    chain: li\n", "    chain: li\n    chain: pv\n")
    problem = problem_at(mini_copy, "maps.yaml", 12)
    assert "key 'chain' appears twice" in problem.message and "line 11" in problem.message


def test_a_misspelt_section_is_reported(mini_copy: Path) -> None:
    edit(mini_copy / "regions.yaml", "parks:", "park:")
    problems = problems_of(mini_copy)
    assert ("regions.yaml", 4, "park") in {(p.file, p.line, p.field) for p in problems}
    assert any("unknown section: expected 'regions:', 'parks:'" in p.message for p in problems)


def test_an_unknown_field_suggests_the_right_spelling(mini_copy: Path) -> None:
    edit(mini_copy / "projects.yaml", "investment: 180", "invest: 180")
    problem = problem_at(mini_copy, "projects.yaml", 2)
    assert (problem.field, problem.message) == (
        "invest",
        "unknown field: did you mean 'investment'?",
    )


def test_a_link_without_its_from_says_so(mini_copy: Path) -> None:
    edit(mini_copy / "chains/li.yaml", "{from: li-cell, to: li-ess}", "{to: li-ess}")
    problem = problem_at(mini_copy, "chains/li.yaml", 15)
    assert (problem.field, problem.message) == ("from", "required field is missing")


def test_the_focus_region_must_be_a_region_of_the_dataset(mini_copy: Path) -> None:
    edit(mini_copy / "dataset.yaml", "region: xn", "region: park-a")
    problem = problem_at(mini_copy, "dataset.yaml", 2)
    assert (problem.field, problem.message) == ("region", "'park-a' is a Park, expected a Region")


def test_yaml_files_with_a_bom_are_read(mini_copy: Path) -> None:
    path = mini_copy / "chains/pv.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_dataset(mini_copy).count(NodeKind.SEGMENT) == 11


def test_an_empty_optional_file_is_empty_not_an_error(mini_copy: Path) -> None:
    (mini_copy / "kpis.yaml").write_text("", encoding="utf-8")
    assert read_dataset(mini_copy).count(NodeKind.KPI) == 0


def test_a_yaml_file_that_is_not_utf8_is_read_as_gbk_with_a_warning(mini_copy: Path) -> None:
    path = mini_copy / "kpis.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    dataset = read_dataset(mini_copy)
    [warning] = dataset.warnings
    assert warning.file == "kpis.yaml" and "re-save it as UTF-8" in warning.message
    assert dataset.count(NodeKind.KPI) == 1


# ------------------------------------------------------------------------------- cross-file rules


def test_a_cycle_through_a_shared_segment_is_found_in_the_chain_they_share(
    mini_copy: Path,
) -> None:
    edit(
        mini_copy / "chains/li.yaml",
        "  - {from: li-cell, to: li-ess}\n",
        "  - {from: li-cell, to: li-ess}\n  - {from: li-cell, to: li-foil}\n",
    )
    problem = problem_at(mini_copy, "chains/li.yaml", 16)
    assert problem.message.startswith("SUPPLIES cycle in chain 'li': ")
    assert "li-cell -> li-foil" in problem.message or "li-foil -> li-cell" in problem.message


def test_a_firm_listed_twice_for_one_segment_is_reported(mini_copy: Path) -> None:
    with (mini_copy / "local_firms.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "poly-a,甲硅业,甲硅业有限公司,,park-b,pv-poly,3,万吨,,verified,https://example.org/a,2023\n"
        )
    problem = problem_at(mini_copy, "local_firms.csv", 10)
    assert problem.field == "segment"
    assert "is already given at local_firms.csv:2" in problem.message


def test_a_local_firm_may_also_be_a_target_for_its_segment(mini_copy: Path) -> None:
    with (mini_copy / "targets.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "ingot-b,乙光伏,乙光伏科技有限公司,,,,,pv-ingot,,1,扩产,洽谈中,verified,https://x.org,2024\n"
        )
    batch = read_dataset(mini_copy).batch
    [op] = [e for e in batch.edges if e.key == ("OPERATES_IN", "ingot-b", "pv-ingot")]
    assert isinstance(op, OperatesIn) and op.site == "park-a"  # the local operation stands
    assert any(e.key == ("TARGETED_FOR", "ingot-b", "pv-ingot") for e in batch.edges)


def test_capacity_in_a_unit_the_segment_does_not_use_is_reported(mini_copy: Path) -> None:
    edit(mini_copy / "capacities.yaml", "capacity: 5.6, unit: GW", "capacity: 5.6, unit: GWh")
    problem = problem_at(mini_copy, "capacities.yaml", 3)
    assert problem.field == "unit"
    assert "'GWh' does not measure what segment 'pv-wafer' is measured in (GW, power)" in (
        problem.message
    )


def test_a_project_by_an_unknown_firm_suggests_the_closest(mini_copy: Path) -> None:
    edit(mini_copy / "projects.yaml", "firm: ingot-b", "firm: ingot-z")
    problem = problem_at(mini_copy, "projects.yaml", 2)
    assert (problem.field, problem.message) == (
        "firm",
        "unknown Firm 'ingot-z'; did you mean ingot-b?",
    )


def test_ids_that_may_be_in_an_unreadable_file_are_not_called_unknown(mini_copy: Path) -> None:
    edit(mini_copy / "projects.yaml", "firm: ingot-b", "firm: ingot-z")
    edit(mini_copy / "projects.yaml", "park: park-a", "park: park-q")
    targets = mini_copy / "targets.csv"
    targets.write_bytes(b"\xff\xfe\x00\xd8" + b"\x00" * 7)  # not text in any encoding
    found = {(p.file, p.field) for p in problems_of(mini_copy)}
    # the firm may be in targets.csv, which cannot be read; parks cannot be defined there
    assert found == {("targets.csv", ""), ("projects.yaml", "park")}
