"""CSV reading that tolerates what Excel does to files, and says clearly what it cannot fix.

Tolerated: a UTF-8 byte-order mark, ``\\r\\n`` line ends, ``;`` or tab separators, Chinese
column headers (see ``HEADER_ALIASES``), a unit in a header (``产能（万吨）``), a title row
above the header, a 序号 column (ignored), blank lines and trailing empty columns, whitespace
and full-width spaces around values. GBK/GB18030 (Excel's default "CSV" on Chinese Windows)
and UTF-16 files are read with a warning saying how to re-save them as "CSV UTF-8"; control
characters are removed with a warning at file:line:column. Numbers are read later, by
``loaders.numbers``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from graph import units
from graph.errors import Problem, closest, warning
from graph.i18n import _
from loaders.numbers import read_quantity
from loaders.textin import Decoded, clean, control_warning, decode, encoding_warning, fold

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
    "统一社会信用代码": "registry_code",
    "社会信用代码": "registry_code",
    "信用代码": "registry_code",
}
# row-number columns Excel users add: ignored
IGNORED = frozenset({"序号", "序", "no", "no.", "#"})
# columns holding ids and codes: folded to their NFKC form (full-width letters and digits)
ID_COLUMNS = ("firm_id", "segment", "park", "stock_code", "registry_code")
_HEADER_UNIT = re.compile(r"^(.+?)\s*[（(\[【]\s*(.+?)\s*[)）\]】]$")

WHITESPACE = " \t\u3000\u00a0"


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (header = line 1) and values by column name."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def canonical_header(name: str) -> str:
    key = fold(name.strip(WHITESPACE)).lower()
    if key in IGNORED:
        return ""
    return HEADER_ALIASES.get(key, key)


@dataclass(frozen=True)
class Column:
    """A header cell: the canonical column, as spelled, and a unit written in it."""

    name: str
    spelled: str
    unit: str | None = None


def read_header_cell(cell: str, columns: Collection[str]) -> Column:
    """``产能（万吨）`` -> capacity with unit 万吨; ``产能万吨`` too; else the plain column."""
    name = canonical_header(cell)
    if not cell or not name or not columns or name in columns:
        return Column(name, cell)
    match = _HEADER_UNIT.match(cell.strip(WHITESPACE))
    if match and (base := canonical_header(match.group(1))) in columns:
        return Column(base, match.group(1), match.group(2))
    for alias in sorted(HEADER_ALIASES, key=len, reverse=True):
        if cell.startswith(alias) and units.canonical(cell[len(alias) :]):
            return Column(HEADER_ALIASES[alias], alias, cell[len(alias) :])
    return Column(name, cell)


def _delimiter(text: str) -> str:
    """The separator of the header line: Excel writes ',' or, in some locales, ';' or tab."""
    header = next((line for line in text.splitlines() if line.strip(WHITESPACE + ",;")), "")
    counts = {sep: header.count(sep) for sep in ",;\t"}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _check_header(
    header: list[Column],
    line: int,
    rel: str,
    problems: list[Problem],
    columns: Collection[str],
    required: Collection[str],
) -> bool:
    """Unknown, repeated and missing columns, units in headers; False when a required column
    is missing."""
    named = [h.name for h in header if h.name]
    for col in header:
        if not col.name:
            continue
        if named.count(col.name) > 1:
            problems.append(
                Problem(rel, line, col.spelled, _("this column appears twice: keep one"))
            )
            named = [n for n in named if n != col.name]
        if columns and col.name not in columns:
            near = closest(col.name, columns, n=1)
            hint = (
                _("did you mean {name!r}?", name=near[0]) if near else _("see docs/data-format.md")
            )
            problems.append(Problem(rel, line, col.spelled, _("unknown column: {hint}", hint=hint)))
        if col.unit is not None and (col.name != "capacity" or not units.canonical(col.unit)):
            problems.append(
                Problem(
                    rel,
                    line,
                    col.spelled,
                    _(
                        "unit {unit!r} in the header is not understood: "
                        "give the capacity's unit in the header, e.g. 产能（万吨）",
                        unit=col.unit,
                    ),
                )
            )
    present = {h.name for h in header}
    missing = [c for c in required if c not in present]
    for name in missing:
        problems.append(Problem(rel, line, name, _("required column is missing")))
    return not missing


def _find_header(records: list[tuple[int, list[str]]], columns: Collection[str]) -> int:
    """Index of the header among the first rows: a title row above it (one or two filled
    cells, e.g. "2024年靶向企业名单") is skipped when the next rows look like a header."""
    if not columns:
        return 0
    for index, (_line, cells) in enumerate(records[:5]):
        filled = [c for c in cells if c]
        known = sum(1 for c in filled if read_header_cell(c, columns).name in columns)
        if known >= 2 and known * 2 >= len(filled):
            return index
    return 0


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(line, stripped cells) of every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    out, last = [], 0
    for record in reader:
        # a record starts on the line after the previous one ended (Excel cells may hold
        # line breaks, and reader.line_num is where a record ends)
        line, last = last + 1, reader.line_num
        cells = [c.strip(WHITESPACE) for c in record]
        if any(cells):
            out.append((line, cells))
    return out


def _row(
    line: int, cells: list[str], header: list[Column], rel: str, problems: list[Problem]
) -> Row:
    values: dict[str, str] = {}
    for col, cell in zip(header, cells, strict=False):
        if not col.name:
            continue
        text, found = clean(cell)
        if found:
            problems.append(warning(rel, line, col.spelled, control_warning(found)))
        if col.name in ID_COLUMNS:
            text = fold(text)
        values[col.name] = text
    unit = next((units.canonical(c.unit) for c in header if c.name == "capacity" and c.unit), None)
    if unit and values.get("capacity") and not values.get("unit"):
        written = _unit_in(values["capacity"])  # 5万吨 is converted to 吨; 1.5GW stays GW
        if written is None or units.comparable(written, unit):
            values["unit"] = unit  # 产能（万吨）: the column's unit
    return Row(line, values)


def _unit_in(cell: str) -> str | None:
    try:
        return read_quantity(cell).unit
    except ValueError:
        return None  # reported when the row is read


def read_table(
    path: Path,
    rel: str,
    problems: list[Problem],
    columns: Collection[str] = (),
    required: Collection[str] = (),
) -> tuple[list[Row], dict[str, str]] | None:
    """Rows of ``path`` with canonical column names, and each column as the file spelled it;
    None (and a problem) if unreadable. With ``columns``, any other column is reported (a
    misspelt header would silently drop data); a missing ``required`` column makes the whole
    file unusable. Warnings (encoding, title row, control characters) go to ``problems``."""
    decoded = decode(path.read_bytes())
    if not isinstance(decoded, Decoded):
        problems.append(Problem(rel, 0, "", decoded))
        return None
    if note := encoding_warning(decoded):
        problems.append(warning(rel, 0, "", note))
    records = _records(decoded.text)
    if not records:
        problems.append(Problem(rel, 0, "", _("the file is empty: it needs a header row")))
        return None
    start = _find_header(records, columns)
    line, cells = records[start]
    if start:
        problems.append(
            warning(
                rel,
                line,
                "",
                _(
                    "the header is on line {line}: the line(s) above it were "
                    "read as a title and skipped",
                    line=line,
                ),
            )
        )
    header = [read_header_cell(c, columns) for c in cells]
    if not _check_header(header, line, rel, problems, columns, required):
        return None
    rows: list[Row] = []
    for line, cells in records[start + 1 :]:
        if any(cells[len(header) :]):
            problems.append(
                Problem(
                    rel,
                    line,
                    "",
                    _(
                        "row has {cells} cells but the header has {columns} columns: quote "
                        'values that contain the separator (e.g. "1,500")',
                        cells=len(cells),
                        columns=len(header),
                    ),
                )
            )
            continue
        rows.append(_row(line, cells, header, rel, problems))
    return rows, {h.name: h.spelled for h in header if h.name}


def read_csv(
    path: Path,
    rel: str,
    problems: list[Problem],
    columns: Collection[str] = (),
    required: Collection[str] = (),
) -> list[Row] | None:
    """The rows of ``read_table`` (without the header spellings)."""
    table = read_table(path, rel, problems, columns, required)
    return None if table is None else table[0]


def columns_of(path: Path) -> list[str]:
    """The canonical header of a CSV file (for error messages and tests)."""
    text = path.read_bytes().decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text), delimiter=_delimiter(text)), [])
    return [canonical_header(c) for c in first]


def parse_number(text: str) -> float:
    """Excel-style number: ``1,500`` -> 1500.0, ``45%`` -> 0.45, ``14.5万`` -> 145000.0;
    ``ValueError`` otherwise (see ``loaders.numbers``).

    >>> parse_number("1,500"), parse_number("45%"), parse_number(" 14.5 ")
    (1500.0, 0.45, 14.5)
    """
    return read_quantity(text).value
