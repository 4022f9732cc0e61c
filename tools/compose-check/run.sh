#!/usr/bin/env bash
# Validates docker-compose.yml against the Compose Specification without a Docker engine
# (see check_compose.py). Installs the pinned validator into a private venv on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q compose-spec==0.2.1 PyYAML==6.0.2
fi
"$venv/bin/python" "$here/check_compose.py" "${1:-$root/docker-compose.yml}"
