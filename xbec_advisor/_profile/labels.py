"""Human words for the profile's questions and values (``rules/vocabulary.yaml``; countries and
languages by their names from Babel's CLDR data). Ids stay in JSON and in small print."""

from __future__ import annotations

import functools
from typing import Any

from .._io.paths import default_rules_dir

__all__ = [
    "VALUES_OF",
    "fact_label",
    "field_label",
    "platform_label",
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
def _babel(kind: str) -> dict[str, str]:
    from babel import Locale

    names = Locale("en").territories if kind == "countries" else Locale("en").languages
    return dict(names)


def field_label(name: str) -> str:
    """A question's short label (``Business model``)."""
    label = vocabulary().get("fields", {}).get(name)
    return str(label) if label else name.replace("_", " ").capitalize()


def fact_label(name: str) -> str:
    """A conclusion the rules reuse, as a reader names it (``Culture gap``)."""
    label = vocabulary().get("conclusions", {}).get(name)
    return str(label) if label else name.replace("_", " ").capitalize()


def platform_label(platform: str) -> str:
    return value_label("current_platforms", platform)


def value_label(field: str, value: object) -> str:
    """One value as a person reads it (``Beauty and personal care``, ``China``, ``yes``)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if field in ("home_country", "target_countries"):
        return _babel("countries").get(value, value)
    if field == "team_languages":
        return _babel("languages").get(value, value)
    table = vocabulary().get("values", {}).get(VALUES_OF.get(field, field), {})
    found = table.get(value)
    return str(found) if found else value.replace("_", " ")
