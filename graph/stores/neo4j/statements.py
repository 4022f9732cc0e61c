"""Every Cypher statement chainkg sends to Neo4j, named, in one place.

Values only ever travel as ``$parameters``. Labels and relationship types are never taken from
data: they come from the ``NodeKind`` / ``RelType`` enums of the schema, so the per-kind and
per-type families below are generated once, at import, from those enums. Every node carries
the common label ``:Node`` (unique ``id``) plus its kind as a second label; lookups by id go
through ``:Node`` so they hit the uniqueness constraint's index.

``python -m graph.stores.neo4j.statements --json`` prints every statement with its parameters
and the schema (labels, relationship types, property keys), for Neo4j's own linter
(tools/cypher-lint).

>>> MERGE_EDGES[RelType.SUPPLIES].params
('rows',)
>>> statement("node_by_id").access
'read'
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from typing import Any, Literal

from graph.schema import EDGE_MODELS, NODE_MODELS, NodeKind, RelType

NODE = "Node"  # the label every chainkg node carries
META = "ChainkgMeta"  # bookkeeping (the revision counter); never a graph node
REVISION_KEY = "revision"
NATIONAL_KEY = "national"  # the generation of the national pool that reads see
GEN = "chainkg_gen"  # on national nodes and relationships: the load that wrote them

Access = Literal["read", "write", "schema"]
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Statement:
    name: str
    purpose: str
    text: str
    access: Access

    @property
    def params(self) -> tuple[str, ...]:
        """The ``$parameters`` the statement expects, in order of first use."""
        return tuple(dict.fromkeys(_PARAM.findall(self.text)))

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "purpose": self.purpose,
            "access": self.access,
            "params": list(self.params),
            "text": self.text,
        }


def _token(value: NodeKind | RelType) -> str:
    """A label or relationship type, only ever from the schema enums."""
    if not isinstance(value, NodeKind | RelType) or not _IDENTIFIER.match(value.value):
        raise ValueError(f"{value!r} is not a schema label or relationship type")
    return value.value


def _region_of(var: str) -> str:
    """The region a site node stands for, as ``MemoryStore.site_region`` computes it."""
    return f"CASE WHEN {var}:Park THEN {var}.region WHEN {var}:Region THEN {var}.id ELSE '' END"


_EDGE_ROW = "a.id AS src, b.id AS dst, properties(r) AS props"
_COUNTS = "count(*) AS written, count(CASE WHEN same THEN NULL ELSE 1 END) AS changed"

# ------------------------------------------------------------------------------ schema

CONSTRAINT_NODE_ID = Statement(
    "constraint_node_id",
    "unique node ids; its index serves every lookup by id",
    f"CREATE CONSTRAINT chainkg_node_id IF NOT EXISTS FOR (n:{NODE}) REQUIRE n.id IS UNIQUE",
    "schema",
)
CONSTRAINT_META_KEY = Statement(
    "constraint_meta_key",
    "one bookkeeping node per key (the revision counter)",
    f"CREATE CONSTRAINT chainkg_meta_key IF NOT EXISTS FOR (m:{META}) REQUIRE m.key IS UNIQUE",
    "schema",
)
INDEX_OPERATES_IN_REGION = Statement(
    "index_operates_in_region",
    "OPERATES_IN by the region of its site (the `region` property the store derives on write), "
    "so a region's operations are found without expanding every operation nationwide",
    "CREATE INDEX chainkg_operates_in_region IF NOT EXISTS FOR ()-[r:OPERATES_IN]-() ON (r.region)",
    "schema",
)
TEXT_INDEX = "chainkg_text"
INDEX_TEXT = Statement(
    "index_text",
    "full-text index over ids, names, full names, aliases and stock codes of every chainkg "
    "node: search, and 'did you mean' hints when get() misses",
    f"CREATE FULLTEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (n:{NODE}) "
    "ON EACH [n.id, n.name, n.full_name, n.aliases, n.stock_code]",
    "schema",
)
FIRM_SEARCH_INDEX = "chainkg_firm_search"
INDEX_FIRM_SEARCH = Statement(
    "index_firm_search",
    "full-text index over the search keys of every Firm (graph.search.search_keys, stored as "
    "search_* properties): normalised names/ids/stock codes, pinyin and initials -- search()",
    f"CREATE FULLTEXT INDEX {FIRM_SEARCH_INDEX} IF NOT EXISTS FOR (n:Firm) "
    "ON EACH [n.search_names, n.search_pinyin, n.search_initials]",
    "schema",
)
FOLLOWUP = "ChainkgFollowUp"  # 跟进记录 of a target-list entry; not a graph node (no :Node)
FOLLOWUP_LOCK_KEY = "followup_seq"  # the meta node add_followup locks while numbering
INDEX_FOLLOWUP_FIRM = Statement(
    "index_followup_firm",
    "the follow-up log of one firm without reading the whole log",
    f"CREATE INDEX chainkg_followup_firm IF NOT EXISTS FOR (f:{FOLLOWUP}) ON (f.firm)",
    "schema",
)
SCHEMA = (
    CONSTRAINT_NODE_ID,
    CONSTRAINT_META_KEY,
    INDEX_OPERATES_IN_REGION,
    INDEX_TEXT,
    INDEX_FIRM_SEARCH,
    INDEX_FOLLOWUP_FIRM,
)
AWAIT_INDEXES = Statement(
    "await_indexes",
    "wait (up to $seconds) until every index is online, after creating them",
    "CALL db.awaitIndexes($seconds)",
    "schema",
)

# ------------------------------------------------------------------------------ writes


def merge_nodes(kind: NodeKind) -> Statement:
    label = _token(kind)
    return Statement(
        f"merge_nodes.{kind.value}",
        f"upsert a batch of {kind.value} nodes by id, replacing their properties; "
        "counts the rows that change something (a repeated batch is a no-op)",
        f"UNWIND $rows AS row OPTIONAL MATCH (old:{NODE} {{id: row.id}}) "
        f"WITH row, old IS NOT NULL AND old:{label} AND properties(old) = row.props AS same "
        f"MERGE (n:{NODE} {{id: row.id}}) SET n:{label}, n = row.props "
        f"RETURN {_COUNTS}",
        "write",
    )


def merge_edges(rel: RelType) -> Statement:
    rel_type = _token(rel)
    if rel == RelType.OPERATES_IN:
        return _merge_operations()
    return Statement(
        f"merge_edges.{rel.value}",
        f"upsert a batch of {rel.value} relationships by (src, dst), replacing their "
        "properties; counts the rows that change something",
        f"UNWIND $rows AS row MATCH (a:{NODE} {{id: row.src}}) MATCH (b:{NODE} {{id: row.dst}}) "
        f"OPTIONAL MATCH (a)-[old:{rel_type}]->(b) "
        "WITH a, b, row, old IS NOT NULL AND properties(old) = row.props AS same "
        f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props RETURN {_COUNTS}",
        "write",
    )


def _merge_operations() -> Statement:
    """OPERATES_IN also gets ``region``, the region its site stands for ('' if none), written
    with the edge and indexed (``index_operates_in_region``)."""
    return Statement(
        "merge_edges.OPERATES_IN",
        "upsert a batch of OPERATES_IN relationships by (src, dst), replacing their properties "
        "and deriving `region` from the site; counts the rows that change something",
        f"UNWIND $rows AS row MATCH (a:{NODE} {{id: row.src}}) MATCH (b:{NODE} {{id: row.dst}}) "
        f"OPTIONAL MATCH (site:{NODE} {{id: row.props.site}}) "
        f"WITH a, b, row.props AS props, {_region_of('site')} AS region "
        "OPTIONAL MATCH (a)-[old:OPERATES_IN]->(b) "
        "WITH a, b, props, region, "
        "old IS NOT NULL AND properties(old) = props {.*, region: region} AS same "
        "MERGE (a)-[r:OPERATES_IN]->(b) SET r = props, r.region = region "
        f"RETURN {_COUNTS}",
        "write",
    )


SET_TARGET_STATUS = Statement(
    "set_target_status",
    "move one target-list entry along the pipeline",
    f"MATCH (:{NODE} {{id: $firm}})-[r:TARGETED_FOR]->(:{NODE} {{id: $segment}}) "
    "SET r.status = $status, r.status_date = $date, r.status_note = $note "
    "RETURN properties(r) AS props",
    "write",
)
BUMP_REVISION = Statement(
    "bump_revision",
    "count an accepted write, in the same transaction as the write",
    f"MERGE (m:{META} {{key: $key}}) SET m.value = coalesce(m.value, 0) + 1 "
    "RETURN m.value AS revision",
    "write",
)
SET_TARGET_PLAN = Statement(
    "set_target_plan",
    "set 负责人 and/or 下次联系日期 of one target-list entry (a null parameter leaves it)",
    f"MATCH (:{NODE} {{id: $firm}})-[r:TARGETED_FOR]->(:{NODE} {{id: $segment}}) "
    "SET r.owner = coalesce($owner, r.owner), "
    "r.next_contact = coalesce($next_contact, r.next_contact) "
    "RETURN properties(r) AS props",
    "write",
)
TARGET_ENTRY = Statement(
    "target_entry",
    "whether the target-list entry $firm -> $segment exists (before a follow-up is added)",
    f"MATCH (:{NODE} {{id: $firm}})-[r:TARGETED_FOR]->(:{NODE} {{id: $segment}}) "
    "RETURN count(r) AS found",
    "read",
)
ADD_FOLLOWUP = Statement(
    "add_followup",
    "append one follow-up; seq = 1 + the largest stored, under the write lock of a meta node "
    "so concurrent appends never share a seq",
    f"MERGE (m:{META} {{key: $lock}}) SET m.value = coalesce(m.value, 0) + 1 "
    f"WITH m OPTIONAL MATCH (old:{FOLLOWUP}) "
    "WITH coalesce(max(old.seq), 0) + 1 AS seq "
    f"CREATE (f:{FOLLOWUP} {{firm: $firm, segment: $segment, seq: seq, date: $date, "
    "text: $text, author: $author}) RETURN seq",
    "write",
)
DELETE_FOLLOWUPS = Statement(
    "delete_followups",
    "clear(): delete up to $limit follow-ups (called until 0)",
    f"MATCH (f:{FOLLOWUP}) WITH f LIMIT $limit DELETE f RETURN count(*) AS deleted",
    "write",
)
DELETE_SOME_NODES = Statement(
    "delete_some_nodes",
    "clear(): delete up to $limit chainkg nodes with their relationships (called until 0)",
    f"MATCH (n:{NODE}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
    "write",
)


# ---- load_national: written in batches under a new generation, switched to in one write
SET_META = Statement(
    "set_meta",
    "load_national's switch-over: make generation $value the national pool reads see",
    f"MERGE (m:{META} {{key: $key}}) SET m.value = $value RETURN m.value AS value",
    "write",
)


def merge_national_nodes(kind: NodeKind) -> Statement:
    return Statement(
        f"merge_national_nodes.{kind.value}",
        f"load_national: upsert a batch of {kind.value} nodes, marked with generation $gen",
        f"UNWIND $rows AS row MERGE (n:{NODE} {{id: row.id}}) "
        f"SET n:{_token(kind)}, n = row.props, n.{GEN} = $gen RETURN count(*) AS written",
        "write",
    )


def create_national_edges(rel: RelType) -> Statement:
    return Statement(
        f"create_national_edges.{rel.value}",
        f"load_national: add a batch of {rel.value} relationships of generation $gen, beside "
        "the current generation's (which reads keep seeing until the switch-over)",
        f"UNWIND $rows AS row MATCH (a:{NODE} {{id: row.src}}) MATCH (b:{NODE} {{id: row.dst}}) "
        f"CREATE (a)-[r:{_token(rel)}]->(b) SET r = row.props, r.{GEN} = $gen "
        "RETURN count(*) AS written",
        "write",
    )


def delete_stale_edges(rel: RelType) -> Statement:
    return Statement(
        f"delete_stale_edges.{rel.value}",
        f"load_national, after the switch-over: delete up to $limit {rel.value} relationships "
        "of any generation but $gen",
        f"MATCH (:{NODE})-[r:{_token(rel)}]->(:{NODE}) WHERE coalesce(r.{GEN}, 0) <> $gen "
        "WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted",
        "write",
    )


def delete_stale_nodes(kind: NodeKind) -> Statement:
    return Statement(
        f"delete_stale_nodes.{kind.value}",
        f"load_national, after the switch-over: delete up to $limit {kind.value} nodes the "
        "new generation $gen did not write",
        f"MATCH (n:{NODE}:{_token(kind)}) WHERE coalesce(n.{GEN}, 0) <> $gen "
        "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
        "write",
    )


DELETE_SOME_MATCHES = Statement(
    "delete_some_matches",
    "replace_matches / load_national: delete up to $limit MATCHES relationships (until 0)",
    f"MATCH (:{NODE}:Segment)-[r:MATCHES]->(:{NODE}:Product) WITH r LIMIT $limit DELETE r "
    "RETURN count(*) AS deleted",
    "write",
)

# ---- replace_dataset: the curated dataset replaced whole, the national pool kept
_NATIONAL_FIRM = "(n:Firm AND EXISTS { (n)-[:MAKES|IN_INDUSTRY]->(:Node) })"
_KEPT = f"(n:Product OR n:Industry OR {_NATIONAL_FIRM})"
KEPT_KINDS_OF_IDS = Statement(
    "kept_kinds_of_ids",
    "replace_dataset: labels of the nodes among $ids that a dataset replacement keeps (the "
    "national pool: products, industries, the firms its relations name)",
    f"UNWIND $ids AS id MATCH (n:{NODE} {{id: id}}) WHERE {_KEPT} "
    "RETURN n.id AS id, labels(n) AS labels",
    "read",
)
DELETE_REPLACED_NODES = Statement(
    "delete_replaced_nodes",
    "replace_dataset: delete the chainkg nodes that are neither in $ids nor kept, with their "
    "relationships",
    f"MATCH (n:{NODE}) WHERE NOT n.id IN $ids AND NOT {_KEPT} "
    "DETACH DELETE n RETURN count(*) AS deleted",
    "write",
)


def delete_replaced_edges(rel: RelType) -> Statement:
    return Statement(
        f"delete_replaced_edges.{rel.value}",
        f"replace_dataset: delete the {rel.value} relationships whose (src, dst) key is not "
        "among $keys",
        f"MATCH (a:{NODE})-[r:{_token(rel)}]->(b:{NODE}) "
        "WHERE NOT [a.id, b.id] IN $keys DELETE r RETURN count(*) AS deleted",
        "write",
    )


# ------------------------------------------------------------------------------ reads

READ_REVISION = Statement(
    "read_revision",
    "the revision counter (0 before the first write)",
    f"OPTIONAL MATCH (m:{META} {{key: $key}}) RETURN coalesce(m.value, 0) AS revision",
    "read",
)
KINDS_OF_IDS = Statement(
    "kinds_of_ids",
    "labels of the stored nodes among $ids, to check a batch before writing it",
    f"UNWIND $ids AS id MATCH (n:{NODE} {{id: id}}) RETURN n.id AS id, labels(n) AS labels",
    "read",
)
NODE_BY_ID = Statement(
    "node_by_id",
    "one node by id, with its labels (get / find)",
    f"MATCH (n:{NODE} {{id: $id}}) RETURN labels(n) AS labels, properties(n) AS props",
    "read",
)
NEAR_IDS = Statement(
    "near_ids",
    "up to $limit ids of nodes whose id or name is close to $query (a Lucene query of fuzzy "
    "terms) through the full-text index, with labels: 'did you mean' hints when get() misses",
    "CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score "
    f"WHERE node:{NODE} RETURN node.id AS id, labels(node) AS labels LIMIT $limit",
    "read",
)
SEARCH = Statement(
    "search",
    "up to $limit nodes of label $label matching $query (a Lucene query) through the "
    "full-text index, best first",
    "CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score "
    f"WHERE node:{NODE} AND $label IN labels(node) "
    "RETURN properties(node) AS props, score LIMIT $limit",
    "read",
)


def nodes_of(kind: NodeKind) -> Statement:
    return Statement(
        f"nodes_of.{kind.value}",
        f"every {kind.value} node (nodes)",
        f"MATCH (n:{NODE}:{_token(kind)}) RETURN properties(n) AS props",
        "read",
    )


def count_nodes(kind: NodeKind) -> Statement:
    return Statement(
        f"count_nodes.{kind.value}",
        f"number of chainkg {kind.value} nodes",
        f"MATCH (n:{NODE}:{_token(kind)}) RETURN count(n) AS count",
        "read",
    )


def count_edges(rel: RelType) -> Statement:
    return Statement(
        f"count_edges.{rel.value}",
        f"number of {rel.value} relationships between chainkg nodes",
        f"MATCH (:{NODE})-[r:{_token(rel)}]->(:{NODE}) RETURN count(r) AS count",
        "read",
    )


def edges_of(rel: RelType) -> Statement:
    return Statement(
        f"edges_of.{rel.value}",
        f"every {rel.value} relationship (edges: export and stats)",
        f"MATCH (a:{NODE})-[r:{_token(rel)}]->(b:{NODE}) RETURN {_EDGE_ROW}",
        "read",
    )


def neighbours_out(rel: RelType) -> Statement:
    return Statement(
        f"neighbours_out.{rel.value}",
        f"{rel.value} relationships leaving one node",
        f"MATCH (a:{NODE} {{id: $id}})-[r:{_token(rel)}]->(b:{NODE}) RETURN {_EDGE_ROW}",
        "read",
    )


def neighbours_in(rel: RelType) -> Statement:
    return Statement(
        f"neighbours_in.{rel.value}",
        f"{rel.value} relationships entering one node",
        f"MATCH (a:{NODE})-[r:{_token(rel)}]->(b:{NODE} {{id: $id}}) RETURN {_EDGE_ROW}",
        "read",
    )


CHAIN_SEGMENTS = Statement(
    "chain_segments",
    "segments PART_OF a chain, shared ones included",
    f"MATCH (:{NODE}:Chain {{id: $chain}})<-[:PART_OF]-(s:{NODE}:Segment) "
    "RETURN properties(s) AS props",
    "read",
)
SUPPLIES_TOUCHING = Statement(
    "supplies_touching",
    "SUPPLIES relationships with at least one end among $segments, each once",
    f"UNWIND $segments AS segment MATCH (:{NODE} {{id: segment}})-[r:SUPPLIES]-(:{NODE}) "
    "WITH DISTINCT r "
    "RETURN startNode(r).id AS src, endNode(r).id AS dst, properties(r) AS props",
    "read",
)
OPERATIONS = Statement(
    "operations",
    "OPERATES_IN into $segments, wherever they are sited",
    f"UNWIND $segments AS segment "
    f"MATCH (a:{NODE})-[r:OPERATES_IN]->(b:{NODE} {{id: segment}}) RETURN {_EDGE_ROW}",
    "read",
)
OPERATIONS_IN_REGION = Statement(
    "operations_in_region",
    "OPERATES_IN into $segments sited in $region (the region or one of its parks): found "
    "through the index on the derived `region` property, so the cost follows the region's "
    "operations, not every operation of those segments nationwide",
    f"MATCH (a:{NODE})-[r:OPERATES_IN {{region: $region}}]->(b:{NODE}) "
    "USING INDEX r:OPERATES_IN(region) "
    f"WHERE b.id IN $segments RETURN {_EDGE_ROW}",
    "read",
)
TOP_OPERATIONS = Statement(
    "top_operations",
    "the $limit OPERATES_IN into $segment with the largest capacity (unknown last, ties by "
    "firm id), leaving out those sited in $outside (null: none left out)",
    f"MATCH (a:{NODE})-[r:OPERATES_IN]->(b:{NODE} {{id: $segment}}) "
    "WHERE $outside IS NULL OR r.region <> $outside "
    f"RETURN {_EDGE_ROW} ORDER BY r.capacity IS NULL, r.capacity DESC, a.id LIMIT $limit",
    "read",
)
TARGETS = Statement(
    "targets",
    "target-list entries (TARGETED_FOR) for $segments",
    f"UNWIND $segments AS segment "
    f"MATCH (a:{NODE})-[r:TARGETED_FOR]->(b:{NODE} {{id: segment}}) RETURN {_EDGE_ROW}",
    "read",
)
NATIONAL_OFFERS = Statement(
    "national_offers",
    "firms making a product that $segments match (Segment-MATCHES->Product<-MAKES-Firm); "
    "the best product per firm is chosen in Python by store_rules.pick_national",
    f"OPTIONAL MATCH (meta:{META} {{key: $gen_key}}) WITH coalesce(meta.value, 0) AS gen "
    f"UNWIND $segments AS segment "
    f"MATCH (:{NODE} {{id: segment}})-[:MATCHES]->(p:{NODE})<-[m:MAKES]-(f:{NODE}) "
    f"WHERE coalesce(m.{GEN}, 0) = gen "
    "RETURN segment, p.id AS product, f.id AS firm, m.weight AS weight",
    "read",
)
# ---- a chain view in one read transaction of a constant number of statements (chain_view)
VIEW_CHAIN = Statement(
    "view_chain",
    "chain_view: the chain and its segments (PART_OF, shared ones included)",
    f"MATCH (c:{NODE}:Chain {{id: $chain}}) "
    f"OPTIONAL MATCH (c)<-[:PART_OF]-(s:{NODE}:Segment) "
    "RETURN properties(c) AS chain, collect(properties(s)) AS segments",
    "read",
)
VIEW_SUPPLIES = Statement(
    "view_supplies",
    "chain_view: SUPPLIES touching $segments, each once, with both end segments",
    f"UNWIND $segments AS segment MATCH (:{NODE} {{id: segment}})-[r:SUPPLIES]-(:{NODE}) "
    "WITH DISTINCT r WITH r, startNode(r) AS a, endNode(r) AS b "
    "RETURN a.id AS src, b.id AS dst, properties(r) AS props, "
    "properties(a) AS src_node, properties(b) AS dst_node",
    "read",
)
VIEW_OPERATIONS = Statement(
    "view_operations",
    "chain_view: OPERATES_IN into $segments sited in $region (region index), with the firm",
    f"MATCH (a:{NODE})-[r:OPERATES_IN {{region: $region}}]->(b:{NODE}) "
    "USING INDEX r:OPERATES_IN(region) "
    f"WHERE b.id IN $segments RETURN {_EDGE_ROW}, properties(a) AS firm",
    "read",
)
VIEW_TARGETS = Statement(
    "view_targets",
    "chain_view: target-list entries (TARGETED_FOR) for $segments, with the firm",
    f"UNWIND $segments AS segment "
    f"MATCH (a:{NODE})-[r:TARGETED_FOR]->(b:{NODE} {{id: segment}}) "
    f"RETURN {_EDGE_ROW}, properties(a) AS firm",
    "read",
)
VIEW_PROJECTS = Statement(
    "view_projects",
    "chain_view: projects that FILL $segments",
    f"UNWIND $segments AS segment "
    f"MATCH (p:{NODE}:Project)-[:FILLS]->(:{NODE} {{id: segment}}) "
    "RETURN segment, properties(p) AS props",
    "read",
)
VIEW_MAPS = Statement(
    "view_maps",
    "chain_view: chain maps that SHOW any of $segments, each once",
    f"UNWIND $segments AS segment "
    f"MATCH (m:{NODE}:ChainMap)-[:SHOWS]->(:{NODE} {{id: segment}}) "
    "RETURN DISTINCT properties(m) AS props",
    "read",
)
VIEW_CHAINS = Statement(
    "view_chains",
    "chain_view: the chains among $ids (the chains of the view's segments and neighbours)",
    f"UNWIND $ids AS id MATCH (c:{NODE}:Chain {{id: id}}) RETURN properties(c) AS props",
    "read",
)
VIEW = (
    *(VIEW_CHAIN, VIEW_SUPPLIES, VIEW_OPERATIONS, VIEW_TARGETS, VIEW_PROJECTS, VIEW_MAPS),
    VIEW_CHAINS,
)

SITE_REGION = Statement(
    "site_region",
    "the region a site (park or region id) stands for; '' when unknown",
    f"OPTIONAL MATCH (n:{NODE} {{id: $site}}) RETURN {_region_of('n')} AS region",
    "read",
)
SERVER_INFO = Statement(
    "server_info",
    "server name, version and edition, for `chainkg neo4j-check`",
    "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition",
    "read",
)

NATIONAL_KINDS = (NodeKind.PRODUCT, NodeKind.INDUSTRY)  # replaced whole by load_national
MERGE_NATIONAL_NODES = {kind: merge_national_nodes(kind) for kind in NATIONAL_KINDS}
DELETE_STALE_NODES = {kind: delete_stale_nodes(kind) for kind in NATIONAL_KINDS}


def _national_rels() -> tuple[RelType, ...]:
    from graph.national import NATIONAL_RELS  # graph.national imports graph.store

    return tuple(NATIONAL_RELS)


CREATE_NATIONAL_EDGES = {rel: create_national_edges(rel) for rel in _national_rels()}
DELETE_STALE_EDGES = {rel: delete_stale_edges(rel) for rel in _national_rels()}
MERGE_NODES = {kind: merge_nodes(kind) for kind in NodeKind}
MERGE_EDGES = {rel: merge_edges(rel) for rel in RelType}
NODES_OF = {kind: nodes_of(kind) for kind in NodeKind}
DELETE_REPLACED_EDGES = {rel: delete_replaced_edges(rel) for rel in RelType}
COUNT_NODES = {kind: count_nodes(kind) for kind in NodeKind}
COUNT_EDGES = {rel: count_edges(rel) for rel in RelType}
EDGES_OF = {rel: edges_of(rel) for rel in RelType}
NEIGHBOURS_OUT = {rel: neighbours_out(rel) for rel in RelType}
NEIGHBOURS_IN = {rel: neighbours_in(rel) for rel in RelType}
FOLLOWUPS = Statement(
    "followups",
    "the follow-up log, filtered by $firm and/or $segments (null = no filter), by (date, seq)",
    f"MATCH (f:{FOLLOWUP}) WHERE ($firm IS NULL OR f.firm = $firm) "
    "AND ($segments IS NULL OR f.segment IN $segments) "
    "RETURN properties(f) AS props ORDER BY f.date, f.seq",
    "read",
)
SEARCH_FIRMS = Statement(
    "search_firms",
    "up to $limit firms whose search keys match $query (a Lucene query) through the "
    "firm search index, best first: the candidates search() ranks",
    "CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score "
    f"WHERE node:{NODE} RETURN properties(node) AS props, score LIMIT $limit",
    "read",
)


def _every() -> list[Statement]:
    single = [
        *SCHEMA,
        SET_TARGET_STATUS,
        SET_TARGET_PLAN,
        TARGET_ENTRY,
        ADD_FOLLOWUP,
        DELETE_FOLLOWUPS,
        FOLLOWUPS,
        SEARCH_FIRMS,
        SET_META,
        KEPT_KINDS_OF_IDS,
        DELETE_REPLACED_NODES,
        BUMP_REVISION,
        DELETE_SOME_NODES,
        DELETE_SOME_MATCHES,
        READ_REVISION,
        KINDS_OF_IDS,
        AWAIT_INDEXES,
        NODE_BY_ID,
        NEAR_IDS,
        SEARCH,
        CHAIN_SEGMENTS,
        SUPPLIES_TOUCHING,
        OPERATIONS,
        OPERATIONS_IN_REGION,
        TOP_OPERATIONS,
        TARGETS,
        NATIONAL_OFFERS,
        *VIEW,
        SITE_REGION,
        SERVER_INFO,
    ]
    families: tuple[dict[Any, Statement], ...] = (
        *(MERGE_NODES, MERGE_EDGES, NODES_OF, COUNT_NODES, DELETE_REPLACED_EDGES),
        *(MERGE_NATIONAL_NODES, DELETE_STALE_NODES, CREATE_NATIONAL_EDGES, DELETE_STALE_EDGES),
        *(COUNT_EDGES, EDGES_OF, NEIGHBOURS_OUT, NEIGHBOURS_IN),
    )
    return single + [s for family in families for s in family.values()]


STATEMENTS: dict[str, Statement] = {s.name: s for s in _every()}


def statement(name: str) -> Statement:
    return STATEMENTS[name]


def lint_schema() -> dict[str, list[str]]:
    """What Neo4j's linter needs to know our graph: labels, relationship types, property keys."""
    keys = {
        "id",
        "key",
        "value",
        "props",
        "region",
        GEN,
        # a Firm's search keys (rows.SEARCH_PROPS); the pipeline's (PROTOCOL.md, console)
        *("search_names", "search_pinyin", "search_initials", "owner", "next_contact"),
        *("firm", "segment", "seq", "date", "text", "author"),  # ChainkgFollowUp nodes
    }  # src, dst, props: keys of the UNWIND rows too
    for model in (*NODE_MODELS.values(), *EDGE_MODELS.values()):
        keys.update(model.model_fields)
    return {
        "labels": sorted({NODE, META, FOLLOWUP, *(k.value for k in NodeKind)}),
        "relationshipTypes": sorted(r.value for r in RelType),
        "propertyKeys": sorted(keys),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="chainkg's Cypher statements")
    parser.add_argument("--json", action="store_true", help="print statements and schema as JSON")
    args = parser.parse_args(argv)
    if args.json:
        payload = {"schema": lint_schema(), "statements": [s.as_json() for s in _every()]}
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for s in _every():
        print(f"// {s.name} ({s.access}): {s.purpose}\n{s.text};\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
