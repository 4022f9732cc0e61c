"""Import ChainKG, the public industrial-chain graph of China's A-share listed companies.

``read_chainkg(dir)`` streams the eight JSON-Lines files (see the dataset's README) into a
compact ``NationalGraph`` plus the ``Firm`` records of the listed companies, repairing the known
quirks and accounting for every line in an ``ImportReport`` (loaded + dropped = lines, per
file). ``load_chainkg(dir, store)`` also matches the store's segments to the products
(``loaders.chainkg_match``) and writes everything with one all-or-nothing
``Store.load_national``. Parsing is pure: the ``parse_*`` functions take raw lines.

Ids: a company is ``a-<digits>-<exchange>`` (``a-601865-sh``) unless a stored curated firm
has the same stock code, whose id is reused (one firm, one id); products are ``p:<name>``,
Shenwan industries ``sw:<code>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.codes import EXCHANGE_NAMES, normalise_code
from graph.errors import DatasetError, Problem
from graph.national import NationalGraph, industry_id
from graph.schema import Firm, Industry, NodeKind, RelType
from graph.store import Store
from loaders.chainkg_products import (
    parse_company_products,
    parse_product_links,
    parse_products,
)
from loaders.chainkg_records import ImportState, firm_index, records, text
from loaders.chainkg_report import FileReport, ImportReport

ORIGIN = "ChainKG (liuhuanyong/ChainKnowledgeGraph)"
# Facts are those of the snapshot: Shenwan 2021 classification, latest listing 2021-10-19.
SNAPSHOT_YEAR = 2021
# In dependency order: each file refers only to records of files before it.
FILES = (
    "company.json",
    "industry.json",
    "industry_industry.json",
    "company_industry.json",
    "industry_up.json",
    "product.json",
    "product_product.json",
    "company_product.json",
)
# A listing date before the board opened means the record borrowed another company's fields.
BOARD_OPENED = {"688": "2019-07-22", "300": "2009-10-30", "301": "2009-10-30", "002": "2004-05-27"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INDUSTRY_CODE = re.compile(r"^\d{6}$")

Progress = Callable[[str, int, int], None]  # (file, bytes read, file size)


def firm_id_for(code: str) -> str:
    """``601865.SH`` -> ``a-601865-sh``."""
    digits, exchange = code.split(".")
    return f"a-{digits}-{exchange.lower()}"


@dataclass
class ChainKGData:
    national: NationalGraph
    firms: list[Firm]  # firms to create (companies not already stored under a curated id)
    report: ImportReport


# ------------------------------------------------------------------------------- companies


def parse_companies(lines: Iterable[bytes], state: ImportState) -> None:
    """company.json: one listed company per line, codes in mixed spellings."""
    report = state.report.file("company.json")
    for number, obj in records(lines, report, ("name", "code")):
        try:
            code = normalise_code(str(obj["code"]))
        except ValueError:
            report.drop(number, "not an A-share stock code")
            continue
        if code != obj["code"]:
            report.note(number, "code written without exchange suffix; normalised (600000.SH)")
        _company(number, obj, code, state, report)


def _company(
    number: int, obj: dict[str, Any], code: str, state: ImportState, r: FileReport
) -> None:
    name, full_name = text(obj.get("name")), text(obj.get("fullname"))
    if not name:
        r.drop(number, "no short name")
        return
    listed = _listing_date(number, obj, code, r)
    borrowed = bool(listed) and listed < BOARD_OPENED.get(code[:3], "")
    if code in state.by_code:
        _duplicate(number, code, name, full_name, borrowed, state, r)
        return
    if borrowed:
        r.repair(number, "full name and listing date predate the board: another company's; cleared")
        full_name, listed = "", ""
    r.loaded += 1
    if code in state.existing:
        state.by_code[code] = state.existing[code]
        r.note(number, "same stock code as a stored firm: linked to that firm")
        return
    firm_id = state.by_code[code] = firm_id_for(code)
    state.new_firms[firm_id] = {
        "id": firm_id,
        "name": name,
        "full_name": full_name,
        "aliases": [],
        "stock_code": code,
        "exchange": EXCHANGE_NAMES[code[-2:]],
        "source": f"{ORIGIN}, company.json",
        "year": SNAPSHOT_YEAR,
        "certainty": "verified",
        "note": f"上市日期 {listed}" if listed else "",
    }


def _listing_date(number: int, obj: dict[str, Any], code: str, r: FileReport) -> str:
    """The listing date, or '' when the record does not hold one; the exchange always comes
    from the code, so a ``location`` holding something else is repaired, not trusted."""
    location, time = text(obj.get("location")), text(obj.get("time"))
    if location != EXCHANGE_NAMES[code[-2:]]:
        what = "a date" if DATE.match(location) else repr(location)
        r.repair(number, f"location held {what}, not the exchange: exchange taken from the code")
    if DATE.match(time):
        return time
    r.repair(number, "listing date missing (time held an exchange name or '-'): left empty")
    return ""


def _duplicate(
    number: int, code: str, name: str, full: str, borrowed: bool, state: ImportState, r: FileReport
) -> None:
    if borrowed:
        r.drop(number, "same code as an earlier line, with another company's full name")
        return
    firm = state.new_firms.get(state.by_code[code])
    if firm is not None:
        known = {firm["name"], firm["full_name"], *firm["aliases"]}
        firm["aliases"].extend(n for n in dict.fromkeys((name, full)) if n and n not in known)
    r.drop(number, "same code as an earlier line: a former name, kept as alias of it")


# ------------------------------------------------------------------------------- industries


def parse_industries(lines: Iterable[bytes], state: ImportState) -> None:
    """industry.json: Shenwan industries, three levels (110000 / 110100 / 110101)."""
    report = state.report.file("industry.json")
    industries = state.builder.industries
    for number, obj in records(lines, report, ("code", "name")):
        code, name = text(obj["code"]), text(obj["name"])
        if not INDUSTRY_CODE.match(code) or not name:
            report.drop(number, "industry code is not six digits or name is empty")
            continue
        if code in industries.index:
            report.drop(number, "duplicate industry code")
            continue
        level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
        index = state.builder.add_industry(Industry(id=industry_id(code), name=name, level=level))
        state.industry_by_name.setdefault(name, index)
        report.loaded += 1


def parse_industry_links(lines: Iterable[bytes], state: ImportState) -> None:
    """industry_industry.json: child -> parent (上级行业)."""
    report = state.report.file("industry_industry.json")
    index, seen = state.builder.industries.index, set()
    for number, obj in records(lines, report, ("from_code", "to_code")):
        child, parent = index.get(text(obj["from_code"])), index.get(text(obj["to_code"]))
        if obj.get("rel") != "上级行业":
            report.drop(number, f"unknown relation {obj.get('rel')!r}")
        elif child is None or parent is None:
            report.drop(number, "industry code not in industry.json")
        elif (child, parent) in seen:
            report.drop(number, "duplicate relation")
        else:
            seen.add((child, parent))
            state.builder.add(RelType.SUBINDUSTRY_OF, child, parent)
            report.loaded += 1


def parse_company_industries(lines: Iterable[bytes], state: ImportState) -> None:
    """company_industry.json: company -> its Shenwan level-3 industry (所属行业)."""
    report = state.report.file("company_industry.json")
    seen: set[tuple[int, int]] = set()
    for number, obj in records(lines, report, ("company_code", "industry_code")):
        firm = firm_index(obj["company_code"], state)
        industry = _industry(number, obj, state, report)
        if firm is None:
            report.drop(number, "company not in company.json")
        elif industry is None:
            report.drop(number, "industry code and name both unknown to industry.json")
        elif (firm, industry) in seen:
            report.drop(number, "duplicate relation")
        else:
            seen.add((firm, industry))
            state.builder.add(RelType.IN_INDUSTRY, firm, industry)
            report.loaded += 1


def _industry(number: int, obj: dict[str, Any], state: ImportState, r: FileReport) -> int | None:
    """Resolve (code, name): the name wins when the code names another industry, since these
    rows use some pre-2021 codes (640401 金属制品 is 640108 in industry.json)."""
    builder = state.builder
    code, name = text(obj["industry_code"]), text(obj.get("industry_name"))
    by_code = builder.industries.index.get(code)
    if by_code is not None and builder.industry_records[by_code].name == name:
        return by_code
    by_name = state.industry_by_name.get(name)
    if by_name is not None:
        r.repair(number, "industry code names another industry: linked by name")
        return by_name
    if by_code is not None:
        r.repair(number, "industry name differs from industry.json: linked by code")
        state.industry_alias.setdefault(name, by_code)
    return by_code


def parse_industry_upstreams(lines: Iterable[bytes], state: ImportState) -> None:
    """industry_up.json: an industry and its upstream industries with co-occurrence counts."""
    report = state.report.file("industry_up.json")
    names = {**state.industry_alias, **state.industry_by_name}
    for number, obj in records(lines, report, ("industry", "ups")):
        industry, ups = names.get(text(obj["industry"])), obj["ups"]
        if industry is None:
            report.drop(number, "industry name not in industry.json")
            continue
        if not isinstance(ups, dict):
            report.drop(number, "'ups' is not a mapping of industry name to count")
            continue
        skipped = 0
        for up_name, count in ups.items():
            up = names.get(text(up_name))
            if up is None or up == industry or not isinstance(count, int) or count < 0:
                skipped += 1
                continue
            state.builder.add(RelType.UPSTREAM_INDUSTRY, industry, up, float(count))
        if skipped:
            report.note(
                number, "upstream entries skipped (unknown name, itself, bad count)", skipped
            )
        report.loaded += 1


# ------------------------------------------------------------------------------- entry points

PARSERS: dict[str, Callable[[Iterable[bytes], ImportState], None]] = {
    "company.json": parse_companies,
    "industry.json": parse_industries,
    "industry_industry.json": parse_industry_links,
    "company_industry.json": parse_company_industries,
    "industry_up.json": parse_industry_upstreams,
    "product.json": parse_products,
    "product_product.json": parse_product_links,
    "company_product.json": parse_company_products,
}


def read_chainkg(
    path: str | Path, existing: dict[str, str] | None = None, progress: Progress | None = None
) -> ChainKGData:
    """Stream the ChainKG files at ``path`` into a national graph and its firms.

    ``existing`` maps stock codes to ids of firms already stored, which are reused. A missing
    file raises ``DatasetError``; bad records never do: they are reported as dropped."""
    root = Path(path)
    missing = [name for name in FILES if not (root / name).is_file()]
    if missing:
        hint = "file missing: a ChainKG directory holds " + ", ".join(FILES)
        raise DatasetError(Problem(str(root / name), 0, "", hint) for name in missing)
    state = ImportState(existing=dict(existing or {}))
    for name in FILES:
        with (root / name).open("rb") as fh:
            PARSERS[name](_watched(fh, name, (root / name).stat().st_size, progress), state)
    firms = [Firm.model_validate(values) for values in state.new_firms.values()]
    return ChainKGData(state.builder.build(), firms, state.report)


def _watched(
    lines: Iterable[bytes], name: str, size: int, progress: Progress | None
) -> Iterable[bytes]:
    """The lines of a file, telling ``progress`` how far we are every few thousand lines."""
    lines = _without_bom(lines)
    return lines if progress is None else _reporting(lines, name, size, progress)


def _without_bom(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The lines with a UTF-8 byte-order mark removed from the first (a BOM is not data: an
    editor that re-saves the file adds it, and the first record must not be lost to it).
    CRLF line ends need nothing: JSON allows the ``\\r`` as whitespace."""
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        return
    yield first.removeprefix(b"\xef\xbb\xbf")
    yield from iterator


def _reporting(lines: Iterable[bytes], name: str, size: int, progress: Progress) -> Iterator[bytes]:
    done = 0
    for number, line in enumerate(lines, 1):
        done += len(line)
        if not number % 4096:
            progress(name, done, size)
        yield line
    progress(name, size, size)


def stored_codes(store: Store) -> dict[str, str]:
    """Stock code -> id of every stored firm not created by a ChainKG import (curated ones)."""
    return {
        firm.stock_code: firm.id
        for firm in store.nodes(NodeKind.FIRM)
        if isinstance(firm, Firm) and firm.stock_code and not firm.source.startswith(ORIGIN)
    }


def load_chainkg(path: str | Path, store: Store, progress: Progress | None = None) -> ChainKGData:
    """Import ChainKG into ``store``: firms, products, relations and the segment matches,
    all or nothing. Re-running it leaves the store as after the first run."""
    from loaders.chainkg_match import match_segments

    data = read_chainkg(path, stored_codes(store), progress)
    segments = store.nodes(NodeKind.SEGMENT)
    matches = match_segments(segments, data.national)  # type: ignore[arg-type]
    store.load_national(data.national, data.firms, matches)
    return data
