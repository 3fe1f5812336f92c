"""What would change if an unknown answer were known: re-running the engine on each value."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from .advisor import Advisor
from .conditions import All, AnyOf, Compare, Condition, Not
from .profile import Profile, field_specs

__all__ = ["AnswerImpact", "candidate_values", "impact_of_unknown"]


class AnswerImpact(BaseModel):
    """For one unknown answer: the recommendations some answer would add or remove."""

    model_config = ConfigDict(frozen=True)
    field: str
    would_add: list[str]
    would_remove: list[str]
    top_platform_could_become: list[str]


def _compares(cond: Condition, field: str) -> Iterable[Compare]:
    if isinstance(cond, Compare):
        if cond.field == field:
            yield cond
    elif isinstance(cond, Not):
        yield from _compares(cond.item, field)
    elif isinstance(cond, All | AnyOf):
        for item in cond.items:
            yield from _compares(item, field)


def candidate_values(advisor: Advisor, field: str) -> list[object]:
    """The answers worth trying for a field: its vocabulary, or the values the rules test."""
    spec = field_specs()[field]
    mentioned: list[object] = []
    for rule in advisor.rulebase.rules:
        for c in _compares(rule.when, field):
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            mentioned.extend(v for v in values if v is not None and v not in mentioned)
    if spec.kind == "enum":
        return list(spec.values)
    if spec.kind == "bool":
        return [True, False]
    if spec.kind == "list":
        return [[], *([v] for v in spec.values)]
    if spec.kind in ("country_list", "language_list"):
        return [[], *([v] for v in sorted(map(str, mentioned)))]
    if spec.kind == "number":
        points = sorted({float(v) + d for v in mentioned if isinstance(v, int | float) for d in (-1, 0, 1)})
        lo, hi = spec.minimum or 0, spec.maximum or float("inf")
        numbers: list[object] = [int(p) if p.is_integer() else p for p in points if lo <= p <= hi]
        return numbers or [lo]
    found: list[object] = [str(v) for v in sorted(map(str, mentioned))]
    return found


def impact_of_unknown(advisor: Advisor, profile: Profile, field: str) -> AnswerImpact:
    """Which recommendations and top platforms an answer to ``field`` could change."""
    base = advisor.advise(profile)
    fired = {r.rule_id for r in base.recommendations}
    added: set[str] = set()
    removed: set[str] = set()
    tops: set[str] = set()
    answers = profile.answered()
    for value in candidate_values(advisor, field):
        other = advisor.advise(Profile.model_validate({**answers, field: value}))
        now = {r.rule_id for r in other.recommendations}
        added |= now - fired
        removed |= fired - now
        if other.top_platform and other.top_platform != base.top_platform:
            tops.add(other.top_platform)
    return AnswerImpact(field=field, would_add=sorted(added), would_remove=sorted(removed),
                        top_platform_could_become=sorted(tops))
