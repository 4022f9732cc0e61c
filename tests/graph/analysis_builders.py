"""Small hand-built graphs with known answers, for the analysis tests."""

from __future__ import annotations

from graph import (
    Batch,
    Chain,
    ChainMap,
    Firm,
    HasCapacity,
    MemoryStore,
    OperatesIn,
    Park,
    ParkIn,
    PartOf,
    Region,
    Segment,
    Shows,
    Supplies,
    TargetedFor,
)

SRC = {"source": "test", "year": 2024}


class GraphBuilder:
    """Collects records with terse calls, then writes them to a fresh MemoryStore."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.edges: list = []
        self.nodes += [
            Region(id="home", name="本地", **SRC),
            Region(id="away", name="外地", **SRC),
            Park(id="park", name="园区", region="home", **SRC),
        ]
        self.edges.append(ParkIn(src="park", dst="home"))

    def chain(self, chain_id: str, *segments: tuple[str, str], shared: tuple[str, ...] = ()):
        """A chain with segments (id, stage) and one map showing them all (+ shared ones)."""
        self.nodes.append(Chain(id=chain_id, name=f"链{chain_id}", **SRC))
        ids = []
        for seg_id, stage in segments:
            self.nodes.append(
                Segment(
                    id=seg_id, name=f"环节{seg_id}", chain=chain_id, stage=stage, unit="GW", **SRC
                )
            )
            self.edges.append(PartOf(src=seg_id, dst=chain_id))
            ids.append(seg_id)
        for seg_id in shared:
            self.edges.append(PartOf(src=seg_id, dst=chain_id))
            ids.append(seg_id)
        self.nodes.append(
            ChainMap(
                id=f"{chain_id}-map",
                name=f"图谱{chain_id}",
                chain=chain_id,
                segments=tuple(ids),
                **SRC,
            )
        )
        self.edges += [Shows(src=f"{chain_id}-map", dst=s) for s in ids]
        return self

    def link(self, *pairs: str):
        """Links a>b written as 'a>b'."""
        for pair in pairs:
            src, dst = pair.split(">")
            self.edges.append(Supplies(src=src, dst=dst, **SRC))
        return self

    def firm(self, firm_id: str, code: str = "") -> None:
        if not any(n.id == firm_id for n in self.nodes):
            self.nodes.append(Firm(id=firm_id, name=f"企业{firm_id}", stock_code=code, **SRC))

    def local(
        self, firm_id: str, segment: str, capacity: float | None = None, certainty: str = "verified"
    ):
        self.firm(firm_id)
        self.edges.append(
            OperatesIn(
                src=firm_id,
                dst=segment,
                site="park",
                capacity=capacity,
                unit="GW" if capacity is not None else "",
                certainty=certainty,
                **SRC,
            )
        )
        return self

    def outside(
        self,
        firm_id: str,
        segment: str,
        capacity: float | None = None,
        share: float | None = None,
        code: str = "",
    ):
        self.firm(firm_id, code)
        self.edges.append(
            OperatesIn(
                src=firm_id,
                dst=segment,
                site="away",
                capacity=capacity,
                unit="GW" if capacity is not None else "",
                share=share,
                **SRC,
            )
        )
        return self

    def target(
        self,
        firm_id: str,
        segment: str,
        priority: int = 1,
        share: float | None = None,
        code: str = "",
    ):
        self.outside(firm_id, segment, share=share, code=code)
        self.edges.append(TargetedFor(src=firm_id, dst=segment, priority=priority, **SRC))
        return self

    def figure(self, segment: str, capacity: float):
        self.edges.append(HasCapacity(src="home", dst=segment, capacity=capacity, unit="GW", **SRC))
        return self

    def store(self) -> MemoryStore:
        store = MemoryStore()
        store.apply(Batch(nodes=self.nodes, edges=self.edges))
        return store
