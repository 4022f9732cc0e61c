"""What a user reads off the analysis is the same on every back end (part of the contract
suite: the ``store`` fixture runs it on ``memory`` and, with NEO4J_URI, on ``neo4j``).

Every chain's view, segment verdicts, gap lists, target rankings and per-map completeness and
gaps are computed on the store under test and on a reference embedded store that was loaded
in reverse order and in several batches; they must match exactly, in order too. So an answer
that depends on how or where the data was written fails here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from store_examples import EXTRA_OPERATIONS, MATCHES, NEW_FIRM, national_graph

from graph import Batch, MemoryStore, NodeKind, Store
from graph.analysis import (
    GapRules,
    chain_view,
    completeness,
    find_gaps,
    rank_targets,
    segment_status,
)
from loaders import read_dataset

XINING = Path(__file__).resolve().parents[2] / "data" / "xining"


def plain(value: Any) -> Any:
    """Comparable plain data that keeps the order of every list and mapping."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [(f.name, plain(getattr(value, f.name))) for f in dataclasses.fields(value)]
    if isinstance(value, dict):
        return [(key, plain(item)) for key, item in value.items()]
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def answers(store: Store, region: str) -> dict[str, Any]:
    """Everything the analysis tells a user about each chain of ``region``."""
    rules = GapRules()
    found: dict[str, Any] = {}
    for chain in store.nodes(NodeKind.CHAIN):
        view = chain_view(store, chain.id, region)
        verdicts = segment_status(view, rules)
        found[chain.id] = plain(
            {
                "view": view,
                "verdicts": verdicts,
                "gaps": find_gaps(view, rules, verdicts=verdicts),
                "completeness": completeness(view, verdicts),
                "ranking": rank_targets(store, view, verdicts=verdicts),
                "by_segment": {s: rank_targets(store, view, segment_id=s) for s in view.segments},
                "maps": {
                    m: (
                        completeness(view, verdicts, map_id=m),
                        find_gaps(view, rules, map_id=m, verdicts=verdicts),
                    )
                    for m in view.maps
                },
            }
        )
    return found


def load_in_reverse(batch: Batch, store: Store, parts: int = 3) -> None:
    """Write ``batch`` back to front in several batches: nodes first, then edges."""
    for records, wrap in ((batch.nodes[::-1], "nodes"), (batch.edges[::-1], "edges")):
        size = -(-len(records) // parts) or 1
        for start in range(0, len(records), size):
            store.apply(Batch(**{wrap: records[start : start + size]}))


def both(store: Store, batch: Batch) -> MemoryStore:
    """Load ``batch`` into the store under test and, reordered, into a reference store."""
    store.apply(batch)
    reference = MemoryStore()
    load_in_reverse(batch, reference)
    return reference


def test_the_mini_dataset_reads_the_same_as_a_reordered_embedded_store(
    store: Store, mini_dataset: Path
) -> None:
    dataset = read_dataset(mini_dataset)
    batch = Batch(nodes=dataset.batch.nodes, edges=[*dataset.batch.edges, *EXTRA_OPERATIONS])
    reference = both(store, batch)
    for target in (store, reference):
        target.load_national(national_graph(), [NEW_FIRM], MATCHES)
    expected = answers(reference, dataset.region)
    assert any(c["origin"] == "national" for c in dict(expected["li"])["ranking"])
    assert answers(store, dataset.region) == expected


@pytest.mark.skipif(not XINING.is_dir(), reason="data/xining is not in this checkout")
def test_the_xining_dataset_reads_the_same_as_a_reordered_embedded_store(store: Store) -> None:
    dataset = read_dataset(XINING)
    reference = both(store, dataset.batch)
    expected = answers(reference, dataset.region)
    assert len(expected) == 6  # six chains, each with gaps, rankings and maps compared
    assert answers(store, dataset.region) == expected
