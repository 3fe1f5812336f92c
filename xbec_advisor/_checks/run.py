"""``rules check``: verifications of a rule base beyond what loading already refuses."""

from __future__ import annotations

from pathlib import Path

from .._advice.advisor import Advisor
from .._engine.oracle import run_rules
from .._rulebase.load import RuleBase
from .quotes import verify_citations
from .search import search_profiles, verify_by_search

__all__ = ["check_examples", "check_rulebase"]


def check_examples(advisor: Advisor) -> list[str]:
    """Every example must fire (or stay silent) in the engine and in the oracle alike."""
    problems: list[str] = []
    rules = advisor.rulebase.rules
    for rule in rules:
        for ex in rule.examples:
            engine_fired = rule.id in advisor.engine.evaluate(ex.profile).fired
            oracle_fired = rule.id in run_rules(rules, ex.profile.model_dump())[0]
            want = ex.expect == "fire"
            if engine_fired != oracle_fired:
                problems.append(f"{rule.source}: {rule.id}: examples.{ex.name}: engine and oracle disagree")
            elif engine_fired != want:
                problems.append(f"{rule.source}: {rule.id}: examples.{ex.name}: expected the rule to "
                                f"{'fire' if want else 'stay silent'}, but it {'fired' if engine_fired else 'stayed silent'}")
    return problems


def check_facts(rulebase: RuleBase) -> list[str]:
    """Declared facts that no rule derives, or that are derived but never used."""
    derived = {f for r in rulebase.rules for f in r.derives}
    used = {f for r in rulebase.rules for f in r.needs}
    problems = [f"fact '{f}' is declared but no rule derives it" for f in sorted(set(rulebase.facts) - derived)]
    problems += [f"fact '{f}' is derived but no rule uses it (add a rule that needs it, or drop it)"
                 for f in sorted(derived - used)]
    return problems


def check_rulebase(advisor: Advisor, papers_dir: Path | None, search: int = 2000) -> tuple[list[str], list[str]]:
    """(errors, warnings) for a loaded rule base; ``search`` generated profiles are also advised."""
    errors = check_examples(advisor)
    if papers_dir is not None:
        errors += verify_citations(advisor.rulebase, papers_dir)
    warnings = check_facts(advisor.rulebase)
    found, doubts = verify_by_search(advisor, search_profiles(advisor, search))
    return errors + found, warnings + doubts
