"""Escaping text from the input (profiles, ids, rule packs) for each output, in one place.

Nothing a file says may act in the output that shows it: run as script in an HTML report, turn
into links or layout in Markdown, move the cursor or retitle a terminal, or become a formula in
a spreadsheet. The renderers call these functions on every piece of data they show.
"""

from __future__ import annotations

import html as _html
import re

from .._errors import escape_controls

__all__ = ["csv_cell", "html", "markdown", "markdown_cell", "terminal"]


def terminal(text: str) -> str:
    """Text for a terminal or a text file: control characters shown as escapes (``\\x1b``),
    newlines and tabs kept. Applied to whole outputs of the human formats."""
    return escape_controls(text)


def html(value: object) -> str:
    """Text inside an HTML element or a quoted attribute: markup escaped, control characters
    shown as escapes, runs of white space made one space."""
    return _html.escape(escape_controls(" ".join(str(value).split()), lines=True))


#: Characters Markdown may read as markup. ``_`` inside a word is not (``tiktok_shop``).
_MARKDOWN = re.compile(r"[\\`*\[\]<>#|!&~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|^[-+=]")


def markdown(value: object) -> str:
    """Text inside a Markdown paragraph, list item or emphasis: on one line, markup escaped
    with backslashes (``\\*``, ``\\[``, ``\\<``...), so that it shows as typed."""
    text = escape_controls(" ".join(str(value).split()), lines=True)
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), text)


def markdown_cell(value: object) -> str:
    """:func:`markdown` for a table cell (a ``|`` would start another cell)."""
    return markdown(value)


#: A cell a spreadsheet would run as a formula: OWASP's list of leading characters.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text that starts like one gets a leading
    single quote (OWASP's advice). Numbers stay numbers: a score of -1 is not a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
