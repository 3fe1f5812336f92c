"""Terminal output: a platform table and the recommendations with their sources.

The whole text goes through ``terminal`` (escape.py): control characters from rule packs or
profiles are shown escaped, never sent to the terminal."""

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
    open_lines,
    platform_headers,
    platform_rows,
    summary,
    tidy,
    unverified,
)
from .escape import terminal
from .wrap import wrap_wide

_WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> str:
    return "\n".join(
        wrap_wide(
            tidy(" ".join(text.split())), _WIDTH, initial_indent=indent, subsequent_indent=indent
        )
    )


def render_table(advice: Advice, lang: str | None = None) -> str:
    """The advice as terminal text, in ``lang`` (None: the current language)."""
    with using(lang):
        return _render_table(advice)


def _render_table(advice: Advice) -> str:
    out = [tidy(summary(advice)), "", _("PLATFORM RANKING")]
    out.append(
        tabulate(
            [[tidy(c) if isinstance(c, str) else c for c in row] for row in platform_rows(advice)],
            headers=platform_headers(),
            tablefmt="simple",
            maxcolwidths=[None, None, None, 70],
            disable_numparse=True,
        )
    )
    out.append(_wrap(_(SCORE_NOTE), "  "))
    for area in advice.silent_areas:
        out += ["", area.title.upper(), _wrap(area.text, "  ")]
    for category, recs in advice.by_category().items():
        out += ["", category_title(category).upper()]
        for rec in recs:
            out.append(f"  [{rec.rule_id}] {rec.title}")
            out.append(_wrap(rec.advice))
            out.append(_wrap(_("Why: {text}").format(text=rec.rationale)))
            for cit in rec.citations:
                where = f'{cit.paper} §{cit.section}: "{cit.quote}"{unverified(cit)}'
                out.append(_wrap(_("Source: {source}").format(source=where)))
            for fig in rec.figures:
                out.append(_wrap(_("Figure: {figure}").format(figure=figure_note(fig))))
    for headline, lines in conflict_lines(advice):
        out += ["", _("WHERE THE PAPERS PULL IN DIFFERENT DIRECTIONS"), _wrap(headline, "  ")]
        out += [_wrap("- " + line, "    ") for line in lines]
    for title, entries in framework_sections(advice):
        out += ["", title.upper()]
        for e in entries:
            name = e.name + _(": ") if e.name else ""
            source = f"({e.citation.paper} §{e.citation.section})"
            group = f"[{group_title(e.group)}] " if group_title(e.group) else ""
            out.append(_wrap(f"{group}{name}{e.text} {source}", "  "))
    if advice.grounded_model:
        out += [
            "",
            _("GROUNDED-THEORY MODEL: WHAT THE ADVICE ADDRESSES (grounded-marketing, Table 1)"),
        ]
        out.append(
            tabulate(
                grounded_rows(advice),
                headers=grounded_headers(),
                tablefmt="simple",
            )
        )
    if advice.derived_facts:
        out += ["", _("CONCLUSIONS REUSED BY THE RULES")]
        out.append(
            tabulate(
                fact_rows(advice),
                headers=[_("Conclusion"), _("Meaning"), _("Drawn by")],
                tablefmt="simple",
                maxcolwidths=[None, 60, None],
            )
        )
    if advice.may_apply:
        out += ["", _("MAY ALSO APPLY: ANSWER THESE QUESTIONS TO SETTLE IT")]
        out += [_wrap("- " + line, "  ") for line in open_lines(advice)]
    if advice.assumptions:
        out += ["", _("ASSUMPTIONS")]
        out += [_wrap("- " + a, "  ") for a in advice.assumptions]
    return terminal("\n".join(out) + "\n")
