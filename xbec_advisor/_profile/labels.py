"""Human words for the profile's questions and values (``rules/vocabulary.yaml``; countries and
languages by their names from Babel's CLDR data). Ids stay in JSON and in small print."""

from __future__ import annotations

import functools
from typing import Any

from .._io.paths import default_rules_dir
from .._rulebase.lang import check_lang

__all__ = [
    "VALUES_OF",
    "fact_label",
    "field_label",
    "platform_label",
    "question",
    "value_label",
    "vocabulary",
]

#: The vocabulary section that labels each field's values, where it is not the field's own name.
VALUES_OF = {
    "current_platforms": "platforms",
    "platform_markets": "platforms",
    "target_markets": "target_region",
}


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The bundled vocabulary: ``fields`` (question labels) and ``values`` (per field)."""
    from .._io.safe_yaml import load_rule_file

    data, _ = load_rule_file(default_rules_dir() / "vocabulary.yaml")
    return data if isinstance(data, dict) else {"fields": {}, "values": {}}


@functools.lru_cache(maxsize=4)
def _babel(kind: str, lang: str = "en") -> dict[str, str]:
    """Country (territory) or language names of Babel's CLDR data, in English or Chinese
    (``zh``: Simplified Chinese)."""
    from babel import Locale

    locale = Locale("zh", script="Hans") if lang == "zh" else Locale("en")
    names = locale.territories if kind == "countries" else locale.languages
    return dict(names)


def _text(entry: object, lang: str) -> str | None:
    """An entry of the vocabulary in ``lang``: ``TEXT`` or ``{en: TEXT, zh: "...", of: ...}``
    (the English where the Chinese is missing or empty)."""
    check_lang(lang)
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, dict):
        return None
    chinese = entry.get("zh")
    if lang == "zh" and isinstance(chinese, str) and chinese.strip():
        return " ".join(chinese.split())
    english = entry.get("en")
    return english if isinstance(english, str) else None


def field_label(name: str, lang: str = "en") -> str:
    """A question's short label (``Business model``)."""
    label = _text(vocabulary().get("fields", {}).get(name), lang)
    return label if label else name.replace("_", " ").capitalize()


def question(name: str, lang: str = "en") -> str:
    """The question the questionnaire asks for a field: the field's description (model.py) in
    English, its ``questions:`` entry of the vocabulary in Chinese."""
    from .model import field_specs

    english = field_specs()[name].description
    chinese = _text(vocabulary().get("questions", {}).get(name), "zh") if lang == "zh" else None
    return chinese if lang == "zh" and chinese else english


def fact_label(name: str, lang: str = "en") -> str:
    """A conclusion the rules reuse, as a reader names it (``Culture gap``)."""
    label = _text(vocabulary().get("conclusions", {}).get(name), lang)
    return label if label else name.replace("_", " ").capitalize()


def platform_label(platform: str, lang: str = "en") -> str:
    return value_label("current_platforms", platform, lang)


#: yes and no, in each language.
_YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}


def value_label(field: str, value: object, lang: str = "en") -> str:
    """One value as a person reads it (``Beauty and personal care``, ``China``, ``yes``)."""
    check_lang(lang)
    if isinstance(value, bool):
        return _YES_NO[lang][0 if value else 1]
    if not isinstance(value, str):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if field in ("home_country", "target_countries"):
        return _babel("countries", lang).get(value, value)
    if field == "team_languages":
        return _babel("languages", lang).get(value, value)
    table = vocabulary().get("values", {}).get(VALUES_OF.get(field, field), {})
    found = _text(table.get(value), lang)
    return found if found else value.replace("_", " ")
