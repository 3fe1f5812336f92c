"""The language of a text: English (as written) or Simplified Chinese (``zh:`` beside it).

Every accessor takes ``lang`` (``"en"`` or ``"zh"``) and falls back to the English only where no
Chinese text exists (missing, or empty): ``rules check`` makes sure none is missing in the
bundled rules.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from .._errors import XbecError

__all__ = ["LANGS", "Lang", "Translated", "check_lang", "pick", "pick_list"]

Lang = Literal["en", "zh"]
#: The languages of the rule base's texts.
LANGS: tuple[str, ...] = ("en", "zh")


def check_lang(lang: str) -> Lang:
    """``lang`` if it is a language of the rule base, else an error saying which are."""
    if lang not in LANGS:
        raise XbecError(f"unknown language '{lang}'; allowed: {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


def pick(english: str, chinese: object, lang: str) -> str:
    """The text in ``lang``: the Chinese when asked for and written, else the English."""
    if check_lang(lang) == "zh" and isinstance(chinese, str) and chinese.strip():
        return chinese
    return english


def pick_list(english: tuple[str, ...], chinese: object, lang: str) -> tuple[str, ...]:
    """A list of texts in ``lang``, item by item (an item without Chinese stays English)."""
    if check_lang(lang) != "zh" or not isinstance(chinese, tuple | list):
        return english
    if len(chinese) != len(english):
        return english
    return tuple(pick(en, zh, lang) for en, zh in zip(english, chinese, strict=True))


class Translated(BaseModel):
    """A model with English texts as fields and their Chinese in ``zh`` (by field name)."""

    #: The Chinese texts, by the name of the English field (set when the rule base is loaded).
    zh: dict[str, Any] = {}

    def text_in(self, key: str, lang: str = "en") -> str:
        """The text ``key`` (a field holding English, e.g. ``title``) in ``lang``."""
        english = getattr(self, key)
        if not isinstance(english, str):
            raise XbecError(f"'{key}' is not a text of {type(self).__name__}")
        return pick(english, self.zh.get(key), lang)
