"""Capacity units: which are known, what they measure, and how they convert.

Capacities are compared only within one dimension (GW with MW, 万吨 with 吨), never across.

>>> to_base(5.6, "GW"), dimension("万吨")
(5600.0, 'mass')
"""

from __future__ import annotations

# unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "MW": ("power", 1.0),
    "GW": ("power", 1000.0),
    "MWh": ("energy", 1.0),
    "GWh": ("energy", 1000.0),
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


def is_known(unit: str) -> bool:
    return unit in UNITS


def dimension(unit: str) -> str:
    return UNITS[unit][0]


def comparable(a: str, b: str) -> bool:
    """True when both units are known and measure the same thing."""
    return a in UNITS and b in UNITS and UNITS[a][0] == UNITS[b][0]


def to_base(value: float, unit: str) -> float:
    return value * UNITS[unit][1]


def convert(value: float, unit: str, target: str) -> float:
    """Convert ``value`` from ``unit`` to ``target`` (same dimension).

    >>> convert(102, "GW", "MW")
    102000.0
    """
    if not comparable(unit, target):
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return to_base(value, unit) / UNITS[target][1]
