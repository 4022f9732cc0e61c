"""The pages ``viz`` draws, gathered through the Store (viz itself never touches a store).

``page_for(store, id, region)`` gives the HTML page of a map, a chain, a firm or the
cross-chain overview; the API serves these pages and ``chainkg map`` exports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph import InvalidRequest, NodeKind, RelType, Store
from graph.analysis import (
    ChainView,
    GapRules,
    SegmentVerdict,
    chain_view,
    map_verdicts,
    map_view,
    segment_status,
)
from graph.errors import NotFound, closest, kind_name
from graph.i18n import _
from graph.schema import ChainMap, Firm, OperatesIn, TargetedFor
from graph.store import Direction, get_firm, get_segment
from viz import (
    DisplayGraph,
    FirmNeighbourhood,
    IndexEntry,
    Overview,
    chain_map_graph,
    render_firm_page,
    render_index,
    render_overview_page,
    render_page,
    write_page,
)

OVERVIEW = "overview"
INDEX_TITLE = "产业链招商图谱"


@dataclass
class Pages:
    """Chain views and verdicts computed once per chain while exporting many maps."""

    store: Store
    region: str
    rules: GapRules = field(default_factory=GapRules)
    _analysed: dict[str, tuple[ChainView, dict[str, SegmentVerdict]]] = field(default_factory=dict)
    _names: dict[str, str] | None = None

    @property
    def names(self) -> dict[str, str]:
        """Chinese names of regions, parks and chains, for tooltips and subtitles."""
        if self._names is None:
            kinds = (NodeKind.REGION, NodeKind.PARK, NodeKind.CHAIN)
            self._names = {n.id: n.name for kind in kinds for n in self.store.nodes(kind)}
        return self._names

    def analysed(self, chain_id: str) -> tuple[ChainView, dict[str, SegmentVerdict]]:
        if chain_id not in self._analysed:
            view = chain_view(self.store, chain_id, self.region)
            self._analysed[chain_id] = (view, segment_status(view, self.rules))
        return self._analysed[chain_id]

    def map_graph(self, chain_id: str, map_id: str | None) -> DisplayGraph:
        view, verdicts = self.analysed(chain_id)
        chain_map = view.maps.get(map_id) if map_id else None
        if chain_map is not None and not set(chain_map.segments) <= set(view.segments):
            view = map_view(self.store, view, chain_map)
            verdicts = segment_status(view, self.rules)
            # the map's segments keep the verdict of their own chain: one figure per map
            views = {
                c: self.analysed(c)[0] for c in {view.segment(s).chain for s in chain_map.segments}
            }
            own, _weights = map_verdicts(self.store, chain_map, self.region, self.rules, views)
            verdicts = {**verdicts, **own}
        return chain_map_graph(view, verdicts, map_id, self.names)


def page_for(store: Store, item_id: str, region: str, rules: GapRules | None = None) -> str:
    """The HTML page of a map id, a chain id, a firm id, or ``overview``."""
    return render_item(Pages(store, region, rules or GapRules()), item_id)


def render_item(pages: Pages, item_id: str) -> str:
    """The page of a map id, a chain id, a firm id, or ``overview``."""
    if item_id == OVERVIEW:
        return render_overview_page(overview(pages), pages.names)
    node = pages.store.find(item_id)
    if isinstance(node, ChainMap):
        return render_page(pages.map_graph(node.chain, node.id))
    if node is not None and node.KIND == NodeKind.CHAIN:
        return render_page(pages.map_graph(node.id, None))
    if isinstance(node, Firm):
        return render_firm_page(firm_neighbourhood(pages.store, node.id, pages.region), pages.names)
    if node is not None:
        raise InvalidRequest(
            _(
                "{id!r} is a {kind}: give a map id, a chain id, a firm id or 'overview'",
                id=item_id,
                kind=kind_name(node.KIND),
            )
        )
    raise NotFound("map, chain or firm", item_id, closest(item_id, _drawable_ids(pages.store)))


def _drawable_ids(store: Store) -> list[str]:
    kinds = (NodeKind.MAP, NodeKind.CHAIN, NodeKind.FIRM)
    return [OVERVIEW, *(n.id for kind in kinds for n in store.nodes(kind))]


def firm_neighbourhood(store: Store, firm_id: str, region: str) -> FirmNeighbourhood:
    """The firm, its segments, their SUPPLIES neighbours and the local firms in all of them."""
    firm = store.get(firm_id, NodeKind.FIRM)
    assert isinstance(firm, Firm)
    ops = store.neighbours(firm_id, RelType.OPERATES_IN, Direction.OUT)
    targets = store.neighbours(firm_id, RelType.TARGETED_FOR, Direction.OUT)
    own = {e.dst for e in ops} | {e.dst for e in targets}
    supplies = store.supplies_touching(own)
    ids = own | {end for link in supplies for end in (link.src, link.dst)}
    local = [o for o in store.operations(ids, region) if o.src != firm_id]
    return FirmNeighbourhood(
        firm=firm,
        operations=tuple(o for o in ops if isinstance(o, OperatesIn)),
        targets=tuple(t for t in targets if isinstance(t, TargetedFor)),
        segments={i: get_segment(store, i) for i in sorted(ids)},
        supplies=tuple(supplies),
        local_ops=tuple(local),
        firms={o.src: get_firm(store, o.src) for o in local},
        region=region,
    )


def overview(pages: Pages) -> Overview:
    """Every chain, its segments and SUPPLIES links, with each chain's verdicts."""
    chains = pages.store.nodes(NodeKind.CHAIN)
    segments = {s.id: s for c in chains for s in pages.store.chain_segments(c.id)}
    return Overview(
        chains=tuple(chains),  # type: ignore[arg-type]
        segments=segments,
        supplies=tuple(pages.store.supplies_touching(segments)),
        maps=tuple(m for m in pages.store.nodes(NodeKind.MAP) if isinstance(m, ChainMap)),
        verdicts={c.id: pages.analysed(c.id)[1] for c in chains},
        region=pages.region,
    )


def export_all(pages: Pages, folder: Path) -> Iterator[Path]:
    """Every map, the overview, and an index page linking them, written into ``folder``."""
    entries = []
    maps = [m for m in pages.store.nodes(NodeKind.MAP) if isinstance(m, ChainMap)]
    if not maps:
        raise InvalidRequest("the store holds no map (招商图谱): load a dataset with maps.yaml")
    for chain_map in maps:
        graph = pages.map_graph(chain_map.chain, chain_map.id)
        yield write_page(render_page(graph), folder / f"{chain_map.id}.html")
        entries.append(
            IndexEntry(f"{chain_map.id}.html", graph.title, graph.subtitle, graph.summary)
        )
    yield write_page(render_item(pages, OVERVIEW), folder / f"{OVERVIEW}.html")
    chains = pages.store.count(NodeKind.CHAIN)
    entries.append(
        IndexEntry(f"{OVERVIEW}.html", "产业链全景 · 链间关联", f"{chains}条产业链之间的供应关系")
    )
    region = pages.names.get(pages.region, pages.region)
    notes = (f"地区：{region}。每张图谱为独立的 HTML 文件，可直接用浏览器打开，无需联网。",)
    yield write_page(render_index(f"{region}{INDEX_TITLE}", entries, notes), folder / "index.html")
