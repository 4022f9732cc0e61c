"""Validate docker-compose.yml without a Docker engine: what `docker compose config` checks.

The compose plugin is not installed on our machines, so this interpolates ``${VAR:-default}``
as Compose does (unset variables take their defaults), validates the result against the
Compose Specification with the ``compose-spec`` package (pinned in run.sh), and adds the
cross-reference checks `docker compose config` also makes: every named volume a service
mounts is declared, every ``depends_on`` names a service. Exit status 1 on any problem.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import yaml

VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")


def interpolate(text: str) -> str:
    def value(match: re.Match[str]) -> str:
        return os.environ.get(match.group(1)) or (match.group(2) or "")

    return VARIABLE.sub(value, text).replace("$$", "$")


def cross_reference_problems(spec: dict) -> list[str]:  # type: ignore[type-arg]
    services = spec.get("services") or {}
    declared = set(spec.get("volumes") or {})
    problems = []
    for name, service in services.items():
        for mount in service.get("volumes") or []:
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount.get("source", "")
            if source and not source.startswith((".", "/", "~")) and source not in declared:
                problems.append(f"service {name}: volume {source!r} is not declared")
        for needed in service.get("depends_on") or {}:
            if needed not in services:
                problems.append(f"service {name}: depends_on unknown service {needed!r}")
    return problems


def main(path: str) -> int:
    import compose_spec

    text = interpolate(Path(path).read_text(encoding="utf-8"))
    try:
        compose = compose_spec.PyCompose.from_yaml(text)
        compose.validate()
        compose.validate_volumes()
        compose.validate_networks()
    except Exception as e:  # the binding raises plain ValueErrors naming the field
        print(f"✗ {path}: {e}")
        return 1
    problems = cross_reference_problems(yaml.safe_load(text))
    for problem in problems:
        print(f"✗ {path}: {problem}")
    if not problems:
        print(f"✓ {path}: valid Compose file, services {', '.join(compose.service_names())}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docker-compose.yml"))
