"""A zipped dataset, unpacked safely: Windows zips understood, hostile ones bounded.

- Paths with backslashes (PowerShell 5.1's ``Compress-Archive``) are read as folders.
- Names without the zip's UTF-8 flag are decoded as UTF-8 when they are, else as GBK/GB18030
  (Chinese Windows' Explorer), never as the cp437 the zip standard assumes.
- Absolute paths, drive letters and ``..`` are refused; so are more than ``max_members``
  members and a total size over ``max_bytes``, measured while inflating (a zip bomb's
  headers may lie).
- The folder holding the dataset is the zip's root or its single top-level folder.

``extract_dataset(data, dest, label)`` returns that folder or raises ``DatasetError``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from graph.errors import DatasetError, Problem, excerpt
from graph.i18n import _

MAX_MEMBERS = 500
UTF8_FLAG = 0x800
CHUNK = 1 << 16


def _problem(label: str, message: str) -> DatasetError:
    return DatasetError([Problem(label, 0, "file", message)])


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's path as its author saw it: UTF-8 or GBK, with ``/`` separators.

    >>> info = zipfile.ZipInfo("x"); info.filename = "光伏".encode("gbk").decode("cp437")
    >>> member_name(info)
    '光伏'
    """
    name = info.filename
    if not info.flag_bits & UTF8_FLAG:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = None
        if raw is not None:
            for encoding in ("utf-8", "gb18030"):
                try:
                    name = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    return name.replace("\\", "/")


def _safe_path(name: str, label: str) -> PurePosixPath:
    path = PurePosixPath(name)
    drive = len(name) > 1 and name[1] == ":"
    if path.is_absolute() or drive or ".." in path.parts:
        raise _problem(label, _("unsafe path {name} in the zip: refused", name=excerpt(name)))
    return path


def extract_dataset(
    data: bytes, dest: Path, label: str, max_bytes: int, max_members: int = MAX_MEMBERS
) -> Path:
    """Unpack the zip ``data`` under ``dest``; the folder that holds the dataset."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        message = _("not a zip file ({reason}); zip the dataset folder and retry", reason=e)
        raise _problem(label, message) from e
    dest.mkdir(parents=True, exist_ok=True)
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > max_members:
            message = _(
                "the zip holds {count} files; at most {limit}",
                count=len(members),
                limit=max_members,
            )
            raise _problem(label, message)
        budget = max_bytes
        for info in members:
            path = _safe_path(member_name(info), label)
            budget = _inflate(archive, info, dest / path, budget, label)
    return dataset_root(dest)


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int, label: str
) -> int:
    """Write one member, counting real inflated bytes against ``budget``; what is left."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(info) as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise _problem(label, _("the zip expands to more than the size limit"))
                out.write(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as e:
        message = _("the zip cannot be read ({reason}); zip the dataset folder again", reason=e)
        raise _problem(label, message) from e
    return budget


def dataset_root(extracted: Path) -> Path:
    """The folder holding the dataset: the zip's root, or its single top-level folder."""
    if not extracted.is_dir():
        return extracted
    entries = [p for p in extracted.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return extracted
