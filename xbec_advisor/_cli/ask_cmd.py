"""``xbec-advisor ask``: the questionnaire for a firm without a consultant."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import click
import yaml

from .._advice.advisor import Advisor
from .._analysis.questionnaire import (
    DONT_KNOW,
    HELP,
    choices_help,
    explain_field,
    next_question,
    parse_answer,
    parse_checklist,
    show_value,
)
from .._analysis.whatif import impact_of_unknown
from .._io.atomic import write_atomic
from .._profile.load import load_profile_file
from .._profile.model import Profile, field_specs
from .._render import FORMATS, render
from .common import emit, format_option, get_advisor, reports_errors, rules_option

INTRO = """\
Answer a few questions about your firm. At every question:
  type the number of a choice (several numbers separated by commas where you may pick many),
  0 if you don't know, ? to see why it is asked, or press Enter to keep the answer in brackets.
Questions that cannot change the advice are skipped.
"""


def _prompt(
    shown: str, parse: Callable[[str], object], help_lines: Callable[[], list[str]]
) -> object:
    """Prompt until the answer parses; None means Enter (keep the answer shown)."""
    while True:
        raw = click.prompt("  >", default=shown, show_default=True, prompt_suffix=" ")
        if raw == shown:
            return None
        try:
            answer = parse(raw)
        except ValueError as exc:
            click.echo(f"  ! {exc}")
            continue
        if answer is HELP:
            for line in help_lines():
                click.echo(f"  ? {line}")
            continue
        return answer


def _ask(advisor: Advisor, field: str, default: object, number: int) -> object:
    spec = field_specs()[field]
    click.echo("")
    click.echo(f"{number}. {spec.description}")
    for line in choices_help(spec):
        click.echo(f"   {line}")
    answer = _prompt(
        show_value(spec, default),
        lambda raw: parse_answer(spec, raw),
        lambda: explain_field(advisor, field),
    )
    if answer is None:  # Enter keeps the current answer
        return DONT_KNOW if default is None else default
    return answer


def _ask_checklist(
    advisor: Advisor, fields: list[str], start: dict[str, object], number: int
) -> dict[str, object]:
    specs = field_specs()
    click.echo("")
    click.echo(
        f"{number}. Which of these are true for your firm? "
        "(type their numbers, 'none' if none, 0 if you don't know)"
    )
    for i, field in enumerate(fields, start=1):
        click.echo(f"   {i}) {specs[field].description}")
    current = [start.get(f) for f in fields]
    if all(v is None for v in current):
        shown = "don't know"
    else:
        picked = [str(i) for i, v in enumerate(current, start=1) if v is True]
        shown = ",".join(picked) if picked else "none"
    answer = _prompt(
        shown,
        lambda raw: parse_checklist(fields, raw),
        lambda: [f"{i}) {explain_field(advisor, f)[1]}" for i, f in enumerate(fields, start=1)],
    )
    if answer is None:
        return {f: start.get(f) for f in fields}
    if answer is DONT_KNOW:
        return dict.fromkeys(fields)
    assert isinstance(answer, dict)
    return dict(answer)


def _profile_yaml(answers: dict[str, object], unknown: list[str]) -> str:
    stamp = datetime.date.today().isoformat()
    head = f"# Firm profile saved by `xbec-advisor ask` on {stamp}.\n"
    if unknown:
        head += f'# Answered "don\'t know": {", ".join(unknown)}\n'
    return head + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True)


def _questionnaire(
    advisor: Advisor, start: dict[str, object]
) -> tuple[dict[str, object], list[str], int, int]:
    """Ask each relevant question: (answers, "don't know" fields, questions asked, skipped)."""
    pending = list(field_specs())
    answers: dict[str, object] = dict.fromkeys(pending)
    dont_know: list[str] = []
    count = 0
    while fields := next_question(advisor, answers, pending):
        count += 1
        if field_specs()[fields[0]].kind == "bool":
            given = _ask_checklist(advisor, fields, start, count)
        else:
            one = _ask(advisor, fields[0], start.get(fields[0]), count)
            given = {fields[0]: None if one is DONT_KNOW else one}
        for field, value in given.items():
            pending.remove(field)
            answers[field] = value
            if value is None:
                dont_know.append(field)
    return answers, dont_know, count, len(pending)


def _report_open_answers(advisor: Advisor, profile: Profile, dont_know: list[str]) -> None:
    """What each "don't know" answer leaves open: advice and top platforms it could change."""
    impacts = [impact_of_unknown(advisor, profile, f) for f in dont_know]
    impacts = [i for i in impacts if i.would_add or i.would_remove or i.top_platform_could_become]
    if not impacts:
        return
    click.echo('\nWHAT YOUR "DON\'T KNOW" ANSWERS LEAVE OPEN')
    click.echo("The advice above leaves out what depends on them; another answer could change it:")
    for impact in impacts:
        parts = []
        if impact.would_add:
            parts.append("add " + ", ".join(impact.would_add))
        if impact.would_remove:
            parts.append("drop " + ", ".join(impact.would_remove))
        if impact.top_platform_could_become:
            parts.append("make the top platform " + " or ".join(impact.top_platform_could_become))
        click.echo(f"  - {impact.field}: could {'; '.join(parts)}")


@click.command("ask")
@click.option(
    "--from",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Start from the answers saved in this profile file, to review or change them.",
)
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Save the answers to this profile file (asked at the end otherwise).",
)
@format_option(FORMATS, "Format of the advice shown at the end.")
@rules_option
@reports_errors
def ask_cmd(
    from_file: Path | None, save: Path | None, fmt: str, rules_dirs: tuple[Path, ...]
) -> None:
    """Answer plain questions about your firm and get cited advice.

    \b
    Works in a terminal or with answers piped on standard input, one per line:
      xbec-advisor ask
      xbec-advisor ask --from firm.yaml --save firm.yaml
      printf '1\\n1\\nCN\\n...' | xbec-advisor ask --save firm.yaml
    """
    advisor = get_advisor(rules_dirs)
    start = load_profile_file(from_file).model_dump() if from_file else {}
    click.echo(INTRO)
    answers, dont_know, count, skipped = _questionnaire(advisor, start)
    known = {k: v for k, v in answers.items() if v is not None}
    profile = Profile.model_validate(known)
    click.echo(
        f"\nThank you: {count} question(s) answered; "
        f"{skipped} topic(s) skipped as irrelevant to your firm.\n"
    )
    emit(render(advisor.advise(profile), fmt), None)
    _report_open_answers(advisor, profile, dont_know)
    if save is None:
        target = click.prompt(
            "\nSave your answers to a profile file (Enter to skip)", default="", show_default=False
        )
        save = Path(target) if target.strip() else None
    if save is not None:
        write_atomic(save, _profile_yaml(known, dont_know))
        click.echo(
            f"Saved your answers to {save}; "
            f"run `xbec-advisor advise {save}` to see this advice again."
        )
