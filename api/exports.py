"""Target lists as files officers open in Excel: .xlsx (one sheet per chain) or UTF-8 CSV.

Headers are Chinese, and the firm columns use the names the loader accepts, so an exported
list can be edited and loaded back as a ``targets.csv``. Cells that Excel would run as a
formula (starting with = + - @) are written as text: firm names come from outside data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from graph.analysis import COMPONENTS, RankedCandidate

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
HEADERS = [
    "排名",
    "企业ID",
    "企业简称",
    "企业全称",
    "股票代码",
    "总部",
    "环节ID",
    "环节",
    "来源类别",
    "状态",
    "缺口类型",
    "线索类型",
    "关联本地企业",
    "总分",
    "计分项",
    *(COMPONENT_LABELS[c] for c in COMPONENTS),
    "匹配产品",
    "产品营收占比",
    "规模依据",
    "推荐理由",
    "评分说明",
    "来源",
    "年份",
    "数据日期",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def row_of(c: RankedCandidate) -> list[object]:
    points = {p.name: p.points for p in c.components}
    explained = "；".join(p.why for p in c.components)
    return [
        c.rank,
        c.firm,
        c.name,
        c.full_name,
        c.stock_code,
        c.hq,
        c.segment,
        c.segment_name,
        ORIGIN_LABELS.get(c.origin, c.origin),
        c.status,
        c.gap_kind,
        c.lead,
        "、".join(c.related),
        c.score,
        c.scored_note,
        *("数据缺失" if points[name] is None else points[name] for name in COMPONENTS),
        c.product,
        "" if c.share is None else round(c.share, 4),
        c.scale_figure,
        c.rationale,
        explained,
        c.source,
        c.year or "",
        c.data_date,
    ]


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(candidates: Iterable[RankedCandidate]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for c in candidates:
        writer.writerow([_safe(v) for v in row_of(c)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: Mapping[str, Iterable[RankedCandidate]]) -> bytes:
    """One sheet per entry of ``sheets`` (sheet title → ranked candidates)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, candidates in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for c in candidates:
            sheet.append(row_of(c))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEFGH", (6, 18, 12, 28, 12, 14, 22, 14), strict=True):
            sheet.column_dimensions[column].width = width
    if not book.sheetnames:
        book.create_sheet("靶向企业").append(HEADERS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """Excel sheet titles: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "sheet"
