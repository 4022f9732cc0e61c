"""Reading ChainKG's JSON Lines: the state the parsers share and the handling of bad lines.

>>> report = FileReport("x.json")
>>> [n for n, _ in records([b'{"a": 1}', b"", b"[1]", b'{"b": 2}'], report, ("a",))]
[1]
>>> sorted(report.dropped.items())
[('blank line', 1), ("missing field 'a'", 1), ('not a JSON object', 1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from graph.codes import normalise_code
from graph.national import NationalBuilder
from loaders.chainkg_report import FileReport, ImportReport


@dataclass
class ImportState:
    """What the parsers share while the files stream past."""

    existing: dict[str, str]  # stock code -> id of a stored (curated) firm
    builder: NationalBuilder = field(default_factory=NationalBuilder)
    report: ImportReport = field(default_factory=ImportReport)
    by_code: dict[str, str] = field(default_factory=dict)  # code -> firm id
    new_firms: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> Firm fields
    industry_by_name: dict[str, int] = field(default_factory=dict)
    industry_alias: dict[str, int] = field(default_factory=dict)  # names only company files use
    code_cache: dict[Any, int | None] = field(default_factory=dict)  # raw code -> firm index


def unusable(line: bytes, report: FileReport, number: int, required: tuple[str, ...]) -> None:
    """Drop a line that is not a JSON object with every required field, saying which."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        report.drop(number, "blank line" if not line.strip() else "not valid JSON")
        return
    if type(obj) is not dict:
        report.drop(number, "not a JSON object")
        return
    missing = next((k for k in required if obj.get(k) is None), None)
    report.drop(number, f"missing field {missing!r}" if missing else "a field has the wrong type")


def records(
    lines: Iterable[bytes], report: FileReport, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Parsed JSON objects with their line numbers; unusable lines are dropped on the way.

    Each yielded record must end as ``report.loaded += 1`` or ``report.drop(...)``."""
    loads, number = orjson.loads, 0
    try:
        for number, line in enumerate(lines, 1):  # noqa: B007 - read in finally
            try:
                obj = loads(line)
            except orjson.JSONDecodeError:
                obj = None
            if type(obj) is dict and None not in map(obj.get, required):
                yield number, obj
            else:
                unusable(line, report, number, required)
    finally:
        report.lines = number


def firm_index(raw_code: Any, state: ImportState) -> int | None:
    """Index (in the national graph's firm table) of the company with this code, if known."""
    try:
        firm_id = state.by_code.get(normalise_code(str(raw_code)))
    except ValueError:
        firm_id = None
    found = state.builder.firms.add(firm_id) if firm_id else None
    state.code_cache[raw_code] = found
    return found


def text(value: Any) -> str:
    return str(value).strip() if value is not None else ""
