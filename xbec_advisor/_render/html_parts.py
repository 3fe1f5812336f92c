"""The pieces of the HTML report: its style (screen and print), charts, and escaping."""

from __future__ import annotations

import html as _html
import re
from collections.abc import Sequence
from importlib import resources

from .._i18n import _, current_language
from . import escape
from .wrap import space_cjk

__all__ = ["bar_chart", "css", "e", "e_block"]


def e(text: object) -> str:
    """Text escaped for HTML (``escape.html``): markup escaped, whitespace folded, control
    characters shown, not sent; in Chinese, Latin names and numbers spaced from the Chinese
    characters next to them (:func:`.wrap.space_cjk`)."""
    if current_language() == "zh":
        return escape.html(space_cjk(str(text)))
    return escape.html(text)


def e_block(text: str) -> str:
    """Preformatted text escaped for HTML, its lines kept, control characters shown."""
    return _html.escape(escape.terminal(text))


def css(paper: str) -> str:
    """The report's style (``report.css``) for ``paper``: a4 or letter; the page numbers in the
    current language."""
    text = resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")
    return text.replace("@PAGE_SIZE@", "A4" if paper == "a4" else "letter").replace(
        "@PAGE_NUMBERS@", page_numbers()
    )


def page_numbers() -> str:
    """The CSS ``content`` of the page numbers: ``"Page " counter(page) " of " counter(pages)``
    in English, the catalogue's sentence in another language."""
    sentence = _("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", sentence):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            quoted = piece.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            parts.append(f'"{quoted}"')
    return " ".join(parts)


def bar_chart(rows: Sequence[tuple[str, float, bool]], label: str) -> str:
    """Horizontal bars (negative values to the left of the axis), scaling to the page's width."""
    lo = min([0.0, *(v for _, v, _ in rows)])
    hi = max([1.0, *(v for _, v, _ in rows)])
    width, label_w, bar_h = 640, 170, 24
    scale = (width - label_w - 70) / (hi - lo)
    zero = label_w + (-lo) * scale
    height = len(rows) * bar_h + 10
    not_eligible = e(_("(not eligible)"))
    parts = [
        f'<figure><svg role="img" aria-label="{e(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet">'
    ]
    for i, (name, value, ok) in enumerate(rows):
        y = 5 + i * bar_h
        x = zero if value >= 0 else zero + value * scale
        colour = "#2f6fb3" if ok else "#b9c3cc"
        parts.append(f'<text x="0" y="{y + 16}">{e(name)}</text>')
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(abs(value) * scale, 1):.1f}" '
            f'height="{bar_h - 8}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{max(zero, x + abs(value) * scale) + 6:.1f}" y="{y + 16}">'
            f"{value:g}{'' if ok else ' ' + not_eligible}</text>"
        )
    axis = f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#5b6875"/>'
    parts.append(f"{axis}</svg></figure>")
    return "".join(parts)
