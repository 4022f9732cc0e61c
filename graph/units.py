"""Capacity units: which are known, what they measure, and how they convert.

Capacities are compared only within one dimension (GW with MW, 万吨 with 吨), never across.
The table is extensible per segment: a unit written with a 万/亿 multiplier in front of a
known one (万台, 亿片) is known too, and ``ALIASES`` maps other spellings officers use
(千瓦, 平方米, m2) to the table's.

>>> to_base(5.6, "GW"), dimension("万吨")
(5600.0, 'mass')
"""

from __future__ import annotations

# unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "kW": ("power", 0.001),
    "MW": ("power", 1.0),
    "GW": ("power", 1000.0),
    "MWh": ("energy", 1.0),
    "GWh": ("energy", 1000.0),
    "kWh": ("energy", 0.001),
    "吨": ("mass", 1.0),
    "t": ("mass", 1.0),
    "万吨": ("mass", 10_000.0),
    "㎡": ("area", 1.0),
    "万㎡": ("area", 10_000.0),
    "亿㎡": ("area", 100_000_000.0),
    "只": ("count", 1.0),
    "万只": ("count", 10_000.0),
    "套": ("count", 1.0),
    "万套": ("count", 10_000.0),
    "台": ("count", 1.0),
    "万台": ("count", 10_000.0),
    "个": ("count", 1.0),
    "件": ("count", 1.0),
    "片": ("count", 1.0),
    "万片": ("count", 10_000.0),
    "辆": ("count", 1.0),
    "万辆": ("count", 10_000.0),
    "米": ("length", 1.0),
    "万米": ("length", 10_000.0),
    "芯公里": ("fibre", 1.0),
    "万芯公里": ("fibre", 10_000.0),
    "头": ("head", 1.0),
    "万头": ("head", 10_000.0),
    "亿元": ("money", 1.0),
    "吨/日": ("melt", 1.0),  # glass furnaces are rated by daily melt (日熔量)
}


# other spellings -> the table's unit
ALIASES: dict[str, str] = {
    "千瓦": "kW",
    "兆瓦": "MW",
    "吉瓦": "GW",
    "千瓦时": "kWh",
    "兆瓦时": "MWh",
    "吉瓦时": "GWh",
    "m2": "㎡",
    "m²": "㎡",
    "平方米": "㎡",
    "万平方米": "万㎡",
    "亿平方米": "亿㎡",
    "T": "t",
    "公里": "千米",
}
UNITS["千米"] = ("length", 1000.0)
MULTIPLIERS = {"万": 10_000.0, "亿": 100_000_000.0}


def canonical(unit: str) -> str | None:
    """The table's spelling of ``unit`` (a 万/亿-prefixed known unit stays as written), or None.

    >>> canonical("千瓦"), canonical("万台"), canonical("亿片"), canonical("公斤")
    ('kW', '万台', '亿片', None)
    >>> canonical("万千瓦"), canonical("万万吨")
    ('万kW', None)
    """
    unit = unit.strip()
    unit = ALIASES.get(unit, unit)
    if unit in UNITS:
        return unit
    rest = ALIASES.get(unit[1:], unit[1:])
    if unit[:1] in MULTIPLIERS and rest in UNITS and rest[:1] not in MULTIPLIERS:
        return unit[0] + rest
    return None


def _lookup(unit: str) -> tuple[str, float]:
    name = canonical(unit)
    if name is None:
        raise KeyError(unit)
    if name in UNITS:
        return UNITS[name]
    dim, factor = UNITS[name[1:]]
    return dim, factor * MULTIPLIERS[name[0]]


def is_known(unit: str) -> bool:
    return canonical(unit) is not None


def dimension(unit: str) -> str:
    return _lookup(unit)[0]


def comparable(a: str, b: str) -> bool:
    """True when both units are known and measure the same thing."""
    return is_known(a) and is_known(b) and _lookup(a)[0] == _lookup(b)[0]


def to_base(value: float, unit: str) -> float:
    return value * _lookup(unit)[1]


def convert(value: float, unit: str, target: str) -> float:
    """Convert ``value`` from ``unit`` to ``target`` (same dimension).

    >>> convert(102, "GW", "MW")
    102000.0
    """
    if not comparable(unit, target):
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return to_base(value, unit) / _lookup(target)[1]
