"""Batch output formats: the comparison table (table, csv, json, jsonl, markdown), the
profile-by-rule matrix, and complete advice as JSON Lines. The workbook (xlsx) is written by
:mod:`.workbook`, the portfolio report (html) by :mod:`xbec_advisor._render.portfolio`.

Ids and error messages come from the input: CSV cells are neutralised against spreadsheet
formulas, Markdown cells escaped, and the human formats show control characters escaped
(:mod:`xbec_advisor._render.escape`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import TextIO

from .._i18n import N_, _, current_language
from .._render.escape import csv_cell, markdown_cell, terminal
from .._rulebase.load import CATEGORIES
from .._rulebase.models import CATEGORY_TITLES
from .scoring import Result

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "STREAMED",
    "matrix",
    "number",
    "summary_table",
    "write_summary",
]

FORMATS = ("table", "csv", "json", "jsonl", "markdown", "xlsx", "html")
#: Formats written only to a file (``-o``): a workbook, a report with a folder beside it.
FILE_FORMATS = ("xlsx", "html")
#: Formats written row by row as results arrive (the others need every row first).
STREAMED = ("csv", "jsonl")
#: The columns of the top platforms: each platform and its score in a column of its own.
_TOP = ("platform_1", "score_1", "platform_2", "score_2", "platform_3", "score_3")


def _columns(influential: bool) -> list[str]:
    return [
        "id",
        "status",
        *_TOP,
        "recommendations",
        "may_apply",
        *CATEGORIES,
        "key_recommendations",
        *(["most_influential_answers"] if influential else []),
        "error",
    ]


def _values(r: Result, influential: bool) -> list[object]:
    """A result's cells, in the order of :func:`_columns`."""
    top: list[object] = []
    for k in range(3):
        top += [r.top[k][0], number(r.top[k][1])] if k < len(r.top) else ["", ""]
    counts: list[object] = (
        [r.counts.get(c, "") for c in CATEGORIES] if r.ok else [""] * len(CATEGORIES)
    )
    return [
        r.id,
        "ok" if r.ok else "error",
        *top,
        len(r.fired) if r.ok else "",
        len(r.maybe) if r.ok else "",
        *counts,
        " ".join(r.key),
        *([" ".join(r.influential)] if influential else []),
        r.error or "",
    ]


def number(value: float) -> float | int:
    """A score as people write it: 2, not 2.0."""
    return int(value) if float(value).is_integer() else value


#: The headers of the human formats (table, Markdown) in words; a category's is its title.
_HEADERS = {
    "id": N_("id"),
    "status": N_("status"),
    "platform_1": N_("platform 1"),
    "score_1": N_("score 1"),
    "platform_2": N_("platform 2"),
    "score_2": N_("score 2"),
    "platform_3": N_("platform 3"),
    "score_3": N_("score 3"),
    "recommendations": N_("recommendations"),
    "may_apply": N_("may apply"),
    "key_recommendations": N_("key recommendations"),
    "most_influential_answers": N_("most influential answers"),
    "error": N_("error"),
}


def _header(key: str) -> str:
    """A column's header for people: its id in words in English (``may apply``), its
    translation otherwise."""
    if current_language() == "en":
        return key.replace("_", " ")
    if key in CATEGORY_TITLES:
        return _(CATEGORY_TITLES[key])
    return _(_HEADERS[key]) if key in _HEADERS else key.replace("_", " ")


def _human(row: dict[str, object]) -> dict[str, object]:
    """A row for people (table, Markdown): platforms by name, headers in words."""
    from .._profile.labels import platform_label

    lang = current_language()
    out: dict[str, object] = {}
    for key, value in row.items():
        if key.startswith("platform_") and isinstance(value, str) and value:
            value = platform_label(value, lang)
        out[_header(key)] = value
    return out


def _row(r: Result, influential: bool = False) -> dict[str, object]:
    influential = influential or bool(r.influential)
    return dict(zip(_columns(influential), _values(r, influential), strict=True))


def _emit(rows: list[dict[str, object]], fmt: str) -> str:
    if fmt in ("json", "jsonl"):
        if fmt == "json":
            return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([csv_cell(c) for c in (list(rows[0]) if rows else ["id"])])
        writer.writerows([csv_cell(v) for v in row.values()] for row in rows)
        return buffer.getvalue()
    from tabulate import tabulate  # only the table formats need it (its import costs about 5 ms)

    people = [_human(row) for row in rows]
    if fmt == "markdown":
        cells = [{markdown_cell(k): _md(v) for k, v in row.items()} for row in people]
        return tabulate(cells, headers="keys", tablefmt="github", disable_numparse=True) + "\n"
    # numbers are not parsed from text: an id such as 1e5 stays as written
    return terminal(
        tabulate(people, headers="keys", tablefmt="simple", disable_numparse=True) + "\n"
    )


def _md(value: object) -> object:
    return markdown_cell(value) if isinstance(value, str) else value


def summary_table(results: Sequence[Result], fmt: str, influential: bool = False) -> str:
    """One row per profile: top platforms, recommendations per category, the key ones, or the error.

    ``influential``: whether the column of most influential answers is present (``--sensitivity``).
    """
    influential = influential or any(r.influential for r in results)
    return _emit([_row(r, influential) for r in results], fmt)


def write_summary(
    results: Iterable[Result], fmt: str, out: TextIO, influential: bool = False
) -> None:
    """:func:`summary_table` in a streamed format (:data:`STREAMED`), written row by row to ``out``.

    ``influential``: whether the column of most influential answers is present (``--sensitivity``).
    """
    if fmt == "jsonl":
        for r in results:
            out.write(json.dumps(_row(r, influential), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_columns(influential))
        for r in results:
            writer.writerow([csv_cell(v) for v in _values(r, influential)])
    else:
        raise ValueError(f"format '{fmt}' cannot be streamed; use one of {', '.join(STREAMED)}")


def matrix(results: Sequence[Result], fmt: str) -> str:
    """Profile by rule: 1 where the rule fired (only rules that fired somewhere are columns)."""
    columns = sorted({rid for r in results for rid in r.fired})
    rows: list[dict[str, object]] = []
    for r in results:
        fired = set(r.fired)
        rows.append(
            {"id": r.id, **{rid: (1 if rid in fired else 0) if r.ok else "" for rid in columns}}
        )
    return _emit(rows, fmt)
