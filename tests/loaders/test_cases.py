"""Each loading case of ../shared/cases (copied to tests/fixtures/cases/<name>/): the value
read, or the problem's message (in Chinese, the default) and its file:line:field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import DatasetError, NodeKind, Problem
from graph.i18n import use_lang
from graph.schema import By, Firm, OperatesIn, Project, Segment, TargetedFor
from loaders import read_dataset
from loaders.curated import Dataset

CASES = Path(__file__).parents[1] / "fixtures" / "cases"


def case(name: str, tmp_path: Path) -> Path:
    """A writable copy of the case folder."""
    return Path(shutil.copytree(CASES / name, tmp_path / name))


def read_zh(path: Path) -> Dataset:
    with use_lang("zh"):
        return read_dataset(path)


def problems_zh(path: Path) -> tuple[list[Problem], list[Problem]]:
    with use_lang("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(path)
    return caught.value.problems, caught.value.warnings


def ops(dataset: Dataset) -> dict[tuple[str, str], OperatesIn]:
    return {(e.src, e.dst): e for e in dataset.batch.edges if isinstance(e, OperatesIn)}


def nodes(dataset: Dataset, model: type) -> dict[str, object]:
    return {n.id: n for n in dataset.batch.nodes if isinstance(n, model)}


# ------------------------------------------------------------------------- chinese-number-forms


def test_officers_number_forms_are_read_to_the_columns_unit() -> None:
    dataset = read_zh(CASES / "chinese-number-forms")
    found = ops(dataset)
    expected = {
        ("poly-a", "pv-poly"): (145_000.0, "吨", False),  # 14.5万 in a 吨 column
        ("ingot-b", "pv-ingot"): (102.0, "GW", False),  # １０２ full-width
        ("ingot-b", "pv-wafer"): (5.6, "GW", False),  # 5.6GW, empty unit column
        ("cell-c", "pv-cell"): (5.7, "GW", True),  # 约5.7 kept approximate
        ("cell-c", "pv-module"): (1200.0, "MW", False),  # "1,200"
        ("cathode-d", "li-cathode"): (16.0, "万吨", False),  # 16万吨, empty unit column
    }
    for key, (capacity, unit, approximate) in expected.items():
        op = found[key]
        assert (op.capacity, op.unit, op.approximate) == (capacity, unit, approximate), key
    assert found[("foil-e", "li-foil")].year == 2023  # 2023年
    assert found[("cell-f", "li-cell")].share == pytest.approx(0.45)  # ４５％
    project = nodes(dataset, Project)["proj-ingot"]
    assert (project.investment, project.approximate) == (180.0, True)  # 约180亿元


def test_a_number_form_that_cannot_be_read_says_what_was_expected(tmp_path: Path) -> None:
    path = case("chinese-number-forms", tmp_path)
    table = path / "local_firms.csv"
    text = table.read_text(encoding="utf-8")
    text = text.replace("约5.7,GW", "约abc,GW").replace("16万吨,,", "16公斤,,")
    table.write_text(text, encoding="utf-8")
    problems, _ = problems_zh(path)
    by_place = {(p.file, p.line, p.field): p.message for p in problems}
    assert set(by_place) == {("local_firms.csv", 5, "capacity"), ("local_firms.csv", 7, "capacity")}
    assert "不是数字" in by_place[("local_firms.csv", 5, "capacity")]
    assert "14.5万" in by_place[("local_firms.csv", 5, "capacity")]  # what was expected
    assert "单位 '公斤' 无法识别" in by_place[("local_firms.csv", 7, "capacity")]


def test_a_unit_in_the_cell_that_does_not_convert_to_the_columns_is_refused(
    tmp_path: Path,
) -> None:
    path = case("chinese-number-forms", tmp_path)
    table = path / "local_firms.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("14.5万,吨", "14.5GW,吨"), encoding="utf-8"
    )
    [problem], _ = problems_zh(path)
    assert (problem.file, problem.line, problem.field) == ("local_firms.csv", 2, "capacity")
    assert "单元格写的是 GW，而单位为 吨" in problem.message


# ------------------------------------------------------------------------- title-row-above-header


def test_serial_numbers_are_ignored_and_the_registry_code_kept() -> None:
    dataset = read_zh(CASES / "title-row-above-header")
    firms = nodes(dataset, Firm)
    assert firms["anode-g"].registry_code == "91310000MA1FL00001"
    assert firms["wafer-i"].registry_code == "91320200MA1M000003"
    assert not dataset.warnings
    targets = [e for e in dataset.batch.edges if isinstance(e, TargetedFor)]
    assert {t.src for t in targets} == {"anode-g", "film-h", "wafer-i"}


@pytest.mark.parametrize("title", ["2024年靶向企业名单", "2024年靶向企业名单,,,\n（单位：万元）"])
def test_a_title_row_above_the_header_is_skipped_and_said(tmp_path: Path, title: str) -> None:
    path = case("title-row-above-header", tmp_path)
    table = path / "targets.csv"
    text = table.read_text(encoding="utf-8-sig").replace(
        ",verified,https://example.org/h", ",maybe,https://example.org/h"
    )
    table.write_text(f"{title}\n{text}", encoding="utf-8-sig")
    header_line = title.count("\n") + 2
    problems, warnings = problems_zh(path)
    assert [(w.file, w.line) for w in warnings] == [("targets.csv", header_line)]
    assert f"表头在第 {header_line} 行" in warnings[0].message
    # the error is located at its real line, and named as the file spells the column
    [problem] = problems
    assert (problem.file, problem.line, problem.field) == ("targets.csv", header_line + 2, "可信度")


def test_problems_name_the_column_as_the_file_spells_it(tmp_path: Path) -> None:
    path = case("title-row-above-header", tmp_path)
    table = path / "targets.csv"
    text = table.read_text(encoding="utf-8-sig").replace(",https://example.org/g,", ",,")
    table.write_text(text, encoding="utf-8-sig")
    [problem], _ = problems_zh(path)
    assert (problem.line, problem.field, problem.message) == (2, "来源", "必填项为空")


# ------------------------------------------------------------------------- header-with-unit


def test_a_unit_in_the_header_is_the_columns_unit() -> None:
    op = ops(read_zh(CASES / "header-with-unit"))[("bt-northern-re", "re-separation")]
    assert (op.capacity, op.unit) == (5.0, "万吨")


@pytest.mark.parametrize(
    ("header", "cell", "capacity", "unit"),
    [
        ("产能(吨)", "50000", 50000.0, "吨"),
        ("产能万吨", "5", 5.0, "万吨"),
        ("capacity [t]", "5万", 50000.0, "t"),
        ("产能（吨）", "5万吨", 50000.0, "吨"),  # a unit in the cell converts to the header's
    ],
)
def test_other_spellings_of_a_unit_in_the_header(
    tmp_path: Path, header: str, cell: str, capacity: float, unit: str
) -> None:
    path = case("header-with-unit", tmp_path)
    table = path / "local_firms.csv"
    text = table.read_text(encoding="utf-8-sig").replace("产能（万吨）", header)
    table.write_text(text.replace("bt-rare-earth-zone,5,", f"bt-rare-earth-zone,{cell},"), "utf-8")
    op = ops(read_zh(path))[("bt-northern-re", "re-separation")]
    assert (op.capacity, op.unit) == (capacity, unit)


def test_a_header_unit_that_is_not_a_unit_is_reported_on_the_header(tmp_path: Path) -> None:
    path = case("header-with-unit", tmp_path)
    table = path / "local_firms.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("产能（万吨）", "产能（公斤）"), "utf-8"
    )
    problems, _ = problems_zh(path)
    [problem] = [p for p in problems if p.line == 1]
    assert (problem.file, problem.line, problem.field) == ("local_firms.csv", 1, "产能")
    assert "公斤" in problem.message and "产能（万吨）" in problem.message


# ------------------------------------------------------------------------- yaml-leading-zero-id


def test_an_unquoted_id_with_leading_zeros_is_read_as_written() -> None:
    dataset = read_zh(CASES / "yaml-leading-zero-id")
    by = [e for e in dataset.batch.edges if isinstance(e, By)]
    assert [(e.src, e.dst) for e in by] == [("proj-ingot", "000725")]
    assert "000725" in nodes(dataset, Firm)


# ------------------------------------------------------------------------- yml, empty files


def test_the_expected_files_are_the_files_the_loader_reads() -> None:
    from loaders.curated import CSV_FILES, YAML_FILES
    from loaders.files import DATASET_FILES

    read = {"dataset.yaml", *(n for n, *_ in YAML_FILES), *(n for n, *_ in CSV_FILES)}
    assert set(DATASET_FILES) == read


def test_a_yml_chain_file_is_read_like_yaml() -> None:
    problems, _ = problems_zh(CASES / "yml-extension")
    # read: its segment is found, and (truly) on no map
    assert [(p.file, p.line, p.field) for p in problems] == [("chains/wind.yml", 6, "id")]
    assert "wind-tower" in problems[0].message


def test_yml_top_level_files_are_read_too(tmp_path: Path) -> None:
    path = case("header-with-unit", tmp_path)
    (path / "maps.yaml").rename(path / "maps.yml")
    (path / "regions.yaml").rename(path / "regions.yml")
    assert read_zh(path).count(NodeKind.MAP) == 1


@pytest.mark.parametrize("content", ["", "\n\n", "# 风电装备，待补充\n"])
def test_an_empty_chain_file_is_a_problem_naming_it(tmp_path: Path, content: str) -> None:
    path = case("empty-chain-file", tmp_path)
    (path / "chains" / "wind.yaml").write_text(content, encoding="utf-8")
    [problem], _ = problems_zh(path)
    assert (problem.file, problem.line) == ("chains/wind.yaml", 0)
    assert "文件为空" in problem.message


def test_an_empty_optional_file_is_named_in_a_warning(tmp_path: Path) -> None:
    path = case("header-with-unit", tmp_path)
    (path / "kpis.yaml").write_text("", encoding="utf-8")
    [warning] = read_zh(path).warnings
    assert (warning.file, warning.severity, warning.message) == (
        "kpis.yaml",
        "warning",
        "文件为空：未读取任何内容",
    )


# ------------------------------------------------------------------------- years


def test_every_fact_without_a_year_is_reported() -> None:
    problems, _ = problems_zh(CASES / "missing-year")
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("local_firms.csv", 2, "年份"),
        ("regions.yaml", 2, "year"),
        ("regions.yaml", 4, "year"),
    ]
    assert all(p.message.startswith("缺少年份") for p in problems)


def test_an_undated_source_may_say_so(tmp_path: Path) -> None:
    path = case("missing-year", tmp_path)
    for name in ("regions.yaml",):
        text = (path / name).read_text(encoding="utf-8")
        (path / name).write_text(text.replace("source: https", "year: 不详, source: https"))
    table = path / "local_firms.csv"
    table.write_text(table.read_text(encoding="utf-8-sig").rstrip("\n") + "不详\n", "utf-8")
    assert read_zh(path).count(NodeKind.REGION) == 1


def test_a_date_in_a_year_field_is_one_problem_where_it_is_written() -> None:
    [problem], _ = problems_zh(CASES / "date-year")
    assert (problem.file, problem.line, problem.field) == ("chains/rare-earth.yaml", 4, "year")
    assert problem.message == "应为年份（如 2023），实际为日期（'2024-03-01'）：请只填写年份"


@pytest.mark.parametrize("date", ["2023/06/30", "2023-6-30", "2023年6月30日", "2023.06"])
def test_a_date_in_a_csv_year_column_is_said_in_words(tmp_path: Path, date: str) -> None:
    path = case("missing-year", tmp_path)
    (path / "regions.yaml").write_text(
        (CASES / "date-year" / "regions.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    table = path / "local_firms.csv"
    table.write_text(table.read_text(encoding="utf-8-sig").rstrip("\n") + date + "\n", "utf-8")
    [problem], _ = problems_zh(path)
    assert (problem.file, problem.line, problem.field) == ("local_firms.csv", 2, "年份")
    assert "实际为日期" in problem.message


# ------------------------------------------------------------------------- encodings


def test_a_gbk_yaml_file_is_read_and_the_warning_says_how_to_resave() -> None:
    dataset = read_zh(CASES / "gbk-yaml")
    assert nodes(dataset, Segment)["re-separation"].name == "稀土冶炼分离"
    [warning] = dataset.warnings
    assert (warning.file, warning.severity) == ("chains/rare-earth.yaml", "warning")
    assert "GBK" in warning.message and "UTF-8" in warning.message


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030"])
def test_other_encodings_of_yaml_and_csv_are_read_with_a_warning(
    tmp_path: Path, encoding: str
) -> None:
    path = case("header-with-unit", tmp_path)
    for name in ("maps.yaml", "local_firms.csv"):
        text = (path / name).read_text(encoding="utf-8-sig")
        (path / name).write_bytes(text.encode(encoding))
    dataset = read_zh(path)
    assert sorted(w.file for w in dataset.warnings) == ["local_firms.csv", "maps.yaml"]
    assert nodes(dataset, Firm)["bt-northern-re"].name == "北方稀土"


# ------------------------------------------------------------------------- yaml-alias-bomb


@pytest.mark.parametrize("name", ["kpis.yaml", "kpis_d6/kpis.yaml"])
def test_yaml_aliases_are_refused_before_expansion(tmp_path: Path, name: str) -> None:
    path = case("header-with-unit", tmp_path)
    shutil.copy(CASES / "yaml-alias-bomb" / name, path / "kpis.yaml")
    [problem], _ = problems_zh(path)
    assert (problem.file, problem.line) == ("kpis.yaml", 3)
    assert "不接受 YAML 别名（*a0）" in problem.message
    assert len(str(problem)) < 200


def test_a_merge_key_alias_is_refused_too(tmp_path: Path) -> None:
    path = case("header-with-unit", tmp_path)
    (path / "kpis.yaml").write_text(
        "base: &b {unit: 家, source: s, year: 2024}\n"
        "kpis:\n  - {<<: *b, id: kpi-a, name: 甲, value: 1}\n",
        encoding="utf-8",
    )
    [problem], _ = problems_zh(path)
    assert (problem.file, problem.line) == ("kpis.yaml", 3)


def test_no_message_echoes_more_than_a_short_excerpt_of_a_value(tmp_path: Path) -> None:
    path = case("header-with-unit", tmp_path)
    chain = path / "chains" / "rare-earth.yaml"
    huge = "侧游" * 5000
    chain.write_text(chain.read_text(encoding="utf-8").replace("stage: 上游", f"stage: {huge}"))
    [problem], _ = problems_zh(path)
    assert problem.field == "stage" and len(problem.message) < 200


# ------------------------------------------------------------------------- excel-control-char


def test_control_characters_are_removed_where_text_enters_with_a_warning() -> None:
    dataset = read_zh(CASES / "excel-control-char")
    [warning] = dataset.warnings
    assert (warning.file, warning.line, warning.field) == ("targets.csv", 2, "rationale")
    assert "U+000B" in warning.message
    [target] = [e for e in dataset.batch.edges if isinstance(e, TargetedFor) and e.src == "anode-g"]
    assert target.rationale == "负极龙头 人造石墨出货量全国前三"


def test_control_characters_in_yaml_and_chinese_headed_csv_are_located(tmp_path: Path) -> None:
    path = case("header-with-unit", tmp_path)
    chain = path / "chains" / "rare-earth.yaml"
    chain.write_text(
        chain.read_text(encoding="utf-8").replace("name: 稀土新材料", "name: 稀土\a新材料")
    )
    table = path / "local_firms.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("北方稀土,", "北方\x0c稀土,", 1))
    dataset = read_zh(path)
    assert sorted((w.file, w.line, w.field) for w in dataset.warnings) == [
        ("chains/rare-earth.yaml", 2, "name"),
        ("local_firms.csv", 2, "简称"),
    ]
    assert nodes(dataset, Firm)["bt-northern-re"].name == "北方 稀土"
