"""``xbec-advisor score``: many profiles at once, compared; one bad profile never stops the batch."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .._atomic import write_atomic
from ..batch import Result, expand_paths, read_items, score_items
from ..batch.outputs import FORMATS, matrix, summary_table
from ._common import reports_errors


@click.command("score")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically: a temporary file renamed at the end).")
@click.option("--matrix", "as_matrix", is_flag=True, help="Output a profile-by-rule matrix (1 where the rule fired).")
@click.option("--full", is_flag=True, help="Output the complete advice of every profile as JSON Lines.")
@click.option("--sensitivity", "with_sensitivity", is_flag=True,
              help="Add each profile's most influential answers (slow: about 300 evaluations per profile).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes (default: all cores).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Score on a Dask distributed cluster (pip install 'xbec-advisor[dask]').")
@reports_errors
def score_cmd(paths: tuple[str, ...], fmt: str, output: Path | None, as_matrix: bool, full: bool,
              with_sensitivity: bool, jobs: int | None, dask_address: str | None) -> None:
    """Score every profile in PATH... (files, folders searched recursively, glob patterns).

    \b
    Inputs: YAML or JSON files (one profile or a list of profiles), CSV tables (one profile a
    row; list answers separated by ';'), JSON Lines, and Parquet (with pyarrow). An 'id' column
    or key names a profile; otherwise its file, file#N or file:LINE does.
    Each bad profile is reported on stderr with its id and the others are scored; the exit code
    is then 1.

    \b
    Examples:
      xbec-advisor score scenarios/
      xbec-advisor score firms.csv --format csv --output scores.csv --jobs 2
      xbec-advisor score 'clients/**/*.yaml' --matrix --format csv
    """
    files = expand_paths(paths)
    items = (item for path in files for item in read_items(path))
    workers = jobs or os.cpu_count() or 1
    results: list[Result] = []
    stream = score_items(items, jobs=workers, full=full, with_sensitivity=with_sensitivity, dask_address=dask_address)
    if sys.stderr.isatty():
        with click.progressbar(stream, label="scoring", file=sys.stderr, show_pos=True) as bar:
            results.extend(bar)
    else:
        results.extend(stream)
    for result in results:
        if not result.ok:
            click.echo(f"error: {result.error if result.error and result.error.startswith(result.id) else f'{result.id}: {result.error}'}",
                       err=True)
    if full:
        text = "".join(r.advice_json + "\n" for r in results if r.advice_json is not None)
    elif as_matrix:
        text = matrix(results, fmt)
    else:
        text = summary_table(results, fmt)
    if output is not None:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)
    failed = sum(1 for r in results if not r.ok)
    click.echo(f"scored {len(results) - failed} profile(s), {failed} failed", err=True)
    if failed:
        sys.exit(1)

