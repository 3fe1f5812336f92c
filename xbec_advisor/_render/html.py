"""HTML: a client report a consultant can hand over (one self-contained file: inline CSS and SVG).

Order: who it is for and when, the one-page summary, the action plan by horizon, the platform
comparison, the grounded-theory model's five dimensions, then the detail (recommendations with
their sources, frameworks, what may also apply, assumptions), the firm's answers and the
bibliography. It prints on A4 (or US letter) with page numbers.
"""

from __future__ import annotations

import datetime
import html as _html

from .._advice.models import Advice, FrameworkEntry
from .._advice.priority import HORIZONS
from .._i18n import N_, _, current_language, using
from .._profile.labels import fact_label, field_label, value_label
from .._profile.model import condition_specs
from .common import (
    FRAMEWORK_TITLES,
    SCORE_NOTE,
    and_join,
    basis_text,
    category_title,
    figure_note,
    group_title,
    open_lines,
    platform_name,
    rank_text,
    score_text,
    unverified,
)
from .html_parts import bar_chart, css, e, e_block
from .summary import MAX_ACTIONS, avoid_platforms

__all__ = ["HTML_LANG", "format_day", "render_html", "summary_body"]

#: The ``lang`` attribute of the page in each language (BCP 47).
HTML_LANG = {"en": "en", "zh": "zh-Hans"}

_PRIORITY_NOTE = N_(
    "How priorities are set: a recommendation that decides where to sell comes first (8 points), "
    "then one that other advice builds on (4), one that addresses a weak point of the "
    "grounded-theory model (2 each, at most 2) and each paper that supports it (1, at most 3); the "
    "horizon says when to act: now (before or at launch), next (the first months) or later. The "
    "weights are ours."
)
_HORIZON_TITLES = {
    "now": N_("Now: before or at launch"),
    "next": N_("Next: the first months"),
    "later": N_("Later"),
}


def _colon() -> str:
    """ ": " in the current language (Chinese: a full-width colon), escaped for HTML."""
    return _html.escape(_(": "), quote=False)


def format_day(day: datetime.date) -> str:
    """A date as the current language writes it: ``2026-11-30`` in English (ISO, as before),
    ``2026年11月30日`` in Chinese (Babel's CLDR data)."""
    if current_language() == "en":
        return day.isoformat()
    from babel.dates import format_date

    return format_date(day, format="long", locale="zh_Hans")


def _cover(advice: Advice) -> list[str]:
    who = advice.client or _("your firm")
    ident = f" · {e(advice.client_id)}" if advice.client_id else ""
    kicker = e(_("Cross-border e-commerce strategy"))
    day = _html.escape(format_day(datetime.date.today()))
    prepared = e(
        _("prepared by xbec-advisor from five research papers; every recommendation is cited")
    )
    return [
        f'<header class="cover"><p class="kicker">{kicker}</p>',
        "<h1>" + e(_("Advice for {client}").format(client=who)) + "</h1>",
        f'<p class="meta">{day}{ident} · {prepared}</p></header>',
    ]


def summary_body(advice: Advice) -> list[str]:
    """The one-page summary's content in HTML (its headings are ``h3``): where to sell, what to
    do first, what is not yet assessed."""
    titles = {r.rule_id: r.title for r in advice.recommendations}
    best = advice.top_platforms
    use = [p for p in advice.platforms if p.eligible and p.score is not None and p.score > 0][:3]
    items = []
    for p in use:
        strongest = max(p.contributions, key=lambda c: c.points, default=None)
        why = f": {e(titles[strongest.rule_id])}" if strongest and strongest.points > 0 else ""
        tie = e(_(", tied")) if p.tied else ""
        items.append(
            f"<li><b>{e(platform_name(p.platform))}</b> ({e(score_text(p))}{tie}){why}</li>"
        )
    items = items or ["<li>" + e(_("No platform stands out for your answers yet.")) + "</li>"]
    avoid = [
        "<li>" + e(_("Avoid")) + f" <b>{e(platform_name(p.platform))}</b>{_colon()}"
        f"{e(p.excluded_by[0].reason)}</li>"
        for p in avoid_platforms(advice)
    ]
    todo = [a for a in advice.actions if a.category != "platform"][:MAX_ACTIONS]
    when = _("({horizon}; {rule})")
    steps = [
        f"<li>{e(a.title)} <span class=id>{e(when.format(horizon=_(a.horizon), rule=a.rule_id))}"
        "</span></li>"
        for a in todo
    ]
    lead = (
        e(
            _("{platforms} are tied for first place.").format(
                platforms=and_join([platform_name(p) for p in best])
            )
        )
        if len(best) > 1
        else ""
    )
    out = [
        "<h3>" + e(_("Where to sell")) + "</h3>",
        f"<p>{lead}</p>" if lead else "",
        f"<ul>{''.join(items + avoid)}</ul>",
    ]
    if steps:
        out.append("<h3>" + e(_("What to do first")) + f"</h3><ol>{''.join(steps)}</ol>")
    open_items = [
        "<li>{}</li>".format(
            e(
                _("{area}: the papers have no advice of this kind for your answers.").format(
                    area=a.title
                )
            )
        )
        for a in advice.silent_areas
    ]
    open_items += [f"<li>{e(q.question)}</li>" for q in advice.open_questions[:3]]
    if open_items:
        out.append("<h3>" + e(_("Not yet assessed")) + f"</h3><ul>{''.join(open_items)}</ul>")
    return out


#: The horizons as the summary names them (the ids, translated).
_HORIZON_WORDS = (N_("now"), N_("next"), N_("later"))


def _summary(advice: Advice) -> list[str]:
    return [
        '<section class="summary"><h2>' + e(_("Summary")) + "</h2>",
        *summary_body(advice),
        "</section>",
    ]


def _plan(advice: Advice) -> list[str]:
    columns = []
    for horizon in HORIZONS:
        acts = [a for a in advice.actions if a.horizon == horizon]
        if acts:
            items = "".join(
                f"<li>{e(a.title)} <span class=id>{e(a.rule_id)}</span></li>" for a in acts
            )
            title = e(_(_HORIZON_TITLES[horizon]))
            columns.append(f"<div><h3>{title}</h3><ol>{items}</ol></div>")
    return [
        "<section><h2>" + e(_("Action plan")) + "</h2>",
        f'<div class="plan">{"".join(columns)}</div>',
        f"<p class=muted>{e(_(_PRIORITY_NOTE))}</p></section>",
    ]


def _platforms(advice: Advice) -> list[str]:
    bars = [
        (platform_name(p.platform), p.score, p.eligible)
        for p in advice.platforms
        if p.score is not None
    ]
    rows = "".join(
        f"<tr><td>{e(rank_text(p))}</td><td>{e(platform_name(p.platform))}</td>"
        f"<td>{e(score_text(p))}</td>"
        f"<td>{e(basis_text(p))}</td></tr>"
        for p in advice.platforms
    )
    head = "".join(f"<th>{e(h)}</th>" for h in ("#", _("platform"), _("score"), _("why")))
    out = [
        "<section><h2>" + e(_("Platform comparison")) + "</h2>",
        bar_chart(bars, _("platform scores")) if bars else "",
        '<table><colgroup><col style="width:3.5rem"><col style="width:9rem">'
        '<col style="width:6rem"><col></colgroup>'
        f"<tr>{head}</tr>{rows}</table>",
        f"<p class=muted>{e(_(SCORE_NOTE))}</p>",
    ]
    pull = e(_("Where the papers pull in different directions."))
    for conflict in advice.conflicts:
        out.append(f'<div class="conflict"><b>{pull}</b> {e(conflict.summary)}</div>')
    return [*out, "</section>"]


def _grounded(advice: Advice) -> list[str]:
    if not advice.grounded_model:
        return []
    bars = [
        (f"{d.code} {d.name}", float(sum(len(c.recommendations) for c in d.categories)), True)
        for d in advice.grounded_model
    ]
    lang, comma = current_language(), _(", ")
    weak = [
        f"{c.code} {c.name} ({comma.join(fact_label(w, lang) for w in c.weaknesses)})"
        for d in advice.grounded_model
        for c in d.categories
        if c.weaknesses
    ]
    found = e(_("; ").join(weak)) if weak else e(_("none"))
    return [
        "<section><h2>" + e(_("The five dimensions of the grounded-theory model")) + "</h2>",
        bar_chart(bars, _("recommendations per dimension")),
        "<p>" + e(_("Weak points found: {points}.")).format(points=found) + "</p></section>",
    ]


def _recommendations(advice: Advice) -> list[str]:
    out = ["<section><h2>" + e(_("Recommendations in detail")) + "</h2>"]
    figure, why = e(_("Figure:")), e(_("Why:"))
    for category, recs in advice.by_category().items():
        out.append(f"<h3>{e(category_title(category))}</h3>")
        for rec in recs:
            quotes = "".join(
                f"<blockquote>“{e(c.quote)}” <span class=muted>{e(c.paper)}, §{e(c.section)}"
                f"{e(unverified(c))}</span></blockquote>"
                for c in rec.citations
            )
            figures = "".join(
                f"<p class=muted>{figure} {e(figure_note(f))}</p>" for f in rec.figures
            )
            out.append(
                f'<div class="rec"><h4>{e(rec.title)} <span class="id">{e(rec.rule_id)}</span></h4>'
                f"<p>{e(rec.advice)}</p><p class=muted>{why} {e(rec.rationale)}</p>"
                f"{quotes}{figures}</div>"
            )
    return [*out, "</section>"]


def _entries(entries: list[FrameworkEntry]) -> str:
    return (
        "<ul>"
        + "".join(
            f"<li><b>{e(x.name or group_title(x.group))}</b>{_colon()}{e(x.text)} "
            "<span class=muted>"
            f"({e(x.citation.paper)} §{e(x.citation.section)})</span></li>"
            for x in entries
        )
        + "</ul>"
    )


_SWOT_BOXES = {
    "strength": N_("Strengths"),
    "weakness": N_("Weaknesses"),
    "opportunity": N_("Opportunities"),
    "threat": N_("Threats"),
    "SO": N_("SO strategies"),
    "WO": N_("WO strategies"),
    "ST": N_("ST strategies"),
    "WT": N_("WT strategies"),
}


def _swot(entries: list[FrameworkEntry]) -> str:
    """The SWOT as a grid: the four lists, then the four kinds of strategy."""
    cells = []
    for group, title in _SWOT_BOXES.items():
        items = [x for x in entries if x.group == group]
        if items:
            lis = "".join(f"<li>{e(x.text)}</li>" for x in items)
            cells.append(f"<div><h4>{e(_(title))}</h4><ul>{lis}</ul></div>")
    return '<div class="swot">' + "".join(cells) + "</div>"


def _more(advice: Advice) -> list[str]:
    out = []
    for key in ("pest", "swot", "operation_models", "marketing_models"):
        entries = getattr(advice, key)
        if entries:
            body = _swot(entries) if key == "swot" else _entries(entries)
            out.append(f"<section><h2>{e(_(FRAMEWORK_TITLES[key]))}</h2>{body}</section>")
    if advice.may_apply:
        items = "".join(f"<li>{e(line)}</li>" for line in open_lines(advice))
        out.append("<section><h2>" + e(_("May also apply")) + f"</h2><ul>{items}</ul></section>")
    if advice.assumptions:
        items = "".join(f"<li>{e(a)}</li>" for a in advice.assumptions)
        out.append("<section><h2>" + e(_("Assumptions")) + f"</h2><ul>{items}</ul></section>")
    return out


def _shown(field: str, value: object) -> str:
    """An answer as a reader reads it, in the current language."""
    lang = current_language()
    specs = condition_specs()
    if field not in specs:
        return str(value)
    if lang == "en":
        return specs[field].show(value)
    if value is None:
        return _("don't know")
    if isinstance(value, list | tuple):
        return _(", ").join(value_label(field, v, lang) for v in value) if value else _("none")
    return value_label(field, value, lang)


def _answers(advice: Advice) -> list[str]:
    lang = current_language()
    rows = "".join(
        f"<tr><th>{e(field_label(k, lang))}</th><td>{e(_shown(k, v))}</td></tr>"
        for k, v in advice.profile.items()
    )
    books = "".join(
        f"<li>[{e(b.key)}] {e(', '.join(b.authors))}: <i>{e(b.title)}</i> ({e(b.published)}).</li>"
        for b in advice.bibliography
    )
    return [
        "<section><h2>" + e(_("Your answers")) + f"</h2><table>{rows}</table></section>",
        "<section><h2>" + e(_("Bibliography")) + f"</h2><ol>{books}</ol></section>",
    ]


def render_html(
    advice: Advice, paper: str = "a4", appendix: str = "", lang: str | None = None
) -> str:
    """The report; ``appendix``: preformatted text (an explanation) placed at its end, escaped;
    ``lang``: the language of its headings and sentences (None: the current language)."""
    with using(lang):
        return _render_html(advice, paper, appendix)


def _render_html(advice: Advice, paper: str, appendix: str) -> str:
    who = advice.client or _("your firm")
    reached = e(_("How the advice was reached"))
    extra = (
        [f"<section><h2>{reached}</h2><pre>{e_block(appendix)}</pre></section>"] if appendix else []
    )
    body = [
        *_cover(advice),
        *_summary(advice),
        *_plan(advice),
        *_platforms(advice),
        *_grounded(advice),
        *_recommendations(advice),
        *_more(advice),
        *_answers(advice),
        *extra,
        "<p class=muted>{}</p>".format(
            _html.escape(
                _("Figures' ages are given as of {year}.").format(year=advice.as_of), quote=False
            )
        ),
    ]
    return (
        "\n".join(
            [
                f'<!DOCTYPE html><html lang="{HTML_LANG[current_language()]}"><head>'
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                "<title>{}</title>".format(
                    e(_("Cross-border e-commerce advice for {client}").format(client=who))
                ),
                f"<style>{css(paper)}</style></head><body>",
                *body,
                "</body></html>",
            ]
        )
        + "\n"
    )
