"""HTML out: a placed display graph becomes one self-contained, offline, safe page.

Why not pyvis's own rendering: its template loads vis-network and its CSS from cdnjs even in
``in_line`` mode, and its ``add_node``/``add_edge`` check membership in Python lists (quadratic:
20,000 nodes take seconds before any HTML is written -- ``benchmarks/bench_maps.py`` measures
it). So the page is our own Jinja2 template, the data is packed here, the vis-network options
pyvis would assemble (physics, layout, interaction, groups) are written in ``viz.style``, and
vis-network itself is vendored (``viz.vendor``).

Safety: data only ever enters the page as JSON inside ``<script type="application/json">``
with ``<``, ``>``, ``&``, ``/``, U+2028 and U+2029 escaped, so no data can close the script
element; the page script reads it with ``JSON.parse`` and writes text with ``textContent``
(tooltips, search list) or onto the canvas (labels). Everything else in the template is
auto-escaped, and the Content-Security-Policy runs only our own scripts (by hash).

Determinism: no clock, no randomness, lists in graph order; the same graph gives the same bytes.
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import count
from pathlib import Path
from typing import Any

import orjson
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from viz.labels import drawn_label
from viz.layout import Placement, place
from viz.model import DisplayGraph, DisplayNode, EdgeKind, Fact, Group
from viz.style import EDGE_STYLES, MIN_SCALE, edge_swatch, network_options, swatch
from viz.vendor import content_security_policy, scripts, stylesheet

LARGE_ABOVE = 400  # nodes: straight edges, edges hidden while dragging
CLUSTER_ABOVE = 150  # nodes: collapse a segment's firms into one box that opens on click …
CLUSTER_MIN_FIRMS = 6  # … when the segment has at least this many local firms
_JSON_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    (b"/", b"\\/"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def script_safe_json(value: Any) -> str:
    """JSON that can sit inside a ``<script>`` element whatever the strings contain.

    >>> script_safe_json({"name": "</script><img src=x onerror=alert(1)>"})
    '{"name":"\\\\u003c\\\\/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    raw = orjson.dumps(value)
    for char, replacement in _JSON_ESCAPES:
        if char in raw:  # a scan is cheaper than a copy of a multi-megabyte page
            raw = raw.replace(char, replacement)
    return raw.decode("utf-8")


def _string_table() -> defaultdict[str, int]:
    """A table of distinct strings: ``table[text]`` is its index, new texts get the next one
    (insertion-ordered, so ``list(table)`` is the table). Repeated sources and units travel
    once; ``defaultdict(count().__next__)`` keeps the lookup in C on this hot path."""
    return defaultdict(count().__next__)


SHARED_FROM = 24  # characters: longer values go through the string table, shorter travel inline


def _flat_facts(
    facts: Iterable[Fact], keys: dict[str, int], values: dict[str, int]
) -> list[int | str]:
    """Facts as ``[key index, value, …]``: a long value (a source citation, repeated by
    hundreds of firms) as an index into the string table, a short one (a name, a capacity)
    as itself -- a table entry would save little and cost a lookup per fact."""
    flat: list[int | str] = []
    for fact in facts:
        value = fact.value
        flat.append(keys[fact.key])
        flat.append(values[value] if len(value) >= SHARED_FROM else value)
    return flat


def _drawn(nodes: Sequence[DisplayNode]) -> dict[str, list[Any]]:
    """The text drawn in each box (``viz.labels.drawn_label``), compactly: ``cut[i]`` > 0
    means the first ``cut[i]`` characters of the label and "…"; ``wraps`` lists
    ``[i, text]`` for labels drawn on several lines; otherwise the label is drawn whole."""
    cut, wraps = [], []
    for i, node in enumerate(nodes):
        drawn = drawn_label(node)
        if "\n" in drawn:
            wraps.append([i, drawn])
        shortened = drawn != node.label and "\n" not in drawn
        cut.append(len(drawn) - 1 if shortened else 0)
    return {"cut": cut, "wraps": wraps}


GROUP_INDEX = {group: i for i, group in enumerate(Group)}
KIND_INDEX = {kind: i for i, kind in enumerate(EdgeKind)}


def pack(graph: DisplayGraph, placement: Placement) -> dict[str, Any]:
    """The page's data, field by field: one list per field rather than one per node (fewer,
    longer lists are smaller to send and quicker to build and parse), integer positions, and
    indexes into shared string tables.

    nodes: ``id``, ``label`` (the full name), ``cut`` and ``wraps`` (the text fitted in the
    box, see ``_drawn``), ``group``, ``x``, ``y``, ``anchor`` (node index, -1: none),
    ``search`` (string index, -1: none), ``factCount`` per node and all ``facts`` flat as
    (key index, value or value index) pairs; edges: ``from``, ``to`` (node indexes),
    ``kind``, ``edgeFactCount``, ``edgeFacts``, and ``edgeLabels`` as [edge index, string
    index] pairs.
    """
    nodes, edges = graph.nodes, graph.edges
    index = {node.id: i for i, node in enumerate(nodes)}
    keys, values = _string_table(), _string_table()
    xy = placement.xy
    return {
        "groups": [g.value for g in Group],
        "groupLabels": [g.label for g in Group],
        "kinds": [k.value for k in EdgeKind],
        "id": [node.id for node in nodes],
        "label": [node.label for node in nodes],
        **_drawn(nodes),
        "group": [GROUP_INDEX[node.group] for node in nodes],
        "x": [x for x, _ in xy],
        "y": [y for _, y in xy],
        "anchor": [-1 if node.anchor is None else index[node.anchor] for node in nodes],
        "search": [values[node.search] if node.search else -1 for node in nodes],
        "factCount": [len(node.facts) for node in nodes],
        "facts": _flat_facts((f for node in nodes for f in node.facts), keys, values),
        "from": [index[edge.src] for edge in edges],
        "to": [index[edge.dst] for edge in edges],
        "kind": [KIND_INDEX[edge.kind] for edge in edges],
        "edgeFactCount": [len(edge.facts) for edge in edges],
        "edgeFacts": _flat_facts((f for edge in edges for f in edge.facts), keys, values),
        "edgeLabels": [[i, values[edge.label]] for i, edge in enumerate(edges) if edge.label],
        "keys": list(keys),
        "strings": list(values),
        "bands": [[b.label, b.x0, b.x1] for b in placement.bands],
        "top": placement.top,
        "bottom": placement.bottom,
    }


@dataclass(frozen=True)
class IndexEntry:
    """One map listed on the export's index page."""

    href: str
    title: str
    subtitle: str = ""
    summary: tuple[Fact, ...] = ()


def inert_text(value: object) -> object:
    """Escape text for HTML and write ``://`` as ``:&#47;&#47;`` (displayed the same).

    Source citations are often URLs; shown as text they are not resources, and written this
    way no exported page contains an ``http://`` a reviewer's ``grep`` could mistake for one.

    >>> inert_text("<b>https://x.cn</b>")
    Markup('&lt;b&gt;https:&#47;&#47;x.cn&lt;/b&gt;')
    """
    if isinstance(value, Markup):
        return value  # our own trusted fragments (scripts, style, escaped data)
    return Markup(str(escape(value)).replace("://", ":&#47;&#47;"))


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=inert_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _legend(graph: DisplayGraph) -> dict[str, list[dict[str, str]]]:
    groups = sorted({n.group for n in graph.nodes}, key=list(Group).index)
    kinds = sorted({e.kind for e in graph.edges}, key=list(EdgeKind).index)
    return {
        "groups": [{"label": g.label, **swatch(g)} for g in groups],
        "edges": [{"label": k.label, **edge_swatch(k)} for k in kinds],
    }


def _settings(graph: DisplayGraph) -> dict[str, Any]:
    large = len(graph.nodes) > LARGE_ABOVE
    return {
        "options": network_options(large),
        "edgeStyles": {kind.value: style for kind, style in EDGE_STYLES.items()},
        "large": large,
        "clusterMinFirms": CLUSTER_MIN_FIRMS if len(graph.nodes) > CLUSTER_ABOVE else 0,
        "minScale": round(MIN_SCALE + 0.005, 3),  # the default view never zooms out further
    }


def render_page(graph: DisplayGraph) -> str:
    """The interactive map of ``graph`` as one HTML document (a ``str``; write it as UTF-8).

    The cyclic garbage collector is paused meanwhile (and its state restored): packing
    allocates hundreds of thousands of small lists, none in a cycle (reference counting frees
    them), yet each batch of allocations made the collector rescan the whole heap -- 20,000
    nodes took ~1.7x as long with it on. ``gc.disable()`` comes first, before anything is
    allocated here, so no collection starts inside the call."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _render_page(graph)
    finally:
        if was_enabled:
            gc.enable()


def _render_page(graph: DisplayGraph) -> str:
    placement = place(graph)
    vis, app = scripts()
    data = {**pack(graph, placement), **_settings(graph)}
    return (
        _templates()
        .get_template("map.html.j2")
        .render(
            graph=graph,
            legend=_legend(graph),
            has_targets=any(n.group == Group.TARGET for n in graph.nodes),
            has_local=any(n.group == Group.LOCAL for n in graph.nodes),
            has_gaps=any(n.group in (Group.WEAK, Group.MISSING) for n in graph.nodes),
            csp=content_security_policy((vis, app)),
            css=Markup(stylesheet()),
            data=Markup(script_safe_json(data)),
            vis_js=Markup(vis.text),
            app_js=Markup(app.text),
        )
    )


def render_index(title: str, entries: Sequence[IndexEntry], notes: Sequence[str] = ()) -> str:
    """A page linking exported maps (relative links: the folder opens from disk)."""
    return (
        _templates()
        .get_template("index.html.j2")
        .render(
            title=title,
            entries=entries,
            notes=notes,
            csp=content_security_policy(()),
            css=Markup(stylesheet()),
        )
    )


def write_page(html: str, path: str | Path) -> Path:
    """Write a page as UTF-8 (the encoding its ``<meta charset>`` declares), atomically: an
    interrupted export leaves the previous file, never half a page."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an exported map is for sharing
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
