"""``/api/import``: write a dataset or an officer's CSV into the store (token required).

Uploads are validated by the same loader as ``chainkg validate``/``load``, so the problems
listed (file, line, field) read exactly like the CLI's. All or nothing: a file with any
problem writes nothing; an accepted one is one ``Store.apply`` (or ``replace_dataset`` with
``?mode=replace``), saved atomically by the store.

Hostile input is bounded before it costs anything: the routes declare no body parameter, so
the token is checked before a byte of the body is read; the body is capped by
``BodySizeLimit`` (413); files are read, unzipped and parsed in worker threads of their own
(``PARSE_THREADS``, off the event loop) within ``CHAINKG_UPLOAD_SECONDS``. The store itself is
only touched on the event loop.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, Query, Request
from starlette.datastructures import UploadFile

from api.datasets import describe_changes, write_dataset
from api.deps import CacheDep, SettingsDep, StoreDep, WriteAccess
from api.errors import WRITE_RESPONSES, ApiError, excerpt
from api.models import ImportResult
from api.settings import Settings
from graph import DatasetError, NodeKind, Problem, Segment, Store, units
from graph.i18n import _
from loaders import Dataset, read_dataset
from loaders.archive import extract_dataset
from loaders.csvio import read_csv

router = APIRouter(
    prefix="/api/import", tags=["import"], responses=WRITE_RESPONSES, dependencies=[WriteAccess]
)

UNZIP_FACTOR = 20  # a zipped dataset may expand to this many times the upload limit
PARSE_THREADS = 2  # uploads parsed at once; the others wait (not the event loop)
T = TypeVar("T")

Mode = Annotated[
    Literal["merge", "replace"],
    Query(
        description="merge: upsert into what is stored (default); replace: the upload becomes "
        "the whole dataset (what it lacks is removed; target pipeline status is kept)"
    ),
]


def upload_body(description: str) -> dict[str, Any]:
    """The multipart body, for the OpenAPI schema (the route reads it itself, after the token
    check; ``api.app`` fills in the size limit the server enforces)."""
    schema = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary", "description": description}},
    }
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


async def read_upload(request: Request, default_name: str) -> tuple[str, bytes]:
    """The ``file`` field of the multipart body: its name (an excerpt) and bytes."""
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            message = _("the form needs one file in the field 'file'")
            raise ApiError(422, "invalid_parameter", message, field="file")
        return excerpt(upload.filename or default_name, 120), await upload.read()


async def off_loop(request: Request, settings: Settings, work: Callable[[], T]) -> T:
    """Run ``work`` in a parse thread, within the upload time limit."""
    state = request.app.state
    if getattr(state, "parse_limiter", None) is None:
        state.parse_limiter = anyio.CapacityLimiter(PARSE_THREADS)
    try:
        with anyio.fail_after(settings.upload_seconds):
            return await anyio.to_thread.run_sync(
                work, abandon_on_cancel=True, limiter=state.parse_limiter
            )
    except TimeoutError:
        message = _(
            "reading the upload took longer than {n} s: split it into smaller files",
            n=settings.upload_seconds,
        )
        raise ApiError(422, "upload_too_complex", message) from None


def known_ids(store: Store) -> dict[str, NodeKind]:
    """Every id in the store with its kind, so an upload may refer to what is loaded."""
    return {node.id: kind for kind in NodeKind for node in store.nodes(kind)}


def unit_problems(store: Store, rows: list[Any], name: str) -> list[Problem]:
    """Capacities in a unit the stored segment is not measured in (e.g. 万吨 for a GW segment).

    The loader checks units against segments defined in the same upload; a CSV refers to
    segments already in the store, so the API checks those here, row by row.
    """
    problems: list[Problem] = []
    for row in rows:
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


def _parse_table(data: bytes, name: str, known: dict[str, NodeKind]) -> tuple[Any, list[Any]]:
    """(the dataset or its DatasetError, the CSV rows) of one uploaded table. Thread-side."""
    with tempfile.TemporaryDirectory(prefix="chainkg-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        rows = list(read_csv(path, name, []) or [])
        try:
            return read_dataset(Path(tmp), known=known), rows
        except DatasetError as e:
            return e, rows


async def import_table(
    request: Request, store: Store, settings: Settings, name: str, known: dict[str, NodeKind]
) -> ImportResult:
    label, data = await read_upload(request, name)
    parsed, rows = await off_loop(request, settings, lambda: _parse_table(data, name, known))
    problems = unit_problems(store, rows, name)
    if isinstance(parsed, DatasetError) or problems:
        found = parsed.problems if isinstance(parsed, DatasetError) else []
        raise DatasetError([*found, *problems])
    return write(store, parsed, label, replace=False)


def write(store: Store, dataset: Dataset, label: str, replace: bool) -> ImportResult:
    changes = write_dataset(store, dataset, replace)
    return ImportResult(
        file=label,
        nodes=len(dataset.batch.nodes),
        edges=len(dataset.batch.edges),
        revision=store.revision,
        mode="replace" if replace else "merge",
        added=changes.added,
        changed=changes.changed,
        removed=changes.removed,
        edges_added=changes.edges_added,
        edges_changed=changes.edges_changed,
        edges_removed=changes.edges_removed,
        message=describe_changes(changes),
    )


@router.post(
    "/local-firms",
    summary="Import local_firms.csv (one row per firm × segment × park)",
    openapi_extra=upload_body("local_firms.csv, as saved from Excel (CSV UTF-8)"),
)
async def import_local_firms(
    request: Request, store: StoreDep, settings: SettingsDep, cache: CacheDep
) -> ImportResult:
    known = cache.get(store, "known-ids", lambda: known_ids(store))
    return await import_table(request, store, settings, "local_firms.csv", known)


@router.post(
    "/targets",
    summary="Import targets.csv (the target list, one row per firm × segment)",
    openapi_extra=upload_body("targets.csv, as saved from Excel (CSV UTF-8)"),
)
async def import_targets(
    request: Request, store: StoreDep, settings: SettingsDep, cache: CacheDep
) -> ImportResult:
    known = cache.get(store, "known-ids", lambda: known_ids(store))
    return await import_table(request, store, settings, "targets.csv", known)


def _parse_zip(data: bytes, label: str, known: dict[str, NodeKind], max_bytes: int) -> Dataset:
    """Unzip (``loaders.archive``: backslash and GBK names, bounded while inflating) and read
    a dataset. Thread-side; raises ``DatasetError``."""
    with tempfile.TemporaryDirectory(prefix="chainkg-upload-") as tmp:
        root = extract_dataset(data, Path(tmp) / "dataset", label, max_bytes)
        return read_dataset(root, known=known)


@router.post(
    "/dataset",
    summary="Import a whole dataset (a .zip of the dataset folder), merged or replacing",
    openapi_extra=upload_body("the dataset folder, zipped"),
)
async def import_dataset(
    request: Request, store: StoreDep, settings: SettingsDep, cache: CacheDep, mode: Mode = "merge"
) -> ImportResult:
    """``mode=replace`` validates the upload on its own (ids already stored do not count) and
    makes it the whole dataset; ``merge`` may refer to what is stored. Either way the answer
    lists the ids added, changed and removed."""
    replace = mode == "replace"
    known = {} if replace else cache.get(store, "known-ids", lambda: known_ids(store))
    label, data = await read_upload(request, "dataset.zip")
    limit = settings.max_upload_bytes * UNZIP_FACTOR
    dataset = await off_loop(request, settings, lambda: _parse_zip(data, label, known, limit))
    return write(store, dataset, label, replace)
