"""Checking that every quote appears verbatim in the cited paper's text file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .._rulebase.citation import find_papers_dir
from .._rulebase.load import Citation, RuleBase

__all__ = ["all_citations", "find_papers_dir", "verify_citations"]


def verify_citations(rulebase: RuleBase, papers_dir: Path) -> list[str]:
    """Problems with quotes: each must lie within one line of the cited paper's file."""
    problems: list[str] = []
    lines: dict[str, list[str]] = {}
    for key, paper in rulebase.papers.items():
        path = papers_dir / paper.file
        if not path.is_file():
            problems.append(
                f"{path}: paper '{key}' not found; set XBEC_PAPERS_DIR to the folder of paper texts"
            )
            continue
        lines[key] = path.read_text(encoding="utf-8").splitlines()
    for where, cit in all_citations(rulebase):
        text = lines.get(cit.paper)
        if text is not None and not any(cit.quote in line for line in text):
            paper_file = rulebase.papers[cit.paper].file
            problems.append(
                f"{where}.quote: not found verbatim in {paper_file}: {cit.quote[:60]!r}..."
            )
    return problems


def all_citations(rulebase: RuleBase) -> Iterator[tuple[str, Citation]]:
    """Every citation of the rule base, with where it is written."""
    for rule in rulebase.rules:
        for i, cit in enumerate(rule.citations):
            yield f"{rule.source}: {rule.id}: citations[{i}]", cit
    for item in rulebase.frameworks:
        yield f"{item.source}: {item.id}: citation", item.citation
    for fig in rulebase.figures.values():
        yield f"figures.yaml: {fig.id}: citation", fig.citation
    if rulebase.presence is not None:
        yield from rulebase.presence.citations()
    if rulebase.grounded is not None:
        yield "frameworks/grounded_model.yaml: citation", rulebase.grounded.citation
