"""``chainkg map``: export interactive chain maps as HTML files that open from disk."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from api.cli.common import BackendOption, RegionOption, analysed, console, failures, settings
from api.pages import Pages, export_all, render_item
from graph import InvalidRequest
from graph.i18n import _
from viz import write_page


def map_command(
    item: str = typer.Argument(
        None, help="map id (pv-map), chain id (pv), firm id, or 'overview'", show_default=False
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="FILE.html; with --all, a folder (created if needed)"
    ),
    all_maps: bool = typer.Option(False, "--all", help="export every map plus index.html"),
    region: str = RegionOption,
    backend: str = BackendOption,
) -> None:
    """Export interactive chain maps (招商图谱) as HTML files that open offline, from disk."""
    cfg = settings(backend)
    with failures(), analysed(cfg, region) as (store, focus):
        if all_maps == bool(item):
            raise InvalidRequest(_("give either a MAP_ID or --all (not both, not neither)"))
        pages = Pages(store, focus, cfg.gap_rules())
        if all_maps:
            written = list(export_all(pages, output))
            done = _("{n} pages in {path}/ (open index.html)", n=len(written), path=output)
            console.print(f"[green]✓[/green] {escape(done)}")
            return
        target = output / f"{item}.html" if output.is_dir() else output
        write_page(render_item(pages, item), target)
        console.print(f"[green]✓[/green] {target}")


def register(app: typer.Typer) -> None:
    app.command(
        name="map",
        help=_(
            "Export interactive chain maps (招商图谱) as HTML files that open offline, from disk."
        ),
    )(map_command)
