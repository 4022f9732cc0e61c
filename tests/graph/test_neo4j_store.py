"""The Neo4j store's own logic that needs no server: connecting, error translation, retries.

The contract suite (test_store_contract.py) runs the store against a real server when
NEO4J_URI is set. Here a scripted stand-in for the *driver* (never for our code) raises the
driver's own exceptions, to check what the store makes of them; connection failures use the
real driver against a closed local port.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import neo4j
import pytest
from neo4j import exceptions as ne

from graph.errors import BackendUnavailable, GraphError, WriteRejected
from graph.schema import Batch, Chain, Segment
from graph.store import Store
from graph.stores.neo4j import statements as q
from graph.stores.neo4j.errors import Target, redact, translate
from graph.stores.neo4j.store import Neo4jStore

CLOSED_PORT = "bolt://127.0.0.1:1"


def server_error(code: str, message: str = "boom") -> ne.Neo4jError:
    """The exception the driver raises for a server failure with this status code."""
    return ne.Neo4jError._hydrate_neo4j(code=code, message=message)


class ScriptedDriver:
    """Plays the driver's session/transaction API. The n-th ``run`` raises ``runs_fail[n]``
    and the n-th ``commit`` raises ``commits_fail[n]`` (``None``: that call succeeds)."""

    def __init__(
        self,
        runs_fail: list[Exception | None] | None = None,
        commits_fail: list[Exception | None] | None = None,
    ) -> None:
        self.runs_fail = list(runs_fail or [])
        self.commits_fail = list(commits_fail or [])
        self.sessions: list[dict[str, Any]] = []
        self.runs: list[tuple[str, dict[str, Any]]] = []
        self.commits = 0

    @staticmethod
    def _next(failures: list[Exception | None]) -> None:
        failure = failures.pop(0) if failures else None
        if failure is not None:
            raise failure

    def session(self, **config: Any) -> ScriptedDriver._Session:
        self.sessions.append(config)
        return ScriptedDriver._Session(self)

    def close(self) -> None:
        pass

    class _Session:
        def __init__(self, driver: ScriptedDriver) -> None:
            self.driver = driver

        def __enter__(self) -> ScriptedDriver._Session:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def begin_transaction(self) -> ScriptedDriver._Tx:
            return ScriptedDriver._Tx(self.driver)

    class _Tx:
        def __init__(self, driver: ScriptedDriver) -> None:
            self.driver = driver

        def __enter__(self) -> ScriptedDriver._Tx:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def run(self, text: str, params: dict[str, Any]) -> ScriptedDriver._Result:
            self.driver._next(self.driver.runs_fail)
            self.driver.runs.append((text, params))
            return ScriptedDriver._Result(_answer(text, params))

        def commit(self) -> None:
            self.driver._next(self.driver.commits_fail)
            self.driver.commits += 1

    class _Result:
        def __init__(self, rows: list[dict[str, Any]]) -> None:
            self.rows = rows

        def data(self) -> list[dict[str, Any]]:
            return self.rows


def _answer(text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """What an empty database answers to our statements."""
    if "rows" in params:
        return [{"written": len(params["rows"]), "changed": len(params["rows"])}]
    if "AS revision" in text:
        return [{"revision": 1}]
    return []


def make_store(driver: ScriptedDriver, **options: Any) -> tuple[Neo4jStore, list[float]]:
    slept: list[float] = []
    store = Neo4jStore(driver, database="chains", sleep=slept.append, **options)  # type: ignore[arg-type]
    return store, slept


def test_transient_error_is_retried_and_the_read_then_succeeds() -> None:
    deadlock = server_error("Neo.TransientError.Transaction.DeadlockDetected")
    driver = ScriptedDriver([deadlock])
    store, slept = make_store(driver)
    assert store.revision == 1
    assert slept == [0.2]
    assert len(driver.sessions) == 2


def test_reads_are_routed_to_readers_of_the_configured_database() -> None:
    driver = ScriptedDriver()
    store, _ = make_store(driver)
    store.find("pv")
    assert driver.sessions[0]["default_access_mode"] == neo4j.READ_ACCESS
    assert driver.sessions[0]["database"] == "chains"


def test_a_database_that_stays_busy_gives_up_with_a_clear_error() -> None:
    busy = [server_error("Neo.TransientError.General.MemoryPoolOutOfMemoryError")] * 4
    store, slept = make_store(ScriptedDriver(busy))
    with pytest.raises(BackendUnavailable, match="stayed busy while reading a node"):
        store.find("pv")
    assert slept == [0.2, 0.4, 0.8]


def test_a_statement_error_is_not_retried_and_named_a_bug() -> None:
    syntax = server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRUN'")
    store, slept = make_store(ScriptedDriver([syntax]))
    with pytest.raises(GraphError, match="a chainkg bug") as caught:
        store.find("pv")
    assert slept == []
    assert caught.value.__cause__ is syntax


def test_apply_retried_after_a_failed_commit_rewrites_the_whole_batch_in_one_transaction() -> None:
    chain = Chain(id="pv", name="光伏制造", source="fixture", year=2023)
    segments = [
        Segment(id=f"pv-s{i}", name=f"环节{i}", chain="pv", stage="上游", source="f", year=2023)
        for i in range(5)
    ]
    # the two constraint statements commit; then the batch's first commit fails transiently
    driver = ScriptedDriver(commits_fail=[None, None, ne.SessionExpired("leader switched")])
    store, slept = make_store(driver, batch_size=2)
    store.apply(Batch(nodes=[chain, *segments]))
    writes = [(t, p) for t, p in driver.runs if t not in {s.text for s in q.SCHEMA}]
    first, second = writes[: len(writes) // 2], writes[len(writes) // 2 :]
    assert first == second  # the retry re-sends every statement of the unit
    merged = [p["rows"] for t, p in second if t == q.MERGE_NODES[Segment.KIND].text]
    assert [len(rows) for rows in merged] == [2, 2, 1]
    assert slept == [0.2]
    assert driver.commits == 2 + 1  # two constraints, then the batch once


@pytest.mark.parametrize(
    ("error", "family", "advice"),
    [
        (ne.AuthError("unauthorized"), BackendUnavailable, "check NEO4J_USER and NEO4J_PASSWORD"),
        (
            server_error("Neo.ClientError.Security.Unauthorized"),
            BackendUnavailable,
            "check NEO4J_USER and NEO4J_PASSWORD",
        ),
        (
            server_error("Neo.ClientError.Database.DatabaseNotFound"),
            BackendUnavailable,
            "check NEO4J_DATABASE",
        ),
        (ne.ServiceUnavailable("no route"), BackendUnavailable, "is NEO4J_URI right?"),
        (
            server_error("Neo.ClientError.Security.Forbidden", "read-only user"),
            WriteRejected,
            "read-only user",
        ),
        (
            server_error("Neo.ClientError.Schema.ConstraintValidationFailed", "already exists"),
            WriteRejected,
            "already exists",
        ),
        (
            server_error("Neo.DatabaseError.General.UnknownError", "disk full"),
            GraphError,
            "failed while writing: disk full",
        ),
    ],
)
def test_driver_errors_become_graph_errors_that_say_what_to_check(
    error: Exception, family: type[GraphError], advice: str
) -> None:
    translated = translate(error, Target("bolt://db:7687", "neo4j", "neo4j"), "writing")
    assert type(translated) is family
    assert advice in str(translated)
    assert "bolt://db:7687" in str(translated)


def test_redact_hides_credentials_in_uris() -> None:
    assert redact("bolt://localhost:7687") == "bolt://localhost:7687"
    assert (
        redact("neo4j://ops:pa55@db.local:7687?policy=eu") == "neo4j://***@db.local:7687?policy=eu"
    )


def timed(action: Callable[[], object]) -> tuple[Exception, float]:
    start = time.monotonic()
    with pytest.raises(GraphError) as caught:
        action()
    return caught.value, time.monotonic() - start


def test_connect_to_a_server_that_is_not_there_fails_fast_and_says_so() -> None:
    error, seconds = timed(lambda: Neo4jStore.connect(CLOSED_PORT, "neo4j", "s3cret"))
    assert isinstance(error, BackendUnavailable)
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in str(error)
    assert "Is the server running, and is NEO4J_URI right?" in str(error)
    assert "s3cret" not in str(error)
    assert seconds < 10


def test_connect_without_a_uri_says_which_variable_to_set() -> None:
    error, _ = timed(lambda: Neo4jStore.connect("  ", "neo4j", "s3cret"))
    assert "NEO4J_URI is not set" in str(error)


def test_a_uri_carrying_a_password_is_refused_without_repeating_it() -> None:
    error, _ = timed(lambda: Neo4jStore.connect("bolt://neo4j:s3cret@127.0.0.1:1", "", ""))
    assert isinstance(error, BackendUnavailable)
    assert "s3cret" not in str(error)
    assert error.__cause__ is None and error.__suppress_context__
    assert "NEO4J_USER/NEO4J_PASSWORD" in str(error)


def test_a_uri_with_a_wrong_scheme_lists_the_right_ones() -> None:
    error, _ = timed(lambda: Neo4jStore.connect("localhost:7687", "neo4j", "x"))
    assert "neo4j+s://" in str(error) and "bolt://host:7687" in str(error)


def test_every_store_method_is_implemented() -> None:
    wanted = {name for name in dir(Store) if not name.startswith("_")}
    missing = {name for name in wanted if not hasattr(Neo4jStore, name)}
    assert missing == set()
    assert isinstance(make_store(ScriptedDriver())[0], Store)
