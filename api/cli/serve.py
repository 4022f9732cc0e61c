"""``chainkg serve``: the API and the web console on one port."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from api.cli.common import console, err_console, failures, opened
from api.settings import Settings


def _checked_settings() -> Settings:
    """The settings from CHAINKG_* variables, or a short message naming the bad variable."""
    try:
        return Settings()
    except ValidationError as e:
        for error in e.errors():
            name = "CHAINKG_" + "_".join(str(p) for p in error["loc"]).upper()
            err_console.print(f"[red]✗ {name}: {error['msg']}[/red]", highlight=False)
        sys.exit(1)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (0.0.0.0: all)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    reload: bool = typer.Option(False, "--reload", help="restart when the code changes (dev)"),
) -> None:
    """Start the web console (/) and the API (/api, docs at /docs) on the configured store.

    Settings come from CHAINKG_* environment variables; an empty store is filled with the
    default dataset (CHAINKG_DATASET) before the server starts. Writes need CHAINKG_TOKEN.
    """
    import uvicorn

    cfg = _checked_settings()
    # Load here, not only in the app's lifespan, so dataset problems print like `chainkg load`.
    with failures(), opened(cfg, load_default=True):
        pass
    console.print(f"chainkg: console http://{host}:{port}/ · API docs http://{host}:{port}/docs")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, reload=reload)


def register(app: typer.Typer) -> None:
    app.command()(serve)
