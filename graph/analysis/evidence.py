"""How much a verdict can claim: the evidence grade of a segment and the coverage behind it.

**Evidence grade** (``EvidenceGrade``), from the local facts about the segment, best first:

- 已核实企业 — a named local firm with a verified fact (a cited report says it operates here);
- 仅官方统计 — a verified official figure shows local capacity, but no verified named firm;
- 待核实 — only unverified, low-reliability or reconstructed facts, or planned projects;
- 无本地数据 — no local fact at all in the data.

**Coverage** (``Coverage`` 高/中/低) says how well the segment was looked at, so that "no firm
known to our data" is never read as "the region has none". Points, from what was looked at:

- +2 a verified local fact (firm, official figure or project) dated within ``RECENT_YEARS`` of
  the newest fact of the chain; +1 if the newest verified fact is older;
- +1 two or more distinct sources on the segment;
- +1 a source of its own on the segment (the research brief or a report discusses it, written
  as the segment's ``source`` in the chain file — different from the chain's source);
- +1 official capacity statistics of the region cover the chain (a figure for this segment, or
  figures for other segments of the chain that do not list this one).

3 points or more is 高, 2 is 中, less is 低.

>>> EvidenceGrade.UNVERIFIED.label
'待核实'
>>> level_for(2).value
'中'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from graph.analysis.view import ChainView
from graph.i18n import _
from graph.schema import Certainty

RECENT_YEARS = 5  # a verified fact this close to the chain's newest fact counts as recent


class EvidenceGrade(StrEnum):
    """What the verdict on a segment rests on (value: a stable English key)."""

    VERIFIED_FIRM = "verified_firm"
    OFFICIAL_ONLY = "official_only"
    UNVERIFIED = "unverified"
    NO_LOCAL_DATA = "no_local_data"

    @property
    def label(self) -> str:
        return {
            "verified_firm": "已核实企业",
            "official_only": "仅官方统计",
            "unverified": "待核实",
            "no_local_data": "无本地数据",
        }[self.value]


class Coverage(StrEnum):
    """How well the data looked at a segment: 高 / 中 / 低."""

    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


def level_for(points: int) -> Coverage:
    """3+ points 高, 2 中, else 低."""
    return Coverage.HIGH if points >= 3 else Coverage.MEDIUM if points == 2 else Coverage.LOW


@dataclass(frozen=True, slots=True)
class Sighting:
    """One local fact about a segment, reduced to what grading needs."""

    kind: str  # "firm" | "figure" | "project"
    name: str
    source: str
    year: int | None
    certainty: Certainty
    capacity: float | None = None
    unit: str = ""

    @property
    def verified(self) -> bool:
        """A verified fact of presence (a plan never is, whatever its source)."""
        return self.certainty == Certainty.VERIFIED and self.kind != "project"

    def quote(self) -> str:
        """``天合光能 30万吨（待核实，2022，http://…）`` — the fact as an officer can check it."""
        amount = f"{self.capacity:g}{self.unit}" if self.capacity is not None else ""
        where = self.source.split(" ; ")[0].split("；")[0][:90]
        year = f"，{self.year}" if self.year else ""
        plan = _("project or report: ") if self.kind == "project" else ""
        return f"{plan}{self.name}{amount}（{self.certainty.label}{year}，{where}）"


def sightings(view: ChainView, segment_id: str) -> list[Sighting]:
    """Every local fact about the segment: firm operations (counted or not), the official
    figure, planned projects."""
    found = []
    for op in view.local_ops.get(segment_id, ()):
        firm = view.firms.get(op.src)
        name = firm.name if firm else op.src
        found.append(Sighting("firm", name, op.source, op.year, op.certainty, op.capacity, op.unit))
    figure = view.capacities.get(segment_id)
    if figure is not None:
        found.append(
            Sighting(
                "figure",
                _("official statistics"),
                figure.source,
                figure.year,
                figure.certainty,
                figure.capacity,
                figure.unit,
            )
        )
    for project in view.projects.get(segment_id, ()):
        # a plan is not presence: whatever its source, it counts as unverified presence
        found.append(
            Sighting("project", project.name, project.source, project.year, project.certainty)
        )
    return found


def grade(facts: Iterable[Sighting]) -> EvidenceGrade:
    """The evidence grade of a segment from its local facts (see the module docstring)."""
    facts = list(facts)
    if any(f.kind == "firm" and f.verified for f in facts):
        return EvidenceGrade.VERIFIED_FIRM
    if any(f.kind == "figure" and f.verified and f.capacity for f in facts):
        return EvidenceGrade.OFFICIAL_ONLY
    if facts:
        return EvidenceGrade.UNVERIFIED
    return EvidenceGrade.NO_LOCAL_DATA


def _statistics_year(view: ChainView, segment_id: str) -> int | None:
    """Year of the region's official figures on the segment's chain (None: none)."""
    chain = view.segment(segment_id).chain
    own = view.segments if chain == view.chain.id else {segment_id: view.segment(segment_id)}
    years = [
        f.year or 0
        for seg, f in view.capacities.items()
        if seg in own and f.certainty == Certainty.VERIFIED
    ]
    return max(years) if years else None


def coverage(view: ChainView, segment_id: str, facts: list[Sighting]) -> tuple[Coverage, str]:
    """The coverage level of a segment and the sources behind it, as a phrase (may be '')."""
    points, basis = 0, []
    verified = [f for f in facts if f.certainty == Certainty.VERIFIED]
    if verified:
        newest, latest = view.newest_year, max((f.year or 0) for f in verified)
        recent = newest is None or latest >= newest - RECENT_YEARS
        points += 2 if recent else 1
    firms = [f for f in facts if f.kind == "firm"]
    if firms:
        years = sorted({f.year for f in firms if f.year})
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
        basis.append(
            _(
                "{n} local firm records ({v} verified, {years})",
                n=len(firms),
                v=sum(f.verified for f in firms),
                years=span or "?",
            )
        )
    if len({f.source for f in facts}) >= 2:
        points += 1
    projects = [f for f in facts if f.kind == "project"]
    if projects:
        basis.append(_("{n} project or report records", n=len(projects)))
    segment = view.segment(segment_id)
    chain = view.chains_seen.get(segment.chain)
    if chain is not None and segment.source != chain.source:
        points += 1
        year = f"{segment.year}" if segment.year else "?"
        basis.append(_("a report on this segment ({year})", year=year))
    stats = _statistics_year(view, segment_id)
    figure = next((f for f in facts if f.kind == "figure"), None)
    if figure is not None:
        points += 1
        basis.append(
            _(
                "official statistics {year} ({certainty})",
                year=_year(figure.year),
                certainty=figure.certainty.label,
            )
        )
    elif stats is not None:
        points += 1
        basis.append(_("official statistics {year} (this segment not listed)", year=_year(stats)))
    return level_for(points), "、".join(basis)


def _year(year: int | None) -> str:
    return _("{year}", year=year) if year else _("year unknown")
