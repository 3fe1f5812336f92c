"""``score --format xlsx``: a workbook for consultants, written row by row as results arrive.

Sheets: *Summary* (one row per firm: best and second platform with their scores, the first
actions in priority order, recommendations per area, status), *Recommendations* (long form: one
row per firm and recommendation, with its priority, horizon, title and sources), *Platforms*
(firm by platform scores, colour-scaled) and *Errors* (the firms that could not be scored, and
why). Headers are in words; every sheet has a frozen header row and first column, a filter and
column widths fitted to what was written.

Memory stays flat however many firms: XlsxWriter's ``constant_memory`` mode writes each row to a
temporary file as soon as the next one starts, strings inline (no shared-string table), and the
platform columns are known before the first firm (the ranked platforms). A sheet past Excel's
1,048,576 rows goes on in a sheet of the same name numbered 2, 3...

Every text is written as text (``write_string``: never a formula, a number or a link), and text
that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading quote exactly as
in CSV (:func:`xbec_advisor._render.escape.csv_cell`), so that it stays inert when the sheet is
saved again as CSV.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from typing import IO, Any

from .._advice.priority import HORIZON_OF
from .._profile.labels import field_label, platform_label
from .._profile.model import RANKED_PLATFORMS
from .._render.escape import csv_cell
from .._rulebase.frameworks import fill_figures
from .._rulebase.load import CATEGORIES, RuleBase
from .._rulebase.models import CATEGORY_TITLES
from .outputs import number
from .scoring import Result

__all__ = ["ACTIONS", "MAX_SHEET_ROWS", "ScoreWorkbook"]

#: Excel's rows per sheet, the header included.
MAX_SHEET_ROWS = 1_048_576
#: Longest text of a cell (Excel's limit).
MAX_CELL_CHARS = 32_767
#: Actions named in the Summary sheet (the first ones in priority order, platform choice aside:
#: the best platforms have columns of their own), as in the one-screen summary.
ACTIONS = ("First action", "Second action", "Third action")
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def cell_text(value: str) -> str:
    """Text for a cell: formula-looking text neutralised as in CSV, cut to Excel's limit."""
    text = str(csv_cell(value))
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class _Sheet:
    """One table, written row by row: its header, widths fitted to what was written, a filter
    and frozen panes; continued on a new sheet past :data:`MAX_SHEET_ROWS` rows."""

    def __init__(
        self,
        book: Any,
        name: str,
        headers: Sequence[str],
        formats: dict[str, Any],
        finish: Callable[[Any, int, int], None] | None = None,
    ) -> None:
        self.book, self.name, self.headers = book, name, list(headers)
        self.formats, self.finish = formats, finish
        self.parts = 0
        self.sheet: Any = None
        self.row = 0
        self.widths = [len(h) for h in self.headers]
        self._open()

    def _open(self) -> None:
        if self.sheet is not None:
            self._close_part()
        self.parts += 1
        self.sheet = self.book.add_worksheet(
            self.name if self.parts == 1 else f"{self.name} {self.parts}"
        )
        self.sheet.freeze_panes(1, 1)
        for col, header in enumerate(self.headers):
            self.sheet.write_string(0, col, header, self.formats["header"])
        self.row = 1

    def add(self, values: Sequence[object]) -> None:
        """One row: text as text (neutralised), numbers as numbers, None left empty."""
        if self.row >= MAX_SHEET_ROWS:
            self._open()
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.sheet.write_number(self.row, col, value)
                shown = f"{value:g}"
            else:
                shown = cell_text(str(value))
                self.sheet.write_string(self.row, col, shown)
            self.widths[col] = max(self.widths[col], min(len(shown), _MAX_WIDTH))
        self.row += 1

    def _close_part(self) -> None:
        last_row, last_col = max(self.row - 1, 1), len(self.headers) - 1
        self.sheet.autofilter(0, 0, last_row, last_col)
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, max(_MIN_WIDTH, min(width, _MAX_WIDTH)) + 2)
        if self.finish is not None and self.row > 1:
            self.finish(self.sheet, self.row - 1, last_col)

    def close(self) -> None:
        self._close_part()


class ScoreWorkbook:
    """The workbook of a batch, written to ``out`` (a seekable binary file) as results come:
    :meth:`add` each result, then :meth:`close` (which writes the file). Used as a context
    manager, it removes its temporary files (the rows written so far) however the block ends.
    """

    def __init__(self, out: IO[bytes], rulebase: RuleBase, influential: bool = False) -> None:
        import xlsxwriter  # imported only for this format

        self._temp = tempfile.TemporaryDirectory(prefix="xbec-xlsx-")
        self.book = xlsxwriter.Workbook(
            out,
            {
                "tmpdir": self._temp.name,
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        formats = {"header": self.book.add_format({"bold": True, "bg_color": "#dde6ef"})}
        self.influential = influential
        self.rules = {r.id: r for r in rulebase.rules}
        self.rule_cells: dict[str, tuple[str, str, str, str, str]] = {}
        self.titles = {r.id: fill_figures(r.title, rulebase.figures) for r in rulebase.rules}
        summary = [
            "Firm",
            "Name",
            "Status",
            "Best platform",
            "Best score",
            "Second platform",
            "Second score",
            *ACTIONS,
            "Recommendations",
            "May apply",
            *(CATEGORY_TITLES[c] for c in CATEGORIES),
            *(["Most influential answers"] if influential else []),
        ]
        self.summary = _Sheet(self.book, "Summary", summary, formats)
        self.recommendations = _Sheet(
            self.book,
            "Recommendations",
            ["Firm", "Rule", "Category", "Priority", "Horizon", "Title", "Paper", "Section"],
            formats,
        )
        self.platforms = _Sheet(
            self.book,
            "Platforms",
            ["Firm", "Name", *(platform_label(p) for p in RANKED_PLATFORMS)],
            formats,
            _colour_scale,
        )
        self.errors = _Sheet(self.book, "Errors", ["Firm", "Error"], formats)

    def add(self, r: Result) -> None:
        """One firm's rows in every sheet it belongs to."""
        if not r.ok:
            self.summary.add([r.id, r.name, "error"])
            self.errors.add([r.id, r.error or ""])
            return
        top: list[object] = []
        for k in range(2):
            top += (
                [platform_label(r.top[k][0]), number(r.top[k][1])] if k < len(r.top) else [None] * 2
            )
        first: list[object] = [
            self.titles[rid] for rid in r.actions if self.rules[rid].category != "platform"
        ]
        first += [None] * len(ACTIONS)
        self.summary.add(
            [
                r.id,
                r.name,
                "ok",
                *top,
                *first[: len(ACTIONS)],
                len(r.fired),
                len(r.maybe),
                *(r.counts.get(c, 0) for c in CATEGORIES),
                *([", ".join(field_label(f) for f in r.influential)] if self.influential else []),
            ]
        )
        for priority, rid in enumerate(r.actions, start=1):
            area, horizon, title, papers, sections = self._rule_cells(rid)
            self.recommendations.add([r.id, rid, area, priority, horizon, title, papers, sections])
        scores = {p: (s, ok) for p, s, ok in r.scores}
        self.platforms.add([r.id, r.name, *(_score(scores.get(p)) for p in RANKED_PLATFORMS)])

    def _rule_cells(self, rid: str) -> tuple[str, str, str, str, str]:
        """A rule's cells in the Recommendations sheet (built once per rule): its area,
        horizon, title, papers, and the sections cited in each paper (in the same order)."""
        found = self.rule_cells.get(rid)
        if found is None:
            rule = self.rules[rid]
            sections: dict[str, list[str]] = {}
            for c in rule.citations:
                cited = sections.setdefault(c.paper, [])
                if f"§{c.section}" not in cited:
                    cited.append(f"§{c.section}")
            found = self.rule_cells[rid] = (
                CATEGORY_TITLES.get(rule.category, rule.category),
                HORIZON_OF.get(rule.category, "later"),
                self.titles[rid],
                "; ".join(sections),
                "; ".join(", ".join(s) for s in sections.values()),
            )
        return found

    def close(self) -> None:
        """Finish every sheet and write the workbook."""
        for sheet in (self.summary, self.recommendations, self.platforms, self.errors):
            sheet.close()
        self.book.close()

    def __enter__(self) -> ScoreWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        for sheet in self.book.worksheets():
            handle = getattr(sheet, "row_data_fh", None)
            if handle is not None and not handle.closed:
                handle.close()
        self._temp.cleanup()


def _score(found: tuple[float | None, bool] | None) -> object:
    """A platform's cell: its score, "excluded", or empty when it is not scored."""
    if found is None:
        return None
    score, eligible = found
    if not eligible:
        return "excluded"
    return None if score is None else number(score)


def _colour_scale(sheet: Any, last_row: int, last_col: int) -> None:
    """Scores coloured from low (red) through middle (yellow) to high (green)."""
    sheet.conditional_format(
        1,
        2,
        last_row,
        last_col,
        {
            "type": "3_color_scale",
            "min_color": "#f8696b",
            "mid_color": "#ffeb84",
            "max_color": "#63be7b",
        },
    )
