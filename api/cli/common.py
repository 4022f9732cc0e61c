"""What every CLI command shares: settings, the store, and turning errors into exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from api.backend import ensure_loaded, open_store
from api.settings import Settings
from graph import GraphError, Store
from graph.errors import DatasetError

console = Console()
err_console = Console(stderr=True)

BackendOption = typer.Option(
    None, "--backend", help="sqlite (embedded file, default), memory (not saved) or neo4j"
)


def settings(backend: str | None = None, data_file: Path | None = None) -> Settings:
    """The settings, with command-line overrides; nonsense exits with which setting is wrong."""
    overrides: dict[str, object] = {}
    if backend:
        overrides["backend"] = backend
    if data_file:
        overrides["data_file"] = data_file
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as e:
        for err in e.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            where = "--backend" if name == "backend" and backend else f"CHAINKG_{name.upper()}"
            err_console.print(
                f"[red]✗ invalid setting {name} ({where}):[/red] "
                f"{escape(err['msg'])} (got {escape(repr(err.get('input')))})",
                highlight=False,
                soft_wrap=True,
            )
        raise typer.Exit(1) from None


@contextmanager
def failures() -> Iterator[None]:
    """Print chainkg errors as a clear message and exit non-zero (no stack trace)."""
    try:
        yield
    except DatasetError as e:
        err_console.print(f"[red]✗ {len(e.problems)} problem(s) found:[/red]")
        for problem in e.problems:
            # soft_wrap: one problem per line, so the output greps and pastes cleanly
            err_console.print(f"  • {problem}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except GraphError as e:
        err_console.print(f"[red]✗ {escape(str(e))}[/red]", highlight=False, soft_wrap=True)
        sys.exit(1)


@contextmanager
def opened(cfg: Settings, load_default: bool = False) -> Iterator[Store]:
    """The configured store; with ``load_default``, an empty one gets the default dataset."""
    store = open_store(cfg)
    try:
        if load_default and ensure_loaded(store, cfg):
            console.print(f"[dim]store was empty: loaded {cfg.dataset}[/dim]")
        yield store
    finally:
        store.close()
