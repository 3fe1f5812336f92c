"""A rule base planned for the engine: its passes, each pass's rulesets, and what each engine
rule of a ruleset means. Pure (no durable-rules): :mod:`.durable` creates what this plans.

A rule runs in the pass of its stratum (0 when it reads no derived fact), so that every fact it
reads is settled by earlier passes. Each rule becomes engine rules (:mod:`.compiler`), each named
by a short number and standing for ``rule index * 4 + kind`` (fires; may apply; fires or may
apply; cannot fire); the pass's engine rules are split into rulesets within the engine's limits
(:mod:`.rulesets`), and each ruleset gets the encoder of the members it tests (:mod:`.encoding`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from .._errors import EngineError
from .._rulebase.conditions import Condition, facts_used
from .compiler import CompiledRule, Members, compile_rule, rule_tests
from .encoding import Encoder
from .limits import LimitError
from .rulesets import partition, rule_name

__all__ = [
    "FIRE",
    "KINDS",
    "MAY",
    "SILENT",
    "UNKNOWN",
    "EngineRule",
    "PassPlan",
    "RulesetPlan",
    "plan",
]

FIRE, UNKNOWN, MAY, SILENT = 0, 1, 2, 3
KINDS = {"fire": FIRE, "unknown": UNKNOWN, "may": MAY, "silent": SILENT}


class EngineRule(NamedTuple):
    """What the engine needs of a rule."""

    id: str
    when: Condition
    unless: Condition | None = None
    derives: tuple[str, ...] = ()
    stratum: int = 0


class RulesetPlan(NamedTuple):
    """One ruleset: its definition, the encoder of its facts, and each engine rule's code."""

    definition: dict[str, Any]
    encoder: Encoder
    codes: dict[str, int]
    where: str


class PassPlan(NamedTuple):
    rulesets: list[RulesetPlan]
    #: Rules whose openness is found by "cannot fire" alternatives.
    silent: frozenset[int]


def plan(rules: list[EngineRule], label: str = "") -> list[PassPlan]:
    """The passes of ``rules`` (indices into that list), each with its rulesets."""
    by_pass: dict[int, list[tuple[int, CompiledRule]]] = {}
    for i, rule in enumerate(rules):
        reads = facts_used(rule.when) | (facts_used(rule.unless) if rule.unless else set())
        compiled = compile_rule(rule.when, rule.unless)
        by_pass.setdefault(rule.stratum if reads else 0, []).append((i, compiled))
    planner = _Planner([r.id for r in rules], label)
    return [planner.one(k, by_pass.get(n, [])) for k, n in enumerate(sorted(by_pass) or [0])]


class _Planner:
    def __init__(self, ids: list[str], label: str) -> None:
        self.ids = ids
        self.of = f" (rules from {label})" if label else ""
        self.members = Members()
        self.named = 0  # engine rules named so far: names are unique across passes

    def one(self, number: int, compiled: list[tuple[int, CompiledRule]]) -> PassPlan:
        alternatives = rule_tests(compiled, self.members)
        names = [rule_name(self.named + k) for k in range(len(alternatives))]
        self.named += len(alternatives)
        pairs = list(zip(names, alternatives, strict=True))
        codes = {n: i * 4 + KINDS[kind] for n, (i, kind, _) in pairs}
        items = [(n, tests) for n, (_, _, tests) in pairs]
        try:
            definitions = partition(items)
        except LimitError as exc:
            name = str(exc).split()[2].rstrip(":")
            rule = self.ids[codes[name] // 4] if name in codes else "?"
            raise EngineError(f"rule {rule}{self.of} exceeds the engine's limits: {exc}") from exc
        rulesets = []
        for k, definition in enumerate(definitions):
            own = {n: codes[n] for n in definition if n in codes}
            tested = {n for rule in definition.values() for n in members_of(rule)}
            encoder = Encoder(tested, self.members)
            rulesets.append(RulesetPlan(definition, encoder, own, self._where(number, k, own)))
        silent = frozenset(i for i, c in compiled if c.open_kind == "silent")
        return PassPlan(rulesets, silent)

    def _where(self, number: int, k: int, codes: dict[str, int]) -> str:
        ids = sorted({self.ids[code // 4] for code in codes.values()})
        span = f"{ids[0]} to {ids[-1]}, {len(ids)} rules" if ids else "no rules"
        return f"ruleset {k + 1} of pass {number + 1} ({span}){self.of}"


def members_of(rule: Mapping[str, Any]) -> Iterable[str]:
    """The fact members an engine rule's definition tests."""
    for pattern in rule["all"]:
        (expression,) = pattern.values()
        for test in expression.get("$and", [expression]):
            ((key, inner),) = test.items()
            name = next(iter(inner)) if key.startswith("$") else key
            if name != "kind":
                yield name
