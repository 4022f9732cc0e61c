"""Neo4j commands: check the connection, export CSV files for the bulk importer."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import BackendOption, console, failures, opened, settings
from graph import MemoryStore, NodeKind
from loaders import load_dataset
from loaders.neo4j_bulk import BulkFile, constraint_statements, export_bulk, import_command

DataFileOption = typer.Option(None, "--data-file", help="SQLite file of the embedded store")
INSTRUCTIONS = "IMPORT.txt"


def neo4j_check() -> None:
    """Connect to Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE), check the
    credentials and the database, and create chainkg's constraints if they are missing."""
    cfg = settings("neo4j")
    with failures(), opened(cfg) as store:
        store.ensure_schema()  # type: ignore[attr-defined]
        servers = store.server_info()  # type: ignore[attr-defined]
        chains = store.count(NodeKind.CHAIN)
    where = f"{store.target.uri} · database {cfg.neo4j_database}"  # type: ignore[attr-defined]
    for server in servers:
        versions = ", ".join(server["versions"])
        console.print(f"[green]✓[/green] {server['name']} {versions} {server['edition']}")
    console.print(f"[green]✓[/green] {escape(where)}: constraints in place, {chains} chain(s)")


def export_neo4j_csv(
    out_dir: Path = typer.Argument(..., help="directory for the CSV files (created if needed)"),
    dataset: Path = typer.Option(
        None, "--dataset", help="export this dataset directory instead of the configured store"
    ),
    import_dir: str = typer.Option(
        "/import", "--import-dir", help="where neo4j-admin will see the files"
    ),
    database: str = typer.Option("neo4j", "--database", help="database neo4j-admin writes"),
    backend: str = BackendOption,
    data_file: Path = DataFileOption,
) -> None:
    """Write the graph as CSV files for `neo4j-admin database import full` (national scale:
    about ten times faster than loading through the server) and print the import command."""
    with failures():
        if dataset:
            store = MemoryStore()
            load_dataset(dataset, store)
            files = export_bulk(store, out_dir)
        else:
            with opened(settings(backend, data_file)) as stored:
                files = export_bulk(stored, out_dir)
    command = import_command(files, import_dir, database)
    (out_dir / INSTRUCTIONS).write_text(instructions(command), encoding="utf-8")
    console.print(files_table(files))
    console.print(f"Import with the server stopped (see {out_dir / INSTRUCTIONS}):", markup=False)
    console.print(command, markup=False, highlight=False, soft_wrap=True)
    console.print("then start Neo4j and run: chainkg neo4j-check", markup=False)


def files_table(files: list[BulkFile]) -> Table:
    table = Table(title="neo4j-admin CSV")
    for column in ("file", "label / type", "rows"):
        table.add_column(column)
    for f in files:
        table.add_row(escape(f.path.name), f.token, str(f.rows))
    return table


def instructions(command: str) -> str:
    constraints = "\n".join(f"  {text};" for text in constraint_statements())
    return (
        "chainkg bulk export for neo4j-admin (see docs/neo4j.md)\n\n"
        "1. Stop Neo4j (the import overwrites the database), then run:\n\n"
        f"{command}\n\n"
        "2. Start Neo4j and run `chainkg neo4j-check`, which creates these constraints:\n\n"
        f"{constraints}\n"
    )


def register(app: typer.Typer) -> None:
    app.command("neo4j-check")(neo4j_check)
    app.command("export-neo4j-csv")(export_neo4j_csv)
