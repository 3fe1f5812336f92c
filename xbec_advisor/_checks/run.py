"""``rules check``: verifications of a rule base beyond what loading already refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._advice.advisor import Advisor
from .._engine.oracle import evaluate, run_rules3
from .._rulebase.models import RuleBase
from .branches import Branch, branch_coverage, uncovered
from .figures import check_figures
from .prose import check_prose
from .quotes import verify_citations
from .search import search_profiles, verify_by_search
from .translations import check_translations
from .vocabulary import check_vocabulary

__all__ = ["CheckReport", "check_examples", "check_facts", "check_named", "check_rulebase"]

#: Each kind of example: the key it is written under, and the outcome it expects.
#: Per outcome: the examples' key, what the rule is expected to do, what it did.
_KIND = {
    "fire": ("fires", "fire", "fired"),
    "silent": ("silent", "stay silent", "stayed silent"),
    "may": ("may", "be one that may apply", "may apply"),
}


def outcome_of(rule_id: str, fired: list[str] | set[str], maybe: list[str] | set[str]) -> str:
    """What a rule does on a profile: fire, may (apply) or silent."""
    return "fire" if rule_id in fired else "may" if rule_id in maybe else "silent"


def check_examples(advisor: Advisor) -> list[str]:
    """Every example fires, stays silent or may apply as it says, in the engine and the oracle."""
    problems: list[str] = []
    rules = advisor.rulebase.rules
    for rule in rules:
        for ex in rule.examples:
            result = advisor.engine.evaluate(ex.profile)
            engine = outcome_of(rule.id, result.fired, result.maybe)
            fired, _, maybe, _ = run_rules3(rules, ex.profile.model_dump())
            oracle = outcome_of(rule.id, fired, maybe)
            key, wanted, _ = _KIND[ex.expect]
            where = f"{rule.source}: {rule.id}: {key}.{ex.name}"
            if engine != oracle:
                problems.append(f"{where}: engine ({engine}) and oracle ({oracle}) disagree")
            elif engine != ex.expect:
                problems.append(
                    f"{where}: expected the rule to {wanted}, but it {_KIND[engine][2]}"
                )
    return problems


def check_named(rulebase: RuleBase) -> list[str]:
    """Every named condition holds on its ``holds`` examples and not on its ``fails`` ones."""
    problems = []
    for named in rulebase.conditions.values():
        for ex in named.examples:
            held = evaluate(named.when, ex.profile.model_dump()) is True
            if held != (ex.expect == "fire"):
                key = "holds" if ex.expect == "fire" else "fails"
                problems.append(
                    f"{named.source}: {named.name}: {key}.{ex.name}: the condition "
                    f"{'does not hold' if not held else 'holds'} on this profile"
                )
    return problems


def check_facts(rulebase: RuleBase) -> list[str]:
    """Declared facts that no rule derives, or that are derived but never used."""
    derived = {f for r in rulebase.rules for f in r.derives}
    used = {f for r in rulebase.rules for f in r.needs}
    problems = [
        f"fact '{f}' is declared but no rule derives it"
        for f in sorted(set(rulebase.facts) - derived)
    ]
    problems += [
        f"fact '{f}' is derived but no rule uses it (add a rule that needs it, or drop it)"
        for f in sorted(derived - used)
    ]
    return problems


@dataclass
class CheckReport:
    """What ``rules check`` found."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return sum(1 for b in self.branches if b.decided_by)


def _shown_conclusions(rulebase: RuleBase) -> list[str]:
    """The derived facts and the grounded model's signals: the conclusions readers see."""
    signals = [
        name
        for category in (rulebase.grounded.categories.values() if rulebase.grounded else ())
        for name in category.signals
    ]
    return sorted({*rulebase.facts, *signals})


def check_rulebase(advisor: Advisor, papers_dir: Path | None, search: int = 2000) -> CheckReport:
    """Every check of a loaded rule base; ``search`` generated profiles are also advised."""
    rulebase = advisor.rulebase
    report = CheckReport(branches=branch_coverage(rulebase))
    report.errors = (
        check_vocabulary(_shown_conclusions(rulebase))
        + check_examples(advisor)
        + check_named(rulebase)
        + uncovered(report.branches)
        + check_prose(rulebase)
    )
    if papers_dir is not None:
        report.errors += verify_citations(rulebase, papers_dir)
    figure_errors, figure_warnings = check_figures(rulebase)
    report.errors += figure_errors
    zh_errors, zh_warnings = check_translations(rulebase.directories)
    report.errors += zh_errors
    report.warnings = [
        *rulebase.warnings,
        *check_facts(rulebase),
        *figure_warnings,
        *zh_warnings,
    ]
    found, doubts = verify_by_search(advisor, search_profiles(advisor, search))
    report.errors += found
    report.warnings += doubts
    return report
