"""Every quote appears verbatim, within one line, in the cited paper; every section exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from xbec_advisor._checks.quotes import verify_citations
from xbec_advisor._rulebase.load import bundled_rulebase

RB = bundled_rulebase()
CITATIONS = [(r.id, i, c) for r in RB.rules for i, c in enumerate(r.citations)]


@pytest.mark.parametrize(
    ("rule_id", "index", "citation"), CITATIONS, ids=[f"{r}::cite{i}" for r, i, _ in CITATIONS]
)
def test_quote_is_verbatim(papers_dir: Path, rule_id: str, index: int, citation: object) -> None:
    paper = RB.papers[citation.paper]  # type: ignore[attr-defined]
    lines = (papers_dir / paper.file).read_text(encoding="utf-8").splitlines()
    assert any(citation.quote in line for line in lines), f"{rule_id}: quote not in {paper.file}"  # type: ignore[attr-defined]


def test_verify_citations_reports_a_forged_quote(papers_dir: Path) -> None:
    rule = RB.rules[0]
    forged = rule.model_copy(
        update={
            "citations": (
                rule.citations[0].model_copy(
                    update={"quote": "This sentence is in no paper at all."}
                ),
            )
        }
    )
    broken = RB.model_copy(update={"rules": (forged,)})
    problems = verify_citations(broken, papers_dir)
    assert len(problems) == 1 and rule.id in problems[0] and "not found verbatim" in problems[0]


def test_every_paper_file_exists(papers_dir: Path) -> None:
    for paper in RB.papers.values():
        assert (papers_dir / paper.file).is_file(), paper.file
