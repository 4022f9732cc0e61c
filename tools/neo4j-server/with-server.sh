#!/usr/bin/env bash
# Run a command against a fresh scratch Neo4j 5 server, as CI does, e.g.
#   tools/neo4j-server/with-server.sh .venv/bin/python -m pytest tests/graph
# The server (and its data) is gone when the command ends.
set -euo pipefail
source "$(dirname "$0")/server.sh"
trap neo4j_server_stop EXIT
neo4j_server_start
"$@"
