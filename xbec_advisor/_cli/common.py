"""What the commands share: error reporting, rule-directory options, output."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from .._advice.advisor import Advisor, default_advisor
from .._errors import EngineError, XbecError, shown
from .._i18n import LANGUAGES, _, language_from_environment, normalise_language, using
from .._io.atomic import output_path, refuse_inputs, write_atomic
from .._render.escape import terminal
from . import startup

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes (documented in the README and ``xbec-advisor --help``).
EXIT_OK = 0
#: Some profiles of a batch failed, or ``rules check``/``rules coverage`` found errors.
EXIT_FAILED = 1
#: Bad input or usage: a bad profile, rule file, option value, or a file that cannot be read
#: or written.
EXIT_BAD_INPUT = 2
#: The engine failed, or an internal error (a bug).
EXIT_ENGINE = 3
#: Interrupted (Ctrl-C); 143 when terminated (SIGTERM).
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    some profiles failed (score), or the checks found errors (rules check, coverage)
  2    bad input or usage: a bad profile, rule file or option, a file that cannot be read
       or written
  3    the engine failed, or an internal error
  130  interrupted (Ctrl-C); 143 when terminated (SIGTERM)"""


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print text that may hold input (ids, values, rule texts): control characters escaped."""
    click.echo(terminal(text), err=err, nl=nl)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    echo(_("error: {message}").format(message=message), err=True)
    sys.exit(code)


def report_error(exc: Exception) -> NoReturn:
    """The message and exit code of an error that ends a command."""
    if isinstance(exc, EngineError):
        fail(_("the rule engine failed: {error}").format(error=exc), EXIT_ENGINE)
    if isinstance(exc, XbecError):
        fail(str(exc))
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}")
    if os.environ.get("XBEC_ADVISOR_DEBUG"):
        click.echo(traceback.format_exc(), err=True)
    fail(
        _(
            "internal error: {kind}: {error}; this is a bug: please report it with the command "
            "that caused it (XBEC_ADVISOR_DEBUG=1 shows the traceback)"
        ).format(kind=type(exc).__name__, error=shown(str(exc), 300, quote=False)),
        EXIT_ENGINE,
    )


def reports_errors(func: F) -> F:
    """Turn the project's errors into a message on stderr and the exit code of their kind."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (XbecError, OSError) as exc:
            report_error(exc)

    return wrapper  # type: ignore[return-value]


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """``en`` or ``zh`` from ``--lang``, else from the environment; a usage error otherwise."""
    try:
        return normalise_language(value) if value is not None else language_from_environment()
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def lang_option(func: F) -> F:
    """``--lang [en|zh]``: the command runs in that language (default: ``XBEC_LANG``, then
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), so that its messages, errors and the renderers
    downstream (:func:`~xbec_advisor._i18n.current_language`) all speak it."""

    @functools.wraps(func)
    def wrapper(*args: Any, lang: str, **kwargs: Any) -> Any:
        with using(lang):
            return func(*args, **kwargs)

    return click.option(
        "--lang",
        "lang",
        default=None,
        metavar="[" + "|".join(LANGUAGES) + "]",
        callback=_language,
        help="Language of the output: en (English) or zh (Simplified Chinese); default: "
        "XBEC_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG).",
    )(wrapper)  # type: ignore[return-value]


def check_output(output: Path | None, inputs: Iterable[Path | str] = ()) -> None:
    """Refuse an output file that cannot be written or is one of the inputs, before any work."""
    if output is not None:
        output_path(output)
        refuse_inputs(output, inputs)


rules_option = click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An extra folder of rule files, merged with the bundled rules (repeatable).",
)


def format_option(
    choices: tuple[str, ...] | list[str], help: str = "Output format."
) -> Callable[[F], F]:
    """``-f/--format`` among ``choices`` (the first is the default)."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output (atomically: a temporary file renamed "
    "at the end).",
)


def get_advisor(rules_dirs: tuple[Path, ...]) -> Advisor:
    advisor = Advisor.from_directories(*rules_dirs) if rules_dirs else default_advisor()
    startup.done()
    return advisor


def emit(text: str, output: Path | None) -> None:
    """Print, or write the file atomically (the renderers have escaped the text already)."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        echo(_("wrote {path}").format(path=output), err=True)
