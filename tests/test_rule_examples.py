"""Every rule's own examples: it fires on its `fire` profiles and stays silent on the others."""

from __future__ import annotations

import pytest

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._checks.run import outcome_of
from xbec_advisor._engine.oracle import run_rules3
from xbec_advisor._rulebase.load import Example, Rule, bundled_rulebase

CASES = [(rule, ex) for rule in bundled_rulebase().rules for ex in rule.examples]
KEY = {"fire": "fires", "silent": "silent", "may": "may"}


@pytest.mark.parametrize(
    ("rule", "example"), CASES, ids=[f"{r.id}::{KEY[e.expect]}:{e.name}" for r, e in CASES]
)
def test_rule_example(advisor: Advisor, rule: Rule, example: Example) -> None:
    result = advisor.engine.evaluate(example.profile)
    engine = outcome_of(rule.id, result.fired, result.maybe)
    assert engine == example.expect, f"{rule.id} should {example.expect} on {example.name}"
    fired, _, maybe, _ = run_rules3(advisor.rulebase.rules, example.profile.model_dump())
    assert outcome_of(rule.id, fired, maybe) == engine, "the engine and the oracle disagree"


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in bundled_rulebase().rules:
        assert {"fire", "silent"} <= {e.expect for e in rule.examples}, rule.id


def test_knowledge_base_covers_all_papers_and_first_categories() -> None:
    rb = bundled_rulebase()
    assert len(rb.rules) >= 40
    cited = {c.paper for r in rb.rules for c in r.citations}
    assert cited == set(rb.papers)
    assert {"platform", "localization", "logistics", "payment"} <= {r.category for r in rb.rules}
