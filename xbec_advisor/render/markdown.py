"""Markdown: a report to paste into a document or an issue."""

from __future__ import annotations

from tabulate import tabulate

from ..advice import Advice
from ._common import CATEGORY_TITLES, platform_rows, summary


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_markdown(advice: Advice) -> str:
    out = ["# Cross-border e-commerce advice", "", summary(advice), "", "## Platform ranking", ""]
    out.append(tabulate(platform_rows(advice), headers=["#", "platform", "score", "eligible", "basis"], tablefmt="github"))
    out += ["", "## Recommendations"]
    for category, recs in advice.by_category().items():
        out += ["", f"### {CATEGORY_TITLES[category]}"]
        for rec in recs:
            out += ["", f"**{rec.rule_id}: {rec.title}**", "", _one_line(rec.advice), "", f"*Why:* {_one_line(rec.rationale)}", ""]
            out += [f'> {cit.paper}, §{cit.section}: "{cit.quote}"' for cit in rec.citations]
    if advice.derived_facts:
        out += ["", "## Conclusions reused by the rules", ""]
        out += [f"- **{f.name}**: {f.meaning} ({', '.join(f.derived_by)})" for f in advice.derived_facts]
    if advice.assumptions:
        out += ["", "## Assumptions", ""]
        out += [f"- {a}" for a in advice.assumptions]
    return "\n".join(out) + "\n"
