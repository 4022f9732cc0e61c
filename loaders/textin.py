"""Text at the edge where it enters: bytes decoded, control characters removed, full-width
forms folded for comparison.

- ``decode(raw, rel)``: UTF-8 (a byte-order mark stripped); a file that is not UTF-8 but
  decodes cleanly as GBK/GB18030 (Excel's and Notepad's default on Chinese Windows, as
  detected by ``charset-normalizer``) is read, with a warning saying how to re-save it; UTF-16
  ("Unicode text") is read the same way. Anything else is refused with the re-save advice.
- ``clean(text)``: control characters other than tab and line breaks (U+000B from Word's
  manual line break, U+0007, …) break every Excel export; they are replaced by a space.
- ``fold(text)``: the NFKC form used wherever names, codes and ids are compared, so
  ``１０２``/``102``, ``（上海）``/``(上海)`` and ``ＡＢＣ``/``ABC`` are one.

>>> clean("负极龙头\\x0b人造石墨")
('负极龙头 人造石墨', ['U+000B'])
>>> fold("甲（上海）ＡＢ１")
'甲(上海)AB1'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from graph.i18n import _

# C0 and C1 controls except tab, LF and CR; DEL; the Unicode line/paragraph separators
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5", "hz")


@dataclass(frozen=True)
class Decoded:
    """Text read from a file; ``encoding`` is ``utf-8`` unless it had to be guessed."""

    text: str
    encoding: str = "utf-8"


def resave_hint() -> str:
    return _("in Excel use 'Save As > CSV UTF-8 (逗号分隔)', in Notepad 'Save As' with UTF-8")


def decode(raw: bytes) -> Decoded | str:
    """The text of ``raw``, or a message saying why it cannot be read (for the caller to place).

    >>> decode("年份".encode("gbk")).encoding, decode(b"\\xef\\xbb\\xbfid").text
    ('gb18030', 'id')
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(raw.decode("utf-16").lstrip("\ufeff"), "utf-16")
        except UnicodeDecodeError:
            return _("it is not valid UTF-16 text; {hint}", hint=resave_hint())
    try:
        return Decoded(raw.decode("utf-8-sig").lstrip("\ufeff"))
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        guess = _chinese(raw)
        if guess is not None:
            return guess
        return _(
            "it is not UTF-8 text (first undecodable byte on line {line}); {hint}",
            line=line,
            hint=resave_hint(),
        )


def _chinese(raw: bytes) -> Decoded | None:
    """GB18030 text when it decodes cleanly and the detector agrees it is Chinese text (on a
    few characters it may say Big5: still Chinese, and GB18030 decoded every byte)."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    best = from_bytes(raw, cp_isolation=["gb18030", "big5", "cp1252", "latin_1"]).best()
    if best is not None and best.encoding not in CHINESE_ENCODINGS:
        return None  # e.g. a Western file in cp1252: refused with the re-save advice
    return Decoded(text, "gb18030")


def encoding_warning(decoded: Decoded) -> str | None:
    """What to tell the user about a file that was not UTF-8 (None when it was)."""
    if decoded.encoding == "utf-8":
        return None
    if decoded.encoding == "utf-16":
        return _(
            "the file is UTF-16 (Excel's 'Unicode text'): read as such; {hint}", hint=resave_hint()
        )
    return _(
        "the file is not UTF-8 but GBK/GB18030 (the default of Excel and Notepad on Chinese "
        "Windows): read as GBK; please re-save it as UTF-8 ({hint})",
        hint=resave_hint(),
    )


def clean(text: str) -> tuple[str, list[str]]:
    """``text`` with control characters replaced by a space, and the ones found (U+000B …)."""
    if text.isprintable() or not CONTROL.search(text):
        return text, []
    found = CONTROL.findall(text)
    names = sorted({f"U+{ord(c):04X}" for c in found})
    return CONTROL.sub(" ", text), names


def control_warning(names: list[str]) -> str:
    return _(
        "control character {chars} (e.g. a manual line break pasted from Word/WPS) replaced "
        "by a space",
        chars=", ".join(names),
    )


def fold(text: str) -> str:
    """The comparison form of a name, code or id: NFKC (full-width digits, letters and
    brackets to ASCII, the ideographic space to a space), stripped."""
    if text.isascii():
        return text.strip()  # NFKC changes nothing in ASCII
    return unicodedata.normalize("NFKC", text).strip()
