"""``xbec-advisor rules translations``: what is missing, empty or stale in the Chinese texts of
the rule base, and ``--stamp`` to write the hash of the English into each complete translation."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from tabulate import tabulate

from .._io.paths import default_rules_dir
from .._rulebase.models import CATEGORIES
from .._rulebase.stamp import stamp_units
from .._rulebase.translations import Finding, findings
from .._rulebase.units import Unit
from .common import echo, reports_errors

__all__ = ["translations_cmd"]

_KINDS = ("missing", "empty", "stale", "invalid")


def _scan(dirs: list[Path]) -> tuple[list[Unit], list[Finding], list[str]]:
    units: list[Unit] = []
    found: list[Finding] = []
    problems: list[str] = []
    for directory in dirs:
        more, wrong = findings(directory, tuple(CATEGORIES), problems)
        units += more
        found += wrong
    return units, found, problems


def _group(unit: Unit) -> str:
    """A data file, or a category's rule files together (``rules/payment/*.yaml``)."""
    return str(Path(unit.where).parent / "*.yaml") if unit.kind == "rule" else unit.where


def _table(units: list[Unit], found: list[Finding]) -> str:
    totals = Counter(_group(u) for u in units)
    bad = {kind: Counter(_group(f.unit) for f in found if f.kind == kind) for kind in _KINDS}
    incomplete = Counter(_group(u) for u in {f.unit for f in found if f.kind != "stale"})
    rows = [
        [file, total, total - incomplete[file], *(bad[k][file] for k in _KINDS)]
        for file, total in sorted(totals.items())
    ]
    rows.append(
        [
            "total",
            len(units),
            len(units) - sum(incomplete.values()),
            *(sum(bad[k].values()) for k in _KINDS),
        ]
    )
    return tabulate(rows, headers=["file", "units", "complete", *_KINDS], tablefmt="simple")


@click.command("translations")
@click.option(
    "--lang",
    type=click.Choice(["zh"]),
    default="zh",
    show_default=True,
    help="The language of the translations (Simplified Chinese).",
)
@click.option(
    "--stamp",
    is_flag=True,
    help="Write `of:` (the hash of the English) into each complete translation that has none.",
)
@click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A rule folder to look at (repeatable; default: the bundled rules).",
)
@reports_errors
def translations_cmd(lang: str, stamp: bool, rules_dirs: tuple[Path, ...]) -> None:
    """List the missing, empty and stale Chinese texts of the rule base (counts per file, then
    each one); with --stamp, first write the hash of the English into every complete
    translation without one (a line inserted in place, the file written atomically).

    A translation is stale when its `of:` differs from the hash of the current English: review
    the Chinese, delete its `of:` line and stamp again. Exits 1 while anything is missing,
    empty, invalid or stale.
    """
    del lang  # the only language besides English, for now
    dirs = list(rules_dirs) or [default_rules_dir()]
    units, found, problems = _scan(dirs)
    if stamp:
        done, failed = stamp_units(units)
        for problem in failed:
            echo(f"error: {problem}", err=True)
        echo(f"stamped {done} translation(s)", err=True)
        units, found, problems = _scan(dirs)
    for problem in problems:
        echo(f"error: {problem}", err=True)
    echo(_table(units, found))
    for finding in found:
        echo(f"{finding.kind}: {finding}")
    unstamped = sum(1 for u in units if u.zh is not None and u.of is None)
    if unstamped and not stamp:
        echo(f"{unstamped} translation(s) without `of:`: run with --stamp", err=True)
    if found or problems:
        sys.exit(1)
