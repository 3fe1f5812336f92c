"""``why-not``, ``what-if``, ``compare`` and ``sensitivity``: what would change the advice."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
from tabulate import tabulate

from .._advice.advisor import Advisor
from .._advice.models import Advice
from .._analysis.moves import describe
from .._analysis.questionnaire import DONT_KNOW, HELP, parse_answer, show_value
from .._analysis.whatif import (
    AdviceDiff,
    Change,
    apply_changes,
    diff_advice,
    sensitivity,
    smallest_changes,
    suggestions,
)
from .._errors import ProfileError, XbecError, did_you_mean, shown
from .._i18n import _, current_language
from .._profile.labels import field_label, platform_label, question
from .._profile.load import load_profile_file, profile_from_data
from .._profile.model import RANKED_PLATFORMS, Profile, field_specs
from .common import echo, format_option, get_advisor, lang_option, reports_errors, rules_option

fmt_option = format_option(("table", "json"))


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _answer_rows(first: Profile, second: Profile) -> list[list[str]]:
    """The answers that differ between two profiles, as (question, first, second)."""
    a, b = first.model_dump(), second.model_dump()
    specs = field_specs()
    lang = current_language()
    return [
        [field_label(f, lang), show_value(specs[f], a.get(f)), show_value(specs[f], b.get(f))]
        for f in specs
        if a.get(f) != b.get(f)
    ]


def _diff_text(diff: AdviceDiff, titles: dict[str, str]) -> str:
    lang = current_language()

    def name(platform: str | None) -> str:
        return platform_label(platform, lang) if platform else _("none")

    out = [
        _("Best platform: {before} -> {after}").format(
            before=name(diff.top_before), after=name(diff.top_after)
        )
    ]
    out += ["", _("Recommendations gained ({count}):").format(count=len(diff.gained))] + [
        f"  + {r} {titles[r]}" for r in diff.gained
    ]
    out += ["", _("Recommendations lost ({count}):").format(count=len(diff.lost))] + [
        f"  - {r} {titles[r]}" for r in diff.lost
    ]
    if diff.moves:
        out += [
            "",
            _("Platform ranking moves:"),
            tabulate(
                [
                    [
                        platform_label(m.platform, lang),
                        f"{_num(m.rank_before)} -> {_num(m.rank_after)}",
                        f"{_num(m.score_before)} -> {_num(m.score_after)}",
                    ]
                    for m in diff.moves
                ],
                headers=[_("Platform"), _("Rank"), _("Score")],
                tablefmt="simple",
            ),
        ]
    return "\n".join(out)


@click.command("why-not")
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target")
@fmt_option
@rules_option
@lang_option
@reports_errors
def why_not_cmd(profile: Path, target: str, fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """Why TARGET (a rule id or a platform) is not in the advice, and the smallest answer changes
    that would make the rule fire or the platform come first (checked by re-running the engine).

    \b
    Examples:
      xbec-advisor why-not scenarios/jewellery-b2b-alibaba.yaml tiktok_shop
      xbec-advisor why-not scenarios/jewellery-b2b-alibaba.yaml PAY-502
    """
    advisor = get_advisor(rules_dirs)
    prof = load_profile_file(profile)
    advice = advisor.advise(prof)
    if target in RANKED_PLATFORMS:
        goal, focus, status, satisfied = _platform_target(advisor, advice, target)
    else:
        goal, focus, status, satisfied = _rule_target(advisor, prof, advice, target)
    found = [] if satisfied else smallest_changes(advisor, prof, goal, focus)
    if fmt == "json":
        echo(
            json.dumps(
                {
                    "target": target,
                    "satisfied": satisfied,
                    "status": status,
                    "changes": [[m.model_dump() for m in group] for group in found],
                },
                indent=2,
                default=str,
            )
        )
        return
    echo("\n".join(status))
    maybe = next((m for m in advice.may_apply if m.rule_id == target.upper()), None)
    if maybe is not None:
        asked = ", ".join(field_label(q, current_language()) for q in maybe.questions)
        echo(
            "\n"
            + _(
                "It may apply: it depends on questions you have not answered ({questions})."
            ).format(questions=asked)
        )
    if satisfied:
        echo("\n" + _("Already the case for this profile."))
    elif found:
        echo(
            "\n"
            + _(
                "The smallest changes your firm could make that would do it, smallest first "
                "(each checked by re-running the engine):"
            )
        )
        for group in found:
            echo("  - " + _(" and ").join(describe(m) for m in group))
    else:
        echo(
            "\n"
            + _(
                "No change of one or two answers that a firm can make does it (building a "
                "capability, adding a mode, obtaining a registration; see rules/changes.yaml)."
            )
        )


Goal = Callable[[Advice], bool]


def _platform_target(
    advisor: Advisor, advice: Advice, target: str
) -> tuple[Goal, set[str], list[str], bool]:
    """(goal, fields worth changing, status lines, already so) for "why not platform X first"."""
    row = next(p for p in advice.platforms if p.platform == target)
    rules = advisor.rulebase.rules
    focus = {f for r in rules if target in r.platforms or target in r.excludes for f in r.fields}
    lang = current_language()
    eligible = "" if row.eligible else _(", not eligible")
    place = (
        _("ranked {rank} with {score} point(s)").format(rank=row.rank, score=f"{row.score:g}")
        if row.rank
        else _("not ranked")
    )
    status = [
        _("{platform} is {place}{eligible}").format(
            platform=platform_label(target, lang), place=place, eligible=eligible
        )
    ]
    status += [
        _("  excluded by {rule}: {reason}").format(
            rule=e.rule_id, reason=_exclusion_reason(advisor, e.rule_id, target, e.reason)
        )
        for e in row.excluded_by
    ]
    top = advice.platforms[0]
    if top.score is not None:
        status.append(
            _("  first is {platform} with {score} point(s)").format(
                platform=platform_label(top.platform, lang), score=f"{top.score:g}"
            )
        )
    return (lambda a: a.top_platform == target), focus, status, advice.top_platform == target


def _exclusion_reason(advisor: Advisor, rule_id: str, platform: str, english: str) -> str:
    """Why a rule excludes a platform, in the current language (the advice's text in English)."""
    lang = current_language()
    if lang == "en":
        return english
    try:
        return advisor.rulebase.get(rule_id).exclude_reason(platform, lang) or english
    except XbecError:
        return english


def _rule_target(
    advisor: Advisor, prof: Profile, advice: Advice, target: str
) -> tuple[Goal, set[str], list[str], bool]:
    """(goal, fields worth changing, status lines, already the case) for "why not rule X"."""
    try:
        rule = advisor.rulebase.get(target.upper())  # a retired id resolves to its successor
    except XbecError:
        hint = did_you_mean(target, RANKED_PLATFORMS) or did_you_mean(
            target.upper(), [r.id for r in advisor.rulebase.rules]
        )
        raise XbecError(
            _(
                "'{target}' is neither a rule id nor a ranked platform{hint}; "
                "platforms: {platforms}"
            ).format(target=target, hint=hint, platforms=", ".join(RANKED_PLATFORMS))
        ) from None
    from .._analysis.explain import explain_rule, render_rule

    derived_by = {f.name: list(f.derived_by) for f in advice.derived_facts}
    satisfied = any(r.rule_id == rule.id for r in advice.recommendations)
    explained = explain_rule(rule, prof, list(derived_by), derived_by, satisfied)
    focus = rule.fields | {
        f for r in advisor.rulebase.rules if set(r.derives) & set(rule.needs) for f in r.fields
    }
    retired = (
        []
        if rule.id == target.upper()
        else [_("{old} was retired: {new} replaces it.").format(old=target.upper(), new=rule.id)]
    )
    fires = _("fires") if satisfied else _("does not fire")
    status = [
        *retired,
        f"[{rule.id}] {rule.text_in('title', current_language())}: {fires}",
        *render_rule(explained, "  "),
    ]
    return (
        (lambda a: any(r.rule_id == rule.id for r in a.recommendations)),
        focus,
        status,
        satisfied,
    )


def _parse_set(items: tuple[str, ...]) -> list[Change]:
    specs = field_specs()
    changes = []
    for item in items:
        field, sep, raw = item.partition("=")
        field = field.strip()
        if not sep:
            raise click.BadParameter(
                _("{item}: expected FIELD=VALUE, e.g. business_model=B2C").format(item=shown(item)),
                param_hint="--set",
            )
        if field not in specs:
            raise click.BadParameter(
                _(
                    "{item}: {field} is not a profile field{hint}; `xbec-advisor schema` lists "
                    "the fields"
                ).format(item=shown(item), field=shown(field), hint=did_you_mean(field, specs)),
                param_hint="--set",
            )
        try:
            value = parse_answer(specs[field], raw)
        except ValueError as exc:
            raise click.BadParameter(f"{field}: {exc}", param_hint="--set") from None
        if value is HELP:
            raise click.BadParameter(
                f"{field}: {question(field, current_language())}", param_hint="--set"
            )
        if value is not DONT_KNOW:
            try:
                profile_from_data({field: value})
            except ProfileError as exc:
                raise click.BadParameter("; ".join(exc.problems), param_hint="--set") from None
        changes.append(Change(field=field, after=None if value is DONT_KNOW else value))
    return changes


@click.command("what-if")
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="FIELD=VALUE",
    help="An answer to change (repeatable); lists as a,b; 0 or 'unknown' for don't know.",
)
@fmt_option
@rules_option
@lang_option
@reports_errors
def what_if_cmd(
    profile: Path, settings: tuple[str, ...], fmt: str, rules_dirs: tuple[Path, ...]
) -> None:
    """Show how the advice for PROFILE changes if some answers change; without --set, the
    smallest changes the firm could make that would change its advice.

    \b
    Examples:
      xbec-advisor what-if scenarios/beauty-live-indonesia.yaml \\
        --set payment_modes=credit_card,local_ewallet
      xbec-advisor what-if scenarios/b2b-no-content.yaml
    """
    advisor = get_advisor(rules_dirs)
    prof = load_profile_file(profile)
    if not settings:
        _emit_suggestions(advisor, prof, fmt)
        return
    changed = apply_changes(prof, _parse_set(settings))
    _emit_diff(advisor.advise(prof), advisor.advise(changed), advisor, fmt)


def _emit_suggestions(advisor: Advisor, prof: Profile, fmt: str) -> None:
    rows = suggestions(advisor, prof)
    if fmt == "json":
        echo(json.dumps([r.model_dump() for r in rows], indent=2, default=str))
        return
    if not rows:
        echo(_("No single change your firm could make changes the advice."))
        return
    lang = current_language()
    titles = {r.id: r.text_in("title", lang) for r in advisor.rulebase.rules}
    echo(_("Changes your firm could make, smallest first, and what each changes:"))
    for row in rows:
        echo(f"  - {describe(row.move)}")
        if row.top_after != row.top_before and row.top_after:
            echo(
                _("      best platform becomes {platform}").format(
                    platform=platform_label(row.top_after, lang)
                )
            )
        for rule_id, title in row.gained:
            echo(f"      + {titles.get(rule_id, title)} ({rule_id})")


def _emit_diff(before: object, after: object, advisor: object, fmt: str) -> None:
    diff = diff_advice(before, after)  # type: ignore[arg-type]
    if fmt == "json":
        echo(diff.model_dump_json(indent=2))
    else:
        lang = current_language()
        rules = advisor.rulebase.rules  # type: ignore[attr-defined]
        titles = {r.id: r.text_in("title", lang) for r in rules}
        echo(_diff_text(diff, titles))


@click.command("compare")
@click.argument("first", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("second", type=click.Path(dir_okay=False, path_type=Path))
@fmt_option
@rules_option
@lang_option
@reports_errors
def compare_cmd(first: Path, second: Path, fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """Compare the advice for two profiles: the answers that differ first, then the
    recommendations gained and lost and the ranking moves."""
    advisor = get_advisor(rules_dirs)
    a, b = load_profile_file(first), load_profile_file(second)
    rows = _answer_rows(a, b)
    if fmt == "json":
        diff = diff_advice(advisor.advise(a), advisor.advise(b))
        answers = [
            {"field": f, "first": a.model_dump().get(f), "second": b.model_dump().get(f)}
            for f in field_specs()
            if a.model_dump().get(f) != b.model_dump().get(f)
        ]
        echo(json.dumps({"answers": answers, **diff.model_dump()}, indent=2, default=str))
        return
    echo(_("Answers that differ ({count}):").format(count=len(rows)))
    headers = [_("Question"), first.name, second.name]
    echo(tabulate(rows, headers=headers, tablefmt="simple") if rows else "  " + _("none"))
    echo("")
    _emit_diff(advisor.advise(a), advisor.advise(b), advisor, fmt)


@click.command("sensitivity")
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--top",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="How many answers to list.",
)
@fmt_option
@rules_option
@lang_option
@reports_errors
def sensitivity_cmd(profile: Path, top: int, fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """List the answers the advice depends on most: every other value of every answer is tried."""
    advisor = get_advisor(rules_dirs)
    prof: Profile = load_profile_file(profile)
    rows = sensitivity(advisor, prof)[:top]
    if fmt == "json":
        echo(json.dumps([r.model_dump() for r in rows], indent=2, default=str))
        return
    specs = field_specs()
    echo(
        tabulate(
            [
                [
                    r.field,
                    show_value(specs[r.field], r.current),
                    r.values_tried,
                    r.top_platform_changes,
                    ", ".join(r.top_platforms_seen) or "-",
                    r.max_recommendations_changed,
                ]
                for r in rows
            ],
            headers=[
                _("answer"),
                _("yours"),
                _("values tried"),
                _("top platform changes"),
                _("could become"),
                _("max recs changed"),
            ],
            tablefmt="simple",
        )
    )
