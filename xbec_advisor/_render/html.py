"""HTML: a client report a consultant can hand over (one self-contained file: inline CSS and SVG).

Order: who it is for and when, the one-page summary, the action plan by horizon, the platform
comparison, the grounded-theory model's five dimensions, then the detail (recommendations with
their sources, frameworks, what may also apply, assumptions), the firm's answers and the
bibliography. It prints on A4 (or US letter) with page numbers.
"""

from __future__ import annotations

import datetime

from .._advice.models import Advice, FrameworkEntry
from .._advice.priority import HORIZONS
from .._profile.labels import fact_label, field_label, platform_label
from .._profile.model import condition_specs
from .._rulebase.models import CATEGORY_TITLES
from .common import (
    FRAMEWORK_TITLES,
    SCORE_NOTE,
    basis_text,
    figure_note,
    group_title,
    open_lines,
    rank_text,
    score_text,
    unverified,
)
from .html_parts import bar_chart, css, e, e_block
from .summary import MAX_ACTIONS, avoid_platforms

__all__ = ["render_html", "summary_body"]

_PRIORITY_NOTE = (
    "How priorities are set: a recommendation that decides where to sell comes first (8 points), "
    "then one that other advice builds on (4), one that addresses a weak point of the "
    "grounded-theory model (2 each, at most 2) and each paper that supports it (1, at most 3); the "
    "horizon says when to act: now (before or at launch), next (the first months) or later. The "
    "weights are ours."
)
_HORIZON_TITLES = {
    "now": "Now: before or at launch",
    "next": "Next: the first months",
    "later": "Later",
}


def _cover(advice: Advice) -> list[str]:
    who = advice.client or "your firm"
    ident = f" · {e(advice.client_id)}" if advice.client_id else ""
    return [
        '<header class="cover"><p class="kicker">Cross-border e-commerce strategy</p>',
        f"<h1>Advice for {e(who)}</h1>",
        f'<p class="meta">{datetime.date.today().isoformat()}{ident} · prepared by xbec-advisor '
        "from five research papers; every recommendation is cited</p></header>",
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
        tie = ", tied" if p.tied else ""
        items.append(
            f"<li><b>{e(platform_label(p.platform))}</b> ({e(score_text(p))}{tie}){why}</li>"
        )
    items = items or ["<li>No platform stands out for your answers yet.</li>"]
    avoid = [
        f"<li>Avoid <b>{e(platform_label(p.platform))}</b>: {e(p.excluded_by[0].reason)}</li>"
        for p in avoid_platforms(advice)
    ]
    todo = [a for a in advice.actions if a.category != "platform"][:MAX_ACTIONS]
    steps = [
        f"<li>{e(a.title)} <span class=id>({e(a.horizon)}; {e(a.rule_id)})</span></li>"
        for a in todo
    ]
    lead = (
        f"{e(' and '.join(platform_label(p) for p in best))} are tied for first place."
        if len(best) > 1
        else ""
    )
    out = [
        "<h3>Where to sell</h3>",
        f"<p>{lead}</p>" if lead else "",
        f"<ul>{''.join(items + avoid)}</ul>",
    ]
    if steps:
        out.append(f"<h3>What to do first</h3><ol>{''.join(steps)}</ol>")
    open_items = [
        f"<li>{e(a.title)}: the papers have no advice of this kind for your answers.</li>"
        for a in advice.silent_areas
    ]
    open_items += [f"<li>{e(q.question)}</li>" for q in advice.open_questions[:3]]
    if open_items:
        out.append(f"<h3>Not yet assessed</h3><ul>{''.join(open_items)}</ul>")
    return out


def _summary(advice: Advice) -> list[str]:
    return ['<section class="summary"><h2>Summary</h2>', *summary_body(advice), "</section>"]


def _plan(advice: Advice) -> list[str]:
    columns = []
    for horizon in HORIZONS:
        acts = [a for a in advice.actions if a.horizon == horizon]
        if acts:
            items = "".join(
                f"<li>{e(a.title)} <span class=id>{e(a.rule_id)}</span></li>" for a in acts
            )
            columns.append(f"<div><h3>{e(_HORIZON_TITLES[horizon])}</h3><ol>{items}</ol></div>")
    return [
        "<section><h2>Action plan</h2>",
        f'<div class="plan">{"".join(columns)}</div>',
        f"<p class=muted>{e(_PRIORITY_NOTE)}</p></section>",
    ]


def _platforms(advice: Advice) -> list[str]:
    bars = [
        (platform_label(p.platform), p.score, p.eligible)
        for p in advice.platforms
        if p.score is not None
    ]
    rows = "".join(
        f"<tr><td>{e(rank_text(p))}</td><td>{e(platform_label(p.platform))}</td><td>{e(score_text(p))}</td>"
        f"<td>{e(basis_text(p))}</td></tr>"
        for p in advice.platforms
    )
    out = [
        "<section><h2>Platform comparison</h2>",
        bar_chart(bars, "platform scores") if bars else "",
        '<table><colgroup><col style="width:3.5rem"><col style="width:9rem">'
        '<col style="width:6rem"><col></colgroup>'
        f"<tr><th>#</th><th>platform</th><th>score</th><th>why</th></tr>{rows}</table>",
        f"<p class=muted>{e(SCORE_NOTE)}</p>",
    ]
    for conflict in advice.conflicts:
        out.append(
            f'<div class="conflict"><b>Where the papers pull in different directions.</b> '
            f"{e(conflict.summary)}</div>"
        )
    return [*out, "</section>"]


def _grounded(advice: Advice) -> list[str]:
    if not advice.grounded_model:
        return []
    bars = [
        (f"{d.code} {d.name}", float(sum(len(c.recommendations) for c in d.categories)), True)
        for d in advice.grounded_model
    ]
    weak = [
        f"{c.code} {c.name} ({', '.join(fact_label(w) for w in c.weaknesses)})"
        for d in advice.grounded_model
        for c in d.categories
        if c.weaknesses
    ]
    return [
        "<section><h2>The five dimensions of the grounded-theory model</h2>",
        bar_chart(bars, "recommendations per dimension"),
        f"<p>Weak points found: {e('; '.join(weak)) if weak else 'none'}.</p></section>",
    ]


def _recommendations(advice: Advice) -> list[str]:
    out = ["<section><h2>Recommendations in detail</h2>"]
    for category, recs in advice.by_category().items():
        out.append(f"<h3>{e(CATEGORY_TITLES[category])}</h3>")
        for rec in recs:
            quotes = "".join(
                f"<blockquote>“{e(c.quote)}” <span class=muted>{e(c.paper)}, §{e(c.section)}"
                f"{e(unverified(c))}</span></blockquote>"
                for c in rec.citations
            )
            figures = "".join(
                f"<p class=muted>Figure: {e(figure_note(f))}</p>" for f in rec.figures
            )
            out.append(
                f'<div class="rec"><h4>{e(rec.title)} <span class="id">{e(rec.rule_id)}</span></h4>'
                f"<p>{e(rec.advice)}</p><p class=muted>Why: {e(rec.rationale)}</p>"
                f"{quotes}{figures}</div>"
            )
    return [*out, "</section>"]


def _entries(entries: list[FrameworkEntry]) -> str:
    return (
        "<ul>"
        + "".join(
            f"<li><b>{e(x.name or group_title(x.group))}</b>: {e(x.text)} <span class=muted>"
            f"({e(x.citation.paper)} §{e(x.citation.section)})</span></li>"
            for x in entries
        )
        + "</ul>"
    )


_SWOT_BOXES = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
    "SO": "SO strategies",
    "WO": "WO strategies",
    "ST": "ST strategies",
    "WT": "WT strategies",
}


def _swot(entries: list[FrameworkEntry]) -> str:
    """The SWOT as a grid: the four lists, then the four kinds of strategy."""
    cells = []
    for group, title in _SWOT_BOXES.items():
        items = [x for x in entries if x.group == group]
        if items:
            lis = "".join(f"<li>{e(x.text)}</li>" for x in items)
            cells.append(f"<div><h4>{e(title)}</h4><ul>{lis}</ul></div>")
    return '<div class="swot">' + "".join(cells) + "</div>"


def _more(advice: Advice) -> list[str]:
    out = []
    for key in ("pest", "swot", "operation_models", "marketing_models"):
        entries = getattr(advice, key)
        if entries:
            body = _swot(entries) if key == "swot" else _entries(entries)
            out.append(f"<section><h2>{e(FRAMEWORK_TITLES[key])}</h2>{body}</section>")
    if advice.may_apply:
        items = "".join(f"<li>{e(line)}</li>" for line in open_lines(advice))
        out.append(f"<section><h2>May also apply</h2><ul>{items}</ul></section>")
    if advice.assumptions:
        items = "".join(f"<li>{e(a)}</li>" for a in advice.assumptions)
        out.append(f"<section><h2>Assumptions</h2><ul>{items}</ul></section>")
    return out


def _answers(advice: Advice) -> list[str]:
    specs = condition_specs()
    rows = "".join(
        f"<tr><th>{e(field_label(k))}</th><td>{e(specs[k].show(v) if k in specs else v)}</td></tr>"
        for k, v in advice.profile.items()
    )
    books = "".join(
        f"<li>[{e(b.key)}] {e(', '.join(b.authors))}: <i>{e(b.title)}</i> ({e(b.published)}).</li>"
        for b in advice.bibliography
    )
    return [
        f"<section><h2>Your answers</h2><table>{rows}</table></section>",
        f"<section><h2>Bibliography</h2><ol>{books}</ol></section>",
    ]


def render_html(advice: Advice, paper: str = "a4", appendix: str = "") -> str:
    """The report; ``appendix``: preformatted text (an explanation) placed at its end, escaped."""
    who = advice.client or "your firm"
    extra = (
        [f"<section><h2>How the advice was reached</h2><pre>{e_block(appendix)}</pre></section>"]
        if appendix
        else []
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
        f"<p class=muted>Figures' ages are given as of {advice.as_of}.</p>",
    ]
    return (
        "\n".join(
            [
                '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>Cross-border e-commerce advice for {e(who)}</title>",
                f"<style>{css(paper)}</style></head><body>",
                *body,
                "</body></html>",
            ]
        )
        + "\n"
    )
