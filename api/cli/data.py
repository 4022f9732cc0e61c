"""Dataset commands: validate, load, stats."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import BackendOption, console, err_console, failures, note, opened, settings
from api.datasets import describe_changes, write_dataset
from api.settings import DEFAULT_DATASET, Settings
from graph import InvalidRequest, NodeKind, RelType, Store
from graph.datasets import focus_regions
from graph.i18n import _
from loaders import Dataset, read_dataset

DataFileOption = typer.Option(None, "--data-file", help="snapshot file of the embedded store")


def validate(path: Path = typer.Argument(..., help="dataset directory")) -> None:
    """Check a dataset and list every problem with its file, line and field."""
    with failures(), err_console.status(_("validating…")):
        dataset = read_dataset(path)
    done = _(
        "{path}: {nodes} nodes, {edges} relations, no problems",
        path=path,
        nodes=len(dataset.batch.nodes),
        edges=len(dataset.batch.edges),
    )
    console.print(f"[green]✓[/green] {escape(done)}")


def load(
    path: Path = typer.Argument(None, help="dataset directory (default: CHAINKG_DATASET)"),
    replace: bool = typer.Option(
        False,
        "--replace",
        "--fresh",
        help="replace the stored dataset (what the new one lacks is removed) instead of merging",
    ),
    backend: str = BackendOption,
    data_file: Path = DataFileOption,
) -> None:
    """Validate a dataset and write it to the store, all or nothing; report what changed."""
    cfg = settings(backend, data_file)
    with failures():
        with opened(cfg) as store:
            path = path or _default_path(cfg, store)
            with err_console.status(_("validating {path}…", path=path)):
                dataset = read_dataset(path)  # before anything is touched, even with --replace
            changes = write_dataset(store, dataset, replace)
            regions = [r.id for r in focus_regions(store)]
    console.print(
        f"[green]✓[/green] {escape(load_summary(path, dataset, replace))}", soft_wrap=True
    )
    console.print(escape(describe_changes(changes)), highlight=False, soft_wrap=True)
    if len(regions) > 1:
        note(
            _(
                "the store now holds {n} regions ({ids}): choose one with --region",
                n=len(regions),
                ids="、".join(regions),
            )
        )


def _default_path(cfg: Settings, store: Store) -> Path:
    """``chainkg load`` without DIR: CHAINKG_DATASET, and only into a store that holds no
    dataset. Never a built-in default: the reference dataset is named like any other."""
    if store.count(NodeKind.CHAIN):
        raise InvalidRequest(
            _("the store already holds a dataset: name the folder to load (chainkg load DIR)")
        )
    if cfg.dataset is None:
        raise InvalidRequest(
            _(
                "name the dataset folder to load, e.g. `chainkg load {example}` for the "
                "Xining reference dataset (or set CHAINKG_DATASET)",
                example=DEFAULT_DATASET,
            )
        )
    note(_("no DIR given: loading {path}", path=cfg.dataset))
    return cfg.dataset


def load_summary(path: Path, dataset: Dataset, replace: bool) -> str:
    return _(
        "{how} {path}: {nodes} nodes, {edges} relations",
        how=_("replaced with") if replace else _("loaded"),
        path=path,
        nodes=len(dataset.batch.nodes),
        edges=len(dataset.batch.edges),
    )


def stats_table(store: Store) -> Table:
    table = Table(title=_("chainkg graph"))
    table.add_column(_("kind"))
    table.add_column(_("count"), justify="right")
    for kind in NodeKind:
        table.add_row(kind.value, str(store.count(kind)))
    targeted = {e.src for e in store.edges(RelType.TARGETED_FOR)}
    table.add_row(_("target firms (distinct)"), str(len(targeted)))
    for rel in RelType:
        table.add_row(rel.value, str(store.count(rel)))
    return table


def chain_table(store: Store) -> Table:
    table = Table(title=_("by chain"))
    for column in (
        _("chain"),
        _("name"),
        _("segments"),
        _("maps"),
        _("operations"),
        _("targets"),
    ):
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
    app.command(help=_("Check a dataset and list every problem with its file, line and field."))(
        validate
    )
    app.command(
        help=_("Validate a dataset and write it to the store, all or nothing; report what changed.")
    )(load)
    app.command(help=_("Counts by node kind, relation type and chain."))(stats)
