"""Which answers can still change the advice: three-valued evaluation of the rules.

Answers not yet given are *pending* (neither known nor "don't know"). A rule is decided when
its condition is true or false whatever the pending answers turn out to be; a pending field
is relevant when some undecided rule reads it. The questionnaire skips irrelevant questions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from .._engine.oracle import evaluate
from .._rulebase.conditions import All, AnyOf, Compare, Condition, FactRef, Not, fields_read
from .._rulebase.load import Rule

__all__ = ["fields_read", "relevant_fields", "rule_status"]

Status = bool | None


def _eval3(cond: Condition, answers: Mapping[str, object], pending: Collection[str],
           facts: Mapping[str, Status]) -> Status:
    if isinstance(cond, Compare):
        return None if cond.field in pending else evaluate(cond, answers)
    if isinstance(cond, FactRef):
        return facts.get(cond.fact, False)
    if isinstance(cond, Not):
        inner = _eval3(cond.item, answers, pending, facts)
        return None if inner is None else not inner
    assert isinstance(cond, All | AnyOf)
    values = [_eval3(i, answers, pending, facts) for i in cond.items]
    decisive = isinstance(cond, AnyOf)  # True decides an any; False decides an all
    if decisive in values:
        return decisive
    return None if None in values else not decisive


def rule_status(rules: Iterable[Rule], answers: Mapping[str, object], pending: Collection[str]) -> dict[str, Status]:
    """Each rule's status: True (fires), False (cannot fire) or None (depends on pending answers)."""
    rules = list(rules)
    facts: dict[str, Status] = {f: None for r in rules for f in r.derives}
    status: dict[str, Status] = {}
    for _ in range(len(rules) + 1):
        status = {r.id: _eval3(r.when, answers, pending, facts) for r in rules}
        new: dict[str, Status] = {}
        for rule in rules:
            for fact in rule.derives:
                s, old = status[rule.id], new.get(fact, False)
                new[fact] = True if True in (s, old) else (None if None in (s, old) else False)
        if new == facts:
            break
        facts = new
    return status


def relevant_fields(rules: Iterable[Rule], answers: Mapping[str, object], pending: Collection[str]) -> set[str]:
    """The pending fields read by at least one rule that the pending answers could still decide."""
    rules = list(rules)
    status = rule_status(rules, answers, pending)
    relevant: set[str] = set()
    for rule in rules:
        if status[rule.id] is None:
            relevant |= fields_read(rule.when) & set(pending)
    return relevant
