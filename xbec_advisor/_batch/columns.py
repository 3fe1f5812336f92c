"""A table's header matched to the profile's fields once per file, and its rows turned into items.

Headers match fields by id, label or question (:mod:`xbec_advisor._profile.matching`); ``id``
and ``name`` columns name the firm. A header problem (an unknown column, two columns for one
field, too many columns) is reported once, as the file's only item; ``ignore_extra`` ignores
unknown columns instead, with one warning. Each row's cells are matched to the fields' values
(ids or labels, yes/no, country and language names); a cell that does not match fails its row
alone, naming the row, the column and the closest allowed values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._errors import shown
from .._i18n import _, current_language
from .._profile.labels import field_label
from .._profile.matching import column_suggestions, match_column
from .._profile.model import FieldSpec, field_specs
from .items import Item, split_id

__all__ = ["MAX_CELL_CHARS", "MAX_COLUMNS", "Columns", "Warn", "map_header", "row_item"]

#: Most columns of a table (a profile has 31 fields, and id and name).
MAX_COLUMNS = 100
#: Longest cell of a spreadsheet (Excel's own limit); CSV cells have :mod:`csv`'s.
MAX_CELL_CHARS = 32_767

Warn = Callable[[str], None]
"""Where a reader's warnings go (one line each): an assumed encoding, ignored columns."""


@dataclass(frozen=True)
class Columns:
    """What each column of a table holds: a field id, ``id``, ``name``, or None (ignored)."""

    headers: tuple[str, ...]
    fields: tuple[str | None, ...]


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def map_header(
    path: Path, row: Sequence[object], ignore_extra: bool = False, warn: Warn | None = None
) -> Columns | Item:
    """The columns of a header row, or one failed item naming every column that is wrong."""
    headers = tuple(_text(cell) for cell in row)
    while headers and not headers[-1]:
        headers = headers[:-1]  # a spreadsheet's empty columns on the right
    if len(headers) > MAX_COLUMNS:
        return Item(
            id=str(path),
            error=_(
                "{path}: {count} columns; the limit is {limit} (a column per profile field, id "
                "and name)"
            ).format(path=path, count=f"{len(headers):,}", limit=MAX_COLUMNS),
        )
    fields: list[str | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    problems: list[str] = []
    for header in headers:
        field = match_column(header) if header else None
        if header and field is None:
            unknown.append(header)
        elif field is not None and field in seen:
            problems.append(
                _("the column {header} appears twice; each field has one column").format(
                    header=shown(header)
                )
                if seen[field] == header
                else _("the columns {first} and {second} are both {field}; keep one").format(
                    first=shown(seen[field]), second=shown(header), field=field
                )
            )
            field = None
        elif field is not None:
            seen[field] = header
        fields.append(field)
    if unknown and not ignore_extra:
        specs = field_specs()
        lang = current_language()
        for header in unknown:
            near = column_suggestions(header)
            named = [f"{shown(field_label(n, lang))} ({n})" if n in specs else n for n in near]
            hint = (
                _(" (did you mean {choices}?)").format(choices=_(" or ").join(named))
                if near
                else ""
            )
            problems.append(
                _("unknown column {header}{hint}").format(header=shown(header), hint=hint)
            )
        problems.append(
            _(
                "columns are field ids, labels or questions (`xbec-advisor template` writes "
                "them); --ignore-extra skips unknown columns"
            )
        )
    if problems:
        return Item(
            id=str(path),
            error=_("{path}: header: {problems}").format(path=path, problems="; ".join(problems)),
        )
    if unknown and warn is not None:
        names = ", ".join(shown(h) for h in unknown)
        warn(
            _("{path}: ignored {count} unknown column(s): {names}").format(
                path=path, count=len(unknown), names=names
            )
        )
    return Columns(headers=headers, fields=tuple(fields))


def _value(specs: dict[str, FieldSpec], field: str, cell: object) -> object:
    if field in ("id", "name"):
        return _text(cell)
    if isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(
            _("a date or time ({cell}); expected {expected}").format(
                cell=cell, expected=specs[field].expected()
            )
        )
    return specs[field].from_cell(cell)


def row_item(columns: Columns, where: str, cells: Sequence[object]) -> Item:
    """The item of one row (``where``: ``file:ROW``): its answers, or every cell that is wrong."""
    extra = [c for c in cells[len(columns.fields) :] if _text(c)]
    if extra:
        return Item(
            id=where,
            error=_(
                "{where}: {cells} cells but the header has {columns} columns (a cell holding the "
                "separator should be quoted)"
            ).format(
                where=where, cells=len(columns.fields) + len(extra), columns=len(columns.fields)
            ),
        )
    data: dict[str, object] = {}
    problems: list[str] = []
    specs = field_specs()
    for header, field, cell in zip(columns.headers, columns.fields, cells, strict=False):
        if field is None or _text(cell) == "":
            continue
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            problems.append(
                _("column {header}: a cell of {size} characters; the limit is {limit}").format(
                    header=shown(header), size=f"{len(cell):,}", limit=f"{MAX_CELL_CHARS:,}"
                )
            )
            continue
        try:
            data[field] = _value(specs, field, cell)
        except ValueError as exc:
            problems.append(
                _("column {header}: {problem}").format(
                    header=shown(header), problem=shown(str(exc), 400, quote=False)
                )
            )
    if problems:
        named = split_id({k: v for k, v in data.items() if k in ("id", "name")}, where)
        rid = where if named.error is not None else named.id
        prefix = where if rid == where else f"{rid} ({where})"
        return Item(id=rid, error=f"{prefix}: " + "; ".join(problems))
    return split_id(data, where)
