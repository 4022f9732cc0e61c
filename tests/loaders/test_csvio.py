"""What Excel does to CSV files, each quirk on a copy of the mini dataset: the loader reads the
same firms and figures, or says in one problem how to re-save the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import DatasetError, NodeKind, Problem
from graph.i18n import use_lang
from graph.schema import Firm, OperatesIn
from loaders import read_dataset
from loaders.csvio import parse_number, read_csv

HEADER = (
    "firm_id,short_name,full_name,stock_code,park,segment,capacity,unit,share,certainty,source,year"
)
CHINESE_HEADER = "企业ID,简称,全称,股票代码,园区,环节,产能,单位,业务占比,可信度,来源,年份"


def local_csv(dataset: Path) -> Path:
    return dataset / "local_firms.csv"


def mini_text(dataset: Path) -> str:
    return local_csv(dataset).read_text(encoding="utf-8")


def operations(dataset: Path) -> dict[tuple[str, str], OperatesIn]:
    edges = read_dataset(dataset).batch.edges
    return {(e.src, e.dst): e for e in edges if isinstance(e, OperatesIn) and e.site}


def firms(dataset: Path) -> dict[str, Firm]:
    return {n.id: n for n in read_dataset(dataset).batch.nodes if isinstance(n, Firm)}


def only_problem(dataset: Path) -> Problem:
    with pytest.raises(DatasetError) as caught:
        read_dataset(dataset)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


@pytest.fixture
def expected(mini_dataset: Path) -> dict[tuple[str, str], OperatesIn]:
    """The operations of the untouched mini dataset: every quirk must read to the same."""
    return operations(mini_dataset)


# ------------------------------------------------------------------------------- tolerated


def test_a_byte_order_mark_is_ignored(mini_copy: Path, expected: dict) -> None:
    local_csv(mini_copy).write_bytes(b"\xef\xbb\xbf" + mini_text(mini_copy).encode("utf-8"))
    assert operations(mini_copy) == expected


def test_windows_line_ends_are_read(mini_copy: Path, expected: dict) -> None:
    local_csv(mini_copy).write_bytes(mini_text(mini_copy).replace("\n", "\r\n").encode("utf-8"))
    assert operations(mini_copy) == expected


def test_semicolon_separated_files_are_read(mini_copy: Path, expected: dict) -> None:
    local_csv(mini_copy).write_text(mini_text(mini_copy).replace(",", ";"), encoding="utf-8")
    assert operations(mini_copy) == expected


def test_tab_separated_files_are_read(mini_copy: Path, expected: dict) -> None:
    local_csv(mini_copy).write_text(mini_text(mini_copy).replace(",", "\t"), encoding="utf-8")
    assert operations(mini_copy) == expected


def test_chinese_headers_are_read(mini_copy: Path, expected: dict) -> None:
    text = mini_text(mini_copy).replace(HEADER, CHINESE_HEADER)
    assert text.startswith("企业ID")
    local_csv(mini_copy).write_text(text, encoding="utf-8")
    assert operations(mini_copy) == expected


def test_trailing_empty_columns_are_ignored(mini_copy: Path, expected: dict) -> None:
    lines = mini_text(mini_copy).splitlines()
    local_csv(mini_copy).write_text("".join(f"{line},,,\n" for line in lines), encoding="utf-8")
    assert operations(mini_copy) == expected


def test_blank_lines_are_skipped_and_row_numbers_stay_true(mini_copy: Path) -> None:
    lines = mini_text(mini_copy).splitlines()
    padded = [lines[0], "", ",,,,", *lines[1:4], "", *lines[4:]]
    assert padded[5].startswith("ingot-b,") and ",pv-wafer," in padded[5]  # on line 6 now
    padded[5] = padded[5].replace(",GW,", ",GWW,")
    local_csv(mini_copy).write_text("\n".join(padded) + "\n\n", encoding="utf-8")
    problem = only_problem(mini_copy)
    assert (problem.file, problem.line, problem.field) == ("local_firms.csv", 6, "unit")


def test_full_width_and_ordinary_spaces_around_values_are_trimmed(
    mini_copy: Path, expected: dict
) -> None:
    text = mini_text(mini_copy)
    text = text.replace(",甲硅业,", ",\u3000甲硅业\u3000,").replace(",park-a,", ", park-a ,")
    local_csv(mini_copy).write_text(text, encoding="utf-8")
    assert operations(mini_copy) == expected
    assert firms(mini_copy)["poly-a"].name == "甲硅业"


def test_thousands_separators_are_read(mini_copy: Path) -> None:
    text = mini_text(mini_copy).replace(",pv-ingot,102,GW,", ',pv-ingot,"1,500",GW,')
    local_csv(mini_copy).write_text(text, encoding="utf-8")
    assert operations(mini_copy)["ingot-b", "pv-ingot"].capacity == 1500


def test_thousands_separators_in_a_semicolon_file_need_no_quotes(mini_copy: Path) -> None:
    text = mini_text(mini_copy).replace(",pv-ingot,102,GW,", ",pv-ingot,1,500,GW,")
    local_csv(mini_copy).write_text(
        text.replace(",", ";").replace("1;500", "1,500"), encoding="utf-8"
    )
    assert operations(mini_copy)["ingot-b", "pv-ingot"].capacity == 1500


def test_percentages_are_read_as_shares(mini_copy: Path) -> None:
    text = mini_text(mini_copy).replace(
        ",GW,,verified,https://example.org/b", ",GW,45%,verified,https://example.org/b"
    )
    local_csv(mini_copy).write_text(text, encoding="utf-8")
    assert operations(mini_copy)["ingot-b", "pv-ingot"].share == pytest.approx(0.45)


# ------------------------------------------------------------------------------- refused clearly


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_a_gbk_file_is_read_with_a_warning_saying_to_save_as_csv_utf8(
    mini_copy: Path, encoding: str
) -> None:
    local_csv(mini_copy).write_bytes(mini_text(mini_copy).encode(encoding))
    with use_lang("en"):
        dataset = read_dataset(mini_copy)
    [warning] = dataset.warnings
    assert (warning.file, warning.severity) == ("local_firms.csv", "warning")
    assert "GBK" in warning.message and "CSV UTF-8" in warning.message
    assert dataset.count(NodeKind.FIRM) == 9


def test_a_utf16_file_is_read_and_named_as_such(mini_copy: Path) -> None:
    local_csv(mini_copy).write_bytes(mini_text(mini_copy).encode("utf-16"))
    with use_lang("en"):
        [warning] = read_dataset(mini_copy).warnings
    assert "UTF-16" in warning.message and "CSV UTF-8" in warning.message


def test_a_file_in_no_chinese_encoding_is_refused_with_the_resave_advice(mini_copy: Path) -> None:
    local_csv(mini_copy).write_bytes(b"firm_id,short_name\n\x81\xff\xfe\x80,x\n")
    problem = only_problem(mini_copy)
    assert problem.file == "local_firms.csv" and "CSV UTF-8" in problem.message


def test_a_decimal_comma_is_refused_not_misread(mini_copy: Path) -> None:
    text = mini_text(mini_copy).replace(",pv-poly,14.5,", ",pv-poly,14;5,").replace(",", ";")
    local_csv(mini_copy).write_text(text.replace("14;5", "14,5"), encoding="utf-8")
    problem = only_problem(mini_copy)
    assert (problem.line, problem.field) == (2, "capacity")
    assert "write decimals with a point (14.5)" in problem.message


def test_an_unknown_column_is_reported_with_the_likely_name(mini_copy: Path) -> None:
    local_csv(mini_copy).write_text(
        mini_text(mini_copy).replace(",capacity,", ",capcity,"), encoding="utf-8"
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(mini_copy)
    unknown = [p for p in caught.value.problems if p.field == "capcity"]
    assert [(p.line, p.message) for p in unknown] == [
        (1, "unknown column: did you mean 'capacity'?")
    ]


def test_a_missing_required_column_is_one_problem_not_one_per_row(mini_copy: Path) -> None:
    text = "\n".join(
        line.rsplit(",", 2)[0] + "," + line.rsplit(",", 1)[1]
        for line in mini_text(mini_copy).splitlines()
    )
    assert text.startswith(HEADER.replace(",source", ""))
    local_csv(mini_copy).write_text(text + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(mini_copy)
    about_file = [p for p in caught.value.problems if p.file == "local_firms.csv"]
    assert [(p.line, p.field, p.message) for p in about_file] == [
        (1, "source", "required column is missing")
    ]


def test_a_column_given_twice_is_reported(mini_copy: Path) -> None:
    text = mini_text(mini_copy).replace(HEADER, HEADER.replace("short_name", "简称", 1) + ",简称")
    local_csv(mini_copy).write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(mini_copy)
    # the column is named as the file spells it
    assert (1, "简称", "this column appears twice: keep one") in {
        (p.line, p.field, p.message) for p in caught.value.problems
    }


def test_an_empty_file_needs_a_header(tmp_path: Path) -> None:
    path = tmp_path / "local_firms.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    problems: list[Problem] = []
    assert read_csv(path, "local_firms.csv", problems) is None
    assert [p.message for p in problems] == ["the file is empty: it needs a header row"]


# ------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,500", 1500),
        ("1,500,000.5", 1_500_000.5),
        ("1，500", 1500),
        ("45%", 0.45),
        ("45 ％", 0.45),
        ("\u30003.5\u3000", 3.5),
        ("-2", -2),
        ("0", 0),
    ],
)
def test_excel_numbers_are_parsed(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["14,5", "1,50", "abc", "1.2.3", "%", "12,34,567"])
def test_ambiguous_or_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text)


def test_a_row_with_a_line_break_in_a_cell_is_located_at_its_first_line(
    mini_copy: Path,
) -> None:
    lines = mini_text(mini_copy).splitlines()
    lines[1] = lines[1].replace(",甲硅业有限公司,", ',"甲硅业\n有限公司",')  # Alt+Enter in Excel
    lines[1] = lines[1].replace(",万吨,", ",公斤,")
    lines[2] = lines[2].replace(",GW,", ",GWW,")  # starts on line 4 of the file now
    local_csv(mini_copy).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(mini_copy)
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "unit"), (4, "unit")]


def test_a_stock_code_that_lost_its_leading_zeros_explains_why(mini_copy: Path) -> None:
    text = mini_text(mini_copy).replace("丙能源股份有限公司,688001,", "丙能源股份有限公司,2594,")
    local_csv(mini_copy).write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(mini_copy)
    messages = {(p.line, p.field): p.message for p in caught.value.problems}
    assert "Excel drops leading zeros" in messages[5, "stock_code"]
