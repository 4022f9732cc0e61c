"""Hostile inputs stay bounded: the YAML alias bomb (case yaml-alias-bomb: 603 bytes that
expanded to a 144 MB answer, and one level more to 7 GB of server memory) and a zip bomb.

For each input: CPU seconds to be refused (best of 5), the peak memory Python allocated
while refusing it (``tracemalloc``), and the length of the longest problem message. Issue 11's
figures to beat: 144 MB answer / 7 GB memory / 26 s stall.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import ROOT, best_of, command_line, table, write_section  # noqa: E402
from graph import DatasetError  # noqa: E402
from loaders import read_dataset  # noqa: E402
from loaders.archive import extract_dataset  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "cases"
CLOCK = time.process_time
LIMIT = 100 * 2**20  # a zip may expand to 100 MiB (5 MiB upload x 20)


def alias_bomb(levels: int) -> str:
    lines = [
        "x-anchors:",
        '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    lines += [
        "kpis:",
        f"  - {{id: k, name: *a{levels - 1}, value: 1, unit: x, source: s, year: 2024}}",
    ]
    return "\n".join(lines) + "\n"


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("kpis.yaml", b"#" * (1024 * 2**20))  # 1 GiB of one byte
    return buffer.getvalue()


def refuse_folder(text: str) -> Callable[[], int]:
    def run() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "kpis.yaml").write_text(text, encoding="utf-8")
            try:
                read_dataset(tmp)
            except DatasetError as e:
                return max(len(str(p)) for p in e.problems)
        raise AssertionError("not refused")

    return run


def refuse_zip(data: bytes) -> Callable[[], int]:
    def run() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                extract_dataset(data, Path(tmp) / "d", "bomb.zip", LIMIT)
            except DatasetError as e:
                return max(len(str(p)) for p in e.problems)
        raise AssertionError("not refused")

    return run


def measure(name: str, size: int, action: Callable[[], int]) -> list[object]:
    seconds = best_of(5, action, CLOCK)
    tracemalloc.start()
    longest = action()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return [name, f"{size:,}", f"{seconds * 1000:.1f}", f"{peak:.1f}", longest]


def main() -> None:
    rows = []
    for levels in (7, 8, 9):
        text = alias_bomb(levels)
        rows.append(
            measure(
                f"YAML alias bomb, {levels} levels (10^{levels} items)",
                len(text.encode()),
                refuse_folder(text),
            )
        )
    data = (CASES / "yaml-alias-bomb" / "laughs_kpis_d6.zip").read_bytes()
    rows.append(
        measure(
            "case laughs_kpis_d6.zip, unzipped and read", len(data), lambda: _zip_then_read(data)
        )
    )
    bomb = zip_bomb()
    rows.append(measure("zip bomb: 1 GiB of one byte, 100 MiB limit", len(bomb), refuse_zip(bomb)))
    body = (
        "CPU ms to refuse, best of 5; peak MiB allocated by Python while refusing "
        "(tracemalloc); the longest problem message in characters. Aliases are refused "
        "before expansion, so the cost does not grow with the levels; a zip is counted "
        "while it inflates, so the bomb stops at the limit.\n\n"
        + table(["input", "bytes", "refused in CPU ms", "peak MiB", "longest message"], rows)
    )
    write_section("hostile", "Hostile inputs: alias bomb and zip bomb", body, command_line())


def _zip_then_read(data: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = extract_dataset(data, Path(tmp) / "d", "laughs.zip", LIMIT)
        try:
            read_dataset(root)
        except DatasetError as e:
            return max(len(str(p)) for p in e.problems)
    raise AssertionError("not refused")


if __name__ == "__main__":
    main()
