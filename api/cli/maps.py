"""``chainkg map``: export interactive chain maps as HTML files that open from disk."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import BackendOption, console, failures, opened, settings
from api.pages import Pages, export_all, render_item
from graph import InvalidRequest
from viz import write_page


def map_command(
    item: str = typer.Argument(
        None, help="map id (pv-map), chain id (pv), firm id, or 'overview'", show_default=False
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="FILE.html; with --all, a folder (created if needed)"
    ),
    all_maps: bool = typer.Option(False, "--all", help="export every map plus index.html"),
    region: str = typer.Option(None, "--region", help="region id (default: CHAINKG_REGION)"),
    backend: str = BackendOption,
) -> None:
    """Export interactive chain maps (招商图谱) as HTML files that open offline, from disk."""
    cfg = settings(backend)
    with failures(), opened(cfg, load_default=True) as store:
        pages = Pages(store, region or cfg.region, cfg.gap_rules())
        if all_maps == bool(item):
            raise InvalidRequest("give either a MAP_ID or --all (not both, not neither)")
        if all_maps:
            written = list(export_all(pages, output))
            console.print(f"[green]✓[/green] {len(written)} pages in {output}/ (open index.html)")
            return
        target = output / f"{item}.html" if output.is_dir() else output
        write_page(render_item(pages, item), target)
        console.print(f"[green]✓[/green] {target}")


def register(app: typer.Typer) -> None:
    app.command(name="map")(map_command)
