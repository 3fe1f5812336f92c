"""JSON: the :class:`~xbec_advisor._advice.models.Advice` model as is."""

from __future__ import annotations

from .._advice.models import Advice


def render_json(advice: Advice) -> str:
    return advice.model_dump_json(indent=2) + "\n"
