"""Any map as a pyvis ``Network``, for analysts in Jupyter (``pip install 'chainkg[notebook]'``).

>>> net = viz.to_pyvis(graph)          # graph: a DisplayGraph, e.g. viz.chain_map_graph(...)
>>> net.show("pv-map.html")            # in a notebook: an IFrame of the written page

The Network holds exactly the map's nodes and edges, with the map's groups (colours, fonts),
positions (``viz.layout``, physics off), fitted labels (``viz.labels``) and edge styles
(``viz.style``); each node's and edge's ``title`` lists its facts as plain text (vis-network
shows string titles as text, never as HTML). Pages it writes are offline: its template is
ours (``viz/templates/pyvis.html.j2``), inlining the vendored vis-network, because pyvis's own
template loads Bootstrap and vis-network from CDNs even with ``cdn_resources="in_line"``.

pyvis (and the IPython it imports) is an optional dependency, imported only when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from viz.labels import drawn_label
from viz.layout import place
from viz.model import DisplayEdge, DisplayGraph, DisplayNode
from viz.render import LARGE_ABOVE, script_safe_json
from viz.style import EDGE_STYLES, network_options
from viz.vendor import vis_network_js

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "pyvis.html.j2"


def to_pyvis(graph: DisplayGraph, height: str = "720px", notebook: bool = True) -> Any:
    """A configured ``pyvis.network.Network`` of ``graph`` (see the module docstring).

    Raises ``ImportError`` naming the extra to install when pyvis is absent."""
    try:
        from pyvis.network import Network
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("viz.to_pyvis needs pyvis: pip install 'chainkg[notebook]'") from e
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.heading = graph.title
    net.options = network_options(len(graph.nodes) > LARGE_ABOVE)
    for node, (x, y) in zip(graph.nodes, place(graph).xy, strict=True):
        net.nodes.append(_node(node, x, y))
        net.node_ids.append(node.id)
        net.node_map[node.id] = net.nodes[-1]
    net.edges.extend(_edge(edge) for edge in graph.edges)
    _use_offline_template(net, notebook)
    return net


def _node(node: DisplayNode, x: int, y: int) -> dict[str, Any]:
    title = "\n".join([f"{node.label}（{node.group.label}）", *_lines(node.facts)])
    return {
        "id": node.id,
        "label": drawn_label(node),
        "group": node.group.value,
        "x": x,
        "y": y,
        "title": title,
    }


def _edge(edge: DisplayEdge) -> dict[str, Any]:
    out: dict[str, Any] = {"from": edge.src, "to": edge.dst, **EDGE_STYLES[edge.kind]}
    if edge.facts:
        out["title"] = "\n".join([edge.kind.label, *_lines(edge.facts)])
    if edge.label:
        out["label"] = edge.label
    return out


def _lines(facts: Any) -> list[str]:
    return [f"{fact.key.strip()}：{fact.value}" for fact in facts]


def _use_offline_template(net: Any, notebook: bool) -> None:
    """pyvis renders with ``net.templateEnv.get_template(net.path)`` (``net.template`` in
    notebook mode): point both at our offline template."""
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False)
    env.globals["vis_js"] = Markup(vis_network_js())
    env.filters["tojson"] = lambda value: Markup(script_safe_json(value))
    net.templateEnv, net.path, net.template_dir = env, TEMPLATE, str(TEMPLATES)
    net.template = env.get_template(TEMPLATE) if notebook else None
