"""``xbec-advisor template``: the client sheet a consultant fills, as XLSX or CSV."""

from __future__ import annotations

from pathlib import Path

import click

from .._batch.template import csv_template, xlsx_template
from .._i18n import _
from .._io.atomic import write_atomic_bytes
from .common import check_output, echo, lang_option, reports_errors

_WRITERS = {".xlsx": xlsx_template, ".csv": csv_template}


@click.command("template")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: .xlsx (a workbook) or .csv (written atomically).",
)
@lang_option
@reports_errors
def template_cmd(output: Path) -> None:
    """Write a client sheet to fill: one column per question, then score it.

    \b
    The XLSX workbook has a Clients sheet (one row per client: an ID and a Name column, then a
    column per question, headed by its label, the question in the header's comment, a
    drop-down list for each choice and yes/no column, an example row to replace) and a
    "How to fill" sheet (each column's question and allowed values). The CSV template is the
    header and the example row, in UTF-8 with a BOM (Excel's "CSV UTF-8").
    Leave a cell empty when the answer is not known; separate several values with ';'.

    \b
    Examples:
      xbec-advisor template -o clients.xlsx
      xbec-advisor score clients.xlsx --format csv -o scores.csv
      xbec-advisor template -o clients.csv
    """
    suffix = output.suffix.lower()
    if suffix not in _WRITERS:
        raise click.BadParameter(
            _(
                "{path}: the template is written as .xlsx or .csv; name the file clients.xlsx "
                "or clients.csv"
            ).format(path=output),
            param_hint="-o/--output",
        )
    check_output(output)
    write_atomic_bytes(output, _WRITERS[suffix]())
    echo(_("wrote {path}").format(path=output), err=True)
