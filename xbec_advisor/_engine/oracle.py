"""A plain-Python evaluator of rule conditions, independent of durable-rules.

It serves as the oracle the engine is tested against, and as the basis of explanations.
Semantics (documented in docs/rule-format.md): a comparison on an unknown answer is false,
``present`` is false and ``absent`` true on it; ``ne`` means known and different.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._rulebase.conditions import All, AnyOf, Compare, Condition, FactRef, Not

if TYPE_CHECKING:
    from .._rulebase.load import Rule

__all__ = ["evaluate", "run_rules"]


def _compare(c: Compare, answers: Mapping[str, object]) -> bool:
    actual = answers.get(c.field)
    if c.op == "absent":
        return actual is None
    if actual is None:
        return False
    op, value = c.op, c.value
    if op == "present":
        return True
    if op == "eq":
        return (actual == value and type(actual) is type(value)) or _num_eq(actual, value)
    if op == "ne":
        return not ((actual == value and type(actual) is type(value)) or _num_eq(actual, value))
    if op == "in":
        assert isinstance(value, tuple)
        return actual in value
    if op == "contains":
        assert isinstance(actual, list | tuple)
        return value in actual
    if op == "contains_any":
        assert isinstance(actual, list | tuple) and isinstance(value, tuple)
        return any(v in actual for v in value)
    assert isinstance(actual, int | float) and isinstance(value, int | float)
    if op == "gt":
        return actual > value
    if op == "gte":
        return actual >= value
    if op == "lt":
        return actual < value
    return actual <= value


def _num_eq(a: object, b: object) -> bool:
    numeric = (int, float)
    return (isinstance(a, numeric) and isinstance(b, numeric) and not isinstance(a, bool)
            and not isinstance(b, bool) and a == b)


def evaluate(cond: Condition, answers: Mapping[str, object], facts: Iterable[str] = ()) -> bool:
    """Whether ``cond`` holds for the answers and the derived facts already established."""
    if isinstance(cond, Compare):
        return _compare(cond, answers)
    if isinstance(cond, FactRef):
        return cond.fact in set(facts)
    if isinstance(cond, All):
        facts = set(facts)
        return all(evaluate(i, answers, facts) for i in cond.items)
    if isinstance(cond, AnyOf):
        facts = set(facts)
        return any(evaluate(i, answers, facts) for i in cond.items)
    assert isinstance(cond, Not)
    return not evaluate(cond.item, answers, facts)


def run_rules(rules: Iterable[Rule], answers: Mapping[str, object]) -> tuple[set[str], set[str]]:
    """Forward-chain ``rules`` on ``answers`` to a fixpoint: (fired rule ids, derived facts)."""
    pending = list(rules)
    fired: set[str] = set()
    facts: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in pending:
            if rule.id not in fired and evaluate(rule.when, answers, facts):
                fired.add(rule.id)
                new = set(rule.derives) - facts
                if new:
                    facts |= new
                    changed = True
        pending = [r for r in pending if r.id not in fired]
    return fired, facts
