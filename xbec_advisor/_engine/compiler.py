"""Pure translation of rule conditions into durable-rules JSON ruleset definitions.

No ``eval``: each condition node maps to the engine's JSON operators (``$and``, ``$or``,
``$neq``, ``$gt``..., ``$ex``, ``$nex``, ``$iany``/``$iall`` with ``$i``), over the profile fact
of :mod:`.encoding`.

Conditions are three-valued (``_rulebase/conditions.py``); the engine's tests are two-valued.
A rule fires when its ``when`` is *true* and its ``unless`` is *not true*, so every node is
compiled in one of four modes, and negations are pushed down to the comparisons:

====== ============================== =========================================
mode   the expression holds when       a comparison on field F
====== ============================== =========================================
T      the node is true               F is answered and the test holds
F      the node is false              F is answered and the test fails
NT     the node is not true           F is unanswered, or the test fails
NF     the node is not false          F is unanswered, or the test holds
====== ============================== =========================================

``not`` swaps T with F and NT with NF; ``all`` is a conjunction in modes T and NF and a
disjunction in F and NT; ``any`` the other way round. ``present``, ``absent`` and derived facts
are never unknown, so NT is F and NF is T for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .._rulebase.conditions import All, AnyOf, Compare, Condition, FactRef, Not, Ref
from .encoding import (
    CHOICE_FIELDS,
    FACTS,
    IN_SUFFIX,
    LIST_FIELDS,
    LIST_SENTINEL,
    MAYBE_FACTS,
    NUMBER_FIELDS,
    UNKNOWN,
    UNKNOWN_LIST,
)

__all__ = [
    "ALT_SEPARATOR",
    "CATCH_ALL",
    "MAY_SEPARATOR",
    "SILENT_SEPARATOR",
    "ComplexityError",
    "compile_open",
    "compile_pass",
    "compile_rule",
]

#: Name of the internal rule that fires for every profile (see durable.py, defect 3).
CATCH_ALL = "zz-session"
#: Separates a rule id from the number of its alternative in durable-rules rule names: of the
#: alternatives that fire the rule, of those where it fires or may apply, of those where it cannot.
ALT_SEPARATOR = "#"
MAY_SEPARATOR = "?"
SILENT_SEPARATOR = "!"

Json = dict[str, Any]
T, F, NT, NF = "T", "F", "NT", "NF"
_NEGATE = {T: F, F: T, NT: NF, NF: NT}
#: The modes in which each combinator is a conjunction of its parts (in the others, a disjunction).
_CONJUNCTIVE = {All: (T, NF), AnyOf: (F, NT)}
#: A text no list item ever is: the last test of :func:`_item_in` (defect 9).
_NO_ITEM = "\u0001"
#: The test that fails exactly when a numeric comparison holds (on a known number).
_INVERSE = {"gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt"}


def _known(f: str) -> Json:
    if f in LIST_FIELDS:
        return {"$iall": {f: {"$neq": {"$i": UNKNOWN_LIST[0]}}}}
    if f in NUMBER_FIELDS:
        return {"$ex": {f: 1}}
    return {"$neq": {f: UNKNOWN}}


def _unknown(f: str) -> Json:
    if f in LIST_FIELDS:
        return {"$iany": {f: {"$i": UNKNOWN_LIST[0]}}}
    if f in NUMBER_FIELDS:
        return {"$nex": {f: 1}}
    return {f: UNKNOWN}


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


def _holds(c: Compare) -> Json:
    """True when the field is answered and the test holds (mode T)."""
    f, v = c.field, c.value
    if c.op == "present":
        return _known(f)
    if c.op == "absent":
        return _unknown(f)
    if c.op == "eq":
        return {f: v}
    if c.op == "in":
        assert isinstance(v, tuple)
        if len(v) > 1 and f in CHOICE_FIELDS:
            # one test on the one-item list copy of the answer: an $or of equalities would become
            # one engine rule per value (a 36-country list made 36 rules of one)
            return {"$iany": {f + IN_SUFFIX: _item_in(v)}}
        return _or([{f: x} for x in v])
    if c.op == "contains":
        return {"$iany": {f: {"$i": v}}}
    if c.op == "contains_any":
        assert isinstance(v, tuple)
        return {"$iany": {f: _item_in(v)}}
    if c.op == "contains_other_than":  # an item that is none of v (nor "" or "?", the markers)
        assert isinstance(v, tuple)
        markers = (LIST_SENTINEL, UNKNOWN_LIST[0])
        return {"$iany": {f: _and([{"$neq": {"$i": x}} for x in (*markers, *v)])}}
    return {f"${c.op}": {f: v}}


def _fails_or_unknown(c: Compare) -> Json:
    """True when the field is unanswered or the test fails (mode NT)."""
    f, v = c.field, c.value
    if c.op in ("present", "absent"):
        return _holds(Compare(field=f, op="absent" if c.op == "present" else "present"))
    if c.op == "eq":
        return {"$neq": {f: v}} if f not in NUMBER_FIELDS else _or([_unknown(f), {"$neq": {f: v}}])
    if c.op == "in":
        assert isinstance(v, tuple)
        return _and([{"$neq": {f: x}} for x in v])
    if c.op == "contains":
        return {"$iall": {f: {"$neq": {"$i": v}}}}
    if c.op == "contains_any":
        assert isinstance(v, tuple)
        return {"$iall": {f: _and([{"$neq": {"$i": x}} for x in v])}}
    if c.op == "contains_other_than":  # every item is one of v (or a marker: "" or "?")
        assert isinstance(v, tuple)
        return {"$iall": {f: _item_in((LIST_SENTINEL, UNKNOWN_LIST[0], *v))}}
    return _or([_unknown(c.field), {_INVERSE[c.op]: {f: v}}])


def _compare(c: Compare, mode: str) -> Json:
    if c.op in ("present", "absent"):  # never unknown
        return _holds(c) if mode in (T, NF) else _fails_or_unknown(c)
    if mode == T:
        return _holds(c)
    if mode == NT:
        return _fails_or_unknown(c)
    if mode == NF:
        return _or([_unknown(c.field), _holds(c)])
    if (
        c.field in NUMBER_FIELDS
    ):  # known and failing: the engine's tests are false on a missing number
        return (
            {"$neq": {c.field: c.value}} if c.op == "eq" else {_INVERSE[c.op]: {c.field: c.value}}
        )
    return _and([_fails_or_unknown(c), _known(c.field)])


def _fact(name: str, mode: str) -> Json:
    """A derived fact is true (in ``facts__``), unknown (in ``maybe__``) or false."""
    holds = {"$iany": {FACTS: {"$i": name}}}
    if mode == T:
        return holds
    if mode == NF:
        return _or([holds, {"$iany": {MAYBE_FACTS: {"$i": name}}}])
    if mode == NT:
        return {"$iall": {FACTS: {"$neq": {"$i": name}}}}
    return _and([{"$iall": {key: {"$neq": {"$i": name}}}} for key in (FACTS, MAYBE_FACTS)])


def compile_condition(cond: Condition, mode: str = T) -> Json:
    """One condition as a durable-rules expression that holds in ``mode``
    (see the module's table).
    """
    if isinstance(cond, Compare):
        return _compare(cond, mode)
    if isinstance(cond, FactRef):
        return _fact(cond.fact, mode)
    if isinstance(cond, Ref):
        return compile_condition(cond.item, mode)
    if isinstance(cond, Not):
        return compile_condition(cond.item, _NEGATE[mode])
    parts = [compile_condition(i, mode) for i in cond.items]
    return _and(parts) if mode in _CONJUNCTIVE[type(cond)] else _or(parts)


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
                raise ComplexityError(
                    f"the condition expands to more than {MAX_ALTERNATIVES} alternatives; "
                    "split the rule"
                )
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


#: Compiled rules by the ``repr`` of their conditions (which names every node's type and each
#: value's type): loading a rule base compiles each rule to check it, and the engine again.
_COMPILED: dict[str, list[str]] = {}
_MAX_COMPILED = 4096
#: The same, by identity of the condition objects (a ``repr`` costs more than the compiling
#: itself once cached): the engine compiles the very conditions the rule base just checked.
_SEEN: dict[tuple[int, int], tuple[Condition, Condition | None, list[str]]] = {}


def compile_rule(when: Condition, unless: Condition | None = None) -> list[Json]:
    """A rule as durable-rules rule definitions, one per alternative:
    ``when`` true, ``unless`` not true.

    Disjunctions are expanded here (the engine's own expansion of nested ``$or`` fails with
    error 113, "expression limit exceeded", on rules the rule base needs). Alternatives that
    contradict themselves are dropped.
    """
    ident = (id(when), id(unless))
    seen = _SEEN.get(ident)
    if seen is not None and seen[0] is when and seen[1] is unless:
        texts = seen[2]
    else:
        key = repr((when, unless))
        cached = _COMPILED.get(key)
        if cached is None:
            cached = [json.dumps(d) for d in _compile_rule(when, unless)]
            if len(_COMPILED) >= _MAX_COMPILED:
                _COMPILED.clear()
            _COMPILED[key] = cached
        texts = cached
        if len(_SEEN) >= _MAX_COMPILED:
            _SEEN.clear()
        _SEEN[ident] = (
            when,
            unless,
            texts,
        )  # holds both: their ids cannot be reused while they are here
    return [json.loads(text) for text in texts]


def _definitions(node: Json) -> list[Json]:
    """A condition's satisfiable alternatives, each as a durable-rules rule definition."""
    alternatives = [c for c in _dnf(node) if _satisfiable(c)]
    return [
        {"all": [{"m": {"$and": [{"kind": "profile"}, *sorted(conj, key=_sort_key)]}}]}
        for conj in alternatives
    ]


def _compile_rule(when: Condition, unless: Condition | None) -> list[Json]:
    parts = [compile_condition(when, T)]
    if unless is not None:
        parts.append(compile_condition(unless, NT))
    alternatives = _definitions(_and(parts))
    if not alternatives:
        raise ComplexityError("the condition contradicts itself, so the rule can never fire")
    return alternatives


def compile_open(when: Condition, unless: Condition | None = None) -> tuple[str, list[Json]]:
    """The alternatives that tell whether a rule that did not fire may still apply.

    Either ``("may", alts)``: the rule fires or may apply where they hold (``when`` not false,
    ``unless`` not true); or ``("silent", alts)``: the rule is known not to fire where they hold
    (``when`` false, or ``unless`` true). Whichever expands to fewer alternatives is chosen.
    """
    may = [compile_condition(when, NF)]
    silent = [compile_condition(when, F)]
    if unless is not None:
        may.append(compile_condition(unless, NT))
        silent.append(compile_condition(unless, T))
    found: list[tuple[str, list[Json]]] = []
    for kind, node in (("may", _and(may)), ("silent", _or(silent))):
        try:
            found.append((kind, _definitions(node)))
        except ComplexityError:
            continue
    if not found:
        raise ComplexityError(
            "the condition expands to too many alternatives to tell when the rule may apply; "
            "split the rule or name a part of it in rules/conditions.yaml"
        )
    return min(found, key=lambda pair: len(pair[1]))


def compile_pass(rules: Iterable[tuple[str, Condition, Condition | None]]) -> Json:
    """The ruleset definition of one evaluation pass: each rule's alternatives (``ID#N``), those
    that tell whether it may apply (``ID?N`` or ``ID!N``, :func:`compile_open`), and the catch-all
    rule that fires for every profile."""
    definition: Json = {}
    for rule_id, when, unless in rules:
        for i, alt in enumerate(compile_rule(when, unless)):
            definition[f"{rule_id}{ALT_SEPARATOR}{i}"] = alt
        kind, alternatives = compile_open(when, unless)
        separator = MAY_SEPARATOR if kind == "may" else SILENT_SEPARATOR
        for i, alt in enumerate(alternatives):
            definition[f"{rule_id}{separator}{i}"] = alt
    definition[CATCH_ALL] = {"all": [{"m": {"kind": "profile"}}]}
    return definition
