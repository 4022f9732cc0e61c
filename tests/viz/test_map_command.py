"""``chainkg map`` as an officer runs it: one file per map, or a folder that opens from disk."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app

VIZ = Path(__file__).resolve().parents[2] / "viz"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_dataset: Path) -> CliRunner:
    """A runner in an empty directory on a store holding the mini dataset (`chainkg load`);
    the region (xn) comes from the dataset itself."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("CHAINKG_", "NEO4J_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CHAINKG_DATA_FILE", str(tmp_path / "graph.pickle"))
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(mini_dataset)]).exit_code == 0
    return runner


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["map", *(str(a) for a in args)])
    return result.exit_code, result.stdout, result.stderr


def test_one_map_is_written_to_the_named_file(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "pv-map", "-o", tmp_path / "out" / "光伏.html")
    assert code == 0, out
    html = (tmp_path / "out" / "光伏.html").read_text(encoding="utf-8")
    assert "<title>光伏制造招商图谱</title>" in html and "✓" in out


@pytest.mark.parametrize("item", ["pv", "ingot-b", "overview"])
def test_a_chain_a_firm_or_the_overview_can_be_drawn_into_a_folder(
    runner: CliRunner, tmp_path: Path, item: str
) -> None:
    code, out, _ = run(runner, item, "-o", tmp_path)
    assert code == 0, out
    assert (tmp_path / f"{item}.html").stat().st_size > 600_000  # vis-network inlined


def test_all_maps_and_an_index_linking_them_are_exported(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "--all", "-o", tmp_path / "maps")
    assert code == 0, out
    written = sorted(p.name for p in (tmp_path / "maps").iterdir())
    assert written == ["index.html", "li-map.html", "overview.html", "pv-map.html"]
    index = (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', index)
    assert links == ["li-map.html", "pv-map.html", "overview.html"]  # maps by id, then overview
    assert "<title>西宁市产业链招商图谱</title>" in index
    assert "环节</span> 6" in index  # the pv map's summary
    for page in (tmp_path / "maps").iterdir():
        assert not re.search(r"https?://", page.read_text(encoding="utf-8")), page.name


def test_an_unknown_id_names_the_closest_ones(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "pv-mapp", "-o", tmp_path / "x.html")
    assert code == 1
    assert "未知的图谱、产业链或企业编号 'pv-mapp'；您是否要找：pv-map" in err
    assert not (tmp_path / "x.html").exists()


def test_a_segment_id_is_refused_with_what_to_give_instead(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, _, err = run(runner, "pv-wafer", "-o", tmp_path / "x.html")
    assert code == 1
    assert "'pv-wafer' 是环节：请给出图谱编号、产业链编号、企业编号或 overview" in err


@pytest.mark.parametrize("args", [["-o", "x.html"], ["pv-map", "--all", "-o", "d"]])
def test_either_an_id_or_all_is_required(runner: CliRunner, args: list[str]) -> None:
    code, _, err = run(runner, *args)
    assert code == 1
    assert "请给出一个图谱编号或 --all（二选一）" in err


def test_the_command_has_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["map", "--help"])
    assert result.exit_code == 0
    assert "--all" in result.stdout and "离线" in result.stdout  # Chinese by default


ALLOWED = {"graph.analysis", "graph.errors", "graph.schema", "viz", "jinja2", "markupsafe"}
ALLOWED |= {"orjson", "networkx", "__future__", "collections", "dataclasses", "enum", "typing"}
ALLOWED |= {"functools", "pathlib", "base64", "hashlib", "gc", "os", "tempfile", "contextlib"}
ALLOWED |= {"random", "itertools", "unicodedata", "pyvis"}  # pyvis: viz.notebook, lazily


def test_viz_is_a_sink_it_imports_no_store_api_loader_or_network_code() -> None:
    for module in VIZ.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert any(name == a or name.startswith(a + ".") for a in ALLOWED), (
                    f"{module.name} imports {name}"
                )
