"""Numbers as officers type them: ``14.5万``, ``5.6GW``, ``约5.7``, ``16万吨``, ``１０２``,
``４５％``, ``1,500``, ``十五万``, and years as ``2023年``.

``read_quantity`` splits a cell into value, unit and whether it was approximate (约/近/超/
逾/左右 …); ``in_unit`` converts it to the unit of its column; ``read_year`` reads a year and
says "a year like 2023 was expected, got a date" for ``2023-06-30``. Full-width forms are
folded by NFKC; Chinese numerals and 万/亿 multipliers are read by ``cn2an``. Each raises
``ValueError`` with a message (in the current language) that says what was expected.

>>> read_quantity("约14.5万吨")
Quantity(value=14.5, unit='万吨', approximate=True)
>>> in_unit(read_quantity("14.5万"), "吨").value, read_year("2023年")
(145000.0, 2023)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

import cn2an

from graph import units
from graph.errors import excerpt
from graph.i18n import _

# "about / nearly / over": the figure is kept, flagged approximate
APPROX_BEFORE = ("大约", "约合", "约为", "约", "接近", "将近", "近", "超过", "超", "逾", "达")
_ARABIC = re.compile(r"^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)(.*)$")
_CHINESE = re.compile(r"^([零〇一二两三四五六七八九十百千万亿点]+)(.*)$")
_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}(\s*[-/.月]\s*(\d{1,2}\s*日?)?)?$")
_INNER_APPROX = re.compile(r"(?<=[\d万亿千百十])(余|多)")
_YEAR = re.compile(r"^(\d{4})\s*(年度?|年份)?$")


@dataclass(frozen=True)
class Quantity:
    """A number read from a cell: ``unit`` is None when the cell held none."""

    value: float
    unit: str | None = None
    approximate: bool = False


def number_hint() -> str:
    return _("a number like 14.5, 1,500, 14.5万, 约5.7 or 45% was expected")


def _not_a_number(text: str) -> str:
    return _("{value} is not a number: {hint}", value=excerpt(text), hint=number_hint())


_APPROX = re.compile("^(" + "|".join(APPROX_BEFORE) + ")")


def _strip_approx(text: str) -> tuple[str, bool]:
    approx = False
    if match := _APPROX.match(text):
        text, approx = text[match.end() :].strip(), True
    for word in ("左右", "以上"):
        if text.endswith(word):
            text, approx = text[: -len(word)].strip(), True
    if _INNER_APPROX.search(text):  # 5万余吨, 300多
        text, approx = _INNER_APPROX.sub("", text, count=1), True
    return text, approx


def _split(text: str) -> tuple[float, str]:
    """(number, the rest) of a cell that starts with a number (Arabic or Chinese)."""
    match = _ARABIC.match(text)
    if match:
        number, rest = match.group(1), match.group(2).strip()
        if "," in number and not re.match(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$", number):
            raise ValueError(number)
        return float(number.replace(",", "")), rest
    match = _CHINESE.match(text)
    if match and match.group(1) not in ("万", "亿"):
        head, rest = match.group(1), match.group(2).strip()
        # 十五万吨: the multiplier belongs to the number unless it starts a known unit
        if head[-1] in units.MULTIPLIERS and units.canonical(head[-1] + rest):
            head, rest = head[:-1], head[-1] + rest
        return float(cn2an.cn2an(head, "smart")), rest
    raise ValueError(text)


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


def read_quantity(text: str) -> Quantity:
    """The number in a cell, with the unit written in it and whether it was approximate."""
    if _PLAIN.match(text):
        return Quantity(float(text))  # the common case, without the general reader
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "").strip()
    cleaned, approx = _strip_approx(cleaned)
    if "," in cleaned and re.match(r"^[-+]?\d+,\d{1,2}$", cleaned):
        raise ValueError(
            _(
                "{value} is not a number: a comma may only separate thousands (1,500); "
                "write decimals with a point (14.5)",
                value=excerpt(text),
            )
        )
    try:
        value, rest = _split(cleaned)
    except (ValueError, TypeError):
        raise ValueError(_not_a_number(text)) from None
    if rest in ("%", "％"):
        return Quantity(value / 100, None, approx)
    if not rest:
        return Quantity(value, None, approx)
    if rest[0] in units.MULTIPLIERS and not units.canonical(rest):
        value, rest = value * units.MULTIPLIERS[rest[0]], rest[1:]
    unit = units.canonical(rest) if rest else None
    if rest and unit is None and not rest[0].isalpha():
        raise ValueError(_not_a_number(text))  # 1.2.3, 12,34,567
    if rest and unit is None:
        raise ValueError(
            _(
                "{value}: unknown unit {unit} after the number; {hint}",
                value=excerpt(text),
                unit=excerpt(rest),
                hint=number_hint(),
            )
        )
    return Quantity(value, unit, approx)


def in_unit(quantity: Quantity, unit: str | None) -> Quantity:
    """``quantity`` in the column's ``unit``: a unit written in the cell is converted to it;
    with no column unit the cell's own unit is kept. ``ValueError`` when they cannot convert."""
    target = units.canonical(unit) if unit else None
    if quantity.unit is None or target is None or quantity.unit == target:
        return replace(quantity, unit=target or quantity.unit)
    if not units.comparable(quantity.unit, target):
        raise ValueError(
            _(
                "the cell says {cell} but the unit is {unit}: they do not measure the same "
                "thing; write the number only, in {unit}",
                cell=quantity.unit,
                unit=unit,
            )
        )
    return Quantity(
        units.convert(quantity.value, quantity.unit, target), target, quantity.approximate
    )


def read_year(text: str) -> int:
    """A year: ``2023``, ``2023年``, ``２０２３``, ``二〇二三年``; a date is refused."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    if (match := _YEAR.match(cleaned)) is not None:
        return int(match.group(1))
    if _DATE.match(cleaned):
        raise ValueError(
            _(
                "a year like 2023 was expected, got a date ({value}): write the year only",
                value=excerpt(text),
            )
        )
    try:
        year = cn2an.cn2an(cleaned.removesuffix("年"), "smart")
    except (ValueError, TypeError, KeyError):
        year = None
    if isinstance(year, int) and 1000 <= year <= 9999:
        return year
    raise ValueError(_("a year like 2023 was expected, got {value}", value=excerpt(text)))
