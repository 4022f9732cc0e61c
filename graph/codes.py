"""Stock codes: one normal form, ``600000.SH`` / ``000001.SZ`` / ``830799.BJ``.

>>> normalise_code("601865"), normalise_code("sz300750"), normalise_code("688599.sh")
('601865.SH', '300750.SZ', '688599.SH')
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^(?:(SH|SZ|BJ)[.\s]?)?(\d{6})(?:[.\s]?(SH|SZ|BJ|SS))?$", re.IGNORECASE)

EXCHANGE_NAMES = {"SH": "上海证券交易所", "SZ": "深圳证券交易所", "BJ": "北京证券交易所"}


def exchange_for(digits: str) -> str:
    """The exchange a six-digit A-share code trades on, from its prefix."""
    if digits.startswith(("60", "68", "90")):
        return "SH"
    if digits.startswith(("00", "30", "20")):
        return "SZ"
    if digits.startswith(("8", "4", "92")):
        return "BJ"
    raise ValueError(f"{digits!r} is not an A-share code (expected 60/68/00/30/8/4/92 prefix)")


def normalise_code(raw: str) -> str:
    """Normalise any common spelling of an A-share code; ``ValueError`` if it is not one."""
    match = _CODE.match(raw.strip())
    if not match:
        raise ValueError(f"{raw!r} is not a stock code; write it like 601865 or 601865.SH")
    prefix, digits, suffix = match.groups()
    given = (suffix or prefix or "").upper().replace("SS", "SH")
    expected = exchange_for(digits)
    if given and given != expected:
        raise ValueError(f"{raw!r}: code {digits} trades on {expected}, not {given}")
    return f"{digits}.{expected}"
