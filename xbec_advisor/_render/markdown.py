"""Markdown: a report to paste into a document or an issue.

Every piece of data (rule texts and ids, profile values, quotes) goes through ``md`` (escaped:
it shows as typed, never as links, HTML or layout)."""

from __future__ import annotations

from tabulate import tabulate

from .._advice.models import Advice
from .._i18n import _, using
from .common import (
    SCORE_NOTE,
    category_title,
    conflict_lines,
    fact_rows,
    figure_note,
    framework_sections,
    grounded_headers,
    grounded_rows,
    group_title,
    platform_headers,
    platform_rows,
    summary,
    tidy,
    unverified,
)
from .escape import markdown as md


def _cells(rows: list[list[object]]) -> list[list[object]]:
    return [[md(c) if isinstance(c, str) else c for c in row] for row in rows]


def render_markdown(advice: Advice, lang: str | None = None) -> str:
    """The advice as Markdown, in ``lang`` (None: the current language)."""
    with using(lang):
        return _render_markdown(advice)


def _render_markdown(advice: Advice) -> str:
    out = [
        "# " + _("Cross-border e-commerce advice"),
        "",
        md(summary(advice)),
        "",
        "## " + _("Platform ranking"),
        "",
    ]
    out.append(
        tabulate(
            _cells(platform_rows(advice)),
            headers=platform_headers(),
            tablefmt="github",
            disable_numparse=True,
        )
    )
    out += ["", f"*{_(SCORE_NOTE)}*"]
    for area in advice.silent_areas:
        out += ["", f"**{area.title}.** {area.text}"]
    out += ["", "## " + _("Recommendations")]
    for category, recs in advice.by_category().items():
        out += ["", f"### {category_title(category)}"]
        for rec in recs:
            out += [
                "",
                f"**{md(rec.rule_id)}: {md(rec.title)}**",
                "",
                md(rec.advice),
                "",
                "*{why}* {text}".format(why=_("Why:"), text=md(rec.rationale)),
                "",
            ]
            out += [
                f'> {md(cit.paper)}, §{md(cit.section)}: "{md(cit.quote)}"{md(unverified(cit))}'
                for cit in rec.citations
            ]
            out += [
                "\n*{label}* {text}".format(label=_("Figure:"), text=md(figure_note(fig)))
                for fig in rec.figures
            ]
    for headline, lines in conflict_lines(advice):
        out += [
            "",
            "## " + _("Where the papers pull in different directions"),
            "",
            md(headline),
            "",
        ]
        out += [f"- {md(line)}" for line in lines]
    for title, entries in framework_sections(advice):
        out += ["", f"## {title}", ""]
        colon = _(": ")
        out += [
            f"- **{md(group_title(e.group) or e.name)}**"
            f"{' ' + md(e.name) if e.name and group_title(e.group) else ''}{colon}{md(e.text)} "
            f'({md(e.citation.paper)}, §{md(e.citation.section)}: "{md(e.citation.quote)}")'
            for e in entries
        ]
    if advice.grounded_model:
        out += ["", "## " + _("Grounded-theory model: what the advice addresses"), ""]
        out.append(
            tabulate(
                _cells(grounded_rows(advice)),
                headers=grounded_headers(),
                tablefmt="github",
            )
        )
    if advice.derived_facts:
        out += ["", "## " + _("Conclusions reused by the rules"), ""]
        out += [
            f"- **{md(name)}**: {md(meaning)} ({md(rules)})"
            for name, meaning, rules in fact_rows(advice)
        ]
    if advice.assumptions:
        out += ["", "## " + _("Assumptions"), ""]
        out += [f"- {md(a)}" for a in advice.assumptions]
    return tidy("\n".join(out) + "\n")
