"""Deeper verification of a rule base, by searching profiles (the examples and generated ones).

- contradictions: a rule excludes a platform that another rule, firing on the same profile,
  recommends with 2 points or more - the advice would say "use X" and "X is not for you"
  (a single point is only a warning);
- platforms to which no searched profile gives points (an error: nothing in the rules can
  recommend them), and those it never ranks first, alone or tied (a warning: the papers may
  simply never favour a platform over the others, and the ranking must not pretend otherwise);
- rules that fire on no searched profile other than their own examples (warnings only).
"""

from __future__ import annotations

from collections.abc import Iterable

from .._advice.advisor import Advisor
from .._profile.generate import random_profiles
from .._profile.model import RANKED_PLATFORMS, Profile

__all__ = ["search_profiles", "verify_by_search"]


def search_profiles(advisor: Advisor, generated: int = 2000, seed: int = 0) -> list[Profile]:
    """The rules' example profiles followed by ``generated`` random valid profiles."""
    examples = [ex.profile for rule in advisor.rulebase.rules for ex in rule.examples]
    return examples + random_profiles(generated, seed=seed)


def verify_by_search(advisor: Advisor, profiles: Iterable[Profile]) -> tuple[list[str], list[str]]:
    """(errors, warnings) found by advising every profile."""
    rules = {r.id: r for r in advisor.rulebase.rules}
    contradictions: dict[tuple[str, str, str], Profile] = {}
    ranked_first: set[str] = set()
    scored: set[str] = set()
    fired_anywhere: set[str] = set()
    for profile in profiles:
        fired = advisor.engine.evaluate(profile).fired
        fired_anywhere.update(fired)
        excluded = {(p, rid) for rid in fired for p in rules[rid].excludes}
        for platform, excluder in excluded:
            for rid in fired:
                if rules[rid].platforms.get(platform, 0) > 0:
                    key = (rid, excluder, platform)
                    # keep the smallest witness: the fewest answers that show the contradiction
                    if key not in contradictions or len(profile.answered()) < len(
                        contradictions[key].answered()
                    ):
                        contradictions[key] = profile
        advice = advisor.advise(profile)
        ranked_first.update(advice.top_platforms)  # tied first counts
        scored.update(p.platform for p in advice.platforms if p.score and p.score > 0)
    errors: list[str] = []
    warnings: list[str] = []
    for (a, b, platform), witness in sorted(contradictions.items()):
        points = rules[a].platforms[platform]
        message = (
            f"{rules[a].source}: {a}: recommends {platform} (+{points}) while {b} excludes it, "
            f"on a profile such as {witness.answered()}"
        )
        # A strong recommendation (2 points or more) of an excluded platform is contradictory
        # advice; a single point is a side effect that the ranking's eligibility check absorbs.
        (errors if points >= 2 else warnings).append(message)
    errors += [
        f"platform '{p}' gets points on no profile searched: no rule can recommend it"
        for p in RANKED_PLATFORMS
        if p not in scored
    ]
    warnings += [
        f"platform '{p}' is ranked first (alone or tied) for no profile searched: the rules "
        "never favour it over every other platform"
        for p in RANKED_PLATFORMS
        if p in scored and p not in ranked_first
    ]
    warnings += [
        f"{rules[r].source}: {r}: fired on no profile searched"
        for r in sorted(set(rules) - fired_anywhere)
    ]
    return errors, warnings
