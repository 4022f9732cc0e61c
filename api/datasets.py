"""Loading a dataset into a store, merged or replaced, and saying what changed.

Shared by ``chainkg load`` and ``POST /api/import/dataset`` so both refuse the same things and
report changes in the same words.
"""

from __future__ import annotations

from graph import InvalidRequest, Store
from graph.datasets import DatasetChanges, dataset_changes
from graph.i18n import _
from loaders import Dataset, keep_pipeline_progress


def write_dataset(store: Store, dataset: Dataset, replace: bool) -> DatasetChanges:
    """Merge (``apply``) or replace (``replace_dataset``) the dataset, keeping the pipeline
    status of targets that still exist; returns what changed. A dataset in which nothing
    was found is refused, so a wrong folder never empties the store."""
    if not dataset.batch.nodes:
        raise InvalidRequest(
            _(
                "{path} holds no dataset (no region, chain or firm found): nothing was "
                "loaded; expected dataset.yaml, regions.yaml and chains/*.yaml (see "
                "docs/data-format.md)",
                path=dataset.path.name or dataset.path,
            )
        )
    batch = keep_pipeline_progress(dataset.batch, store)
    changes = dataset_changes(store, batch, replace)
    if replace:
        store.replace_dataset(batch)
    else:
        store.apply(batch)
    return changes


def _ids(ids: list[str], limit: int = 20) -> str:
    shown = "、".join(ids[:limit])
    return shown + (_(" and {n} more", n=len(ids) - limit) if len(ids) > limit else "")


def describe_changes(changes: DatasetChanges) -> str:
    """What a load changed, in words: counts and ids (the first 20 of each)."""
    if changes.nothing:
        return _("nothing changed: the store already held exactly this dataset")
    lines = []
    for label, ids in (
        (_("added"), changes.added),
        (_("changed"), changes.changed),
        (_("removed"), changes.removed),
    ):
        if ids:
            lines.append(_("{what} {n}: {ids}", what=label, n=len(ids), ids=_ids(ids)))
    lines.append(
        _(
            "relations: {added} added, {changed} changed, {removed} removed",
            added=changes.edges_added,
            changed=changes.edges_changed,
            removed=changes.edges_removed,
        )
    )
    return "\n".join(lines)
