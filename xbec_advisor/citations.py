"""Checking that every quote appears verbatim in the cited paper's text file."""

from __future__ import annotations

import os
from pathlib import Path

from .rulebase import RuleBase

__all__ = ["find_papers_dir", "verify_citations"]


def find_papers_dir(start: Path | None = None) -> Path | None:
    """The folder of paper texts: $XBEC_PAPERS_DIR, else ../shared/papers above the project."""
    env = os.environ.get("XBEC_PAPERS_DIR")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for base in (here, *here.parents, Path(__file__).resolve().parent.parent, *Path(__file__).resolve().parents):
        candidate = base.parent / "shared" / "papers"
        if candidate.is_dir():
            return candidate
    return None


def verify_citations(rulebase: RuleBase, papers_dir: Path) -> list[str]:
    """Problems with quotes: each must lie within one line of the cited paper's file."""
    problems: list[str] = []
    lines: dict[str, list[str]] = {}
    for key, paper in rulebase.papers.items():
        path = papers_dir / paper.file
        if not path.is_file():
            problems.append(f"{path}: paper '{key}' not found; set XBEC_PAPERS_DIR to the folder of paper texts")
            continue
        lines[key] = path.read_text(encoding="utf-8").splitlines()
    for rule in rulebase.rules:
        for i, cit in enumerate(rule.citations):
            text = lines.get(cit.paper)
            if text is None:
                continue
            if not any(cit.quote in line for line in text):
                problems.append(f"{rule.source}: {rule.id}: citations[{i}].quote: not found verbatim in "
                                f"{rulebase.papers[cit.paper].file}: {cit.quote[:60]!r}...")
    return problems
