"""``chainkg serve``: the API and the web console on one port."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from api.backend import quick_start_dataset
from api.cli.common import err_console, failures, note, opened
from api.settings import Settings
from graph import NodeKind, Store
from graph.i18n import _
from loaders import load_dataset


def _checked_settings() -> Settings:
    """The settings from CHAINKG_* variables, or a short message naming the bad variable."""
    try:
        return Settings()
    except ValidationError as e:
        for error in e.errors():
            name = "CHAINKG_" + "_".join(str(p) for p in error["loc"]).upper()
            err_console.print(
                f"✗ {name}: {error['msg']}", style="red", markup=False, highlight=False
            )
        sys.exit(1)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (0.0.0.0: all)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    reload: bool = typer.Option(False, "--reload", help="restart when the code changes (dev)"),
) -> None:
    """Start the web console (/) and the API (/api, docs at /docs) on the configured store.

    Settings come from CHAINKG_* environment variables. Quick start: with no store at all,
    the Xining reference dataset is loaded first (CHAINKG_DATASET instead, if set, into any
    store that holds no dataset), and stderr says so. Writes need CHAINKG_TOKEN.
    """
    import uvicorn

    cfg = _checked_settings()
    with failures(), opened(cfg) as store:
        _quick_start(cfg, store)
    where = _(
        "console http://{host}:{port}/ · API docs http://{host}:{port}/docs", host=host, port=port
    )
    err_console.print(f"chainkg: {where}", markup=False, highlight=False)
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, reload=reload)


def _quick_start(cfg: Settings, store: Store) -> None:
    """Load the quick-start dataset if there is one to load, saying so; else say why not."""
    path = quick_start_dataset(store, cfg)
    if path is not None:
        note(_("no dataset in the store yet: loading {path} (quick start)", path=path))
        dataset = load_dataset(path, store)
        note(
            _(
                "loaded {name} (region {region})",
                name=dataset.meta.get("name", path),
                region=dataset.region,
            )
        )
    elif cfg.dataset is not None:
        note(
            _(
                "CHAINKG_DATASET ({path}) was not loaded: the store already holds a dataset; "
                "use `chainkg load DIR --replace` to replace it",
                path=cfg.dataset,
            )
        )
    elif not store.count(NodeKind.CHAIN):
        note(_("the store holds no dataset: load one with `chainkg load DIR`"))


def register(app: typer.Typer) -> None:
    serve_help = _(
        "Start the web console (/) and the API (/api, docs at /docs) on the configured store. "
        "With no store at all, the quick start first loads the Xining reference dataset (or "
        "CHAINKG_DATASET) and says so. Writes need CHAINKG_TOKEN."
    )
    app.command(help=serve_help)(serve)
