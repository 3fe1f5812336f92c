"""The translatable units of a rule folder: each English text a person reads, grouped as the
Chinese beside it is (docs/rule-format.md, "Translations").

A unit is read from the parsed YAML of its file, never from the models: its English texts (in a
fixed order, the order of its hash), its Chinese (``zh``, as written, or ``None`` when absent)
and the hash of the English it was stamped against (``of``). Two forms:

- a ``zh:`` mapping inside a mapping that holds several English texts (a rule, a framework
  entry, a named condition, a figure, a presence cell, a change), with the same keys as the
  English and ``of``;
- an entry whose English is one text (a label, a fact's meaning, an area's sentence) written
  ``{en: TEXT, zh: "...", of: ...}``; a plain ``TEXT`` is an entry without translation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .._errors import did_you_mean
from .._io.safe_yaml import load_rule_file

__all__ = ["Text", "Unit", "english_of", "folder_units", "question_texts"]

#: One English (or Chinese) text of a unit: a text, a list of texts, or texts by id.
Text = str | tuple[str, ...] | dict[str, str]


@dataclass(frozen=True, eq=False)
class Unit:
    """One translated unit: where it is, its English, and the Chinese written beside it."""

    #: The file it is in.
    file: Path
    #: What it is: rule, framework, dimension, category, condition, fact, area, figure, cell,
    #: change, field, value, conclusion, question.
    kind: str
    #: Its id within the kind (a rule id, ``payment_modes.paypal`` for a value label...).
    uid: str
    #: Keys and list indexes from the document's root to the mapping that holds ``zh``.
    path: tuple[str | int, ...]
    english: dict[str, Text]
    #: The Chinese as written (a mapping, or a text for an entry), ``None`` when there is none.
    zh: object
    #: The hash written in ``of`` (``None`` when not stamped yet).
    of: str | None
    #: True for an entry ``{en, zh, of}`` (zh is one text, ``of`` beside it).
    entry: bool = False
    #: The file as messages show it (``rules/payment/PAY-301.yaml``).
    where: str = ""
    #: What is wrong with the unit's shape, found while reading it ('' when nothing).
    problem: str = ""

    @property
    def key(self) -> str:
        """The unit's key in the rule base's translations (``fact:payment_friction``)."""
        return f"{self.kind}:{self.uid}"


def english_of(value: object) -> str | None:
    """The English of an entry: the text itself, or ``en`` of ``{en, zh, of}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("en"), str):
        return str(value["en"])
    return None


def _of(raw: object) -> str | None:
    return str(raw["of"]) if isinstance(raw, dict) and raw.get("of") is not None else None


def _block(
    file: Path,
    kind: str,
    uid: str,
    path: tuple[str | int, ...],
    raw: dict[str, Any],
    keys: tuple[str, ...],
) -> Unit | None:
    """A mapping's unit: its English texts among ``keys`` and its ``zh`` mapping."""
    english: dict[str, Text] = {}
    for key in keys:
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            english[key] = value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            english[key] = tuple(value)
    if not english:
        return None
    zh = raw.get("zh")
    return Unit(file, kind, uid, path, english, zh, _of(zh))


_ENTRY_KEYS = ("en", "zh", "of")


def _entry(
    file: Path, kind: str, uid: str, path: tuple[str | int, ...], raw: object
) -> Unit | None:
    text = english_of(raw)
    if not isinstance(raw, dict):
        return (
            None if text is None else Unit(file, kind, uid, path, {"text": text}, None, None, True)
        )
    extra = sorted(set(map(str, raw)) - set(_ENTRY_KEYS))
    problem = (
        f'expected {{en: TEXT, zh: "..."}} (and of:), got the key(s) {", ".join(extra)}'
        if extra
        else 'expected {en: TEXT, zh: "..."}: the English (en) is missing'
        if text is None
        else ""
    )
    english: dict[str, Text] = {"text": text or ""}
    return Unit(file, kind, uid, path, english, raw.get("zh"), _of(raw), True, problem=problem)


def _rule(file: Path, data: object) -> Iterator[Unit]:
    if not isinstance(data, dict):
        return
    english: dict[str, Text] = {}
    for key in ("title", "advice", "rationale"):
        if isinstance(data.get(key), str):
            english[key] = data[key]
    assumptions = data.get("assumptions")
    if isinstance(assumptions, list) and assumptions:
        english["assumptions"] = tuple(str(a) for a in assumptions)
    platforms = data.get("platforms")
    whys = {
        str(p): str(w["why"])
        for p, w in (platforms.items() if isinstance(platforms, dict) else ())
        if isinstance(w, dict) and isinstance(w.get("why"), str) and w["why"].strip()
    }
    if whys:
        english["platforms"] = dict(sorted(whys.items()))
    excludes = data.get("excludes")
    if isinstance(excludes, dict) and excludes:
        english["excludes"] = {str(p): str(r) for p, r in sorted(excludes.items())}
    zh = data.get("zh")
    yield Unit(file, "rule", str(data.get("id", file.stem)), (), english, zh, _of(zh))


def _framework(file: Path, data: object) -> Iterator[Unit]:
    if file.name == "grounded_model.yaml":
        if not isinstance(data, dict):
            return
        for part, kind, keys in (
            ("dimensions", "dimension", ("name", "role")),
            ("categories", "category", ("name", "concepts")),
        ):
            table = data.get(part)
            for code, raw in table.items() if isinstance(table, dict) else ():
                if isinstance(raw, dict):
                    unit = _block(file, kind, str(code), (part, str(code)), raw, keys)
                    if unit is not None:
                        yield unit
        return
    for i, raw in enumerate(data if isinstance(data, list) else ()):
        if isinstance(raw, dict):
            unit = _block(file, "framework", str(raw.get("id", i)), (i,), raw, ("name", "text"))
            if unit is not None:
                yield unit


def _mapping_of_blocks(
    kind: str, keys: tuple[str, ...], under: str = ""
) -> Callable[[Path, object], Iterator[Unit]]:
    def units(file: Path, data: object) -> Iterator[Unit]:
        table = data.get(under) if under and isinstance(data, dict) else data
        prefix: tuple[str | int, ...] = (under,) if under else ()
        for name, raw in table.items() if isinstance(table, dict) else ():
            if isinstance(raw, dict):
                unit = _block(file, kind, str(name), (*prefix, str(name)), raw, keys)
                if unit is not None:
                    yield unit

    return units


def _mapping_of_entries(kind: str) -> Callable[[Path, object], Iterator[Unit]]:
    def units(file: Path, data: object) -> Iterator[Unit]:
        for name, raw in data.items() if isinstance(data, dict) else ():
            unit = _entry(file, kind, str(name), (str(name),), raw)
            if unit is not None:
                yield unit

    return units


def _presence(file: Path, data: object) -> Iterator[Unit]:
    for platform, cells in data.items() if isinstance(data, dict) else ():
        for i, raw in enumerate(cells if isinstance(cells, list) else ()):
            if isinstance(raw, dict):
                where = raw.get("where")
                shown = "/".join(map(str, where)) if isinstance(where, list) else str(where)
                unit = _block(
                    file,
                    "cell",
                    f"{platform}/{shown}",
                    (str(platform), i),
                    raw,
                    ("reason", "assumption"),
                )
                if unit is not None:
                    yield unit


def question_texts() -> dict[str, str]:
    """The English of each question: the profile fields' descriptions (model.py)."""
    from .._profile.model import field_specs

    return {name: spec.description for name, spec in field_specs().items() if spec.description}


def _vocabulary(file: Path, data: object) -> Iterator[Unit]:
    if not isinstance(data, dict):
        return
    for part, kind in (("fields", "field"), ("conclusions", "conclusion")):
        table = data.get(part)
        for name, raw in table.items() if isinstance(table, dict) else ():
            unit = _entry(file, kind, str(name), (part, str(name)), raw)
            if unit is not None:
                yield unit
    values = data.get("values")
    for table, labels in values.items() if isinstance(values, dict) else ():
        for value, raw in labels.items() if isinstance(labels, dict) else ():
            unit = _entry(
                file, "value", f"{table}.{value}", ("values", str(table), str(value)), raw
            )
            if unit is not None:
                yield unit
    questions = data.get("questions")
    written = questions if isinstance(questions, dict) else {}
    asked = question_texts()
    for name, text in asked.items():
        raw = written.get(name)
        zh = raw.get("zh") if isinstance(raw, dict) else None
        extra = sorted(set(map(str, raw)) - {"zh", "of"}) if isinstance(raw, dict) else []
        problem = (
            f'expected {{zh: "..."}} (the English is in model.py), got {", ".join(extra)}'
            if extra
            else ""
        )
        yield Unit(
            file,
            "question",
            name,
            ("questions", name),
            {"text": text},
            zh,
            _of(raw),
            True,
            problem=problem,
        )
    for name in sorted(set(map(str, written)) - set(asked)):
        yield Unit(
            file,
            "question",
            name,
            ("questions", name),
            {"text": ""},
            written[name],
            None,
            True,
            problem=f"not a question of the profile{did_you_mean(name, list(asked))}",
        )


#: How the units of each data file are found (rule files and frameworks apart).
_DATA: dict[str, Callable[[Path, object], Iterator[Unit]]] = {
    "conditions.yaml": _mapping_of_blocks("condition", ("meaning",)),
    "papers.yaml": _mapping_of_blocks("paper", ("year_note",), under="papers"),
    "figures.yaml": _mapping_of_blocks("figure", ("statement", "unit", "caveat")),
    "presence.yaml": _presence,
    "areas.yaml": _mapping_of_entries("area"),
    "changes.yaml": _mapping_of_blocks("change", ("as",), under="changes"),
    "vocabulary.yaml": _vocabulary,
}


def _read(path: Path, problems: list[str]) -> object:
    from .._errors import XbecError

    try:
        return load_rule_file(path)[0]
    except XbecError as exc:
        problems.append(str(exc))
        return None


def folder_units(directory: Path, categories: tuple[str, ...], problems: list[str]) -> list[Unit]:
    """Every translatable unit of a rule folder, in a fixed order (files sorted)."""
    out: list[Unit] = []
    for name, finder in _DATA.items():
        if (directory / name).is_file():
            out += finder(directory / name, _read(directory / name, problems))
    for folder, finder in (("derived", _mapping_of_entries("fact")), ("frameworks", _framework)):
        if (directory / folder).is_dir():
            for path in sorted(p for p in (directory / folder).glob("*.yaml") if p.is_file()):
                out += finder(path, _read(path, problems))
    for category in categories:
        if (directory / category).is_dir():
            for path in sorted(p for p in (directory / category).glob("*.yaml") if p.is_file()):
                data = _read(path, problems)
                if isinstance(data, dict):  # rule format 1 (a list) has no translations
                    out += _rule(path, data)
    return [replace(u, where=str(u.file.relative_to(directory.parent))) for u in out]
