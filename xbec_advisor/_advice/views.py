"""The papers' frameworks seen through one profile's advice: conflicts, PEST, SWOT, models.

Each part is computed here from scratch. The advisor builds the same parts once and shares them
between profiles (``_assembly.py``, which uses :func:`conflicts` itself); ``tests/test_assembly.py``
checks the two against each other.
"""

from __future__ import annotations

from collections.abc import Collection

from .._rulebase.frameworks import FRAMEWORK_GROUPS, Figure, FrameworkItem, GroundedModel
from .._rulebase.load import Rule
from .models import (
    Citation,
    ConflictSide,
    DimensionView,
    FigureUse,
    FrameworkEntry,
    ModelCategoryView,
    PlatformConflict,
    PlatformScore,
)

__all__ = ["conflicts", "figure_uses", "framework_entries", "grounded_view"]


#: Two eligible platforms this close in score are shown as rivals (an assumption of ours).
RIVAL_MARGIN = 2


def conflicts(platforms: list[PlatformScore]) -> list[PlatformConflict]:
    """Where the fired rules pull in different directions: within a platform, and between the top two."""
    out = []
    for p in platforms:
        plus = [c for c in p.contributions if c.points > 0]
        minus = [c for c in p.contributions if c.points < 0]
        if p.eligible and plus and minus:
            out.append(PlatformConflict.model_construct(
                kind="mixed", summary=f"Some findings favour {p.platform} for this firm and others advise against it.",
                sides=[ConflictSide.model_construct(platform=p.platform, stance="for", rules=plus),
                       ConflictSide.model_construct(platform=p.platform, stance="against", rules=minus)]))
    eligible = [p for p in platforms if p.eligible and p.score > 0]
    if len(eligible) >= 2 and eligible[0].score - eligible[1].score <= RIVAL_MARGIN:
        first, second = eligible[0], eligible[1]
        out.insert(0, PlatformConflict.model_construct(
            kind="rivals",
            summary=f"{first.platform} ({first.score}) and {second.platform} ({second.score}) are close: "
                    "the papers give reasons for each; weigh both sides.",
            sides=[ConflictSide.model_construct(platform=q.platform, stance="for", rules=[c for c in q.contributions if c.points > 0])
                   for q in (first, second)]))
    return out


def framework_entries(items: Collection[FrameworkItem], framework: str, region: object, fired: set[str]) -> list[FrameworkEntry]:
    """The items of one framework that apply: region matches (if given) and a gating rule fired (if given)."""
    entries = []
    for item in items:
        if item.framework != framework:
            continue
        if item.regions and region not in item.regions:
            continue
        because = sorted(set(item.rules) & fired)
        if item.rules and not because:
            continue
        c = item.citation
        entries.append(FrameworkEntry.model_construct(
            id=item.id, group=item.group, name=item.name, text=item.text,
            citation=Citation.model_construct(paper=c.paper, section=c.section, quote=c.quote), because=because))
    order = FRAMEWORK_GROUPS.get(framework, ())
    entries.sort(key=lambda e: order.index(e.group) if e.group in order else len(order))  # stable: file order within a group
    return entries


def grounded_view(model: GroundedModel | None, fired: list[Rule], facts: Collection[str]) -> list[DimensionView]:
    """For each main category A1-A5: the recommendations per B category and the weak points (gap facts)."""
    if model is None:
        return []
    views = []
    for code, dim in model.dimensions.items():
        cats = []
        for cat_code in dim.categories:
            cat = model.categories[cat_code]
            cats.append(ModelCategoryView.model_construct(
                code=cat_code, name=cat.name,
                recommendations=[r.id for r in fired if cat_code in r.concepts],
                weaknesses=[f for f in cat.signals if f in facts],
            ))
        views.append(DimensionView.model_construct(code=code, name=dim.name, role=dim.role, categories=cats))
    return views


def figure_uses(figures: dict[str, Figure], as_of: int) -> dict[str, list[FigureUse]]:
    """For each rule id, the figures its advice relies on, with their age in ``as_of``."""
    uses: dict[str, list[FigureUse]] = {}
    for fig in sorted(figures.values(), key=lambda f: f.id):
        c = fig.citation
        use = FigureUse(id=fig.id, statement=fig.statement, year=fig.year, age_years=max(0, as_of - fig.year),
                        citation=Citation(paper=c.paper, section=c.section, quote=c.quote))
        for rid in fig.used_by:
            uses.setdefault(rid, []).append(use)
    return uses
