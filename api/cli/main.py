"""The typer app of ``chainkg``; import it through ``api.cli`` (which sets the language first)."""

from __future__ import annotations

import typer

from api.cli import analysis, data, maps, national, neo4j, serve

app = typer.Typer(
    name="chainkg",
    help="chainkg · 产业链知识图谱: find the gaps of a region's industrial chains and the firms "
    "to court for them. --lang en|zh (or CHAINKG_LANG) chooses the language of messages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

data.register(app)
analysis.register(app)
serve.register(app)
maps.register(app)
national.register(app)
neo4j.register(app)
