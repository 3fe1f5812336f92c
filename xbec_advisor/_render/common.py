"""Helpers shared by the text renderers."""

from __future__ import annotations

from .._advice.models import (
    Advice,
    Citation,
    FigureUse,
    FrameworkEntry,
    PlatformScore,
    Recommendation,
)

#: Shown after a quote that was not checked against the paper (a rule pack's, papers absent).
UNVERIFIED = "(quote not verified against the paper)"


def unverified(citation: Citation) -> str:
    """'' for a verified quote, else " " and :data:`UNVERIFIED`."""
    return "" if citation.verified else " " + UNVERIFIED


def platform_rows(advice: Advice) -> list[list[object]]:
    return [
        [p.rank, p.platform, p.score, "yes" if p.eligible else "no", _basis(p)]
        for p in advice.platforms
    ]


def _basis(p: PlatformScore) -> str:
    if p.excluded_by:
        return "; ".join(f"{e.reason} [{e.rule_id}]" for e in p.excluded_by)
    parts = [f"{c.rule_id} {c.points:+d}" for c in p.contributions]
    return ", ".join(parts) if parts else "no rule applies"


def summary(advice: Advice) -> str:
    n = len(advice.recommendations)
    cats = len(advice.by_category())
    top = advice.top_platform
    lead = f"Best-suited platform: {top}." if top else "No platform stands out for this profile."
    return f"{n} recommendation(s) in {cats} categor{'y' if cats == 1 else 'ies'}. {lead}"


def rec_index(advice: Advice) -> dict[str, Recommendation]:
    return {r.rule_id: r for r in advice.recommendations}


def conflict_lines(advice: Advice) -> list[tuple[str, list[str]]]:
    """Each conflict's summary and, per side, its rules with their first citation."""
    recs = rec_index(advice)
    out = []
    for conflict in advice.conflicts:
        lines = []
        for side in conflict.sides:
            for c in side.rules:
                rec = recs[c.rule_id]
                cit = rec.citations[0]
                lines.append(
                    f"{side.stance} {side.platform} ({c.points:+d}) {rec.rule_id} {rec.title} "
                    f'[{cit.paper} §{cit.section}: "{cit.quote}"{unverified(cit)}]'
                )
        out.append((conflict.summary, lines))
    return out


FRAMEWORK_TITLES = {
    "pest": "PEST factors for your target market",
    "swot": "SWOT of live commerce in Southeast Asia (zou-live-sea, Table 2)",
    "operation_models": "Operation model (gong-tmall-global)",
    "marketing_models": "Marketing models that fit (grounded-marketing)",
}


def framework_sections(advice: Advice) -> list[tuple[str, list[FrameworkEntry]]]:
    sections = [
        ("pest", advice.pest),
        ("swot", advice.swot),
        ("operation_models", advice.operation_models),
        ("marketing_models", advice.marketing_models),
    ]
    return [(FRAMEWORK_TITLES[key], entries) for key, entries in sections if entries]


def grounded_rows(advice: Advice) -> list[list[object]]:
    rows: list[list[object]] = []
    for dim in advice.grounded_model:
        for cat in dim.categories:
            rows.append(
                [
                    f"{dim.code} {dim.name}",
                    f"{cat.code} {cat.name}",
                    len(cat.recommendations),
                    ", ".join(cat.weaknesses) or "-",
                ]
            )
    return rows


def figure_note(fig: FigureUse) -> str:
    age = (
        "this year"
        if fig.age_years == 0
        else f"{fig.age_years} year{'s' if fig.age_years != 1 else ''} old"
    )
    return f"{fig.statement} ({fig.year} data, {age}; {fig.citation.paper} §{fig.citation.section})"
