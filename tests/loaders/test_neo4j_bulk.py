"""The bulk export carries every record, typed as neo4j-admin reads it, with the right command.

The files are read back here by the import tool's rules (typed headers, quoted strings, an
empty unquoted field is no property, arrays split on ';') and must rebuild the store exactly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from graph import Batch, Chain, MemoryStore, NodeKind, RelType, Segment
from graph.errors import GraphError
from graph.schema import Industry, Kpi, Makes, Product, UpstreamIndustry
from graph.stores.neo4j.rows import edge_from, node_from
from loaders import load_dataset
from loaders.neo4j_bulk import _edge_rows, columns, export_bulk, import_command

FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,\n]*)')


def read_records(line: str) -> list[str | None]:
    """Split one CSV record: quoted fields are strings, an empty bare field is None."""
    cells: list[str | None] = []
    position = 0
    while True:
        match = FIELD.match(line, position)
        assert match is not None
        quoted, bare = match.groups()
        cells.append(quoted.replace('""', '"') if quoted is not None else (bare or None))
        position = match.end()
        if position >= len(line) or line[position] == "\n":
            return cells
        assert line[position] == ",", line
        position += 1


SPECIAL = {":START_ID": "src", ":END_ID": "dst", "id:ID": "id"}


def typed(header: str, text: str | None) -> tuple[str, Any]:
    if header in SPECIAL:
        return SPECIAL[header], text
    name, _, kind = header.partition(":")
    if text is None:
        return name, None
    if kind.endswith("[]"):
        return name, text.split(";")
    convert = {"long": int, "double": float, "boolean": lambda t: t == "true"}.get(kind, str)
    return name, convert(text)


def read_file(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    headers = lines[0].split(",")
    rows = []
    for line in lines[1:]:
        pairs = [typed(h, t) for h, t in zip(headers, read_records(line), strict=True)]
        rows.append({k: v for k, v in pairs if v is not None})
    return rows


def rebuild(out: Path) -> tuple[dict[NodeKind, list[Any]], dict[RelType, list[Any]]]:
    """The records the importer would create from the files in ``out``."""
    nodes = {
        kind: [node_from(kind, r) for r in read_file(out / f"nodes_{kind.value}.csv")]
        for kind in NodeKind
        if (out / f"nodes_{kind.value}.csv").exists()
    }
    edges = {}
    for rel in RelType:
        path = out / f"rels_{rel.value}.csv"
        if path.exists():
            rows = read_file(path)
            edges[rel] = [edge_from(rel, r.pop("src"), r.pop("dst"), r) for r in rows]
            assert len({(e.src, e.dst) for e in edges[rel]}) == len(rows)  # each pair once
    return nodes, edges


@pytest.fixture
def store(mini_dataset: Path) -> MemoryStore:
    store = MemoryStore()
    load_dataset(mini_dataset, store)
    national = Batch(
        nodes=[
            Product(id="p:负极材料", name="负极材料"),
            Industry(id="sw:270000", name="电子", level=1),
            Industry(id="sw:270100", name="半导体", level=2),
        ],
        edges=[
            Makes(src="anode-g", dst="p:负极材料", weight=0.8),
            UpstreamIndustry(src="sw:270100", dst="sw:270000", count=3),
        ],
    )
    store.apply(national)
    return store


def test_the_files_rebuild_every_record_of_the_store(store: MemoryStore, tmp_path: Path) -> None:
    files = export_bulk(store, tmp_path)
    nodes, edges = rebuild(tmp_path)
    assert nodes == {k: store.nodes(k) for k in NodeKind if store.count(k)}
    assert edges == {r: store.edges(r) for r in RelType if store.count(r)}
    assert sum(f.rows for f in files) == 1 + sum(store.count(k) for k in (*NodeKind, *RelType))
    assert not list(tmp_path.glob(".*.tmp"))


def test_headers_carry_the_types_the_importer_needs(store: MemoryStore, tmp_path: Path) -> None:
    export_bulk(store, tmp_path)
    first_line = {p.name: p.read_text(encoding="utf-8").splitlines()[0] for p in tmp_path.iterdir()}
    segment = first_line["nodes_Segment.csv"].split(",")
    assert segment[0] == "id:ID"
    assert {"year:long", "also_in:string[]", "keywords:string[]", "stage"} <= set(segment)
    assert first_line["rels_MAKES.csv"] == ":START_ID,:END_ID,weight:double"
    assert "capacity:double" in first_line["rels_OPERATES_IN.csv"]
    assert first_line["rels_OPERATES_IN.csv"].endswith(",region")
    assert "level:long" in first_line["nodes_Industry.csv"]
    assert first_line["nodes_ChainkgMeta.csv"] == "key,value:long"
    assert ":int" not in "".join(first_line.values()) and ":float" not in "".join(
        first_line.values()
    )


def test_a_relationship_stored_twice_is_written_once_the_last_winning() -> None:
    twice = [Makes(src="f", dst="p:a", weight=0.1), Makes(src="f", dst="p:a", weight=0.2)]
    fields = columns(Makes, ("src", "dst"))
    assert list(_edge_rows(twice, fields, lambda _: [])) == [['"f"', '"p:a"', "0.2"]]


def test_a_figure_that_is_not_a_number_is_written_as_java_reads_it(tmp_path: Path) -> None:
    store = MemoryStore()
    store.apply(Batch(nodes=[Kpi(id="k", name="产值", value=float("nan"), source="s", year=2023)]))
    export_bulk(store, tmp_path)
    header, row = (tmp_path / "nodes_Kpi.csv").read_text(encoding="utf-8").splitlines()
    assert dict(zip(header.split(","), row.split(","), strict=True))["value:double"] == "NaN"


def test_the_command_names_every_file_database_first(store: MemoryStore, tmp_path: Path) -> None:
    files = export_bulk(store, tmp_path)
    command = import_command(files, "/import", "neo4j")
    assert command.startswith("neo4j-admin database import full neo4j --overwrite-destination")
    assert "--nodes=Node:Segment=/import/nodes_Segment.csv" in command
    assert "--relationships=UPSTREAM_INDUSTRY=/import/rels_UPSTREAM_INDUSTRY.csv" in command
    assert command.count("--nodes=") + command.count("--relationships=") == len(files)
    assert "--multiline-fields" not in command


def test_a_value_spanning_lines_asks_for_multiline_fields(tmp_path: Path) -> None:
    store = MemoryStore()
    store.apply(Batch(nodes=[Chain(id="pv", name="光伏", note="第一行\n第二行", source="s")]))
    files = export_bulk(store, tmp_path)
    assert "--multiline-fields=true" in import_command(files)


def test_a_list_value_holding_the_array_delimiter_is_refused(tmp_path: Path) -> None:
    store = MemoryStore()
    segment = Segment(
        id="pv-x", name="环节", chain="pv", stage="上游", aliases=("甲;乙",), source="s"
    )
    store.apply(Batch(nodes=[Chain(id="pv", name="光伏", source="s"), segment]))
    with pytest.raises(GraphError, match="'甲;乙' contains ';'"):
        export_bulk(store, tmp_path)
