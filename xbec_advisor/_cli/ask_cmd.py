"""``xbec-advisor ask``: the questionnaire for a firm without a consultant."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._advice.advisor import Advisor
from .._analysis.whatif import impact_of_unknown
from .._errors import XbecError
from .._i18n import N_, _
from .._io.reading import read_text
from .._profile.load import load_profile_file
from .._profile.model import Profile
from .._profile.save import profile_text
from .._render import FORMATS, render
from .ask_session import Interrupted, Session, recovery_path, stopped_message
from .common import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    check_output,
    echo,
    emit,
    format_option,
    get_advisor,
    lang_option,
    reports_errors,
    rules_option,
)

INTRO = N_(
    "Answer a few questions about your firm. At every question:\n"
    "  type the number of a choice (several numbers separated by commas where you may pick "
    "many),\n"
    "  0 if you don't know, ? to see why it is asked, < to go back a question,\n"
    "  or press Enter to keep the answer in brackets.\n"
    "Questions that cannot change the advice are skipped. Your answers are kept as you go: if "
    "you\n"
    "stop, `xbec-advisor ask --resume` continues where you stopped.\n"
)


def _report_open_answers(advisor: Advisor, profile: Profile, dont_know: list[str]) -> None:
    """What each "don't know" answer leaves open: advice and top platforms it could change."""
    impacts = [impact_of_unknown(advisor, profile, f) for f in dont_know]
    impacts = [i for i in impacts if i.would_add or i.would_remove or i.top_platform_could_become]
    if not impacts:
        return
    echo("\n" + _('WHAT YOUR "DON\'T KNOW" ANSWERS LEAVE OPEN'))
    echo(_("The advice above leaves out what depends on them; another answer could change it:"))
    for impact in impacts:
        parts = []
        if impact.would_add:
            parts.append(_("add {rules}").format(rules=", ".join(impact.would_add)))
        if impact.would_remove:
            parts.append(_("drop {rules}").format(rules=", ".join(impact.would_remove)))
        if impact.top_platform_could_become:
            parts.append(
                _("make the top platform {platforms}").format(
                    platforms=_(" or ").join(impact.top_platform_could_become)
                )
            )
        echo(_("  - {field}: could {changes}").format(field=impact.field, changes="; ".join(parts)))


def _write(session: Session, target: Path) -> None:
    """Save the answers to ``target``, keeping what the file (or the --from file) says."""
    original = None
    for source in (target, session.source):
        if source is not None and source.is_file():
            try:
                original = read_text(source)
            except XbecError:
                original = None
            break
    from .._io.atomic import write_atomic

    write_atomic(target, profile_text(session.answers(), original))


def _save(session: Session) -> bool:
    """Save where --save says, or where the person types (asked again after a bad path)."""
    target = session.save
    while True:
        if target is None:
            typed = click.prompt(
                "\n" + _("Save your answers to a profile file (Enter to skip)"),
                default="",
                show_default=False,
            )
            if not typed.strip():
                echo(
                    _("Not saved; your answers stay in {path} until the next `ask`.").format(
                        path=recovery_path()
                    )
                )
                return False
            target = Path(typed.strip())
        try:
            check_output(target)
            _write(session, target)
        except XbecError as exc:
            echo(_("error: {message}").format(message=exc), err=True)
            if session.save is not None:  # --save: no one to ask for another path
                raise
            target = None
            continue
        echo(
            _(
                "Saved your answers to {path}; run `xbec-advisor advise {path}` to see this "
                "advice again."
            ).format(path=target)
        )
        return True


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
    help="Save the answers to this profile file (asked at the end otherwise); its comments, "
    "its answers to questions not asked, and its mode are kept.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the answers of a questionnaire that stopped before they were saved.",
)
@format_option(FORMATS, "Format of the advice shown at the end.")
@rules_option
@lang_option
@reports_errors
def ask_cmd(
    from_file: Path | None,
    save: Path | None,
    resume: bool,
    fmt: str,
    rules_dirs: tuple[Path, ...],
) -> None:
    """Answer plain questions about your firm and get cited advice.

    \b
    Works in a terminal or with answers piped on standard input, one per line:
      xbec-advisor ask
      xbec-advisor ask --from firm.yaml --save firm.yaml
      printf '1\\n1\\nCN\\n...' | xbec-advisor ask --save firm.yaml
    Type < to go back a question. The answers are kept in a recovery file as they are given;
    Ctrl-C (exit code 130) or the end of the input (exit code 2) keeps them, and
    `xbec-advisor ask --resume` continues.
    """
    check_output(save)
    advisor = get_advisor(rules_dirs)
    session = _session(advisor, from_file, save, resume)
    echo(_(INTRO))
    try:
        session.run()
    except Interrupted as exc:
        echo(stopped_message(len(session.given)), err=True)
        sys.exit(EXIT_INTERRUPTED if exc.by_user else EXIT_BAD_INPUT)
    profile = Profile.model_validate(session.answers())
    echo(
        "\n"
        + _(
            "Thank you: {answered} question(s) answered; {skipped} topic(s) skipped as "
            "irrelevant to your firm."
        ).format(answered=len(session.history), skipped=session.skipped())
        + "\n"
    )
    emit(render(advisor.advise(profile), fmt), None)
    _report_open_answers(advisor, profile, session.dont_know())
    try:
        saved = _save(session)
    except click.exceptions.Abort:
        echo(stopped_message(len(session.given)), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except XbecError:
        echo(stopped_message(len(session.given)), err=True)
        sys.exit(EXIT_BAD_INPUT)
    if saved:
        session.discard()


def _session(advisor: Advisor, from_file: Path | None, save: Path | None, resume: bool) -> Session:
    if resume:
        session = Session.resumed(advisor)
        session.save = save or session.save
        check_output(session.save)
        echo(
            _("Resuming {count} answered question(s) from {path}.").format(
                count=len(session.history), path=recovery_path()
            )
        )
        return session
    if recovery_path().exists():
        echo(
            _(
                "(Unsaved answers of an earlier questionnaire are in {path}: "
                "`xbec-advisor ask --resume` continues them; answering here replaces them.)"
            ).format(path=recovery_path())
        )
    start = load_profile_file(from_file).answered() if from_file else {}
    return Session(advisor, start, save, from_file)
