"""Target-list exports on every path (CLI ``--export``, the per-chain and all-chain API files):
the failing cases of tests/fixtures/cases/ as officers met them, and the print setup."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from typer.testing import CliRunner

from api.cli import app
from api.exports import (
    CHAINKG_DATA_DATE,
    HEADERS,
    POOL_NOTE,
    PRINTED,
    RANK_RULE,
    ChainSheet,
    clean_text,
    display_width,
    neutralise,
    place,
    sheet_titles,
    to_csv,
    to_xlsx,
)
from api.settings import Settings
from graph import MemoryStore
from graph.analysis import RankedCandidate
from loaders import load_dataset
from tests.api.conftest import make_client

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
FORMULA = ("=", "+", "-", "@")
SEPARATORS = (",", ";", "\t", "|")
Export = Callable[[str], bytes]  # "xlsx" | "csv" -> the file every chain exported to


# ----------------------------------------------------------------------------- helpers


def case_dataset(name: str, tmp_path: Path, mini_dataset: Path) -> Path:
    """A case folder as a dataset; a lone targets.csv case replaces the mini dataset's list."""
    folder = CASES / name
    if (folder / "dataset.yaml").exists():
        return folder
    dataset = Path(shutil.copytree(mini_dataset, tmp_path / name))
    shutil.copy(folder / "targets.csv", dataset / "targets.csv")
    return dataset


def cli_export(dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Export:
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "cli.pickle"))
    monkeypatch.setenv("CHAINKG_DATASET", str(dataset))
    monkeypatch.setenv("CHAINKG_REGION", "xn")
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", str(dataset)], catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output

    def export(fmt: str) -> bytes:
        path = tmp_path / f"cli.{fmt}"
        result = runner.invoke(app, ["targets", "all", "--export", str(path)])
        assert result.exit_code == 0, result.output
        return path.read_bytes()

    return export


@pytest.fixture
def api_client(settings: Settings) -> Iterator[Callable[[Path], object]]:
    opened = []

    def client_for(dataset: Path) -> object:
        store = MemoryStore()
        load_dataset(dataset, store)
        client = make_client(settings, store)
        opened.append(client.__enter__())
        return opened[-1]

    yield client_for
    for client in opened:
        client.__exit__(None, None, None)


def api_export(client: object, path: str) -> bytes:
    response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text
    return response.content  # type: ignore[no-any-return]


def exports(
    name: str,
    tmp_path: Path,
    mini_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
    client_for: Callable[[Path], object],
) -> dict[str, bytes]:
    """Every export path of a case: path name -> file bytes."""
    dataset = case_dataset(name, tmp_path, mini_dataset)
    cli = cli_export(dataset, tmp_path, monkeypatch)
    client = client_for(dataset)
    return {
        "cli.xlsx": cli("xlsx"),
        "cli.csv": cli("csv"),
        "api-all.xlsx": api_export(client, "/api/targets/export.xlsx"),
        "api-all.csv": api_export(client, "/api/targets/export.csv"),
        "api-li.xlsx": api_export(client, "/api/chains/li/targets.xlsx"),
        "api-li.csv": api_export(client, "/api/chains/li/targets.csv"),
        "api-pv.xlsx": api_export(client, "/api/chains/pv/targets.xlsx"),
        "api-pv.csv": api_export(client, "/api/chains/pv/targets.csv"),
    }


def book_of(raw: bytes) -> Workbook:
    return load_workbook(io.BytesIO(raw))


def sheet_rows(book: Workbook, title: str) -> list[dict[str, object]]:
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def texts(raw: bytes, fmt: str) -> list[str]:
    """Every text cell of an export."""
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for cell in row]
    book = book_of(raw)
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.fixture
def case_exports(
    tmp_path: Path,
    mini_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
    api_client: Callable[[Path], object],
) -> Callable[[str], dict[str, bytes]]:
    return lambda name: exports(name, tmp_path, mini_dataset, monkeypatch, api_client)


# ----------------------------------------------------------------------------- cases


def test_excel_control_char_every_export_works_and_keeps_the_text(case_exports) -> None:
    files = case_exports("excel-control-char")
    for path, raw in files.items():
        fmt = path.rsplit(".", 1)[1]
        assert not [t for t in texts(raw, fmt) if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", t)]
        if "pv" in path:
            continue
        rows = csv_rows(raw) if fmt == "csv" else sheet_rows(book_of(raw), "锂动力及储能电池")
        anode = next(r for r in rows if r["企业ID"] == "anode-g")
        # the manual line break of Word (U+000B) is a line break, or a space once the loader
        # cleaned it on the way in: the words on both sides survive
        assert re.fullmatch(r"负极龙头\s?人造石墨出货量全国前三", str(anode["推荐理由"])), path
        assert anode["总部"] == "上海市", path  # not 上海市上海市


def test_same_chain_names_every_chain_exported_under_its_own_sheet(case_exports) -> None:
    files = case_exports("same-chain-names")
    for path in ("cli.xlsx", "api-all.xlsx"):
        book = book_of(files[path])
        assert book.sheetnames == ["汇总", "新能源产业链", "新能源产业链（2）"], path
        assert [r["企业ID"] for r in sheet_rows(book, "新能源产业链")] == ["anode-g"]
        assert [r["企业ID"] for r in sheet_rows(book, "新能源产业链（2）")] == ["film-h", "wafer-i"]
        summary = sheet_rows(book, "汇总")
        assert [(r["工作表"], r["候选企业"], r["产业链ID"]) for r in summary[:3]] == [
            ("新能源产业链", 1, "li"),
            ("新能源产业链（2）", 2, "pv"),
            (None, 3, None),
        ]
    for path in ("cli.csv", "api-all.csv"):
        rows = csv_rows(files[path])
        assert [(r["产业链"], r["产业链ID"], r["链内排名"], r["企业ID"]) for r in rows] == [
            ("新能源产业链", "li", "1", "anode-g"),
            ("新能源产业链", "pv", "1", "film-h"),
            ("新能源产业链", "pv", "2", "wafer-i"),
        ], path


def test_long_chain_names_valid_unique_sheet_names(case_exports) -> None:
    files = case_exports("long-chain-names")
    li = "新能源产业链（光伏制造：工业硅、多晶硅、单晶硅片、电池片及组件配套储能）"
    for path in ("cli.xlsx", "api-all.xlsx"):
        book = book_of(files[path])
        names = book.sheetnames
        assert names == ["汇总", li[:31], li[:28] + "（2）"], path
        assert all(len(n) <= 31 for n in names)
        assert len(sheet_rows(book, names[1])) == 1 and len(sheet_rows(book, names[2])) == 2
    assert book_of(files["api-pv.xlsx"]).sheetnames == ["汇总", li[:31]]


def test_csv_formula_after_separator_is_neutralised_on_every_path(case_exports) -> None:
    files = case_exports("csv-formula-after-separator")
    for path, raw in files.items():
        fmt = path.rsplit(".", 1)[1]
        cells = texts(raw, fmt)
        for cell in cells:
            for separator in SEPARATORS:
                pieces = cell.split(separator)
                runnable = [p for p in pieces if p.lstrip(" ").startswith(FORMULA)]
                assert not runnable, f"{path}: {cell!r} split on {separator!r} runs {runnable}"
        if "li" in path:
            continue
        assert "甲;'=1+1" in cells and "乙;'=cmd|' /C calc'!A0" in cells, path
        assert "理由;'@SUM(1+1)" in cells, path
        if fmt == "xlsx":
            formulas = [c for s in book_of(raw).worksheets for r in s.iter_rows() for c in r]
            assert not [c.coordinate for c in formulas if c.data_type == "f"], path
        else:  # every field quoted: a reader splitting on ; | or tab keeps the cell whole
            body = raw.decode("utf-8-sig")
            assert body.startswith('"产业链","链内排名"')
            assert all(line.startswith('"') for line in body.splitlines() if line)


# ----------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 971", "'+86 971"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t'=x"),
        ("\r=x", "'\r'=x"),
        ("甲,=1", "甲,'=1"),
        ("甲; =1", "甲; '=1"),
        ("甲\t@x", "甲\t'@x"),
        ("甲|-x", "甲|'-x"),
        ("甲\n=x", "甲\n'=x"),
        ("pv-wafer", "pv-wafer"),
        ("2023-06-30", "2023-06-30"),
        ("隆基绿能", "隆基绿能"),
    ],
)
def test_neutralise_every_formula_start_after_any_separator(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_clean_text_drops_what_excel_cannot_store_and_keeps_line_breaks() -> None:
    assert clean_text("甲\x0b乙\x0c丙\x00\x07\x1f\x7f丁\t戊\n己") == "甲\n乙\n丙丁\t戊\n己"


@pytest.mark.parametrize(
    ("hq", "expected"),
    [
        ("上海市上海市", "上海市"),
        ("北京市北京市", "北京市"),
        ("重庆重庆市", "重庆市"),
        ("青海省西宁市", "青海省西宁市"),
        ("", ""),
    ],
)
def test_place_drops_the_repeated_municipality(hq: str, expected: str) -> None:
    assert place(hq) == expected


def test_sheet_titles_are_valid_and_unique_whatever_the_names() -> None:
    names = ["a[b]:c*d?e/f\\g", "光伏", "光伏", "光伏", "ABC", "abc", "History", "", "x" * 40]
    titles = sheet_titles(names, reserved=["汇总"])
    assert titles == [
        "a_b__c_d_e_f_g",
        "光伏",
        "光伏（2）",
        "光伏（3）",
        "ABC",
        "abc（2）",
        "History（2）",
        "产业链",
        "x" * 31,
    ]
    assert len({t.casefold() for t in titles}) == len(titles)
    assert sheet_titles(["汇总"], reserved=["汇总"]) == ["汇总（2）"]


def candidate(**fields: object) -> RankedCandidate:
    base = {
        "rank": 1,
        "firm": "a-601012-sh",
        "name": "隆基绿能",
        "full_name": "隆基绿能科技股份有限公司" * 3,
        "stock_code": "601012.SH",
        "hq": "陕西省西安市",
        "segment": "pv-wafer",
        "segment_name": "切片",
        "origin": "national",
        "on_list": False,
        "status": "",
        "rationale": "",
        "score": 61.5,
        "components": [],
        "source": "ChainKG (liuhuanyong/ChainKnowledgeGraph), company.json",
        "year": None,
    }
    return RankedCandidate.model_validate({**base, **fields})


def test_xlsx_is_print_ready() -> None:
    raw = to_xlsx([ChainSheet("pv", "光伏制造", [candidate()])])
    book = book_of(raw)
    sheet = book["光伏制造"]
    header = [c.value for c in sheet[1]]
    assert header == HEADERS and header[-2:] == ["企业ID", "环节ID"]  # ids last
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(2, len(HEADERS)).coordinate}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"
    assert all(c.alignment.wrap_text for row in sheet.iter_rows() for c in row)
    widths = {
        h: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
        for i, h in enumerate(header)
    }
    assert widths["企业简称"] == display_width("隆基绿能") + 2 == 10  # CJK counts double
    assert widths["企业全称"] == 20  # capped, wrapped
    assert widths["产品营收占比"] == 8  # the header wraps rather than widen short values
    printed = sum(widths[h] for h in header[: header.index("数据日期") + 1])
    assert printed <= 200  # one A4 landscape page wide at a readable zoom
    assert sheet.print_area == f"'光伏制造'!$A$1:${sheet.cell(1, PRINTED).column_letter}$2"
    assert widths["股票代码"] == display_width("601012.SH") + 2


def test_national_pool_rows_carry_chainkg_data_date_and_the_summary_says_so() -> None:
    sheets = [ChainSheet("pv", "光伏制造", [candidate()])]
    row = sheet_rows(book_of(to_xlsx(sheets)), "光伏制造")[0]
    assert row["年份"] == 2021 and row["数据日期"] == CHAINKG_DATA_DATE == "2021-10-19"
    summary = [c.value for c in book_of(to_xlsx(sheets))["汇总"]["A"]]
    assert RANK_RULE in summary and POOL_NOTE in summary
    listed = candidate(origin="target_list", year=2023, source="https://example.org/x")
    row = csv_rows(to_csv([ChainSheet("pv", "光伏制造", [listed])]))[0]
    assert row["年份"] == "2023" and row["数据日期"] == ""
    assert POOL_NOTE not in [
        c.value for c in book_of(to_xlsx([ChainSheet("pv", "光伏制造", [listed])]))["汇总"]["A"]
    ]


def test_older_callers_passing_bare_candidates_or_a_mapping_still_get_every_row() -> None:
    rows = csv_rows(to_csv([candidate(), candidate(rank=2, firm="b")]))
    assert [(r["链内排名"], r["企业ID"]) for r in rows] == [("1", "a-601012-sh"), ("2", "b")]
    book = book_of(to_xlsx({"光伏制造": [candidate()]}))
    assert book.sheetnames == ["汇总", "光伏制造"] and len(sheet_rows(book, "光伏制造")) == 1
