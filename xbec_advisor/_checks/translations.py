"""Translations in ``rules check``: a missing or empty Chinese text is an error, a stale one
(its English changed after it was written) a warning. A Chinese text in the wrong shape is
already refused when the rule base is loaded."""

from __future__ import annotations

from pathlib import Path

from .._rulebase.models import CATEGORIES
from .._rulebase.translations import Finding, findings

__all__ = ["check_translations", "folder_findings"]


def folder_findings(directories: tuple[str, ...] | list[Path]) -> list[Finding]:
    """What is missing, empty, stale or invalid in the Chinese of these rule folders."""
    problems: list[str] = []  # unreadable files: already refused when loading
    out: list[Finding] = []
    for directory in directories:
        out += findings(Path(directory), tuple(CATEGORIES), problems)[1]
    return out


def check_translations(directories: tuple[str, ...] | list[Path]) -> tuple[list[str], list[str]]:
    """(errors, warnings) about the Chinese texts of the rule folders."""
    found = folder_findings(directories)
    errors = [f"translation: {f}" for f in found if f.kind in ("missing", "empty", "invalid")]
    warnings = [f"translation: {f}" for f in found if f.kind == "stale"]
    return errors, warnings
