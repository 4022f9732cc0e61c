#!/usr/bin/env bash
# Lints Cypher with Neo4j's own parser and semantic analyser (see lint.cjs); exits non-zero on
# any problem. Installs the pinned linter (npm ci) on first use.
#
#   tools/cypher-lint/run.sh                  # every statement chainkg ships (graph/stores/neo4j/statements.py)
#   tools/cypher-lint/run.sh FILE.cypher...   # ';'-separated statements, against our schema
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# graph/stores/neo4j/statements.py needs chainkg's dependencies: prefer the project's virtualenv when there is one
if [ -z "${PYTHON:-}" ] && [ -x "$root/.venv/bin/python" ]; then PYTHON="$root/.venv/bin/python"; fi
python="${PYTHON:-$(command -v python || command -v python3)}"

if [ ! -d "$here/node_modules/@neo4j-cypher/language-support" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

statements="$(mktemp)"
trap 'rm -f "$statements"' EXIT
(cd "$root" && "$python" -m graph.stores.neo4j.statements --json) >"$statements"

if [ "$#" -eq 0 ]; then
  node "$here/lint.cjs" --statements "$statements"
else
  status=0
  for file in "$@"; do
    node "$here/lint.cjs" --schema "$statements" --file "$file" || status=1
  done
  exit "$status"
fi
