"""The message catalogue: every msgid in the code has a Chinese translation, and the language
follows the request, never the process's LANG."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from graph.i18n import _, catalogue_files, negotiate, normalise_lang, use_lang

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "api", "loaders", "viz")
KEYWORDS = {"_": None, "N_": None}


def _msgids_in_code() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in PACKAGES:
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, f"{package}/{filename}:{lineno}")
    return found


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    translated = {}
    for path in catalogue_files("zh"):
        with path.open("rb") as f:
            translated.update((m.id, m) for m in read_po(f, locale="zh") if m.id)
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in _msgids_in_code().items()
        if msgid not in translated
    ]
    empty_or_fuzzy = [m.id for m in translated.values() if not m.string or m.fuzzy]
    assert not missing, "msgids without a zh entry:\n" + "\n".join(missing)
    assert not empty_or_fuzzy, f"zh entries empty or fuzzy: {empty_or_fuzzy}"


def test_chinese_is_the_default_whatever_the_process_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert _("unknown {kind} id {id!r}", kind="环节", id="x") == "未知的环节编号 'x'"
    with use_lang("en"):
        assert _("unknown {kind} id {id!r}", kind="segment", id="x") == "unknown segment id 'x'"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-Hans,en;q=0.8", "zh"),
        ("zh-CN", "zh"),
        ("en-GB,zh;q=0.5", "en"),
        ("fr, en;q=0.7", "en"),
        ("fr", None),
        ("", None),
        ("en;q=0, zh;q=0.1", "zh"),
    ],
)
def test_accept_language_matches_on_the_primary_subtag(header: str, expected: str | None) -> None:
    assert negotiate(header) == expected


def test_unknown_languages_are_not_chosen() -> None:
    assert normalise_lang("zh_Hant_TW") == "zh"
    assert normalise_lang("de") is None
