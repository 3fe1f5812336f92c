"""What would change if an unknown answer were known: re-running the engine on each value."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel, ConfigDict

from .._advice.advisor import Advisor
from .._advice.models import Advice
from .._profile.model import Profile, field_specs
from .._rulebase.conditions import compares
from .moves import Move, moves_for

__all__ = [
    "AdviceDiff",
    "AnswerImpact",
    "Change",
    "RankMove",
    "Sensitivity",
    "Suggestion",
    "apply_changes",
    "candidate_values",
    "diff_advice",
    "impact_of_unknown",
    "sensitivity",
    "smallest_changes",
    "suggestions",
]


class AnswerImpact(BaseModel):
    """For one unknown answer: the recommendations some answer would add or remove."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    field: str
    would_add: list[str]
    would_remove: list[str]
    top_platform_could_become: list[str]


def candidate_values(advisor: Advisor, field: str) -> list[object]:
    """The answers worth trying for a field: its vocabulary, or the values the rules test."""
    mentioned: list[object] = []
    for rule in advisor.rulebase.rules:
        for c in compares(rule.when, field):
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            mentioned.extend(v for v in values if v is not None and v not in mentioned)
    return field_specs()[field].candidates(mentioned)


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
    return AnswerImpact(
        field=field,
        would_add=sorted(added),
        would_remove=sorted(removed),
        top_platform_could_become=sorted(tops),
    )


class Change(BaseModel):
    """One answer changed from ``before`` to ``after`` (None means unknown)."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    field: str
    before: object = None
    after: object = None


class RankMove(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    platform: str
    rank_before: int | None
    rank_after: int | None
    score_before: float | None
    score_after: float | None


class AdviceDiff(BaseModel):
    """What changes between two pieces of advice: recommendations and platform ranking."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    gained: list[str]
    lost: list[str]
    top_before: str | None
    top_after: str | None
    moves: list[RankMove]


def diff_advice(before: Advice, after: Advice) -> AdviceDiff:
    """Recommendations gained and lost, and the platforms whose rank or score moved."""
    a = [r.rule_id for r in before.recommendations]
    b = [r.rule_id for r in after.recommendations]
    ranks = {p.platform: p for p in before.platforms}
    moves = [
        RankMove(
            platform=p.platform,
            rank_before=ranks[p.platform].rank,
            rank_after=p.rank,
            score_before=ranks[p.platform].score,
            score_after=p.score,
        )
        for p in after.platforms
        if (p.rank, p.score) != (ranks[p.platform].rank, ranks[p.platform].score)
    ]
    return AdviceDiff(
        gained=[r for r in b if r not in a],
        lost=[r for r in a if r not in b],
        top_before=before.top_platform,
        top_after=after.top_platform,
        moves=moves,
    )


def apply_changes(profile: Profile, changes: Iterable[Change | Move]) -> Profile:
    answers = profile.model_dump()
    for change in changes:
        answers[change.field] = change.after
    return Profile.model_validate({k: v for k, v in answers.items() if v is not None})


def _single_changes(advisor: Advisor, profile: Profile, fields: Iterable[str]) -> list[Change]:
    answers = profile.model_dump()
    out = []
    for field in fields:
        current = answers.get(field)
        values = [v for v in candidate_values(advisor, field) if v != current]
        if current is not None:
            values.append(None)
        out += [Change(field=field, before=current, after=v) for v in values]
    return out


def smallest_changes(
    advisor: Advisor,
    profile: Profile,
    goal: Callable[[Advice], bool],
    focus: Iterable[str],
    limit: int = 5,
    budget: int = 2000,
) -> list[list[Move]]:
    """The smallest sets of moves a firm can make (one, or two on the ``focus`` fields) after
    which ``goal`` holds, smallest total cost first (see :mod:`.moves`).

    Every candidate is checked by re-running the engine on the changed profile, within
    ``budget`` runs. A set that contains a smaller set already found is not offered again.
    """
    singles = moves_for(profile)
    near = [m for m in singles if m.field in set(focus)]
    pairs = [[a, b] for i, a in enumerate(near) for b in near[i + 1 :] if a.field != b.field]
    candidates = sorted([[m] for m in singles] + pairs, key=lambda g: sum(m.cost for m in g))
    found: list[list[Move]] = []
    for group in candidates[:budget]:
        if any(all(m in group for m in done) for done in found):
            continue
        if goal(advisor.advise(apply_changes(profile, group))):
            found.append(group)
            if len(found) >= limit:
                break
    return found


class Suggestion(BaseModel):
    """A move the firm could make and what it changes in the advice."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    move: Move
    #: (rule id, title) of each recommendation it adds.
    gained: list[tuple[str, str]]
    lost: list[str]
    top_before: str | None
    top_after: str | None


def suggestions(advisor: Advisor, profile: Profile, limit: int = 8) -> list[Suggestion]:
    """The smallest single moves that change the advice, without losing a recommendation.

    Each is checked by re-running the engine; within a cost, the moves that add the most
    recommendations (or change the best platform) come first; one per field.
    """
    base = advisor.advise(profile)
    fired = {r.rule_id for r in base.recommendations}
    rows: list[tuple[int, int, int, Suggestion]] = []
    order = {name: i for i, name in enumerate(field_specs())}
    for move in moves_for(profile):
        other = advisor.advise(apply_changes(profile, [move]))
        gained = [(r.rule_id, r.title) for r in other.recommendations if r.rule_id not in fired]
        new = {r.rule_id for r in other.recommendations}
        if not gained and other.top_platform == base.top_platform:
            continue
        row = Suggestion(
            move=move,
            gained=gained,
            lost=sorted(fired - new),
            top_before=base.top_platform,
            top_after=other.top_platform,
        )
        moved = other.top_platform != base.top_platform
        rows.append((move.cost, -len(gained) - 10 * moved, order[move.field], row))
    rows.sort(key=lambda r: r[:3])
    seen: set[str] = set()
    out = []
    for *_, row in rows:
        if row.move.field not in seen:
            seen.add(row.move.field)
            out.append(row)
    return out[:limit]


class Sensitivity(BaseModel):
    """How much the advice depends on one answer, over every other value it could take."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    field: str
    current: object = None
    values_tried: int
    top_platform_changes: int
    max_recommendations_changed: int
    top_platforms_seen: list[str]


def sensitivity(advisor: Advisor, profile: Profile) -> list[Sensitivity]:
    """Every answer, most influential first: changes of top platform, then of recommendations."""
    base = advisor.advise(profile)
    base_recs = {r.rule_id for r in base.recommendations}
    rows = []
    for field in field_specs():
        changes = _single_changes(advisor, profile, [field])
        tops, changed, seen = 0, 0, set()
        for change in changes:
            other = advisor.advise(apply_changes(profile, [change]))
            if other.top_platform != base.top_platform:
                tops += 1
                if other.top_platform:
                    seen.add(other.top_platform)
            changed = max(changed, len(base_recs ^ {r.rule_id for r in other.recommendations}))
        rows.append(
            Sensitivity(
                field=field,
                current=profile.model_dump().get(field),
                values_tried=len(changes),
                top_platform_changes=tops,
                max_recommendations_changed=changed,
                top_platforms_seen=sorted(seen),
            )
        )
    rows.sort(key=lambda r: (-r.top_platform_changes, -r.max_recommendations_changed, r.field))
    return rows
