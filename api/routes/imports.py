"""``/api/import``: write a dataset or an officer's CSV into the store (token required).

Uploads are validated by the same loader as ``chainkg validate``/``load``, so the problems
listed (file, line, field) read exactly like the CLI's. All or nothing: a file with any
problem writes nothing; an accepted one is one ``Store.apply`` (saved atomically to disk by
the embedded store).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from api.deps import CacheDep, SettingsDep, StoreDep, WriteAccess
from api.errors import WRITE_RESPONSES
from api.models import ImportResult
from graph import DatasetError, NodeKind, Problem, Segment, Store, units
from loaders import keep_pipeline_progress, read_dataset
from loaders.archive import extract_dataset
from loaders.csvio import read_csv

router = APIRouter(
    prefix="/api/import", tags=["import"], responses=WRITE_RESPONSES, dependencies=[WriteAccess]
)

Upload = Annotated[UploadFile, File(description="the file, as saved from Excel (CSV UTF-8)")]
UNZIP_FACTOR = 20  # a zipped dataset may expand to this many times the upload limit


def known_ids(store: Store) -> dict[str, NodeKind]:
    """Every id in the store with its kind, so an upload may refer to what is loaded."""
    return {node.id: kind for kind in NodeKind for node in store.nodes(kind)}


def apply_dataset(
    store: Store,
    root: Path,
    known: dict[str, NodeKind],
    label: str,
    problems: list[Problem] | None = None,
) -> ImportResult:
    """Validate the files under ``root`` and write them in one batch; every problem found
    (the loader's and ``problems``) is reported together, and then nothing is written."""
    try:
        dataset = read_dataset(root, known=known)
    except DatasetError as e:
        raise DatasetError([*e.problems, *(problems or [])]) from None
    if problems:
        raise DatasetError(problems)
    store.apply(keep_pipeline_progress(dataset.batch, store))
    return ImportResult(
        file=label,
        nodes=len(dataset.batch.nodes),
        edges=len(dataset.batch.edges),
        revision=store.revision,
    )


def unit_problems(store: Store, path: Path, name: str) -> list[Problem]:
    """Capacities in a unit the stored segment is not measured in (e.g. 万吨 for a GW segment).

    The loader checks units against segments defined in the same upload; a CSV refers to
    segments already in the store, so the API checks those here, row by row.
    """
    problems: list[Problem] = []
    for row in read_csv(path, name, []) or []:
        unit, segment = row.get("unit"), store.find(row.get("segment"))
        if not unit or not isinstance(segment, Segment) or not units.is_known(segment.unit):
            continue
        if units.is_known(unit) and not units.comparable(unit, segment.unit):
            message = (
                f"{unit!r} does not measure what segment {segment.id!r} is measured in "
                f"({segment.unit}); give the capacity in {segment.unit}"
            )
            problems.append(Problem(name, row.line, "unit", message))
    return problems


async def import_table(
    store: Store, upload: UploadFile, name: str, known: dict[str, NodeKind]
) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix="chainkg-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(await upload.read())
        problems = unit_problems(store, path, name)
        return apply_dataset(store, Path(tmp), known, upload.filename or name, problems)


@router.post("/local-firms", summary="Import local_firms.csv (one row per firm × segment × park)")
async def import_local_firms(file: Upload, store: StoreDep, cache: CacheDep) -> ImportResult:
    known = cache.get(store, "known-ids", lambda: known_ids(store))
    return await import_table(store, file, "local_firms.csv", known)


@router.post("/targets", summary="Import targets.csv (the target list, one row per firm × segment)")
async def import_targets(file: Upload, store: StoreDep, cache: CacheDep) -> ImportResult:
    known = cache.get(store, "known-ids", lambda: known_ids(store))
    return await import_table(store, file, "targets.csv", known)


@router.post("/dataset", summary="Import a whole dataset (a .zip of the dataset folder)")
async def import_dataset(
    file: Upload, store: StoreDep, settings: SettingsDep, cache: CacheDep
) -> ImportResult:
    label = file.filename or "dataset.zip"
    known = cache.get(store, "known-ids", lambda: known_ids(store))
    with tempfile.TemporaryDirectory(prefix="chainkg-upload-") as tmp:
        limit = settings.max_upload_bytes * UNZIP_FACTOR
        root = extract_dataset(await file.read(), Path(tmp) / "dataset", label, limit)
        return apply_dataset(store, root, known, label)
