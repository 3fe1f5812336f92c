"""Batch scoring of many profiles (``xbec-advisor score``)."""

from .scoring import Result, score_items
from .sources import Item, expand_paths, read_items

__all__ = ["Item", "Result", "expand_paths", "read_items", "score_items"]
