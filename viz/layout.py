"""A layout that reads like a chain: upstream on the left, downstream on the right.

Positions are computed here, in Python, so the browser has nothing to simulate (vis-network's
physics would take minutes to settle thousands of nodes) and the same graph always yields the
same picture, byte for byte.

- **Columns.** Segments (and chains, in the overview) are layered by the longest SUPPLIES path
  reaching them; a pure feeder (no supplier on the map) is pulled right to sit just before what
  it feeds, so 胶膜 lands beside 电池片 rather than beside 多晶硅. Stage then wins over depth:
  columns are ordered by (stage, layer), so every 上游 column is left of every 中游 one.
  Cycles (possible across chains) are collapsed first: a cycle's members share a layer.
- **Rows.** Within a column, segments follow the barycentre of their neighbours in the
  previous/next column (fewer crossings), ties broken by id, so the order is stable.
- **Firms** hang below the segment they are anchored to, in a small grid (local firms first,
  then targets, each sorted by id); the segment's block is as tall as its grid.

>>> from viz.model import DisplayEdge, DisplayGraph, EdgeKind, Group, segment_node
>>> g = DisplayGraph("t", (segment_node("b", "B", Group.PRESENT, 1),
...                        segment_node("a", "A", Group.PRESENT, 0)),
...                  (DisplayEdge("a", "b", EdgeKind.SUPPLIES),))
>>> p = place(g)
>>> p.positions["a"][0] < p.positions["b"][0]
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from viz.labels import drawn_label, line_count
from viz.model import STAGE_LABELS, DisplayGraph, DisplayNode, EdgeKind, Group

# Room for boxes, in canvas px at zoom 1, for the fonts of viz.style, as vis-network's
# bounding boxes measure them in Chromium: a segment box is 28 px plus 16 px per label line
# tall and at most ~124 px wide; a firm box is 35 px tall and at most ~100 px wide.
SEGMENT_PAD = 28  # a segment box's margins and border, top and bottom together
SEGMENT_LINE = 16  # one line of a segment label
FIRM_WIDTH = 108
ROW_HEIGHT = 38
FIRMS_GAP = 12  # between a segment box and its first row of firms
CONTEXT_GROUPS = frozenset({Group.EXTERNAL, Group.NEIGHBOUR})  # borrow a column, no band


@dataclass(frozen=True)
class Spacing:
    box: int  # width of a column of boxes
    column_gap: int  # room for the arrows between two columns
    block_gap: int  # vertical space between two blocks of a column


SEGMENTS = Spacing(box=128, column_gap=56, block_gap=30)
CHAINS = Spacing(box=224, column_gap=150, block_gap=90)  # the overview: big boxes, labelled arrows
LAYERING_EDGES = frozenset({EdgeKind.SUPPLIES, EdgeKind.CROSS, EdgeKind.LINKS})
FIRM_ORDER = {Group.FOCUS: 0, Group.LOCAL: 1, Group.TARGET: 2}


@dataclass(frozen=True)
class Band:
    """A stage drawn behind the graph: its label over the stretch ``x0``..``x1``."""

    label: str
    x0: int
    x1: int


@dataclass(frozen=True)
class Placement:
    xy: list[tuple[int, int]]  # (x, y) of each node, integers, in the graph's node order
    node_ids: tuple[str, ...]
    columns: dict[str, int]  # primary node id -> column index
    bands: tuple[Band, ...]
    top: int  # y of the highest block edge, for band headers
    bottom: int

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        """Node id -> (x, y)."""
        return dict(zip(self.node_ids, self.xy, strict=True))


def place(graph: DisplayGraph) -> Placement:
    """Deterministic positions for every node of ``graph``.

    Positions are kept by node *index* (a list), not in a dict by id: on 20,000 nodes the
    dict's random accesses were what made the cost per node grow with the graph."""
    primary = [n for n in graph.nodes if n.anchor is None]
    slot = {node.id: i for i, node in enumerate(graph.nodes) if node.anchor is None}
    attached = _attached_by_anchor(graph, slot)
    flow = _flow_graph(primary, graph)
    columns = _columns(flow, {n.id: n for n in primary})
    order = _row_order(flow, columns)
    spacing = CHAINS if primary and all(n.group == Group.CHAIN for n in primary) else SEGMENTS
    widths = [_column_width(order[c], attached, spacing) for c in range(len(order))]
    lefts = _column_lefts(widths, spacing)
    xy: list[tuple[int, int]] = [(0, 0)] * len(graph.nodes)
    top, bottom = 0, 0
    for col, ids in enumerate(order):
        centre = lefts[col] + widths[col] // 2
        lines = [line_count(drawn_label(graph.nodes[slot[i]])) for i in ids]
        firms = [attached.get(i, []) for i in ids]
        col_top, col_bottom = _place_column(
            [slot[i] for i in ids], lines, centre, spacing.block_gap, firms, xy
        )
        top, bottom = min(top, col_top), max(bottom, col_bottom)
    bands = _bands(primary, columns, lefts, widths, spacing)
    return Placement(xy, tuple(n.id for n in graph.nodes), columns, bands, top, bottom)


# ----------------------------------------------------------------------------- columns


def _attached_by_anchor(graph: DisplayGraph, primary: dict[str, int]) -> dict[str, list[int]]:
    """Indexes of the firms hanging off each segment: local firms first, then targets, by id."""
    keyed: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for i, node in enumerate(graph.nodes):
        if node.anchor is not None:  # sort keys taken while the node is at hand
            keyed[node.anchor].append((FIRM_ORDER.get(node.group, 9), node.id, i))
    stray = sorted(set(keyed) - set(primary))
    if stray:
        firm = keyed[stray[0]][0][1]
        raise ValueError(f"node {firm!r} hangs off {stray[0]!r}, not a segment")
    return {anchor: [i for *_, i in sorted(firms)] for anchor, firms in keyed.items()}


def _flow_graph(primary: list[DisplayNode], graph: DisplayGraph) -> nx.DiGraph:
    flow = nx.DiGraph()
    flow.add_nodes_from(sorted(n.id for n in primary))
    ids = set(flow)
    for edge in graph.edges:
        if edge.kind in LAYERING_EDGES and edge.src in ids and edge.dst in ids:
            if edge.src != edge.dst:
                flow.add_edge(edge.src, edge.dst)
    return flow


def _layers(flow: nx.DiGraph) -> dict[str, int]:
    """Longest-path layer of each node; a feeder sits just before what it feeds."""
    dag = nx.condensation(flow)
    members = dag.graph["mapping"]  # node -> component
    layer: dict[int, int] = {}
    for comp in nx.topological_sort(dag):
        layer[comp] = max((layer[p] + 1 for p in dag.predecessors(comp)), default=0)
    for comp in dag:
        successors = list(dag.successors(comp))
        if dag.in_degree(comp) == 0 and successors:
            layer[comp] = max(0, min(layer[s] for s in successors) - 1)
    return {node: layer[members[node]] for node in flow}


def _columns(flow: nx.DiGraph, nodes: dict[str, DisplayNode]) -> dict[str, int]:
    """Column of each primary node: columns ordered by (stage, layer), then compacted."""
    layers = _layers(flow)
    keys = {n: (_stage(flow, nodes, n), layers[n]) for n in flow}
    rank = {key: i for i, key in enumerate(sorted(set(keys.values())))}
    return {n: rank[keys[n]] for n in flow}


def _stage(flow: nx.DiGraph, nodes: dict[str, DisplayNode], node_id: str) -> int:
    """A node's stage; a context segment takes the stage of what it links to on the map (its
    own chain may call it otherwise), so it joins a column instead of adding one."""
    node = nodes[node_id]
    if node.group in CONTEXT_GROUPS:
        linked = sorted(set(flow.predecessors(node_id)) | set(flow.successors(node_id)))
        for other in linked:
            if nodes[other].group not in CONTEXT_GROUPS and nodes[other].stage is not None:
                return nodes[other].stage  # type: ignore[return-value]
    return node.stage if node.stage is not None else 0


# ----------------------------------------------------------------------------- rows


def _row_order(flow: nx.DiGraph, columns: dict[str, int]) -> list[list[str]]:
    """Ids of each column top to bottom: by id, then barycentre sweeps right, left, right."""
    count = max(columns.values(), default=-1) + 1
    order: list[list[str]] = [[] for _ in range(count)]
    for node in sorted(columns):
        order[columns[node]].append(node)
    sweeps = (
        (range(1, count), flow.predecessors),
        (range(count - 2, -1, -1), flow.successors),
        (range(1, count), flow.predecessors),
    )
    index = {node: i for column in order for i, node in enumerate(column)}
    for sweep, neighbours in sweeps:
        for col in sweep:
            _sort_by_barycentre(order[col], neighbours, index)
    return order


def _sort_by_barycentre(column: list[str], neighbours: object, index: dict[str, int]) -> None:
    """Sort one column by the mean row of its neighbours; ``index`` follows the new order."""

    def key(node: str) -> tuple[float, str]:
        near = [index[m] for m in neighbours(node)]  # type: ignore[operator]
        return (sum(near) / len(near) if near else float(index[node]), node)

    column.sort(key=key)
    index.update((node, i) for i, node in enumerate(column))


# ----------------------------------------------------------------------------- geometry


def _grid_columns(count: int) -> int:
    """How many firms side by side under a segment: narrow columns for short lists."""
    return 1 if count <= 8 else 2 if count <= 30 else 3


def _column_width(ids: Iterable[str], attached: dict[str, list[int]], spacing: Spacing) -> int:
    grid = max((_grid_columns(len(attached.get(i, ()))) for i in ids), default=1)
    return max(spacing.box, grid * FIRM_WIDTH)


def _column_lefts(widths: list[int], spacing: Spacing) -> list[int]:
    lefts, x = [], 0
    for width in widths:
        lefts.append(x)
        x += width + spacing.column_gap
    return lefts


def box_height(lines: int) -> int:
    """Height of a segment (or chain) box whose label has ``lines`` lines."""
    return SEGMENT_PAD + lines * SEGMENT_LINE


def _block_height(firms: int, lines: int) -> int:
    rows = -(-firms // _grid_columns(firms)) if firms else 0
    return box_height(lines) + (FIRMS_GAP + rows * ROW_HEIGHT if rows else 0)


def _place_column(
    slots: list[int],
    lines: list[int],
    centre: int,
    gap: int,
    firms: list[list[int]],
    xy: list[tuple[int, int]],
) -> tuple[int, int]:
    """Stack the column's blocks (a box of ``lines`` label lines and its ``firms`` below)
    centred on y = 0; returns the column's top and bottom."""
    heights = [_block_height(len(f), n) for f, n in zip(firms, lines, strict=True)]
    y = -(sum(heights) + gap * max(len(slots) - 1, 0)) // 2
    top = y
    for slot, n, below, height in zip(slots, lines, firms, heights, strict=True):
        box = box_height(n)
        xy[slot] = (centre, y + box // 2)
        _place_firms(below, centre, y + box + FIRMS_GAP + ROW_HEIGHT // 2, xy)
        y += height + gap
    return top, y - gap


def _place_firms(firms: list[int], centre: int, y0: int, xy: list[tuple[int, int]]) -> None:
    per_row = _grid_columns(len(firms))
    xs = [centre + round((col - (per_row - 1) / 2) * FIRM_WIDTH) for col in range(per_row)]
    for k, slot in enumerate(firms):
        xy[slot] = (xs[k % per_row], y0 + k // per_row * ROW_HEIGHT)


def _bands(
    primary: list[DisplayNode],
    columns: dict[str, int],
    lefts: list[int],
    widths: list[int],
    spacing: Spacing,
) -> tuple[Band, ...]:
    """One band per stage present, spanning its columns (the map's own segments only: context
    segments borrow their neighbours' columns; overviews have no bands)."""
    spans: dict[int, list[int]] = defaultdict(list)
    for node in primary:
        if node.stage is not None and node.group.is_segment and node.group not in CONTEXT_GROUPS:
            spans[node.stage].append(columns[node.id])
    bands = []
    for stage in sorted(spans):
        first, last = min(spans[stage]), max(spans[stage])
        x0 = lefts[first] - spacing.column_gap // 2 + 4
        x1 = lefts[last] + widths[last] + spacing.column_gap // 2 - 4
        bands.append(Band(STAGE_LABELS[stage], x0, x1))
    return tuple(bands)
