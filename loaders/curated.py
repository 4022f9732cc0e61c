"""The curated dataset format (see docs/data-format.md): read, validate, load.

``read_dataset(dir)`` parses every file and validates the whole dataset, collecting *all*
problems (file, line, field, message) before giving up; ``load_dataset(dir, store)`` writes it
in one all-or-nothing ``Store.apply``. Parsing is pure: ``parse_*`` turn already-read YAML
records into schema objects (the CSV tables are parsed in ``loaders.tables``, the checks across
files live in ``loaders.checks``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import units
from graph.errors import DatasetError, Problem
from graph.schema import (
    Batch,
    By,
    Chain,
    ChainMap,
    Edge,
    Fills,
    HasCapacity,
    Kpi,
    NodeKind,
    Park,
    ParkIn,
    PartOf,
    Project,
    Region,
    Segment,
    Shows,
    Supplies,
    TargetedFor,
)
from graph.store import Store
from loaders.checks import validate
from loaders.csvio import read_csv
from loaders.reader import Reader
from loaders.tables import (
    LOCAL_COLUMNS,
    REQUIRED,
    TARGET_COLUMNS,
    parse_local_firms,
    parse_targets,
)
from loaders.yamlio import LineDict, read_yaml

__all__ = [
    "LOCAL_COLUMNS",
    "REQUIRED",
    "TARGET_COLUMNS",
    "Dataset",
    "load_dataset",
    "read_dataset",
]


@dataclass
class Dataset:
    """A validated dataset: its metadata and the batch that writes it."""

    path: Path
    meta: dict[str, Any]
    batch: Batch
    region: str

    def count(self, kind: NodeKind) -> int:
        return sum(1 for n in self.batch.nodes if n.KIND == kind)


# --------------------------------------------------------------------------------- YAML files


def _mapping_list(reader: Reader, data: Any, key: str, file: str) -> list[LineDict]:
    """The entries under ``key:``; a missing key or an empty file means none."""
    if data is None:
        return []
    items = data.get(key) if isinstance(data, dict) else None
    if items is None and isinstance(data, dict):
        return []
    if not isinstance(items, list):
        line = data.line_of(key) if isinstance(data, LineDict) else 0
        reader.problem(file, line, key, f"expected a list of entries under '{key}:'")
        return []
    good = []
    for item in items:
        if isinstance(item, LineDict):
            good.append(item)
        else:
            line = data.line_of(key) if isinstance(data, LineDict) else 0
            reader.problem(file, line, key, f"each entry of '{key}' must be a mapping: {item!r}")
    return good


def _expect_keys(reader: Reader, data: Any, allowed: Iterable[str], file: str) -> None:
    """Top-level keys other than ``allowed`` are typos that would silently drop data."""
    allowed = tuple(allowed)
    if data is None:
        return
    if not isinstance(data, LineDict):
        reader.problem(file, 0, "", f"expected a mapping with {' and '.join(allowed)}")
        return
    for key in data.keys() - set(allowed):
        expected = ", ".join(f"'{k}:'" for k in allowed)
        reader.problem(file, data.line_of(key), key, f"unknown section: expected {expected}")


def _inherit(item: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """Fill ``source``/``year``/``certainty`` from the enclosing record when omitted."""
    merged = dict(item)
    for key in ("source", "year", "certainty"):
        if key not in merged and key in parent:
            merged[key] = parent[key]
    return merged


def _rename(item: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The user's keys (``from``) renamed to the schema's (``src``), absent ones left absent."""
    values = dict(item)
    for ours, theirs in names.items():
        if theirs in values:
            values[ours] = values.pop(theirs)
    return values


def parse_regions(reader: Reader, data: Any, file: str) -> None:
    _expect_keys(reader, data, ("regions", "parks"), file)
    for item in _mapping_list(reader, data, "regions", file):
        reader.add_node(reader.build(Region, dict(item), file, item.line, item), file, item.line)
    for item in _mapping_list(reader, data, "parks", file):
        park: Park | None = reader.build(Park, dict(item), file, item.line, item)
        reader.add_node(park, file, item.line)
        if park:
            edge = ParkIn(src=park.id, dst=park.region)
            reader.add_edge(edge, file, item.line, {"dst": "region"}, item)


def parse_chain(reader: Reader, data: Any, file: str) -> None:
    if not isinstance(data, LineDict):
        reader.problem(file, 0, "", "a chain file must be a mapping with id, name, segments, links")
        return
    head = {k: v for k, v in data.items() if k not in ("segments", "links")}
    chain = reader.build(Chain, head, file, data.line, data)
    reader.add_node(chain, file, data.line)
    chain_id = data.get("id", "")
    for item in _mapping_list(reader, data, "segments", file):
        values = _inherit(item, data)
        values.setdefault("chain", chain_id)
        segment: Segment | None = reader.build(Segment, values, file, item.line, item)
        reader.add_node(segment, file, item.line)
        if segment:
            _segment_extras(reader, segment, item, file, chain_known=chain is not None)
    for item in _mapping_list(reader, data, "links", file):
        names = {"src": "from", "dst": "to"}
        values = _rename(_inherit(item, data), names)
        link = reader.build(Supplies, values, file, item.line, item, names)
        reader.add_edge(link, file, item.line, names, item)


def _segment_extras(
    reader: Reader, segment: Segment, item: LineDict, file: str, chain_known: bool
) -> None:
    """The segment's PART_OF relations, and a check of its unit where it is written."""
    if segment.unit and not units.is_known(segment.unit):
        known = ", ".join(sorted(units.UNITS))
        reader.problem(
            file, item.line_of("unit"), "unit", f"unknown unit {segment.unit!r}; use one of {known}"
        )
    if chain_known or "chain" in item:  # an invalid chain head is reported once, not per segment
        edge = PartOf(src=segment.id, dst=segment.chain)
        reader.add_edge(edge, file, item.line, {"dst": "chain"}, item)
    for other in segment.also_in:
        reader.add_edge(
            PartOf(src=segment.id, dst=other), file, item.line, {"dst": "also_in"}, item
        )


def parse_maps(reader: Reader, data: Any, file: str) -> None:
    _expect_keys(reader, data, ("maps",), file)
    for item in _mapping_list(reader, data, "maps", file):
        chain_map: ChainMap | None = reader.build(ChainMap, dict(item), file, item.line, item)
        reader.add_node(chain_map, file, item.line)
        if chain_map:
            reader.add_ref(chain_map.chain, NodeKind.CHAIN, file, item.line_of("chain"), "chain")
        map_id = chain_map.id if chain_map else item.get("id")
        segments = chain_map.segments if chain_map else item.get("segments")
        if isinstance(map_id, str) and isinstance(segments, list | tuple):
            # even an invalid map shows its segments: they are not "on no map" on top of it
            for seg in segments:
                edge = Shows(src=map_id, dst=str(seg))
                reader.add_edge(edge, file, item.line, {"dst": "segments"}, item)


def parse_projects(reader: Reader, data: Any, file: str) -> None:
    _expect_keys(reader, data, ("projects",), file)
    for item in _mapping_list(reader, data, "projects", file):
        values = {k: v for k, v in item.items() if k not in ("firm", "segments")}
        project: Project | None = reader.build(Project, values, file, item.line, item)
        reader.add_node(project, file, item.line)
        if not project:
            continue
        if project.park:
            reader.add_ref(project.park, NodeKind.PARK, file, item.line_of("park"), "park")
        segments = item.get("segments", [])
        if not isinstance(segments, list):
            reader.problem(
                file, item.line_of("segments"), "segments", "expected a list of segment ids"
            )
            segments = []
        for seg in segments:
            edge: Edge = Fills(src=project.id, dst=str(seg))
            reader.add_edge(edge, file, item.line, {"dst": "segments"}, item)
        if item.get("firm"):
            edge = By(src=project.id, dst=str(item["firm"]))
            reader.add_edge(edge, file, item.line, {"dst": "firm"}, item)


def parse_capacities(reader: Reader, data: Any, file: str) -> None:
    _expect_keys(reader, data, ("capacities",), file)
    names = {"src": "region", "dst": "segment"}
    for item in _mapping_list(reader, data, "capacities", file):
        fact = reader.build(HasCapacity, _rename(item, names), file, item.line, item, names)
        reader.add_edge(fact, file, item.line, names, item)


def parse_kpis(reader: Reader, data: Any, file: str) -> None:
    _expect_keys(reader, data, ("kpis",), file)
    for item in _mapping_list(reader, data, "kpis", file):
        reader.add_node(reader.build(Kpi, dict(item), file, item.line, item), file, item.line)


# --------------------------------------------------------------------------------- entry points

YAML_FILES: tuple[tuple[str, Callable[[Reader, Any, str], None]], ...] = (
    ("regions.yaml", parse_regions),
    ("maps.yaml", parse_maps),
    ("projects.yaml", parse_projects),
    ("kpis.yaml", parse_kpis),
    ("capacities.yaml", parse_capacities),
)
CSV_FILES = (
    ("local_firms.csv", parse_local_firms, LOCAL_COLUMNS),
    ("targets.csv", parse_targets, TARGET_COLUMNS),
)


def _read_yaml(reader: Reader, rel: str) -> Any:
    """The parsed file, or None; a file that cannot be parsed is remembered as unreadable."""
    before = len(reader.problems)
    data = read_yaml(reader.root / rel, rel, reader.problems)
    if len(reader.problems) > before:
        reader.unreadable.add(rel)
    return data


def _read_meta(reader: Reader) -> dict[str, Any]:
    if not (reader.root / "dataset.yaml").exists():
        return {}
    meta = _read_yaml(reader, "dataset.yaml")
    if not isinstance(meta, LineDict):
        return {}
    if meta.get("region"):
        line = meta.line_of("region")
        reader.add_ref(str(meta["region"]), NodeKind.REGION, "dataset.yaml", line, "region")
    return dict(meta)


def _read_files(reader: Reader) -> None:
    root = reader.root
    for name, parse in YAML_FILES:
        if (root / name).exists() and (data := _read_yaml(reader, name)) is not None:
            parse(reader, data, name)
    for chain_file in sorted((root / "chains").glob("*.yaml")):
        rel = f"chains/{chain_file.name}"
        if (data := _read_yaml(reader, rel)) is not None:
            parse_chain(reader, data, rel)
    for name, parse_rows, columns in CSV_FILES:
        if not (root / name).exists():
            continue
        rows = read_csv(root / name, name, reader.problems, columns, REQUIRED[name])
        if rows is None:
            reader.unreadable.add(name)
        else:
            parse_rows(reader, rows, name)


def read_dataset(path: str | Path, known: dict[str, NodeKind] | None = None) -> Dataset:
    """Parse and validate the dataset at ``path``; ``DatasetError`` lists every problem.

    ``known`` maps ids already in the target store to their kind, so a partial dataset may
    refer to them (e.g. an officer's target list against the loaded chains).
    """
    root = Path(path)
    if not root.is_dir():
        raise DatasetError([Problem(str(root), 0, "", "no such dataset directory")])
    reader = Reader(root)
    meta = _read_meta(reader)
    _read_files(reader)
    validate(reader, known or {})
    if reader.problems:
        raise DatasetError(reader.problems)
    batch = Batch(
        nodes=[n for n, _, _ in reader.nodes.values()],
        edges=_unique_edges(p.edge for p in reader.edges),
    )
    return Dataset(root, meta, batch, str(meta.get("region", "")))


def _unique_edges(edges: Iterable[Edge]) -> list[Edge]:
    unique: dict[tuple[str, str, str], Edge] = {}
    for edge in edges:
        unique.setdefault(edge.key, edge)
    return list(unique.values())


def load_dataset(path: str | Path, store: Store) -> Dataset:
    """Validate the dataset at ``path`` and write it to ``store`` in one atomic batch.

    A dataset with problems raises ``DatasetError`` and leaves the store untouched; loading
    the same dataset twice leaves the store as after the first load.
    """
    dataset = read_dataset(path)
    store.apply(keep_pipeline_progress(dataset.batch, store))
    return dataset


def keep_pipeline_progress(batch: Batch, store: Store) -> Batch:
    """Keep target statuses officers moved along the pipeline (they carry a status date) when
    a reloaded list row only has the default status: reloading must not reset the pipeline."""
    incoming = [e for e in batch.edges if isinstance(e, TargetedFor)]
    if not incoming:
        return batch
    stored = {(t.src, t.dst): t for t in store.targets({e.dst for e in incoming})}
    edges = []
    for edge in batch.edges:
        old = stored.get((edge.src, edge.dst)) if isinstance(edge, TargetedFor) else None
        if isinstance(edge, TargetedFor) and old and old.status_date and not edge.status_date:
            progress = {
                "status": old.status,
                "status_date": old.status_date,
                "status_note": old.status_note,
            }
            edge = edge.model_copy(update=progress)
        if (
            isinstance(edge, TargetedFor) and old
        ):  # 负责人 and next contact date, set in the console
            plan = {
                "owner": edge.owner or old.owner,
                "next_contact": edge.next_contact or old.next_contact,
            }
            edge = edge.model_copy(update=plan)
        edges.append(edge)
    return Batch(nodes=batch.nodes, edges=edges)
