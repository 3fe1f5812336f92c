"""The client sheet to fill (``xbec-advisor template``): one column per profile field.

The headers are the fields' labels (``rules/vocabulary.yaml``), after an ``ID`` and a ``Name``
column; the example row is a real case (the French cosmetics brand entering China through
Tmall Global, ``scenarios/french-cosmetics-tmall-global.yaml``) written in the same words a
person would type. In XLSX each header carries its question as a comment, each choice and
yes/no column a drop-down list, each list column an input message, and a "How to fill" sheet
explains every column; the CSV template is the header and the example row, in UTF-8 with a
BOM so that Excel reads its accents right. What the template holds is read back by
``xbec-advisor score`` unchanged (:mod:`xbec_advisor._profile.matching`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from .._i18n import N_, _, current_language
from .._profile.labels import field_label, question, value_label
from .._profile.model import FieldSpec, field_specs

__all__ = [
    "EXAMPLE",
    "EXAMPLE_ID",
    "EXAMPLE_NAME",
    "Column",
    "columns",
    "csv_template",
    "xlsx_template",
]

EXAMPLE_ID = "example-1"
EXAMPLE_NAME = N_("Example: French cosmetics brand")
#: The example row's answers (the bundled scenario french-cosmetics-tmall-global; a test keeps
#: them equal).
EXAMPLE: dict[str, object] = {
    "business_model": "B2C",
    "trade_direction": "export",
    "home_country": "FR",
    "target_region": "china",
    "target_countries": ["CN"],
    "product_category": "beauty_personal_care",
    "brand_status": "registered_international",
    "content_capability": "short_video",
    "current_platforms": ["own_website"],
    "firm_size": "medium",
    "team_languages": ["fr", "en"],
    "years_cross_border": 6,
    "price_positioning": "premium",
    "overseas_retail_entity": True,
    "knows_local_regulations": False,
    "logistics_modes": ["bonded_warehouse"],
    "logistics_tracking": True,
    "payment_modes": ["credit_card"],
    "marketing_team": "domestic",
    "risks": ["payment_fraud"],
    "primary_goal": "market_entry",
}
_HEADER_COLOUR = "#DDEBF7"


@dataclass(frozen=True)
class Column:
    """One column of the template: its header, field id, question, and how to fill it."""

    header: str
    field: str
    question: str
    spec: FieldSpec | None

    @property
    def choices(self) -> list[str]:
        """The labels a drop-down offers (none for free text, numbers and lists)."""
        if self.spec is None or self.spec.is_list:
            return []
        lang = current_language()
        if self.spec.kind == "bool":
            return [value_label(self.field, True, lang), value_label(self.field, False, lang)]
        return [value_label(self.field, v, lang) for v in self.spec.values]

    def allowed(self) -> str:
        """What the column accepts, in words (the "How to fill" sheet)."""
        spec = self.spec
        lang = current_language()
        if spec is None:
            return (
                _("free text (names the row in the results)")
                if self.field == "id"
                else _("free text")
            )
        if spec.kind == "bool":
            return _("yes or no")
        if spec.kind == "number":
            return spec.expected()
        if spec.kind in ("country", "country_list"):
            what = _("a country: ISO code (FR, FRA) or name (France)")
        elif spec.kind == "language_list":
            what = _("a language: ISO code (fr) or name (French)")
        else:
            what = _("one of: {values}").format(
                values="; ".join(value_label(self.field, v, lang) for v in spec.values)
            )
        return (
            _("one or more, separated by ';'. Each {what}").format(what=what)
            if spec.is_list
            else what
        )

    def example(self) -> object:
        """The example row's cell."""
        lang = current_language()
        if self.field == "id":
            return EXAMPLE_ID
        if self.field == "name":
            return _(EXAMPLE_NAME)
        value = EXAMPLE.get(self.field)
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(value_label(self.field, v, lang) for v in value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return value_label(self.field, value, lang)


def columns() -> list[Column]:
    """The template's columns: ID, Name, then every profile field in the model's order, headed
    and explained in the current language (``score`` reads the headers of either language)."""
    lang = current_language()
    out = [
        Column(_("ID"), "id", _("A short reference for the client (unique in the sheet)."), None),
        Column(_("Name"), "name", _("The client's name."), None),
    ]
    for name, spec in field_specs().items():
        out.append(Column(field_label(name, lang), name, question(name, lang), spec))
    return out


def csv_template() -> bytes:
    """The CSV template: header and example row, UTF-8 with a BOM (Excel's "CSV UTF-8")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cols = columns()
    writer.writerow([c.header for c in cols])
    writer.writerow([c.example() for c in cols])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_template() -> bytes:
    """The XLSX template: a Clients sheet to fill, a "How to fill" sheet, a hidden Lists sheet
    that the drop-downs read."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format(
        {"bold": True, "bg_color": _HEADER_COLOUR, "text_wrap": True, "valign": "top"}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(_("Clients"))
    guide = book.add_worksheet(_("How to fill"))
    lists = book.add_worksheet("Lists")
    cols = columns()
    last = 1000  # rows with drop-downs and input messages
    list_col = 0
    for i, col in enumerate(cols):
        sheet.write_string(0, i, col.header, head)
        sheet.write_comment(0, i, col.question, {"x_scale": 2, "y_scale": 1.5})
        example = col.example()
        if isinstance(example, int | float):
            sheet.write_number(1, i, example)
        else:
            sheet.write_string(1, i, str(example))
        sheet.set_column(i, i, max(12, min(30, len(col.header) + 2)))
        choices = col.choices
        if choices:
            for r, label in enumerate(choices):
                lists.write_string(r + 1, list_col, label)
            lists.write_string(0, list_col, col.header)
            letter = xlsxwriter.utility.xl_col_to_name(list_col)
            sheet.data_validation(
                1,
                i,
                last,
                i,
                {
                    "validate": "list",
                    "source": f"=Lists!${letter}$2:${letter}${len(choices) + 1}",
                    "error_title": col.header[:32],
                    "error_message": _("Pick a value from the list (see the How to fill sheet)."),
                },
            )
            list_col += 1
        elif col.spec is not None and (col.spec.is_list or col.spec.kind == "country"):
            sheet.data_validation(
                1,
                i,
                last,
                i,
                {
                    "validate": "any",
                    "input_title": col.header[:32],
                    "input_message": _input_message(col),
                },
            )
    sheet.freeze_panes(1, 2)
    sheet.set_row(0, 45)
    lists.hide()
    _guide(guide, cols, head, wrap)
    book.close()
    return buffer.getvalue()


def _input_message(col: Column) -> str:
    spec = col.spec
    assert spec is not None
    if spec.kind in ("country", "country_list"):
        text = _("ISO codes (FR, FRA) or names (France)")
    elif spec.kind == "language_list":
        text = _("ISO codes (fr) or names (French)")
    else:
        text = _("Values from the How to fill sheet")
    if spec.is_list:
        text += _("; separate several with ';'")
    return text[:255]


def _guide(sheet: Any, cols: list[Column], head: Any, wrap: Any) -> None:
    """The "How to fill" sheet: a row per column."""
    titles = (_("Column"), _("Field id"), _("Question"), _("Allowed values"))
    widths = (30, 24, 60, 70)
    for i, (title, width) in enumerate(zip(titles, widths, strict=True)):
        sheet.write_string(0, i, title, head)
        sheet.set_column(i, i, width, wrap)
    for r, col in enumerate(cols, start=1):
        for i, text in enumerate((col.header, col.field, col.question, col.allowed())):
            sheet.write_string(r, i, text, wrap)
    note = _(
        "Fill one row per client in the Clients sheet. Leave a cell empty when the answer is "
        "not known; write 'none' in a list column for an empty list. Values may also be given "
        "by their ids (B2C, north_america). Then run: xbec-advisor score clients.xlsx"
    )
    sheet.write_string(len(cols) + 2, 0, note)
    sheet.freeze_panes(1, 0)
