"""Display graphs of a chain or one of its maps, built from the analysis outputs.

Input is what ``graph.analysis`` computes -- a ``ChainView`` and its segment verdicts -- so the
colours on the map are exactly the statuses the gap tables report. What is shown:

- the map's segments (or all the chain's, shared ones included), coloured by status;
- segments outside the map linked to them by SUPPLIES, as quiet context nodes;
- local firms (operations sited in the region) hanging off their segment;
- target-list firms hanging off the segment they are courted for (hidden until asked for);
- SUPPLIES as arrows (quiet dashed ones to context segments), firm -- segment lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from graph.analysis import ChainView, SegmentVerdict
from graph.errors import InvalidRequest, NotFound, closest
from graph.schema import Certainty, ChainMap, Firm, Segment
from viz.facts import (
    firm_facts,
    operation_facts,
    segment_facts,
    supply_facts,
    target_facts,
    with_firm_source,
)
from viz.model import (
    STATUS_GROUPS,
    DisplayEdge,
    DisplayGraph,
    DisplayNode,
    EdgeKind,
    Fact,
    Group,
)

RULES_NOTE = (
    "环节状态：已有＝本地企业充足；薄弱＝本地企业少于{min_firms}家、产能低于本链上下游环节的"
    "{ratio:.0%}、仅有官方统计而无具体企业或信息均未核实；缺失＝本地无企业且无产能统计。"
)
SOURCES_NOTE = "每个环节、企业和关系的来源、年份与可信度见悬停提示。"


def chain_map_graph(
    view: ChainView,
    verdicts: Mapping[str, SegmentVerdict],
    map_id: str | None = None,
    names: Mapping[str, str] | None = None,
) -> DisplayGraph:
    """The display graph of map ``map_id`` of the view's chain, or of the whole chain.

    ``names`` maps ids of regions, parks and other chains to their Chinese names for the
    tooltips (ids are shown where a name is not given).
    """
    names = {view.chain.id: view.chain.name, **(names or {})}
    chain_map = _chain_map(view, map_id) if map_id else None
    shown = list(chain_map.segments) if chain_map else sorted(view.segments)
    _check_in_view(view, shown, map_id)
    context = _context_segments(view, shown)
    seg_names = {s: view.segment(s).name for s in (*shown, *context)}
    labels = {**names, **seg_names}
    firm_nodes, firm_edges = _firms(view, shown, labels)
    nodes = (
        [_segment_node(view, verdicts, s, labels) for s in shown]
        + [_context_node(view, verdicts, s, labels) for s in context]
        + firm_nodes
    )
    edges = _supply_edges(view, set(shown)) + firm_edges
    return DisplayGraph(
        title=chain_map.name if chain_map else f"{view.chain.name}产业链图谱",
        subtitle=_subtitle(view, chain_map, names),
        nodes=tuple(nodes),
        edges=tuple(edges),
        notes=_notes(view, chain_map, verdicts),
        summary=_summary(view, shown, verdicts, firm_nodes),
    )


def _chain_map(view: ChainView, map_id: str) -> ChainMap:
    chain_map = view.maps.get(map_id)
    if chain_map is None:
        raise NotFound("ChainMap", map_id, closest(map_id, view.maps))
    return chain_map


def _check_in_view(view: ChainView, shown: Iterable[str], map_id: str | None) -> None:
    unknown = [s for s in shown if s not in view.segments and s not in view.neighbours]
    if unknown:
        raise InvalidRequest(
            f"map {map_id!r} shows segments outside chain {view.chain.id!r}: {', '.join(unknown)}; "
            "widen the view to every segment of the map first (api.cli.maps.map_view does)"
        )


def _context_segments(view: ChainView, shown: list[str]) -> list[str]:
    """Segments off the map that SUPPLIES links connect to it, sorted by id."""
    on_map = set(shown)
    touching = {
        end
        for link in view.supplies
        if link.src in on_map or link.dst in on_map
        for end in (link.src, link.dst)
    }
    return sorted(touching - on_map)


def _segment_node(
    view: ChainView, verdicts: Mapping[str, SegmentVerdict], seg_id: str, names: Mapping[str, str]
) -> DisplayNode:
    segment = view.segment(seg_id)
    verdict = verdicts.get(seg_id)
    group = STATUS_GROUPS[verdict.status.value] if verdict else Group.SEGMENT
    projects = [p.name for p in view.projects.get(seg_id, ())]
    targets = len(view.targets.get(seg_id, ()))
    facts = segment_facts(segment, verdict, names, targets, projects)
    return _segment(segment, group, facts)


def _context_node(
    view: ChainView, verdicts: Mapping[str, SegmentVerdict], seg_id: str, names: Mapping[str, str]
) -> DisplayNode:
    segment = view.segment(seg_id)
    facts = (
        Fact("说明", "本图之外的关联环节，仅示意供需关系"),
        *segment_facts(segment, verdicts.get(seg_id), names),
    )
    return _segment(segment, Group.EXTERNAL, facts)


def _segment(segment: Segment, group: Group, facts: tuple[Fact, ...]) -> DisplayNode:
    return DisplayNode(
        id=segment.id,
        label=segment.name,
        group=group,
        stage=segment.stage.rank,
        facts=facts,
        search=" ".join((*segment.aliases, *segment.keywords)),
    )


def _supply_edges(view: ChainView, shown: set[str]) -> list[DisplayEdge]:
    edges = []
    for link in view.supplies:  # sorted by (src, dst) by the store
        if link.src in shown or link.dst in shown:
            inside = link.src in shown and link.dst in shown
            kind = EdgeKind.SUPPLIES if inside else EdgeKind.CROSS
            edges.append(DisplayEdge(link.src, link.dst, kind, supply_facts(link)))
    return edges


def _firms(
    view: ChainView, shown: list[str], names: Mapping[str, str]
) -> tuple[list[DisplayNode], list[DisplayEdge]]:
    """Local firms of the shown segments, then target firms not already local."""
    order = {s: (view.segment(s).stage.rank, s) for s in shown}
    ops = defaultdict(list)
    entries = defaultdict(list)
    for seg in shown:
        for op in view.local_ops.get(seg, ()):
            ops[op.src].append(op)
        for entry in view.targets.get(seg, ()):
            entries[entry.src].append(entry)
    nodes, edges = [], []
    for firm_id in sorted(ops):
        anchor = min((op.dst for op in ops[firm_id]), key=order.__getitem__)
        facts = [f for op in ops[firm_id] for f in operation_facts(op, names)]
        facts += [f for e in entries.get(firm_id, ()) for f in target_facts(e, names)]
        nodes.append(_firm_node(view.firms[firm_id], Group.LOCAL, anchor, facts))
        edges += [DisplayEdge(firm_id, op.dst, EdgeKind.OPERATES) for op in ops[firm_id]]
    for firm_id in sorted(set(entries) - set(ops)):
        anchor = min((e.dst for e in entries[firm_id]), key=order.__getitem__)
        facts = [f for e in entries[firm_id] for f in target_facts(e, names)]
        nodes.append(_firm_node(view.firms[firm_id], Group.TARGET, anchor, facts))
    for firm_id in sorted(entries):
        edges += [DisplayEdge(firm_id, e.dst, EdgeKind.TARGETS) for e in entries[firm_id]]
    return nodes, edges


def _firm_node(firm: Firm, group: Group, anchor: str, facts: list[Fact]) -> DisplayNode:
    return DisplayNode(
        id=firm.id,
        label=firm.name,
        group=group,
        anchor=anchor,
        facts=tuple(with_firm_source(firm, [*firm_facts(firm), *facts])),
        search=" ".join((firm.full_name, *firm.aliases, firm.stock_code)),
    )


def _subtitle(view: ChainView, chain_map: ChainMap | None, names: Mapping[str, str]) -> str:
    parts = [f"产业链：{view.chain.name}", f"地区：{names.get(view.region, view.region)}"]
    description = (chain_map.description if chain_map else "") or view.chain.description
    if description:
        parts.append(description)
    return " · ".join(parts)


def _notes(
    view: ChainView, chain_map: ChainMap | None, verdicts: Mapping[str, SegmentVerdict]
) -> tuple[str, ...]:
    """A one-line headline on how far to trust the map, then the details (sources, rules)."""
    record = chain_map or view.chain
    if record.certainty == Certainty.RECONSTRUCTED:
        notes = ["本图谱由 chainkg 根据公开资料整理重建，非官方发布。"]
    else:
        notes = [f"图谱结构：{record.certainty.label}。"]
    year = f"（{record.year}年）" if record.year else ""
    notes.append(f"图谱来源：{record.source}{year}")
    if record.note:
        notes.append(f"说明：{record.note}")
    thresholds = next(iter(verdicts.values())).thresholds if verdicts else {}
    if thresholds:
        ratio = thresholds.get("bottleneck_ratio", 0.25)
        notes.append(RULES_NOTE.format(min_firms=thresholds.get("min_firms", 2), ratio=ratio))
    notes.append(SOURCES_NOTE)
    return tuple(notes)


def _summary(
    view: ChainView,
    shown: list[str],
    verdicts: Mapping[str, SegmentVerdict],
    firms: list[DisplayNode],
) -> tuple[Fact, ...]:
    statuses = [verdicts[s].status.value for s in shown if s in verdicts]
    targets = {e.src for s in shown for e in view.targets.get(s, ())}
    return (
        Fact("环节", str(len(shown))),
        Fact("已有", str(statuses.count("present"))),
        Fact("薄弱", str(statuses.count("weak"))),
        Fact("缺失", str(statuses.count("missing"))),
        Fact("本地企业", str(sum(1 for f in firms if f.group == Group.LOCAL))),
        Fact("靶向企业", str(len(targets))),
    )
