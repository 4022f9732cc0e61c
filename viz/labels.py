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


_EM: dict[str, float] = {}  # character -> em, filled as characters are met


def char_em(ch: str) -> float:
    """Width of one character in em: wide (CJK, full-width) 1, anything else 0.7."""
    em = _EM.get(ch)
    if em is None:
        em = _EM[ch] = 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.7
    return em


def em_width(text: str) -> float:
    return sum(_EM.get(ch) or char_em(ch) for ch in text)


def _cut(text: str, room: float) -> str:
    """The longest start of ``text`` at most ``room`` em wide."""
    total = 0.0
    for i, ch in enumerate(text):
        total += _EM.get(ch) or char_em(ch)
        if total > room:
            return text[:i]
    return text


def _lines(text: str, line_em: float, limit: int) -> list[str]:
    """``text`` in lines of at most ``line_em``; after ``limit`` lines, the rest as one."""
    lines: list[str] = []
    while text and len(lines) < limit:
        head = _cut(text, line_em) or text[0]
        lines.append(head)
        text = text[len(head) :]
    return [*lines, text] if text else lines


def fit_label(label: str, fit: Fit) -> str:
    """``label`` broken into lines of at most ``fit.line_em``; past ``fit.lines`` lines, the
    last one kept ends in "…". Existing line breaks are kept (a chain's second line)."""
    if len(label) <= fit.line_em and "\n" not in label:
        return label  # no character is wider than 1 em: it fits (most names, quickly)
    out: list[str] = []
    for part in label.split("\n"):
        out += _lines(part, fit.line_em, fit.lines) or [""]
    if len(out) <= fit.lines:
        return "\n".join(out)
    last = _cut(out[fit.lines - 1], fit.line_em - 1.0)  # room for the "…"
    return "\n".join([*out[: fit.lines - 1], last + ELLIPSIS])


def line_count(label: str) -> int:
    return label.count("\n") + 1


_FITS = {
    group: CHAIN_FIT
    if group == Group.CHAIN
    else FIRM_FIT
    if group in (Group.LOCAL, Group.TARGET, Group.FOCUS)
    else SEGMENT_FIT
    for group in Group
}


def fit_for(group: Group) -> Fit:
    return _FITS[group]


def drawn_label(node: DisplayNode) -> str:
    """The text drawn in ``node``'s box (its ``label`` is the full name)."""
    return fit_label(node.label, fit_for(node.group))
