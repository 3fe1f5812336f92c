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
from typing import NamedTuple

from .._i18n import N_, _, current_language, ngettext
from .._rulebase.models import CATEGORIES, Rule
from .models import Action, DimensionView, construct

__all__ = ["HORIZONS", "HORIZON_OF", "WEIGHTS", "actions", "ranked"]

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


class _Static(NamedTuple):
    """What a rule's priority owes to the rule alone (computed once per rule)."""

    rule: Rule
    needs: tuple[str, ...]
    derives: frozenset[str]
    #: Points and reasons for deciding where to sell (in first place, untranslated) and the
    #: number of papers (the last reason).
    base: int
    first: tuple[str, ...]
    papers: int
    horizon: str
    order: tuple[int, int]


#: The static part of each rule's priority, by rule id (the rule object kept to tell a rule of
#: another rule base with the same id).
_STATIC: dict[str, _Static] = {}


def _static(rule: Rule) -> _Static:
    found = _STATIC.get(rule.id)
    if found is not None and found.rule is rule:
        return found
    base, first = 0, ()  # type: tuple[int, tuple[str, ...]]
    if rule.category == "platform" or rule.platforms or rule.excludes:
        base, first = WEIGHTS["platform"], (N_("decides where to sell"),)
    papers = len({c.paper for c in rule.citations})
    base += WEIGHTS["paper"] * min(papers, 3)
    horizon = HORIZON_OF.get(rule.category, "later")
    found = _STATIC[rule.id] = _Static(
        rule=rule,
        needs=rule.needs,
        derives=frozenset(rule.derives),
        base=base + HORIZON_WEIGHTS[horizon],
        first=first,
        papers=papers,
        horizon=horizon,
        order=(HORIZONS.index(horizon), _CATEGORY_ORDER.get(rule.category, 99)),
    )
    return found


def _reasons(
    static: _Static, needed: Collection[str], weak: Collection[str], explain: bool
) -> tuple[int, list[str]]:
    score, why = static.base, [_(text) for text in static.first] if explain else []
    if not static.derives.isdisjoint(needed):
        score += WEIGHTS["precondition"]
        if explain:
            why.append(_("other advice builds on it"))
    addressed = [c for c in static.rule.concepts if c in weak][:2] if weak else []
    if addressed:
        score += WEIGHTS["weak_point"] * len(addressed)
        if explain:
            why.append(_("addresses a weak point ({codes})").format(codes=", ".join(addressed)))
    if explain:
        count = static.papers
        why.append(ngettext("{count} paper", "{count} papers", count).format(count=count))
    return score, why


def ranked(
    fired: list[Rule], weak: Collection[str], explain: bool = True
) -> list[tuple[Rule, int, str, list[str]]]:
    """The fired rules in priority order, each with its score, horizon and reasons (``weak``:
    the grounded model's categories with a weak point; ``explain=False``: no reasons, for
    callers that need only the order)."""
    statics = [_static(rule) for rule in fired]
    needed = {fact for s in statics for fact in s.needs}
    scored = []
    for s in statics:
        score, why = _reasons(s, needed, weak, explain)
        scored.append(((-score, *s.order, s.rule.id), s.rule, score, s.horizon, why))
    scored.sort(key=lambda item: item[0])
    return [(rule, score, horizon, why) for _, rule, score, horizon, why in scored]


def weak_points(grounded: list[DimensionView]) -> set[str]:
    """The categories of a grounded model's view with a weak point."""
    return {c.code for d in grounded for c in d.categories if c.weaknesses}


def actions(fired: list[Rule], grounded: list[DimensionView]) -> list[Action]:
    """The fired rules as actions, in priority order (1 = first), in the current language."""
    lang = current_language()
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
        for i, (rule, score, horizon, why) in enumerate(
            ranked(fired, weak_points(grounded)), start=1
        )
    ]
