"""What a store holds as *the dataset*: its focus regions, and what a load would change.

Back-end neutral (plain ``Store`` reads), used by the CLI, the API and the console alike:

- ``focus_regions(store)``: the regions a user may analyse — those named by ``region:`` in a
  loaded ``dataset.yaml`` (``Region.focus``), or every region of a store loaded before that
  flag existed;
- ``choose_region(store, asked)``: the region to analyse, or an error that lists the regions
  that are there (an empty store says to load a dataset first);
- ``dataset_changes(store, batch, replace)``: which ids a load would add, change and remove.

>>> from graph.stores.memory import MemoryStore
>>> choose_region(MemoryStore(), None)
Traceback (most recent call last):
...
graph.errors.NoDataset: ...
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.errors import InvalidRequest, NoDataset, NotFound
from graph.i18n import _
from graph.schema import AnyNode, Batch, Direction, Edge, NodeKind, Region, RelType
from graph.store import Store

NATIONAL_KINDS = frozenset({NodeKind.PRODUCT, NodeKind.INDUSTRY})
NATIONAL_RELS = frozenset(
    {
        RelType.MAKES,
        RelType.IN_INDUSTRY,
        RelType.UPSTREAM_MATERIAL,
        RelType.SUBCLASS,
        RelType.DOWNSTREAM_PRODUCT,
        RelType.SUBINDUSTRY_OF,
        RelType.UPSTREAM_INDUSTRY,
    }
)
DATASET_KINDS = tuple(k for k in NodeKind if k not in NATIONAL_KINDS)
DATASET_RELS = tuple(r for r in RelType if r not in NATIONAL_RELS and r != RelType.MATCHES)


def focus_regions(store: Store) -> list[Region]:
    """The regions of the loaded dataset(s), sorted by id: flagged ``focus``, or every
    region when none is (a store written before datasets carried their region)."""
    regions = [r for r in store.nodes(NodeKind.REGION) if isinstance(r, Region)]
    return [r for r in regions if r.focus] or regions


def region_label(region: Region) -> str:
    """``西宁市（xining）``: how a region is named in messages."""
    return f"{region.name}（{region.id}）"


def choose_region(store: Store, asked: str | None) -> str:
    """The region id to analyse: ``asked`` (``--region``, ``?region=``, ``CHAINKG_REGION``)
    if it is a region of the store, else the store's only focus region.

    Raises ``NoDataset`` on a store with no dataset, ``NotFound`` (listing the regions there)
    for a region that is not stored, ``InvalidRequest`` when several are stored and none
    was asked for."""
    regions = focus_regions(store)
    if not regions and not store.count(NodeKind.CHAIN):
        raise NoDataset()
    if asked:
        if isinstance(store.find(asked), Region):
            return asked
        labels = [region_label(r) for r in regions] or [_("none")]
        raise NotFound(NodeKind.REGION.value, asked, [r.id for r in regions], listing=labels)
    if len(regions) == 1:
        return regions[0].id
    if not regions:
        raise InvalidRequest(_("the loaded dataset names no region; add one to regions.yaml"))
    listed = "、".join(region_label(r) for r in regions)
    raise InvalidRequest(
        _(
            "the store holds {n} regions: {regions}; choose one with --region (command line) "
            "or ?region= (web)",
            n=len(regions),
            regions=listed,
        )
    )


# ----------------------------------------------------------------------------- changes


@dataclass
class DatasetChanges:
    """What a load changes: node ids added, changed, removed; relation counts likewise."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    edges_added: int = 0
    edges_changed: int = 0
    edges_removed: int = 0

    @property
    def nothing(self) -> bool:
        counts = (self.edges_added, self.edges_changed, self.edges_removed)
        return not (self.added or self.changed or self.removed or any(counts))


def dataset_changes(store: Store, batch: Batch, replace: bool) -> DatasetChanges:
    """Compare ``batch`` with what is stored: what ``apply`` (``replace=False``) or
    ``replace_dataset`` (``replace=True``) would add, change and remove. Costs one read of
    the stored dataset part (not of the national pool)."""
    changes = DatasetChanges()
    incoming = {n.id: n for n in batch.nodes}
    for node in batch.nodes:
        old = store.find(node.id)
        _sort(changes, node.id, old, node)
    if replace:
        for kind in DATASET_KINDS:
            for node in store.nodes(kind):
                if node.id not in incoming and not _national_firm(store, node):
                    changes.removed.append(node.id)
    _count_edges(changes, store, batch.edges, replace)
    for ids in (changes.added, changes.changed, changes.removed):
        ids.sort()
    return changes


def _sort(changes: DatasetChanges, node_id: str, old: AnyNode | None, new: AnyNode) -> None:
    if old is None:
        changes.added.append(node_id)
    elif old != new:
        changes.changed.append(node_id)


def _national_firm(store: Store, node: AnyNode) -> bool:
    """A firm the national pool names (ChainKG) stays when the dataset is replaced."""
    if node.KIND != NodeKind.FIRM:
        return False
    return any(store.neighbours(node.id, rel, Direction.OUT) for rel in NATIONAL_RELS)


def _count_edges(
    changes: DatasetChanges, store: Store, edges: Iterable[Edge], replace: bool
) -> None:
    incoming = {e.key: e for e in edges}
    rels = {e.REL for e in incoming.values()} | (set(DATASET_RELS) if replace else set())
    stored = {e.key: e for rel in rels for e in store.edges(rel)}
    for key, edge in incoming.items():
        old = stored.get(key)
        changes.edges_added += old is None
        changes.edges_changed += old is not None and old != edge
    if replace:
        changes.edges_removed = sum(1 for k in stored if k not in incoming)
