"""The back ends of the storage port (``graph.store.Store``), one place each.

- ``graph.stores.memory``: the in-process networkx store (zero setup, the test double);
- ``graph.stores.neo4j``: the Neo4j store, its Cypher statements, row mapping and error
  translation.

Nothing here is imported by ``graph.store`` or the analysis: back ends depend on the core,
never the other way round.
"""
