"""The ``xbec-advisor`` command line: one small module per command group.

A command's module is imported only when that command runs (or when the list of commands is
shown), which keeps the start-up of each command short.
"""

from __future__ import annotations

import gc
import importlib
import signal
import sys
from types import FrameType
from typing import Any

import click

from .. import __version__
from . import startup
from .common import EXIT_CODES_HELP, EXIT_INTERRUPTED, EXIT_TERMINATED

__all__ = ["main", "run"]

#: Each command, in the order ``--help`` lists them: its module in this package and its object.
COMMANDS: dict[str, tuple[str, str]] = {
    "advise": ("advise_cmd", "advise_cmd"),
    "ask": ("ask_cmd", "ask_cmd"),
    "rules": ("rules_cmd", "rules_group"),
    "schema": ("schema_cmd", "schema_cmd"),
    "score": ("score_cmd", "score_cmd"),
    "template": ("template_cmd", "template_cmd"),
    "why-not": ("explain_cmd", "why_not_cmd"),
    "what-if": ("explain_cmd", "what_if_cmd"),
    "compare": ("explain_cmd", "compare_cmd"),
    "sensitivity": ("explain_cmd", "sensitivity_cmd"),
}


class _LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except (
            click.exceptions.NoSuchCommand
        ) as exc:  # click suggests from commands already loaded: none here
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=COMMANDS, ctx=ctx
            ) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; Ctrl-C and errors no command reported end with their exit code."""
        from .common import report_error

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            report_error(exc)


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, prog_name="xbec-advisor")
def main() -> None:
    """Cross-border e-commerce strategy advice, each piece cited from five research papers.

    \b
    Start with:
      xbec-advisor ask
      xbec-advisor advise scenarios/jewellery-b2b-alibaba.yaml
      xbec-advisor rules list
      xbec-advisor schema
    """


def run() -> None:
    """The ``xbec-advisor`` program (and ``python -m xbec_advisor``): :func:`main`, then exit.

    The process ends with the command. Interpreter shutdown would first run garbage collections
    over every object built at start-up (pydantic's schemas, the rule base, the engine, the
    caches), about 70 ms of a 0.4 s ``advise`` (measured by ``benchmarks/bench_score.py``).
    Freezing those objects skips that; ``atexit`` handlers, finalizers of objects freed by
    reference counting, and the flushing of output still run. The collector is also paused
    during start-up (:mod:`.startup`). Embedders call :func:`main`, which leaves the garbage
    collector alone.
    """
    startup.pause()
    signal.signal(signal.SIGTERM, _terminated)
    try:
        main()
    finally:
        gc.freeze()


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends the program as an exception does: temporary files are removed and worker
    processes stopped on the way out."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it at once
    click.echo("\nterminated", err=True)
    sys.exit(EXIT_TERMINATED)
