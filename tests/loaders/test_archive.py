"""Zipped datasets (loaders/archive.py): Windows zips read as their authors see them, hostile
zips refused before they cost memory or disk, and a zip with no dataset is an error."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from graph import DatasetError, NodeKind
from graph.i18n import use_lang
from loaders import read_dataset
from loaders.archive import extract_dataset, member_name

CASES = Path(__file__).parents[1] / "fixtures" / "cases"
LIMIT = 10_000_000


def unzip(data: bytes, tmp_path: Path, **limits: int) -> Path:
    return extract_dataset(
        data, tmp_path / "dataset", "upload.zip", limits.pop("max_bytes", LIMIT), **limits
    )


class RawName(zipfile.ZipInfo):
    """A member whose name is written as the given bytes with no UTF-8 flag, as Windows
    Explorer writes GBK names (Python itself would write UTF-8 and set the flag)."""

    raw = b""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's hook
        return self.raw, self.flag_bits & ~0x800


def dataset_zip(root: Path, rename=lambda rel: rel, encoding: str = "utf-8") -> bytes:
    """The dataset folder ``root`` zipped with names as ``rename`` gives them, encoded."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = rename(path.relative_to(root.parent).as_posix())
            info = RawName(name)
            info.raw = name.encode(encoding)
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def test_a_powershell_zip_with_backslash_paths_reads_like_a_normal_one(tmp_path: Path) -> None:
    ok = read_dataset(
        unzip((CASES / "zip-backslash-paths/dataset-ok.zip").read_bytes(), tmp_path / "a")
    )
    ps = read_dataset(
        unzip((CASES / "zip-backslash-paths/dataset-ps51.zip").read_bytes(), tmp_path / "b")
    )
    assert ps.count(NodeKind.SEGMENT) == ok.count(NodeKind.SEGMENT) == 11
    assert len(ps.batch.edges) == len(ok.batch.edges)


def test_a_zip_with_no_dataset_is_an_error_that_says_what_was_expected(tmp_path: Path) -> None:
    root = unzip((CASES / "zip-backslash-paths/wrong-folder.zip").read_bytes(), tmp_path)
    with use_lang("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(root)
    [problem] = caught.value.problems
    assert "未找到数据集文件" in problem.message and "chains/*.yaml" in problem.message
    [warning] = caught.value.warnings
    assert warning.file == "新建文本文档.txt"  # the file that was there, named


@pytest.mark.parametrize("name", ["gbk.zip", "gbk-clean.zip"])
def test_gbk_file_names_are_decoded(tmp_path: Path, name: str) -> None:
    root = unzip((CASES / "zip-gbk-names" / name).read_bytes(), tmp_path)
    assert root.name == "西宁数据"
    assert (root / "chains" / "光伏.yaml").is_file()


def test_problems_in_a_gbk_named_zip_name_the_chinese_file(tmp_path: Path) -> None:
    root = unzip((CASES / "zip-gbk-names/gbk.zip").read_bytes(), tmp_path)
    with use_lang("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("chains/光伏.yaml", 9, "stage")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-no-flag"])
def test_other_chinese_names_and_encodings_of_members(tmp_path: Path, encoding: str) -> None:
    mini = Path(__file__).parents[1] / "fixtures" / "mini"

    def rename(rel: str) -> str:
        return rel.replace("mini/", "包头数据\\").replace("chains/pv.yaml", "chains\\光伏制造.yaml")

    data = dataset_zip(mini, rename, encoding=encoding.replace("-no-flag", ""))
    root = unzip(data, tmp_path)
    assert root.name == "包头数据"
    assert read_dataset(root).count(NodeKind.SEGMENT) == 11


def test_member_names_keep_their_utf8_flag() -> None:
    info = zipfile.ZipInfo("稀土/chains/风电.yaml")
    info.flag_bits |= 0x800
    assert member_name(info) == "稀土/chains/风电.yaml"


@pytest.mark.parametrize(
    "name", ["../../escaped.yaml", "/etc/passwd", "C:\\Windows\\x.yaml", "a\\..\\..\\b.yaml"]
)
def test_paths_escaping_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "x: 1")
    with use_lang("zh"), pytest.raises(DatasetError) as caught:
        unzip(buffer.getvalue(), tmp_path)
    assert "不安全" in caught.value.problems[0].message
    assert not (tmp_path / "escaped.yaml").exists()


def test_a_zip_bomb_is_stopped_while_inflating(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kpis.yaml", b"#" * 5_000_000)
    assert len(buffer.getvalue()) < 50_000
    with pytest.raises(DatasetError, match="size limit"):
        unzip(buffer.getvalue(), tmp_path, max_bytes=1_000_000)
    written = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert written <= 1_000_000


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(30):
            archive.writestr(f"f{i}.txt", "x")
    with pytest.raises(DatasetError, match="at most 20"):
        unzip(buffer.getvalue(), tmp_path, max_members=20)


def test_not_a_zip_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a zip file"):
        unzip(b"PK\x03\x04 not really", tmp_path)


def test_the_alias_bomb_zip_is_refused_without_expanding(tmp_path: Path) -> None:
    root = unzip((CASES / "yaml-alias-bomb/laughs_kpis_d6.zip").read_bytes(), tmp_path)
    with use_lang("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("kpis.yaml", 3) and len(str(problem)) < 120
