"""Chinese first, English on request (API: ?lang=, cookie, Accept-Language; CLI: --lang,
CHAINKG_LANG, never LANG), and hostile input bounded on the API side."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from tests.api.conftest import TOKEN, make_client

CLI = [sys.executable, "-c", "from api.cli import main; main()"]


# ------------------------------------------------------------------------------ API language


def test_api_errors_are_chinese_by_default_and_english_on_request(client) -> None:
    zh = client.get("/api/segments/pv-wafr")
    assert zh.status_code == 404 and zh.headers["content-language"] == "zh"
    assert zh.json()["error"]["message"].startswith("未知的环节编号 'pv-wafr'")
    for extra in (
        {"params": {"lang": "en"}},
        {"cookies": {"lang": "en"}},
        {"headers": {"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}},
    ):
        client.cookies.clear()
        if "cookies" in extra:
            client.cookies.set("lang", "en")
        kwargs = {k: v for k, v in extra.items() if k != "cookies"}
        en = client.get("/api/segments/pv-wafr", **kwargs)
        assert en.headers["content-language"] == "en", extra
        assert en.json()["error"]["message"].startswith("unknown Segment id 'pv-wafr'"), extra
    client.cookies.clear()
    hans = client.get("/api/segments/pv-wafr", headers={"Accept-Language": "zh-Hans,en;q=0.8"})
    assert hans.headers["content-language"] == "zh"


def test_cached_answers_keep_their_language(client) -> None:
    first = client.get("/api/chains/li/gaps?top=1")
    english = client.get("/api/chains/li/gaps?top=1", headers={"Accept-Language": "en"})
    assert first.status_code == english.status_code == 200
    assert first.headers["content-language"] == "zh"
    assert english.headers["content-language"] == "en"


@pytest.mark.parametrize(
    ("query", "zh", "en"),
    [
        ("limit=abc", "参数 limit 应为整数", "limit must be a whole number"),
        ("limit=0", "参数 limit 不能小于 1", "limit must be at least 1"),
        ("region=Bad%20Id", "只能包含小写拉丁字母", "may hold only lower-case latin letters"),
    ],
)
def test_validation_errors_are_reworded_by_type(client, query: str, zh: str, en: str) -> None:
    url = "/api/firms" if "limit" in query else "/api/chains/li/gaps"
    answer = client.get(f"{url}?{query}")
    assert answer.status_code == 422 and zh in answer.json()["error"]["message"]
    assert "Input should be" not in answer.text
    english = client.get(f"{url}?{query}&lang=en")
    assert en in english.json()["error"]["message"]


def test_values_are_never_echoed_in_full(client) -> None:
    answer = client.get("/api/firms", params={"region": "x" * 5000})
    assert answer.status_code == 422 and len(answer.text) < 1000


# -------------------------------------------------------------------------- hostile uploads


def call_asgi(app: Any, headers: list[tuple[bytes, bytes]], chunks: int) -> tuple[int, int]:
    """POST a multipart body of ``chunks`` × 64 KiB straight to the ASGI app; returns the
    status and how many chunks the app asked for."""
    read = 0
    status = 0

    head = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="d.zip"\r\n'
        b"Content-Type: application/zip\r\n\r\n"
    )

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        body = (head if read == 1 else b"") + b"x" * 65536
        return {"type": "http.request", "body": body, "more_body": read < chunks}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/import/dataset",
        "raw_path": b"/api/import/dataset",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"multipart/form-data; boundary=x"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "app": app,
    }
    app.state.store = app.state.store if hasattr(app.state, "store") else MemoryStore()
    with ThreadPoolExecutor(1) as pool:  # a loop of its own, whatever else the session runs
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return status, read


def test_the_token_is_checked_before_any_body_is_read(settings: Settings) -> None:
    app = create_app(settings, store=MemoryStore())
    started = time.perf_counter()
    status, read = call_asgi(app, [(b"authorization", b"Bearer wrong")], chunks=10_000)
    assert status == 401 and read == 0, "the 640 MB body was never read"
    assert time.perf_counter() - started < 5
    status, read = call_asgi(app, [(b"authorization", f"Bearer {TOKEN}".encode())], chunks=100)
    assert status == 413 and read <= 5, "with the token, the size limit stops the stream"


def test_a_declared_oversized_upload_is_refused_in_chinese(client) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    files = {"file": ("big.zip", b"0" * 300_000, "application/zip")}
    answer = client.post("/api/import/dataset", files=files, headers=headers)
    assert answer.status_code == 413
    assert "上传内容超过 0.2 MB 的上限" in answer.json()["error"]["message"]


def test_the_openapi_schema_states_the_limits_the_server_enforces(client, settings) -> None:
    schema = client.get("/openapi.json").json()
    limits = [
        p["schema"]["maximum"]
        for path in schema["paths"].values()
        for op in path.values()
        for p in op.get("parameters", [])
        if p["name"] == "limit"
    ]
    assert limits and set(limits) == {settings.max_page_size}
    upload = schema["paths"]["/api/import/dataset"]["post"]
    assert upload["x-max-upload-bytes"] == settings.max_upload_bytes
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert schema["info"]["x-limits"]["max_page_size"] == settings.max_page_size
    modes = next(p for p in upload["parameters"] if p["name"] == "mode")
    assert modes["schema"]["enum"] == ["merge", "replace"]


def test_a_slow_upload_parse_is_cut_off(settings, loaded_store, mini_dataset, monkeypatch) -> None:
    import api.routes.imports as imports

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        raise AssertionError("not reached in time")

    monkeypatch.setattr(imports, "_parse_zip", slow)
    quick = settings.model_copy(update={"upload_seconds": 0.2})
    with make_client(quick, loaded_store) as client:
        files = {"file": ("d.zip", b"PK", "application/zip")}
        headers = {"Authorization": f"Bearer {TOKEN}"}
        answer = client.post("/api/import/dataset", files=files, headers=headers)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "upload_too_complex"


# ------------------------------------------------------------------------------ CLI language


def run_cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHAINKG_", "NEO4J_"))}
    clean.update({"CHAINKG_DATA_FILE": str(tmp_path / "s.pickle"), "LANG": "en_US.UTF-8", **env})
    return subprocess.run(
        [*CLI, *args], env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_cli_speaks_chinese_by_default_even_under_an_english_locale(tmp_path: Path) -> None:
    result = run_cli(["gaps", "pv"], tmp_path)
    assert result.returncode == 1 and "图谱中还没有数据" in result.stderr
    helped = run_cli(["gaps", "--help"], tmp_path)
    assert "选项" in helped.stdout and "地区编号" in helped.stdout


@pytest.mark.parametrize("how", [["--lang", "en"], ["--lang=en"], []])
def test_the_cli_speaks_english_on_request(tmp_path: Path, how: list[str]) -> None:
    env = {} if how else {"CHAINKG_LANG": "en"}
    result = run_cli([*how, "gaps", "pv"], tmp_path, **env)
    assert result.returncode == 1 and "the store holds no dataset yet" in result.stderr
    helped = run_cli([*how, "gaps", "--help"], tmp_path, **env)
    assert "Options" in helped.stdout and "选项" not in helped.stdout
