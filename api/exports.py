"""Target lists as files officers open and print in Excel: .xlsx or UTF-8 CSV.

Shapes:

- ``to_xlsx(sheets) -> bytes``: a 汇总 (summary) sheet, then one sheet per chain, in the order
  given. Sheet names are valid Excel names (≤ 31 characters, none of ``[]:*?/\\``) and unique
  (``光伏（2）`` when two chains share a name or their first 31 characters): no chain is ever
  merged into another or dropped. Each sheet is print-ready: widths fitted to the content
  (a CJK character counts two), long text wrapped, autofilter, frozen header, landscape A4
  fitted to one page wide with the header row repeated on every page; the print area stops
  at 数据日期 (the score points, spelled out in 评分说明, and the ids are for the screen).
- ``to_csv(sheets) -> bytes``: every chain in one UTF-8 CSV (with a byte-order mark, so Excel
  reads the Chinese), the 产业链 column first.

``sheets`` is a sequence of ``ChainSheet`` (a ``{chain name: candidates}`` mapping is accepted
too, for callers that have no chain ids). Ranking rule, the same in both formats: **排名 is the
rank within the chain** (``RankedCandidate.rank``, 1 = best for that chain's gaps); the chain
column says which list a row is ranked in. Internal ids (企业ID, 环节ID, 产业链ID) are the last
columns, kept so an edited list can be loaded back as a ``targets.csv``.

Every text cell passes ``cell_text``, defence in depth for text that entered the store before
the loaders cleaned it:

- control characters Excel cannot store (openpyxl raises ``IllegalCharacterError``) are removed;
  U+000B/U+000C (Word's manual line and page breaks) become line breaks;
- text a spreadsheet could run as a formula is neutralised (OWASP "CSV injection"): a cell
  starting with ``= + - @``, tab or CR gets a leading ``'``, and so does every such character
  right after a separator a reader's locale may use (``, ; | tab``, and line breaks), because a
  reader that splits on that separator would start a new cell there. CSV fields are also
  always quoted.

Rows from the national pool (来源类别 全国池) carry ChainKG's data date (``CHAINKG_DATA_DATE``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.analysis import COMPONENTS, RankedCandidate
from loaders.chainkg import SNAPSHOT_YEAR

ORIGIN_LABELS = {
    "target_list": "靶向名单",
    "graph": "图谱企业",
    "national": "全国池（尚未列入名单）",
}
COMPONENT_LABELS = {  # the console's and the CLI's labels (graph.analysis.COMPONENT_LABELS)
    "fit": "契合",
    "on_list": "名单",
    "link": "以商招商",
    "scale": "规模",
    "listed": "上市",
}
# ChainKG's snapshot: Shenwan 2021 classification, listings up to 2021-10-19 (loaders.chainkg).
CHAINKG_DATA_DATE = f"{SNAPSHOT_YEAR}-10-19"
RANK_HEADER = "链内排名"
RANK_RULE = (
    "排名规则：“链内排名”为该企业在本产业链全部缺口环节候选中的名次（1 为最优），"
    "各产业链分别排名，不同产业链的名次不可直接比较。"
)
POOL_NOTE = (
    f"全国池企业来自 ChainKG 开源产业链知识图谱快照（申万{SNAPSHOT_YEAR}年行业分类，"
    f"上市信息截至{CHAINKG_DATA_DATE}），仅为线索，联系前请核实。"
)
HEADERS = [
    RANK_HEADER,
    "企业简称",
    "企业全称",
    "股票代码",
    "总部",
    "环节",
    "来源类别",
    "状态",
    "缺口类型",
    "线索类型",
    "关联本地企业",
    "总分",
    "匹配产品",
    "规模依据",
    "推荐理由",
    "评分说明",
    "来源",
    "年份",
    "数据日期",
    "计分项",  # on screen: 按5项中的N项计分 (评分说明 names each 数据缺失 in print)
    "产品营收占比",
    *(COMPONENT_LABELS[c] for c in COMPONENTS),  # the points 评分说明 explains in words
    "企业ID",
    "环节ID",
]
PRINTED = HEADERS.index("数据日期") + 1  # columns printed: the points and ids stay on screen
CSV_HEADERS = ["产业链", *HEADERS, "产业链ID"]
SUMMARY_TITLE = "汇总"
SUMMARY_HEADERS = ["产业链", "工作表", "候选企业", "靶向名单", "图谱企业", "全国池", "产业链ID"]


@dataclass(frozen=True)
class ChainSheet:
    """One chain's ranked candidates: ``chain_id`` (e.g. ``pv``), its display name, the rows."""

    chain_id: str
    chain_name: str
    candidates: Sequence[RankedCandidate]


Sheets = Sequence[ChainSheet] | Mapping[str, Iterable[RankedCandidate]] | Iterable[RankedCandidate]


def chain_sheets(sheets: Sheets) -> list[ChainSheet]:
    """``sheets`` as a list of ``ChainSheet``: a mapping's keys serve as id and name; bare
    candidates (the older call) make one sheet named 靶向企业."""
    if isinstance(sheets, Mapping):
        return [ChainSheet(name, name, list(rows)) for name, rows in sheets.items()]
    items = list(sheets)
    if items and all(isinstance(item, RankedCandidate) for item in items):
        return [ChainSheet("", "靶向企业", items)]  # type: ignore[arg-type]
    return items  # type: ignore[return-value]


# ----------------------------------------------------------------------------- cells

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # tab, LF and CR are kept
# a formula character right after a separator some reader may split on
_AFTER_SEPARATOR = re.compile(r"([,;|\t\r\n] *)(?=[=+\-@])")


def clean_text(text: str) -> str:
    """Text without the control characters Excel cannot hold.

    >>> clean_text("甲\\x0b乙\\x07")
    '甲\\n乙'
    """
    return _CONTROL.sub("", text.translate(_BREAKS))


def neutralise(text: str) -> str:
    """``text`` that no spreadsheet runs as a formula, whatever separator it splits on.

    >>> neutralise("=1+1"), neutralise("甲;=cmd|' /C calc'!A0"), neutralise("隆基绿能")
    ("'=1+1", "甲;'=cmd|' /C calc'!A0", '隆基绿能')
    """
    text = _AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_text(value: object) -> object:
    """What an exported cell holds: numbers as they are, text cleaned and neutralised."""
    return neutralise(clean_text(value)) if isinstance(value, str) else value


def place(hq: str) -> str:
    """Province and city without the repetition of a municipality.

    >>> place("上海市上海市"), place("上海上海市"), place("青海省西宁市")
    ('上海市', '上海市', '青海省西宁市')
    """
    for cut in range(1, len(hq)):
        province, city = hq[:cut], hq[cut:]
        if province == city or province + "市" == city:
            return city
    return hq


def row_of(c: RankedCandidate) -> list[object]:
    """One candidate's cells, in ``HEADERS`` order."""
    points = {p.name: p.points for p in c.components}
    national = c.origin == "national"
    return [
        c.rank,
        c.name,
        c.full_name,
        c.stock_code,
        place(c.hq),
        c.segment_name,
        ORIGIN_LABELS.get(c.origin, c.origin),
        c.status,
        c.gap_kind,
        c.lead,
        "、".join(c.related),
        c.score,
        c.product,
        c.scale_figure,
        c.rationale,
        "；".join(p.why for p in c.components),
        c.source,
        c.year or (SNAPSHOT_YEAR if national else ""),
        CHAINKG_DATA_DATE if national or c.data_date else "",  # a ChainKG share is dated too
        c.scored_note,
        "" if c.share is None else round(c.share, 4),
        *("数据缺失" if points.get(name) is None else points[name] for name in COMPONENTS),
        c.firm,
        c.segment,
    ]


# ----------------------------------------------------------------------------- CSV


def to_csv(sheets: Sheets) -> bytes:
    """Every chain's candidates in one CSV: 产业链 first, 链内排名 per chain, ids last."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_HEADERS)
    for sheet in chain_sheets(sheets):
        for c in sheet.candidates:
            row = [sheet.chain_name, *row_of(c), sheet.chain_id]
            writer.writerow([cell_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ----------------------------------------------------------------------------- sheet names

_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
SHEET_MAX = 31


def sheet_titles(names: Iterable[str], reserved: Iterable[str] = ()) -> list[str]:
    """Valid, unique (case-insensitively, as Excel compares) sheet names for ``names``.

    >>> sheet_titles(["光伏", "光伏", "a/b"], reserved=["汇总"])
    ['光伏', '光伏（2）', 'a_b']
    """
    taken = {r.casefold() for r in reserved}
    titles = []
    for name in names:
        base = clean_text(name).translate(_SHEET_FORBIDDEN).strip().strip("'") or "产业链"
        title, n = base[:SHEET_MAX], 1
        while title.casefold() in taken or title.casefold() == "history":
            n += 1
            suffix = f"（{n}）"
            title = base[: SHEET_MAX - len(suffix)] + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles


# ----------------------------------------------------------------------------- xlsx

WIDTH_CAP = {"企业全称": 18, "推荐理由": 26, "评分说明": 26, "来源": 18, "总部": 12, "环节": 12}
DEFAULT_CAP = 12
HEADER_MIN = 6  # a header wraps onto two lines rather than widen a column of short values


def display_width(text: str) -> int:
    """Columns ``text`` takes in Excel's default font: wide (CJK) characters count two.

    >>> display_width("隆基 A1")
    7
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_widths(sheet: object, headers: Sequence[str]) -> None:
    widths = [min(display_width(h), HEADER_MIN) for h in headers]
    for row in sheet.iter_rows(min_row=2, values_only=True):  # type: ignore[attr-defined]
        for i, value in enumerate(row):
            if value is not None:
                longest = max(display_width(line) for line in str(value).split("\n"))
                widths[i] = max(widths[i], longest)
    from openpyxl.utils import get_column_letter

    for i, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cap = WIDTH_CAP.get(header, DEFAULT_CAP)
        sheet.column_dimensions[get_column_letter(i)].width = min(width, cap) + 2  # type: ignore[attr-defined]


def _table(
    book: object,
    title: str,
    headers: Sequence[str],
    rows: Iterable[list[object]],
    notes: Sequence[str] = (),
) -> None:
    """A print-ready sheet: bold header, wrapped cells, filter, frozen header, A4; ``notes``
    go below the table, one unwrapped line each, outside the filter."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)  # type: ignore[attr-defined]
    sheet.append(list(headers))
    for row in rows:
        sheet.append([cell_text(v) for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    _fit_widths(sheet, headers)
    sheet.freeze_panes = "C2" if headers is HEADERS else "A2"
    sheet.auto_filter.ref = sheet.dimensions
    if headers is HEADERS:
        last = get_column_letter(PRINTED)
        sheet.print_area = f"A1:{last}{sheet.max_row}"
    if notes:
        sheet.append([])
    for note in notes:
        sheet.append([cell_text(note)])
    _print_setup(sheet)


def _print_setup(sheet: object) -> None:
    """Landscape A4, one page wide (as many tall as needed), header row on every page."""
    setup = sheet.page_setup  # type: ignore[attr-defined]
    setup.orientation = "landscape"
    setup.paperSize = 9  # A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]
    sheet.print_title_rows = "1:1"  # type: ignore[attr-defined]
    sheet.print_options.gridLines = True  # type: ignore[attr-defined]
    sheet.page_margins.left = sheet.page_margins.right = 0.4  # type: ignore[attr-defined]


def _summary_rows(chains: list[ChainSheet], titles: list[str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for sheet, title in zip(chains, titles, strict=True):
        origins = [c.origin for c in sheet.candidates]
        counts = [origins.count(o) for o in ("target_list", "graph", "national")]
        rows.append([sheet.chain_name, title, len(origins), *counts, sheet.chain_id])
    total = [len([c for s in chains for c in s.candidates])]
    sums = [sum(int(r[i]) for r in rows) for i in (3, 4, 5)]  # type: ignore[call-overload]
    rows.append(["合计", "", *total, *sums, ""])
    return rows


def to_xlsx(sheets: Sheets) -> bytes:
    """A 汇总 sheet, then one print-ready sheet per chain (see the module docstring)."""
    from openpyxl import Workbook

    chains = chain_sheets(sheets)
    titles = sheet_titles((s.chain_name for s in chains), reserved=[SUMMARY_TITLE])
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    pool = any(c.origin == "national" for s in chains for c in s.candidates)
    notes = [RANK_RULE, POOL_NOTE] if pool else [RANK_RULE]
    _table(book, SUMMARY_TITLE, SUMMARY_HEADERS, _summary_rows(chains, titles), notes)
    for sheet, title in zip(chains, titles, strict=True):
        _table(book, title, HEADERS, (row_of(c) for c in sheet.candidates))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
