"""``xbec-advisor score``: many profiles at once, compared;
one bad profile never stops the batch.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from .._batch import Result, expand_paths, read_items, score_items
from .._batch.outputs import FORMATS, STREAMED, matrix, summary_table, write_summary
from .._io.atomic import atomic_output
from . import startup
from .common import (
    EXIT_FAILED,
    check_output,
    echo,
    format_option,
    get_advisor,
    output_option,
    reports_errors,
)


@click.command("score")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option(FORMATS)
@output_option
@click.option(
    "--matrix",
    "as_matrix",
    is_flag=True,
    help="Output a profile-by-rule matrix (1 where the rule fired).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Output the complete advice of every profile as JSON Lines: one line per profile, "
    '{"id", "status": "ok", "advice"} or {"id", "status": "error", "error"}.',
)
@click.option(
    "--sensitivity",
    "with_sensitivity",
    is_flag=True,
    help="Add each profile's most influential answers (slow: about 300 evaluations per profile).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--dask",
    "dask_address",
    default=None,
    metavar="ADDRESS",
    help="Score on a Dask distributed cluster (pip install 'xbec-advisor[dask]').",
)
@click.option(
    "--ignore-extra",
    is_flag=True,
    help="In tables and spreadsheets, skip the columns that match no field (one warning) "
    "instead of refusing the file.",
)
@reports_errors
def score_cmd(
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    as_matrix: bool,
    full: bool,
    with_sensitivity: bool,
    jobs: int | None,
    dask_address: str | None,
    ignore_extra: bool,
) -> None:
    """Score every profile in PATH... (files, folders searched recursively, glob patterns).

    \b
    Inputs: YAML or JSON files (one profile or a list of profiles), tables with one profile a
    row: CSV (comma, semicolon or tab; UTF-8, with or without BOM), XLSX and ODS spreadsheets
    (their Clients sheet, else the first), JSON Lines, and Parquet (with pyarrow). Columns are
    field ids, labels or questions; cells ids or labels, yes/no, country and language codes or
    names; list answers separated by ';' or ','. `xbec-advisor template` writes a sheet to fill.
    An 'id' (else 'name') column or key names a profile; otherwise its file, file#N or
    file:LINE (the row) does.
    Each bad profile is reported on stderr with its id and the others are scored; the exit code
    is then 1. Every input is read within limits (a profile at most 2 MiB, as for advise); a
    file reached twice is scored once; an output that is one of the inputs is refused.

    \b
    Examples:
      xbec-advisor score scenarios/
      xbec-advisor score firms.csv --format csv --output scores.csv --jobs 2
      xbec-advisor score clients.xlsx --ignore-extra
      xbec-advisor score 'clients/**/*.yaml' --matrix --format csv
    """
    ctx = click.get_current_context()
    explicit = ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT
    if full and explicit and fmt != "jsonl":
        raise click.BadParameter(
            f"--full writes the complete advice as JSON Lines, not {fmt}: use -f jsonl, or "
            "leave -f out",
            param_hint="-f/--format",
        )
    if full and as_matrix:
        raise click.BadParameter("--full and --matrix are two different outputs: choose one")
    files = expand_paths(paths)
    check_output(output, files)
    if dask_address is None:
        get_advisor(
            ()
        )  # the engine, built once here (which ends the start-up): forked workers inherit it
    else:
        startup.done()  # the cluster's workers build their own engines
    items = (item for path in files for item in read_items(path, ignore_extra, _warn))
    workers = jobs or os.cpu_count() or 1
    stream = score_items(
        items, jobs=workers, full=full, with_sensitivity=with_sensitivity, dask_address=dask_address
    )
    tally = {"scored": 0, "failed": 0}
    with contextlib.ExitStack() as stack:
        if sys.stderr.isatty():
            stream = stack.enter_context(
                click.progressbar(stream, label="scoring", file=sys.stderr, show_pos=True)
            )
        results = _reported(stream, tally)
        out = stack.enter_context(atomic_output(output)) if output is not None else sys.stdout
        # csv, jsonl and --full are written as the results arrive; the other outputs need them all
        if full:  # one line per profile, failed ones included, each with its id
            for result in results:
                out.write(_full_line(result))
        elif as_matrix:
            out.write(matrix(list(results), fmt))
        elif fmt in STREAMED:
            write_summary(results, fmt, out, with_sensitivity)
        else:
            out.write(summary_table(list(results), fmt, with_sensitivity))
    echo(f"scored {tally['scored']} profile(s), {tally['failed']} failed", err=True)
    if tally["failed"]:
        sys.exit(EXIT_FAILED)


def _warn(message: str) -> None:
    """A reader's warning (an ignored column, an assumed encoding), on stderr."""
    echo(f"warning: {message}", err=True)


def _full_line(result: Result) -> str:
    """A JSON line of ``--full``: the id, the status, and the advice or the error."""
    head = f'{{"id": {json.dumps(result.id, ensure_ascii=False)}, "status": '
    if result.advice_json is not None:
        return f'{head}"ok", "advice": {result.advice_json}}}\n'
    error = json.dumps(result.error or "", ensure_ascii=False)
    return f'{head}"error", "error": {error}}}\n'


def _reported(results: Iterable[Result], tally: dict[str, int]) -> Iterator[Result]:
    """The results, each failure reported on stderr as it arrives, and counted."""
    for result in results:
        if result.ok:
            tally["scored"] += 1
        else:
            tally["failed"] += 1
            error = result.error or ""
            echo(
                f"error: {error if error.startswith(result.id) else f'{result.id}: {error}'}",
                err=True,
            )
        yield result
