"""Which answers can still change the advice: the rules evaluated over every way the pending
answers could turn out.

Answers not yet given are *pending*: each may become any value, or "don't know". A comparison
on a pending field may therefore be true, false or unknown; on a "don't know" answer it is
unknown for good. Each condition is evaluated to the set of truth values it can take (parts are
treated as independent, which can only make a rule look undecided, never decided wrongly). A
rule is decided when it fires in every case, or in none; a pending field is relevant when some
undecided rule reads it. The questionnaire skips irrelevant questions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from itertools import product

from .._engine.oracle import compare
from .._rulebase.conditions import (
    Compare,
    Condition,
    Truth,
    fold,
    kleene_all,
    kleene_any,
    kleene_not,
)
from .._rulebase.models import Rule

__all__ = ["relevant_fields", "rule_status"]

Possible = frozenset[Truth]
_ANY: Possible = frozenset((True, False, None))


def _lift(op: object) -> object:
    def combined(values: list[Possible]) -> Possible:
        return frozenset(op(list(combo)) for combo in product(*values))  # type: ignore[operator]

    return combined


def _possible(
    cond: Condition,
    answers: Mapping[str, object],
    pending: Collection[str],
    facts: Mapping[str, Possible],
) -> Possible:
    def leaf(c: Compare) -> Possible:
        return _ANY if c.field in pending else frozenset((compare(c, answers),))

    return fold(
        cond,
        leaf,
        lambda name: facts.get(name, frozenset((False,))),
        lambda values: frozenset(kleene_not(v) for v in values),
        _lift(kleene_all),  # type: ignore[arg-type]
        _lift(kleene_any),  # type: ignore[arg-type]
    )


def _status(
    rule: Rule,
    answers: Mapping[str, object],
    pending: Collection[str],
    facts: Mapping[str, Possible],
) -> Truth:
    when = _possible(rule.when, answers, pending, facts)
    unless = (
        _possible(rule.unless, answers, pending, facts)
        if rule.unless is not None
        else frozenset((False,))
    )
    fires = {w is True and u is not True for w in when for u in unless}
    return None if len(fires) > 1 else fires.pop()


def rule_status(
    rules: Iterable[Rule], answers: Mapping[str, object], pending: Collection[str]
) -> dict[str, Truth]:
    """Each rule's status: True (fires), False (cannot fire) or None
    (depends on the pending answers).
    """
    facts: dict[str, Possible] = {}
    status: dict[str, Truth] = {}
    for rule in sorted(
        rules, key=lambda r: r.stratum
    ):  # each fact settled, as far as it can be, before it is read
        status[rule.id] = _status(rule, answers, pending, facts)
        outcome = (
            frozenset((True, False)) if status[rule.id] is None else frozenset((status[rule.id],))
        )
        for fact in rule.derives:
            old = facts.get(fact, frozenset((False,)))
            facts[fact] = frozenset(a or b for a in old for b in outcome)
    return status


def relevant_fields(
    rules: Iterable[Rule], answers: Mapping[str, object], pending: Collection[str]
) -> set[str]:
    """The pending fields read by at least one rule that the pending answers could still decide."""
    rules = list(rules)
    status = rule_status(rules, answers, pending)
    relevant: set[str] = set()
    for rule in rules:
        if status[rule.id] is None:
            relevant |= rule.fields & set(pending)
    return relevant
