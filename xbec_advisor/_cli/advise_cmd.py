"""``xbec-advisor advise``: advice for one profile file."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import click

from .._advice.models import Advice
from .._i18n import _
from .._io.reading import read_stream
from .._io.safe_yaml import decode
from .._profile.load import load_profile_document, load_profile_with_meta
from .._render import FORMATS, render, render_explained
from .._render.escape import terminal
from .common import (
    check_output,
    emit,
    format_option,
    get_advisor,
    lang_option,
    output_option,
    reports_errors,
    rules_option,
)


def _terminal() -> tuple[bool, int, bool]:
    """(standard output is a terminal, its width, colour wanted)."""
    tty = sys.stdout.isatty()
    width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 100) if tty else 80
    return tty, width, tty and not os.environ.get("NO_COLOR")


def _show(text: str, output: Path | None) -> None:
    """Print (through a pager when it does not fit the terminal), or write the file."""
    if (
        output is None
        and sys.stdout.isatty()
        and text.count("\n") > shutil.get_terminal_size().lines
    ):
        click.echo_via_pager(text)
    else:
        emit(text, output)


def _render(advice: Advice, fmt: str, detail: bool, paper: str) -> str:
    if fmt == "table" and not detail:
        from .._render.summary import render_summary

        _tty, width, color = _terminal()
        return render_summary(advice, width=width, color=color)
    if fmt == "html":
        from .._render.html import render_html

        return render_html(advice, paper=paper)
    return render(advice, fmt)


@click.command("advise")
@click.argument("profile", metavar="PROFILE")
@format_option((*FORMATS, "pdf"))
@output_option
@click.option(
    "--detail",
    is_flag=True,
    help="In the terminal, the full advice (every recommendation with its sources) "
    "instead of the one-screen summary.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size of the HTML report and the PDF.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Also show how each recommendation and platform score was reached.",
)
@rules_option
@lang_option
@reports_errors
def advise_cmd(
    profile: str,
    fmt: str,
    output: Path | None,
    detail: bool,
    paper: str,
    explain: bool,
    rules_dirs: tuple[Path, ...],
) -> None:
    """Advise the firm described in PROFILE (a YAML or JSON file; '-' reads standard input).

    In a terminal the advice starts as a one-screen summary (where to sell, what to do first,
    what is still open); --detail prints it all. A profile may carry the firm's name and id.

    \b
    Examples:
      xbec-advisor advise scenarios/jewellery-b2b-alibaba.yaml
      xbec-advisor advise firm.yaml --detail
      xbec-advisor advise firm.yaml -f html -o report.html
      xbec-advisor advise firm.yaml -f pdf -o report.pdf --paper letter
      cat firm.json | xbec-advisor advise - --format json
    """
    check_output(output, [profile])
    if profile == "-":
        raw = read_stream(sys.stdin.buffer, "<stdin>")
        prof, meta = load_profile_document(decode(raw, "<stdin>"), "<stdin>")
    else:
        prof, meta = load_profile_with_meta(profile)
    advisor = get_advisor(rules_dirs)
    advice = advisor.advise(prof, client=meta.get("name", ""), client_id=meta.get("id", ""))
    if fmt == "pdf":
        from .._render.pdf import write_pdf

        pages = write_pdf(advice, output, paper)
        count = _(", {pages} pages").format(pages=pages) if pages else ""
        click.echo(
            _("wrote {path} ({paper}{pages})").format(
                path=output, paper=paper.upper(), pages=count
            ),
            err=True,
        )
        return
    text = _render(advice, fmt, detail, paper)
    if explain:
        from .._analysis.explain import render_explanation

        explanation = advisor.explain(prof, advice)
        if fmt == "json":
            both = {"advice": json.loads(text), "explanation": explanation.model_dump()}
            text = json.dumps(both, indent=2) + "\n"
        elif fmt == "html":  # inside the document, escaped
            from .._render.html import render_html

            text = render_html(advice, paper=paper, appendix=render_explanation(explanation))
        else:
            text = (
                render_explained(advice, fmt, render_explanation(explanation))
                if fmt == "markdown"
                else text + "\n" + terminal(render_explanation(explanation))
            )
    _show(text, output)
