"""Interactive chain maps: graph in, HTML out (no store, no network).

Build a display graph from analysis outputs, then render it as one self-contained page::

    view = graph.analysis.chain_view(store, "pv", "xining")
    html = viz.render_map_page(view, graph.analysis.segment_status(view), map_id="pv-map")

Pages inline the vendored vis-network, reference no external URL, escape every data string
and are byte-identical for the same graph. See ``viz.render`` for the page, ``viz.layout``
for the left-to-right chain layout, ``viz.to_pyvis`` for the same map as a pyvis Network in
Jupyter (optional extra ``chainkg[notebook]``).
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.analysis import ChainView, SegmentVerdict
from viz.build import chain_map_graph
from viz.firm import FirmNeighbourhood, firm_graph
from viz.model import DisplayEdge, DisplayGraph, DisplayNode, EdgeKind, Fact, Group
from viz.notebook import to_pyvis
from viz.overview import Overview, overview_graph
from viz.render import IndexEntry, render_index, render_page, write_page


def render_map_page(
    view: ChainView,
    verdicts: Mapping[str, SegmentVerdict],
    map_id: str | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The page of map ``map_id`` of the view's chain (the whole chain when ``None``)."""
    return render_page(chain_map_graph(view, verdicts, map_id, names))


def render_firm_page(hood: FirmNeighbourhood, names: Mapping[str, str] | None = None) -> str:
    """The page of one firm's neighbourhood."""
    return render_page(firm_graph(hood, names))


def render_overview_page(overview: Overview, names: Mapping[str, str] | None = None) -> str:
    """The page of the cross-chain overview."""
    return render_page(overview_graph(overview, names))


__all__ = [
    "DisplayEdge",
    "DisplayGraph",
    "DisplayNode",
    "EdgeKind",
    "Fact",
    "FirmNeighbourhood",
    "Group",
    "IndexEntry",
    "Overview",
    "chain_map_graph",
    "firm_graph",
    "overview_graph",
    "render_index",
    "render_firm_page",
    "render_map_page",
    "render_overview_page",
    "render_page",
    "to_pyvis",
    "write_page",
]
