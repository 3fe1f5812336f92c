"""Terminal output: a platform table and the recommendations with their sources.

The whole text goes through ``terminal`` (escape.py): control characters from rule packs or
profiles are shown escaped, never sent to the terminal."""

from __future__ import annotations

import textwrap

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
    unverified,
)
from .escape import terminal

_WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(
        " ".join(text.split()), width=_WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def render_table(advice: Advice) -> str:
    out = [summary(advice), "", "PLATFORM RANKING"]
    out.append(
        tabulate(
            platform_rows(advice),
            headers=["#", "Platform", "Score", "Basis"],
            tablefmt="simple",
            maxcolwidths=[None, None, None, 70],
            disable_numparse=True,
        )
    )
    out.append(_wrap(SCORE_NOTE, "  "))
    for area in advice.silent_areas:
        out += ["", area.title.upper(), _wrap(area.text, "  ")]
    for category, recs in advice.by_category().items():
        out += ["", CATEGORY_TITLES[category].upper()]
        for rec in recs:
            out.append(f"  [{rec.rule_id}] {rec.title}")
            out.append(_wrap(rec.advice))
            out.append(_wrap("Why: " + rec.rationale))
            for cit in rec.citations:
                source = f'Source: {cit.paper} §{cit.section}: "{cit.quote}"{unverified(cit)}'
                out.append(_wrap(source))
            for fig in rec.figures:
                out.append(_wrap("Figure: " + figure_note(fig)))
    for headline, lines in conflict_lines(advice):
        out += ["", "WHERE THE PAPERS PULL IN DIFFERENT DIRECTIONS", _wrap(headline, "  ")]
        out += [_wrap("- " + line, "    ") for line in lines]
    for title, entries in framework_sections(advice):
        out += ["", title.upper()]
        for e in entries:
            name = e.name + ": " if e.name else ""
            source = f"({e.citation.paper} §{e.citation.section})"
            group = f"[{group_title(e.group)}] " if group_title(e.group) else ""
            out.append(_wrap(f"{group}{name}{e.text} {source}", "  "))
    if advice.grounded_model:
        out += [
            "",
            "GROUNDED-THEORY MODEL: WHAT THE ADVICE ADDRESSES (grounded-marketing, Table 1)",
        ]
        out.append(
            tabulate(
                grounded_rows(advice),
                headers=["Dimension", "Category", "Recommendations", "Weak points"],
                tablefmt="simple",
            )
        )
    if advice.derived_facts:
        out += ["", "CONCLUSIONS REUSED BY THE RULES"]
        out.append(
            tabulate(
                fact_rows(advice),
                headers=["Conclusion", "Meaning", "Drawn by"],
                tablefmt="simple",
                maxcolwidths=[None, 60, None],
            )
        )
    if advice.may_apply:
        out += ["", "MAY ALSO APPLY: ANSWER THESE QUESTIONS TO SETTLE IT"]
        out += [_wrap("- " + line, "  ") for line in open_lines(advice)]
    if advice.assumptions:
        out += ["", "ASSUMPTIONS"]
        out += [_wrap("- " + a, "  ") for a in advice.assumptions]
    return terminal("\n".join(out) + "\n")
