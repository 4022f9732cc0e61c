#!/usr/bin/env bash
# A real Neo4j 5 Community server (embedded, Bolt on 127.0.0.1) and neo4j-admin, for CI and
# development. Needs Java 17 and Maven; the jars come from Maven Central into ~/.m2 once.
#
#   tools/neo4j-server/run.sh build                  compile, write target/classpath.txt
#   tools/neo4j-server/run.sh start HOME [PORT] [SETTING=VALUE]...
#                                                    serve the database in HOME (PORT 0: a free one);
#                                                    prints bolt://127.0.0.1:PORT when ready,
#                                                    stops cleanly on SIGTERM
#   tools/neo4j-server/run.sh admin HOME ARGS...     neo4j-admin on HOME, e.g.
#                                                    admin HOME database import full neo4j ...
#
# NEO4J_SERVER_PASSWORD (>= 8 characters) turns authentication on for user neo4j; unset: off.
# NEO4J_SERVER_HEAP (default 1g) bounds the JVM heap; NEO4J_SERVER_PAGECACHE (default 512m) the
# page cache. `start` and `admin` exec java, so the process id you get is the JVM's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

java_home() {
  if [ -n "${NEO4J_SERVER_JAVA_HOME:-}" ]; then echo "$NEO4J_SERVER_JAVA_HOME"; return; fi
  for dir in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
    if [ -x "$dir/bin/java" ]; then echo "$dir"; return; fi
  done
  echo "neo4j-server: Java 17 not found (Neo4j 5.26 runs on Java 17 or 21); set NEO4J_SERVER_JAVA_HOME" >&2
  exit 1
}
export JAVA_HOME="$(java_home)"

classpath() {
  if [ ! -f "$here/target/classpath.txt" ] || [ ! -d "$here/target/classes/org" ]; then
    echo "neo4j-server: not built; run $0 build" >&2
    exit 1
  fi
  echo "$here/target/classes:$(cat "$here/target/classpath.txt")"
}

heap="${NEO4J_SERVER_HEAP:-1g}"
cmd="${1:-}"
shift || true
case "$cmd" in
  build)
    (cd "$here" && mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
    ;;
  start)
    home="${1:?usage: run.sh start HOME [PORT]}"
    port="${2:-0}"
    shift 2 || shift $#
    settings=(--conf "server.memory.pagecache.size=${NEO4J_SERVER_PAGECACHE:-512m}")
    for setting in "$@"; do settings+=(--conf "$setting"); done
    exec "$JAVA_HOME/bin/java" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -cp "$(classpath)" org.chainkg.neo4jserver.Server --home "$home" --port "$port" "${settings[@]}"
    ;;
  admin)
    home="${1:?usage: run.sh admin HOME ARGS...}"
    shift
    mkdir -p "$home/conf"
    : > "$home/conf/neo4j.conf"  # neo4j-admin reads its settings from here; defaults suffice
    NEO4J_HOME="$(cd "$home" && pwd)" NEO4J_CONF="$(cd "$home/conf" && pwd)" \
      exec "$JAVA_HOME/bin/java" -Xms"$heap" -Xmx"$heap" -cp "$(classpath)" org.neo4j.cli.AdminTool "$@"
    ;;
  *)
    sed -n '2,15p' "$0" >&2
    exit 2
    ;;
esac
