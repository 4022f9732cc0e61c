"""``chainkg serve``: the API and the web console on one port."""

from __future__ import annotations

import typer

from api.cli.common import console


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (0.0.0.0: all)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    reload: bool = typer.Option(False, "--reload", help="restart when the code changes (dev)"),
) -> None:
    """Start the web console (/) and the API (/api, docs at /docs) on the configured store.

    Settings come from CHAINKG_* environment variables; an empty store is filled with the
    default dataset (CHAINKG_DATASET) on start. Writes need CHAINKG_TOKEN.
    """
    import uvicorn

    console.print(f"chainkg: console http://{host}:{port}/ · API docs http://{host}:{port}/docs")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, reload=reload)


def register(app: typer.Typer) -> None:
    app.command()(serve)
