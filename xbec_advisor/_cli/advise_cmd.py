"""``xbec-advisor advise``: advice for one profile file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .._io.reading import read_stream
from .._profile.load import load_profile_bytes, load_profile_file
from .._render import FORMATS, render, render_explained
from .common import (
    check_output,
    emit,
    format_option,
    get_advisor,
    output_option,
    reports_errors,
    rules_option,
)


@click.command("advise")
@click.argument("profile", metavar="PROFILE")
@format_option(FORMATS)
@output_option
@click.option(
    "--explain",
    is_flag=True,
    help="Also show how each recommendation and platform score was reached.",
)
@rules_option
@reports_errors
def advise_cmd(
    profile: str, fmt: str, output: Path | None, explain: bool, rules_dirs: tuple[Path, ...]
) -> None:
    """Advise the firm described in PROFILE (a YAML or JSON file; '-' reads standard input).

    \b
    Examples:
      xbec-advisor advise scenarios/jewellery-b2b-alibaba.yaml
      xbec-advisor advise firm.yaml --format markdown --output advice.md
      cat firm.json | xbec-advisor advise - --format json
    """
    check_output(output, [profile])
    prof = (
        load_profile_bytes(read_stream(sys.stdin.buffer, "<stdin>"), "<stdin>")
        if profile == "-"
        else load_profile_file(profile)
    )
    advisor = get_advisor(rules_dirs)
    advice = advisor.advise(prof)
    text = render(advice, fmt)
    if explain:
        from .._analysis.explain import render_explanation

        explanation = advisor.explain(prof, advice)
        if fmt == "json":
            text = (
                json.dumps(
                    {"advice": json.loads(text), "explanation": explanation.model_dump()}, indent=2
                )
                + "\n"
            )
        else:
            text = render_explained(advice, fmt, render_explanation(explanation))
    emit(text, output)
