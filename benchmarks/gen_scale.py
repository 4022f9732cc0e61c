"""Synthesise a national-scale graph around a real dataset, for benchmarks.

The chains, segments, maps, focus region (Xining) and its firms come from the curated dataset
unchanged; around them the generator adds ``--firms`` synthetic firms in ``--regions`` other
regions (2 parks each). Sizes are skewed the way real industry is: segments and regions are
drawn from Zipf-like weights (a few segments and cities hold most firms), and a firm operates
in 1 (70%), 2 (20%) or 3 (10%) segments. The focus region gets no synthetic firm: the point
of the benchmark is whether a query on Xining's chain pays for the rest of the country.

Every synthetic record says what it is (source ``synthetic: benchmarks/gen_scale.py``,
certainty ``reconstructed``, note 合成基准数据); names are 合成企业0000001…, never real firms.

    python benchmarks/gen_scale.py --firms 100000            # into a store, print figures
    python benchmarks/gen_scale.py --firms 100000 --out DIR  # as a curated dataset directory
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import MINI, XINING, peak_rss_mib  # noqa: E402
from graph import Batch, Firm, LocatedIn, MemoryStore, NodeKind, OperatesIn, Park, Region  # noqa: E402
from graph.schema import Segment  # noqa: E402
from loaders import load_dataset, read_dataset  # noqa: E402

SOURCE = "synthetic: benchmarks/gen_scale.py"
NOTE = "合成基准数据，非真实企业"
OPS_PER_FIRM = (1, 2, 3)
OPS_WEIGHTS = (70, 20, 10)
SYNTHETIC = {"source": SOURCE, "certainty": "reconstructed", "note": NOTE, "year": 2024}


@dataclass
class Layout:
    """Where synthetic firms go: segments and parks with their cumulative Zipf weights."""

    segments: list[Segment]
    segment_weights: list[float]
    regions: list[Region]
    parks: list[Park]
    park_weights: list[float]


def zipf_weights(n: int, exponent: float) -> list[float]:
    """Cumulative weights of ranks 1..n under a Zipf law (for ``random.choices``)."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative


def layout(segments: list[Segment], regions: int, rng: random.Random) -> Layout:
    ordered = segments[:]
    rng.shuffle(ordered)  # which segments are big is random, how big is Zipf
    synthetic = [
        Region(id=f"syn-r{i:04d}", name=f"合成城市{i:04d}", **SYNTHETIC)
        for i in range(1, regions + 1)
    ]
    parks = [
        Park(id=f"{r.id}-p{j}", name=f"{r.name}园区{j}", region=r.id, **SYNTHETIC)
        for r in synthetic
        for j in (1, 2)
    ]
    return Layout(
        ordered, zipf_weights(len(ordered), 1.1), synthetic, parks, zipf_weights(len(parks), 0.9)
    )


def firm_records(
    start: int, count: int, plan: Layout, rng: random.Random, located_in: bool = True
) -> tuple[list[Firm], list[OperatesIn | LocatedIn]]:
    firms, edges = [], []
    for number in range(start, start + count):
        firm = Firm(id=f"s{number:07d}", name=f"合成企业{number:07d}", **SYNTHETIC)
        park = rng.choices(plan.parks, cum_weights=plan.park_weights)[0]
        ops = rng.choices(OPS_PER_FIRM, OPS_WEIGHTS)[0]
        picks = rng.choices(plan.segments, cum_weights=plan.segment_weights, k=ops)
        chosen = {s.id: s for s in picks}
        firms.append(firm)
        if located_in:
            edges.append(LocatedIn(src=firm.id, dst=park.id, source=SOURCE, certainty="R"))
        for seg in chosen.values():
            edges.append(_operation(firm.id, seg, park.id, rng))
    return firms, edges


def _operation(firm: str, seg: Segment, park: str, rng: random.Random) -> OperatesIn:
    capacity = round(rng.lognormvariate(0, 1.2), 2) if seg.unit else None
    return OperatesIn(
        src=firm,
        dst=seg.id,
        site=park,
        capacity=capacity,
        unit=seg.unit if capacity is not None else "",
        share=round(rng.uniform(0.05, 1.0), 2),
        source=SOURCE,
        certainty="R",
        note=NOTE,
    )


def batches(
    firms: int, plan: Layout, rng: random.Random, located_in: bool = True, size: int = 20_000
) -> Iterator[Batch]:
    yield Batch.model_construct(nodes=[*plan.regions, *plan.parks], edges=[])
    for start in range(1, firms + 1, size):
        count = min(size, firms + 1 - start)
        nodes, edges = firm_records(start, count, plan, rng, located_in)
        yield Batch.model_construct(nodes=nodes, edges=edges)


@dataclass
class Generated:
    store: MemoryStore
    firms: int
    operations: int
    seconds: float
    peak_rss_mib: float


def base_dataset() -> Path:
    return XINING if (XINING / "dataset.yaml").is_file() else MINI


def generate(
    firms: int,
    regions: int = 300,
    seed: int = 7,
    base: Path | None = None,
    located_in: bool = True,
) -> Generated:
    """A store with the base dataset plus ``firms`` synthetic firms, and what it took.

    ``located_in=False`` leaves out the firms' LOCATED_IN edges (the park is also on each
    operation): about a third less memory, for sizes that would not fit otherwise."""
    rng = random.Random(seed)
    store = MemoryStore()
    load_dataset(base or base_dataset(), store)
    segments = [s for s in store.nodes(NodeKind.SEGMENT) if isinstance(s, Segment)]
    start = time.perf_counter()
    for batch in batches(firms, layout(segments, regions, rng), rng, located_in):
        store.apply(batch)
    return Generated(
        store,
        store.count(NodeKind.FIRM),
        store.count(OperatesIn.REL),
        time.perf_counter() - start,
        peak_rss_mib(),
    )


def write_curated(
    out: Path, firms: int, regions: int = 300, seed: int = 7, base: Path | None = None
) -> Path:
    """The same graph as ``generate`` makes, as a curated dataset directory (``chainkg
    validate/load`` it)."""
    base = base or base_dataset()
    shutil.copytree(base, out, dirs_exist_ok=True)
    rng = random.Random(seed)
    nodes = read_dataset(base).batch.nodes
    segments = sorted((n for n in nodes if isinstance(n, Segment)), key=lambda s: s.id)
    plan = layout(segments, regions, rng)
    _extend_regions(out / "regions.yaml", plan)
    table = out / "local_firms.csv"
    columns = table.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    with table.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for start in range(1, firms + 1, 20_000):
            nodes, edges = firm_records(start, min(20_000, firms + 1 - start), plan, rng)
            for op in (e for e in edges if isinstance(e, OperatesIn)):
                writer.writerow(_csv_row(op, columns))
    return out


def _extend_regions(path: Path, plan: Layout) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["regions"] += [r.model_dump(mode="json", exclude_defaults=True) for r in plan.regions]
    data["parks"] += [p.model_dump(mode="json", exclude_defaults=True) for p in plan.parks]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _csv_row(op: OperatesIn, columns: list[str]) -> list[object]:
    """A local_firms.csv row in the column order of the base dataset's header."""
    number = op.src[1:]
    values = {
        "firm_id": op.src,
        "short_name": f"合成企业{number}",
        "segment": op.dst,
        "park": op.site,
        "capacity": op.capacity if op.capacity is not None else "",
        "unit": op.unit,
        "share": op.share,
        "certainty": "reconstructed",
        "source": SOURCE,
        "year": 2024,  # every fact carries a year (the loader reports one without)
        "note": NOTE,
    }
    return [values.get(column, "") for column in columns]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--regions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write a curated dataset directory instead")
    args = parser.parse_args()
    if args.out:
        print(f"wrote {write_curated(args.out, args.firms, args.regions, args.seed)}")
        return
    made = generate(args.firms, args.regions, args.seed)
    print(
        f"{made.firms:,} firms, {made.operations:,} operations in {made.seconds:.1f} s; "
        f"peak RSS {made.peak_rss_mib:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
