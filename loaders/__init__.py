"""Loaders: one module per source. ``curated`` reads chainkg's own dataset format."""

from loaders.curated import Dataset, load_dataset, read_dataset

__all__ = ["Dataset", "load_dataset", "read_dataset"]
