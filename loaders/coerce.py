"""Values of a record read as officers write them, before the schema validates them.

``coerce(model, values)`` returns the values with numbers, years and ids read (``14.5万`` ->
145000, ``2023年`` -> 2023, ``ｐｖ－ｃｅｌｌ`` -> ``pv-cell``, an id YAML read as the number
600001 -> ``'600001'``) and, per field it handled, the message of what could not be read
(empty when it was read). A missing year is reported here: every fact carries its year, or
says explicitly that its source gives none (``year: 不详``).

>>> from graph.schema import OperatesIn
>>> v, bad = coerce(OperatesIn, {"src": "a", "dst": "b", "source": "s", "year": "2023年",
...                              "capacity": "约14.5万", "unit": "吨"})
>>> v["capacity"], v["approximate"], v["year"], bad
(145000.0, True, 2023, {'year': '', 'capacity': ''})
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any

from graph import units
from graph.i18n import _
from loaders.numbers import in_unit, read_quantity, read_year
from loaders.textin import fold

# number field -> where its unit comes from: another field ("unit"), a fixed unit ("=亿元"),
# or None (a plain number: share, priority)
NUMBERS: dict[str, str | None] = {
    "capacity": "unit",
    "value": "unit",
    "investment": "=亿元",
    "share": None,
    "priority": None,
}
# an honest "this source gives no year" (an undated county page): accepted, stored as no year
UNDATED = frozenset({"不详", "未注明", "无年份", "undated", "unknown"})
IDS = ("id", "src", "dst", "chain", "region", "park", "firm")
ID_LISTS = ("segments", "also_in")


def coerce(
    model: type[Any], data: dict[str, Any], inherited: Collection[str] = ()
) -> tuple[dict[str, Any], dict[str, str]]:
    """(values ready for ``model``, {field: problem message or ''} for each field read)."""
    fields = _fields(model)
    values, handled = dict(data), {}
    for key in IDS:
        if key in values and isinstance(values[key], str | int) and key in fields:
            values[key] = fold(str(values[key]))
    for key in ID_LISTS:
        if isinstance(values.get(key), list):
            values[key] = [fold(str(v)) if isinstance(v, str | int) else v for v in values[key]]
    if "year" in fields:
        handled["year"] = _year(values)
    for key, unit_from in NUMBERS.items():
        if key in fields and isinstance(values.get(key), str):
            handled[key] = _number(values, key, unit_from, "approximate" in fields)
    return values, {k: v for k, v in handled.items() if k in data or v}


@functools.cache
def _fields(model: type[Any]) -> frozenset[str]:
    return frozenset(model.model_fields)


def _year(values: dict[str, Any]) -> str:
    year = values.get("year")
    if year is None or (isinstance(year, str) and not year.strip()):
        values.pop("year", None)
        return _(
            "the year is missing: every fact carries the year it is true for (e.g. 2023); "
            "for an undated source write 不详"
        )
    if isinstance(year, str) and len(year) == 4 and year.isascii() and year.isdigit():
        values["year"] = int(year)  # the common case, without the general reader
        return ""
    if isinstance(year, str) and year.strip().lower() in UNDATED:
        values["year"] = None
        return ""
    if isinstance(year, bool) or not isinstance(year, str | int):
        return _("a year like 2023 was expected, got {value}", value=repr(year)[:40])
    try:
        values["year"] = read_year(str(year))
    except ValueError as e:
        return str(e)
    return ""


def _number(values: dict[str, Any], key: str, unit_from: str | None, approx: bool) -> str:
    text = values[key].strip()
    if not text:
        values.pop(key)
        return ""
    free_unit = str(values.get("unit") or "") if unit_from == "unit" else ""
    if free_unit and not units.canonical(free_unit) and text.endswith(free_unit):
        text = text[: -len(free_unit)].strip()  # a KPI's 157家 with unit 家
    try:
        quantity = read_quantity(text)
        if unit_from is None and quantity.unit:
            raise ValueError(_("{value}: a plain number was expected", value=repr(text)[:40]))
        if unit_from == "unit":
            quantity = in_unit(quantity, str(values.get("unit") or "") or None)
            if quantity.unit and not values.get("unit"):
                values["unit"] = quantity.unit
        elif unit_from:
            quantity = in_unit(quantity, unit_from[1:])
    except ValueError as e:
        return str(e)
    values[key] = quantity.value
    if approx and quantity.approximate:
        values["approximate"] = True
    return ""
