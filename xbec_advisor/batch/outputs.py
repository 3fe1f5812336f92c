"""Batch output formats: the comparison table (table, csv, json, jsonl, markdown), the
profile-by-rule matrix, and complete advice as JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from tabulate import tabulate

from ..rulebase import CATEGORIES
from .scoring import Result

__all__ = ["FORMATS", "matrix", "summary_table"]

FORMATS = ("table", "csv", "json", "jsonl", "markdown")
_SHORT = {"platform": "plat", "localization": "loc", "logistics": "log", "payment": "pay", "marketing": "mkt",
          "compliance": "comp", "trust": "tru", "team": "team", "supply_chain": "sup", "product": "prod", "customer_service": "cs"}


def _row(r: Result) -> dict[str, object]:
    row: dict[str, object] = {"id": r.id, "status": "ok" if r.ok else "error"}
    for i in range(3):
        row[f"top_{i + 1}"] = f"{r.top[i][0]} ({r.top[i][1]})" if i < len(r.top) else ""
    row["recommendations"] = len(r.fired) if r.ok else ""
    for category in CATEGORIES:
        row[_SHORT[category]] = r.counts.get(category, "") if r.ok else ""
    row["key_recommendations"] = " ".join(r.key)
    if r.influential:
        row["most_influential_answers"] = " ".join(r.influential)
    row["error"] = r.error or ""
    return row


def _emit(rows: list[dict[str, object]], fmt: str) -> str:
    if fmt in ("json", "jsonl"):
        if fmt == "json":
            return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    return tabulate(rows, headers="keys", tablefmt="github" if fmt == "markdown" else "simple") + "\n"


def summary_table(results: Sequence[Result], fmt: str) -> str:
    """One row per profile: top platforms, recommendations per category, the key ones, or the error."""
    rows = [_row(r) for r in results]
    if any(r.influential for r in results):
        for row in rows:
            row.setdefault("most_influential_answers", "")
    return _emit(rows, fmt)


def matrix(results: Sequence[Result], fmt: str) -> str:
    """Profile by rule: 1 where the rule fired (only rules that fired somewhere are columns)."""
    columns = sorted({rid for r in results for rid in r.fired})
    rows: list[dict[str, object]] = []
    for r in results:
        fired = set(r.fired)
        rows.append({"id": r.id, **{rid: (1 if rid in fired else 0) if r.ok else "" for rid in columns}})
    return _emit(rows, fmt)
