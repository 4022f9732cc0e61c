"""Dataset commands: validate, load, stats."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from api.cli.common import BackendOption, console, failures, opened, settings
from api.settings import Settings
from graph import MemoryStore, NodeKind, RelType, Store
from loaders import Dataset, keep_pipeline_progress, read_dataset

DataFileOption = typer.Option(None, "--data-file", help="snapshot file of the embedded store")


def validate(path: Path = typer.Argument(..., help="dataset directory")) -> None:
    """Check a dataset and list every problem with its file, line and field."""
    with failures(), console.status("validating…"):
        dataset = read_dataset(path)
    console.print(
        f"[green]✓[/green] {path}: {len(dataset.batch.nodes)} nodes, "
        f"{len(dataset.batch.edges)} relations, no problems"
    )


def load(
    path: Path = typer.Argument(None, help="dataset directory (default: the Xining dataset)"),
    fresh: bool = typer.Option(False, "--fresh", help="replace what is stored instead of merging"),
    backend: str = BackendOption,
    data_file: Path = DataFileOption,
) -> None:
    """Validate a dataset and write it to the store, all or nothing."""
    cfg = settings(backend, data_file)
    path = path or cfg.dataset
    with failures():
        with console.status(f"validating {path}…"):
            dataset = read_dataset(path)  # before anything is touched, even with --fresh
        with console.status(f"writing {len(dataset.batch)} records to {cfg.backend}…"):
            _write(cfg, dataset, fresh)
    console.print(
        f"[green]✓[/green] loaded {path}: {len(dataset.batch.nodes)} nodes, "
        f"{len(dataset.batch.edges)} relations → {cfg.backend}"
    )


def _write(cfg: Settings, dataset: Dataset, fresh: bool) -> None:
    with opened(cfg) as store:
        batch = keep_pipeline_progress(dataset.batch, store)  # also across --fresh
        if fresh and cfg.backend == "memory":
            replacement = MemoryStore()  # built aside, saved over the old snapshot in one rename
            replacement.apply(batch)
            replacement.save(cfg.data_file)
            return
        if fresh:  # Neo4j: replaced in ONE transaction; a failed load keeps the old dataset
            store.replace_dataset(batch)  # type: ignore[attr-defined]
            return
        store.apply(batch)


def stats_table(store: Store) -> Table:
    table = Table(title="chainkg graph")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind in NodeKind:
        table.add_row(kind.value, str(store.count(kind)))
    targeted = {e.src for e in store.edges(RelType.TARGETED_FOR)}
    table.add_row("target firms (distinct)", str(len(targeted)))
    for rel in RelType:
        table.add_row(rel.value, str(store.count(rel)))
    return table


def chain_table(store: Store) -> Table:
    table = Table(title="by chain")
    for column in ("chain", "name", "segments", "maps", "operations", "targets"):
        table.add_column(column)
    maps = store.nodes(NodeKind.MAP)
    for chain in store.nodes(NodeKind.CHAIN):
        segment_ids = [s.id for s in store.chain_segments(chain.id)]
        table.add_row(
            chain.id,
            chain.name,
            str(len(segment_ids)),
            str(sum(1 for m in maps if getattr(m, "chain", "") == chain.id)),
            str(len(store.operations(segment_ids))),
            str(len({t.src for t in store.targets(segment_ids)})),
        )
    return table


def stats(backend: str = BackendOption, data_file: Path = DataFileOption) -> None:
    """Counts by node kind, relation type and chain."""
    with failures(), opened(settings(backend, data_file)) as store:
        console.print(stats_table(store))
        console.print(chain_table(store))


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(load)
    app.command()(stats)
