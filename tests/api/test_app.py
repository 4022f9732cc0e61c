"""The app factory and lifespan: opening and closing the store (never filling it); docs."""

from __future__ import annotations

import re

from api.settings import Settings
from graph import MemoryStore, NodeKind
from loaders import load_dataset
from tests.api.conftest import make_client


def test_the_lifespan_never_loads_data_behind_the_users_back(settings: Settings) -> None:
    """Even with CHAINKG_DATASET set and no store at all: only `chainkg serve` does the
    quick start, and says so (tests/api/test_cli_serve.py)."""
    with make_client(settings) as client:
        health = client.get("/health").json()
        gaps = client.get("/api/chains/pv/gaps")
    assert health["chains"] == 0 and not settings.data_file.exists()
    assert gaps.status_code == 404 and gaps.json()["error"]["code"] == "no_dataset"
    assert "chainkg load" in gaps.json()["error"]["message"]


def test_the_lifespan_serves_what_the_data_file_holds(settings: Settings) -> None:
    store = MemoryStore(settings.data_file)
    load_dataset(settings.dataset, store)
    with make_client(settings) as client:
        again = client.get("/health").json()
    assert again["chains"] == 2
    assert again["revision"] == 0, "restored from disk, nothing re-applied"


def test_a_given_store_is_used_and_left_open(settings: Settings) -> None:
    store = MemoryStore()
    with make_client(settings, store) as client:
        assert client.get("/health").json()["chains"] == 0, "a given store is never auto-filled"
    assert store.count(NodeKind.CHAIN) == 0


def test_health_reports_backend_revision_and_write_state(client, settings: Settings) -> None:
    body = client.get("/health").json()
    assert body == {
        "status": "ok",
        "backend": "memory",
        "revision": 1,
        "chains": 2,
        "segments": 11,
        "firms": 9,
        "writes_enabled": True,
    }


def test_docs_page_uses_only_local_assets(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assert urls, "the docs page loads its script and style"
    for url in urls:
        assert url.startswith(("/", "data:")), f"{url} is not local"
        if url.startswith("/"):
            assert client.get(url).status_code == 200, url
    assert "cdn" not in page.text.lower()


def test_swagger_assets_keep_their_licence(client) -> None:
    licence = client.get("/static/swagger/LICENSE")
    assert licence.status_code == 200 and "Apache License" in licence.text


def test_redoc_is_disabled_because_it_needs_a_cdn(client) -> None:
    assert client.get("/redoc").status_code == 404


def test_openapi_documents_every_api_route_with_the_error_shape(client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        "/health",
        "/api/chains",
        "/api/chains/{chain_id}",
        "/api/chains/{chain_id}/gaps",
        "/api/chains/{chain_id}/targets",
        "/api/chains/{chain_id}/targets.xlsx",
        "/api/chains/{chain_id}/targets.csv",
        "/api/targets/export.xlsx",
        "/api/targets/export.csv",
        "/api/segments/{segment_id}",
        "/api/firms",
        "/api/firms/{firm_id}",
        "/api/maps",
        "/api/maps/{map_id}",
        "/api/maps/{map_id}/html",
        "/api/overview/html",
        "/api/firms/{firm_id}/html",
        "/api/projects",
        "/api/kpis",
        "/api/simulate",
        "/api/targets/{firm_id}/{segment_id}/status",
        "/api/import/local-firms",
        "/api/import/targets",
        "/api/import/dataset",
    }
    assert expected <= set(paths)
    for path, operations in paths.items():
        for method, op in operations.items():
            assert "404" in op["responses"] and "422" in op["responses"], (method, path)
            assert op["responses"]["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"
            }
    assert "/" not in paths, "console pages stay out of the API schema"
