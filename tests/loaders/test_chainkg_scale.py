"""The scale generator behind the national-scale benchmarks (benchmarks/gen_scale.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.gen_scale import NOTE, generate, write_curated
from graph import Firm, MemoryStore, NodeKind, RelType
from loaders import load_dataset, read_dataset


def test_synthetic_firms_surround_the_real_dataset_without_entering_its_region(mini_dataset):
    base = MemoryStore()
    load_dataset(mini_dataset, base)
    made = generate(3000, regions=20, base=mini_dataset)
    store = made.store
    assert made.firms == base.count(NodeKind.FIRM) + 3000
    segments = [s.id for s in store.nodes(NodeKind.SEGMENT)]
    assert store.operations(segments, "xn") == base.operations(segments, "xn")
    synthetic = [f for f in store.nodes(NodeKind.FIRM) if isinstance(f, Firm) and f.note == NOTE]
    assert len(synthetic) == 3000
    assert {f.certainty.value for f in synthetic} == {"reconstructed"}


def test_segment_sizes_are_skewed(mini_dataset):
    store = generate(3000, regions=20, base=mini_dataset).store
    sizes = Counter(op.dst for op in store.edges(RelType.OPERATES_IN))
    ordered = sorted(sizes.values(), reverse=True)
    assert ordered[0] > 3 * ordered[len(ordered) // 2]  # Zipf: the biggest dwarfs the median


def test_located_in_can_be_left_out_for_the_largest_sizes(mini_dataset):
    full = generate(500, regions=5, base=mini_dataset).store
    lean = generate(500, regions=5, base=mini_dataset, located_in=False).store
    assert full.count(RelType.LOCATED_IN) - lean.count(RelType.LOCATED_IN) == 500
    assert full.count(RelType.OPERATES_IN) == lean.count(RelType.OPERATES_IN)


def test_the_same_graph_can_be_written_as_a_curated_dataset(tmp_path: Path, mini_dataset):
    out = write_curated(tmp_path / "scaled", 1000, regions=10, base=mini_dataset)
    dataset = read_dataset(out)  # validates: every synthetic row is a correct curated row
    generated = generate(1000, regions=10, base=mini_dataset).store
    assert dataset.count(NodeKind.FIRM) == generated.count(NodeKind.FIRM)
    operations = sum(1 for e in dataset.batch.edges if e.REL == RelType.OPERATES_IN)
    assert operations == generated.count(RelType.OPERATES_IN)
