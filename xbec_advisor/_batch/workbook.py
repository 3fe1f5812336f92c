"""``score --format xlsx``: a workbook for consultants, written row by row as results arrive.

Sheets: *Summary* (one row per firm: best and second platform with their scores, the first
actions in priority order, recommendations per area, status), *Recommendations* (long form: one
row per firm and recommendation, with its priority, horizon, title and sources), *Platforms*
(firm by platform scores, colour-scaled) and *Errors* (the firms that could not be scored, and
why). Headers are in words; every sheet has a frozen header row and first column, a filter and
column widths fitted to what was written.

Memory stays flat however many firms: the streaming writer of :mod:`.xlsx` writes each row to a
temporary file as it comes, strings inline (no shared-string table), and the platform columns
are known before the first firm (the ranked platforms). A sheet past Excel's 1,048,576 rows goes
on in a sheet of the same name numbered 2, 3...

Every text is written as text (an inline string: never a formula, a number or a link), and text
that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading quote exactly as
in CSV (:func:`xbec_advisor._render.escape.csv_cell`), so that it stays inert when the sheet is
saved again as CSV.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from typing import IO

from .._advice.priority import HORIZON_OF
from .._i18n import N_, _, current_language
from .._profile.labels import field_label, platform_label
from .._profile.model import RANKED_PLATFORMS
from .._render.escape import csv_cell
from .._rulebase.frameworks import fill_figures
from .._rulebase.load import CATEGORIES, RuleBase
from .._rulebase.models import CATEGORY_TITLES
from .outputs import number
from .scoring import Result
from .xlsx import StreamBook, StreamSheet

__all__ = ["ACTIONS", "MAX_SHEET_ROWS", "ScoreWorkbook"]

#: Excel's rows per sheet, the header included.
MAX_SHEET_ROWS = 1_048_576
#: Longest text of a cell (Excel's limit).
MAX_CELL_CHARS = 32_767
#: Actions named in the Summary sheet (the first ones in priority order, platform choice aside:
#: the best platforms have columns of their own), as in the one-screen summary.
ACTIONS = (N_("First action"), N_("Second action"), N_("Third action"))
_MIN_WIDTH, _MAX_WIDTH = 8, 60
#: The Platforms sheet's scores, coloured from low (red) through middle (yellow) to high (green).
_SCALE = ("#f8696b", "#ffeb84", "#63be7b")


def cell_text(value: str) -> str:
    """Text for a cell: formula-looking text neutralised as in CSV, cut to Excel's limit."""
    text = str(csv_cell(value))
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class _Sheet:
    """One table, written row by row: its header, widths fitted to what was written, a filter
    and frozen panes; continued on a new sheet past :data:`MAX_SHEET_ROWS` rows."""

    def __init__(
        self, book: StreamBook, name: str, headers: Sequence[str], colour_scale: bool = False
    ) -> None:
        self.book, self.name, self.headers = book, name, list(headers)
        self.colour_scale = colour_scale
        self.parts: list[StreamSheet] = []
        self._open()

    def _open(self) -> None:
        if self.parts:
            self._close_part()
        number = len(self.parts) + 1
        self.sheet = self.book.add_sheet(
            self.name if number == 1 else f"{self.name} {number}", self.headers, cell_text
        )
        self.parts.append(self.sheet)

    def add(self, values: Sequence[object]) -> None:
        """One row: text as text (neutralised), numbers as numbers, None left empty."""
        if self.sheet.rows >= MAX_SHEET_ROWS:
            self._open()
        self.sheet.add(values)

    def _close_part(self) -> None:
        sheet = self.sheet
        sheet.column_widths = [max(_MIN_WIDTH, min(w, _MAX_WIDTH)) + 2 for w in sheet.widths]
        if self.colour_scale and sheet.rows > 1:
            sheet.colour_scale = (1, 2, sheet.rows - 1, len(self.headers) - 1, _SCALE)

    def close(self) -> None:
        self._close_part()


class ScoreWorkbook:
    """The workbook of a batch, written to ``out`` (a seekable binary file) as results come:
    :meth:`add` each result, then :meth:`close` (which writes the file). Used as a context
    manager, it removes its temporary files (the rows written so far) however the block ends.
    """

    def __init__(self, out: IO[bytes], rulebase: RuleBase, influential: bool = False) -> None:
        self._temp = tempfile.TemporaryDirectory(prefix="xbec-xlsx-")
        self.book = StreamBook(out, self._temp.name, header_fill="#dde6ef")
        self.influential = influential
        self.rules = {r.id: r for r in rulebase.rules}
        self.rule_cells: dict[str, tuple[str, str, str, str, str]] = {}
        self.lang = lang = current_language()
        self.titles = {
            r.id: fill_figures(r.text_in("title", lang), rulebase.figures, lang)
            for r in rulebase.rules
        }
        summary = [
            _("Firm"),
            _("Name"),
            _("Status"),
            _("Best platform"),
            _("Best score"),
            _("Second platform"),
            _("Second score"),
            *(_(action) for action in ACTIONS),
            _("Recommendations"),
            _("May apply"),
            *(_(CATEGORY_TITLES[c]) for c in CATEGORIES),
            *([_("Most influential answers")] if influential else []),
        ]
        self.summary = _Sheet(self.book, _("Summary"), summary)
        self.recommendations = _Sheet(
            self.book,
            _("Recommendations"),
            [
                _("Firm"),
                _("Rule"),
                _("Category"),
                _("Priority"),
                _("Horizon"),
                _("Title"),
                _("Paper"),
                _("Section"),
            ],
        )
        self.platforms = _Sheet(
            self.book,
            _("Platforms"),
            [_("Firm"), _("Name"), *(platform_label(p, lang) for p in RANKED_PLATFORMS)],
            colour_scale=True,
        )
        self.errors = _Sheet(self.book, _("Errors"), [_("Firm"), _("Error")])

    def add(self, r: Result) -> None:
        """One firm's rows in every sheet it belongs to."""
        if not r.ok:
            self.summary.add([r.id, r.name, "error"])
            self.errors.add([r.id, r.error or ""])
            return
        top: list[object] = []
        for k in range(2):
            top += (
                [platform_label(r.top[k][0], self.lang), number(r.top[k][1])]
                if k < len(r.top)
                else [None] * 2
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
                *(
                    [", ".join(field_label(f, self.lang) for f in r.influential)]
                    if self.influential
                    else []
                ),
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
                _(CATEGORY_TITLES.get(rule.category, rule.category)),
                _(HORIZON_OF.get(rule.category, "later")),
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
        self.book.discard()
        self._temp.cleanup()


def _score(found: tuple[float | None, bool] | None) -> object:
    """A platform's cell: its score, "excluded", or empty when it is not scored."""
    if found is None:
        return None
    score, eligible = found
    if not eligible:
        return "excluded"
    return None if score is None else number(score)
