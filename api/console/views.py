"""What the console's chain pages show, computed from the analysis and the store: the main
map, each gap's best targets, and the target table filtered and sorted by query parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph import ChainMap, Firm, Store, TargetedFor
from graph.analysis import RankedCandidate

TOP_PER_GAP = 3
SORTS = {
    "rank": lambda r: (r.candidate.rank,),
    "score": lambda r: (-r.candidate.score, r.candidate.rank),
    "priority": lambda r: (r.priority or 9, r.candidate.rank),
    "status": lambda r: (r.status_order, r.candidate.rank),
    "province": lambda r: (r.province or "~", r.candidate.rank),
}
PIPELINE = ("待接触", "已接触", "洽谈中", "已签约", "已落地")


def main_map(maps: list[ChainMap], chain_segments: Iterable[str]) -> ChainMap | None:
    """The map that best covers the chain: most of its segments, then fewest from outside,
    then the id (so the whole-chain map comes before an auxiliaries map)."""
    segments = set(chain_segments)

    def key(m: ChainMap) -> tuple[int, int, str]:
        shown = set(m.segments)
        return (-len(shown & segments), len(shown - segments), m.id)

    return min(maps, key=key) if maps else None


@dataclass(frozen=True)
class Row:
    """One line of the target table: a ranked candidate with its list entry and province."""

    candidate: RankedCandidate
    province: str
    entry: TargetedFor | None

    @property
    def priority(self) -> int | None:
        return self.entry.priority if self.entry else None

    @property
    def status(self) -> str:
        return str(self.entry.status) if self.entry else ""

    @property
    def status_order(self) -> int:
        return PIPELINE.index(self.status) if self.status in PIPELINE else len(PIPELINE)


def rows(store: Store, candidates: list[RankedCandidate]) -> list[Row]:
    entries = {(t.src, t.dst): t for t in store.targets({c.segment for c in candidates})}
    found: list[Row] = []
    for c in candidates:
        firm = store.find(c.firm)
        province = firm.hq_province if isinstance(firm, Firm) else ""
        found.append(Row(c, province, entries.get((c.firm, c.segment))))
    return found


def top_targets(candidates: list[RankedCandidate]) -> dict[str, list[RankedCandidate]]:
    """Segment id → its best ``TOP_PER_GAP`` candidates, in rank order."""
    best: dict[str, list[RankedCandidate]] = {}
    for c in candidates:
        picked = best.setdefault(c.segment, [])
        if len(picked) < TOP_PER_GAP:
            picked.append(c)
    return best


def count_by_segment(candidates: list[RankedCandidate]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c.segment] = counts.get(c.segment, 0) + 1
    return counts


@dataclass(frozen=True)
class TableQuery:
    """The target table's filters and order, as given in the URL (all optional)."""

    segment: str = ""
    province: str = ""
    status: str = ""
    priority: str = ""
    sort: str = "rank"

    def keep(self, row: Row) -> bool:
        return (
            (not self.segment or row.candidate.segment == self.segment)
            and (not self.province or row.province == self.province)
            and (not self.status or row.status == self.status or self._unlisted(row))
            and (not self.priority or str(row.priority or "") == self.priority)
        )

    def _unlisted(self, row: Row) -> bool:
        return self.status == "未列入名单" and row.entry is None

    def apply(self, found: list[Row]) -> list[Row]:
        order = SORTS.get(self.sort, SORTS["rank"])
        return sorted((r for r in found if self.keep(r)), key=order)

    def url(self, base: str, **change: str) -> str:
        """This query with some parameters changed, as a link (empty values dropped)."""
        from urllib.parse import urlencode

        params = {**self.__dict__, **change}
        kept = {k: v for k, v in params.items() if v and not (k == "sort" and v == "rank")}
        return base + ("?" + urlencode(kept) if kept else "") + "#targets"


def choices(found: list[Row], names: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: those present in the table, as (value, label)."""
    segments = dict.fromkeys(r.candidate.segment for r in found)
    provinces = sorted({r.province for r in found if r.province})
    statuses = [s for s in PIPELINE if any(r.status == s for r in found)]
    if any(r.entry is None for r in found):
        statuses.append("未列入名单")
    priorities = sorted({str(r.priority) for r in found if r.priority})
    return {
        "segment": [(s, names.get(s, s)) for s in segments],
        "province": [(p, p) for p in provinces],
        "status": [(s, s) for s in statuses],
        "priority": [(p, f"{p}级") for p in priorities],
    }
