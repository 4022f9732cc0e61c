"""Labels that fit their box: long names wrapped onto two lines or shortened with "…".

The full name is never lost: the tooltip, the search list and the data sets keep it; only the
text drawn inside a box is fitted. Widths are estimated in *em* (a CJK character is 1 em, a
Latin letter or digit at most 0.7 em in the CJK fonts the maps use), so the layout can make
each box's room before anything is drawn, and the browser never wraps on its own.

>>> fit_label("隆基绿能科技股份有限公司", FIRM_FIT)
'隆基绿能科…'
>>> fit_label("光伏玻璃及背板材料", SEGMENT_FIT)
'光伏玻璃及背\\n板材料'
>>> fit_label("TCL中环", FIRM_FIT)
'TCL中环'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from viz.model import DisplayNode, Group

ELLIPSIS = "…"


@dataclass(frozen=True)
class Fit:
    line_em: float  # widest line, in em of the box's font
    lines: int  # at most this many lines


SEGMENT_FIT = Fit(6.0, 2)
FIRM_FIT = Fit(6.0, 1)
CHAIN_FIT = Fit(11.0, 3)


def char_em(ch: str) -> float:
    """Width of one character in em: wide (CJK, full-width) 1, anything else 0.7."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.7


def em_width(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def _lines(text: str, line_em: float) -> list[str]:
    lines, line, width = [], "", 0.0
    for ch in text:
        if width + char_em(ch) > line_em and line:
            lines.append(line)
            line, width = "", 0.0
        line += ch
        width += char_em(ch)
    return [*lines, line] if line else lines


def fit_label(label: str, fit: Fit) -> str:
    """``label`` broken into lines of at most ``fit.line_em``; past ``fit.lines`` lines, the
    last one kept ends in "…". Existing line breaks are kept (a chain's second line)."""
    out: list[str] = []
    for part in label.split("\n"):
        out += _lines(part, fit.line_em) or [""]
    if len(out) <= fit.lines:
        return "\n".join(out)
    last = out[fit.lines - 1]
    while last and em_width(last) + 1.0 > fit.line_em:
        last = last[:-1]
    return "\n".join([*out[: fit.lines - 1], last + ELLIPSIS])


def line_count(label: str) -> int:
    return label.count("\n") + 1


def fit_for(group: Group) -> Fit:
    if group == Group.CHAIN:
        return CHAIN_FIT
    return FIRM_FIT if group in (Group.LOCAL, Group.TARGET, Group.FOCUS) else SEGMENT_FIT


def drawn_label(node: DisplayNode) -> str:
    """The text drawn in ``node``'s box (its ``label`` is the full name)."""
    return fit_label(node.label, fit_for(node.group))
