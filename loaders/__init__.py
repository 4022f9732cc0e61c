"""Loaders: one module per source. ``curated`` reads chainkg's own dataset format."""

from loaders.curated import Dataset, keep_pipeline_progress, load_dataset, read_dataset

__all__ = ["Dataset", "keep_pipeline_progress", "load_dataset", "read_dataset"]
