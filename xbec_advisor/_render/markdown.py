"""Markdown: a report to paste into a document or an issue.

Every piece of data (rule texts and ids, profile values, quotes) goes through ``md`` (escaped:
it shows as typed, never as links, HTML or layout)."""

from __future__ import annotations

from tabulate import tabulate

from .._advice.models import Advice
from .._rulebase.models import CATEGORY_TITLES
from .common import (
    SCORE_NOTE,
    conflict_lines,
    fact_rows,
    figure_note,
    framework_sections,
    grounded_rows,
    group_title,
    platform_rows,
    summary,
    unverified,
)
from .escape import markdown as md


def _cells(rows: list[list[object]]) -> list[list[object]]:
    return [[md(c) if isinstance(c, str) else c for c in row] for row in rows]


def render_markdown(advice: Advice) -> str:
    out = [
        "# Cross-border e-commerce advice",
        "",
        md(summary(advice)),
        "",
        "## Platform ranking",
        "",
    ]
    out.append(
        tabulate(
            _cells(platform_rows(advice)),
            headers=["#", "Platform", "Score", "Basis"],
            tablefmt="github",
            disable_numparse=True,
        )
    )
    out += ["", f"*{SCORE_NOTE}*"]
    for area in advice.silent_areas:
        out += ["", f"**{area.title}.** {area.text}"]
    out += ["", "## Recommendations"]
    for category, recs in advice.by_category().items():
        out += ["", f"### {CATEGORY_TITLES[category]}"]
        for rec in recs:
            out += [
                "",
                f"**{md(rec.rule_id)}: {md(rec.title)}**",
                "",
                md(rec.advice),
                "",
                f"*Why:* {md(rec.rationale)}",
                "",
            ]
            out += [
                f'> {md(cit.paper)}, §{md(cit.section)}: "{md(cit.quote)}"{md(unverified(cit))}'
                for cit in rec.citations
            ]
            out += [f"\n*Figure:* {md(figure_note(fig))}" for fig in rec.figures]
    for headline, lines in conflict_lines(advice):
        out += ["", "## Where the papers pull in different directions", "", md(headline), ""]
        out += [f"- {md(line)}" for line in lines]
    for title, entries in framework_sections(advice):
        out += ["", f"## {title}", ""]
        out += [
            f"- **{md(group_title(e.group) or e.name)}**"
            f"{' ' + md(e.name) if e.name and group_title(e.group) else ''}: {md(e.text)} "
            f'({md(e.citation.paper)}, §{md(e.citation.section)}: "{md(e.citation.quote)}")'
            for e in entries
        ]
    if advice.grounded_model:
        out += ["", "## Grounded-theory model: what the advice addresses", ""]
        out.append(
            tabulate(
                _cells(grounded_rows(advice)),
                headers=["Dimension", "Category", "Recommendations", "Weak points"],
                tablefmt="github",
            )
        )
    if advice.derived_facts:
        out += ["", "## Conclusions reused by the rules", ""]
        out += [
            f"- **{md(name)}**: {md(meaning)} ({md(rules)})"
            for name, meaning, rules in fact_rows(advice)
        ]
    if advice.assumptions:
        out += ["", "## Assumptions", ""]
        out += [f"- {md(a)}" for a in advice.assumptions]
    return "\n".join(out) + "\n"
