"""The writes of the SQLite store: functions over the writer connection, inside one
``BEGIN IMMEDIATE`` transaction that ``SqliteStore`` opens and commits.

A write costs what it changes: stored rows are compared with the incoming ones and only
the rows that differ are upserted (``INSERT … ON CONFLICT DO UPDATE``, which keeps the FTS
triggers correct, never ``INSERT OR REPLACE``). Each function returns whether it changed
anything, so a repeated load leaves the revision alone.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from graph.datasets import DATASET_RELS
from graph.errors import DatasetError
from graph.national import NATIONAL_RELS, NationalGraph, product_id
from graph.schema import (
    AnyNode,
    Batch,
    Edge,
    Firm,
    Matches,
    NodeKind,
    OperatesIn,
    Park,
    Record,
    kind_of,
)
from graph.search import search_keys
from graph.store_rules import batch_problems, national_problems, referenced_ids

CHUNK = 500  # ids per IN (...) list, well below SQLITE_MAX_VARIABLE_NUMBER

UPSERT_NODE = (
    "INSERT INTO nodes(id, kind, body) VALUES (?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, body = excluded.body"
)
UPSERT_EDGE = (
    "INSERT INTO edges(rel, src, dst, body, site, region, capacity) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(rel, src, dst) DO UPDATE SET body = excluded.body, site = excluded.site, "
    "region = excluded.region, capacity = excluded.capacity"
)
UPSERT_SEARCH = (
    "INSERT INTO firm_search(id, names, pinyin, initials, grams) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET names = excluded.names, pinyin = excluded.pinyin, "
    "initials = excluded.initials, grams = excluded.grams"
)


def dump(record: Record) -> str:
    """The stored form of a record: its JSON without default values (deterministic)."""
    return record.model_dump_json(exclude_defaults=True)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


def kinds(conn: sqlite3.Connection, ids: Iterable[str], national: bool = True) -> dict[str, str]:
    """``id -> kind`` of the stored nodes among ``ids`` (national nodes too if asked)."""
    found: dict[str, str] = {}
    wanted = sorted(set(ids))
    tables = ("nodes", "nat_nodes") if national else ("nodes",)
    for part in chunks(wanted):
        for table in tables:
            sql = f"SELECT id, kind FROM {table} WHERE id IN ({marks(len(part))})"
            found.update(conn.execute(sql, part).fetchall())
    return found


def _lookup(found: dict[str, str]) -> Any:
    def kind(node_id: str) -> NodeKind | None:
        value = found.get(node_id)
        return NodeKind(value) if value else None

    return kind


def apply_batch(conn: sqlite3.Connection, batch: Batch) -> bool:
    """Check and write ``batch``; ``DatasetError`` (nothing written) when it cannot apply."""
    problems = batch_problems(batch, _lookup(kinds(conn, referenced_ids(batch))))
    if problems:
        raise DatasetError(problems)
    nodes = {n.id: n for n in batch.nodes}  # the last record of an id wins, as in memory
    edges = {e.key: e for e in batch.edges}
    changed_nodes = _changed_nodes(conn, list(nodes.values()))
    write_nodes(conn, changed_nodes)
    changed_edges = _changed_edges(conn, list(edges.values()))
    write_edges(conn, changed_edges)
    return bool(changed_nodes or changed_edges)


def clear(conn: sqlite3.Connection) -> None:
    """Delete every record (the revision and format stay): the first half of a replace."""
    for table in ("edges", "nodes", "firm_search", "nat_edges", "nat_nodes", "counts"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("UPDATE meta SET value = '' WHERE key = 'national'")


def _changed_nodes(conn: sqlite3.Connection, nodes: list[AnyNode]) -> list[tuple[AnyNode, str]]:
    stored: dict[str, str] = {}
    for part in chunks(nodes):
        sql = f"SELECT id, body FROM nodes WHERE id IN ({marks(len(part))})"
        stored.update(conn.execute(sql, [n.id for n in part]).fetchall())
    dumped = [(n, dump(n)) for n in nodes]
    return [(n, body) for n, body in dumped if stored.get(n.id) != body]


def _changed_edges(conn: sqlite3.Connection, edges: list[Edge]) -> list[tuple[Edge, str]]:
    sql = "SELECT body FROM edges WHERE rel = ? AND src = ? AND dst = ?"  # primary key lookups
    changed = []
    for edge in edges:
        body = dump(edge)
        row = conn.execute(sql, edge.key).fetchone()
        if row is None or row[0] != body:
            changed.append((edge, body))
    return changed


def write_nodes(conn: sqlite3.Connection, nodes: list[tuple[AnyNode, str]]) -> None:
    conn.executemany(UPSERT_NODE, [(n.id, kind_of(n).value, body) for n, body in nodes])
    firms = [n for n, _ in nodes if isinstance(n, Firm)]
    conn.executemany(UPSERT_SEARCH, [(f.id, *_keys(f)) for f in firms])
    sites = [
        (n.region if isinstance(n, Park) else n.id, n.id)
        for n, _ in nodes
        if kind_of(n) in (NodeKind.PARK, NodeKind.REGION)
    ]  # an operation's region follows its park (or region) wherever that moves
    conn.executemany(
        "UPDATE edges SET region = ? WHERE rel = 'OPERATES_IN' AND site = ?",
        sites,
    )


def _keys(firm: Firm) -> tuple[str, str, str, str]:
    keys = search_keys(firm)
    return keys.names, keys.pinyin, keys.initials, keys.grams


def write_edges(conn: sqlite3.Connection, edges: list[tuple[Edge, str]]) -> None:
    regions: dict[str, str] = {}
    rows = []
    for edge, body in edges:
        site = region = capacity = None
        if isinstance(edge, OperatesIn):
            site, capacity = edge.site, edge.capacity
            if site not in regions:
                regions[site] = site_region(conn, site)
            region = regions[site]
        rows.append((edge.REL.value, edge.src, edge.dst, body, site, region, capacity))
    conn.executemany(UPSERT_EDGE, rows)


def site_region(conn: sqlite3.Connection, site: str) -> str:
    """Region id of a park or region id; '' otherwise."""
    row = conn.execute("SELECT kind, body FROM nodes WHERE id = ?", (site,)).fetchone()
    if row is None:
        return ""
    if row[0] == NodeKind.PARK.value:
        return Park.model_validate_json(row[1]).region
    return site if row[0] == NodeKind.REGION.value else ""


# --------------------------------------------------------------------------- national graph


def national_digest(national: NationalGraph, firms: list[Firm], matches: list[Matches]) -> str:
    """A fingerprint of what ``load_national`` would store, to make a repeated load a no-op."""
    digest = hashlib.sha256()
    for rel in NATIONAL_RELS:
        for row in national.iter_rows(rel):
            digest.update(repr((rel.value, row)).encode())
    for record in (*national.industry_records, *firms, *matches):
        digest.update(dump(record).encode())
    digest.update("\n".join(national.products.names).encode())
    return digest.hexdigest()


def load_national(
    conn: sqlite3.Connection, national: NationalGraph, firms: list[Firm], matches: list[Matches]
) -> bool:
    """Replace the national graph and every MATCHES edge, upsert ``firms``; all or nothing."""
    ids = [*national.firms.names, *(m.src for m in matches), *(m.dst for m in matches)]
    stored = kinds(conn, ids, national=False)
    problems = national_problems(national, firms, matches, _lookup(stored))
    if problems:
        raise DatasetError(problems)
    digest = national_digest(national, firms, matches)
    changed = _changed_nodes(conn, list(firms))
    if not changed and digest == _meta(conn, "national"):
        return False
    write_nodes(conn, changed)
    conn.execute("DELETE FROM nat_nodes")
    conn.execute("DELETE FROM nat_edges")
    conn.executemany(
        "INSERT INTO nat_nodes(id, kind, body) VALUES (?, 'Product', NULL)",
        ((product_id(n),) for n in national.products.names),
    )
    conn.executemany(
        "INSERT INTO nat_nodes(id, kind, body) VALUES (?, 'Industry', ?)"
        " ON CONFLICT(id) DO NOTHING",
        ((r.id, dump(r)) for r in national.industry_records),
    )
    for rel in NATIONAL_RELS:
        conn.executemany(
            "INSERT INTO nat_edges VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ((rel.value, s, d, v) for s, d, v in national.iter_rows(rel)),
        )
    set_matches(conn, matches)
    _recount_national(conn)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'national'", (digest,))
    return True


def _meta(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _recount_national(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM counts WHERE key LIKE 'nat:%'")
    conn.execute("INSERT INTO counts SELECT 'nat:' || kind, count(*) FROM nat_nodes GROUP BY kind")
    conn.execute("INSERT INTO counts SELECT 'nat:' || rel, count(*) FROM nat_edges GROUP BY rel")


def replace_matches(conn: sqlite3.Connection, matches: list[Matches]) -> bool:
    """Check and replace every MATCHES edge; False when they are already exactly these."""
    batch = Batch(edges=matches)
    problems = batch_problems(batch, _lookup(kinds(conn, referenced_ids(batch))))
    if problems:
        raise DatasetError(problems)
    stored = conn.execute("SELECT body FROM edges WHERE rel = 'MATCHES' ORDER BY src, dst")
    unique = {m.key: m for m in matches}
    wanted = [dump(m) for _, m in sorted(unique.items())]
    if [b for (b,) in stored] == wanted:
        return False
    set_matches(conn, list(unique.values()))
    return True


def set_matches(conn: sqlite3.Connection, matches: list[Matches]) -> None:
    conn.execute("DELETE FROM edges WHERE rel = 'MATCHES'")
    write_edges(conn, [(m, dump(m)) for m in {m.key: m for m in matches}.values()])


def replace_dataset(conn: sqlite3.Connection, batch: Batch) -> bool:
    """Make ``batch`` the whole curated dataset, keeping the national pool (its products,
    industries, their relations, the firms they name) and the MATCHES of segments that stay;
    ``DatasetError`` (nothing written) when the batch's edges point at nodes that would not
    remain. False when the store already holds exactly this dataset."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("DELETE FROM keep_ids")
    conn.executemany("INSERT OR IGNORE INTO keep_ids VALUES (?)", [(n.id,) for n in batch.nodes])
    gone = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM nodes WHERE id NOT IN (SELECT id FROM keep_ids) AND NOT ("
            "kind = 'Firm' AND EXISTS (SELECT 1 FROM nat_edges WHERE src = nodes.id))"
        )
    ]
    gone_set = set(gone)
    stored = kinds(conn, referenced_ids(batch))
    problems = batch_problems(
        batch, _lookup({i: k for i, k in stored.items() if i not in gone_set})
    )
    if problems:
        raise DatasetError(problems)
    dataset_rels = [r.value for r in DATASET_RELS]
    wanted = {e.key for e in batch.edges if e.REL in DATASET_RELS}
    stale = [
        (rel, src, dst)
        for rel, src, dst in conn.execute(
            f"SELECT rel, src, dst FROM edges WHERE rel IN ({marks(len(dataset_rels))})",
            dataset_rels,
        )
        if (rel, src, dst) not in wanted
    ]
    stale += [
        ("MATCHES", src, dst)
        for src, dst in conn.execute("SELECT src, dst FROM edges WHERE rel = 'MATCHES'")
        if src in gone_set
    ]
    conn.executemany("DELETE FROM edges WHERE rel = ? AND src = ? AND dst = ?", stale)
    for part in chunks(gone):
        conn.execute(f"DELETE FROM firm_search WHERE id IN ({marks(len(part))})", part)
        conn.execute(f"DELETE FROM nodes WHERE id IN ({marks(len(part))})", part)
    changed = apply_batch(conn, batch)
    conn.execute("DROP TABLE keep_ids")
    return bool(gone or stale or changed)
