"""Keep the surface honest: every setting and command is documented, and the dataset format
document names every column, header spelling, file and unit the loader knows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph import units
from loaders.csvio import HEADER_ALIASES
from loaders.curated import CSV_FILES, LOCAL_COLUMNS, TARGET_COLUMNS, YAML_FILES

ROOT = Path(__file__).resolve().parents[1]
FORMAT_DOC = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")


# typer vendors its own click, so groups are recognised by their ``commands``, not their class
def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command of the CLI, sub-commands included."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))


CLI = typer.main.get_command(app)
COMMANDS = list(commands(CLI))


def command_at(path: tuple[str, ...]) -> Any:
    command = CLI
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


# ------------------------------------------------------------------------------- settings


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_a_description(name: str) -> None:
    description = Settings.model_fields[name].description or ""
    assert len(description.split()) >= 3, f"Settings.{name} needs a description"


# ------------------------------------------------------------------------------- CLI


def test_the_dataset_commands_exist() -> None:
    assert {("validate",), ("load",), ("stats",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_help_exits_zero(path: tuple[str, ...]) -> None:
    command = command_at(path)
    assert (command.help or "").strip(), f"chainkg {' '.join(path)} has no help text"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_option_and_argument_is_explained(path: tuple[str, ...]) -> None:
    undocumented = [
        param.name
        for param in command_at(path).params
        if param.name != "help" and not (getattr(param, "help", None) or "").strip()
    ]
    assert undocumented == [], f"chainkg {' '.join(path)}: no help for {undocumented}"


def test_the_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for (name,) in (p for p in COMMANDS if len(p) == 1):
        assert name in result.stdout


# ------------------------------------------------------------------------------- data format


@pytest.mark.parametrize("column", sorted(set(LOCAL_COLUMNS) | set(TARGET_COLUMNS)))
def test_the_format_document_names_every_csv_column(column: str) -> None:
    assert f"`{column}`" in FORMAT_DOC, f"docs/data-format.md does not mention `{column}`"


def test_every_chinese_header_maps_to_a_real_column() -> None:
    columns = set(LOCAL_COLUMNS) | set(TARGET_COLUMNS)
    assert set(HEADER_ALIASES.values()) <= columns


@pytest.mark.parametrize("column", sorted(set(HEADER_ALIASES.values())))
def test_the_format_document_gives_a_chinese_header_for_each_column(column: str) -> None:
    spellings = [alias for alias, target in HEADER_ALIASES.items() if target == column]
    listed = re.search(r"\*\*Chinese headers are accepted\*\*[^.]*\.", FORMAT_DOC, re.S)
    assert listed, "docs/data-format.md lost its list of Chinese headers"
    text = listed.group(0).lower()
    assert any(s in text for s in spellings), f"no Chinese header documented for {column}"


@pytest.mark.parametrize(
    "name", ["dataset.yaml", "chains/"] + [name for name, *_ in (*YAML_FILES, *CSV_FILES)]
)
def test_the_format_document_has_a_section_for_every_file(name: str) -> None:
    assert re.search(rf"^## {re.escape(name)}", FORMAT_DOC, re.M), f"no section for {name}"


def test_the_format_document_lists_every_unit() -> None:
    section = FORMAT_DOC.split("## Units", 1)[1].split("\n## ", 1)[0]
    listed = " ".join(section.split("`")[1::2]).split()  # the units are in `code spans`
    missing = [unit for unit in units.UNITS if unit not in listed]
    assert missing == [], f"units missing from docs/data-format.md: {missing}"
