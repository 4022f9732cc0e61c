"""One error handler: 404 with suggestions, 422 naming the field, 413, no stack traces."""

from __future__ import annotations

import pytest

from api.settings import Settings
from graph import BackendUnavailable, MemoryStore
from tests.api.conftest import TOKEN, make_client


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, "every error has the same shape"
    return body["error"]


@pytest.mark.parametrize(
    ("url", "unknown", "suggestion"),
    [
        ("/api/chains/pvv", "pvv", "pv"),
        ("/api/chains/pvv/gaps", "pvv", "pv"),
        ("/api/chains/lii/targets", "lii", "li"),
        ("/api/chains/lii/targets.xlsx", "lii", "li"),
        ("/api/chains/lii/targets.csv", "lii", "li"),
        ("/api/segments/pv-wafr", "pv-wafr", "pv-wafer"),
        ("/api/firms/cell-cc", "cell-cc", "cell-c"),
        ("/api/maps/pv-mapp", "pv-mapp", "pv-map"),
        ("/api/chains/pv/gaps?map=pv-mapp", "pv-mapp", "pv-map"),
        ("/api/chains/pv/targets?segment=pv-wafr", "pv-wafr", "pv-wafer"),
        ("/api/firms?segment=pv-wafr", "pv-wafr", "pv-wafer"),
        ("/api/firms?region=xnn", "xnn", "xn"),
        ("/api/projects?firm=ingot-bb", "ingot-bb", "ingot-b"),
        ("/api/simulate?firm=anode-gg&segment=li-anode", "anode-gg", "anode-g"),
        ("/api/simulate?firm=anode-g&segment=li-anod", "li-anod", "li-anode"),
    ],
)
def test_unknown_ids_are_404_naming_the_id_with_close_matches(client, url, unknown, suggestion):
    response = client.get(url)
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found" and error["id"] == unknown
    assert suggestion in error["suggestions"]
    assert unknown in error["message"] and suggestion in error["message"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/segments/pv-wafer?upstream=5", "upstream"),  # above max_depth=4 (a setting)
        ("/api/segments/pv-wafer?downstream=-1", "downstream"),
        ("/api/segments/pv-wafer?upstream=abc", "upstream"),
        ("/api/firms?limit=101", "limit"),  # above max_page_size=100 (a setting)
        ("/api/firms?limit=0", "limit"),
        ("/api/firms?local=maybe", "local"),
        ("/api/firms?q=" + "x" * 101, "q"),
        ("/api/projects?type=拆链", "type"),
        ("/api/chains/pv/gaps?kind=断链", "kind"),
        ("/api/chains/pv/targets?top=0", "top"),
        ("/api/simulate?firm=anode-g", "segment"),
        ("/api/chains?region=Not%20A%20Slug", "region"),
    ],
)
def test_invalid_parameters_are_422_naming_the_field(client, url: str, field: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_parameter" and error["field"] == field
    assert field in error["message"]


def test_invalid_body_field_is_named(client) -> None:
    response = client.put(
        "/api/targets/film-h/pv-film/status",
        json={"status": "已签约", "date": "2024-13-45"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "body.date"


def test_oversized_upload_is_413_by_declared_length(client, auth) -> None:
    big = b"firm_id,short_name\n" + b"x" * 250_000
    files = {"file": ("targets.csv", big, "text/csv")}
    response = client.post("/api/import/targets", files=files, headers=auth)
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_oversized_chunked_upload_is_413_while_streaming(client, auth) -> None:
    def chunks():
        for _ in range(30):
            yield b"y" * 10_000

    headers = {**auth, "Content-Type": "multipart/form-data; boundary=xyz"}
    response = client.post("/api/import/targets", content=chunks(), headers=headers)
    assert response.status_code == 413, "no Content-Length: counted as it arrives"


def test_unknown_path_is_a_json_404(client) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_wrong_method_is_405_in_the_same_shape(client) -> None:
    response = client.delete("/api/chains")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"


class ExplodingStore(MemoryStore):
    def count(self, kind):  # noqa: ANN001, ANN201 - test double of one failure
        raise RuntimeError("secret internal detail at /srv/chainkg/graph.py line 42")


def test_unexpected_errors_are_500_without_a_trace(settings: Settings) -> None:
    with make_client(settings, ExplodingStore()) as client:
        response = client.get("/health")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text


def test_console_errors_are_html_pages_with_suggestions(client) -> None:
    response = client.get("/chains/pvv", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "未找到" in response.text and 'href="/chains/pv"' in response.text


def test_malformed_multipart_body_is_a_400_in_the_same_shape(client, auth) -> None:
    headers = {**auth, "Content-Type": "multipart/form-data; boundary=xyz"}
    body = b"--xyz\r\n8.0e+208--xyz--\r\n"  # a part without headers (found by fuzzing)
    response = client.post("/api/import/targets", content=body, headers=headers)
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


class UnreachableStore(MemoryStore):
    def count(self, kind):  # noqa: ANN001, ANN201 - test double of one failure
        raise BackendUnavailable("cannot reach neo4j://db:7687 (connection refused)")


def test_an_unreachable_back_end_is_503_with_advice(settings: Settings) -> None:
    with make_client(settings, UnreachableStore()) as client:
        response = client.get("/health")
    assert response.status_code == 503
    error = error_of(response)
    assert error["code"] == "backend_unavailable" and "稍后重试" in error["message"]
    assert "neo4j://db" not in response.text, "connection details stay in the server log"
