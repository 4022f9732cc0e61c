"""Bulk export for national scale: CSV files that ``neo4j-admin database import full`` takes.

The transactional path (``Neo4jStore.apply``: UNWIND batches over Bolt) is fine for a city's
dataset; for millions of rows the offline importer is roughly an order of magnitude faster.
``export_bulk(store, dir)`` writes one CSV per node kind and per relationship type of ANY
store (it only uses the ``Store`` protocol), with typed headers, and ``import_command`` gives
the exact command. The properties are exactly those the Neo4j store writes (``neo4j_rows``), so
an imported database answers like a loaded one.

Format: UTF-8 without BOM (these files are for neo4j-admin, not for Excel); strings always
quoted (``""`` is an empty string), an absent value is an empty unquoted field (no property);
arrays joined with ``;``; numbers typed 64-bit (``:long``, ``:double``: what Bolt and the
transactional path store) and written so that Java parses them (``NaN``, ``Infinity``). Node
ids share one global id space, as chainkg ids are unique. A relationship is written once per
(type, src, dst), the last one winning, as the transactional path's ``MERGE`` keeps it.
OPERATES_IN carries ``region`` (its site's region, what the store derives and indexes), and
``nodes_ChainkgMeta.csv`` sets the revision counter to the export time in milliseconds, so a
running API sees a changed revision after the import and drops its caches.

>>> cell("甲\\"乙"), cell(None), cell(2.5), cell(["a", "b"])
('"甲""乙"', '', '2.5', '"a;b"')
>>> cell(float("nan")), cell(-float("inf")), cell(2**40)
('NaN', '-Infinity', '1099511627776')
"""

from __future__ import annotations

import math
import os
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from graph.errors import GraphError
from graph.schema import EDGE_MODELS, NODE_MODELS, Edge, NodeKind, Record, RelType
from graph.store import Store
from graph.stores.neo4j.rows import to_properties
from graph.stores.neo4j.statements import META, NODE, REVISION_KEY, SCHEMA

ARRAY_DELIMITER = ";"
TYPE_SUFFIX = {int: ":long", float: ":double", bool: ":boolean"}


@dataclass(frozen=True)
class BulkFile:
    """One written CSV file: ``token`` is the node kind or relationship type it holds."""

    path: Path
    token: str
    is_nodes: bool
    rows: int
    multiline: bool  # some value spans lines: the import needs --multiline-fields=true


def column_type(annotation: Any) -> str:
    """The neo4j-admin header suffix for a field's type: '' for strings, ':int', ':string[]'…"""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) in (tuple, list):
        return (column_type(get_args(annotation)[0]) or ":string") + "[]"
    for python_type, suffix in TYPE_SUFFIX.items():
        if annotation is python_type:
            return suffix
    return ""


def columns(model: type[Record], skip: Iterable[str]) -> list[tuple[str, str]]:
    """(field, header) for every field of ``model`` but ``skip``, in declaration order."""
    return [
        (name, name + column_type(info.annotation))
        for name, info in model.model_fields.items()
        if name not in set(skip)
    ]


def cell(value: Any) -> str:
    """One CSV field as neo4j-admin reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return _quoted(ARRAY_DELIMITER.join(_element(v) for v in value))
    return _quoted(str(value))


def _element(value: Any) -> str:
    text = str(value)
    if ARRAY_DELIMITER in text:
        raise GraphError(
            f"list value {text!r} contains {ARRAY_DELIMITER!r}, the array delimiter of the bulk "
            "import: remove it from the dataset (aliases and keywords are split on it anyway)"
        )
    return text


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> tuple[int, bool]:
    """Write atomically (a temporary file renamed into place); (row count, multiline?)."""
    tmp = path.with_name(f".{path.name}.tmp")
    count, multiline = 0, False
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(header) + "\n")
            for row in rows:
                line = ",".join(row)
                multiline = multiline or "\n" in line or "\r" in line
                fh.write(line + "\n")
                count += 1
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count, multiline


def _node_rows(records: list[Any], fields: list[tuple[str, str]]) -> Iterable[list[str]]:
    for record in records:
        props = to_properties(record)
        yield [cell(record.id)] + [cell(props.get(name)) for name, _ in fields]


def _edge_rows(
    edges: list[Edge], fields: list[tuple[str, str]], derived: Callable[[Edge], list[str]]
) -> Iterable[list[str]]:
    last = {(edge.src, edge.dst): edge for edge in edges}  # one per (src, dst), as MERGE keeps
    for (src, dst), edge in last.items():
        props = to_properties(edge, ("src", "dst"))
        yield [cell(src), cell(dst)] + [cell(props.get(name)) for name, _ in fields] + derived(edge)


def _site_regions(store: Store) -> Callable[[Edge], list[str]]:
    """OPERATES_IN's derived ``region`` column: its site's region ('' when none)."""
    regions: dict[str, str] = {}

    def region(edge: Edge) -> list[str]:
        site = getattr(edge, "site", "")
        if site not in regions:
            regions[site] = store.site_region(site) if site else ""
        return [cell(regions[site])]

    return region


def export_bulk(store: Store, out_dir: str | Path) -> list[BulkFile]:
    """Write every node kind and relationship type the store holds as neo4j-admin CSV files."""
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    written: list[BulkFile] = []
    for kind in NodeKind:
        records = store.nodes(kind)
        if records:
            fields = columns(NODE_MODELS[kind], ("id",))
            path = target / f"nodes_{kind.value}.csv"
            header = ["id:ID"] + [h for _, h in fields]
            count, multi = _write_csv(path, header, _node_rows(records, fields))
            written.append(BulkFile(path, kind.value, True, count, multi))
    for rel in RelType:
        edges = store.edges(rel)
        if edges:
            fields = columns(EDGE_MODELS[rel], ("src", "dst"))
            path = target / f"rels_{rel.value}.csv"
            header = [":START_ID", ":END_ID"] + [h for _, h in fields]
            derived: Callable[[Edge], list[str]] = lambda _: []  # noqa: E731
            if rel == RelType.OPERATES_IN:
                header, derived = header + ["region"], _site_regions(store)
            count, multi = _write_csv(path, header, _edge_rows(edges, fields, derived))
            written.append(BulkFile(path, rel.value, False, count, multi))
    meta = target / f"nodes_{META}.csv"
    revision = [[cell(REVISION_KEY), cell(time.time_ns() // 1_000_000)]]
    count, _ = _write_csv(meta, ["key", "value:long"], revision)
    written.append(BulkFile(meta, META, True, count, False))
    return written


def import_arguments(
    files: list[BulkFile], import_dir: str = "/import", database: str = "neo4j"
) -> list[str]:
    """The arguments of ``neo4j-admin`` that import ``files`` (as seen from ``import_dir``).

    The database name comes first (neo4j-admin 5.19+ reads it greedily otherwise); the target
    database is overwritten, so the server must be stopped."""
    args = ["database", "import", "full", database, "--overwrite-destination=true"]
    if any(f.multiline for f in files):
        args.append("--multiline-fields=true")
    for f in files:
        where = f"{import_dir.rstrip('/')}/{f.path.name}"
        labels = f.token if f.token == META else f"{NODE}:{f.token}"
        args.append(
            f"--nodes={labels}={where}" if f.is_nodes else f"--relationships={f.token}={where}"
        )
    return args


def import_command(
    files: list[BulkFile], import_dir: str = "/import", database: str = "neo4j"
) -> str:
    """``import_arguments`` as the shell command to run."""
    args = import_arguments(files, import_dir, database)
    return " \\\n  ".join([f"neo4j-admin {' '.join(args[:5])}", *args[5:]])


def constraint_statements() -> list[str]:
    """Cypher to run once after the import (neo4j-admin creates no constraints)."""
    return [s.text for s in SCHEMA]
