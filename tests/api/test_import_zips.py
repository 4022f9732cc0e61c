"""The dataset import route reads zips through loaders/archive.py: a PowerShell 5.1 zip
(backslash paths) imports like a normal one; a zip with no dataset is a 422 that says what
was expected, never ``{"nodes": 0}`` with HTTP 200 (cases zip-backslash-paths, zip-gbk-names)."""

from __future__ import annotations

from pathlib import Path

CASES = Path(__file__).parents[1] / "fixtures" / "cases"


def post_zip(client, auth, path: Path):
    files = {"file": (path.name, path.read_bytes(), "application/zip")}
    return client.post("/api/import/dataset", files=files, headers=auth)


def test_a_powershell_zip_imports_like_a_normal_one(client, auth) -> None:
    ok = post_zip(client, auth, CASES / "zip-backslash-paths/dataset-ok.zip")
    ps = post_zip(client, auth, CASES / "zip-backslash-paths/dataset-ps51.zip")
    assert ok.status_code == ps.status_code == 200
    assert ps.json()["nodes"] == ok.json()["nodes"] == 31


def test_a_zip_without_a_dataset_is_refused_saying_what_was_expected(client, auth) -> None:
    before = client.get("/health").json()["revision"]
    response = post_zip(client, auth, CASES / "zip-backslash-paths/wrong-folder.zip")
    assert response.status_code == 422
    message = response.json()["error"]["problems"][0]["message"]
    assert "dataset.yaml" in message and "chains/*.yaml" in message
    assert client.get("/health").json()["revision"] == before


def test_problems_in_a_gbk_named_zip_name_the_chinese_file(client, auth) -> None:
    response = post_zip(client, auth, CASES / "zip-gbk-names/gbk.zip")
    assert response.status_code == 422
    [problem] = response.json()["error"]["problems"]
    assert (problem["file"], problem["line"], problem["field"]) == ("chains/光伏.yaml", 9, "stage")


def test_the_alias_bomb_upload_gets_a_short_answer(client, auth) -> None:
    response = post_zip(client, auth, CASES / "yaml-alias-bomb/laughs_kpis_d6.zip")
    assert response.status_code == 422
    assert len(response.content) < 2000  # was 144 MB
    [problem] = response.json()["error"]["problems"]
    assert (problem["file"], problem["line"]) == ("kpis.yaml", 3)
