"""A plain-Python evaluator of the rules, independent of durable-rules.

It serves as the oracle the engine is tested against. Semantics (``docs/rule-format.md``):
three-valued conditions, a comparison on an unanswered field is unknown; a rule fires when its
``when`` is true and its ``unless`` is not true. Rules are evaluated once every rule deriving a
fact they read has been evaluated (the order is found here, independently of the engine's passes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._rulebase.conditions import Compare, Condition, Truth, evaluate3

if TYPE_CHECKING:
    from .._rulebase.models import Rule

__all__ = ["compare", "evaluate", "rule_truth", "run_rules"]


def _same(a: object, b: object) -> bool:
    """Equality as the profile means it: ``True`` is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def compare(c: Compare, answers: Mapping[str, object]) -> Truth:
    """The truth of one comparison: ``None`` when its field is unanswered
    (except present/absent).
    """
    actual = answers.get(c.field)
    if c.op in ("present", "absent"):
        return (actual is None) == (c.op == "absent")
    if actual is None:
        return None
    value = c.value
    if c.op == "eq":
        return _same(actual, value)
    if c.op == "in":
        assert isinstance(value, tuple)
        return actual in value
    assert c.op not in ("contains", "contains_any", "contains_other_than") or isinstance(
        actual, list | tuple
    )
    if c.op == "contains":
        return value in actual  # type: ignore[operator]
    if c.op == "contains_other_than":
        assert isinstance(value, tuple)
        return any(v not in value for v in actual)  # type: ignore[attr-defined]
    if c.op == "contains_any":
        assert isinstance(value, tuple)
        return any(v in actual for v in value)  # type: ignore[operator]
    assert isinstance(actual, int | float) and isinstance(value, int | float)
    return {
        "gt": actual > value,
        "gte": actual >= value,
        "lt": actual < value,
        "lte": actual <= value,
    }[c.op]


def evaluate(cond: Condition, answers: Mapping[str, object], facts: Iterable[str] = ()) -> Truth:
    """The three-valued truth of ``cond`` on the answers, given the derived facts established."""
    held = set(facts)
    return evaluate3(cond, lambda c: compare(c, answers), lambda name: name in held)


def rule_truth(rule: Rule, answers: Mapping[str, object], facts: Iterable[str] = ()) -> Truth:
    """True: the rule fires; None: it may apply (its ``when`` is unknown); False: it does not."""
    held = set(facts)
    if rule.unless is not None and evaluate(rule.unless, answers, held) is True:
        return False
    return evaluate(rule.when, answers, held)


def run_rules(rules: Iterable[Rule], answers: Mapping[str, object]) -> tuple[set[str], set[str]]:
    """Evaluate every rule, each after the rules deriving the facts it reads:
    (fired ids, derived facts).
    """
    pending = list(rules)
    derivers: dict[str, set[str]] = {}
    for rule in pending:
        for fact in rule.derives:
            derivers.setdefault(fact, set()).add(rule.id)
    done: set[str] = set()
    fired: set[str] = set()
    facts: set[str] = set()
    while pending:
        ready = [r for r in pending if all(derivers.get(f, set()) <= done for f in r.needs)]
        if not ready:
            raise ValueError("the rules' chaining has a cycle: " + ", ".join(r.id for r in pending))
        for rule in ready:
            if rule_truth(rule, answers, facts) is True:
                fired.add(rule.id)
        for rule in ready:
            if rule.id in fired:
                facts.update(rule.derives)
            done.add(rule.id)
        pending = [r for r in pending if r.id not in done]
    return fired, facts
