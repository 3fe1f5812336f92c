"""Wrapping text for a terminal where a Chinese character takes two columns.

:func:`textwrap.wrap` counts characters, so a line of Chinese would run to twice the width. Text
without wide characters is wrapped by :mod:`textwrap` itself (the English output stays as it
was); text with them is cut by display width (``unicodedata.east_asian_width``: ``W`` and ``F``
are two columns), between any two Chinese characters or at spaces, never inside a Latin word,
and without starting a line with closing punctuation (``，。、；：！？）``...).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

__all__ = ["display_width", "has_wide", "space_cjk", "wrap_wide"]

#: Punctuation that must not begin a line (it closes what comes before it).
_NO_START = set("，。、；：！？）》」』】〕…—,.;:!?)]}%")
#: A token: spaces, one wide character, or a run of narrow non-space characters.
_TOKENS = re.compile(
    r"\s+|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+"
)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_LATIN = re.compile(f"(?<=[{_HAN}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{_HAN}])")


def space_cjk(text: str) -> str:
    """A space between a Chinese character and a Latin letter or digit next to it, as Chinese
    typesetting does (``使用 TikTok Shop``): generated sentences put names and numbers into
    Chinese text without knowing which script they are in."""
    return _CJK_LATIN.sub(" ", text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal."""
    return sum(_char_width(c) for c in text)


def has_wide(text: str) -> bool:
    """Whether ``text`` has a character two columns wide."""
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def wrap_wide(
    text: str,
    width: int,
    initial_indent: str = "",
    subsequent_indent: str = "",
    break_long_words: bool = True,
) -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` columns, as
    :func:`textwrap.wrap` would (``break_on_hyphens`` off where there are wide characters)."""
    if not has_wide(text):
        return textwrap.wrap(
            text,
            width=width,
            initial_indent=initial_indent,
            subsequent_indent=subsequent_indent,
            break_long_words=break_long_words,
            break_on_hyphens=break_long_words,
        )
    lines: list[str] = []
    indent = initial_indent
    current: list[str] = []
    used = display_width(indent)
    for token in _TOKENS.findall(" ".join(text.split())):
        size = display_width(token)
        if token.isspace():
            if current:
                current.append(" ")
                used += 1
            continue
        if used + size > width and current:
            carried: list[str] = []
            if token[0] in _NO_START and len(current) > 1 and not current[-1].isspace():
                carried = [current.pop()]  # keep the punctuation with the character before it
            line = "".join(current).rstrip()
            lines.append(indent + line)
            indent = subsequent_indent
            current = [c for c in carried]
            used = display_width(indent) + sum(display_width(c) for c in current)
        while break_long_words and used + size > width and not current and len(token) > 1:
            head, take = "", 0
            for char in token:
                if used + take + _char_width(char) > width:
                    break
                head, take = head + char, take + _char_width(char)
            if not head:
                break
            lines.append(indent + head)
            indent = subsequent_indent
            used = display_width(indent)
            token, size = token[len(head) :], display_width(token[len(head) :])
        current.append(token)
        used += size
    if current:
        lines.append(indent + "".join(current).rstrip())
    return lines
