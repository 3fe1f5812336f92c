"""The chaining between rules: declared facts, cycles, and each rule's evaluation pass.

A derived fact may appear anywhere in a condition, negated too. That is sound because rules are
evaluated in passes (strata): a rule runs in a later pass than every rule deriving a fact it
reads, so when it runs, each of those facts is settled. A rule that needs, directly or through
others, a fact it derives itself has no such pass: that is a cycle, refused here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._errors import did_you_mean
from .models import Rule

__all__ = ["check_graph", "strata"]


def _derivers(rules: Iterable[Rule]) -> dict[str, list[str]]:
    derived_by: dict[str, list[str]] = {}
    for rule in rules:
        for fact in rule.derives:
            derived_by.setdefault(fact, []).append(rule.id)
    return derived_by


def check_graph(rules: list[Rule], facts: dict[str, str], problems: list[str]) -> None:
    """Facts used or derived but not declared, facts nobody derives, and cycles."""
    derived_by = _derivers(rules)
    for rule in rules:
        for fact in rule.derives:
            if fact not in facts:
                problems.append(
                    f"{rule.source}: {rule.id}: derives: fact '{fact}' is not declared in "
                    f"rules/derived/{did_you_mean(fact, facts)}"
                )
        for fact in rule.needs:
            if fact not in facts:
                problems.append(
                    f"{rule.source}: {rule.id}: when: unknown fact '{fact}'"
                    f"{did_you_mean(fact, facts)}"
                )
            elif fact not in derived_by:
                problems.append(
                    f"{rule.source}: {rule.id}: when: no rule derives fact '{fact}', "
                    "so it never holds"
                )
    needs = {r.id: set(r.needs) for r in rules}
    state: dict[str, int] = {}

    def visit(rid: str, trail: list[str]) -> None:
        state[rid] = 1
        for fact in sorted(needs[rid]):
            for other in sorted(derived_by.get(fact, [])):
                if state.get(other) == 1:
                    cycle = " -> ".join([*trail, rid, other])
                    problems.append(f"chaining cycle: {cycle} (through fact '{fact}')")
                elif other not in state:
                    visit(other, [*trail, rid])
        state[rid] = 2

    for rid in sorted(needs):
        if rid not in state:
            visit(rid, [])


def strata(rules: list[Rule]) -> dict[str, int]:
    """Each rule's pass: 0 if it reads no derived fact,
    else one more than its facts' derivers' passes.

    Call on a rule base without cycles (:func:`check_graph`).
    """
    derived_by = _derivers(rules)
    by_id = {r.id: r for r in rules}
    level: dict[str, int] = {}

    def of(rid: str) -> int:
        if rid not in level:
            level[rid] = 0  # provisional: guards against a cycle that slipped through
            deps = [
                of(other) + 1 for fact in by_id[rid].needs for other in derived_by.get(fact, ())
            ]
            level[rid] = max(deps, default=0)
        return level[rid]

    for rid in by_id:
        of(rid)
    return level
