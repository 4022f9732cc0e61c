"""CSV reading that tolerates what Excel does to files, and says clearly what it cannot fix.

Tolerated: a UTF-8 byte-order mark, ``\\r\\n`` line ends, ``;`` or tab separators, Chinese
column headers (see ``HEADER_ALIASES``), blank lines and trailing empty columns, whitespace
and full-width spaces around values, thousands separators (``1,500``), percentages (``45%``).
Not guessed: files in GBK/GB18030 (Excel's default "CSV" on Chinese Windows) are rejected with
a message that says how to save them as "CSV UTF-8".
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from graph.errors import Problem, closest

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
    "规模口径": "scale_basis",
    "规模来源": "scale_source",
    "规模年份": "scale_year",
    "规模可信度": "scale_certainty",
}

WHITESPACE = " \t\u3000\u00a0"
RESAVE = "in Excel use 'Save As > CSV UTF-8 (逗号分隔)' and retry"


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
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(Problem(rel, 0, "", f"it is UTF-16 (Excel's 'Unicode text'); {RESAVE}"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        try:
            raw.decode("gb18030")
            hint = "it is not UTF-8 but looks GBK/GB18030-encoded (Excel's plain 'CSV')"
        except UnicodeDecodeError:
            hint = "it is not UTF-8"
        line = raw[: e.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "", f"{hint}; {RESAVE}"))
        return None


def _delimiter(text: str) -> str:
    """The separator of the header line: Excel writes ',' or, in some locales, ';' or tab."""
    header = next((line for line in text.splitlines() if line.strip(WHITESPACE + ",;")), "")
    counts = {sep: header.count(sep) for sep in ",;\t"}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _check_header(
    header: list[str],
    line: int,
    rel: str,
    problems: list[Problem],
    columns: Collection[str],
    required: Collection[str],
) -> bool:
    """Unknown, repeated and missing columns; False when a required column is missing."""
    named = [h for h in header if h]
    for name in sorted(set(named)):
        if named.count(name) > 1:
            problems.append(Problem(rel, line, name, "this column appears twice: keep one"))
        if columns and name not in columns:
            near = closest(name, columns, n=1)
            hint = f"did you mean {near[0]!r}?" if near else "see docs/data-format.md"
            problems.append(Problem(rel, line, name, f"unknown column: {hint}"))
    missing = [c for c in required if c not in named]
    for name in missing:
        problems.append(Problem(rel, line, name, "required column is missing"))
    return not missing


def read_csv(
    path: Path,
    rel: str,
    problems: list[Problem],
    columns: Collection[str] = (),
    required: Collection[str] = (),
) -> list[Row] | None:
    """Rows of ``path`` with canonical column names; None (and a problem) if unreadable.

    With ``columns``, any other column is reported (a misspelt header would silently drop
    data); a missing ``required`` column makes the whole file unusable."""
    text = _decode(path.read_bytes(), rel, problems)
    if text is None:
        return None
    text = text.lstrip("\ufeff")  # a second BOM, as some tools write
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[Row] = []
    header: list[str] | None = None
    last = 0
    for record in reader:
        # a record starts on the line after the previous one ended (Excel cells may hold
        # line breaks, and reader.line_num is where a record ends)
        line, last = last + 1, reader.line_num
        cells = [c.strip(WHITESPACE) for c in record]
        if not any(cells):
            continue
        if header is None:
            header = [canonical_header(c) for c in cells]
            if not _check_header(header, line, rel, problems, columns, required):
                return None
            continue
        extra = [c for c in cells[len(header) :] if c]
        if extra:
            problems.append(
                Problem(
                    rel,
                    line,
                    "",
                    f"row has {len(cells)} cells but the header has {len(header)} columns: "
                    'quote values that contain the separator (e.g. "1,500")',
                )
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
    first = next(csv.reader(io.StringIO(text), delimiter=_delimiter(text)), [])
    return [canonical_header(c) for c in first]


_GROUPED = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str) -> float:
    """Excel-style number: ``1,500`` -> 1500.0, ``45%`` -> 0.45; ``ValueError`` otherwise.

    A comma is accepted only as a thousands separator: ``14,5`` (a decimal comma) is refused
    rather than read as 145.

    >>> parse_number("1,500"), parse_number("45%"), parse_number(" 14.5 ")
    (1500.0, 0.45, 14.5)
    """
    cleaned = text.replace("，", ",").strip(WHITESPACE)
    percent = cleaned.endswith(("%", "％"))
    if percent:
        cleaned = cleaned[:-1].strip(WHITESPACE)
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValueError(
                f"{text!r} is not a number: a comma may only separate thousands (1,500); "
                "write decimals with a point (14.5)"
            )
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    return value / 100 if percent else value
