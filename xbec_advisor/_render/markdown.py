"""Markdown: a report to paste into a document or an issue."""

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
    open_lines,
    platform_rows,
    summary,
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_markdown(advice: Advice) -> str:
    out = ["# Cross-border e-commerce advice", "", summary(advice), "", "## Platform ranking", ""]
    out.append(
        tabulate(
            platform_rows(advice),
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
                f"**{rec.rule_id}: {rec.title}**",
                "",
                _one_line(rec.advice),
                "",
                f"*Why:* {_one_line(rec.rationale)}",
                "",
            ]
            out += [f'> {cit.paper}, §{cit.section}: "{cit.quote}"' for cit in rec.citations]
            out += [f"\n*Figure:* {figure_note(fig)}" for fig in rec.figures]
    for headline, lines in conflict_lines(advice):
        out += ["", "## Where the papers pull in different directions", "", headline, ""]
        out += [f"- {line}" for line in lines]
    for title, entries in framework_sections(advice):
        out += ["", f"## {title}", ""]
        out += [
            f"- **{group_title(e.group) or e.name}**"
            f"{' ' + e.name if e.name and group_title(e.group) else ''}: {_one_line(e.text)} "
            f'({e.citation.paper}, §{e.citation.section}: "{e.citation.quote}")'
            for e in entries
        ]
    if advice.grounded_model:
        out += ["", "## Grounded-theory model: what the advice addresses", ""]
        out.append(
            tabulate(
                grounded_rows(advice),
                headers=["Dimension", "Category", "Recommendations", "Weak points"],
                tablefmt="github",
            )
        )
    if advice.derived_facts:
        out += ["", "## Conclusions reused by the rules", ""]
        out += [f"- **{name}**: {meaning} ({rules})" for name, meaning, rules in fact_rows(advice)]
    if advice.may_apply:
        out += ["", "## May also apply: answer these questions to settle it", ""]
        out += [f"- {line}" for line in open_lines(advice)]
    if advice.assumptions:
        out += ["", "## Assumptions", ""]
        out += [f"- {a}" for a in advice.assumptions]
    return "\n".join(out) + "\n"
