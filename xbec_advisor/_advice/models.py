"""The advice returned by :func:`xbec_advisor.advise`: plain pydantic models."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from .._rulebase.load import Citation

__all__ = [
    "Action",
    "Advice",
    "BibEntry",
    "Citation",
    "ConflictSide",
    "DerivedFact",
    "DimensionView",
    "Exclusion",
    "FigureUse",
    "FrameworkEntry",
    "MayApply",
    "ModelCategoryView",
    "OpenQuestion",
    "PlatformConflict",
    "PlatformScore",
    "Recommendation",
    "ScoreContribution",
    "SilentArea",
    "best_platforms",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """``cls.model_construct(**values)`` for trusted values that give every field,
    about 3 times faster.

    The advisor builds thousands of these per second from validated rules; it sets the same
    attributes as ``model_construct`` (``tests/test_assembly.py`` checks that both agree).
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


class FigureUse(_Model):
    """A dated figure from a paper that a recommendation relies on."""

    id: str
    statement: str
    kind: str = "data"
    #: The year described (forecasts: the year forecast); None when undated.
    year: int | None = None
    #: How old the data is (data and platform rules with a year only).
    age_years: int | None = None
    #: When a forecast was made.
    made: int | None = None
    dating: str = "stated"
    caveat: str = ""
    citation: Citation


class Recommendation(_Model):
    """One fired rule: what to do, why, and where the papers say so."""

    rule_id: str
    category: str
    title: str
    advice: str
    rationale: str
    citations: list[Citation]
    assumptions: list[str] = []
    concepts: list[str] = []
    figures: list[FigureUse] = []


class ScoreContribution(_Model):
    rule_id: str
    points: int


class Exclusion(_Model):
    rule_id: str
    reason: str


class PlatformScore(_Model):
    """A platform's place in the ranking; every point comes from a cited rule.

    How the score is built: ``xbec_advisor/_advice/ranking.py`` (and the README).
    """

    platform: str
    #: Shared by tied platforms; None for a platform not scored or excluded.
    rank: int | None
    #: None for a platform not scored (not placed in the firm's markets) or excluded.
    score: float | None
    #: False when a rule or the presence table excludes the platform for this firm.
    eligible: bool
    rules_for: list[str]
    rules_against: list[str]
    contributions: list[ScoreContribution]
    excluded_by: list[Exclusion] = []
    #: placed (by the papers), flagged (our knowledge), not_scored, excluded, or unknown.
    presence: str = "placed"
    presence_note: str = ""
    #: 1 where the papers place the platform, 0.5 where only our knowledge does.
    factor: float = 1.0
    #: Another platform has the same score.
    tied: bool = False
    #: Points of rules that may apply (depending on unanswered questions): shown, not added.
    pending: list[ScoreContribution] = []
    pending_exclusions: list[Exclusion] = []


class ConflictSide(_Model):
    platform: str
    stance: str
    rules: list[ScoreContribution]


class PlatformConflict(_Model):
    """Papers pulling in different directions for this profile: both sides, with their rules.

    ``mixed``: rules for and against the same platform; ``rivals``: the two best eligible
    platforms are close and each is backed by its own rules.
    """

    kind: str
    summary: str
    sides: list[ConflictSide]


class FrameworkEntry(_Model):
    """An element of one of the papers' frameworks (PEST, SWOT, operation or marketing model)."""

    id: str
    group: str
    name: str
    text: str
    citation: Citation
    because: list[str] = []


class ModelCategoryView(_Model):
    """A category (B1-B12) of the grounded-theory model, as this advice addresses it."""

    code: str
    name: str
    recommendations: list[str]
    weaknesses: list[str]


class DimensionView(_Model):
    """A main category (A1-A5) of the grounded-theory model: advice given and weak points found."""

    code: str
    name: str
    role: str
    categories: list[ModelCategoryView]


class Action(_Model):
    """A recommendation in the order to act on it (``_advice/priority.py`` has the formula)."""

    rule_id: str
    title: str
    category: str
    #: 1 = first.
    priority: int
    score: int
    #: now (before or at launch), next (the first months) or later.
    horizon: str
    #: Why it has this priority, in words.
    reasons: list[str]


class MayApply(_Model):
    """A recommendation whose outcome depends on questions the firm has not answered."""

    rule_id: str
    category: str
    title: str
    #: The unanswered questions (profile fields) that decide it.
    questions: list[str]


class OpenQuestion(_Model):
    """An unanswered question, with the advice that answering it would settle."""

    field: str
    question: str
    #: The recommendations that may apply and read this answer.
    settles: list[str]


class SilentArea(_Model):
    """An area of advice (platform, localization, logistics, payment) where no recommendation
    applies to this firm: what the papers do cover instead."""

    category: str
    title: str
    text: str


class BibEntry(_Model):
    """A paper cited by this advice."""

    key: str
    title: str
    authors: list[str]
    published: str


class DerivedFact(_Model):
    """An intermediate conclusion, with the rules that established it."""

    name: str
    meaning: str
    derived_by: list[str]


def best_platforms(platforms: list[PlatformScore]) -> list[str]:
    """The eligible, scored platforms sharing the highest positive score."""
    scored = [(p.platform, p.score) for p in platforms if p.eligible and p.score is not None]
    top = max((score for _, score in scored), default=0.0)
    return [platform for platform, score in scored if score == top and score > 0]


class Advice(_Model):
    """Everything the advisor concluded for one profile."""

    profile: dict[str, object]
    recommendations: list[Recommendation]
    platforms: list[PlatformScore]
    derived_facts: list[DerivedFact]
    assumptions: list[str]
    unknown_fields: list[str]
    conflicts: list[PlatformConflict] = []
    pest: list[FrameworkEntry] = []
    swot: list[FrameworkEntry] = []
    operation_models: list[FrameworkEntry] = []
    marketing_models: list[FrameworkEntry] = []
    grounded_model: list[DimensionView] = []
    bibliography: list[BibEntry] = []
    as_of: int = 0

    #: Recommendations that may also apply, and the questions deciding them (most settling first).
    may_apply: list[MayApply] = []
    open_questions: list[OpenQuestion] = []
    #: Areas where no recommendation applies, said out loud.
    silent_areas: list[SilentArea] = []
    #: The recommendations in the order to act on them.
    actions: list[Action] = []
    #: Who the advice is for (the profile's ``name`` and ``id``, if given).
    client: str = ""
    client_id: str = ""

    @property
    def top_platforms(self) -> list[str]:
        """The platforms sharing the highest positive score (one, several when tied, or none)."""
        return best_platforms(self.platforms)

    @property
    def top_platform(self) -> str | None:
        """The best platform: the highest positive score, if no other platform has it."""
        best = self.top_platforms
        return best[0] if len(best) == 1 else None

    def by_category(self) -> dict[str, list[Recommendation]]:
        """Recommendations grouped by category, in the advice's order."""
        groups: dict[str, list[Recommendation]] = {}
        for rec in self.recommendations:
            groups.setdefault(rec.category, []).append(rec)
        return groups
