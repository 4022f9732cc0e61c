"""The region comes from the loaded dataset (case region-from-dataset), in the CLI, the API
and the console alike; a region that is not stored is an error listing those that are; an
empty store says how to load a dataset; two regions stored ask to choose one."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph import MemoryStore
from tests.api.conftest import make_client

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASE = FIXTURES / "region-from-dataset"  # /work/shared/cases/region-from-dataset, region xn
SECOND = FIXTURES / "shilishi"  # 示例市: written only from docs/data-format.md (invented)

Run = Callable[..., object]


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch store and no chainkg setting at all (as a new user has)."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("CHAINKG_", "NEO4J_")):
            monkeypatch.delenv(name)
    path = tmp_path / "store" / "graph.pickle"
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(path))
    return path


def cli(*args: str | Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


# ------------------------------------------------------------------------------------ CLI


def test_the_region_analysed_comes_from_the_loaded_dataset(data_file: Path) -> None:
    assert cli("load", CASE).exit_code == 0
    result = cli("gaps", "pv", "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    assert payload["completeness"]["total"] == 7
    assert payload["completeness"]["share"] == pytest.approx(6 / 7, abs=1e-6)  # not 0 %
    assert {g["segment"] for g in payload["gaps"]} >= {"pv-film", "pv-poly"}


@pytest.mark.parametrize("command", [("gaps", "pv"), ("targets", "pv"), ("map", "pv-map")])
def test_a_region_that_is_not_stored_is_an_error_listing_those_that_are(
    data_file: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    assert cli("load", CASE).exit_code == 0
    extra = ("-o", str(tmp_path / "m.html")) if command[0] == "map" else ()
    result = cli(*command, *extra, "--region", "xining")
    assert result.exit_code == 1 and not result.stdout
    assert "未知的区域编号 'xining'；已加载的区域：西宁市（xn）" in result.stderr


def test_chainkg_region_only_overrides_and_is_checked(
    data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("load", CASE).exit_code == 0
    monkeypatch.setenv("CHAINKG_REGION", "shenzhen")
    result = cli("gaps", "pv")
    assert result.exit_code == 1 and "未知的区域编号 'shenzhen'" in result.stderr
    assert cli("gaps", "pv", "--region", "xn").exit_code == 0, "--region wins over the setting"


@pytest.mark.parametrize(
    "command",
    [
        ("gaps", "pv"),
        ("targets", "pv"),
        ("simulate", "anode-g", "--segment", "li-anode"),
        ("map", "--all", "-o", "maps"),
    ],
)
def test_an_empty_store_says_to_load_a_dataset_and_loads_nothing(
    data_file: Path, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINKG_DATASET", str(CASE))  # never silently used, never ignored
    result = cli(*command)
    assert result.exit_code == 1 and not result.stdout
    assert "图谱中还没有数据：请先用 `chainkg load 数据集目录` 加载数据集" in result.stderr
    assert "CHAINKG_DATASET" in result.stderr
    assert not data_file.exists(), "nothing was loaded"


def test_two_regions_stored_and_none_chosen_asks_to_choose(data_file: Path) -> None:
    assert cli("load", CASE).exit_code == 0
    loaded = cli("load", SECOND)
    assert loaded.exit_code == 0 and "2 个地区" in loaded.stderr
    result = cli("gaps", "battery")
    assert result.exit_code == 1
    assert "图谱中有 2 个地区：示例市（sls）、西宁市（xn）" in result.stderr
    assert "--region" in result.stderr
    assert cli("gaps", "battery", "--region", "sls").exit_code == 0


# ------------------------------------------------------------------------------------ API


def api_settings(data_file: Path, **extra: object) -> Settings:
    return Settings(data_file=data_file, **extra)  # type: ignore[arg-type]


def test_the_api_and_the_console_take_the_region_from_the_dataset(data_file: Path) -> None:
    assert cli("load", CASE).exit_code == 0
    with make_client(api_settings(data_file)) as client:
        gaps = client.get("/api/chains/pv/gaps")
        assert gaps.status_code == 200, gaps.text
        assert gaps.json()["completeness"]["share"] == pytest.approx(6 / 7, abs=1e-6)
        page = client.get("/", headers={"accept": "text/html"})
        assert page.status_code == 200 and "西宁市" in page.text
        wrong = client.get("/api/chains/pv/gaps?region=xining")
        assert wrong.status_code == 404
        assert wrong.json()["error"]["suggestions"] == ["xn"]
        assert "已加载的区域：西宁市（xn）" in wrong.json()["error"]["message"]
        console = client.get("/?region=xining", headers={"accept": "text/html"})
        assert console.status_code == 404 and "西宁市（xn）" in console.text


def test_the_api_on_an_empty_store_says_to_load_a_dataset(data_file: Path) -> None:
    with make_client(api_settings(data_file)) as client:
        answer = client.get("/api/chains/pv/gaps")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "no_dataset"
    assert "chainkg load" in answer.json()["error"]["message"]


def test_the_api_with_two_regions_asks_to_choose(data_file: Path) -> None:
    assert cli("load", CASE).exit_code == 0 and cli("load", SECOND).exit_code == 0
    with make_client(api_settings(data_file)) as client:
        answer = client.get("/api/chains/battery/gaps")
        assert answer.status_code == 422
        assert "?region=" in answer.json()["error"]["message"]
        assert client.get("/api/chains/battery/gaps?region=sls").status_code == 200
    with make_client(api_settings(data_file, region="sls")) as client:
        assert client.get("/api/chains/battery/gaps").status_code == 200


# ------------------------------------------------------------------- a second region


XINING = ("西宁", "xining", "青海")
MAP_URL = "/api/maps/battery-map/html"


def test_a_second_region_written_from_the_docs_answers_with_no_setting(
    data_file: Path, tmp_path: Path
) -> None:
    loaded = cli("load", SECOND)
    assert loaded.exit_code == 0, loaded.stderr
    table = cli("gaps", "battery")
    as_json = cli("gaps", "battery", "--format", "json")
    assert table.exit_code == 0 and as_json.exit_code == 0, table.stderr
    payload = json.loads(as_json.stdout)
    gaps = {g["segment"]: g["kind"] for g in payload["gaps"]}
    assert {"bat-cathode", "bat-ess"} <= set(gaps)  # no local firm in 示例市
    assert "bat-separator" in gaps, "a firm in 邻县 is not local to 示例市"
    assert payload["completeness"]["total"] == 5
    maps = cli("map", "--all", "-o", tmp_path / "maps")
    assert maps.exit_code == 0, maps.stderr
    html = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "maps").glob("*.html"))
    assert "示例市" in html
    outputs = [table.stdout, as_json.stdout, loaded.stdout, html]
    with make_client(api_settings(data_file)) as client:
        for url in ("/api/chains", "/api/chains/battery/gaps", "/", "/chains/battery", MAP_URL):
            answer = client.get(url, headers={"accept": "text/html"})
            assert answer.status_code == 200, (url, answer.text[:300])
            outputs.append(answer.text)
        assert "示例市" in outputs[-1] or "示例市" in outputs[-2]
    for text in outputs:
        for word in XINING:
            assert word not in text.lower(), f"{word} shows: {text[:200]}"


def test_serve_never_loads_the_reference_dataset_into_another_dataset(
    data_file: Path,
) -> None:
    from api.backend import quick_start_dataset

    fresh = Settings(data_file=data_file)
    store = MemoryStore(data_file)
    assert quick_start_dataset(store, fresh) is not None, "no store at all: the quick start"
    assert cli("load", SECOND).exit_code == 0
    assert quick_start_dataset(MemoryStore(data_file), fresh) is None
    with_dataset = Settings(data_file=data_file, dataset=CASE)
    assert quick_start_dataset(MemoryStore(data_file), with_dataset) is None
