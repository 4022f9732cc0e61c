"""The Neo4j back end: ``store`` (``Neo4jStore``, the Store), ``statements`` (every Cypher
statement, named), ``rows`` (records <-> Cypher rows) and ``errors`` (driver errors ->
GraphError). Nothing is imported here, so ``python -m graph.stores.neo4j.statements`` runs
without the driver's side of the package."""
