"""``xbec-advisor rules``: list, show and check the knowledge base."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click
from tabulate import tabulate

from .._checks.sections import coverage
from .._i18n import _, current_language
from .._rulebase.catalogue import catalogue
from .._rulebase.load import CATEGORIES
from .common import (
    echo,
    emit,
    format_option,
    get_advisor,
    lang_option,
    reports_errors,
    rules_option,
)
from .rules_show_cmd import check_cmd, migrate_cmd, new_cmd, show_cmd
from .translations_cmd import translations_cmd


@click.group("rules")
def rules_group() -> None:
    """Browse and verify the knowledge base (the rules in rules/)."""


@rules_group.command("list")
@click.option(
    "-c",
    "--category",
    type=click.Choice(list(CATEGORIES)),
    default=None,
    help="Only this category.",
)
@click.option("-p", "--paper", default=None, help="Only rules citing this paper key.")
@format_option(("table", "json"))
@rules_option
@lang_option
@reports_errors
def list_cmd(
    category: str | None, paper: str | None, fmt: str, rules_dirs: tuple[Path, ...]
) -> None:
    """List the rules: id, category, title and the papers they cite."""
    rulebase = get_advisor(rules_dirs).rulebase
    if paper is not None and paper not in rulebase.papers:
        raise click.BadParameter(
            _("unknown paper '{paper}'; allowed: {allowed}").format(
                paper=paper, allowed=", ".join(rulebase.papers)
            ),
            param_hint="--paper",
        )
    rules = [
        r
        for r in rulebase.rules
        if (category is None or r.category == category)
        and (paper is None or any(c.paper == paper for c in r.citations))
    ]
    lang = current_language()
    if fmt == "json":
        echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "category": r.category,
                        "title": r.text_in("title", lang),
                        "papers": sorted({c.paper for c in r.citations}),
                    }
                    for r in rules
                ],
                indent=2,
                ensure_ascii=lang == "en",
            )
        )
        return
    rows = [
        [
            r.id,
            r.category,
            r.text_in("title", lang),
            ", ".join(sorted({c.paper for c in r.citations})),
        ]
        for r in rules
    ]
    headers = [_("id"), _("category"), _("title"), _("cites")]
    echo(tabulate(rows, headers=headers, tablefmt="simple"))
    echo("\n" + _("{count} rule(s)").format(count=len(rules)))


@rules_group.command("coverage")
@format_option(("table", "json"))
@rules_option
@reports_errors
def coverage_cmd(fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """Per paper and section, the rules (and framework items, figures) that cite it.

    Exits 1 when a section that gives advice or platform facts is cited by no rule.
    """
    rulebase = get_advisor(rules_dirs).rulebase
    rows = coverage(rulebase)
    gaps = [r for r in rows if r.gap]
    if fmt == "json":
        echo(json.dumps([{**r.model_dump(), "gap": r.gap} for r in rows], indent=2))
    else:
        for key, paper in rulebase.papers.items():
            mine = [r for r in rows if r.paper == key]
            n_rules = len({rid for r in mine for rid in r.rules})
            echo(f"\n{key}: {paper.title}\n{n_rules} rule(s) cite it")
            table = [
                [
                    r.section,
                    textwrap.shorten(r.title, 48),
                    ", ".join(r.rules) or ("-" if not r.gives_advice else "NOT CITED"),
                    ", ".join(r.other),
                ]
                for r in mine
            ]
            echo(
                tabulate(
                    table,
                    headers=["section", "title", "rules", "frameworks and figures"],
                    tablefmt="simple",
                    maxcolwidths=[None, None, 50, 40],
                )
            )
        uncited = [f"{r.paper} §{r.section}" for r in gaps]
        uncited_list = ", ".join(uncited) if uncited else "none"
        echo(f"\nadvice-giving sections cited by no rule: {uncited_list}")
    if gaps:
        sys.exit(1)


@rules_group.command("catalogue")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (atomically), e.g. docs/rules.md.",
)
@rules_option
@lang_option
@reports_errors
def catalogue_cmd(output: Path | None, rules_dirs: tuple[Path, ...]) -> None:
    """Print the rule catalogue in Markdown, generated from the rules."""
    emit(catalogue(get_advisor(rules_dirs).rulebase), output)


for _command in (show_cmd, check_cmd, migrate_cmd, new_cmd, translations_cmd):
    rules_group.add_command(_command)
