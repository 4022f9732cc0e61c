"""Chain analysis: pure functions over a ``ChainView`` (see view.py), no I/O of their own.

- ``segment_status`` — present / weak / missing, with the rule and its numbers;
- ``find_gaps`` — 补链 / 强链 / 延链 ranked by impact; ``completeness`` per chain and map;
- ``rank_targets`` — explained target ranking; ``simulate_landing`` — what a landing changes.
"""

from graph.analysis.gaps import Completeness, Gap, GapKind, completeness, find_gaps
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
    "map_view",
    "order_key",
    "rank_targets",
    "segment_status",
    "simulate_landing",
]
