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
from .._i18n import N_, _, current_language, ngettext
from .._profile.labels import fact_label, field_label, platform_label
from .._rulebase.models import CATEGORY_TITLES
from .wrap import space_cjk

#: How the platform score is built, in a sentence for the reader (ranking.py has the detail).
SCORE_NOTE = N_(
    "How the score is built: each applicable rule gives a platform -3 to +3 points (our weights; "
    "the papers give none); the strongest reason counts fully, the second half, the third a "
    "quarter, and reasons against are subtracted the same way; where only our knowledge (not the "
    "papers) places the platform in your markets, its points count half. Equal scores are ties; "
    "pending points depend on questions you have not answered and are not counted."
)


def rank_text(p: PlatformScore) -> str:
    """A platform's rank: "2", "1=" for a tie, "-" when it is not ranked."""
    return "-" if p.rank is None else f"{p.rank}{'=' if p.tied else ''}"


def lang() -> str:
    """The language of the text being rendered (``en`` or ``zh``)."""
    return current_language()


def tidy(text: str) -> str:
    """Text as the current language typesets it: in Chinese, a space between Chinese characters
    and the Latin names or numbers put next to them (:func:`.wrap.space_cjk`)."""
    return space_cjk(text) if current_language() == "zh" else text


def platform_name(platform: str) -> str:
    """A platform's name in the current language."""
    return platform_label(platform, current_language())


def score_text(p: PlatformScore) -> str:
    if not p.eligible:
        return _("excluded")
    return _("not scored") if p.score is None else f"{p.score:g}"


#: Shown after a quote that was not checked against the paper (a rule pack's, papers absent).
UNVERIFIED = N_("(quote not verified against the paper)")


def unverified(citation: Citation) -> str:
    """'' for a verified quote, else " " and :data:`UNVERIFIED` (translated)."""
    return "" if citation.verified else " " + _(UNVERIFIED)


def category_title(category: str) -> str:
    """A category's title in the current language."""
    return _(CATEGORY_TITLES[category])


def platform_headers() -> list[str]:
    """The platform table's headers."""
    return ["#", _("Platform"), _("Score"), _("Basis")]


def grounded_headers() -> list[str]:
    """The grounded-model table's headers."""
    return [_("Dimension"), _("Category"), _("Recommendations"), _("Weak points")]


def platform_rows(advice: Advice) -> list[list[object]]:
    return [
        [rank_text(p), platform_name(p.platform), score_text(p), basis_text(p)]
        for p in advice.platforms
    ]


def basis_text(p: PlatformScore) -> str:
    """Why a platform has its score (its rules and points), or why it has none."""
    if p.excluded_by:
        return "; ".join(f"{e.reason} [{e.rule_id}]" for e in p.excluded_by)
    if p.score is None:
        return p.presence_note
    parts = [f"{c.rule_id} {c.points:+d}" for c in p.contributions] or [_("no rule applies")]
    if p.presence == "flagged":
        parts.append(_("half: our knowledge, not the papers'"))
    if p.pending:
        pending = ", ".join(f"{c.rule_id} {c.points:+d}" for c in p.pending)
        parts.append(_("pending {rules}").format(rules=pending))
    return _(", ").join(parts)


def and_join(names: list[str]) -> str:
    """Names joined with "and" (two) in the current language."""
    return _(" and ").join(names)


def summary(advice: Advice) -> str:
    n = len(advice.recommendations)
    cats = len(advice.by_category())
    best = advice.top_platforms
    if len(best) == 1:
        lead = _("Best-suited platform: {platform}.").format(platform=platform_name(best[0]))
    elif best:
        lead = _("Tied for first: {platforms}.").format(
            platforms=and_join([platform_name(p) for p in best])
        )
    else:
        lead = _("No platform stands out for this profile.")
    more = (
        " "
        + ngettext(
            "{count} more may apply, depending on your answers.",
            "{count} more may apply, depending on your answers.",
            len(advice.may_apply),
        ).format(count=len(advice.may_apply))
        if advice.may_apply
        else ""
    )
    head = ngettext(
        "{count} recommendation(s) in {categories} category.",
        "{count} recommendation(s) in {categories} categories.",
        cats,
    ).format(count=n, categories=cats)
    return f"{head} {lead}{more}"


def fact_rows(advice: Advice) -> list[list[str]]:
    """The conclusions the rules reused: label, meaning, the rules that drew them."""
    return [
        [fact_label(f.name, lang()), f.meaning, ", ".join(f.derived_by)]
        for f in advice.derived_facts
    ]


def open_lines(advice: Advice) -> list[str]:
    """The questions that would settle what may apply, and the recommendations they settle."""
    titles = {m.rule_id: m.title for m in advice.may_apply}
    out = []
    for q in advice.open_questions:
        settled = ", ".join(q.settles[:4])
        if len(q.settles) > 4:
            settled = _("{rules} and {count} more").format(rules=settled, count=len(q.settles) - 4)
        out.append(_("{question} (settles {rules})").format(question=q.question, rules=settled))
    for m in advice.may_apply:
        depends = _(", ").join(field_label(q, lang()) for q in m.questions) or _("other rules")
        out.append(
            _("may apply: [{rule}] {title} (depends on {questions})").format(
                rule=m.rule_id, title=titles[m.rule_id], questions=depends
            )
        )
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
                stance = _("for") if side.stance == "for" else _("against")
                lines.append(
                    f"{stance} {platform_name(side.platform)} ({c.points:+d}) "
                    f"{rec.rule_id} {rec.title} "
                    f'[{cit.paper} §{cit.section}: "{cit.quote}"{unverified(cit)}]'
                )
        out.append((conflict.summary, lines))
    return out


FRAMEWORK_TITLES = {
    "pest": N_("PEST factors for your target market"),
    "swot": N_("SWOT of live commerce in Southeast Asia (zou-live-sea, Table 2)"),
    "operation_models": N_("Operation model (gong-tmall-global)"),
    "marketing_models": N_("Marketing models that fit (grounded-marketing)"),
}


#: How each framework group is named for a reader (none: the entry's own name says it).
GROUP_TITLES = {
    "strength": N_("Strength"),
    "weakness": N_("Weakness"),
    "opportunity": N_("Opportunity"),
    "threat": N_("Threat"),
    "SO": N_("SO strategy"),
    "WO": N_("WO strategy"),
    "ST": N_("ST strategy"),
    "WT": N_("WT strategy"),
    "political": N_("Political"),
    "economic": N_("Economic"),
    "social": N_("Social"),
    "technological": N_("Technological"),
    "fulfilment": N_("Fulfilment"),
    "platform_model": N_("Platform model"),
    "marketing_model": "",
}


def group_title(group: str) -> str:
    """A framework group as a reader names it ("" where the entry's name suffices)."""
    title = GROUP_TITLES.get(group, group.replace("_", " ").capitalize())
    return _(title) if title else ""


def framework_sections(advice: Advice) -> list[tuple[str, list[FrameworkEntry]]]:
    sections = [
        ("pest", advice.pest),
        ("swot", advice.swot),
        ("operation_models", advice.operation_models),
        ("marketing_models", advice.marketing_models),
    ]
    return [(_(FRAMEWORK_TITLES[key]), entries) for key, entries in sections if entries]


def grounded_rows(advice: Advice) -> list[list[object]]:
    rows: list[list[object]] = []
    for dim in advice.grounded_model:
        for cat in dim.categories:
            rows.append(
                [
                    f"{dim.code} {dim.name}",
                    f"{cat.code} {cat.name}",
                    len(cat.recommendations),
                    _(", ").join(fact_label(w, lang()) for w in cat.weaknesses) or "-",
                ]
            )
    return rows


def _when(fig: FigureUse) -> str:
    if fig.kind == "forecast":
        return _("forecast for {year}, made in {made}").format(year=fig.year, made=fig.made)
    if fig.year is None:
        return _("undated")
    inferred = fig.dating == "inferred"
    year = (_("about {year}") if inferred else "{year}").format(year=fig.year)
    age = (
        _("this year")
        if fig.age_years == 0
        else ngettext("{count} year old", "{count} years old", fig.age_years or 0).format(
            count=fig.age_years
        )
    )
    if fig.kind == "platform_rule":
        return _("a platform rule as the paper reports it, {year}; check the current rule").format(
            year=year
        )
    return _("{year} data, {age}").format(year=year, age=age)


def figure_note(fig: FigureUse) -> str:
    """A figure with when it is from (or what it forecasts), its source and its caveat."""
    caveat = " " + _("Caveat: {caveat}").format(caveat=fig.caveat) if fig.caveat else ""
    return (
        _("{statement} ({when}; {source}).").format(
            statement=fig.statement,
            when=_when(fig),
            source=f"{fig.citation.paper} §{fig.citation.section}",
        )
        + caveat
    )
