"""``xbec-advisor rules show|check|migrate|new``: one rule in full, the checks,
and editing the rule format.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from .._checks.quotes import find_papers_dir
from .._checks.run import check_rulebase
from .._i18n import _, current_language
from .._rulebase.catalogue import assumptions_in
from .._rulebase.frameworks import fill_figures
from .._rulebase.load import CATEGORIES, default_rules_dir
from .._rulebase.migrate import migrate_folder
from .._rulebase.models import Rule, RuleBase
from .._rulebase.scaffold import new_rule
from .common import echo, get_advisor, lang_option, reports_errors, rules_option

_WRAP_EN = textwrap.TextWrapper(width=100, initial_indent="  ", subsequent_indent="  ")
#: Chinese characters take two columns of a terminal and have no spaces to break at.
_WRAP_ZH = textwrap.TextWrapper(width=50, initial_indent="  ", subsequent_indent="  ")


class _Wrap:
    """The paragraphs' wrapper of the current language (100 columns)."""

    @staticmethod
    def fill(text: str) -> str:
        return (_WRAP_EN if current_language() == "en" else _WRAP_ZH).fill(text)


_WRAP = _Wrap()


def _condition_lines(data: object, indent: str = "  ") -> list[str]:
    from .._rulebase.writer import _condition  # the same layout as the rule files

    return _condition(data, indent)


def _conditions(rule: Rule, rulebase: RuleBase) -> list[str]:
    lang = current_language()
    out = [_("When:"), *_condition_lines(rule.when.to_data())]
    if rule.unless is not None:
        out += [
            "",
            _("Unless (silenced when this holds):"),
            *_condition_lines(rule.unless.to_data()),
        ]
    used = _names(rule.when) | (_names(rule.unless) if rule.unless is not None else set())
    out += [f"  ({name}: {rulebase.condition_meaning(name, lang)})" for name in sorted(used)]
    return out


def _effects(rule: Rule) -> list[str]:
    lang = current_language()
    out = []
    if rule.derives:
        out += ["", _("Derives: ") + ", ".join(rule.derives)]
    if rule.platforms:
        out += [
            "",
            _("Platform points: ") + ", ".join(f"{p} {n:+d}" for p, n in rule.platforms.items()),
        ]
    if rule.excludes:
        out += ["", _("Excludes:")] + [
            f"  {p}: {rule.exclude_reason(p, lang)}" for p in rule.excludes
        ]
    return out


def _sources(rule: Rule, rulebase: RuleBase) -> list[str]:
    lang = current_language()
    out = ["", _("Citations:")] + [
        _WRAP_EN.fill(f'{c.paper} §{c.section}: "{c.quote}"') for c in rule.citations
    ]
    assumptions = assumptions_in(rule, lang)
    if assumptions:
        out += ["", _("Assumptions:")] + [_WRAP.fill("- " + a) for a in assumptions]
    if rule.concepts:
        grounded = rulebase.grounded
        names = [
            f"{c} {rulebase.grounded_text(c, 'name', lang)}" if grounded else c
            for c in rule.concepts
        ]
        out += ["", _("Grounded-model categories: ") + ", ".join(names)]
    figures = [f for f in rulebase.figures.values() if rule.id in f.used_by]
    if figures:
        out += ["", _("Figures:")]
        out += [
            _WRAP.fill(
                f"- {f.text_in('statement', lang)} "
                f"({f.year}; {f.citation.paper} §{f.citation.section})"
            )
            for f in figures
        ]
    return out


def _history(rule: Rule) -> list[str]:
    out = []
    if rule.replaces:
        out += ["", _("Replaces (retired ids): ") + ", ".join(rule.replaces)]
    if rule.notes:
        out += ["", _("Notes:")] + [_WRAP.fill("- " + n) for n in rule.notes]
    out.append("")
    for kind, key in (("fire", _("Examples (fires): ")), ("silent", _("Examples (silent): "))):
        names = [e.name for e in rule.examples if e.expect == kind]
        out.append(key + ", ".join(names))
    return out


@click.command("show")
@click.argument("rule_id")
@rules_option
@lang_option
@reports_errors
def show_cmd(rule_id: str, rules_dirs: tuple[Path, ...]) -> None:
    """Show one rule in full: advice, rationale, conditions, effects, citations, examples.

    A retired id (one that a rule `replaces`) shows the rule that replaced it.
    """
    rulebase = get_advisor(rules_dirs).rulebase
    rule = rulebase.get(rule_id.upper())
    lang = current_language()
    out = (
        []
        if rule.id == rule_id.upper()
        else [
            _("{old} was retired: {new} replaces it.").format(old=rule_id.upper(), new=rule.id),
            "",
        ]
    )

    def text(key: str) -> str:  # {figure: ID} placeholders filled, as the advice shows them
        return fill_figures(rule.text_in(key, lang), rulebase.figures, lang)

    out += [
        f"{rule.id}  [{rule.category}]  {text('title')}",
        _("  defined in {path}").format(path=rule.source),
        "",
        _("Advice:"),
        _WRAP.fill(text("advice")),
        "",
        _("Rationale:"),
        _WRAP.fill(text("rationale")),
        "",
    ]
    out += _conditions(rule, rulebase) + _effects(rule) + _sources(rule, rulebase) + _history(rule)
    echo("\n".join(out))


def _names(cond: object) -> set[str]:
    from .._rulebase.conditions import Ref, walk

    return {n.name for n in walk(cond) if isinstance(n, Ref)}  # type: ignore[arg-type]


@click.command("check")
@click.option(
    "--search",
    type=click.IntRange(0, 1_000_000),
    default=2000,
    show_default=True,
    help="How many generated profiles to advise, besides the examples, looking for contradictions.",
)
@click.option(
    "--papers",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help=(
        "Folder of the paper texts for quote verification "
        "(default: $XBEC_PAPERS_DIR or ../shared/papers)."
    ),
)
@rules_option
@reports_errors
def check_cmd(search: int, papers: Path | None, rules_dirs: tuple[Path, ...]) -> None:
    """Verify the rule base: schema, vocabulary, examples (engine and oracle), named conditions,
    branch coverage of the examples, prose against data, quotes, facts, chaining, and
    contradictions found by advising the examples and generated profiles.

    Exits 1 when any error is found. Quotes are verified only when the papers are found.
    """
    advisor = get_advisor(rules_dirs)
    papers_dir = papers or find_papers_dir()
    report = check_rulebase(advisor, papers_dir, search)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
    for error in report.errors:
        echo(f"error: {error}", err=True)
    rb = advisor.rulebase
    examples = sum(len(r.examples) for r in rb.rules)
    quotes = (
        f"quotes checked against {papers_dir}"
        if papers_dir
        else "quotes NOT checked (papers not found)"
    )
    echo(
        f"{len(rb.rules)} rules, {len(rb.conditions)} named conditions, {examples} examples; "
        f"branch coverage: {report.covered} of {len(report.branches)} 'any' alternatives "
        "decide an example; "
        f"{quotes}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    )
    if report.errors:
        sys.exit(1)


@click.command("migrate")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only say which files would be written and removed.")
@reports_errors
def migrate_cmd(directory: Path, dry_run: bool) -> None:
    """Rewrite a rule folder from rule format 1 (lists of rules) to format 2 (one rule per file).

    The migrated rules fire on exactly the same profiles; subtrees equal to a named condition
    (the folder's conditions.yaml or the bundled one) become {is: NAME}. Check the result with
    `xbec-advisor rules check --rules DIRECTORY`.
    """
    report = migrate_folder(directory, default_rules_dir(), dry_run=dry_run)
    verb = "would write" if dry_run else "wrote"
    for path in report.written:
        echo(f"{verb} {path}")
    for path in report.removed:
        echo(f"{'would remove' if dry_run else 'removed'} {path}")
    echo(
        f"{len(report.written)} rule file(s) {verb}, {len(report.removed)} list file(s) "
        f"{'to remove' if dry_run else 'removed'}, {len(report.unchanged)} already in format 2",
        err=True,
    )


@click.command("new")
@click.argument("category", type=click.Choice(list(CATEGORIES)))
@click.option(
    "--paper",
    default=None,
    help="The paper the rule draws on (its key): the id is taken in that paper's block.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help=(
        "Your rule folder, merged with the bundled rules "
        "(default: the bundled rules/ of this checkout)."
    ),
)
@reports_errors
def new_cmd(category: str, paper: str | None, directory: Path | None) -> None:
    """Start a new rule: a file with the next free id of CATEGORY and every key to fill in.

    `rules check` fails until every placeholder (TODO) is replaced and the examples pass.
    """
    bundled = default_rules_dir()
    path = new_rule(
        directory or bundled, category, paper, [bundled] if directory is not None else []
    )
    echo(f"wrote {path}; fill it in, then run `xbec-advisor rules check`")
