"""The Neo4j store's own behaviour on a live server: managed transactions, honest operational
errors, index-backed misses and search, indexed regional reads, the atomic replace.

These run against the scratch server of ``NEO4J_URI`` (CI starts one: tools/neo4j-server);
no stand-in for the driver. Connection failures use the real driver against a closed local
port, so they need no server.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graph import MemoryStore
from graph.errors import BackendUnavailable, DatasetError, GraphError, InvalidRequest, NotFound
from graph.schema import (
    Batch,
    Chain,
    Firm,
    Makes,
    NodeKind,
    OperatesIn,
    Park,
    Product,
    Region,
    RelType,
    Segment,
)
from graph.store import Store
from graph.stores.neo4j import statements as q
from graph.stores.neo4j.errors import redact
from graph.stores.neo4j.store import RETRY_TIME, Neo4jStore, lucene_query

CLOSED_PORT = "bolt://127.0.0.1:1"
SRC = {"source": "fixture", "year": 2023}


def slow(name: str, text: str) -> q.Statement:
    return q.Statement(name, "a test's own statement", text, "read")


def small_graph() -> Batch:
    chain = Chain(id="pv", name="光伏制造", **SRC)
    segments = [
        Segment(id=f"pv-s{i}", name=f"环节{i}", chain="pv", stage="上游", **SRC) for i in range(3)
    ]
    regions = [Region(id="xining", name="西宁", **SRC), Region(id="baotou", name="包头", **SRC)]
    park = Park(id="xn-park", name="南川工业园", region="xining", **SRC)
    firms = [
        Firm(
            id="longi",
            name="隆基绿能",
            full_name="隆基绿能科技股份有限公司",
            aliases=("LONGi",),
            **SRC,
        ),
        Firm(id="tongwei", name="通威股份", **SRC),
        Firm(id="daqo", name="大全能源", **SRC),
    ]
    ops = [
        OperatesIn(src="longi", dst="pv-s0", site="xn-park", **SRC),
        OperatesIn(src="tongwei", dst="pv-s0", site="baotou", **SRC),
        OperatesIn(src="daqo", dst="pv-s1", site="", **SRC),
    ]
    return Batch(nodes=[chain, *segments, *regions, park, *firms], edges=ops)


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


# ---------------------------------------------------------------- live: errors


def test_a_read_past_its_time_limit_is_stopped_and_not_called_a_bug(neo4j_store: Store) -> None:
    store = neo4j_store
    assert isinstance(store, Neo4jStore)
    store.query_timeout = 0.5
    statement = slow("slow", "UNWIND range(1, 400000000) AS x WITH x WHERE x < 0 RETURN count(x)")
    start = time.monotonic()
    with pytest.raises(BackendUnavailable, match="ran past its time limit") as caught:
        store._read(statement, "reading a chain")
    assert time.monotonic() - start < 10
    assert "chainkg bug" not in str(caught.value) and "reading a chain" in str(caught.value)


def test_running_out_of_transaction_memory_says_what_to_raise(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    limit = neo4j_store._read(
        slow("limit", "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value"),
        "reading a setting",
        name="db.memory.transaction.max",
    )
    if not limit or limit[0]["value"] in ("0", "0B", "0.00B"):
        pytest.skip(
            "the server has no transaction memory limit (CI's has db.memory.transaction.max)"
        )
    statement = slow("big", "UNWIND range(1, 200000000) AS x RETURN size(collect(x)) AS n")
    start = time.monotonic()
    with pytest.raises(BackendUnavailable, match="ran out of memory") as caught:
        neo4j_store._read(statement, "loading the national pool")
    assert "NEO4J_HEAP" in str(caught.value) and "chainkg bug" not in str(caught.value)
    assert time.monotonic() - start < RETRY_TIME  # failed at once: the same limit, not retried


def test_a_statement_the_server_cannot_parse_is_named_a_chainkg_bug(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    with pytest.raises(GraphError, match="a chainkg bug"):
        neo4j_store._read(slow("broken", "RETRUN 1"), "reading")


def live_settings() -> tuple[str, str, str]:
    return (
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
    )


def test_wrong_credentials_and_database_say_which_setting_to_check(neo4j_store: Store) -> None:
    uri, user, password = live_settings()
    if not password:
        pytest.skip("the scratch server has no authentication")
    error, _ = timed(lambda: Neo4jStore.connect(uri, user, password + "x"))
    assert isinstance(error, BackendUnavailable) and "check NEO4J_USER and NEO4J_PASSWORD" in str(
        error
    )
    assert password not in str(error)
    error, _ = timed(lambda: Neo4jStore.connect(uri, user, password, database="chains"))
    assert isinstance(error, BackendUnavailable) and "has no database 'chains'" in str(error)


# ---------------------------------------------------------------- live: transactions


def test_a_rejected_batch_rolls_back_inside_the_managed_transaction(neo4j_store: Store) -> None:
    neo4j_store.apply(small_graph())
    before = neo4j_store.revision
    bad = Batch(
        nodes=[Firm(id="new-firm", name="新企业", **SRC)],
        edges=[OperatesIn(src="new-firm", dst="no-such-segment", site="xining", **SRC)],
    )
    with pytest.raises(GraphError):
        neo4j_store.apply(bad)
    assert neo4j_store.find("new-firm") is None and neo4j_store.revision == before


def test_writes_from_many_threads_are_all_kept(neo4j_store: Store) -> None:
    """Each call opens its own session: concurrent writers (API worker threads) never share
    one, and the driver retries any transaction that meets a transient conflict."""
    neo4j_store.apply(small_graph())
    before = neo4j_store.revision
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            neo4j_store.apply(Batch(nodes=[Firm(id=f"t-firm-{i}", name=f"线程企业{i}", **SRC)]))
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert neo4j_store.revision == before + 8
    assert neo4j_store.count(NodeKind.FIRM) == 3 + 8


# ---------------------------------------------------------------- live: indexed reads


def test_a_miss_is_answered_from_the_full_text_index(neo4j_store: Store) -> None:
    neo4j_store.apply(small_graph())
    with pytest.raises(NotFound) as caught:
        neo4j_store.get("pv-s", NodeKind.SEGMENT)
    assert set(caught.value.suggestions) <= {"pv-s0", "pv-s1", "pv-s2"} and caught.value.suggestions
    with pytest.raises(NotFound) as caught:
        neo4j_store.get("longy", NodeKind.FIRM)
    assert caught.value.suggestions[0] == "longi"
    with pytest.raises(NotFound) as caught:
        neo4j_store.get("pv", NodeKind.FIRM)  # a chain, asked for as a firm
    assert "pv" not in caught.value.suggestions


def test_search_goes_through_the_full_text_index_with_a_limit(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    neo4j_store.apply(small_graph())
    assert [f.id for f in neo4j_store.search_nodes("隆基")] == ["longi"]
    assert [f.id for f in neo4j_store.search_nodes("longi")] == ["longi"]
    assert [f.id for f in neo4j_store.search_nodes("科技股份")] == ["longi"]  # full name
    assert len(neo4j_store.search_nodes("股份 能源 绿能", limit=2)) == 2
    assert neo4j_store.search_nodes('"') == [] and neo4j_store.search_nodes("隆基", limit=0) == []
    assert [s.id for s in neo4j_store.search_nodes("环节1", NodeKind.SEGMENT)] == ["pv-s1"]
    assert lucene_query('a") OR *:*') == '"a or" OR a* OR or*'


def test_regional_operations_use_the_region_index_not_a_nationwide_expansion(
    neo4j_store: Store,
) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    neo4j_store.apply(small_graph())
    segments = ["pv-s0", "pv-s1", "pv-s2"]
    assert [op.src for op in neo4j_store.operations(segments, "xining")] == ["longi"]
    assert [op.src for op in neo4j_store.operations(segments, "")] == ["daqo"]
    assert [op.src for op in neo4j_store.operations(segments, "baotou")] == ["tongwei"]
    plan = neo4j_store._read(
        slow("plan", "EXPLAIN " + q.OPERATIONS_IN_REGION.text),
        "explaining",
        segments=segments,
        region="xining",
    )
    assert plan == []  # EXPLAIN returns no rows; the plan itself is checked below
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        summary = session.run(
            "EXPLAIN " + q.OPERATIONS_IN_REGION.text, segments=segments, region="x"
        ).consume()  # type: ignore[arg-type]
    operators = str(summary.plan)
    assert "RelationshipIndexSeek" in operators or "IndexSeek" in operators


def test_the_region_is_derived_from_the_site_and_kept_out_of_the_record(neo4j_store: Store) -> None:
    neo4j_store.apply(small_graph())
    op = neo4j_store.neighbours("longi", OperatesIn.REL, __import__("graph").Direction.OUT)[0]
    assert op == small_graph().edges[0]
    memory = MemoryStore()
    memory.apply(small_graph())
    assert neo4j_store.operations(["pv-s0"], "xining") == memory.operations(["pv-s0"], "xining")


# ---------------------------------------------------------------- live: load --fresh


def test_replacing_the_dataset_is_one_transaction_that_keeps_the_national_pool(
    neo4j_store: Store,
) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    neo4j_store.apply(small_graph())
    pool = Batch(
        nodes=[Product(id="p:硅片", name="硅片"), Firm(id="national-firm", name="全国企业", **SRC)],
        edges=[Makes(src="national-firm", dst="p:硅片", weight=0.5)],
    )
    neo4j_store.apply(pool)
    smaller = Batch(
        nodes=[n for n in small_graph().nodes if n.id not in {"pv-s2", "daqo"}],
        edges=[e for e in small_graph().edges if e.src != "daqo"],
    )
    neo4j_store.replace_dataset(smaller)
    assert neo4j_store.find("pv-s2") is None and neo4j_store.find("daqo") is None
    assert neo4j_store.find("national-firm") is not None and neo4j_store.find("p:硅片") is not None
    assert neo4j_store.count(RelType.MAKES) == 1
    revision = neo4j_store.revision
    neo4j_store.replace_dataset(smaller)  # the same again: nothing changes
    assert neo4j_store.revision == revision
    broken = Batch(
        nodes=[Chain(id="other", name="其他", **SRC)],
        edges=[OperatesIn(src="longi", dst="pv-s0", site="xining", **SRC)],  # longi is gone
    )
    with pytest.raises(DatasetError):
        neo4j_store.replace_dataset(broken)
    assert neo4j_store.find("pv") is not None and neo4j_store.revision == revision
    with pytest.raises(InvalidRequest):
        neo4j_store.replace_dataset(Batch())
    assert neo4j_store.count(NodeKind.SEGMENT) == 2


# ---------------------------------------------------------------- live: the national pool


def test_the_national_pool_loads_in_batches_and_a_failed_load_leaves_the_old_one_in_force(
    neo4j_store: Store, mini_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store_examples import MATCHES, NEW_FIRM, national_graph

    import graph.stores.neo4j.store as module
    from loaders import load_dataset

    assert isinstance(neo4j_store, Neo4jStore)
    load_dataset(mini_dataset, neo4j_store)
    monkeypatch.setattr(module, "NATIONAL_BATCH", 1)  # every row its own transaction
    neo4j_store.load_national(national_graph(), [NEW_FIRM], MATCHES)
    first = neo4j_store.national_candidates(["li-anode"])
    counts = {r: neo4j_store.count(r) for r in (RelType.MAKES, RelType.SUBCLASS, RelType.MATCHES)}
    assert first and counts == {RelType.MAKES: 3, RelType.SUBCLASS: 1, RelType.MATCHES: 2}

    calls = {"n": 0}
    original = Neo4jStore._batches

    def failing(self: Neo4jStore, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # after the firms and the products, before the relationships
            raise BackendUnavailable("the server went away")
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Neo4jStore, "_batches", failing)
    with pytest.raises(BackendUnavailable):
        neo4j_store.load_national(national_graph(), [NEW_FIRM], MATCHES[:1])
    assert neo4j_store.national_candidates(["li-anode"]) == first  # the old pool is in force
    monkeypatch.setattr(Neo4jStore, "_batches", original)

    neo4j_store.load_national(national_graph(), [NEW_FIRM], MATCHES)  # again, whole
    assert neo4j_store.national_candidates(["li-anode"]) == first
    assert {r: neo4j_store.count(r) for r in counts} == counts  # no leftovers of either load
    memory = MemoryStore()
    load_dataset(mini_dataset, memory)
    memory.load_national(national_graph(), [NEW_FIRM], MATCHES)
    assert neo4j_store.edges(RelType.MAKES) == memory.edges(RelType.MAKES)


def test_load_fresh_on_neo4j_replaces_the_dataset_through_the_cli(
    neo4j_store: Store, mini_dataset: Path, tmp_path: Path
) -> None:
    import shutil

    from typer.testing import CliRunner

    from api.cli import app

    runner = CliRunner()
    env = {"CHAINKG_BACKEND": "neo4j"}
    assert runner.invoke(app, ["load", str(mini_dataset)], env=env).exit_code == 0
    assert neo4j_store.count(NodeKind.KPI) == 1
    smaller = Path(shutil.copytree(mini_dataset, tmp_path / "smaller"))
    (smaller / "kpis.yaml").unlink()
    result = runner.invoke(app, ["load", str(smaller), "--fresh"], env=env)
    assert result.exit_code == 0, result.output
    assert neo4j_store.count(NodeKind.KPI) == 0  # replaced, in one transaction
    assert neo4j_store.count(NodeKind.SEGMENT) > 0


def test_top_operations_are_sorted_and_limited_by_the_server(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    graph = small_graph()
    big = [
        OperatesIn(src=f.id, dst="pv-s2", site=site, capacity=cap, **SRC)
        for f, site, cap in zip(
            [n for n in graph.nodes if isinstance(n, Firm)],
            ("xn-park", "baotou", ""),
            (5.0, None, 7.5),
            strict=True,
        )
    ]
    neo4j_store.apply(Batch(nodes=graph.nodes, edges=[*graph.edges, *big]))
    assert [o.src for o in neo4j_store.top_operations("pv-s2")] == ["daqo", "longi", "tongwei"]
    assert [o.src for o in neo4j_store.top_operations("pv-s2", "xining")] == ["daqo", "tongwei"]
    assert [o.src for o in neo4j_store.top_operations("pv-s2", limit=1)] == ["daqo"]
    assert neo4j_store.top_operations("pv-s2", limit=0) == []
