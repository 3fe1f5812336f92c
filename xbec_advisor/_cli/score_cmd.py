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
from .._batch.outputs import FILE_FORMATS, FORMATS, STREAMED, matrix, summary_table, write_summary
from .._batch.scoring import advisor_for, rulebase_for
from .._errors import OutputError
from .._i18n import _
from .._io.atomic import atomic_output
from .._rulebase.load import RuleBase
from . import startup
from .common import (
    EXIT_FAILED,
    check_output,
    echo,
    format_option,
    lang_option,
    output_option,
    reports_errors,
    rules_option,
)

_FORMATS_HELP = (
    "Output format: table, csv, json, jsonl, markdown; xlsx (a workbook: Summary, "
    "Recommendations, Platforms, Errors sheets) and html (a portfolio report, with each "
    "firm's full report in a folder beside it) need -o."
)


@click.command("score")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option(FORMATS, help=_FORMATS_HELP)
@output_option
@rules_option
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
@lang_option
@reports_errors
def score_cmd(
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    rules_dirs: tuple[Path, ...],
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
    file:LINE (the row) does. A 'name' column or key gives the firm's name (shown in the
    workbook and the portfolio).
    Each bad profile is reported on stderr with its id and the others are scored; the exit code
    is then 1. Every input is read within limits (a profile at most 2 MiB, as for advise); a
    file reached twice is scored once; an output that is one of the inputs is refused.

    \b
    Formats (-f), one example each:
      table     xbec-advisor score scenarios/
      csv       xbec-advisor score firms.csv -f csv -o scores.csv --jobs 2
      json      xbec-advisor score firms.csv -f json -o scores.json
      jsonl     xbec-advisor score firms.jsonl -f jsonl -o scores.jsonl
      markdown  xbec-advisor score scenarios/ -f markdown -o scores.md
      xlsx      xbec-advisor score firms.csv -f xlsx -o scores.xlsx
      html      xbec-advisor score firms.csv -f html -o portfolio.html
                (writes portfolio.html and portfolio_files/, one report per firm)
    Other outputs:
      xbec-advisor score 'clients/**/*.yaml' --matrix --format csv
      xbec-advisor score firms.csv --full -o advice.jsonl
      xbec-advisor score firms.csv --rules my-rules/ -f csv
      xbec-advisor score clients.xlsx --ignore-extra
    """
    ctx = click.get_current_context()
    explicit = ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT
    if full and explicit and fmt != "jsonl":
        raise click.BadParameter(
            _(
                "--full writes the complete advice as JSON Lines, not {format}: use -f jsonl, "
                "or leave -f out"
            ).format(format=fmt),
            param_hint="-f/--format",
        )
    if full and as_matrix:
        raise click.BadParameter(_("--full and --matrix are two different outputs: choose one"))
    if fmt in FILE_FORMATS:
        _check_file_format(fmt, output, as_matrix)
    files = expand_paths(paths)
    check_output(output, files)
    if fmt == "html" and output is not None:
        from .._render.portfolio import check_folder

        check_folder(output, files)
    rules = tuple(str(d) for d in rules_dirs)
    if dask_address is None:
        advisor_for(rules)  # the engine, built once here: forked workers inherit it
    startup.done()  # with --dask, the cluster's workers build their own engines
    items = (item for path in files for item in read_items(path, ignore_extra, _warn))
    workers = jobs or os.cpu_count() or 1
    detail = {"xlsx": "priorities", "html": "reports"}.get(fmt, "summary")
    stream = score_items(
        items,
        jobs=workers,
        full=full,
        with_sensitivity=with_sensitivity,
        dask_address=dask_address,
        detail=detail,
        rules=rules,
    )
    if sys.stderr.isatty():
        from .._batch.counting import count_total
        from .progress import with_progress

        stream = with_progress(stream, count_total(files), sys.stderr)
    tally = {"scored": 0, "failed": 0}
    results = _reported(stream, tally)
    if fmt in FILE_FORMATS and not full:
        assert output is not None
        _write_file_format(fmt, results, output, rulebase_for(rules), with_sensitivity)
        _finish(tally)
        return
    with contextlib.ExitStack() as stack:
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
    _finish(tally)


def _finish(tally: dict[str, int]) -> None:
    echo(
        _("scored {scored} profile(s), {failed} failed").format(
            scored=tally["scored"], failed=tally["failed"]
        ),
        err=True,
    )
    if tally["failed"]:
        sys.exit(EXIT_FAILED)


def _warn(message: str) -> None:
    """A reader's warning (an ignored column, an assumed encoding), on stderr."""
    echo(_("warning: {message}").format(message=message), err=True)


def _check_file_format(fmt: str, output: Path | None, as_matrix: bool) -> None:
    """Refuse a workbook or portfolio without a file to write it to, or with --matrix."""
    what = _("a workbook") if fmt == "xlsx" else _("a report with a folder of reports beside it")
    if output is None:
        example = "scores.xlsx" if fmt == "xlsx" else "portfolio.html"
        raise click.BadParameter(
            _(
                "-f {format} writes {what}, not text for a terminal or a pipe: give a file with "
                "-o, e.g. -o {example}"
            ).format(format=fmt, what=what, example=example),
            param_hint="-o/--output",
        )
    if as_matrix:
        raise click.BadParameter(
            _(
                "--matrix writes a table, not {what}: use -f csv (or table, json, jsonl, markdown)"
            ).format(what=what),
            param_hint="--matrix",
        )


def _write_file_format(
    fmt: str, results: Iterable[Result], output: Path, rulebase: RuleBase, influential: bool
) -> None:
    """The workbook or the portfolio report, written as the results arrive."""
    if fmt == "xlsx":
        from .._batch.workbook import ScoreWorkbook

        with atomic_output(output) as out, ScoreWorkbook(out.buffer, rulebase, influential) as book:
            for result in results:
                book.add(result)
            try:
                book.close()
            except OSError as exc:
                raise OutputError(
                    _("{path}: cannot write: {error}; the previous file is unchanged").format(
                        path=output, error=exc.strerror or exc
                    )
                ) from None
        echo(_("wrote {path}").format(path=output), err=True)
    else:
        from .._render.portfolio import write_portfolio

        folder = write_portfolio(results, output, rulebase)
        echo(_("wrote {path} and {folder}").format(path=output, folder=folder), err=True)


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
            message = error if error.startswith(result.id) else f"{result.id}: {error}"
            echo(_("error: {message}").format(message=message), err=True)
        yield result
