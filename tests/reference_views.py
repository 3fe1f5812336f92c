"""From-scratch references for the parts of advice that ``_advice/parts.py`` builds once and shares.

``tests/test_assembly.py`` checks the shared parts against these on generated profiles.
"""

from __future__ import annotations

from collections.abc import Collection

from xbec_advisor._advice.models import Citation, DimensionView, FrameworkEntry, ModelCategoryView
from xbec_advisor._rulebase.frameworks import (
    FRAMEWORK_GROUPS,
    Figure,
    FrameworkItem,
    GroundedModel,
    fill_figures,
)
from xbec_advisor._rulebase.models import Rule

__all__ = ["framework_entries", "grounded_view"]


def framework_entries(
    items: Collection[FrameworkItem],
    framework: str,
    region: object,
    fired: set[str],
    figures: dict[str, Figure] | None = None,
) -> list[FrameworkEntry]:
    """The items of one framework that apply:
    region matches (if given) and a gating rule fired (if given).
    """
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
        entries.append(
            FrameworkEntry.model_construct(
                id=item.id,
                group=item.group,
                name=item.name,
                text=fill_figures(item.text, figures or {}),
                citation=Citation.model_construct(paper=c.paper, section=c.section, quote=c.quote),
                because=because,
            )
        )
    order = FRAMEWORK_GROUPS.get(framework, ())
    entries.sort(
        key=lambda e: order.index(e.group) if e.group in order else len(order)
    )  # stable: file order within a group
    return entries


def grounded_view(
    model: GroundedModel | None, fired: list[Rule], facts: Collection[str]
) -> list[DimensionView]:
    """For each main category A1-A5: the recommendations per B category and
    the weak points (gap facts).
    """
    if model is None:
        return []
    views = []
    for code, dim in model.dimensions.items():
        cats = []
        for cat_code in dim.categories:
            cat = model.categories[cat_code]
            cats.append(
                ModelCategoryView.model_construct(
                    code=cat_code,
                    name=cat.name,
                    recommendations=[r.id for r in fired if cat_code in r.concepts],
                    weaknesses=[f for f in cat.signals if f in facts],
                )
            )
        views.append(
            DimensionView.model_construct(code=code, name=dim.name, role=dim.role, categories=cats)
        )
    return views
