"""Tooltip facts: what an officer reads when hovering a segment, a firm or a link.

Every fact that comes from the data is shown with its source, year and certainty, in Chinese,
as plain text (the page writes it with ``textContent``).

>>> source_text("https://example.org/a", 2023, Certainty.UNCERTAIN)
'https://example.org/a（2023年，待核实）'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph.analysis import SegmentVerdict
from graph.schema import (
    Certainty,
    Firm,
    LinkKind,
    OperatesIn,
    Segment,
    Sourced,
    Supplies,
    TargetedFor,
)
from viz.model import STAGE_LABELS, Fact

LINK_LABELS = {
    LinkKind.MATERIAL: "原材料供应",
    LinkKind.EQUIPMENT: "设备供应",
    LinkKind.SERVICE: "配套服务",
}


SOURCE_KEY = "\u3000来源"  # indented: the source of the fact just above
# (a separate fact, so a source shared by many firms is sent to the page once)

# the status rules of graph.analysis.status, in the words an officer reads out
RULE_LABELS = {
    "no_local_firm": "本地既无企业也无产能统计，判为缺失",
    "no_named_firm": "有官方产能统计但不知具体企业，判为薄弱",
    "bottleneck": "本地产能远低于链上相邻环节（瓶颈），判为薄弱",
    "single_firm": "本地企业过少（单点风险），判为薄弱",
    "only_uncertain": "本地企业信息均未核实，判为薄弱",
    "established": "本地企业充足，判为已有",
}


def rule_text(rule: str) -> str:
    """A status rule in words (never its id).

    >>> rule_text("no_local_firm")
    '本地既无企业也无产能统计，判为缺失'
    """
    return RULE_LABELS.get(rule, "其他判定规则（详见缺口分析）")


def source_text(source: str, year: int | None, certainty: Certainty) -> str:
    when = f"{year}年，" if year else "年份不详，"
    return f"{source}（{when}{certainty.label}）"


def sourced(record: Sourced) -> str:
    return source_text(record.source, record.year, record.certainty)


def amount(value: float | None, unit: str) -> str:
    """``102 GW``; '' when unknown."""
    return f"{value:g} {unit}".strip() if value is not None else ""


def _name(names: Mapping[str, str], node_id: str) -> str:
    return names.get(node_id, node_id)


def segment_facts(
    segment: Segment,
    verdict: SegmentVerdict | None,
    names: Mapping[str, str],
    targets: int = 0,
    projects: Iterable[str] = (),
) -> tuple[Fact, ...]:
    facts = []
    if verdict is not None:
        facts.append(Fact("状态", f"{verdict.status.label}：{verdict.reason}"))
    facts.append(Fact("阶段", STAGE_LABELS[segment.stage.rank]))
    facts.append(Fact("所属产业链", "、".join(_name(names, c) for c in segment.chains)))
    if verdict is not None:
        facts += _verdict_facts(verdict)
    if targets:
        facts.append(Fact("靶向企业", f"{targets} 家"))
    planned = "、".join(projects)
    if planned:
        facts.append(Fact("相关项目", planned))
    if segment.aliases:
        facts.append(Fact("又称", "、".join(segment.aliases)))
    facts.append(Fact("环节来源", sourced(segment)))
    if segment.note:
        facts.append(Fact("备注", segment.note))
    return tuple(facts)


def _verdict_facts(verdict: SegmentVerdict) -> list[Fact]:
    facts = [Fact("本地企业", f"{len({f.subject for f in verdict.local_firms})} 家")]
    capacity = amount(verdict.local_capacity, verdict.unit)
    if capacity:
        facts.append(Fact("本地产能", capacity))
    figure = verdict.regional_figure
    if figure is not None:
        origin = source_text(figure.source, figure.year, figure.certainty)
        facts.append(Fact("官方产能统计", amount(figure.capacity, figure.unit) or "未给出数值"))
        facts.append(Fact(SOURCE_KEY, origin))
    facts.append(Fact("判定依据", rule_text(verdict.rule)))
    facts.append(Fact("证据等级", verdict.evidence_grade_label))
    if verdict.coverage_label:
        facts.append(Fact("覆盖与可信度", verdict.coverage_label))
    return facts


def firm_facts(firm: Firm) -> list[Fact]:
    facts = []
    if firm.full_name:
        facts.append(Fact("全称", firm.full_name))
    if firm.stock_code:
        facts.append(Fact("股票代码", firm.stock_code))
    hq = "".join(dict.fromkeys(p for p in (firm.hq_province, firm.hq_city) if p))
    if hq:
        facts.append(Fact("总部", hq))
    return facts


def operation_facts(op: OperatesIn, names: Mapping[str, str]) -> tuple[Fact, Fact]:
    parts = [amount(op.capacity, op.unit)]
    if op.share is not None:
        parts.append(f"业务占比 {op.share:.0%}")
    if op.site:
        parts.append(f"位于 {_name(names, op.site)}")
    what = " · ".join(p for p in parts if p) or "在此环节经营"
    return Fact(f"环节·{_name(names, op.dst)}", what), Fact(SOURCE_KEY, sourced(op))


def target_facts(entry: TargetedFor, names: Mapping[str, str]) -> tuple[Fact, Fact]:
    parts = [f"优先级 {entry.priority}", f"进展 {entry.status.value}"]
    if entry.status_date:
        parts.append(entry.status_date)
    if entry.rationale:
        parts.append(f"理由 {entry.rationale}")
    if entry.status_note:
        parts.append(entry.status_note)
    what = " · ".join(parts)
    return Fact(f"招引·{_name(names, entry.dst)}", what), Fact(SOURCE_KEY, sourced(entry))


def with_firm_source(firm: Firm, facts: list[Fact]) -> list[Fact]:
    """``facts`` plus where the firm's own details come from, unless a fact above already
    cites exactly that (a target row is often both)."""
    source = sourced(firm)
    if any(f.value == source for f in facts):
        return facts
    return [*facts, Fact("企业信息来源", source)]


def supply_facts(link: Supplies) -> tuple[Fact, ...]:
    facts = [Fact("关系", LINK_LABELS[link.kind]), Fact("来源", sourced(link))]
    if link.note:
        facts.append(Fact("备注", link.note))
    return tuple(facts)
