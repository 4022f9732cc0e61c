"""Tables, indexes and connections of the SQLite store (``graph.stores.sqlite``).

One file holds everything: node records as JSON of the pydantic models (never pickle, so
nothing in the file can run code), edges keyed by ``(rel, src, dst)`` with the columns that
indexed queries need (an operation's ``site``, its ``region`` and ``capacity``), the national
product graph in two tables, the firm search index (FTS5, trigram tokenizer, plus a gram
table for 1–2 character queries) and ``meta`` (format, revision). Counts per kind and per
relation are kept by triggers so ``/health`` never counts a million rows.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graph.errors import GraphError

FORMAT = 1
BUSY_TIMEOUT_S = 30.0

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
INSERT INTO meta VALUES ('format', 1), ('revision', 0), ('national', '')
    ON CONFLICT(key) DO NOTHING;
CREATE TABLE IF NOT EXISTS counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes(kind, id);

CREATE TABLE IF NOT EXISTS edges (
    rel TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, body TEXT NOT NULL,
    site TEXT, region TEXT, capacity REAL,
    PRIMARY KEY (rel, src, dst)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_in ON edges(rel, dst, src);
CREATE INDEX IF NOT EXISTS ops_region ON edges(dst, region, src) WHERE rel = 'OPERATES_IN';
CREATE INDEX IF NOT EXISTS ops_site ON edges(site) WHERE rel = 'OPERATES_IN';
CREATE INDEX IF NOT EXISTS ops_capacity
    ON edges(dst, capacity DESC, src) WHERE rel = 'OPERATES_IN';

CREATE TABLE IF NOT EXISTS nat_nodes (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nat_nodes_kind ON nat_nodes(kind, id);
CREATE TABLE IF NOT EXISTS nat_edges (
    rel TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (rel, src, dst)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nat_edges_in ON nat_edges(rel, dst, src);

CREATE TABLE IF NOT EXISTS followups (
    seq INTEGER PRIMARY KEY, firm TEXT NOT NULL, segment TEXT NOT NULL,
    date TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS followups_entry ON followups(firm, segment);
CREATE INDEX IF NOT EXISTS followups_segment ON followups(segment);

CREATE TABLE IF NOT EXISTS firm_search (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    names TEXT NOT NULL, pinyin TEXT NOT NULL, initials TEXT NOT NULL, grams TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS firm_fts USING fts5(
    names, pinyin, initials, content='firm_search', content_rowid='rowid', tokenize='trigram'
);
CREATE VIRTUAL TABLE IF NOT EXISTS firm_grams USING fts5(
    grams, content='firm_search', content_rowid='rowid', tokenize='unicode61', prefix='1'
);
CREATE TRIGGER IF NOT EXISTS firm_search_ai AFTER INSERT ON firm_search BEGIN
    INSERT INTO firm_fts(rowid, names, pinyin, initials)
        VALUES (new.rowid, new.names, new.pinyin, new.initials);
    INSERT INTO firm_grams(rowid, grams) VALUES (new.rowid, new.grams);
END;
CREATE TRIGGER IF NOT EXISTS firm_search_ad AFTER DELETE ON firm_search BEGIN
    INSERT INTO firm_fts(firm_fts, rowid, names, pinyin, initials)
        VALUES ('delete', old.rowid, old.names, old.pinyin, old.initials);
    INSERT INTO firm_grams(firm_grams, rowid, grams) VALUES ('delete', old.rowid, old.grams);
END;
CREATE TRIGGER IF NOT EXISTS firm_search_au AFTER UPDATE ON firm_search BEGIN
    INSERT INTO firm_fts(firm_fts, rowid, names, pinyin, initials)
        VALUES ('delete', old.rowid, old.names, old.pinyin, old.initials);
    INSERT INTO firm_grams(firm_grams, rowid, grams) VALUES ('delete', old.rowid, old.grams);
    INSERT INTO firm_fts(rowid, names, pinyin, initials)
        VALUES (new.rowid, new.names, new.pinyin, new.initials);
    INSERT INTO firm_grams(rowid, grams) VALUES (new.rowid, new.grams);
END;

CREATE TRIGGER IF NOT EXISTS nodes_ai AFTER INSERT ON nodes BEGIN
    INSERT INTO counts VALUES (new.kind, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS nodes_ad AFTER DELETE ON nodes BEGIN
    UPDATE counts SET n = n - 1 WHERE key = old.kind;
END;
CREATE TRIGGER IF NOT EXISTS edges_ai AFTER INSERT ON edges BEGIN
    INSERT INTO counts VALUES (new.rel, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS edges_ad AFTER DELETE ON edges BEGIN
    UPDATE counts SET n = n - 1 WHERE key = old.rel;
END;
"""


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection with the busy timeout set; autocommit (transactions are explicit).

    ``check_same_thread=False`` only so that ``SqliteStore.close`` may close every
    connection: each reader is still used by the one thread that opened it."""
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    conn = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache per connection
    return conn


def open_writer(path: Path) -> sqlite3.Connection:
    """The one write connection of this process: WAL, schema created, format checked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = _connect(path, readonly=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
        # every statement is idempotent (two first starts may race); tables added by a later
        # version appear in an older file
        conn.executescript(f"BEGIN IMMEDIATE;{DDL}COMMIT;")
        _check_format(conn, path)
    except sqlite3.DatabaseError as e:
        raise GraphError(
            f"{path} is not a chainkg SQLite data file ({e}); move it away or set "
            "CHAINKG_DATA_FILE to another file"
        ) from e
    return conn


def _check_format(conn: sqlite3.Connection, path: Path) -> None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if row is None or row[0] != FORMAT:
        raise GraphError(
            f"{path} was written by another chainkg version (format {row and row[0]}); "
            "load the dataset into a new file"
        )


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection for one thread."""
    conn = _connect(path, readonly=True)
    conn.execute("PRAGMA query_only = 1")
    return conn
