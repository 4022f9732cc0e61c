"""The Neo4j back end: ``store`` (the Store), ``statements`` (every Cypher statement, named),
``rows`` (records <-> Cypher rows) and ``errors`` (driver errors -> GraphError)."""

from graph.stores.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
