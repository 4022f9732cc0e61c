"""docker-compose.yml and the Dockerfile start what docs/neo4j.md promises: Neo4j 5 with a
health check, persistence and memory settings, and an API that waits for it and serves the
Xining dataset. (Full schema validation: tools/compose-check/run.sh, no Docker engine needed.)
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "compose-check"))
from check_compose import cross_reference_problems, interpolate  # noqa: E402

COMPOSE = yaml.safe_load(interpolate((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
NEO4J, API = COMPOSE["services"]["neo4j"], COMPOSE["services"]["api"]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_neo4j_is_the_patch_release_ci_runs() -> None:
    """The compose image and the CI server (tools/neo4j-server/pom.xml) are one patch release."""
    pom = (ROOT / "tools" / "neo4j-server" / "pom.xml").read_text(encoding="utf-8")
    pinned = re.search(r"<neo4j.version>(5\.\d+\.\d+)</neo4j.version>", pom)
    assert pinned and NEO4J["image"] == f"neo4j:{pinned.group(1)}-community"


def test_the_health_check_keeps_the_password_off_the_command_line() -> None:
    check = NEO4J["healthcheck"]["test"][1]
    assert "cypher-shell" in check and "'RETURN 1'" in check
    # cypher-shell takes the password from its environment, never from -p/--password.
    assert re.search(r"(^|\s)(-p|--password)\b", check) is None
    assert check.startswith('NEO4J_PASSWORD="${NEO4J_AUTH#neo4j/}" cypher-shell ')


def test_the_password_minimum_is_documented() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    assert "8 characters" in compose and "8 characters" in docs
    assert len(NEO4J["environment"]["NEO4J_AUTH"].split("/", 1)[1]) >= 8


def test_neo4j_keeps_its_data_and_has_memory_settings() -> None:
    assert "neo4j-data:/data" in NEO4J["volumes"] and "neo4j-data" in COMPOSE["volumes"]
    env = NEO4J["environment"]
    for setting in ("heap_max__size", "heap_initial__size", "pagecache_size"):
        assert env[f"NEO4J_server_memory_{setting}"]


def test_the_api_waits_for_a_healthy_neo4j_and_uses_it() -> None:
    assert API["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = API["environment"]
    assert env["CHAINKG_BACKEND"] == "neo4j" and env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"] == NEO4J["environment"]["NEO4J_AUTH"].split("/", 1)[1]


def test_ports_listen_on_this_machine_only() -> None:
    ports = NEO4J["ports"] + API["ports"]
    assert ports and all(p.startswith("127.0.0.1:") for p in ports)


def test_the_image_serves_the_xining_dataset_on_all_interfaces() -> None:
    assert 'CMD ["chainkg", "serve", "--host", "0.0.0.0"' in DOCKERFILE
    dataset = re.search(r"CHAINKG_DATASET=/app/(\S+)", DOCKERFILE)
    assert dataset and (ROOT / dataset.group(1) / "dataset.yaml").is_file()
    assert "COPY data ./data" in DOCKERFILE and "USER chainkg" in DOCKERFILE


def test_named_volumes_and_dependencies_resolve() -> None:
    assert cross_reference_problems(COMPOSE) == []
    broken = {"services": {"api": {"depends_on": {"neo5j": {}}, "volumes": ["gone:/x"]}}}
    assert cross_reference_problems(broken) == [
        "service api: volume 'gone' is not declared",
        "service api: depends_on unknown service 'neo5j'",
    ]


@pytest.mark.skipif(
    importlib.util.find_spec("compose_spec") is None,
    reason="compose-spec is not installed: tools/compose-check/run.sh validates in its own venv",
)
def test_the_file_satisfies_the_compose_specification() -> None:
    import compose_spec

    text = interpolate((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    compose_spec.PyCompose.from_yaml(text).validate()
