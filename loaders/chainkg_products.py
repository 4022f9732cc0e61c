"""The three large ChainKG files: products, product relations, company -> main product.

These are 260k of the 270k lines, so their loops do the least Python work per line that
still checks every record: one ``orjson.loads``, dictionary look-ups of already-clean names
(names are cleaned only when the plain look-up fails), and int appends; repeats and
self-relations are then found for all lines at once with numpy, their line numbers reported.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

import numpy as np
import orjson

from graph.schema import RelType
from loaders.chainkg_names import ACCOUNTING, clean_name, count_business_lines
from loaders.chainkg_records import ImportState, firm_index, unusable
from loaders.chainkg_report import FileReport

PRODUCT_RELS = {
    "上游材料": RelType.UPSTREAM_MATERIAL,
    "产品小类": RelType.SUBCLASS,
    "下游产品": RelType.DOWNSTREAM_PRODUCT,
}
_REL_CODES = {name: code for code, name in enumerate(PRODUCT_RELS)}
_RELS = list(PRODUCT_RELS.values())
MAX_NAME = 30  # longer "products" are sentences cut from annual reports
ACCOUNTING_LINE = "accounting line (抵销/平衡/调整项目), not a product"
ACCOUNTING_CHARS = frozenset("抵平调合小总")  # every accounting line has one: regex only then
_ERRORS = (orjson.JSONDecodeError, KeyError, TypeError)


def _clean(number: int, raw: Any, report: FileReport) -> str:
    name, repairs = clean_name(str(raw))
    for repair in repairs:
        report.repair(number, repair)
    return name


def _lookup(number: int, raw: Any, index: dict[str, int], report: FileReport) -> int | None:
    """The product a relation file names, after cleaning (called when the plain name fails)."""
    return index.get(_clean(number, raw, report)) if raw is not None else None


# ------------------------------------------------------------------------------- products


def parse_products(lines: Iterable[bytes], state: ImportState) -> None:
    """product.json: one product or business line per line."""
    report = state.report.file("product.json")
    products = state.builder.products
    index, names, before, number = products.index, products.names, len(products.names), 0
    accounting, loads, marks = ACCOUNTING.search, orjson.loads, ACCOUNTING_CHARS.isdisjoint
    for number, line in enumerate(lines, 1):  # noqa: B007 - used after the loop
        try:
            name = loads(line)["name"]
        except _ERRORS:
            unusable(line, report, number, ("name",))
            continue
        plain = type(name) is str and "\\" not in name and '"' not in name
        if not (plain and name.isprintable() and name == name.strip()):
            name = _clean(number, name, report) if name is not None else ""
        if not name or len(name) > MAX_NAME or (not marks(name) and accounting(name)):
            report.drop(number, _bad_name(name))
        elif index.setdefault(name, len(names)) != len(names):
            report.drop(number, "duplicate name (after cleaning)")
        else:
            names.append(name)
    report.lines, report.loaded = number, len(names) - before
    if business := count_business_lines(names[before:]):
        report.note(0, "business line rather than a good (kept)", business)


def _bad_name(name: str) -> str:
    if not name:
        return "empty name"
    if len(name) > MAX_NAME:
        return f"a sentence, not a product name (> {MAX_NAME} characters)"
    return ACCOUNTING_LINE


# ------------------------------------------------------------------------------- relations


def parse_product_links(lines: Iterable[bytes], state: ImportState) -> None:
    """product_product.json: 上游材料 / 产品小类 / 下游产品 between products."""
    report = state.report.file("product_product.json")
    index, loads, codes = state.builder.products.index, orjson.loads, _REL_CODES
    src, dst, rel, at = array("i"), array("i"), array("b"), array("i")
    required, number = ("from_entity", "to_entity", "rel"), 0
    for number, line in enumerate(lines, 1):  # noqa: B007 - used after the loop
        try:
            obj = loads(line)
            s, d, r = (
                index.get(obj["from_entity"]),
                index.get(obj["to_entity"]),
                codes.get(obj["rel"]),
            )
        except _ERRORS:
            unusable(line, report, number, required)
            continue
        if s is None:
            s = _lookup(number, obj["from_entity"], index, report)
        if d is None:
            d = _lookup(number, obj["to_entity"], index, report)
        if s is None or d is None or r is None:
            report.drop(number, _link_problem(obj, s, d))
            continue
        src.append(s)
        dst.append(d)
        rel.append(r)
        at.append(number)
    report.lines = number
    s_, d_, r_, at_ = (_numbers(a) for a in (src, dst, rel, at))
    keep = _keep(report, at_, s_ != d_, "a product related to itself")
    keep &= _first_of_each(report, at_, (s_ << 34) + (d_ << 2) + r_, keep)
    for code, kind in enumerate(_RELS):
        chosen = keep & (r_ == code)
        state.builder.extend(kind, s_[chosen], d_[chosen], np.zeros(int(chosen.sum())))
    report.loaded = int(keep.sum())


def _link_problem(obj: dict[str, Any], s: int | None, d: int | None) -> str:
    for field in ("from_entity", "to_entity", "rel"):
        if obj.get(field) is None:
            return f"missing field {field!r}"
    if s is None or d is None:
        return "product not in product.json"
    return f"unknown relation {obj['rel']!r}"


def parse_company_products(lines: Iterable[bytes], state: ImportState) -> None:
    """company_product.json: company -> main product, weighted by its share of revenue."""
    report = state.report.file("company_product.json")
    index, loads, cache = state.builder.products.index, orjson.loads, state.code_cache
    firms, products, weights, at = array("i"), array("i"), array("d"), array("i")
    required, number = ("company_code", "product_name", "rel_weight"), 0
    for number, line in enumerate(lines, 1):  # noqa: B007 - used after the loop
        try:
            obj = loads(line)
            code, raw, weight = obj["company_code"], obj["product_name"], obj["rel_weight"]
            firm = cache.get(code, -1)
            if firm == -1:
                firm = firm_index(code, state)
        except _ERRORS:
            unusable(line, report, number, required)
            continue
        if (product := index.get(raw)) is None:
            product = _lookup(number, raw, index, report)
        if firm is None or product is None or type(weight) not in (float, int):
            report.drop(number, _making_problem(obj, firm, product))
            continue
        if not 0 <= weight <= 1:
            weight = _share(number, weight, report)
        firms.append(firm)
        products.append(product)
        weights.append(weight)
        at.append(number)
    report.lines = number
    f_, p_, at_ = (_numbers(a) for a in (firms, products, at))
    w_ = np.array(weights, dtype=np.float64)
    everything = np.ones(len(at_), dtype=bool)
    keep = _first_of_each(report, at_, (f_ << 32) + p_, everything)
    state.builder.extend(RelType.MAKES, f_[keep], p_[keep], w_[keep])
    report.loaded = int(keep.sum())


def _making_problem(obj: dict[str, Any], firm: int | None, product: int | None) -> str:
    for field in ("company_code", "product_name", "rel_weight"):
        if obj.get(field) is None:
            return f"missing field {field!r}"
    if firm is None:
        return "company not in company.json"
    if product is None:
        accounting = ACCOUNTING.search(clean_name(str(obj["product_name"]))[0])
        return ACCOUNTING_LINE if accounting else "product not in product.json"
    return "rel_weight is not a number"


def _share(number: int, weight: float, report: FileReport) -> float:
    if weight > 1:
        report.repair(number, "revenue share above 1: capped at 1")
        return 1.0
    report.repair(number, "negative revenue share: set to 0")
    return 0.0


# ------------------------------------------------------------------------------- repeats


def _numbers(column: array) -> np.ndarray:
    return np.array(column, dtype=np.int64)


def _keep(report: FileReport, at: np.ndarray, ok: np.ndarray, reason: str) -> np.ndarray:
    """``ok`` as the rows to keep; the others are dropped for ``reason``."""
    for number in at[~ok]:
        report.drop(int(number), reason)
    return ok.copy()


def _first_of_each(
    report: FileReport, at: np.ndarray, keys: np.ndarray, kept: np.ndarray
) -> np.ndarray:
    """Rows (among ``kept``) whose key did not occur on an earlier kept row; later ones are
    dropped as duplicates."""
    rows = np.flatnonzero(kept)
    _, first = np.unique(keys[rows], return_index=True)
    keep = np.zeros(len(keys), dtype=bool)
    keep[rows[first]] = True
    reason = "duplicate relation" if report.file == "product_product.json" else "duplicate pair"
    for number in at[kept & ~keep]:
        report.drop(int(number), reason)
    return keep
