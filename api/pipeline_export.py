"""The pipeline as files officers open in Excel: every target-list entry with its status,
负责人, next contact date and latest 跟进记录 (sheet 招商进展), and the whole follow-up log
(sheet 跟进记录). CSV: the first sheet only, UTF-8 with BOM so Excel reads the Chinese.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from graph import RelType, Store, TargetedFor

HEADER = (
    "产业链", "企业", "股票代码", "环节", "优先级", "状态", "状态日期", "状态说明",
    "负责人", "下次联系", "跟进次数", "最近跟进", "理由",
)  # fmt: skip
WIDTHS = (12, 16, 11, 16, 7, 8, 11, 20, 10, 11, 8, 36, 40)
LOG_HEADER = ("企业", "环节", "日期", "跟进内容", "记录人")
LOG_WIDTHS = (16, 16, 11, 60, 10)


def _name(store: Store, node_id: str) -> str:
    node = store.find(node_id)
    return node.name if node is not None else node_id


def pipeline_rows(store: Store) -> list[list[object]]:
    """One row per target-list entry, by chain, then firm, then segment."""
    log = store.followups()
    rows = []
    for e in store.edges(RelType.TARGETED_FOR):
        assert isinstance(e, TargetedFor)
        mine = [f for f in log if (f.firm, f.segment) == (e.src, e.dst)]
        segment = store.find(e.dst)
        chain = _name(store, getattr(segment, "chain", ""))
        firm = store.find(e.src)
        latest = f"{mine[-1].date} {mine[-1].text}" if mine else ""
        rows.append([
            chain, _name(store, e.src), getattr(firm, "stock_code", ""), _name(store, e.dst),
            e.priority, str(e.status), e.status_date, e.status_note, e.owner, e.next_contact,
            len(mine), latest, e.rationale,
        ])  # fmt: skip
    return sorted(rows, key=lambda r: (str(r[0]), str(r[1]), str(r[3])))


def pipeline_csv(store: Store) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(pipeline_rows(store))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet(ws, header: tuple[str, ...], widths: tuple[int, ...], rows: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def pipeline_xlsx(store: Store) -> bytes:
    book = Workbook()
    main = book.active
    main.title = "招商进展"
    _sheet(main, HEADER, WIDTHS, pipeline_rows(store))
    log: list[list[object]] = [
        [_name(store, f.firm), _name(store, f.segment), f.date, f.text, f.author]
        for f in store.followups()
    ]
    _sheet(book.create_sheet("跟进记录"), LOG_HEADER, LOG_WIDTHS, log)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
