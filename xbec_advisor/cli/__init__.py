"""The ``xbec-advisor`` command line: one small module per command group."""

from __future__ import annotations

import click

from .. import __version__
from .advise_cmd import advise_cmd
from .ask_cmd import ask_cmd
from .explain_cmd import compare_cmd, sensitivity_cmd, what_if_cmd, why_not_cmd
from .rules_cmd import rules_group
from .schema_cmd import schema_cmd
from .score_cmd import score_cmd

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


main.add_command(advise_cmd)
main.add_command(ask_cmd)
main.add_command(rules_group)
main.add_command(schema_cmd)
for command in (score_cmd, why_not_cmd, what_if_cmd, compare_cmd, sensitivity_cmd):
    main.add_command(command)
