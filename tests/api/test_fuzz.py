"""Schema-driven fuzzing of the API (schemathesis, in process): no 5xx, no response that
breaks its declared schema. Bounded and derandomised so CI stays fast and repeatable."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from loaders import load_dataset
from tests.api.conftest import TOKEN

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def fuzzed_app():  # noqa: ANN201 - a FastAPI app
    store = MemoryStore()
    load_dataset(MINI, store)
    config = Settings(
        region="xn", token=TOKEN, dataset=MINI, max_page_size=100, max_upload_bytes=100_000
    )
    return create_app(config, store=store)


schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app())
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case) -> None:
    # With the token, so the write routes are explored past authentication too.
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    case.validate_response(response, checks=CHECKS)


KNOWN_GOOD = [
    ("/api/chains", {}, {}),
    ("/api/chains/{chain_id}", {"chain_id": "pv"}, {}),
    ("/api/chains/{chain_id}/gaps", {"chain_id": "li"}, {"kind": "补链"}),
    ("/api/chains/{chain_id}/gaps", {"chain_id": "pv"}, {"map": "pv-map"}),
    ("/api/chains/{chain_id}/targets", {"chain_id": "pv"}, {}),
    ("/api/chains/{chain_id}/targets.xlsx", {"chain_id": "pv"}, {}),
    ("/api/chains/{chain_id}/targets.csv", {"chain_id": "li"}, {}),
    ("/api/targets/export.xlsx", {}, {}),
    ("/api/targets/export.csv", {}, {}),
    ("/api/segments/{segment_id}", {"segment_id": "pv-wafer"}, {"downstream": 3}),
    ("/api/firms", {}, {"q": "硅"}),
    ("/api/firms/{firm_id}", {"firm_id": "ingot-b"}, {}),
    ("/api/maps", {}, {}),
    ("/api/maps/{map_id}", {"map_id": "pv-map"}, {}),
    ("/api/maps/{map_id}/html", {"map_id": "li-map"}, {}),
    ("/api/overview/html", {}, {}),
    ("/api/firms/{firm_id}/html", {"firm_id": "cell-c"}, {}),
    ("/api/projects", {}, {"chain": "pv"}),
    ("/api/kpis", {}, {}),
    ("/api/simulate", {}, {"firm": "anode-g", "segment": "li-anode"}),
    ("/health", {}, {}),
]


def test_known_good_answers_match_their_declared_schema() -> None:
    """Random ids rarely hit real data, so the 200 answers are also checked on real ids."""
    for path, path_parameters, query in KNOWN_GOOD:
        case = schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
        response = case.call()
        assert response.status_code == 200, (path, response.text)
        case.validate_response(response, checks=CHECKS)
