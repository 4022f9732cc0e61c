"""Records the contract suite adds to the mini fixture: what it lacks to exercise every Store
method (an operation sited at a region, one in another region's park, a national pool)."""

from __future__ import annotations

from graph import Firm, OperatesIn, RelType
from graph.national import NationalBuilder, NationalGraph
from graph.schema import Industry, Matches

SRC = {"source": "contract test", "year": 2024}
NEW_FIRM = Firm(id="a-600002-sh", name="癸碳素", full_name="癸碳素股份有限公司", **SRC)
EXTRA_OPERATIONS = [
    OperatesIn(src="cell-c", dst="li-cell", site="xn", **SRC),
    OperatesIn(src="wafer-i", dst="pv-ingot", site="park-x", **SRC),
]
MATCHES = [
    Matches(src="li-anode", dst="p:负极材料", keyword="负极材料"),
    Matches(src="li-anode", dst="p:人造石墨", keyword="人造石墨"),
]


def national_graph(with_unknown_firm: bool = False) -> NationalGraph:
    """Two products, one industry; anode-g and a new firm make them (the new firm ties)."""
    b = NationalBuilder()
    anode, graphite = b.products.add("负极材料"), b.products.add("人造石墨")
    electronics = b.add_industry(Industry(id="sw:270000", name="电子", level=1))
    for firm, product, weight in (
        ("anode-g", anode, 0.8),
        (NEW_FIRM.id, anode, 0.3),
        (NEW_FIRM.id, graphite, 0.3),
    ):
        b.add(RelType.MAKES, b.firms.add(firm), product, weight)
    b.add(RelType.SUBCLASS, anode, graphite)
    b.add(RelType.IN_INDUSTRY, b.firms.add("anode-g"), electronics)
    b.add(RelType.IN_INDUSTRY, b.firms.add(NEW_FIRM.id), electronics)  # same trade: in the pool
    if with_unknown_firm:
        b.add(RelType.MAKES, b.firms.add("nobody-firm"), anode, 0.1)
    return b.build()
