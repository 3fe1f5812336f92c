"""Output formats for advice, behind one interface: ``render(advice, fmt) -> str``.

Each format lives in its own module, imported when it is first used (start-up time).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .._advice.models import Advice

__all__ = ["FORMATS", "render"]

Renderer = Callable[[Advice], str]
#: Each format's module in this package and its rendering function.
_RENDERERS: dict[str, tuple[str, str]] = {
    "table": ("table", "render_table"),
    "json": ("json_format", "render_json"),
    "markdown": ("markdown", "render_markdown"),
    "html": ("html", "render_html"),
}
FORMATS: tuple[str, ...] = tuple(_RENDERERS)


def renderer(fmt: str) -> Renderer:
    """The function rendering one of :data:`FORMATS`."""
    module, name = _RENDERERS[fmt]
    function: Renderer = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return function


def render(advice: Advice, fmt: str = "table") -> str:
    """Render advice in one of :data:`FORMATS`."""
    return renderer(fmt)(advice)
