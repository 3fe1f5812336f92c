"""HTML: one self-contained client report (inline CSS and SVG charts, no external resources)."""

from __future__ import annotations

from html import escape

from .._advice.models import Advice, FrameworkEntry
from .._errors import escape_controls
from .._rulebase.models import CATEGORY_TITLES
from .common import FRAMEWORK_TITLES, UNVERIFIED, figure_note, summary
from .escape import html

_CSS = (
    "\n"
    'body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2630;'
    "max-width:960px;margin:2rem auto;padding:0 1.2rem}\n"
    "h1{font-size:1.7rem;margin-bottom:.2rem}"
    "h2{border-bottom:2px solid #d6dee6;padding-bottom:.2rem;margin-top:2.2rem}\n"
    "h3{margin:1.4rem 0 .4rem}.lead{font-size:1.1rem;color:#364350}"
    ".muted{color:#5b6875;font-size:.9rem}\n"
    "table{border-collapse:collapse;width:100%;margin:.6rem 0}"
    "th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e8ee;"
    "vertical-align:top}\n"
    ".rec{border-left:4px solid #2f6fb3;padding:.2rem .9rem;margin:.9rem 0;break-inside:avoid}"
    ".rec h4{margin:.2rem 0}\n"
    ".rec .id{color:#2f6fb3;font-weight:600}"
    "blockquote{margin:.3rem 0;padding:.2rem .7rem;background:#f4f7fa;"
    "border-left:3px solid #a9b8c6;font-size:.9rem}\n"
    ".swot{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}"
    ".swot div{background:#f4f7fa;padding:.5rem .8rem;border-radius:6px;break-inside:avoid}\n"
    ".conflict{background:#fff7e6;border:1px solid #f0c36d;border-radius:6px;"
    "padding:.5rem .9rem;margin:.6rem 0}\n"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2630}.no{color:#9a3b32}\n"
    "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
    ".rec,.conflict,table{break-inside:avoid}a{color:inherit}}\n"
)


_e = html  # every piece of data shown goes through it (escape.py)


def _answer(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value) or "none"
    return str(value).replace("_", " ")


def _bar_chart(rows: list[tuple[str, int, bool]], unit: str) -> str:
    """Horizontal bars, negative values to the left of the axis."""
    lo = min([0, *(v for _, v, _ in rows)])
    hi = max([1, *(v for _, v, _ in rows)])
    width, label_w, bar_h = 640, 150, 24
    scale = (width - label_w - 60) / (hi - lo)
    zero = label_w + (-lo) * scale
    height = len(rows) * bar_h + 10
    parts = [
        f'<svg role="img" aria-label="{_e(unit)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    ]
    for i, (label, value, ok) in enumerate(rows):
        y = 5 + i * bar_h
        x = zero if value >= 0 else zero + value * scale
        colour = "#2f6fb3" if ok else "#b9c3cc"
        parts.append(f'<text x="0" y="{y + 16}">{_e(label)}</text>')
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(abs(value) * scale, 1):.1f}" '
            f'height="{bar_h - 8}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{max(zero, x + abs(value) * scale) + 6:.1f}" y="{y + 16}">'
            f"{value}{'' if ok else ' (not eligible)'}</text>"
        )
    parts.append(
        f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#5b6875"/></svg>'
    )
    return "".join(parts)


def _entries(entries: list[FrameworkEntry]) -> str:
    return (
        "<ul>"
        + "".join(
            f"<li><b>{_e(e.name or e.group)}</b>: {_e(e.text)} "
            f"<span class=muted>({_e(e.citation.paper)} §{_e(e.citation.section)})</span></li>"
            for e in entries
        )
        + "</ul>"
    )


def _swot(entries: list[FrameworkEntry]) -> str:
    boxes = [
        ("strength", "Strengths"),
        ("weakness", "Weaknesses"),
        ("opportunity", "Opportunities"),
        ("threat", "Threats"),
        ("SO", "SO strategies"),
        ("WO", "WO strategies"),
        ("ST", "ST strategies"),
        ("WT", "WT strategies"),
    ]
    cells = []
    for group, title in boxes:
        items = [e for e in entries if e.group == group]
        if items:
            cells.append(
                f"<div><h4>{title}</h4><ul>"
                + "".join(f"<li>{_e(e.text)}</li>" for e in items)
                + "</ul></div>"
            )
    return '<div class="swot">' + "".join(cells) + "</div>"


def _head(advice: Advice) -> list[str]:
    answers = "".join(
        f"<tr><th>{_e(k.replace('_', ' '))}</th><td>{_e(_answer(v))}</td></tr>"
        for k, v in advice.profile.items()
    )
    return [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width, initial-scale=1">',
        f"<title>Cross-border e-commerce advice</title><style>{_CSS}</style></head><body>",
        "<h1>Cross-border e-commerce advice</h1>",
        f'<p class="lead">{_e(summary(advice))}</p>',
        f"<h2>Your answers</h2><table>{answers}</table>",
    ]


def _ranking(advice: Advice) -> list[str]:
    rows = [(p.platform, p.score, p.eligible) for p in advice.platforms]
    out = [
        "<h2>Platform ranking</h2>",
        _bar_chart(rows, "platform scores"),
        "<table><tr><th>#</th><th>platform</th><th>score</th><th>basis</th></tr>",
    ]
    for p in advice.platforms:
        basis = (
            "; ".join(f"{_e(x.reason)} [{_e(x.rule_id)}]" for x in p.excluded_by)
            or ", ".join(f"{_e(c.rule_id)} {c.points:+d}" for c in p.contributions)
            or "no rule applies"
        )
        flag = "" if p.eligible else " <span class=no>(not eligible)</span>"
        out.append(
            f"<tr><td>{p.rank}</td><td>{_e(p.platform)}{flag}</td>"
            f"<td>{p.score}</td><td>{basis}</td></tr>"
        )
    out.append("</table>")
    for conflict in advice.conflicts:
        sides = "".join(
            f"<li>{_e(side.stance)} {_e(side.platform)}: "
            f"{_e(', '.join(f'{c.rule_id} ({c.points:+d})' for c in side.rules))}</li>"
            for side in conflict.sides
        )
        out.append(
            '<div class="conflict"><b>Where the papers pull in different directions.</b> '
            f"{_e(conflict.summary)}<ul>{sides}</ul></div>"
        )
    return out


def _grounded(advice: Advice) -> list[str]:
    if not advice.grounded_model:
        return []
    rows = [
        (f"{d.code} {d.name}", sum(len(c.recommendations) for c in d.categories), True)
        for d in advice.grounded_model
    ]
    weak = [
        f"{c.code} {c.name} ({', '.join(c.weaknesses)})"
        for d in advice.grounded_model
        for c in d.categories
        if c.weaknesses
    ]
    return [
        "<h2>The five dimensions of the grounded-theory model</h2>",
        _bar_chart(rows, "recommendations per dimension"),
        f"<p>Weak points found: {_e('; '.join(weak)) if weak else 'none'}.</p>",
    ]


def _recommendations(advice: Advice) -> list[str]:
    out = ["<h2>Recommendations</h2>"]
    for category, recs in advice.by_category().items():
        out.append(f"<h3>{_e(CATEGORY_TITLES[category])}</h3>")
        for rec in recs:
            quotes = "".join(
                f"<blockquote>“{_e(c.quote)}” "
                f"<span class=muted>{_e(c.paper)}, §{_e(c.section)}</span>"
                f"{'' if c.verified else f' <b class=no>{_e(UNVERIFIED)}</b>'}</blockquote>"
                for c in rec.citations
            )
            figures = "".join(
                f"<p class=muted>Figure: {_e(figure_note(f))}</p>" for f in rec.figures
            )
            out.append(
                f'<div class="rec"><h4><span class="id">{_e(rec.rule_id)}</span> '
                f"{_e(rec.title)}</h4>"
                f"<p>{_e(rec.advice)}</p><p class=muted>Why: {_e(rec.rationale)}</p>"
                f"{quotes}{figures}</div>"
            )
    return out


def _frameworks_and_sources(advice: Advice) -> list[str]:
    out = []
    sections = {
        "pest": advice.pest,
        "operation_models": advice.operation_models,
        "marketing_models": advice.marketing_models,
    }
    for key, entries in sections.items():
        if entries:
            out.append(f"<h2>{_e(FRAMEWORK_TITLES[key])}</h2>{_entries(entries)}")
    if advice.swot:
        out.append(f"<h2>{_e(FRAMEWORK_TITLES['swot'])}</h2>{_swot(advice.swot)}")
    if advice.assumptions:
        items = "".join(f"<li>{_e(a)}</li>" for a in advice.assumptions)
        out.append(f"<h2>Assumptions</h2><ul>{items}</ul>")
    books = "".join(
        f"<li>[{_e(b.key)}] {_e(', '.join(b.authors))}: <i>{_e(b.title)}</i> "
        f"({_e(b.published)}).</li>"
        for b in advice.bibliography
    )
    out.append(f"<h2>Bibliography</h2><ol>{books}</ol>")
    return out


def _explanation(text: str) -> list[str]:
    """``advise --explain`` inside the report: its lines as preformatted, escaped text."""
    if not text:
        return []
    return [
        "<h2>How the advice was reached</h2>",
        f"<pre>{escape(escape_controls(text))}</pre>",
    ]


def render_html(advice: Advice, explanation: str = "") -> str:
    """The report; ``explanation``: the text of ``--explain``, shown as its last section."""
    out = [
        *_head(advice),
        *_ranking(advice),
        *_grounded(advice),
        *_recommendations(advice),
        *_frameworks_and_sources(advice),
        *_explanation(explanation),
        "<p class=muted>Generated by xbec-advisor; "
        f"figures' ages are given as of {advice.as_of}.</p></body></html>",
    ]
    return "\n".join(out) + "\n"
