"""Output formats for advice, behind one interface: ``render(advice, fmt) -> str``.

Each format lives in its own module, imported when it is first used (start-up time).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the renderers: escape.py stays free of the advice models
    from .._advice.models import Advice

__all__ = ["FORMATS", "render", "render_explained"]

Renderer = Callable[["Advice"], str]
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


def render(advice: Advice, fmt: str = "table", lang: str | None = None) -> str:
    """Render advice in one of :data:`FORMATS`, its headings and sentences in ``lang`` (``en``
    or ``zh``; None: the current language). Give advice made in the same language
    (``advise(profile, lang=...)``): the rule texts are the advice's own."""
    from .._i18n import using

    with using(lang):
        return renderer(fmt)(advice)


def render_explained(advice: Advice, fmt: str, explanation: str) -> str:
    """Advice with its explanation (``advise --explain``, the text of
    :func:`~xbec_advisor._analysis.explain.render_explanation`) in the same document: a section
    of the HTML report (escaped, inside the document), an indented block in Markdown (shown as
    typed), text after the table. JSON puts it beside the advice (the caller builds it)."""
    if fmt == "html":
        from .html import render_html

        return render_html(advice, appendix=explanation)
    if fmt == "markdown":
        from .escape import terminal

        block = "\n".join(f"    {line}" if line else "" for line in explanation.splitlines())
        from .._i18n import _

        heading = "\n## " + _("How the advice was reached") + "\n\n"
        return render(advice, fmt) + heading + terminal(block) + "\n"
    from .escape import terminal

    return render(advice, fmt) + "\n" + terminal(explanation)
