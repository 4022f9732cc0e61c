"""What every CLI command shares: settings, the store, the region, and errors as exit codes.

Machine outputs (``--format json|csv``) own stdout: every note, progress line and error goes
to stderr (``err_console``), so ``chainkg gaps pv --format json | jq`` always parses.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from api.backend import open_store
from api.settings import Settings
from graph import GraphError, Store
from graph.datasets import choose_region
from graph.errors import DatasetError
from graph.i18n import _

console = Console()
err_console = Console(stderr=True)

BackendOption = typer.Option(None, "--backend", help=_("memory (embedded, default) or neo4j"))
RegionOption = typer.Option(
    None,
    "--region",
    help=_("region id (default: the region of the loaded dataset; CHAINKG_REGION overrides)"),
)


def note(text: str) -> None:
    """A remark for the person at the terminal: always stderr, never mixed into outputs."""
    err_console.print(text, markup=False, highlight=False, soft_wrap=True, style="dim")


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
            message = _(
                "invalid setting {name} ({where}): {reason} (got {value})",
                name=name,
                where=where,
                reason=err["msg"],
                value=repr(err.get("input"))[:80],
            )
            err_console.print(f"[red]✗ {escape(message)}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


@contextmanager
def failures() -> Iterator[None]:
    """Print chainkg errors as a clear message on stderr and exit non-zero (no stack trace)."""
    try:
        yield
    except DatasetError as e:
        header = _("{n} problem(s) found:", n=len(e.problems))
        err_console.print(f"[red]✗ {escape(header)}[/red]")
        for problem in e.problems:
            # soft_wrap: one problem per line, so the output greps and pastes cleanly
            err_console.print(f"  • {problem}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except GraphError as e:
        err_console.print(f"[red]✗ {escape(str(e))}[/red]", highlight=False, soft_wrap=True)
        sys.exit(1)


@contextmanager
def opened(cfg: Settings) -> Iterator[Store]:
    """The configured store, as it is (nothing is ever loaded into it behind the user's back)."""
    store = open_store(cfg)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def analysed(cfg: Settings, region: str | None) -> Iterator[tuple[Store, str]]:
    """The store and the region to analyse: ``--region``, else ``CHAINKG_REGION``, else the
    loaded dataset's own region. An empty store says how to load a dataset (exit 1)."""
    if cfg.dataset is not None:
        note(
            _(
                "note: CHAINKG_DATASET ({path}) is read only by `chainkg load` and the first "
                "`chainkg serve`; this command analyses what the store holds",
                path=cfg.dataset,
            )
        )
    with opened(cfg) as store:
        yield store, choose_region(store, region or cfg.region)
