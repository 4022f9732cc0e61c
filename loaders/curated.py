"""The curated dataset format (see docs/data-format.md): read, validate, load.

``read_dataset(dir)`` parses every file and validates the whole dataset, collecting *all*
problems (file, line, field, message) before giving up; ``load_dataset(dir, store)`` writes it
in one all-or-nothing ``Store.apply``. Parsing is pure: ``parse_*`` turn already-read YAML
records into schema objects (the CSV tables are parsed in ``loaders.tables``, the checks across
files live in ``loaders.checks``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import units
from graph.errors import DatasetError, Problem, excerpt
from graph.i18n import _
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
from loaders.csvio import read_table
from loaders.files import chain_files, check_files, find, read_yaml_file
from loaders.reader import Reader
from loaders.tables import (
    LOCAL_COLUMNS,
    RELATION_COLUMNS,
    REQUIRED,
    TARGET_COLUMNS,
    parse_local_firms,
    parse_relations,
    parse_targets,
)
from loaders.textin import fold
from loaders.yamlio import LineDict

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
    warnings: list[Problem] = field(default_factory=list)  # read, but the user should know

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
        reader.problem(file, line, key, _("expected a list of entries under '{key}:'", key=key))
        return []
    good = []
    for item in items:
        if isinstance(item, LineDict):
            good.append(item)
        else:
            line = data.line_of(key) if isinstance(data, LineDict) else 0
            reader.problem(
                file,
                line,
                key,
                _("each entry of '{key}' must be a mapping: {item}", key=key, item=excerpt(item)),
            )
    return good


def _expect_keys(reader: Reader, data: Any, allowed: Iterable[str], file: str) -> None:
    """Top-level keys other than ``allowed`` are typos that would silently drop data."""
    allowed = tuple(allowed)
    if data is None:
        return
    if not isinstance(data, LineDict):
        reader.problem(file, 0, "", _("expected a mapping with {keys}", keys=", ".join(allowed)))
        return
    for key in data.keys() - set(allowed):
        expected = ", ".join(f"'{k}:'" for k in allowed)
        reader.problem(
            file, data.line_of(key), key, _("unknown section: expected {keys}", keys=expected)
        )


INHERITED = ("source", "year", "certainty")


def _inherit(item: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """Fill ``source``/``year``/``certainty`` from the enclosing record when omitted."""
    merged = dict(item)
    for key in INHERITED:
        if key not in merged and key in parent:
            merged[key] = parent[key]
    return merged


def _inherited(item: dict[str, Any]) -> set[str]:
    """The fields an entry takes from its chain: their problems are reported at the chain."""
    return {key for key in INHERITED if key not in item}


def _node(
    reader: Reader,
    model: type[Any],
    values: dict[str, Any],
    file: str,
    item: LineDict,
    inherited: set[str] | None = None,
) -> Any:
    """Build a node of a YAML entry and add it; an invalid one still counts for duplicates."""
    node = reader.build(model, values, file, item.line, item, inherited=inherited or (), track=True)
    reader.add_node(node, file, item.line)
    return node


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
        _node(reader, Region, dict(item), file, item)
    for item in _mapping_list(reader, data, "parks", file):
        park: Park | None = _node(reader, Park, dict(item), file, item)
        if park:
            edge = ParkIn(src=park.id, dst=park.region)
            reader.add_edge(edge, file, item.line, {"dst": "region"}, item)


def parse_chain(reader: Reader, data: Any, file: str) -> None:
    if not isinstance(data, LineDict):
        reader.problem(
            file, 0, "", _("a chain file must be a mapping with id, name, segments, links")
        )
        return
    head = {k: v for k, v in data.items() if k not in ("segments", "links")}
    chain = _node(reader, Chain, head, file, data)
    chain_id = fold(str(data.get("id", "")))
    for item in _mapping_list(reader, data, "segments", file):
        values = _inherit(item, data)
        values.setdefault("chain", chain_id)
        segment: Segment | None = _node(reader, Segment, values, file, item, _inherited(item))
        if segment:
            _segment_extras(reader, segment, item, file, chain_known=chain is not None)
    for item in _mapping_list(reader, data, "links", file):
        names = {"src": "from", "dst": "to"}
        values = _rename(_inherit(item, data), names)
        link = reader.build(Supplies, values, file, item.line, item, names, _inherited(item))
        reader.add_edge(link, file, item.line, names, item)


def _segment_extras(
    reader: Reader, segment: Segment, item: LineDict, file: str, chain_known: bool
) -> None:
    """The segment's PART_OF relations, and a check of its unit where it is written."""
    if segment.unit and not units.is_known(segment.unit):
        known = ", ".join(sorted(units.UNITS))
        reader.problem(
            file,
            item.line_of("unit"),
            "unit",
            _("unknown unit {unit}; use one of {known}", unit=excerpt(segment.unit), known=known),
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
        chain_map: ChainMap | None = _node(reader, ChainMap, dict(item), file, item)
        if chain_map:
            reader.add_ref(chain_map.chain, NodeKind.CHAIN, file, item.line_of("chain"), "chain")
        map_id = chain_map.id if chain_map else item.get("id")
        segments = chain_map.segments if chain_map else item.get("segments")
        if isinstance(map_id, str) and isinstance(segments, list | tuple):
            # even an invalid map shows its segments: they are not "on no map" on top of it
            for seg in segments:
                edge = Shows(src=map_id, dst=fold(str(seg)))
                reader.add_edge(edge, file, item.line, {"dst": "segments"}, item)


def parse_projects(reader: Reader, data: Any, file: str) -> None:
    _expect_keys(reader, data, ("projects",), file)
    for item in _mapping_list(reader, data, "projects", file):
        values = {k: v for k, v in item.items() if k not in ("firm", "segments")}
        project: Project | None = _node(reader, Project, values, file, item)
        if not project:
            continue
        if project.park:
            reader.add_ref(project.park, NodeKind.PARK, file, item.line_of("park"), "park")
        segments = item.get("segments", [])
        if not isinstance(segments, list):
            reader.problem(
                file, item.line_of("segments"), "segments", _("expected a list of segment ids")
            )
            segments = []
        for seg in segments:
            edge: Edge = Fills(src=project.id, dst=fold(str(seg)))
            reader.add_edge(edge, file, item.line, {"dst": "segments"}, item)
        if item.get("firm"):
            edge = By(src=project.id, dst=fold(str(item["firm"])))
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
        _node(reader, Kpi, dict(item), file, item)


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
    ("relations.csv", parse_relations, RELATION_COLUMNS),
)


def _read_meta(reader: Reader) -> dict[str, Any]:
    path = find(reader.root, "dataset.yaml")
    if path is None:
        return {}
    meta = read_yaml_file(reader, path, path.name)
    if not isinstance(meta, LineDict):
        return {}
    if meta.get("region"):
        line = meta.line_of("region")
        region = fold(str(meta["region"]))
        reader.add_ref(region, NodeKind.REGION, path.name, line, "region")
    return dict(meta)


def _read_files(reader: Reader) -> None:
    root = reader.root
    for name, parse in YAML_FILES:
        path = find(root, name)
        if path is not None and (data := read_yaml_file(reader, path, path.name)) is not None:
            parse(reader, data, path.name)
    for chain_file in chain_files(root):
        rel = f"chains/{chain_file.name}"
        if (data := read_yaml_file(reader, chain_file, rel, required=True)) is not None:
            parse_chain(reader, data, rel)
    for name, parse_rows, columns in CSV_FILES:
        if not (root / name).exists():
            continue
        table = read_table(root / name, name, reader.problems, columns, REQUIRED[name])
        if table is None:
            reader.unreadable.add(name)
        else:
            reader.spelled[name] = table[1]
            parse_rows(reader, table[0], name)


def read_dataset(path: str | Path, known: dict[str, NodeKind] | None = None) -> Dataset:
    """Parse and validate the dataset at ``path``; ``DatasetError`` lists every problem
    (and carries the warnings); a valid dataset's warnings are in ``Dataset.warnings``.

    ``known`` maps ids already in the target store to their kind, so a partial dataset may
    refer to them (e.g. an officer's target list against the loaded chains). A folder with
    no dataset file at all is an error, so a load that would write nothing never passes.
    """
    root = Path(path)
    if not root.is_dir():
        raise DatasetError([Problem(str(root), 0, "", _("no such dataset directory"))])
    reader = Reader(root)
    if not check_files(reader):
        raise DatasetError(reader.errors, reader.warnings)
    meta = _read_meta(reader)
    _read_files(reader)
    validate(reader, known or {})
    if reader.errors:
        raise DatasetError(reader.errors, reader.warnings)
    region = fold(str(meta.get("region", "") or ""))
    batch = Batch(
        nodes=[_focus(n, region) for n, _, _ in reader.nodes.values()],
        edges=_unique_edges(p.edge for p in reader.edges),
    )
    return Dataset(root, meta, batch, region, sorted(set(reader.warnings)))


def _focus(node: Any, region: str) -> Any:
    """The dataset's focus region is stored as such (``Region.focus``), so the region
    analysed comes from the loaded data."""
    if isinstance(node, Region) and node.id == region and not node.focus:
        return node.model_copy(update={"focus": True})
    return node


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
        edges.append(edge)
    return Batch(nodes=batch.nodes, edges=edges)
