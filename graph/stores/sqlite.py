"""The embedded store on SQLite (the standard library's ``sqlite3``, WAL mode): the default.

Every answer is an indexed lookup whose cost follows the answer, not the graph: operations
by ``(segment, region)``, adjacency by ``(rel, src)`` / ``(rel, dst)``, firms by FTS5. Every
accepted write is one ``BEGIN IMMEDIATE`` transaction on the one writer connection of the
process that also bumps the revision stored in the file, so the revision survives restarts
and a second process on the same file sees (and waits for) the other's writes instead of
overwriting them. Readers use one read-only connection per thread. Tables: see
``sqlite_schema``; writes: ``sqlite_write``.

>>> import tempfile, pathlib
>>> from graph.schema import Chain
>>> store = SqliteStore(pathlib.Path(tempfile.mkdtemp()) / "graph.sqlite")
>>> store.apply(Batch(nodes=[Chain(id="pv", name="光伏制造", source="seed", year=2023)]))
>>> store.get("pv").name, store.revision
('光伏制造', 1)
>>> store.close()
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph import schema
from graph.errors import InvalidRequest, NotFound, closest
from graph.i18n import _
from graph.national import NationalGraph
from graph.schema import (
    EDGE_MODELS,
    NODE_MODELS,
    AnyNode,
    Batch,
    Direction,
    Edge,
    Firm,
    Matches,
    NationalCandidate,
    NodeKind,
    OperatesIn,
    Product,
    RelType,
    Segment,
    Supplies,
    TargetedFor,
    TargetStatus,
)
from graph.search import FirmHit
from graph.store_rules import pick_national
from graph.stores import sqlite_write as w
from graph.stores.sqlite_schema import open_reader, open_writer
from graph.stores.sqlite_search import search_firms

NATIONAL_EDGE_SQL = "SELECT src, dst, value FROM nat_edges WHERE rel = ?"
SUGGESTION_POOL = 200


def node_record(kind: str, body: str | None, node_id: str) -> AnyNode:
    """A stored node row as its pydantic record (JSON, validated; never unpickled)."""
    if body is None:  # a national product: its name is its id
        return Product(id=node_id, name=node_id[2:])
    return NODE_MODELS[NodeKind(kind)].model_validate_json(body)  # type: ignore[return-value]


def edge_record(rel: str, body: str) -> Edge:
    return EDGE_MODELS[RelType(rel)].model_validate_json(body)


def national_record(rel: RelType, src: str, dst: str, value: float) -> Edge:
    fields: dict[str, Any] = {"src": src, "dst": dst}
    if rel == RelType.MAKES:
        fields["weight"] = value
    elif rel == RelType.UPSTREAM_INDUSTRY:
        fields["count"] = int(value)
    return EDGE_MODELS[rel](**fields)


def _edge_key(edge: Edge) -> tuple[str, str]:
    return (edge.src, edge.dst)


class SqliteStore:
    """The store in one SQLite file; safe for many threads and several processes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self._writer = open_writer(self.path)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    # ------------------------------------------------------------------ connections

    def _db(self) -> sqlite3.Connection:
        """This thread's read-only connection (opened on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = open_reader(self.path)
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` takes the file's write lock before
        reading, so no other process can slip a write between our check and our write."""
        with self._write_lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _write(self, action: Callable[[sqlite3.Connection], bool]) -> None:
        with self._writing() as conn:
            if action(conn):
                conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")

    # ------------------------------------------------------------------ writes

    def apply(self, batch: Batch) -> None:
        self._write(lambda conn: w.apply_batch(conn, batch))

    def replace_all(self, batch: Batch) -> None:
        """Replace everything stored (the national graph too) by ``batch``, in one
        transaction: a failed batch leaves the file as it was (``chainkg load --fresh``)."""

        def replace(conn: sqlite3.Connection) -> bool:
            w.clear(conn)
            return w.apply_batch(conn, batch) or True

        self._write(replace)

    def replace_dataset(self, batch: Batch) -> None:
        """Make ``batch`` the whole curated dataset in one transaction; the national pool
        stays (see the protocol in graph/store.py). An empty batch is refused."""
        if not batch.nodes:
            raise InvalidRequest(_("the dataset to load is empty; nothing was changed"))
        self._write(lambda conn: w.replace_dataset(conn, batch))

    def set_target_status(
        self, firm_id: str, segment_id: str, status: TargetStatus, date: str, note: str
    ) -> TargetedFor:
        update = {"status": status, "status_date": date, "status_note": note}
        return self._update_target(firm_id, segment_id, update)

    def _update_target(self, firm_id: str, segment_id: str, update: dict[str, Any]) -> TargetedFor:
        with self._writing() as conn:
            entry = self._target_entry(conn, firm_id, segment_id)
            updated = TargetedFor.model_validate({**entry.model_dump(), **update})
            conn.execute(
                "UPDATE edges SET body = ? WHERE rel = 'TARGETED_FOR' AND src = ? AND dst = ?",
                (w.dump(updated), firm_id, segment_id),
            )
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
        return updated

    def _target_entry(self, conn: sqlite3.Connection, firm_id: str, seg_id: str) -> TargetedFor:
        row = conn.execute(
            "SELECT body FROM edges WHERE rel = 'TARGETED_FOR' AND src = ? AND dst = ?",
            (firm_id, seg_id),
        ).fetchone()
        if row is None:
            self.get(firm_id, NodeKind.FIRM)
            self.get(seg_id, NodeKind.SEGMENT)
            raise NotFound("target-list entry", f"{firm_id} -> {seg_id}")
        return TargetedFor.model_validate_json(row[0])

    # --- the pipeline (PROTOCOL.md, branch console): owner, next contact, follow-up log

    def set_target_plan(
        self,
        firm_id: str,
        segment_id: str,
        owner: str | None = None,
        next_contact: str | None = None,
    ) -> TargetedFor:
        """Set 负责人 and/or 下次联系日期 of a target-list entry (None leaves a field)."""
        fields = {"owner": owner, "next_contact": next_contact}
        return self._update_target(
            firm_id, segment_id, {k: v for k, v in fields.items() if v is not None}
        )

    def add_followup(
        self, firm_id: str, segment_id: str, date: str, text: str, author: str = ""
    ) -> Any:
        """Append one dated 跟进记录 to the entry's log (append-only); returns a FollowUp."""
        model = getattr(schema, "FollowUp")  # noqa: B009 - the record comes with the console branch
        with self._writing() as conn:
            self._target_entry(conn, firm_id, segment_id)
            seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM followups").fetchone()[0]
            entry = model(
                firm=firm_id, segment=segment_id, seq=seq, date=date, text=text, author=author
            )
            conn.execute(
                "INSERT INTO followups(seq, firm, segment, date, body) VALUES (?, ?, ?, ?, ?)",
                (seq, firm_id, segment_id, str(entry.date), w.dump(entry)),
            )
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
        return entry

    def followups(
        self, firm_id: str | None = None, segment_ids: Iterable[str] | None = None
    ) -> list[Any]:
        """The follow-up log, filtered by firm and/or segments, sorted by (date, seq)."""
        model = getattr(schema, "FollowUp")  # noqa: B009
        sql, params = "SELECT body FROM followups WHERE 1", []
        if firm_id is not None:
            sql, params = sql + " AND firm = ?", [firm_id]
        if segment_ids is not None:
            wanted = sorted(set(segment_ids))
            sql, params = sql + f" AND segment IN ({w.marks(len(wanted))})", [*params, *wanted]
        rows = self._db().execute(sql + " ORDER BY date, seq", params)
        return [model.model_validate_json(b) for (b,) in rows]

    def load_national(
        self, national: NationalGraph, firms: Iterable[Firm], matches: Iterable[Matches]
    ) -> None:
        firms, matches = list(firms), list(matches)
        self._write(lambda conn: w.load_national(conn, national, firms, matches))

    def replace_matches(self, matches: Iterable[Matches]) -> None:
        matches = list(matches)
        self._write(lambda conn: w.replace_matches(conn, matches))

    # ------------------------------------------------------------------ generic reads

    @property
    def revision(self) -> int:
        """The revision stored in the file: another process's writes count too."""
        row = self._db().execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0])

    def get(self, node_id: str, kind: NodeKind | None = None) -> AnyNode:
        node = self.find(node_id)
        if node is None or (kind is not None and node.KIND != kind):
            pool = self._ids_near(node_id, kind)
            raise NotFound(kind.value if kind else "node", node_id, closest(node_id, pool))
        return node

    def _ids_near(self, node_id: str, kind: NodeKind | None) -> list[str]:
        """Ids sharing the longest prefix with ``node_id``: a few range scans of the primary
        key, never a scan of every id."""
        db, found = self._db(), set[str]()
        for size in range(len(node_id), 0, -1):
            low = node_id[:size]
            for table in ("nodes", "nat_nodes"):
                sql = f"SELECT id FROM {table} WHERE id >= ? AND id < ?"
                params: list[Any] = [low, low + "\U0010ffff"]
                if kind is not None:
                    sql, params = sql + " AND kind = ?", [*params, kind.value]
                found.update(r[0] for r in db.execute(f"{sql} LIMIT {SUGGESTION_POOL}", params))
            if len(found) >= 3 or size <= max(1, len(node_id) // 2):
                break
        return sorted(found)

    def find(self, node_id: str) -> AnyNode | None:
        db = self._db()
        for table in ("nodes", "nat_nodes"):
            row = db.execute(f"SELECT kind, body FROM {table} WHERE id = ?", (node_id,)).fetchone()
            if row is not None:
                return node_record(row[0], row[1], node_id)
        return None

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        rows: list[tuple[str, str, str | None]] = []
        for table in ("nodes", "nat_nodes"):
            sql = f"SELECT id, kind, body FROM {table} WHERE kind = ? ORDER BY id"
            rows += self._db().execute(sql, (kind.value,)).fetchall()
        return [node_record(k, b, i) for i, k, b in sorted(rows)]

    def count(self, kind: NodeKind | RelType) -> int:
        sql = "SELECT coalesce(sum(n), 0) FROM counts WHERE key IN (?, ?)"
        return int(self._db().execute(sql, (kind.value, f"nat:{kind.value}")).fetchone()[0])

    def edges(self, rel: RelType) -> list[Edge]:
        db = self._db()
        stored = [
            edge_record(rel, b)
            for (b,) in db.execute(
                "SELECT body FROM edges WHERE rel = ? ORDER BY src, dst", (rel.value,)
            )
        ]
        national = [national_record(rel, *row) for row in db.execute(NATIONAL_EDGE_SQL, (rel,))]
        return sorted(stored + national, key=_edge_key) if national else stored

    def neighbours(self, node_id: str, rel: RelType, direction: Direction) -> list[Edge]:
        end = "src" if direction == Direction.OUT else "dst"
        hint = "" if direction == Direction.OUT else "INDEXED BY edges_in"
        db = self._db()
        found = [
            edge_record(rel, b)
            for (b,) in db.execute(
                f"SELECT body FROM edges {hint} WHERE rel = ? AND {end} = ?", (rel.value, node_id)
            )
        ]
        found += [
            national_record(rel, *row)
            for row in db.execute(f"{NATIONAL_EDGE_SQL} AND {end} = ?", (rel.value, node_id))
        ]
        return sorted(found, key=_edge_key)

    # ------------------------------------------------------------------ chain queries

    def chain_segments(self, chain_id: str) -> list[Segment]:
        rows = self._db().execute(
            "SELECT n.body FROM edges e INDEXED BY edges_in JOIN nodes n ON n.id = e.src"
            " WHERE e.rel = 'PART_OF' AND e.dst = ? ORDER BY e.src",
            (chain_id,),
        )
        return [Segment.model_validate_json(b) for (b,) in rows]

    def _bodies(self, sql: str, ids: Iterable[str], *extra: Any) -> list[str]:
        """Bodies of ``sql`` (with ``{ids}`` for an ``IN`` list) over ``ids`` in chunks."""
        wanted, found = sorted(set(ids)), []
        for part in w.chunks(wanted):
            query = sql.format(ids=w.marks(len(part)))
            found += [r[0] for r in self._db().execute(query, [*part, *extra])]
        return found

    def supplies_touching(self, segment_ids: Iterable[str]) -> list[Supplies]:
        ids = list(segment_ids)
        found = {
            body
            for end in ("src", "dst")
            for body in self._bodies(
                f"SELECT body FROM edges {'INDEXED BY edges_in' if end == 'dst' else ''}"
                f" WHERE rel = 'SUPPLIES' AND {end} IN ({{ids}})",
                ids,
            )
        }
        links = [Supplies.model_validate_json(b) for b in found]
        return sorted(links, key=_edge_key)

    def operations(self, segment_ids: Iterable[str], region: str | None = None) -> list[OperatesIn]:
        index = "edges_in" if region is None else "ops_region"  # the planner has no statistics
        sql = f"SELECT body FROM edges INDEXED BY {index} WHERE rel = 'OPERATES_IN'"
        sql += " AND dst IN ({ids})"
        extra = () if region is None else (region,)
        bodies = self._bodies(
            sql + (" AND region = ?" if region is not None else ""), segment_ids, *extra
        )
        ops = [OperatesIn.model_validate_json(b) for b in bodies]
        return sorted(ops, key=lambda op: (op.dst, op.src))

    def top_operations(
        self, segment_id: str, outside_region: str | None = None, limit: int = 10
    ) -> list[OperatesIn]:
        """The ``limit`` operations of a segment with the largest capacity (unknown capacity
        last, ties by firm id), leaving out those sited in ``outside_region``. Reads at most
        a few more index entries than it returns."""
        rows = self._db().execute(
            "SELECT body FROM edges INDEXED BY ops_capacity WHERE rel = 'OPERATES_IN'"
            " AND dst = ? AND region IS NOT ? ORDER BY capacity DESC, src LIMIT ?",
            (segment_id, outside_region, limit),
        )
        return [OperatesIn.model_validate_json(b) for (b,) in rows]

    def count_operations(self, segment_id: str, region: str | None = None) -> int:
        """How many firms operate in the segment (in ``region`` if given), from the index."""
        sql = (
            "SELECT count(*) FROM edges INDEXED BY ops_region WHERE rel = 'OPERATES_IN' AND dst = ?"
        )
        params: tuple[str, ...] = (segment_id,)
        if region is not None:
            sql, params = sql + " AND region = ?", (segment_id, region)
        return int(self._db().execute(sql, params).fetchone()[0])

    def targets(self, segment_ids: Iterable[str]) -> list[TargetedFor]:
        sql = "SELECT body FROM edges INDEXED BY edges_in WHERE rel = 'TARGETED_FOR'"
        sql += " AND dst IN ({ids})"
        entries = [TargetedFor.model_validate_json(b) for b in self._bodies(sql, segment_ids)]
        return sorted(entries, key=lambda t: (t.dst, t.src))

    def national_candidates(self, segment_ids: Iterable[str]) -> list[NationalCandidate]:
        sql = (
            "SELECT m.src, m.dst, k.src, k.value"
            " FROM edges m JOIN nat_edges k INDEXED BY nat_edges_in"
            " ON k.rel = 'MAKES' AND k.dst = m.dst"
            " WHERE m.rel = 'MATCHES' AND m.src IN ({ids})"
            " UNION ALL SELECT m.src, m.dst, k.src, json_extract(k.body, '$.weight')"
            " FROM edges m JOIN edges k INDEXED BY edges_in ON k.rel = 'MAKES' AND k.dst = m.dst"
            " WHERE m.rel = 'MATCHES' AND m.src IN ({ids})"
        )
        offers: list[tuple[str, str, str, float | None]] = []
        for part in w.chunks(sorted(set(segment_ids))):
            query = sql.format(ids=w.marks(len(part)))
            offers += self._db().execute(query, [*part, *part]).fetchall()
        return pick_national(offers)

    def site_region(self, site: str) -> str:
        """Cached per thread until any connection commits (``PRAGMA data_version``): ranking
        asks for the region of every operation's site, and sites are few."""
        if not site:
            return ""
        db = self._db()
        version = db.execute("PRAGMA data_version").fetchone()[0]
        cached: tuple[int, dict[str, str]] | None = getattr(self._local, "sites", None)
        if cached is None or cached[0] != version:
            cached = self._local.sites = (version, {})
        if site not in cached[1]:
            cached[1][site] = w.site_region(db, site)
        return cached[1][site]

    def search(self, query: str, limit: int = 20) -> list[FirmHit]:
        """Firms for a free-text query (names, pinyin, initials, stock code, typos), best
        first; at most ``limit``. See ``graph.stores.sqlite_search``."""
        return search_firms(self._db(), query, limit)

    def close(self) -> None:
        """Close every connection this store opened (every accepted write is committed)."""
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._local = threading.local()
        with self._write_lock:
            self._writer.close()
