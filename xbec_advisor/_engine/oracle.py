"""A plain-Python evaluator of the rules, independent of durable-rules.

It serves as the oracle the engine is tested against. Semantics (``docs/rule-format.md``):
three-valued conditions, a comparison on an unanswered field is unknown; a rule fires when its
``when`` is true and its ``unless`` is not true. Rules are evaluated once every rule deriving a
fact they read has been evaluated (the order is found here, independently of the engine's passes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._profile.model import DERIVED_FIELDS
from .._rulebase.conditions import Compare, Condition, Truth, evaluate3
from .._rulebase.presence import derived_value

if TYPE_CHECKING:
    from .._rulebase.models import Rule

__all__ = ["compare", "evaluate", "rule_truth", "run_rules", "run_rules3"]


def _same(a: object, b: object) -> bool:
    """Equality as the profile means it: ``True`` is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def compare(c: Compare, answers: Mapping[str, object]) -> Truth:
    """The truth of one comparison: ``None`` when its field is unanswered
    (except present/absent).
    """
    actual = derived_value(c.field, answers) if c.field in DERIVED_FIELDS else answers.get(c.field)
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


def evaluate(
    cond: Condition,
    answers: Mapping[str, object],
    facts: Iterable[str] = (),
    maybe: Iterable[str] = (),
) -> Truth:
    """The three-valued truth of ``cond`` on the answers, given the derived facts established
    (true) and those that may hold (unknown)."""
    held, unsure = set(facts), set(maybe)
    return evaluate3(
        cond,
        lambda c: compare(c, answers),
        lambda name: True if name in held else None if name in unsure else False,
    )


def rule_truth(
    rule: Rule, answers: Mapping[str, object], facts: Iterable[str] = (), maybe: Iterable[str] = ()
) -> Truth:
    """True: the rule fires; None: it may apply (its ``when`` is unknown); False: it does not."""
    held, unsure = set(facts), set(maybe)
    if rule.unless is not None and evaluate(rule.unless, answers, held, unsure) is True:
        return False
    return evaluate(rule.when, answers, held, unsure)


def run_rules(rules: Iterable[Rule], answers: Mapping[str, object]) -> tuple[set[str], set[str]]:
    """Evaluate every rule, each after the rules deriving the facts it reads:
    (fired ids, derived facts)."""
    fired, facts, _, _ = run_rules3(rules, answers)
    return fired, facts


def run_rules3(
    rules: Iterable[Rule], answers: Mapping[str, object]
) -> tuple[set[str], set[str], set[str], set[str]]:
    """Evaluate every rule, each after the rules deriving the facts it reads: (fired ids, derived
    facts, ids of the rules that may also apply, facts that those would derive)."""
    pending = list(rules)
    derivers: dict[str, set[str]] = {}
    for rule in pending:
        for fact in rule.derives:
            derivers.setdefault(fact, set()).add(rule.id)
    done: set[str] = set()
    fired: set[str] = set()
    maybe: set[str] = set()
    facts: set[str] = set()
    unsure: set[str] = set()
    while pending:
        ready = [r for r in pending if all(derivers.get(f, set()) <= done for f in r.needs)]
        if not ready:
            raise ValueError("the rules' chaining has a cycle: " + ", ".join(r.id for r in pending))
        outcome = {r.id: rule_truth(r, answers, facts, unsure - facts) for r in ready}
        for rule in ready:
            if outcome[rule.id] is True:
                fired.add(rule.id)
                facts.update(rule.derives)
            elif outcome[rule.id] is None:
                maybe.add(rule.id)
                unsure.update(rule.derives)
            done.add(rule.id)
        pending = [r for r in pending if r.id not in done]
    return fired, facts, maybe, unsure - facts
