"""The order in which a firm should act on its recommendations, and when (one documented formula).

A recommendation's priority score adds:

- 8 if it decides where to sell: a rule that gives a platform points or excludes one, or any
  platform-choice rule (eligibility and platform choice come first);
- 4 if it is a precondition of other advice: it establishes a conclusion that another
  recommendation given to the firm relies on;
- 2 for each weak point of the firm's grounded-theory model it addresses (at most 2): a category
  of the model (B1-B12) in which the firm's answers show a gap;
- 1 for each paper that supports it (at most 3);
- 3 if it is for now, 1 if for next: what must be done before launch comes before what can wait.

Recommendations are ordered by that score, highest first; then by horizon, then by category and
id. The horizon says when to act: *now* (before or at launch: platform choice, compliance,
payment, localization), *next* (the first months: logistics, marketing, customer service, trust,
product) or *later* (supply chain, team). The weights and the horizons are ours: the papers rank
nothing.
"""

from __future__ import annotations

from collections.abc import Collection

from .._i18n import _, current_language, ngettext
from .._rulebase.models import CATEGORIES, Rule
from .models import Action, DimensionView, construct

__all__ = ["HORIZONS", "HORIZON_OF", "WEIGHTS", "actions"]

#: Points per criterion (see the module's docstring).
WEIGHTS = {"platform": 8, "precondition": 4, "weak_point": 2, "paper": 1}
#: Points for the horizon (see the module's docstring).
HORIZON_WEIGHTS = {"now": 3, "next": 1, "later": 0}
HORIZONS = ("now", "next", "later")
#: When to act on each category's recommendations.
HORIZON_OF = {
    "platform": "now",
    "compliance": "now",
    "payment": "now",
    "localization": "now",
    "logistics": "next",
    "marketing": "next",
    "customer_service": "next",
    "trust": "next",
    "product": "next",
    "supply_chain": "later",
    "team": "later",
}
_CATEGORY_ORDER = {name: i for i, name in enumerate(CATEGORIES)}


def _reasons(rule: Rule, needed: Collection[str], weak: Collection[str]) -> tuple[int, list[str]]:
    score, why = 0, []
    if rule.category == "platform" or rule.platforms or rule.excludes:
        score += WEIGHTS["platform"]
        why.append(_("decides where to sell"))
    if set(rule.derives) & set(needed):
        score += WEIGHTS["precondition"]
        why.append(_("other advice builds on it"))
    addressed = [c for c in rule.concepts if c in weak][:2]
    if addressed:
        score += WEIGHTS["weak_point"] * len(addressed)
        why.append(_("addresses a weak point ({codes})").format(codes=", ".join(addressed)))
    papers = len({c.paper for c in rule.citations})
    score += WEIGHTS["paper"] * min(papers, 3)
    why.append(ngettext("{count} paper", "{count} papers", papers).format(count=papers))
    return score, why


def actions(fired: list[Rule], grounded: list[DimensionView]) -> list[Action]:
    """The fired rules as actions, in priority order (1 = first)."""
    lang = current_language()
    needed = {fact for rule in fired for fact in rule.needs}
    weak = {c.code for d in grounded for c in d.categories if c.weaknesses}
    scored = []
    for rule in fired:
        score, why = _reasons(rule, needed, weak)
        horizon = HORIZON_OF.get(rule.category, "later")
        score += HORIZON_WEIGHTS[horizon]
        key = (-score, HORIZONS.index(horizon), _CATEGORY_ORDER.get(rule.category, 99), rule.id)
        scored.append((key, rule, score, horizon, why))
    scored.sort(key=lambda item: item[0])
    return [
        construct(
            Action,
            dict(
                rule_id=rule.id,
                title=rule.text_in("title", lang),
                category=rule.category,
                priority=i,
                score=score,
                horizon=horizon,
                reasons=why,
            ),
        )
        for i, (_, rule, score, horizon, why) in enumerate(scored, start=1)
    ]
