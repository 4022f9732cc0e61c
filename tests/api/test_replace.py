"""Replace as well as merge: `chainkg load DIR --replace` and `POST /api/import/dataset
?mode=replace` — atomic, keeping pipeline status, reporting what was added, changed and
removed; a load that would write nothing never empties the store."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import Direction, MemoryStore, NodeKind, RelType, TargetStatus
from tests.api.conftest import TOKEN, make_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
STATUS = {"status": "洽谈中", "date": "2024-05-20", "note": "第二轮洽谈"}


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("CHAINKG_", "NEO4J_")):
            monkeypatch.delenv(name)
    path = tmp_path / "graph.pickle"
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(path))
    return path


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


def without_segment(dataset: Path, dest: Path) -> Path:
    """A copy of the mini dataset where the ESS segment (li-ess) and its link are gone and
    one chain is renamed."""
    shutil.copytree(dataset, dest)
    li = dest / "chains" / "li.yaml"
    text = li.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if "li-ess" not in line]
    li.write_text("\n".join(kept).replace("锂动力及储能电池", "锂电池", 1) + "\n", "utf-8")
    maps = dest / "maps.yaml"
    maps.write_text(maps.read_text(encoding="utf-8").replace(", li-ess", ""), "utf-8")
    return dest


def test_load_replace_removes_what_the_dataset_lacks_and_says_so(
    data_file: Path, mini_dataset: Path, tmp_path: Path
) -> None:
    smaller = without_segment(mini_dataset, tmp_path / "smaller")
    assert cli("load", mini_dataset).exit_code == 0
    merged = cli("load", smaller)
    assert merged.exit_code == 0, merged.stderr
    assert MemoryStore(data_file).find("li-ess") is not None, "a merge removes nothing"
    assert "修改 2 项：li、li-map" in merged.stdout  # renamed chain, map lost a segment
    replaced = cli("load", smaller, "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    assert "删除 1 项：li-ess" in replaced.stdout and "已替换为" in replaced.stdout
    store = MemoryStore(data_file)
    assert store.find("li-ess") is None
    assert all("li-ess" not in (e.src, e.dst) for e in store.edges(RelType.SUPPLIES))
    again = cli("load", smaller, "--replace")
    assert "没有变化" in again.stdout


def test_replacing_keeps_the_pipeline_status_of_targets_still_listed(
    data_file: Path, mini_dataset: Path, tmp_path: Path
) -> None:
    assert cli("load", mini_dataset).exit_code == 0
    store = MemoryStore(data_file)
    store.set_target_status("film-h", "pv-film", TargetStatus("洽谈中"), "2024-05-20", "第二轮")
    assert cli("load", without_segment(mini_dataset, tmp_path / "s"), "--replace").exit_code == 0
    entry = MemoryStore(data_file).neighbours("film-h", RelType.TARGETED_FOR, Direction.OUT)[0]
    assert (entry.status.value, entry.status_date) == ("洽谈中", "2024-05-20")


@pytest.mark.parametrize("flag", ["--replace", "--fresh"])
def test_a_folder_holding_no_dataset_never_empties_the_store(
    data_file: Path, mini_dataset: Path, tmp_path: Path, flag: str
) -> None:
    assert cli("load", mini_dataset).exit_code == 0
    saved = data_file.read_bytes()
    empty = tmp_path / "wrong-folder"
    (empty / "something").mkdir(parents=True)
    (empty / "something" / "notes.txt").write_text("not a dataset", "utf-8")
    result = cli("load", empty, flag)
    assert result.exit_code == 1 and not result.stdout
    assert "没有数据集" in result.stderr or "dataset" in result.stderr
    assert data_file.read_bytes() == saved, "the store is untouched"


def test_load_without_a_folder_never_loads_the_default_over_a_dataset(
    data_file: Path, tmp_path: Path
) -> None:
    second = Path(__file__).resolve().parents[1] / "fixtures" / "shilishi"
    assert cli("load", second).exit_code == 0
    result = cli("load")
    assert result.exit_code == 1 and "请指明要加载的目录" in result.stderr
    assert MemoryStore(data_file).count(NodeKind.CHAIN) == 1


def test_load_without_a_folder_names_none_by_itself(data_file: Path) -> None:
    result = cli("load")
    assert result.exit_code == 1 and "请指明要加载的数据集目录" in result.stderr
    assert "data/xining" in result.stderr and not data_file.exists()


# ------------------------------------------------------------------------------------ API


def zipped(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root).as_posix())
    return buffer.getvalue()


def post_zip(client, data: bytes, mode: str | None = None):  # type: ignore[no-untyped-def]
    query = f"?mode={mode}" if mode else ""
    files = {"file": ("d.zip", data, "application/zip")}
    return client.post(f"/api/import/dataset{query}", files=files, headers=AUTH)


def test_api_import_replace_reports_added_changed_removed(
    settings, loaded_store, mini_dataset: Path, tmp_path: Path
) -> None:
    smaller = zipped(without_segment(mini_dataset, tmp_path / "s"))
    with make_client(settings, loaded_store) as client:
        client.put("/api/targets/film-h/pv-film/status", json=STATUS, headers=AUTH)
        merged = post_zip(client, smaller)
        assert merged.status_code == 200 and merged.json()["removed"] == []
        assert merged.json()["changed"] == ["li", "li-map"] and merged.json()["mode"] == "merge"
        replaced = post_zip(client, smaller, "replace")
        assert replaced.status_code == 200, replaced.text
        body = replaced.json()
        assert body["mode"] == "replace" and body["removed"] == ["li-ess"]
        assert body["edges_removed"] >= 1 and "删除 1 项：li-ess" in body["message"]
        assert client.get("/api/segments/li-ess").status_code == 404
        entry = client.get("/api/firms/film-h").json()["targets"][0]
        assert entry["status"] == "洽谈中", "pipeline status kept"
        english = client.post(
            "/api/import/dataset?mode=replace&lang=en",
            files={"file": ("d.zip", smaller, "application/zip")},
            headers=AUTH,
        )
        assert "nothing changed" in english.json()["message"]


def test_api_replace_validates_the_upload_on_its_own(
    settings, loaded_store, tmp_path: Path
) -> None:
    """A zip holding only a target list refers to segments that are stored: a merge accepts
    it, a replacement counts only the uploaded ids and refuses it, changing nothing."""
    part = tmp_path / "part"
    part.mkdir()
    (part / "targets.csv").write_text(
        "firm_id,short_name,segment,source,year\nnew-t,新企业,pv-film,https://example.org,2024\n",
        "utf-8",
    )
    with make_client(settings, loaded_store) as client:
        revision = client.get("/health").json()["revision"]
        refused = post_zip(client, zipped(part), "replace")
        assert refused.status_code == 422
        assert any("pv-film" in p["message"] for p in refused.json()["error"]["problems"])
        assert client.get("/health").json()["revision"] == revision
        assert post_zip(client, zipped(part), "merge").status_code == 200


def test_api_a_zip_holding_no_dataset_never_empties_the_store(settings, loaded_store) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("wrong-folder/readme.txt", "nothing here")
    with make_client(settings, loaded_store) as client:
        before = client.get("/health").json()
        answer = post_zip(client, buffer.getvalue(), "replace")
        assert answer.status_code == 422, answer.text
        assert client.get("/health").json() == before


def test_api_mode_is_checked(settings, loaded_store, mini_dataset: Path) -> None:
    with make_client(settings, loaded_store) as client:
        answer = post_zip(client, zipped(mini_dataset), "wipe")
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "mode"
    assert "参数 mode 应为以下之一" in answer.json()["error"]["message"]
