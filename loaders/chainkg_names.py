"""Product names as ChainKG spells them, and the one clean form every file is matched in.

product.json double-escapes a few names (``维生素A系\\n列``, ``家电维修系统\\"``), the
relation files carry the same names with real line breaks, a zero-width joiner or a stray
quote; cleaning all of them the same way lets the files refer to one another again.

>>> clean_name("光纤复合\\n架空地线\\n")
('光纤复合架空地线', ['line break inside a name removed'])
>>> clean_name("钢铁\\\\\\\\不锈钢立柱")[0]
'钢铁/不锈钢立柱'
>>> clean_name("光伏玻璃")
('光伏玻璃', [])
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
# What an escape left in a name stood for. A lone backslash is a '/': the relation files
# spell the same names with '/' (锌合金/铝合金, CPP/硅胶).
_UNESCAPED = {"n": "\n", "r": "\n", "t": " ", '"': '"', "b": "", "\\": "/", "/": "/"}
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_BREAK = re.compile(r"\s*[\r\n]+\s*")

# Lines of a revenue breakdown that are bookkeeping, not a business.
ACCOUNTING = re.compile(r"抵销|抵消|抵减|平衡项目|调整项目|^合计$|^小计$|^总计$")
_BUSINESS_LINE = re.compile(r"业务|分部|板块|事业部|与|及")
_BUSINESS_LINE_IN_TEXT = re.compile(r"^.*(?:业务|分部|板块|事业部|与|及).*$", re.MULTILINE)


def plain(name: str) -> bool:
    """True for a name that needs no cleaning (99.9% of them: checked at C speed)."""
    return "\\" not in name and '"' not in name and name.isprintable() and name == name.strip()


def clean_name(raw: str) -> tuple[str, list[str]]:
    """The clean form of a product name and what had to be repaired to get it."""
    if plain(raw):
        return raw, []
    repairs = []
    name = raw
    if "\\" in name:
        name = _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), name)
        repairs.append("escaped characters in a name decoded")
    if "\n" in name or "\r" in name:
        name = _BREAK.sub("", name)
        repairs.append("line break inside a name removed")
    if _INVISIBLE.search(name):
        name = _INVISIBLE.sub("", name)
        repairs.append("invisible control character removed")
    if name.count('"') % 2:
        name = name.replace('"', "")
        repairs.append("unpaired quote mark removed")
    stripped = name.strip(" \t\u3000")
    if stripped != name:
        repairs.append("spaces around a name removed")
    return stripped, repairs


def is_business_line(name: str) -> bool:
    """A revenue line named after a business (设备与工程, 光伏玻璃业务) rather than a good."""
    return bool(_BUSINESS_LINE.search(name))


def count_business_lines(names: list[str]) -> int:
    """How many of ``names`` are business lines (one regex pass over all of them)."""
    return len(_BUSINESS_LINE_IN_TEXT.findall("\n".join(names)))
