"""Chain analysis: pure functions over a ``ChainView`` (see view.py), no I/O of their own.

- ``segment_status`` — present / weak / missing, with the rule and its numbers, the evidence
  grade (已核实企业 / 仅官方统计 / 待核实 / 无本地数据) and the coverage (高/中/低);
- ``find_gaps`` — every non-present segment as 补链 / 强链 / 延链, ranked by impact;
  ``completeness`` per chain, ``map_completeness`` — one figure per map;
- ``rank_targets`` — explained target ranking; ``simulate_landing`` — what a landing changes.
"""

from graph.analysis.evidence import Coverage, EvidenceGrade
from graph.analysis.gaps import (
    Completeness,
    Gap,
    GapKind,
    completeness,
    find_gaps,
    map_completeness,
    map_verdicts,
)
from graph.analysis.ranking import (
    CHAINKG_DATE,
    COMPONENT_LABELS,
    COMPONENTS,
    Component,
    RankedCandidate,
    RankWeights,
    order_key,
    rank_targets,
)
from graph.analysis.simulate import LandingResult, simulate_landing
from graph.analysis.status import (
    Fact,
    GapRules,
    SegmentVerdict,
    Status,
    judge_segment,
    segment_status,
)
from graph.analysis.view import ChainView, chain_view, map_view

__all__ = [
    "CHAINKG_DATE",
    "COMPONENTS",
    "COMPONENT_LABELS",
    "ChainView",
    "Completeness",
    "Coverage",
    "EvidenceGrade",
    "Component",
    "Fact",
    "Gap",
    "GapKind",
    "GapRules",
    "LandingResult",
    "RankWeights",
    "RankedCandidate",
    "SegmentVerdict",
    "Status",
    "chain_view",
    "completeness",
    "find_gaps",
    "judge_segment",
    "map_completeness",
    "map_verdicts",
    "map_view",
    "order_key",
    "rank_targets",
    "segment_status",
    "simulate_landing",
]
