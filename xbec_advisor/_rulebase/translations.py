"""Chinese texts beside the English: their hash, their checks, and what is missing or stale.

Every unit (:mod:`.units`) carries ``of``: the hash of the English it translates, written by
``xbec-advisor rules translations --stamp``. The hash is sha256 over the unit's English texts,
each with its whitespace normalised, joined by newlines in a fixed order (the unit's keys in
the order of the format; a list in its order; texts by id sorted by id), first 10 hex digits.
A unit whose ``of`` differs from the hash of its current English is stale.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .._errors import did_you_mean, shown
from .frameworks import figure_refs
from .units import Text, Unit, folder_units

__all__ = [
    "Finding",
    "english_hash",
    "findings",
    "flat_texts",
    "translated",
]

_HASH = re.compile(r"^[0-9a-f]{10}$")


def _norm(text: str) -> str:
    return " ".join(text.split())


def flat_texts(english: dict[str, Text]) -> list[tuple[str, str]]:
    """The unit's texts in hash order, each with where it is (``assumptions[1]``)."""
    out: list[tuple[str, str]] = []
    for key, value in english.items():
        if isinstance(value, str):
            out.append((key, value))
        elif isinstance(value, tuple):
            out += [(f"{key}[{i}]", v) for i, v in enumerate(value)]
        else:
            out += [(f"{key}.{k}", value[k]) for k in sorted(value)]
    return out


def english_hash(english: dict[str, Text]) -> str:
    """The hash a unit's ``of`` must hold: 10 hex digits of sha256 over its English."""
    joined = "\n".join(_norm(t) for _, t in flat_texts(english))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class Finding:
    """Something about one unit's Chinese: invalid (wrong shape), missing, empty, or stale."""

    kind: Literal["invalid", "missing", "empty", "stale"]
    unit: Unit
    #: The key within the unit (``zh.assumptions``), empty for the whole unit.
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.unit.uid}: {self.key}: " if self.key else f"{self.unit.uid}: "
        return f"{self.unit.where or self.unit.file}: {where}{self.message}"


def _zh_key(unit: Unit, key: str) -> str:
    return "zh" if unit.entry else f"zh.{key}"


def _check_text(unit: Unit, key: str, english: str, zh: object, out: list[Finding]) -> None:
    at = _zh_key(unit, key)
    if zh is None:
        out.append(Finding("missing", unit, at, "no Chinese text; translate the English beside it"))
    elif not isinstance(zh, str):
        out.append(Finding("invalid", unit, at, f"expected a text, got {type(zh).__name__}"))
    elif not zh.strip():
        out.append(Finding("empty", unit, at, "the Chinese text is empty; translate the English"))
    elif "TODO" in zh:
        out.append(Finding("empty", unit, at, "still a placeholder (TODO); translate the English"))
    elif sorted(figure_refs(zh)) != sorted(figure_refs(english)):
        out.append(
            Finding(
                "invalid",
                unit,
                at,
                "the figure placeholders must be the English ones "
                f"({', '.join(figure_refs(english)) or 'none'})",
            )
        )


def _check_value(unit: Unit, key: str, english: Text, zh: object, out: list[Finding]) -> None:
    at = _zh_key(unit, key)
    if isinstance(english, str):
        _check_text(unit, key, english, zh, out)
    elif zh is None:
        out.append(
            Finding("missing", unit, at, "no Chinese texts; translate the English beside it")
        )
    elif isinstance(english, tuple):
        if not isinstance(zh, list) or len(zh) != len(english):
            got = f"{len(zh)} item(s)" if isinstance(zh, list) else type(zh).__name__
            out.append(
                Finding(
                    "invalid",
                    unit,
                    at,
                    f"expected a list of {len(english)} text(s), one per English item in the same "
                    f"order, got {got}",
                )
            )
            return
        for i, (en, text) in enumerate(zip(english, zh, strict=True)):
            _check_text(unit, f"{key}[{i}]", en, text, out)
    else:
        if not isinstance(zh, dict):
            out.append(
                Finding(
                    "invalid", unit, at, f"expected texts by platform id ({', '.join(english)})"
                )
            )
            return
        for extra in sorted(set(map(str, zh)) - set(english)):
            out.append(
                Finding(
                    "invalid",
                    unit,
                    f"{at}.{extra}",
                    f"no English text to translate here{did_you_mean(extra, list(english))}; "
                    f"allowed: {', '.join(english)}",
                )
            )
        for k, en in english.items():
            _check_text(unit, f"{key}.{k}", en, zh.get(k), out)


def _check_of(unit: Unit, out: list[Finding]) -> None:
    if unit.of is None or unit.zh is None:
        return
    at = "of" if unit.entry else "zh.of"
    if not _HASH.match(unit.of):
        out.append(
            Finding(
                "invalid",
                unit,
                at,
                f"{shown(unit.of)} is not a hash (10 hex digits); delete the line and run "
                "`xbec-advisor rules translations --stamp`",
            )
        )
    elif unit.of != english_hash(unit.english):
        changed = ", ".join(k for k, _ in flat_texts(unit.english))
        out.append(
            Finding(
                "stale",
                unit,
                at,
                f"the English changed after the Chinese was written (of {unit.of}, now "
                f"{english_hash(unit.english)}; English texts: {changed}); review the Chinese, "
                "then delete the `of:` line and run `xbec-advisor rules translations --stamp`",
            )
        )


def unit_findings(unit: Unit) -> list[Finding]:
    """What is wrong with one unit's Chinese (nothing when complete and current)."""
    out: list[Finding] = []
    if unit.problem:
        return [Finding("invalid", unit, "", unit.problem)]
    if unit.zh is None:
        out.append(
            Finding(
                "missing", unit, "zh", "no Chinese translation; add `zh:` (see docs/rule-format.md)"
            )
        )
        return out
    if unit.entry:
        _check_text(unit, "text", str(unit.english["text"]), unit.zh, out)
    elif not isinstance(unit.zh, dict):
        out.append(
            Finding(
                "invalid",
                unit,
                "zh",
                f"expected a mapping of {', '.join(unit.english)} to Chinese texts",
            )
        )
        return out
    else:
        allowed = [*unit.english, "of"]
        for extra in sorted(set(map(str, unit.zh)) - set(allowed)):
            out.append(
                Finding(
                    "invalid",
                    unit,
                    f"zh.{extra}",
                    f"not a text of this {unit.kind}{did_you_mean(extra, allowed)}; "
                    f"allowed: {', '.join(allowed)}",
                )
            )
        for key, english in unit.english.items():
            _check_value(unit, key, english, unit.zh.get(key), out)
    _check_of(unit, out)
    return out


def findings(
    directory: Path, categories: tuple[str, ...], problems: list[str]
) -> tuple[list[Unit], list[Finding]]:
    """Every unit of a rule folder and what is wrong with their Chinese."""
    units = folder_units(directory, categories, problems)
    return units, [f for unit in units for f in unit_findings(unit)]


def _written(text: str) -> bool:
    return bool(text.strip()) and "TODO" not in text


def translated(unit: Unit) -> dict[str, Text]:
    """The unit's valid, non-empty Chinese texts by English key (what the accessors read)."""
    zh = {"text": unit.zh} if unit.entry else unit.zh
    if not isinstance(zh, dict):
        return {}
    out: dict[str, Text] = {}
    for key, english in unit.english.items():
        value = zh.get(key)
        if isinstance(english, str) and isinstance(value, str) and _written(value):
            out[key] = _norm(value)
        elif (
            isinstance(english, tuple)
            and isinstance(value, list)
            and len(value) == len(english)
            and all(isinstance(v, str) for v in value)
        ):
            out[key] = tuple(_norm(v) for v in value)
        elif isinstance(english, dict) and isinstance(value, dict):
            out[key] = {
                str(k): _norm(v)
                for k, v in value.items()
                if str(k) in english and isinstance(v, str) and _written(v)
            }
    return out
