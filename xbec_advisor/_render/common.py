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
from .._profile.labels import fact_label, field_label, platform_label

#: How the platform score is built, in a sentence for the reader (ranking.py has the detail).
SCORE_NOTE = (
    "How the score is built: each applicable rule gives a platform -3 to +3 points (our weights; "
    "the papers give none); the strongest reason counts fully, the second half, the third a "
    "quarter, and reasons against are subtracted the same way; where only our knowledge (not the "
    "papers) places the platform in your markets, its points count half. Equal scores are ties; "
    "pending points depend on questions you have not answered and are not counted."
)


def rank_text(p: PlatformScore) -> str:
    """A platform's rank: "2", "1=" for a tie, "-" when it is not ranked."""
    return "-" if p.rank is None else f"{p.rank}{'=' if p.tied else ''}"


def score_text(p: PlatformScore) -> str:
    if not p.eligible:
        return "excluded"
    return "not scored" if p.score is None else f"{p.score:g}"


#: Shown after a quote that was not checked against the paper (a rule pack's, papers absent).
UNVERIFIED = "(quote not verified against the paper)"


def unverified(citation: Citation) -> str:
    """'' for a verified quote, else " " and :data:`UNVERIFIED`."""
    return "" if citation.verified else " " + UNVERIFIED


def platform_rows(advice: Advice) -> list[list[object]]:
    return [
        [rank_text(p), platform_label(p.platform), score_text(p), basis_text(p)]
        for p in advice.platforms
    ]


def basis_text(p: PlatformScore) -> str:
    """Why a platform has its score (its rules and points), or why it has none."""
    if p.excluded_by:
        return "; ".join(f"{e.reason} [{e.rule_id}]" for e in p.excluded_by)
    if p.score is None:
        return p.presence_note
    parts = [f"{c.rule_id} {c.points:+d}" for c in p.contributions] or ["no rule applies"]
    if p.presence == "flagged":
        parts.append("half: our knowledge, not the papers'")
    if p.pending:
        parts.append("pending " + ", ".join(f"{c.rule_id} {c.points:+d}" for c in p.pending))
    return ", ".join(parts)


def summary(advice: Advice) -> str:
    n = len(advice.recommendations)
    cats = len(advice.by_category())
    best = advice.top_platforms
    if len(best) == 1:
        lead = f"Best-suited platform: {platform_label(best[0])}."
    elif best:
        lead = f"Tied for first: {' and '.join(platform_label(p) for p in best)}."
    else:
        lead = "No platform stands out for this profile."
    more = (
        f" {len(advice.may_apply)} more may apply, depending on your answers."
        if advice.may_apply
        else ""
    )
    return f"{n} recommendation(s) in {cats} categor{'y' if cats == 1 else 'ies'}. {lead}{more}"


def fact_rows(advice: Advice) -> list[list[str]]:
    """The conclusions the rules reused: label, meaning, the rules that drew them."""
    return [[fact_label(f.name), f.meaning, ", ".join(f.derived_by)] for f in advice.derived_facts]


def open_lines(advice: Advice) -> list[str]:
    """The questions that would settle what may apply, and the recommendations they settle."""
    titles = {m.rule_id: m.title for m in advice.may_apply}
    out = []
    for q in advice.open_questions:
        settled = ", ".join(q.settles[:4]) + (
            f" and {len(q.settles) - 4} more" if len(q.settles) > 4 else ""
        )
        out.append(f"{q.question} (settles {settled})")
    for m in advice.may_apply:
        depends = ", ".join(field_label(q) for q in m.questions) or "other rules"
        out.append(f"may apply: [{m.rule_id}] {titles[m.rule_id]} (depends on {depends})")
    return out


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
                    f"{side.stance} {platform_label(side.platform)} ({c.points:+d}) "
                    f"{rec.rule_id} {rec.title} "
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


#: How each framework group is named for a reader (none: the entry's own name says it).
GROUP_TITLES = {
    "strength": "Strength",
    "weakness": "Weakness",
    "opportunity": "Opportunity",
    "threat": "Threat",
    "SO": "SO strategy",
    "WO": "WO strategy",
    "ST": "ST strategy",
    "WT": "WT strategy",
    "political": "Political",
    "economic": "Economic",
    "social": "Social",
    "technological": "Technological",
    "fulfilment": "Fulfilment",
    "platform_model": "Platform model",
    "marketing_model": "",
}


def group_title(group: str) -> str:
    """A framework group as a reader names it ("" where the entry's name suffices)."""
    return GROUP_TITLES.get(group, group.replace("_", " ").capitalize())


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
                    ", ".join(fact_label(w) for w in cat.weaknesses) or "-",
                ]
            )
    return rows


def _when(fig: FigureUse) -> str:
    if fig.kind == "forecast":
        return f"forecast for {fig.year}, made in {fig.made}"
    if fig.year is None:
        return "undated"
    about = "about " if fig.dating == "inferred" else ""
    age = (
        "this year"
        if fig.age_years == 0
        else f"{fig.age_years} year{'s' if fig.age_years != 1 else ''} old"
    )
    if fig.kind == "platform_rule":
        return f"a platform rule as the paper reports it, {about}{fig.year}; check the current rule"
    return f"{about}{fig.year} data, {age}"


def figure_note(fig: FigureUse) -> str:
    """A figure with when it is from (or what it forecasts), its source and its caveat."""
    caveat = f" Caveat: {fig.caveat}" if fig.caveat else ""
    return f"{fig.statement} ({_when(fig)}; {fig.citation.paper} §{fig.citation.section}).{caveat}"
