"""CSV reading that tolerates what Excel does to files, and says clearly what it cannot fix.

Tolerated: a UTF-8 byte-order mark, ``\\r\\n`` line ends, ``;`` or tab separators, Chinese
column headers (see ``HEADER_ALIASES``), blank lines and trailing empty columns, whitespace
and full-width spaces around values, thousands separators (``1,500``), percentages (``45%``).
Not guessed: files in GBK/GB18030 (Excel's default "CSV" on Chinese Windows) are rejected with
a message that says how to save them as "CSV UTF-8".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from graph.errors import Problem

HEADER_ALIASES: dict[str, str] = {
    "企业id": "firm_id",
    "企业编号": "firm_id",
    "简称": "short_name",
    "企业简称": "short_name",
    "全称": "full_name",
    "企业全称": "full_name",
    "别名": "aliases",
    "股票代码": "stock_code",
    "证券代码": "stock_code",
    "交易所": "exchange",
    "总部省份": "hq_province",
    "省份": "hq_province",
    "总部城市": "hq_city",
    "城市": "hq_city",
    "环节": "segment",
    "环节id": "segment",
    "园区": "park",
    "产能": "capacity",
    "单位": "unit",
    "产能单位": "unit",
    "业务占比": "share",
    "优先级": "priority",
    "理由": "rationale",
    "推荐理由": "rationale",
    "状态": "status",
    "可信度": "certainty",
    "来源": "source",
    "年份": "year",
    "备注": "note",
}

WHITESPACE = " \t\u3000\u00a0"


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (header = line 1) and values by column name."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def canonical_header(name: str) -> str:
    key = name.strip(WHITESPACE).lower()
    return HEADER_ALIASES.get(key, key)


def _decode(raw: bytes, rel: str, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        try:
            raw.decode("gb18030")
            hint = "it looks GBK/GB18030-encoded (Excel's plain 'CSV');"
        except UnicodeDecodeError:
            hint = "it is not UTF-8;"
        line = raw[: e.start].count(b"\n") + 1
        problems.append(
            Problem(
                rel, line, "", f"{hint} in Excel use 'Save As > CSV UTF-8 (逗号分隔)' and retry"
            )
        )
        return None


def read_csv(path: Path, rel: str, problems: list[Problem]) -> list[Row] | None:
    """Rows of ``path`` with canonical column names; None (and a problem) if unreadable."""
    text = _decode(path.read_bytes(), rel, problems)
    if text is None:
        return None
    if text.startswith("\ufeff"):  # a second BOM, as some tools write
        text = text.lstrip("\ufeff")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[Row] = []
    header: list[str] | None = None
    for record in reader:
        line = reader.line_num
        cells = [c.strip(WHITESPACE) for c in record]
        if not any(cells):
            continue
        if header is None:
            header = [canonical_header(c) for c in cells]
            continue
        extra = [c for c in cells[len(header) :] if c]
        if extra:
            problems.append(
                Problem(rel, line, "", f"row has {len(cells)} cells, header has {len(header)}")
            )
            continue
        rows.append(Row(line, {h: v for h, v in zip(header, cells, strict=False) if h}))
    if header is None:
        problems.append(Problem(rel, 0, "", "the file is empty: it needs a header row"))
        return None
    return rows


def columns_of(path: Path) -> list[str]:
    """The canonical header of a CSV file (for error messages and tests)."""
    text = path.read_bytes().decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text)), [])
    return [canonical_header(c) for c in first]


def parse_number(text: str) -> float:
    """Excel-style number: ``1,500`` -> 1500.0, ``45%`` -> 0.45; ``ValueError`` otherwise."""
    cleaned = text.replace(",", "").replace("，", "").strip(WHITESPACE)
    if cleaned.endswith(("%", "％")):
        return float(cleaned[:-1]) / 100
    return float(cleaned)
