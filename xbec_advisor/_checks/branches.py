"""Branch coverage of the examples: every alternative of every ``any`` decides some example.

An alternative *decides* an example when, were it false, the outcome on that example would
change: whether the rule fires, may apply or stays silent (a named condition: true, false or
unknown). So an alternative that only makes a rule "may apply" rather than stay silent is tested
by an example where that is what happens. An alternative that decides no example is logic no example
tests; ``rules check`` reports it (as ``opa test --coverage`` does for Rego). A rule's coverage is
counted in its own ``when`` and ``unless``; a named condition's in its own definition, by its own
examples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .._engine.oracle import compare
from .._rulebase.conditions import (
    All,
    AnyOf,
    Condition,
    FactRef,
    Not,
    Ref,
    Truth,
    kleene_all,
    kleene_any,
)
from .._rulebase.models import Example, RuleBase

__all__ = ["Branch", "branch_coverage", "uncovered"]

#: Whether a rule fires (or a named condition holds) on answers and facts,
#: some nodes forced to a value.
Outcome = Callable[[Mapping[str, object], set[str], Mapping[int, Truth]], object]


@dataclass(frozen=True)
class Branch:
    """One alternative of an ``any``: where it is, and the examples it decides."""

    owner: str
    source: str
    path: str
    decided_by: tuple[str, ...]


def _anys(cond: Condition, path: str) -> Iterator[tuple[AnyOf, str]]:
    """Every ``any`` written in the tree itself (named conditions are not entered)."""
    if isinstance(cond, AnyOf):
        yield cond, path
    if isinstance(cond, All | AnyOf):
        key = "all" if isinstance(cond, All) else "any"
        for i, item in enumerate(cond.items):
            yield from _anys(item, f"{path}.{key}[{i}]")
    elif isinstance(cond, Not):
        yield from _anys(cond.item, f"{path}.not")


def _value(
    cond: Condition, answers: Mapping[str, object], facts: set[str], forced: Mapping[int, Truth]
) -> Truth:
    if id(cond) in forced:
        return forced[id(cond)]
    if isinstance(cond, FactRef):
        return cond.fact in facts
    if isinstance(cond, Ref):
        return _value(cond.item, answers, facts, forced)
    if isinstance(cond, Not):
        inner = _value(cond.item, answers, facts, forced)
        return None if inner is None else not inner
    if isinstance(cond, All | AnyOf):
        values = [_value(i, answers, facts, forced) for i in cond.items]
        return kleene_all(values) if isinstance(cond, All) else kleene_any(values)
    return compare(cond, answers)


def _decides(
    node: AnyOf, index: int, outcome: Outcome, answers: Mapping[str, object], facts: set[str]
) -> bool:
    """Whether the outcome changes when this alternative is taken to be false."""
    forced = {id(node.items[index]): False}
    return outcome(answers, facts, {}) != outcome(answers, facts, forced)


def _coverage(
    owner: str,
    source: str,
    trees: list[tuple[str, Condition]],
    examples: tuple[Example, ...],
    outcome: Outcome,
    facts_of: Callable[[Example], set[str]],
) -> list[Branch]:
    out = []
    for label, tree in trees:
        for node, path in _anys(tree, label):
            for index in range(len(node.items)):
                decided = tuple(
                    f"{ex.expect}:{ex.name}"
                    for ex in examples
                    if _decides(node, index, outcome, ex.profile.model_dump(), facts_of(ex))
                )
                out.append(Branch(owner, source, f"{path}.any[{index}]", decided))
    return out


def branch_coverage(rulebase: RuleBase) -> list[Branch]:
    """Every alternative of every ``any`` in the rules and named conditions,
    with the examples it decides.

    Derived facts are taken from the oracle's evaluation of each example.
    """
    from .._engine.oracle import run_rules

    branches: list[Branch] = []
    cache: dict[int, set[str]] = {}

    def facts_of(ex: Example) -> set[str]:
        if id(ex) not in cache:
            cache[id(ex)] = run_rules(rulebase.rules, ex.profile.model_dump())[1]
        return cache[id(ex)]

    for rule in rulebase.rules:

        def fires(  # type: ignore[no-untyped-def]
            answers: Mapping[str, object], facts: set[str], forced: Mapping[int, Truth], rule=rule
        ) -> object:
            if rule.unless is not None and _value(rule.unless, answers, facts, forced) is True:
                return "silent"
            return {True: "fires", None: "may"}.get(
                _value(rule.when, answers, facts, forced), "silent"
            )

        trees = [
            ("when", rule.when),
            *([("unless", rule.unless)] if rule.unless is not None else []),
        ]
        branches += _coverage(rule.id, rule.source, trees, rule.examples, fires, facts_of)
    for named in rulebase.conditions.values():

        def holds(  # type: ignore[no-untyped-def]
            answers: Mapping[str, object], facts: set[str], forced: Mapping[int, Truth], named=named
        ) -> object:
            return _value(named.when, answers, facts, forced)

        branches += _coverage(
            named.name,
            named.source,
            [("when", named.when)],
            named.examples,
            holds,
            lambda ex: set(),
        )
    return branches


def uncovered(branches: list[Branch]) -> list[str]:
    """A problem for each alternative that decides no example."""
    return [
        f"{b.source}: {b.owner}: {b.path}: no example is decided by this alternative; "
        "add one on which it alone makes the difference (or remove it)"
        for b in branches
        if not b.decided_by
    ]
