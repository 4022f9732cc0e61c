"""The two CSV tables officers keep in Excel: local firms and the target list.

Pure: rows (already read by ``loaders.csvio``) in, records and problems into the ``Reader``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.codes import normalise_code
from graph.errors import excerpt
from graph.i18n import _
from graph.schema import Firm, LocatedIn, NodeKind, OperatesIn, ParentOf, TargetedFor
from loaders.csvio import Row
from loaders.reader import Reader
from loaders.textin import fold

FIRM_COLUMNS = (
    "firm_id",
    "short_name",
    "full_name",
    "aliases",
    "stock_code",
    "exchange",
    "hq_province",
    "hq_city",
    "registry_code",
)
LOCAL_COLUMNS = (
    *FIRM_COLUMNS,
    "segment",
    "park",
    "capacity",
    "unit",
    "share",
    "certainty",
    "source",
    "year",
    "note",
)
TARGET_COLUMNS = (
    *FIRM_COLUMNS,
    "segment",
    "share",
    "capacity",
    "unit",
    "priority",
    "rationale",
    "status",
    "certainty",
    "source",
    "year",
    "note",
    # where the capacity figure comes from, when not from ``source`` (optional)
    "scale_basis",
    "scale_source",
    "scale_year",
    "scale_certainty",
)
RELATION_COLUMNS = (
    "parent_id",
    "parent_short_name",
    "parent_full_name",
    "parent_stock_code",
    "child_id",
    "relation",
    "certainty",
    "source",
    "year",
    "note",
)
REQUIRED = {
    "local_firms.csv": ("firm_id", "short_name", "segment", "park", "source"),
    "targets.csv": ("firm_id", "short_name", "segment", "source"),
    "relations.csv": ("parent_id", "child_id", "relation", "source"),
}
# schema field -> CSV column, so problems name the column the officer sees
FIRM_NAMES = {"id": "firm_id", "name": "short_name"}
EDGE_NAMES = {"src": "firm_id", "dst": "segment"}
FIRM_IDENTITY = ("name", "full_name", "stock_code", "hq_province", "hq_city")


def _zeros_hint() -> str:
    return _(
        "; Excel drops leading zeros from numbers: format the column as 文本 (Text) and type "
        "the full six digits, e.g. 002594"
    )


def _split_list(text: str) -> tuple[str, ...]:
    for sep in ("；", "、", "|", "，"):
        text = text.replace(sep, ";")
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _firm_values(reader: Reader, row: Row, file: str) -> dict[str, Any]:
    """The firm columns of a row, normalised; a bad stock code is reported and left out."""
    values: dict[str, Any] = {
        "id": row.get("firm_id"),
        "name": row.get("short_name"),
        "full_name": row.get("full_name"),
        "aliases": _split_list(row.get("aliases")),
        "exchange": row.get("exchange"),
        "hq_province": row.get("hq_province"),
        "hq_city": row.get("hq_city"),
        "registry_code": row.get("registry_code"),
        "source": row.get("source"),
        "year": row.get("year") or None,
        "certainty": row.get("certainty") or "verified",
    }
    code = row.get("stock_code")
    if code:
        try:
            values["stock_code"] = normalise_code(code)
        except ValueError as e:
            hint = _zeros_hint() if code.isdigit() and len(code) < 6 else ""
            message = _(
                "{code} is not a stock code; write it like 601865 or 601865.SH",
                code=excerpt(code),
            )
            if "trades on" in str(e):  # graph.codes: a suffix of the wrong exchange
                message = _(
                    "{code}: the suffix names the wrong exchange; write the six digits only "
                    "(e.g. 601865)",
                    code=excerpt(code),
                )
            reader.problem(file, row.line, "stock_code", f"{message}{hint}")
    return values


def _register_firm(reader: Reader, values: dict[str, Any], file: str, line: int) -> None:
    """Add the firm of a row once; later rows for the same firm must agree with the first."""
    firm_id = values["id"]
    if firm_id in reader.firm_rows:
        first, first_file, first_line = reader.firm_rows[firm_id]
        for key in FIRM_IDENTITY:
            mine, theirs = values.get(key), first.get(key)
            if mine and theirs and fold(str(mine)) != fold(str(theirs)):
                column = reader.display(file, FIRM_NAMES.get(key, key))
                where = f"{first_file}:{first_line}"
                reader.problem(
                    file,
                    line,
                    FIRM_NAMES.get(key, key),
                    _(
                        "firm {id!r} has {column} {mine!r} here but {theirs!r} at {where}: "
                        "rows of one firm must agree",
                        id=firm_id,
                        column=column,
                        mine=str(mine)[:60],
                        theirs=str(theirs)[:60],
                        where=where,
                    ),
                )
        return
    firm = reader.build(Firm, values, file, line, names=FIRM_NAMES)
    if firm is None:
        return
    reader.firm_rows[firm_id] = (values, file, line)
    reader.add_node(firm, file, line)


def _check_firm(reader: Reader, row: Row, values: dict[str, Any], file: str) -> None:
    """The firm columns and references of a row that adds nothing (a required cell is
    empty), checked so their problems show in this run too."""
    if values["id"] not in reader.firm_rows:
        reader.build(Firm, values, file, row.line, names=FIRM_NAMES)
    if row.get("segment"):
        reader.add_ref(row.get("segment"), NodeKind.SEGMENT, file, row.line, "segment")
    if row.get("park"):
        kinds = (NodeKind.PARK, NodeKind.REGION)
        reader.add_ref(row.get("park"), kinds, file, row.line, "park")


def _check_required(reader: Reader, row: Row, file: str, required: Iterable[str]) -> bool:
    """Report each empty required cell. A row missing one is still read for its other
    problems (every problem in one pass) but adds nothing."""
    missing = [c for c in required if not row.get(c)]
    for column in missing:
        reader.problem(file, row.line, column, _("required value is empty"))
    if missing and row.get("firm_id"):
        reader.invalid_ids.add(row.get("firm_id"))
    return not missing


def _quiet(row: Row, required: Iterable[str]) -> Row:
    """The row with each empty required cell filled by a placeholder, so the rest of a row
    whose required cell is already reported is checked without repeating that problem."""
    filler = {c: "-" if c not in ("firm_id", "segment", "park") else "x" for c in required}
    return Row(row.line, {**row.values, **{c: filler[c] for c in required if not row.get(c)}})


def _common(row: Row, firm_id: str) -> dict[str, Any]:
    return {
        "src": firm_id,
        "dst": row.get("segment"),
        "source": row.get("source"),
        "year": row.get("year") or None,
        "certainty": row.get("certainty") or "verified",
    }


def _operation(reader: Reader, row: Row, file: str, **extra: Any) -> OperatesIn | None:
    values = {
        **_common(row, row.get("firm_id")),
        **extra,
        "capacity": row.get("capacity") or None,
        "unit": row.get("unit"),
        "share": row.get("share") or None,
    }
    op: OperatesIn | None = reader.build(OperatesIn, values, file, row.line, names=EDGE_NAMES)
    return op


def parse_local_firms(reader: Reader, rows: list[Row], file: str) -> None:
    """Rows of local_firms.csv: one firm operating in one segment at one park."""
    for full in rows:
        complete = _check_required(reader, full, file, REQUIRED["local_firms.csv"])
        row = full if complete else _quiet(full, REQUIRED["local_firms.csv"])
        firm = _firm_values(reader, row, file)
        op = _operation(reader, row, file, site=row.get("park"), note=row.get("note"))
        if not complete:
            _check_firm(reader, full, firm, file)
            continue
        _register_firm(reader, firm, file, row.line)
        reader.add_edge(op, file, row.line, EDGE_NAMES)
        located = {k: v for k, v in _common(row, firm["id"]).items() if k != "dst"}
        names = {"src": "firm_id", "dst": "park"}
        located_in = reader.build(
            LocatedIn, {**located, "dst": row.get("park")}, file, row.line, names=names
        )
        reader.add_edge(located_in, file, row.line, names)


def parse_targets(reader: Reader, rows: list[Row], file: str) -> None:
    """Rows of targets.csv: one target-list entry (firm courted for a segment)."""
    for full in rows:
        complete = _check_required(reader, full, file, REQUIRED["targets.csv"])
        row = full if complete else _quiet(full, REQUIRED["targets.csv"])
        firm = _firm_values(reader, row, file)
        scale = {
            "basis": row.get("scale_basis"),
            "capacity_source": row.get("scale_source"),
            "capacity_year": row.get("scale_year") or None,
            "capacity_certainty": row.get("scale_certainty") or None,
        }
        op = _operation(reader, row, file, **scale)
        entry = {
            **_common(row, firm["id"]),
            "priority": row.get("priority") or 2,
            "rationale": row.get("rationale"),
            "status": row.get("status") or "待接触",
            "note": row.get("note"),
        }
        target = reader.build(TargetedFor, entry, file, row.line, names=EDGE_NAMES)
        if not complete:
            _check_firm(reader, full, firm, file)
            continue
        _register_firm(reader, firm, file, row.line)
        reader.add_edge(op, file, row.line, EDGE_NAMES)
        reader.add_edge(target, file, row.line, EDGE_NAMES)


def parse_relations(reader: Reader, rows: list[Row], file: str) -> None:
    """Rows of relations.csv: a parent company and its subsidiary or branch (PARENT_OF).

    The parent is registered as a firm (its stock code lets the ChainKG import link to it)."""
    names = {"src": "parent_id", "dst": "child_id"}
    for row in rows:
        if not _check_required(reader, row, file, REQUIRED["relations.csv"]):
            continue
        parent = {
            "firm_id": row.get("parent_id"),
            "short_name": row.get("parent_short_name") or row.get("parent_id"),
            "full_name": row.get("parent_full_name"),
            "stock_code": row.get("parent_stock_code"),
            "source": row.get("source"),
            "year": row.get("year"),
            "certainty": row.get("certainty"),
        }
        firm_row = Row(row.line, {k: v for k, v in parent.items() if v})
        _register_firm(reader, _firm_values(reader, firm_row, file), file, row.line)
        values = {
            **_common(row, row.get("parent_id")),
            "dst": row.get("child_id"),
            "relation": row.get("relation"),
            "note": row.get("note"),
        }
        reader.add_edge(
            reader.build(ParentOf, values, file, row.line, names), file, row.line, names
        )
