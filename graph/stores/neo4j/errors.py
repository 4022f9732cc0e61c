"""Driver errors as chainkg errors, and which ones are worth retrying.

Every message says what to check (address, credentials, database name) and never shows the
password: the URI is printed without any ``user:password@`` part.

>>> redact("neo4j+s://admin:hunter2@abcd.databases.neo4j.io")
'neo4j+s://***@abcd.databases.neo4j.io'
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from neo4j import exceptions as ne

from graph.errors import BackendUnavailable, GraphError, WriteRejected

DRIVER_ERRORS = (ne.Neo4jError, ne.DriverError)


@dataclass(frozen=True)
class Target:
    """Where the store points, as it may be shown to a user: never the password."""

    uri: str = "(injected driver)"
    user: str = ""
    database: str = "neo4j"


def redact(uri: str) -> str:
    """``uri`` without any user:password part, safe to print."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


TIMED_OUT = ("Neo.ClientError.Transaction.TransactionTimedOut",)  # + ...ClientConfiguration
OUT_OF_MEMORY = (
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.OutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
)
OUR_STATEMENT = (
    "Neo.ClientError.Statement.SyntaxError",
    "Neo.ClientError.Statement.SemanticError",
    "Neo.ClientError.Statement.ParameterMissing",
    "Neo.ClientError.Statement.TypeError",
)


def translate(error: Exception, target: Target, doing: str) -> GraphError:
    """A driver error as the ``GraphError`` that tells the user what happened and what to do.

    Operational trouble (unreachable, busy, too slow, out of memory) is ``BackendUnavailable``
    with the setting to check; only a statement the server cannot parse or type is called a
    chainkg bug."""
    code = getattr(error, "code", None) or ""
    detail = getattr(error, "message", None) or str(error)
    where = f"Neo4j at {target.uri}"
    if isinstance(error, ne.AuthError) or code.startswith("Neo.ClientError.Security.Unauth"):
        return BackendUnavailable(
            f"{where} refused user {target.user!r}: check NEO4J_USER and NEO4J_PASSWORD"
        )
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return BackendUnavailable(
            f"{where} has no database {target.database!r}: check NEO4J_DATABASE "
            "(Neo4j Community has only 'neo4j')"
        )
    if code.startswith(TIMED_OUT):
        return BackendUnavailable(
            f"{where} stopped {doing} because it ran past its time limit (the server is busy, "
            "or the request is too large): try again later, or ask for less (a chain, a region)"
        )
    if code.startswith(OUT_OF_MEMORY):
        return BackendUnavailable(
            f"{where} ran out of memory while {doing}: give Neo4j more heap "
            "(NEO4J_HEAP, server.memory.heap.max_size, db.memory.transaction.total.max) or "
            "load national-scale data with the bulk import (docs/neo4j.md)"
        )
    if isinstance(error, ne.Forbidden | ne.ConstraintError):
        return WriteRejected(f"{where} refused {doing} for user {target.user!r}: {detail}")
    if isinstance(error, ne.ServiceUnavailable | ne.SessionExpired | ne.DatabaseUnavailable):
        return BackendUnavailable(
            f"cannot reach {where} (database {target.database!r}) while {doing}: {detail}. "
            "Is the server running, and is NEO4J_URI right?"
        )
    if isinstance(error, ne.TransientError):
        return BackendUnavailable(f"{where} stayed busy while {doing}: {detail}; try again")
    if code.startswith(OUR_STATEMENT):
        return GraphError(
            f"{where} could not run chainkg's statement while {doing}: {detail} "
            "(a chainkg bug: please report it)"
        )
    if isinstance(error, ne.ClientError):
        return GraphError(f"{where} refused {doing}: {detail}")
    return GraphError(f"{where} failed while {doing}: {detail}")


def not_worth_retrying(error: Exception) -> bool:
    """A memory or time limit: the same transaction would hit it again, so the driver's retry
    (which would repeat it for up to ``max_transaction_retry_time``) is skipped."""
    code = getattr(error, "code", None) or ""
    return code.startswith(OUT_OF_MEMORY + TIMED_OUT)
