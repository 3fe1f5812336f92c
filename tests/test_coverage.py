"""The knowledge base covers the five papers: every advice-giving section, every category."""

from __future__ import annotations

from click.testing import CliRunner

from xbec_advisor._checks.sections import coverage
from xbec_advisor._cli import main
from xbec_advisor._rulebase.load import CATEGORIES, bundled_rulebase

RB = bundled_rulebase()


def test_every_advice_giving_section_is_cited_by_a_rule() -> None:
    gaps = [f"{r.paper} §{r.section}" for r in coverage(RB) if r.gap]
    assert gaps == []


def test_size_and_spread_of_the_rule_base() -> None:
    assert len(RB.rules) >= 120
    for paper in RB.papers:
        assert sum(any(c.paper == paper for c in r.citations) for r in RB.rules) >= 15, paper
    assert {r.category for r in RB.rules} == set(CATEGORIES)


def test_every_rule_names_its_grounded_model_categories() -> None:
    assert RB.grounded is not None
    missing = [r.id for r in RB.rules if not r.concepts]
    assert missing == []


def test_frameworks_and_figures_are_present() -> None:
    frameworks = {i.framework for i in RB.frameworks}
    assert frameworks == {"pest", "swot", "operation_models", "marketing_models"}
    assert len([i for i in RB.frameworks if i.framework == "marketing_models"]) == 5
    assert {i.group for i in RB.frameworks if i.framework == "swot"} == {
        "strength",
        "weakness",
        "opportunity",
        "threat",
        "SO",
        "WO",
        "ST",
        "WT",
    }
    assert len(RB.figures) >= 10 and all(f.used_by for f in RB.figures.values())


def test_coverage_command() -> None:
    result = CliRunner().invoke(main, ["rules", "coverage"])
    assert result.exit_code == 0, result.output
    for key in RB.papers:
        assert key in result.output
    assert "cited by no rule: none" in result.output


def test_rule_catalogue_is_up_to_date() -> None:
    from pathlib import Path

    from xbec_advisor._rulebase.catalogue import catalogue

    path = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert path.read_text() == catalogue(RB), (
        "docs/rules.md is stale: run `xbec-advisor rules catalogue --output docs/rules.md`"
    )
