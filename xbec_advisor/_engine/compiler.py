"""Pure translation of rules into durable-rules tests: no ``eval``, only the engine's JSON.

A rule fires when its ``when`` is true and its ``unless`` is not true; it *may apply* when its
``when`` is unknown and its ``unless`` is not true (``docs/rule-format.md``). Each rule becomes
two sets of alternatives (:mod:`.literals` gives them as conjunctions of literals):

- ``fire``: ``when`` T and ``unless`` F|U: the rule fires where one holds;
- ``open``: by preference ``when`` U and ``unless`` F|U (``"unknown"``: the rule may apply where
  one holds); when that expands to too many alternatives, ``when`` T|U and ``unless`` F|U
  (``"may"``: it fires or may apply) or ``when`` F or ``unless`` T (``"silent"``: it cannot
  fire), whichever is shorter.

Each literal then becomes one conjunction of engine tests on the members of the profile fact
(:mod:`.encoding` computes them):

============== ========================================= ===========================================
atom           members                                    tests
============== ========================================= ===========================================
choice, yes/no ``code``: the answer's number, 0 unanswered  ``=``, ``!=``
``in`` a list  ``flag``: 1 when the answer is one of them,  ``= 1``; ``$nex`` (none, or unanswered)
               absent otherwise
number         ``lo``/``hi``: the answer, or min-1/max+1    one ordered comparison for every mode
               when unanswered
list item(s)   ``flag`` as above; ``list``: 1 answered, 0   ``= 1``, ``$nex``; answered by ``list``
fact           ``fact``: 1 true, 2 may hold, 0 false        ``=``, ``!=``
any, "T or U"  ``tri``: 1 true, 0 false, 2 unknown         one test for every mode
============== ========================================= ===========================================

No ``$iany``/``$iall`` is ever emitted (their nodes are never shared, and defect 9 lives there),
and no ``$or``: every alternative is one conjunction, so each node the engine builds can be shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .._profile.iso import COUNTRIES
from .._profile.model import condition_specs
from .._rulebase.conditions import Condition
from .literals import (
    ALL_MASK,
    Atom,
    ComplexityError,
    Conj,
    F,
    T,
    U,
    outcome_dnf,
    split_unknown,
)

__all__ = [
    "CompiledRule",
    "ComplexityError",
    "Member",
    "Members",
    "code_of",
    "compile_rule",
    "conj_tests",
    "high_of",
    "low_of",
]

Json = dict[str, Any]
#: An unanswered number's ``lo`` member when the field has no minimum (then less than it).
LOW = -(10**12)
_SPECS = condition_specs()
_COUNTRY_CODES = {c: i + 1 for i, c in enumerate(sorted(COUNTRIES))}
_LOW = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}
#: For ``lo``/``hi`` and each operator: (member, test) of mode T, F, T|U and F|U.
_NUMBER_TESTS = {
    "gt": (("lo", "$gt"), ("hi", "$lte"), ("hi", "$gt"), ("lo", "$lte")),
    "gte": (("lo", "$gte"), ("hi", "$lt"), ("hi", "$gte"), ("lo", "$lt")),
    "lt": (("hi", "$lt"), ("lo", "$gte"), ("lo", "$lt"), ("hi", "$gte")),
    "lte": (("hi", "$lte"), ("lo", "$gt"), ("lo", "$lte"), ("hi", "$gt")),
}
_MODE_INDEX = {T: 0, F: 1, T | U: 2, F | U: 3}


@dataclass(frozen=True)
class Member:
    """What one member of the profile fact holds (see the module's table)."""

    kind: str
    name: str  # the field, or the derived fact
    atom: Atom | None = None


class Members:
    """Short member names (``a``, ``b``, ... ``a0``): the fact's text, which the engine parses and
    copies into every match, stays small."""

    def __init__(self) -> None:
        self.names: dict[Member, str] = {}
        self.specs: dict[str, Member] = {}

    def __call__(self, member: Member) -> str:
        name = self.names.get(member)
        if name is None:
            name = _short(len(self.names))
            self.names[member] = name
            self.specs[name] = member
        return name


def _short(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = "0123456789" + letters
    head, n = letters[n % len(letters)], n // len(letters)
    tail = ""
    while n:
        n, r = divmod(n - 1, len(digits))
        tail = digits[r] + tail
    name = head + tail
    return name if name not in ("id", "sid", "kind") else name + "_"


def low_of(field: str) -> int:
    """The ``lo`` member of an unanswered number: less than any answer."""
    bottom = _SPECS[field].minimum
    return int(bottom) - 1 if bottom is not None else LOW


def high_of(field: str) -> int:
    """The ``hi`` member of an unanswered number: more than any answer."""
    top = _SPECS[field].maximum
    return int(top if top is not None else 10**12) + 1


def code_of(field: str, value: object) -> int:
    """The number standing for a choice, country or yes/no answer (0: unanswered)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 1 if value else 2
    spec = _SPECS[field]
    if spec.kind == "country":
        return _COUNTRY_CODES.get(str(value), len(_COUNTRY_CODES) + 1)
    return spec.values.index(str(value)) + 1


def _tri(atom: Atom, mask: int, members: Members) -> list[Json]:
    name = members(Member("fact" if atom[0] == "fact" else "tri", str(atom[1]), atom))
    tests = {T: {name: 1}, F: {name: 0}, U: {name: 2}}
    if mask in tests:
        return [tests[mask]]
    return [{"$neq": {name: {T | U: 0, F | U: 1, T | F: 2}[mask]}}]


def _known(field: str, known: bool, members: Members) -> list[Json]:
    kind = _SPECS[field].kind
    if _SPECS[field].is_list:
        return [{members(Member("list", field)): 1 if known else 0}]
    if kind == "number":
        name = members(Member("lo", field))
        low = low_of(field)
        return [{"$neq": {name: low}}] if known else [{name: low}]
    name = members(Member("code", field))
    return [{"$neq": {name: 0}}] if known else [{name: 0}]


def _number(atom: Atom, mask: int, members: Members) -> list[Json]:
    field, op, value = str(atom[1]), str(atom[2]), atom[3]
    lo = members(Member("lo", field))
    if op == "eq":
        if mask == T:
            return [{lo: value}]
        if mask == F | U:
            return [{"$neq": {lo: value}}]
        return [{"$neq": {lo: value}}, {"$neq": {lo: low_of(field)}}]  # F
    member, test = _NUMBER_TESTS[op][_MODE_INDEX[mask]]
    return [{test: {members(Member(member, field)): value}}]


def _flagged(atom: Atom, mask: int, members: Members) -> list[Json]:
    """``in`` several values, and list items: a flag present when the test holds."""
    field = str(atom[1])
    flag = members(Member("flag", field, atom))
    if mask == T:
        return [{flag: 1}]
    if mask == F | U:
        return [{"$nex": {flag: 1}}]
    return [{"$nex": {flag: 1}}, *_known(field, True, members)]  # F


def literal_tests(atom: Atom, mask: int, members: Members) -> list[Json]:
    """The engine tests, one conjunction, under which ``atom`` takes a value of ``mask``."""
    if atom[0] == "fact":
        return _tri(atom, mask, members)
    field = str(atom[1])
    if atom[0] == "known":
        return _known(field, mask == T, members)
    if mask == U or mask == T | F:
        return _known(field, mask == T | F, members)
    if mask == T | U:  # the only mode two tests of the others would need: a member of its own
        return _tri(atom, mask, members)
    if _SPECS[field].kind == "number":
        return _number(atom, mask, members)
    if atom[2] == "eq":
        code = members(Member("code", field))
        value = code_of(field, atom[3])
        if mask == T:
            return [{code: value}]
        if mask == F | U:
            return [{"$neq": {code: value}}]
        return [{"$neq": {code: value}}, {"$neq": {code: 0}}]  # F
    return _flagged(atom, mask, members)


def conj_tests(conj: Conj, members: Members) -> list[Json]:
    """One alternative as engine tests (each test once)."""
    tests: dict[str, Json] = {}
    for atom, mask in conj:
        if mask == ALL_MASK:
            continue
        for test in literal_tests(atom, mask, members):
            tests.setdefault(repr(test), test)
    return list(tests.values())


@dataclass(frozen=True)
class CompiledRule:
    """A rule's alternatives as conjunctions of literals (see the module's docstring)."""

    fire: list[Conj]
    open_kind: str  # "unknown", "may" or "silent"
    open: list[Conj]


def _split(dnf: list[Conj]) -> list[Conj]:
    """T|U literals as two native alternatives where that stays short (else members of their
    own: a member costs every profile, an alternative only those it matches)."""
    split = split_unknown(dnf, MAX_SPLIT)
    return dnf if split is None else split


#: Most alternatives the splitting of T|U literals may give one rule's part.
MAX_SPLIT = 32


def _compile(when: Condition, unless: Condition | None) -> CompiledRule:
    fire = outcome_dnf(when, unless, T)
    if not fire:
        raise ComplexityError("the condition contradicts itself, so the rule can never fire")
    found: list[tuple[str, list[Conj]]] = []
    for kind, mask in (("unknown", U), ("may", T | U), ("silent", F)):
        try:
            found.append((kind, outcome_dnf(when, unless, mask)))
        except ComplexityError:
            continue
        if kind == "unknown":  # the others are only for when this expands too far
            break
    if not found:
        raise ComplexityError(
            "the condition expands to too many alternatives to tell when the rule may apply; "
            "split the rule or name a part of it in rules/conditions.yaml"
        )
    kind, alternatives = min(found, key=lambda pair: len(pair[1]))
    return CompiledRule(_split(fire), kind, _split(alternatives))


#: Compiled rules by identity of their conditions (held, so that the ids stay theirs): loading
#: a rule base compiles each rule to check it, and the engine then compiles the same objects.
_SEEN: dict[tuple[int, int], tuple[Condition, Condition | None, CompiledRule]] = {}
_MAX_SEEN = 8192


def compile_rule(when: Condition, unless: Condition | None = None) -> CompiledRule:
    """A rule's alternatives; :class:`ComplexityError` when it cannot run in the engine."""
    key = (id(when), id(unless))
    seen = _SEEN.get(key)
    if seen is not None and seen[0] is when and seen[1] is unless:
        return seen[2]
    compiled = _compile(when, unless)
    if len(_SEEN) >= _MAX_SEEN:
        _SEEN.clear()
    _SEEN[key] = (when, unless, compiled)
    return compiled


def rule_tests(
    rules: Iterable[tuple[int, CompiledRule]], members: Members
) -> list[tuple[int, str, list[Json]]]:
    """Every alternative of the rules as ``(rule index, kind, tests)``: ``kind`` is ``fire`` or
    the rule's open kind."""
    out: list[tuple[int, str, list[Json]]] = []
    for index, compiled in rules:
        out += [(index, "fire", conj_tests(c, members)) for c in compiled.fire]
        out += [(index, compiled.open_kind, conj_tests(c, members)) for c in compiled.open]
    return out
