"""The files of a dataset folder: which are expected, which are not, how each is found.

``.yml`` is read like ``.yaml``; an empty file is named (an error for a chain file, which
must define a chain, else a warning); a file that is not part of the format is named in a
warning; a folder with no dataset file at all is an error saying what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.errors import closest
from graph.i18n import _
from loaders.reader import Reader
from loaders.yamlio import read_yaml

DATASET_FILES = (
    "dataset.yaml",
    "regions.yaml",
    "maps.yaml",
    "projects.yaml",
    "kpis.yaml",
    "capacities.yaml",
    "local_firms.csv",
    "targets.csv",
    "relations.csv",
)


YAML_SUFFIXES = (".yaml", ".yml")
EXPECTED_FILES = DATASET_FILES
IGNORED_FILES = ("README", "EXPECTED.md", "LICENSE", "NOTES")


def find(root: Path, name: str) -> Path | None:
    """``name`` in ``root``, also spelled ``.yml`` for a YAML file."""
    for candidate in (name, name.removesuffix(".yaml") + ".yml"):
        if (root / candidate).is_file():
            return root / candidate
    return None


def read_yaml_file(reader: Reader, path: Path, rel: str, required: bool = False) -> Any:
    """The parsed file, or None; a file that cannot be parsed is remembered as unreadable.
    An empty file is named: an error where content is required (a chain file), else a
    warning (nothing read from it)."""
    before = len(reader.errors)
    data = read_yaml(path, rel, reader.problems)
    if len(reader.errors) > before:
        reader.unreadable.add(rel)
    elif data is None and required:  # empty: it defines nothing, so it is not "unreadable"
        reader.problem(rel, 0, "", _("the file is empty: a chain file needs id, name, segments"))
    elif data is None:
        reader.warn(rel, 0, "", _("the file is empty: nothing was read from it"))
    return data


def chain_files(root: Path) -> list[Path]:
    folder = root / "chains"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES)


def _known_file(root: Path, path: Path) -> bool:
    rel = path.relative_to(root)
    if rel.parts[0] == "chains" and len(rel.parts) == 2:
        return path.suffix.lower() in YAML_SUFFIXES
    name = path.name.replace(".yml", ".yaml")
    return len(rel.parts) == 1 and (name in EXPECTED_FILES or name.startswith(IGNORED_FILES))


def check_files(reader: Reader) -> bool:
    """Name every file that is not part of the format (a warning: it is not read), and say
    what was expected when the folder holds no dataset file at all (then False)."""
    root = reader.root
    files = [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith((".", "__MACOSX")) for part in p.parts)
    ]
    unexpected = [p for p in files if not _known_file(root, p)]
    for path in unexpected:
        rel = path.relative_to(root).as_posix()
        near = closest(path.name, EXPECTED_FILES, n=1)
        hint = _("did you mean {name!r}?", name=near[0]) if near else _("see docs/data-format.md")
        reader.warn(rel, 0, "", _("not a file of the dataset format, not read: {hint}", hint=hint))
    if len(unexpected) < len(files):
        return True
    reader.problem(
        root.name or str(root),
        0,
        "",
        _(
            "no dataset file found: expected {files} and chains/*.yaml (see docs/data-format.md)",
            files=", ".join(EXPECTED_FILES),
        ),
    )
    return False
