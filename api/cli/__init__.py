"""The ``chainkg`` command line. Each topic's commands live in their own module.

The language (``--lang zh|en`` anywhere on the command line, else ``CHAINKG_LANG``, else
Chinese; never ``LANG``) is installed before the typer app is built, because typer's help
panels take their titles at import time (see ``localise_typer``).
"""

from __future__ import annotations

import os
import sys

from graph.i18n import N_, _, set_lang


def _lang_from(argv: list[str]) -> str | None:
    """``--lang en`` / ``--lang=en`` (removed from ``argv``), else ``CHAINKG_LANG``."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
            del argv[i : i + 2]
            return lang
        if arg.startswith("--lang="):
            del argv[i]
            return arg.split("=", 1)[1]
    return os.environ.get("CHAINKG_LANG")


TYPER_TITLES = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
}


def localise_typer() -> None:
    """Say typer's help panel titles in the current language (they are module constants)."""
    import typer.rich_utils as rich_utils

    for name, msgid in TYPER_TITLES.items():
        setattr(rich_utils, name, _(msgid))


def main() -> None:
    argv = sys.argv[1:]
    set_lang(_lang_from(argv))
    localise_typer()
    from api.cli.main import app

    app(args=argv, prog_name="chainkg")


def __getattr__(name: str) -> object:
    """``api.cli.app``: the typer app (built on first use, after the language is set)."""
    if name == "app":
        from api.cli.main import app

        return app
    raise AttributeError(name)
