"""A profile as a durable-rules fact (JSON), and the names the compiled conditions test.

- ``kind: profile`` tags the fact;
- known answers keep their value; a known list gets a leading ``""`` item, so that an empty
  list is still a (never empty) list on which ``$iall`` behaves as "no item is ..." (the
  engine's ``$iall`` is false on []);
- unknown answers are explicit where the type allows it: ``""`` for a text or yes/no answer,
  ``["?"]`` for a list (neither is ever a valid value). "Not equal to v, or unknown" is then one
  ``$neq`` test instead of an ``$or`` of "missing" and "different", which doubled the engine's
  rules for every such test. Unknown numbers are left out: a text sentinel would compare with
  numbers as nonsense in the engine;
- a choice (or country) answer also has a one-item list copy, ``FIELD__in``, for "is one of";
- the derived facts settled by earlier passes are the list ``facts__`` (with the leading ``""``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .._profile.model import DERIVED_FIELDS, Profile, condition_specs, field_specs
from .._rulebase.presence import derived_value

__all__ = [
    "FACTS",
    "IN_SUFFIX",
    "LIST_FIELDS",
    "LIST_SENTINEL",
    "MAYBE_FACTS",
    "NUMBER_FIELDS",
    "UNKNOWN",
    "UNKNOWN_LIST",
    "encode_answers_json",
    "encode_profile",
    "facts_json",
]

Json = dict[str, Any]
LIST_SENTINEL = ""
UNKNOWN = ""
UNKNOWN_LIST = ["?"]
#: Suffix of the one-item list copy of a choice answer, for "is one of" tests.
IN_SUFFIX = "__in"
#: The member holding the derived facts settled so far, and the one holding the facts that may
#: hold (derived by rules that may also apply: their outcome depends on unanswered questions).
FACTS = "facts__"
MAYBE_FACTS = "maybe__"
LIST_FIELDS = frozenset(name for name, spec in condition_specs().items() if spec.is_list)
NUMBER_FIELDS = frozenset(name for name, spec in condition_specs().items() if spec.kind == "number")
CHOICE_FIELDS = frozenset(
    name for name, spec in field_specs().items() if spec.kind in ("enum", "country")
)


def _members(name: str, value: object) -> Json:
    """The fact members for one answer (see the module's docstring)."""
    out: Json = {}
    if name in LIST_FIELDS:
        out[name] = UNKNOWN_LIST if value is None else [LIST_SENTINEL, *value]  # type: ignore[misc]
    elif value is not None:
        out[name] = value
    elif name not in NUMBER_FIELDS:
        out[name] = UNKNOWN
    if name in CHOICE_FIELDS:
        out[name + IN_SUFFIX] = [UNKNOWN if value is None else value]
    return out


def _with_derived(answers: Mapping[str, object]) -> dict[str, object]:
    """The answers and the fields derived from them (``target_markets``, ``platform_markets``)."""
    return {**answers, **{name: derived_value(name, answers) for name in DERIVED_FIELDS}}


def encode_profile(profile: Profile, facts: Iterable[str] = (), maybe: Iterable[str] = ()) -> Json:
    """The engine fact for a profile (without ``sid``/``id``, which the engine adds)."""
    fact: Json = {"kind": "profile"}
    for name, value in _with_derived(profile.model_dump()).items():
        fact.update(_members(name, value))
    fact[FACTS] = [LIST_SENTINEL, *sorted(facts)]
    fact[MAYBE_FACTS] = [LIST_SENTINEL, *sorted(maybe)]
    return fact


#: JSON text of the members for one answer, by (field, type, value): most answers repeat.
_FRAGMENTS: dict[tuple[str, type, object], str] = {}
_MAX_FRAGMENTS = 4096


def encode_answers_json(answers: Mapping[str, object]) -> str:
    """:func:`encode_profile` as JSON object members without the braces and without the facts,
    from ``Profile.model_dump()``; built from cached pieces of JSON text (a profile is encoded for
    every evaluation)."""
    parts = ['"kind":"profile"']
    for name, value in _with_derived(answers).items():
        key = (name, type(value), tuple(value) if isinstance(value, list) else value)
        text = _FRAGMENTS.get(key)
        if text is None:
            text = json.dumps(_members(name, value))[1:-1]
            if len(_FRAGMENTS) < _MAX_FRAGMENTS:
                _FRAGMENTS[key] = text
        if text:
            parts.append(text)
    return ",".join(parts)


def facts_json(facts: Iterable[str], maybe: Iterable[str] = ()) -> str:
    """The ``facts__`` and ``maybe__`` members as JSON text."""
    known = json.dumps([LIST_SENTINEL, *sorted(facts)])
    return f'"{FACTS}":{known},"{MAYBE_FACTS}":' + json.dumps([LIST_SENTINEL, *sorted(maybe)])
