"""The advice returned by :func:`xbec_advisor.advise`: plain pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .rulebase import Citation

__all__ = [
    "Advice",
    "Citation",
    "DerivedFact",
    "Exclusion",
    "PlatformScore",
    "Recommendation",
    "ScoreContribution",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Recommendation(_Model):
    """One fired rule: what to do, why, and where the papers say so."""

    rule_id: str
    category: str
    title: str
    advice: str
    rationale: str
    citations: list[Citation]
    assumptions: list[str] = []


class ScoreContribution(_Model):
    rule_id: str
    points: int


class Exclusion(_Model):
    rule_id: str
    reason: str


class PlatformScore(_Model):
    """A platform's place in the ranking; every point comes from a cited rule."""

    platform: str
    rank: int
    score: int
    eligible: bool
    rules_for: list[str]
    rules_against: list[str]
    contributions: list[ScoreContribution]
    excluded_by: list[Exclusion] = []


class DerivedFact(_Model):
    """An intermediate conclusion, with the rules that established it."""

    name: str
    meaning: str
    derived_by: list[str]


class Advice(_Model):
    """Everything the advisor concluded for one profile."""

    profile: dict[str, object]
    recommendations: list[Recommendation]
    platforms: list[PlatformScore]
    derived_facts: list[DerivedFact]
    assumptions: list[str]
    unknown_fields: list[str]

    @property
    def top_platform(self) -> str | None:
        """The best eligible platform with a positive score, if any."""
        best = self.platforms[0] if self.platforms else None
        return best.platform if best and best.eligible and best.score > 0 else None

    def by_category(self) -> dict[str, list[Recommendation]]:
        """Recommendations grouped by category, in the advice's order."""
        groups: dict[str, list[Recommendation]] = {}
        for rec in self.recommendations:
            groups.setdefault(rec.category, []).append(rec)
        return groups
