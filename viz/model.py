"""The display graph: what a map shows, before any layout or HTML.

A ``DisplayGraph`` is plain data: nodes (segments, firms, target firms, chains) with a label, a
group that decides their colour, the segment they hang off, and the facts their tooltip lists;
edges with a kind that decides their style. ``viz.build`` makes one from the analysis outputs,
``viz.layout`` places it, ``viz.render`` turns it into a page. Keeping this layer free of
positions and HTML lets the tests compare it with the graph it came from.

>>> wafer = segment_node("pv-wafer", "切片", Group.MISSING, 1)
>>> g = DisplayGraph(title="示例", nodes=(wafer,), edges=())
>>> g.node("pv-wafer").group.label
'缺失环节'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Group(StrEnum):
    """Decides a node's colour and how filters treat it. Values are the vis-network groups."""

    PRESENT = "present"  # segment the region has
    WEAK = "weak"  # segment the region has, but too little of
    MISSING = "missing"  # segment the region lacks: a hole in the chain
    SEGMENT = "segment"  # segment shown without a verdict (firm neighbourhoods)
    EXTERNAL = "external"  # segment off this map linked to it, shown for context
    OWN = "own"  # firm neighbourhoods: a segment the firm operates in or is courted for
    NEIGHBOUR = "neighbour"  # firm neighbourhoods: a direct SUPPLIES neighbour of those
    LOCAL = "local"  # firm operating in the region
    TARGET = "target"  # firm on the target list (靶向企业)
    FOCUS = "focus"  # the firm a neighbourhood map is about
    CHAIN = "chain"  # a whole chain (overview)

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]

    @property
    def is_segment(self) -> bool:
        return self in SEGMENT_GROUPS


_GROUP_LABELS = {
    Group.PRESENT: "已有环节",
    Group.WEAK: "薄弱环节",
    Group.MISSING: "缺失环节",
    Group.SEGMENT: "环节（未判定）",
    Group.EXTERNAL: "本图之外的关联环节",
    Group.OWN: "企业所在或被招引的环节",
    Group.NEIGHBOUR: "直接上下游环节",
    Group.LOCAL: "本地企业",
    Group.TARGET: "靶向企业",
    Group.FOCUS: "所查企业",
    Group.CHAIN: "产业链",
}
SEGMENT_GROUPS = frozenset(
    {
        Group.PRESENT,
        Group.WEAK,
        Group.MISSING,
        Group.SEGMENT,
        Group.EXTERNAL,
        Group.OWN,
        Group.NEIGHBOUR,
    }
)
STATUS_GROUPS = {"present": Group.PRESENT, "weak": Group.WEAK, "missing": Group.MISSING}


class EdgeKind(StrEnum):
    SUPPLIES = "supplies"  # upstream segment -> downstream segment, both on the map
    CROSS = "cross"  # a SUPPLIES link to a segment outside the map (quiet)
    OPERATES = "operates"  # local firm -- its segment
    TARGETS = "targets"  # target firm -- the segment it is courted for
    LINKS = "links"  # chain -> chain in the overview, aggregated SUPPLIES links

    @property
    def label(self) -> str:
        return {
            "supplies": "供应关系",
            "cross": "与本图之外环节的供应关系",
            "operates": "企业所在环节",
            "targets": "招引目标环节",
            "links": "链间供应",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of a tooltip: ``key`` (Chinese label) and its value, shown as plain text."""

    key: str
    value: str


@dataclass(frozen=True, slots=True)
class DisplayNode:
    id: str
    label: str
    group: Group
    stage: int | None = None  # 0 upstream, 1 midstream, 2 downstream (segments only)
    anchor: str | None = None  # segment a firm is drawn next to (None for segments, chains)
    facts: tuple[Fact, ...] = ()
    search: str = ""  # extra words the search box matches (aliases, full name, stock code)


@dataclass(frozen=True, slots=True)
class DisplayEdge:
    src: str
    dst: str
    kind: EdgeKind
    facts: tuple[Fact, ...] = ()
    label: str = ""  # drawn on the edge (overview: how many links)


@dataclass(frozen=True)
class DisplayGraph:
    title: str
    nodes: tuple[DisplayNode, ...]
    edges: tuple[DisplayEdge, ...]
    subtitle: str = ""
    notes: tuple[str, ...] = ()  # data-honesty notes shown under the title
    summary: tuple[Fact, ...] = ()  # counts shown in the header (已有 3 · 缺失 1 …)
    _index: dict[str, DisplayNode] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update((n.id, n) for n in self.nodes)

    def node(self, node_id: str) -> DisplayNode:
        return self._index[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index


STAGE_LABELS = ("上游", "中游", "下游")


def segment_node(
    node_id: str, label: str, group: Group, stage: int, facts: tuple[Fact, ...] = ()
) -> DisplayNode:
    return DisplayNode(id=node_id, label=label, group=group, stage=stage, facts=facts)
