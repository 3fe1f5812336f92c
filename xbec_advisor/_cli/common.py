"""What the commands share: error reporting, rule-directory options, output."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .._advice.advisor import Advisor, default_advisor
from .._errors import EngineError, XbecError
from .._io.atomic import write_atomic
from . import startup

F = TypeVar("F", bound=Callable[..., Any])

#: Exit code for bad input (a bad profile, rule file or option value).
EXIT_BAD_INPUT = 2
#: Exit code when the rule engine fails (not the input's fault).
EXIT_ENGINE = 3


def reports_errors(func: F) -> F:
    """Turn the project's errors into a message on stderr and exit code 2 (3 for the engine)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EngineError as exc:
            click.echo(f"error: the rule engine failed: {exc}", err=True)
            sys.exit(EXIT_ENGINE)
        except XbecError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


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
    """Print, or write the file atomically."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
