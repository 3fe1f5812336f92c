"""Pure translation of rule conditions into durable-rules JSON ruleset definitions.

No ``eval``: each condition node maps to the engine's JSON operators (``$and``, ``$or``,
``$neq``, ``$gt``..., ``$ex``, ``$nex``, ``$iany``/``$iall`` with ``$i``). Negations are
pushed down to the comparisons, where "not" also holds for an unknown answer.

Encoding of a profile as an engine fact (:func:`encode_profile`):

- ``kind: profile`` tags it (derived facts carry ``kind: derived`` and ``name``);
- known answers keep their value; a known list gets a leading ``""`` item, so that an empty
  list is still a (never empty) list on which ``$iall`` behaves as "no item is ..." (the
  engine's ``$iall`` is false on []);
- unknown answers are explicit where the type allows it: ``""`` for a text or yes/no answer,
  ``["?"]`` for a list (neither is ever a valid value). "Not equal to v" is then one ``$neq``
  test that also holds for an unknown answer, instead of an ``$or`` of "missing" and
  "different", which doubled the rules the engine runs for every negation. Unknown numbers
  are left out: a text sentinel would compare with numbers as nonsense in the engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .._profile.model import Profile, field_specs
from .._rulebase.conditions import All, AnyOf, Compare, Condition, Not, split_facts

__all__ = ["CATCH_ALL", "compile_rules", "encode_answers_json", "encode_profile"]

#: Name of the internal rule that fires for every profile (see engine.py, defect 3).
CATCH_ALL = "zz-session"
LIST_SENTINEL = ""
UNKNOWN = ""
UNKNOWN_LIST = ["?"]
_LIST_KINDS = ("list", "country_list", "language_list")

Json = dict[str, Any]


_LIST_FIELDS = frozenset(name for name, spec in field_specs().items() if spec.kind in _LIST_KINDS)
_NUMBER_FIELDS = frozenset(name for name, spec in field_specs().items() if spec.kind == "number")


#: Suffix of the one-item list copy of a text answer, for "is one of" tests (see _pos_cmp).
IN_SUFFIX = "__in"
_CHOICE_FIELDS = frozenset(name for name, spec in field_specs().items() if spec.kind in ("enum", "country"))


def _members(name: str, value: object) -> Json:
    """The fact members for one answer (see the module's docstring)."""
    out: Json = {}
    if name in _LIST_FIELDS:
        out[name] = UNKNOWN_LIST if value is None else [LIST_SENTINEL, *value]  # type: ignore[misc]
    elif value is not None:
        out[name] = value
    elif name not in _NUMBER_FIELDS:
        out[name] = UNKNOWN
    if name in _CHOICE_FIELDS:
        out[name + IN_SUFFIX] = [UNKNOWN if value is None else value]
    return out


def encode_profile(profile: Profile) -> Json:
    """The engine fact for a profile (without ``sid``/``id``, which the engine adds)."""
    fact: Json = {"kind": "profile"}
    for name, value in profile.model_dump().items():
        fact.update(_members(name, value))
    return fact


#: JSON text of the members for one answer, by (field, type, value): most answers repeat.
_FRAGMENTS: dict[tuple[str, type, object], str] = {}
_MAX_FRAGMENTS = 4096


def encode_answers_json(answers: Mapping[str, object]) -> str:
    """:func:`encode_profile` as JSON object members without the braces, from ``Profile.model_dump()``.

    Built from cached pieces of JSON text (a profile is encoded for every evaluation).
    """
    parts = ['"kind":"profile"']
    for name, value in answers.items():
        key = (name, type(value), tuple(value) if isinstance(value, list) else value)
        text = _FRAGMENTS.get(key)
        if text is None:
            text = json.dumps(_members(name, value))[1:-1]
            if len(_FRAGMENTS) < _MAX_FRAGMENTS:
                _FRAGMENTS[key] = text
        if text:
            parts.append(text)
    return ",".join(parts)


def _known(f: str) -> Json:
    if f in _LIST_FIELDS:
        return {"$iall": {f: {"$neq": {"$i": UNKNOWN_LIST[0]}}}}
    if f in _NUMBER_FIELDS:
        return {"$ex": {f: 1}}
    return {"$neq": {f: UNKNOWN}}


def _unknown(f: str) -> Json:
    if f in _LIST_FIELDS:
        return {"$iany": {f: {"$i": UNKNOWN_LIST[0]}}}
    if f in _NUMBER_FIELDS:
        return {"$nex": {f: 1}}
    return {f: UNKNOWN}


def _neg_cmp(c: Compare) -> Json:
    """``not`` of a comparison: true when the answer is unknown or the comparison fails."""
    f, v = c.field, c.value
    if c.op == "absent":
        return _known(f)
    if c.op == "present":
        return _unknown(f)
    if c.op == "eq":
        return {"$neq": {f: v}} if f not in _NUMBER_FIELDS else {"$or": [_unknown(f), {"$neq": {f: v}}]}
    if c.op == "ne":
        return _or([_unknown(f), {f: v}])
    if c.op == "in":
        assert isinstance(v, tuple)
        return _and([{"$neq": {f: x}} for x in v])
    if c.op == "contains":
        return {"$iall": {f: {"$neq": {"$i": v}}}}
    if c.op == "contains_any":
        assert isinstance(v, tuple)
        return {"$iall": {f: _and([{"$neq": {"$i": x}} for x in v])}}
    inverse = {"gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt"}[c.op]
    return {"$or": [_unknown(f), {inverse: {f: v}}]}


def _pos_cmp(c: Compare) -> Json:
    f, v = c.field, c.value
    if c.op == "present":
        return _known(f)
    if c.op == "absent":
        return _unknown(f)
    if c.op == "eq":
        return {f: v}
    if c.op == "ne":
        return _and([{"$neq": {f: v}}, _known(f)]) if f not in _NUMBER_FIELDS else {"$neq": {f: v}}
    if c.op == "in":
        assert isinstance(v, tuple)
        if len(v) > 1 and f in _CHOICE_FIELDS:
            # one test on a one-item list copy of the answer: an $or of equalities would become
            # one engine rule per value (a 36-country list made 36 rules of one).
            return {"$iany": {f + IN_SUFFIX: _item_in(v)}}
        return _or([{f: x} for x in v])
    if c.op == "contains":
        return {"$iany": {f: {"$i": v}}}
    if c.op == "contains_any":
        assert isinstance(v, tuple)
        return {"$iany": {f: _item_in(v)}}
    return {f"${c.op}": {f: v}}


#: A text no list item ever is: the last test of :func:`_item_in` (defect 9).
_NO_ITEM = "\u0001"


def _item_in(values: tuple[str, ...]) -> Json:
    """The list-item test "is one of ``values``", for ``$iany``.

    Not a bare ``$or``: for an ``$iany``/``$iall`` whose item test is an ``$or``, durable-rules
    reads the type of an operand it never set (defect 9 in ``durable.py``), and creating the
    ruleset then fails with error 102 depending on what the reused memory held. Under an
    ``$and`` whose last test is a plain comparison, that read finds the comparison's operand.
    """
    alternatives = _or([{"$i": x} for x in values])
    if len(values) == 1:
        return alternatives
    return {"$and": [alternatives, {"$neq": {"$i": _NO_ITEM}}]}


def _sort_key(node: Json) -> tuple[int, str]:
    # Equalities first, then the rest by their text: a consistent order across rules keeps
    # the number of pending alpha nodes low (defect 1, error 303).
    key = next(iter(node))
    return (0 if not key.startswith("$") else 1, json.dumps(node, sort_keys=True))


def _and(nodes: Iterable[Json]) -> Json:
    items = sorted(nodes, key=_sort_key)
    return items[0] if len(items) == 1 else {"$and": items}


def _or(nodes: Iterable[Json]) -> Json:
    items = sorted(nodes, key=_sort_key)
    return items[0] if len(items) == 1 else {"$or": items}


def compile_condition(cond: Condition, negate: bool = False) -> Json:
    """One condition (without derived facts) as a durable-rules expression."""
    if isinstance(cond, Compare):
        return _neg_cmp(cond) if negate else _pos_cmp(cond)
    if isinstance(cond, Not):
        return compile_condition(cond.item, not negate)
    if isinstance(cond, All | AnyOf):
        parts = [compile_condition(i, negate) for i in cond.items]
        conj = isinstance(cond, All) != negate
        return _and(parts) if conj else _or(parts)
    raise TypeError(f"derived facts cannot be compiled here: {cond!r}")


#: Most alternatives one rule may expand to (each becomes one durable-rules rule).
MAX_ALTERNATIVES = 64


class ComplexityError(ValueError):
    """A condition expands to too many alternatives for the engine."""


def _dnf(node: Json) -> list[list[Json]]:
    """Disjunctive normal form over ``$and``/``$or`` (list-item expressions stay whole)."""
    if set(node) == {"$or"}:
        return [conj for child in node["$or"] for conj in _dnf(child)]
    if set(node) == {"$and"}:
        result: list[list[Json]] = [[]]
        for child in node["$and"]:
            result = [left + right for left in result for right in _dnf(child)]
            if len(result) > MAX_ALTERNATIVES:
                raise ComplexityError(f"the condition expands to more than {MAX_ALTERNATIVES} alternatives; split the rule")
        return result
    return [[node]]


def _tested_field(node: Json) -> tuple[str, str]:
    key = next(iter(node))
    return (key, "") if not key.startswith("$") else (next(iter(node[key])), key)


def _satisfiable(conj: list[Json]) -> bool:
    """False when the conjunction contradicts itself (known and unknown, two values, = and !=)."""
    tests = [_tested_field(n) for n in conj]
    known = {f for f, op in tests if op != "$nex"}
    missing = {f for f, op in tests if op == "$nex"}
    if known & missing:
        return False
    equal: dict[str, object] = {}
    for node in conj:
        key = next(iter(node))
        if not key.startswith("$"):
            if key in equal and equal[key] != node[key]:
                return False
            equal[key] = node[key]
    for node in conj:
        if "$neq" in node:
            field, value = next(iter(node["$neq"].items()))
            if field in equal and equal[field] == value:
                return False
    return True


#: Compiled rules by the ``repr`` of their condition (which names every node's type and each
#: value's type): loading a rule base compiles each rule to check it, and the engine again.
_COMPILED: dict[str, list[str]] = {}
_MAX_COMPILED = 4096
#: The same, by identity of the condition object (a ``repr`` costs more than the compiling
#: itself once cached): the engine compiles the very conditions the rule base just checked.
_SEEN: dict[int, tuple[Condition, list[str]]] = {}


def compile_rule(when: Condition) -> list[Json]:
    """A rule's ``when`` as durable-rules rule definitions, one per alternative.

    Disjunctions are expanded here (the engine's own expansion of nested ``$or`` fails with
    error 113, "expression limit exceeded", on rules the rule base needs). Alternatives that
    test a field for being both known and unknown are dropped.
    """
    seen = _SEEN.get(id(when))
    if seen is not None and seen[0] is when:
        texts = seen[1]
    else:
        key = repr(when)
        cached = _COMPILED.get(key)
        if cached is None:
            cached = [json.dumps(d) for d in _compile_rule(when)]
            if len(_COMPILED) >= _MAX_COMPILED:
                _COMPILED.clear()
            _COMPILED[key] = cached
        texts = cached
        if len(_SEEN) >= _MAX_COMPILED:
            _SEEN.clear()
        _SEEN[id(when)] = (when, texts)  # holds ``when``: its id cannot be reused while it is here
    return [json.loads(text) for text in texts]


def _compile_rule(when: Condition) -> list[Json]:
    facts, rest = split_facts(when)
    alternatives: list[list[Json]] = [[]]
    if rest is not None:
        alternatives = [c for c in _dnf(compile_condition(rest)) if _satisfiable(c)]
        if not alternatives:
            raise ComplexityError("the condition contradicts itself, so the rule can never fire")
    definitions = []
    for conj in alternatives:
        profile: Json = {"kind": "profile"}
        if conj:
            profile = {"$and": [profile, *sorted(conj, key=_sort_key)]}
        patterns: list[Json] = [{"m": profile}]
        for i, fact in enumerate(facts):
            patterns.append({f"f{i}": {"$and": [{"kind": "derived"}, {"name": fact}]}})
        definitions.append({"all": patterns})
    return definitions


#: Separates a rule id from the number of its alternative in durable-rules rule names.
ALT_SEPARATOR = "#"


def compile_rules(rules: Iterable[tuple[str, Condition]]) -> Json:
    """The whole ruleset definition, plus the catch-all rule that fires for every profile."""
    definition: Json = {}
    for rule_id, when in rules:
        for i, alt in enumerate(compile_rule(when)):
            definition[f"{rule_id}{ALT_SEPARATOR}{i}"] = alt
    definition[CATCH_ALL] = {"all": [{"m": {"kind": "profile"}}]}
    return definition
