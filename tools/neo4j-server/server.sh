# Sourced by .ci/run and with-server.sh: start a scratch Neo4j server in the background and
# export what chainkg and its tests need to reach it; stop it by its process id.
#   neo4j_server_start        sets NEO4J_SERVER_PID, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
#                             NEO4J_DATABASE, CHAINKG_NEO4J_SERVER (this launcher, for the bulk
#                             import tests) and CHAINKG_REQUIRE_NEO4J=1 (tests fail, not skip)
#   neo4j_server_stop         SIGTERM, wait for a clean shutdown, delete the scratch folder
neo4j_server_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

neo4j_server_start() {
  bash "$neo4j_server_dir/run.sh" build
  NEO4J_SERVER_HOME="$(mktemp -d "${TMPDIR:-/tmp}/chainkg-neo4j.XXXXXX")"
  export NEO4J_SERVER_HOME
  local password="ci-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  # A bounded transaction memory (what production should set too): the tests check that a
  # transaction running out of it gets an honest error.
  NEO4J_SERVER_PASSWORD="$password" bash "$neo4j_server_dir/run.sh" start "$NEO4J_SERVER_HOME/db" 0 \
    db.memory.transaction.max=256m db.transaction.timeout=120s \
    > "$NEO4J_SERVER_HOME/bolt.txt" 2> "$NEO4J_SERVER_HOME/server.err" &
  NEO4J_SERVER_PID=$!
  local waited=0
  until grep -q '^bolt://' "$NEO4J_SERVER_HOME/bolt.txt" 2>/dev/null; do
    if ! kill -0 "$NEO4J_SERVER_PID" 2>/dev/null || [ "$waited" -ge 600 ]; then
      echo "Neo4j server did not start (pid $NEO4J_SERVER_PID, ${waited}s):" >&2
      tail -n 40 "$NEO4J_SERVER_HOME/server.err" "$NEO4J_SERVER_HOME/db/logs/"* >&2 2>/dev/null || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  export NEO4J_URI="$(head -n 1 "$NEO4J_SERVER_HOME/bolt.txt")" NEO4J_USER=neo4j
  export NEO4J_PASSWORD="$password" NEO4J_DATABASE=neo4j
  export CHAINKG_NEO4J_SERVER="$neo4j_server_dir/run.sh" CHAINKG_REQUIRE_NEO4J=1
  echo "Neo4j server ready after ${waited}s: $NEO4J_URI (pid $NEO4J_SERVER_PID, data $NEO4J_SERVER_HOME)"
}

neo4j_server_stop() {
  if [ -n "${NEO4J_SERVER_PID:-}" ] && kill -0 "$NEO4J_SERVER_PID" 2>/dev/null; then
    kill -TERM "$NEO4J_SERVER_PID"
    wait "$NEO4J_SERVER_PID" 2>/dev/null || true
    echo "Neo4j server (pid $NEO4J_SERVER_PID) stopped"
  fi
  NEO4J_SERVER_PID=
  if [ -n "${NEO4J_SERVER_HOME:-}" ]; then rm -rf "$NEO4J_SERVER_HOME"; fi
}
