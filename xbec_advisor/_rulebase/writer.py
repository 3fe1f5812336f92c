"""Writing a rule (format 2) as the YAML a person edits:
texts folded, comparisons and profiles on one line.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from .parse import RULE_KEYS

__all__ = ["dump_rule"]

_WIDTH = 100
_TEXTS = ("title", "advice", "rationale")
_ORDER = RULE_KEYS


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def _flow(value: Any) -> str:
    """A value in YAML flow style (JSON-compatible, with plain keys and safe plain strings)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if (
        isinstance(value, str)
        and value.replace("_", "").replace("-", "").isalnum()
        and value.isascii()
        and not value[:1].isdigit()
        and value.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n")
    ):
        return value
    return _scalar(value)


def _folded(key: str, text: str, indent: str) -> list[str]:
    words = " ".join(text.split())
    if len(indent) + len(key) + len(words) + 4 <= _WIDTH:
        return [f"{indent}{key}: {_scalar(words)}"]
    body = textwrap.wrap(
        words, width=_WIDTH - len(indent) - 2, break_long_words=False, break_on_hyphens=False
    )
    return [f"{indent}{key}: >-", *(f"{indent}  {line}" for line in body)]


def _condition(node: Any, indent: str) -> list[str]:
    """A condition: combinators as block lists, comparisons and names on one line."""
    if isinstance(node, dict) and len(node) == 1:
        key, value = next(iter(node.items()))
        if key in ("all", "any") and isinstance(value, list):
            lines = [f"{indent}{key}:"]
            for item in value:
                sub = _condition(item, indent + "    ")
                lines.append(f"{indent}  - {sub[0].lstrip()}")
                lines += sub[1:]
            return lines
        if (
            key == "not"
            and isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in ("all", "any")
        ):
            return [f"{indent}not:", *_condition(value, indent + "  ")]
    return [f"{indent}{_flow(node)}"]


def _keyed_condition(key: str, node: Any) -> list[str]:
    lines = _condition(node, "  ")
    if len(lines) == 1:
        return [f"{key}: {lines[0].strip()}"]
    return [f"{key}:", *lines]


def _platforms(table: dict[str, Any]) -> list[str]:
    lines = ["platforms:"]
    for plat, entry in table.items():
        if isinstance(entry, dict):
            lines += [
                f"  {plat}:",
                f"    points: {entry['points']}",
                *_folded("why", entry.get("why", ""), "    "),
            ]
        else:
            lines.append(f"  {plat}: {entry}")
    return lines


def _text_list(key: str, items: list[str]) -> list[str]:
    lines = [f"{key}:"]
    for text in items:
        words = " ".join(text.split())
        if len(words) + 6 <= _WIDTH:
            lines.append(f"  - {_scalar(words)}")
        else:
            body = textwrap.wrap(
                words, width=_WIDTH - 4, break_long_words=False, break_on_hyphens=False
            )
            lines += ["  - >-", *(f"    {line}" for line in body)]
    return lines


def _section(key: str, value: Any) -> list[str]:
    if key in _TEXTS:
        return _folded(key, value, "")
    if key in ("when", "unless"):
        return _keyed_condition(key, value)
    if key == "platforms":
        return _platforms(value)
    if key == "excludes":
        return [
            "excludes:",
            *(line for plat, why in value.items() for line in _folded(plat, why, "  ")),
        ]
    if key == "citations":
        return [
            "citations:",
            *(
                line
                for c in value
                for line in (
                    f"  - paper: {c['paper']}",
                    f"    section: {_scalar(str(c['section']))}",
                    f"    quote: {_scalar(c['quote'])}",
                )
            ),
        ]
    if key in ("assumptions", "notes"):
        return _text_list(key, value)
    if key in ("fires", "silent", "may"):
        return [f"{key}:", *(f"  {name}: {_flow(profile)}" for name, profile in value.items())]
    return [f"{key}: {_flow(value)}"]


def dump_rule(rule: dict[str, Any]) -> str:
    """A format-2 rule mapping as YAML text (keys in the documented order)."""
    lines: list[str] = []
    for key in sorted(rule, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER)):
        lines += _section(key, rule[key])
    return "\n".join(lines) + "\n"
