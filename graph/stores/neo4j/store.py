"""The Neo4j back end: the ``Store`` protocol over the official ``neo4j`` driver.

The driver is injected (``Neo4jStore(driver, ...)``) or built from plain values by
``Neo4jStore.connect``; nothing connects at import. Every statement comes from
``graph.stores.neo4j.statements``.

Transactions are the driver's managed ones: a read is ``driver.execute_query`` routed to
readers, a write is ``session.execute_write(work)``; the driver retries a transaction that
failed with a retryable error (deadlock, leader switch, lost connection) with its own backoff,
for at most ``max_transaction_retry_time`` (15 s from ``connect``). ``work`` functions are
idempotent and touch nothing outside the transaction. Writes run as ``UNWIND $rows`` batches
inside ONE transaction per ``apply``, after the batch is checked by the same rules as the
embedded store (``store_rules``), so a rejected or failed batch leaves nothing behind. Reads
are sorted here, in Python, exactly as ``MemoryStore`` sorts them, and each read may take at
most ``query_timeout`` seconds on the server. Every driver error leaves as a ``GraphError``
that says what happened and what to check (``graph.stores.neo4j.errors``).

The store is thread-safe: it keeps no session; each call opens its own (the driver's pool is
shared), so API routes may call it from worker threads.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

import neo4j
from neo4j import exceptions as ne

from graph import schema
from graph.errors import (
    BackendUnavailable,
    DatasetError,
    GraphError,
    InvalidRequest,
    NotFound,
    closest,
)
from graph.schema import (
    AnyNode,
    Batch,
    Direction,
    Edge,
    Firm,
    Matches,
    NationalCandidate,
    NodeKind,
    OperatesIn,
    RelType,
    Segment,
    Supplies,
    TargetedFor,
    TargetStatus,
    kind_of,
)
from graph.search import FirmHit
from graph.store_rules import batch_problems, national_problems, pick_national, referenced_ids
from graph.stores.neo4j import statements as q
from graph.stores.neo4j.errors import (
    DRIVER_ERRORS,
    Target,
    not_worth_retrying,
    redact,
    translate,
)
from graph.stores.neo4j.rows import (
    chunks,
    edge_from,
    edge_row,
    kind_from_labels,
    node_from,
    node_row,
)

if TYPE_CHECKING:
    from graph.analysis.view import ChainView
    from graph.national import NationalGraph

T = TypeVar("T")
QUERY_TIMEOUT = 30.0  # seconds one read may run on the server before it is stopped
RETRY_TIME = 15.0  # seconds the driver keeps retrying a transaction with a retryable error
INDEX_WAIT = 300  # seconds to wait for new indexes to come online
NATIONAL_BATCH = 20_000  # rows per transaction of load_national
_TERM = re.compile(r"\w+")
Work = Callable[[Any], T]
Rows = list[dict[str, Any]]


def _run(tx: Any, statement: q.Statement, **params: Any) -> Rows:
    return tx.run(statement.text, params).data()


def _first(tx: Any, statement: q.Statement, **params: Any) -> dict[str, Any]:
    return _run(tx, statement, **params)[0]


def _ends(edges: Iterable[Edge]) -> set[str]:
    return {end for edge in edges for end in (edge.src, edge.dst)}


class Neo4jStore:
    """The store of record on a Neo4j 5 server, cluster or Aura; see docs/neo4j.md."""

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        database: str = "neo4j",
        batch_size: int = 1000,
        query_timeout: float | None = QUERY_TIMEOUT,
        target: Target | None = None,
        owns_driver: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._driver = driver
        self.database = database
        self.batch_size = batch_size
        self.query_timeout = query_timeout
        self.target = target or Target(database=database)
        self._owns_driver = owns_driver
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()  # read your own writes
        self._schema_ready = False

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str,
        password: str,
        *,
        database: str = "neo4j",
        batch_size: int = 1000,
        timeout: float = 10.0,
        query_timeout: float | None = QUERY_TIMEOUT,
    ) -> Neo4jStore:
        """A store on its own driver, checked to reach the database with these credentials."""
        target = Target(redact(uri), user, database)
        if not uri.strip():
            raise BackendUnavailable(
                "NEO4J_URI is not set: point it at the Neo4j server, e.g. bolt://localhost:7687 "
                "(see docs/neo4j.md)"
            )
        try:
            driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout,
                max_transaction_retry_time=RETRY_TIME,
                notifications_min_severity="OFF",  # e.g. "label does not exist" on a new database
                user_agent="chainkg",
            )
        except (ne.ConfigurationError, ValueError):
            # from None: the driver's message may repeat the URI with a password in it
            raise BackendUnavailable(
                f"NEO4J_URI {target.uri!r} is not a Neo4j address: use bolt://host:7687, "
                "neo4j://host:7687 (cluster) or neo4j+s://<id>.databases.neo4j.io (Aura)"
                + ("; put credentials in NEO4J_USER/NEO4J_PASSWORD" if "@" in target.uri else "")
            ) from None
        store = cls(
            driver,
            database=database,
            batch_size=batch_size,
            query_timeout=query_timeout,
            target=target,
            owns_driver=True,
        )
        try:
            store.verify()
        except BaseException:
            driver.close()
            raise
        return store

    # ------------------------------------------------------------------ transactions

    def _read(self, statement: q.Statement, doing: str, **params: Any) -> Rows:
        """One read statement as a managed read transaction, routed to a reader."""
        return self._session_work("r", lambda tx: _run(tx, statement, **params), doing)

    def _read_many(self, work: Work[T], doing: str) -> T:
        """Several reads in one managed read transaction (one consistent snapshot)."""
        return self._session_work("r", work, doing)

    def _write(self, work: Work[T], doing: str) -> T:
        """``work(tx)`` as one managed write transaction, committed only if it returns;
        retried whole by the driver on retryable errors (``work`` must be idempotent)."""
        self.ensure_schema()
        return self._session_work("w", work, doing)

    def _session_work(self, mode: str, work: Work[T], doing: str) -> T:
        """``work`` in a managed transaction (``execute_read`` / ``execute_write``): the driver
        retries it on retryable errors, except those that would fail the same way again (a
        memory limit, a time limit), which leave at once as ``GraphError``. Reads may run
        at most ``query_timeout`` seconds on the server."""

        @neo4j.unit_of_work(timeout=self.query_timeout if mode == "r" else None)
        def guarded(tx: Any) -> T:
            try:
                return work(tx)
            except ne.Neo4jError as e:
                if not_worth_retrying(e):
                    raise translate(e, self.target, doing) from e
                raise

        try:
            with self._driver.session(
                database=self.database, bookmark_manager=self._bookmarks
            ) as session:
                run = session.execute_read if mode == "r" else session.execute_write
                return run(guarded)
        except DRIVER_ERRORS as e:
            raise translate(e, self.target, doing) from e

    def verify(self) -> None:
        """Reach the server and the database now, with a clear error if we cannot."""
        try:
            self._driver.verify_connectivity()
        except DRIVER_ERRORS as e:
            raise translate(e, self.target, "connecting") from e
        self.revision  # noqa: B018 - a read in the configured database: does it exist?

    def ensure_schema(self) -> None:
        """Create the key constraints and the indexes (idempotent) and wait until they are
        online; runs once before the first write of this store."""
        if self._schema_ready:
            return
        for statement in (*q.SCHEMA, q.AWAIT_INDEXES):
            try:
                self._driver.execute_query(
                    statement.text,
                    {"seconds": INDEX_WAIT} if statement is q.AWAIT_INDEXES else {},
                    database_=self.database,
                    routing_=neo4j.RoutingControl.WRITE,
                    bookmark_manager_=self._bookmarks,
                )
            except DRIVER_ERRORS as e:
                raise translate(e, self.target, "creating constraints and indexes") from e
        self._schema_ready = True

    def server_info(self) -> Rows:
        return self._read(q.SERVER_INFO, "reading the server version")

    # ------------------------------------------------------------------ writes

    @staticmethod
    def _rows_by_kind(batch: Batch) -> tuple[dict[NodeKind, Rows], dict[RelType, Rows]]:
        node_rows: dict[NodeKind, Rows] = defaultdict(list)
        for node in batch.nodes:
            node_rows[kind_of(node)].append(node_row(node))
        edge_rows: dict[RelType, Rows] = defaultdict(list)
        for edge in batch.edges:
            edge_rows[edge.REL].append(edge_row(edge))
        return node_rows, edge_rows

    def apply(self, batch: Batch) -> None:
        node_rows, edge_rows = self._rows_by_kind(batch)
        ids = sorted(referenced_ids(batch))

        def work(tx: Any) -> None:
            problems = batch_problems(batch, self._kinds(tx, ids).get)
            if problems:
                raise DatasetError(problems)  # rolls the transaction back
            if self._write_all(tx, node_rows, edge_rows):
                self._count_write(tx)  # a repeated batch leaves the revision as it was

        self._write(work, f"writing a batch of {len(batch)} records")

    def _kinds(
        self, tx: Any, ids: list[str], statement: q.Statement = q.KINDS_OF_IDS
    ) -> dict[str, NodeKind]:
        kinds: dict[str, NodeKind] = {}
        for part in chunks(ids, max(self.batch_size, 10_000)):
            for row in _run(tx, statement, ids=list(part)):
                kinds[row["id"]] = kind_from_labels(row["labels"])
        return kinds

    def _write_all(self, tx: Any, nodes: dict[NodeKind, Rows], edges: dict[RelType, Rows]) -> int:
        """Upsert nodes, then edges, in batches inside ``tx``; how many rows changed."""
        changed = sum(self._write_rows(tx, q.MERGE_NODES[k], rows) for k, rows in nodes.items())
        changed += sum(self._write_rows(tx, q.MERGE_EDGES[r], rows) for r, rows in edges.items())
        return changed

    def _write_rows(self, tx: Any, statement: q.Statement, rows: Rows) -> int:
        changed = 0
        for part in chunks(rows, self.batch_size):
            counts = _run(tx, statement, rows=list(part))[0]
            if counts["written"] != len(part):
                raise GraphError(
                    f"{statement.name} wrote {counts['written']} of {len(part)} rows (a node "
                    "was deleted meanwhile?); nothing was saved: try again"
                )
            changed += int(counts["changed"])
        return changed

    @staticmethod
    def _count_write(tx: Any) -> None:
        _run(tx, q.BUMP_REVISION, key=q.REVISION_KEY)

    def set_target_status(
        self, firm_id: str, segment_id: str, status: TargetStatus, date: str, note: str
    ) -> TargetedFor:
        params = {
            "firm": firm_id,
            "segment": segment_id,
            "status": TargetStatus(status).value,
            "date": date,
            "note": note,
        }

        def work(tx: Any) -> dict[str, Any] | None:
            rows = _run(tx, q.SET_TARGET_STATUS, **params)
            if rows:
                self._count_write(tx)
            return rows[0]["props"] if rows else None

        props = self._write(work, "updating a target-list entry")
        if props is None:
            self.get(firm_id, NodeKind.FIRM)
            self.get(segment_id, NodeKind.SEGMENT)
            raise NotFound("target-list entry", f"{firm_id} -> {segment_id}")
        return edge_from(RelType.TARGETED_FOR, firm_id, segment_id, props)  # type: ignore[return-value]

    def load_national(
        self, national: NationalGraph, firms: Iterable[Firm], matches: Iterable[Matches]
    ) -> None:
        """Replace every Product and Industry node (with their relationships) and every
        MATCHES edge by ``national`` and ``matches``, upsert ``firms``.

        In batches of ``NATIONAL_BATCH`` rows, one transaction each, so the heap holds one
        batch, not the pool (~276k records): checked first (nothing written on a problem);
        firms upserted; the new pool written as a new generation beside the current one, which
        the analysis keeps reading; then ONE transaction switches to it and replaces MATCHES;
        then the old generation is deleted in batches. A load that fails before the switch
        leaves the current pool in force (its partial generation is never read and is deleted
        by the next successful load). During the load, ``edges``/``count`` of the national
        relations may include the incoming generation; ``national_candidates`` never does."""
        from graph.national import NATIONAL_RELS  # graph.national imports graph.store

        firms, matches = list(firms), list(matches)
        ids = sorted({f.id for f in firms} | set(national.firms.names) | _ends(matches))
        self._check_national(national, firms, matches, ids)
        gen = time.time_ns()  # never reused: a failed load's leftovers are never current
        firm_rows = [node_row(f) for f in firms]
        self._batches(q.MERGE_NODES[NodeKind.FIRM], firm_rows, "loading the national firms")
        products = (national.node(i) for i in national.node_ids(NodeKind.PRODUCT))
        nodes = {
            NodeKind.PRODUCT: [node_row(p) for p in products if p is not None],
            NodeKind.INDUSTRY: [node_row(i) for i in national.industry_records],
        }
        for kind, rows in nodes.items():
            self._batches(q.MERGE_NATIONAL_NODES[kind], rows, "loading the national pool", gen)
        for rel in NATIONAL_RELS:
            unique = {(e.src, e.dst): edge_row(e) for e in national.edges(rel)}  # as MERGE
            rows = list(unique.values())
            self._batches(q.CREATE_NATIONAL_EDGES[rel], rows, "loading the national pool", gen)
        match_rows = [edge_row(m) for m in matches]

        def switch(tx: Any) -> None:
            _run(tx, q.SET_META, key=q.NATIONAL_KEY, value=gen)
            self._delete_all(tx, q.DELETE_SOME_MATCHES)
            self._write_all(tx, {}, {RelType.MATCHES: match_rows})
            self._count_write(tx)

        self._write(switch, "switching to the new national pool")
        stale = [q.DELETE_STALE_EDGES[r] for r in NATIONAL_RELS]
        for statement in (*stale, *(q.DELETE_STALE_NODES[k] for k in q.NATIONAL_KINDS)):
            while self._write(
                partial(_first, statement=statement, gen=gen, limit=NATIONAL_BATCH),
                "deleting the previous national pool",
            )["deleted"]:
                pass

    def _check_national(
        self, national: NationalGraph, firms: list[Firm], matches: list[Matches], ids: list[str]
    ) -> None:
        stored = self._read_many(lambda tx: self._kinds(tx, ids), "checking the national pool")
        replaced = set(q.NATIONAL_KINDS)  # the old pool does not count as stored
        problems = national_problems(
            national, firms, matches, lambda i: k if (k := stored.get(i)) not in replaced else None
        )
        if problems:
            raise DatasetError(problems)

    def _batches(self, statement: q.Statement, rows: Rows, doing: str, gen: int = 0) -> None:
        """``rows`` through ``statement`` in transactions of ``NATIONAL_BATCH`` rows."""
        for part in chunks(rows, NATIONAL_BATCH):
            work = partial(_first, statement=statement, rows=list(part), gen=gen)
            written = self._write(work, doing)
            if written["written"] != len(part):
                raise GraphError(f"{statement.name} wrote {written['written']} of {len(part)} rows")

    def replace_dataset(self, batch: Batch) -> None:
        """Make ``batch`` the whole curated dataset in ONE transaction: every node and
        relationship outside the national pool that the batch does not hold is deleted, the
        batch upserted (docs: /work PROTOCOL, ``Store.replace_dataset``). Kept: products,
        industries, the firms their relations name, their relations, and MATCHES whose
        segment remains. Checked against (kept + batch) first; a failure changes nothing. A
        replacement by what is stored is a no-op (revision unchanged). This is ``load
        --fresh``: a failed load leaves the old dataset in place."""
        from graph.national import NATIONAL_RELS

        if not batch.nodes:
            raise InvalidRequest("an empty dataset would delete everything: nothing was changed")
        nodes, edges = self._rows_by_kind(batch)
        ids = sorted({n.id for n in batch.nodes})
        referenced = sorted(referenced_ids(batch))
        replaced = [r for r in RelType if r not in NATIONAL_RELS and r != RelType.MATCHES]
        keys = {r: [[e.src, e.dst] for e in batch.edges if e.REL == r] for r in replaced}

        def work(tx: Any) -> None:
            kept = self._kinds(tx, referenced, q.KEPT_KINDS_OF_IDS)
            problems = batch_problems(batch, kept.get)
            if problems:
                raise DatasetError(problems)
            gone = _run(tx, q.DELETE_REPLACED_NODES, ids=ids)[0]["deleted"]
            for rel in replaced:
                gone += _run(tx, q.DELETE_REPLACED_EDGES[rel], keys=keys[rel])[0]["deleted"]
            if self._write_all(tx, nodes, edges) + gone:
                self._count_write(tx)

        self._write(work, f"replacing the dataset by {len(batch)} records")

    def replace_matches(self, matches: Iterable[Matches]) -> None:
        matches = list(matches)
        ids = sorted(_ends(matches))

        def work(tx: Any) -> None:
            problems = batch_problems(Batch(edges=matches), self._kinds(tx, ids).get)
            if problems:
                raise DatasetError(problems)
            self._delete_all(tx, q.DELETE_SOME_MATCHES)  # in this one transaction
            self._write_all(tx, {}, {RelType.MATCHES: [edge_row(m) for m in matches]})
            self._count_write(tx)

        self._write(work, "replacing segment-product matches")

    def _delete_all(self, tx: Any, statement: q.Statement) -> None:
        while _run(tx, statement, limit=self.batch_size)[0]["deleted"]:
            pass

    def clear(self, chunk: int = 10_000) -> int:
        """Delete every chainkg node and relationship, in transactions of ``chunk`` nodes.

        Not part of ``Store``: for ``load --fresh`` and the contract tests. Returns the count."""
        total = 0
        while deleted := self._write(
            lambda tx: _run(tx, q.DELETE_SOME_NODES, limit=chunk)[0]["deleted"], "clearing"
        ):
            total += deleted
        while self._write(
            lambda tx: _run(tx, q.DELETE_FOLLOWUPS, limit=chunk)[0]["deleted"], "clearing"
        ):
            pass
        self._write(self._count_write, "clearing")
        return total

    # ------------------------------------------------------------------ reads

    @property
    def revision(self) -> int:
        rows = self._read(q.READ_REVISION, "reading the revision", key=q.REVISION_KEY)
        return int(rows[0]["revision"])

    def get(self, node_id: str, kind: NodeKind | None = None) -> AnyNode:
        node = self.find(node_id)
        if node is None or (kind is not None and kind_of(node) != kind):
            raise NotFound(kind.value if kind else "node", node_id, self._near(node_id, kind))
        return node

    def _near(self, node_id: str, kind: NodeKind | None, pool_size: int = 50) -> list[str]:
        """'Did you mean' ids for a miss: at most ``pool_size`` ids whose id or name shares a
        (fuzzy or prefix) term with ``node_id``, from the full-text index, ranked by
        ``closest``. Costs one index query, however large the graph."""
        terms = [t.lower() for t in _TERM.findall(node_id)][:8]
        if not terms:
            return []
        query = " ".join(f"{t}~ {t}*" if len(t) > 2 else f"{t}*" for t in terms)
        rows = self._read(
            q.NEAR_IDS, "suggesting ids", index=q.TEXT_INDEX, query=query, limit=pool_size
        )
        pool = [r["id"] for r in rows if kind is None or kind.value in r["labels"]]
        return closest(node_id, pool)

    def search_nodes(
        self, text: str, kind: NodeKind = NodeKind.FIRM, limit: int = 20
    ) -> list[AnyNode]:
        """Up to ``limit`` nodes of ``kind`` whose id, name, full name, aliases or stock code
        match ``text`` (the phrase, or words starting like its words), best first, through the
        full-text index ``chainkg_text``: the cost follows ``limit``, not the graph."""
        query = lucene_query(text)
        if not query or limit <= 0:
            return []
        rows = self._read(
            q.SEARCH, "searching", index=q.TEXT_INDEX, query=query, label=kind.value, limit=limit
        )
        return [node_from(kind, row["props"]) for row in rows]

    def find(self, node_id: str) -> AnyNode | None:
        rows = self._read(q.NODE_BY_ID, "reading a node", id=node_id)
        if not rows:
            return None
        return node_from(kind_from_labels(rows[0]["labels"]), rows[0]["props"])

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        rows = self._read(q.NODES_OF[kind], f"reading {kind.value} nodes")
        return sorted((node_from(kind, row["props"]) for row in rows), key=lambda n: n.id)

    def count(self, kind: NodeKind | RelType) -> int:
        statement = q.COUNT_NODES[kind] if isinstance(kind, NodeKind) else q.COUNT_EDGES[kind]
        return int(self._read(statement, "counting")[0]["count"])

    def edges(self, rel: RelType) -> list[Edge]:
        return self._edges(rel, self._read(q.EDGES_OF[rel], f"reading {rel.value}"))

    def neighbours(self, node_id: str, rel: RelType, direction: Direction) -> list[Edge]:
        family = q.NEIGHBOURS_OUT if direction == Direction.OUT else q.NEIGHBOURS_IN
        return self._edges(rel, self._read(family[rel], "reading neighbours", id=node_id))

    def chain_segments(self, chain_id: str) -> list[Segment]:
        rows = self._read(q.CHAIN_SEGMENTS, "reading a chain", chain=chain_id)
        segments = (node_from(NodeKind.SEGMENT, row["props"]) for row in rows)
        return sorted(segments, key=lambda s: s.id)  # type: ignore[arg-type]

    def supplies_touching(self, segment_ids: Iterable[str]) -> list[Supplies]:
        rows = self._read(q.SUPPLIES_TOUCHING, "reading links", segments=sorted(set(segment_ids)))
        return self._edges(RelType.SUPPLIES, rows)  # type: ignore[return-value]

    def operations(self, segment_ids: Iterable[str], region: str | None = None) -> list[OperatesIn]:
        segments = sorted(set(segment_ids))
        if region is None:
            rows = self._read(q.OPERATIONS, "reading operations", segments=segments)
        else:  # '' too: the national operations, sited nowhere in the graph
            rows = self._read(
                q.OPERATIONS_IN_REGION, "reading operations", segments=segments, region=region
            )
        ops = sorted(self._edges(RelType.OPERATES_IN, rows), key=lambda op: (op.dst, op.src))
        return cast(list[OperatesIn], ops)

    def top_operations(
        self, segment_id: str, outside_region: str | None = None, limit: int = 10
    ) -> list[OperatesIn]:
        """The ``limit`` OPERATES_IN edges into ``segment_id`` with the largest capacity
        (unknown capacity last, ties by firm id), leaving out those sited in
        ``outside_region``; one statement, the sort and limit done by the server."""
        if limit <= 0:
            return []
        rows = self._read(
            q.TOP_OPERATIONS,
            "reading the largest operations",
            segment=segment_id,
            outside=outside_region,
            limit=limit,
        )
        ops = cast(list[OperatesIn], self._edges(RelType.OPERATES_IN, rows))
        return sorted(ops, key=lambda o: (o.capacity is None, -(o.capacity or 0.0), o.src))

    def targets(self, segment_ids: Iterable[str]) -> list[TargetedFor]:
        rows = self._read(q.TARGETS, "reading the target list", segments=sorted(set(segment_ids)))
        entries = sorted(self._edges(RelType.TARGETED_FOR, rows), key=lambda t: (t.dst, t.src))
        return cast(list[TargetedFor], entries)

    def national_candidates(self, segment_ids: Iterable[str]) -> list[NationalCandidate]:
        rows = self._read(
            q.NATIONAL_OFFERS,
            "reading the national pool",
            segments=sorted(set(segment_ids)),
            gen_key=q.NATIONAL_KEY,
        )
        return pick_national((r["segment"], r["product"], r["firm"], r["weight"]) for r in rows)

    def chain_view(self, chain_id: str, region: str) -> ChainView:
        """The chain's view for ``region`` in one read transaction of six statements (see
        ``graph.stores.neo4j.view``); ``NotFound`` with suggestions for an unknown chain."""
        from graph.stores.neo4j.view import read_view

        def work(tx: Any) -> ChainView | None:
            return read_view(
                lambda statement, **params: _run(tx, statement, **params), chain_id, region
            )

        view = self._read_many(work, "reading a chain")
        if view is None:
            self.get(chain_id, NodeKind.CHAIN)  # raises NotFound with suggestions
            raise NotFound(NodeKind.CHAIN.value, chain_id)
        return view

    def site_region(self, site: str) -> str:
        return str(self._read(q.SITE_REGION, "reading a site", site=site)[0]["region"])

    def search(self, query: str, limit: int = 20) -> list[FirmHit]:
        """Up to ``limit`` firms for ``query`` (names in any width/case, stock codes, pinyin,
        initials, homophone typos, close spellings), best first: at most ``CANDIDATES`` firms
        from the full-text index ``chainkg_firm_search``, ranked by ``graph.search.rank_hits``
        (see ``graph.stores.neo4j.search``). ``[]`` for an empty query."""
        from graph.stores.neo4j.search import CANDIDATES, search_firms

        def read(lucene: str) -> Rows:
            return self._read(
                q.SEARCH_FIRMS,
                "searching firms",
                index=q.FIRM_SEARCH_INDEX,
                query=lucene,
                limit=CANDIDATES,
            )

        def to_firm(props: dict[str, Any]) -> Firm:
            return cast(Firm, node_from(NodeKind.FIRM, props))

        return search_firms(read, to_firm, query, limit)

    # --- the pipeline (PROTOCOL.md, branch console): owner, next contact, follow-up log

    def set_target_plan(
        self,
        firm_id: str,
        segment_id: str,
        owner: str | None = None,
        next_contact: str | None = None,
    ) -> TargetedFor:
        """Set 负责人 and/or 下次联系日期 of a target-list entry (``None`` leaves a field,
        ``""`` clears it); one write transaction that also bumps the revision. ``NotFound``
        (firm, segment, or the entry) when there is no such entry, pydantic
        ``ValidationError`` for a bad value (e.g. not ``YYYY-MM-DD``); nothing written then."""
        params = {"firm": firm_id, "segment": segment_id}

        def work(tx: Any) -> dict[str, Any] | None:
            rows = _run(tx, q.SET_TARGET_PLAN, **params, owner=owner, next_contact=next_contact)
            if not rows:
                return None
            # pydantic's ValidationError (a bad date) leaves the transaction: rolled back
            TargetedFor.model_validate({**rows[0]["props"], "src": firm_id, "dst": segment_id})
            self._count_write(tx)
            return rows[0]["props"]

        props = self._write(work, "updating a target-list entry")
        if props is None:
            self._missing_entry(firm_id, segment_id)
        return edge_from(RelType.TARGETED_FOR, firm_id, segment_id, props)  # type: ignore[arg-type,return-value]

    def _missing_entry(self, firm_id: str, segment_id: str) -> None:
        self.get(firm_id, NodeKind.FIRM)
        self.get(segment_id, NodeKind.SEGMENT)
        raise NotFound("target-list entry", f"{firm_id} -> {segment_id}")

    def add_followup(
        self, firm_id: str, segment_id: str, date: str, text: str, author: str = ""
    ) -> Any:
        """Append one dated 跟进记录 (``schema.FollowUp``) to the entry's log, append-only;
        ``seq`` = 1 + the largest stored, assigned in the write transaction. Pydantic
        ``ValidationError`` (bad date, empty text) before anything is written; ``NotFound``
        when the entry does not exist. Bumps the revision."""
        model = getattr(schema, "FollowUp")  # noqa: B009 - the record comes with branch console
        draft = model(firm=firm_id, segment=segment_id, seq=1, date=date, text=text, author=author)
        fields = draft.model_dump(mode="json", exclude={"seq"})

        def work(tx: Any) -> int | None:
            if not _run(tx, q.TARGET_ENTRY, firm=firm_id, segment=segment_id)[0]["found"]:
                return None
            seq = int(_run(tx, q.ADD_FOLLOWUP, lock=q.FOLLOWUP_LOCK_KEY, **fields)[0]["seq"])
            self._count_write(tx)
            return seq

        seq = self._write(work, "adding a follow-up")
        if seq is None:
            self._missing_entry(firm_id, segment_id)
        return draft.model_copy(update={"seq": seq})

    def followups(
        self, firm_id: str | None = None, segment_ids: Iterable[str] | None = None
    ) -> list[Any]:
        """The follow-up log, filtered by firm and/or segments (None = no filter), sorted by
        ``(date, seq)``; ``[]`` when there is none."""
        model = getattr(schema, "FollowUp")  # noqa: B009
        segments = None if segment_ids is None else sorted(set(segment_ids))
        rows = self._read(q.FOLLOWUPS, "reading follow-ups", firm=firm_id, segments=segments)
        return [model.model_validate(row["props"]) for row in rows]

    @staticmethod
    def _edges(rel: RelType, rows: Rows) -> list[Edge]:
        edges = (edge_from(rel, row["src"], row["dst"], row["props"]) for row in rows)
        return sorted(edges, key=lambda e: (e.src, e.dst))

    def close(self) -> None:
        """Close the driver if this store opened it; an injected driver belongs to the caller."""
        if self._owns_driver:
            self._driver.close()


def lucene_query(text: str) -> str:
    """A full-text query for user ``text``: the whole text as a phrase, or any of its words --
    a Latin word as a prefix, a Chinese one as a phrase (CJK text is indexed per character, so
    a phrase matches a substring). Lucene's special characters never reach the parser: only
    word characters are used.

    >>> lucene_query('隆基 "LONGi"')
    '"隆基 longi" OR "隆基" OR longi*'
    >>> lucene_query("  ")
    ''
    """
    terms = [t.lower() for t in _TERM.findall(text)][:8]
    if not terms:
        return ""
    words = [f"{t}*" if t.isascii() else f'"{t}"' for t in terms]
    return " OR ".join([f'"{" ".join(terms)}"', *words])
