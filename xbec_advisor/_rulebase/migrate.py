"""``xbec-advisor rules migrate DIR``: a rule folder in format 1 rewritten in format 2,
one rule per file.

Each list file ``<category>/<name>.yaml`` becomes one file per rule, ``<category>/<ID>.yaml``
(:func:`.format1.convert_rule`: the same profiles fire), then the list file is removed. Subtrees
equal to a named condition (the folder's own ``conditions.yaml`` and the bundled one) become
``{is: NAME}``. Files already in format 2 are left alone. Nothing is written unless every file
converts, and every file is written whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import XbecError
from .._io.atomic import write_atomic
from .._io.safe_yaml import load_rule_file
from .format1 import convert_rule
from .models import CATEGORIES
from .writer import dump_rule

__all__ = ["Migration", "migrate_folder"]


@dataclass
class Migration:
    """What a migration did (or would do, for a dry run)."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def _named(directories: list[Path]) -> dict[str, Any]:
    named: dict[str, Any] = {}
    for directory in directories:
        path = directory / "conditions.yaml"
        if path.is_file():
            data, _ = load_rule_file(path)
            if isinstance(data, dict):
                for name, entry in data.items():
                    if isinstance(entry, dict) and "when" in entry:
                        named.setdefault(str(name), entry["when"])
    return named


def _plan(directory: Path, named: dict[str, Any]) -> tuple[dict[Path, str], Migration]:
    plan: dict[Path, str] = {}
    report = Migration()
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and p.name in CATEGORIES):
        for path in sorted(folder.glob("*.yaml")):
            data, _ = load_rule_file(path)
            if not isinstance(data, list):
                report.unchanged.append(path)
                continue
            for index, raw in enumerate(data):
                if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                    raise XbecError(f"{path}: rule #{index + 1} has no id; fix it before migrating")
                target = folder / f"{raw['id']}.yaml"
                if target in plan or (target.exists() and target != path):
                    raise XbecError(
                        f"{path}: {raw['id']}: {target} exists already; rule ids must be unique"
                    )
                plan[target] = dump_rule(convert_rule(raw, named))
            report.removed.append(path)
    return plan, report


def migrate_folder(
    directory: Path, bundled: Path | None = None, dry_run: bool = False
) -> Migration:
    """Rewrite the format-1 rule files of ``directory`` in format 2 (see the module's docstring).

    ``bundled``: another rule folder whose named conditions may be used (the bundled rules).
    """
    if not directory.is_dir():
        raise XbecError(f"{directory}: not a directory of rules")
    named = _named([directory, *([bundled] if bundled is not None else [])])
    plan, report = _plan(directory, named)
    report.written = sorted(plan)
    if dry_run:
        return report
    for target, text in plan.items():
        write_atomic(target, text)
    for path in report.removed:
        if path not in plan:
            path.unlink()
    return report
