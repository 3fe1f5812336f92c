"""Output formats for advice, behind one interface: ``render(advice, fmt) -> str``."""

from __future__ import annotations

from collections.abc import Callable

from ..advice import Advice
from .html import render_html
from .json_format import render_json
from .markdown import render_markdown
from .table import render_table

__all__ = ["FORMATS", "render"]

Renderer = Callable[[Advice], str]
FORMATS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}


def render(advice: Advice, fmt: str = "table") -> str:
    """Render advice in one of :data:`FORMATS`."""
    return FORMATS[fmt](advice)
