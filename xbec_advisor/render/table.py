"""Terminal output: a platform table and the recommendations with their sources."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from ..advice import Advice
from ._common import CATEGORY_TITLES, platform_rows, summary

_WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(" ".join(text.split()), width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def render_table(advice: Advice) -> str:
    out = [summary(advice), "", "PLATFORM RANKING"]
    out.append(tabulate(platform_rows(advice), headers=["#", "platform", "score", "eligible", "basis"],
                        tablefmt="simple", maxcolwidths=[None, None, None, None, 60]))
    for category, recs in advice.by_category().items():
        out += ["", CATEGORY_TITLES[category].upper()]
        for rec in recs:
            out.append(f"  [{rec.rule_id}] {rec.title}")
            out.append(_wrap(rec.advice))
            out.append(_wrap("Why: " + rec.rationale))
            for cit in rec.citations:
                out.append(_wrap(f'Source: {cit.paper} §{cit.section}: "{cit.quote}"'))
    if advice.derived_facts:
        out += ["", "CONCLUSIONS REUSED BY THE RULES"]
        out.append(tabulate([[f.name, f.meaning, ", ".join(f.derived_by)] for f in advice.derived_facts],
                            headers=["fact", "meaning", "derived by"], tablefmt="simple", maxcolwidths=[None, 60, None]))
    if advice.assumptions:
        out += ["", "ASSUMPTIONS"]
        out += [_wrap("- " + a, "  ") for a in advice.assumptions]
    return "\n".join(out) + "\n"
