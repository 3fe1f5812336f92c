"""The knowledge base's models: rules, their citations and examples, papers, the rule base.

:mod:`xbec_advisor._rulebase.load` loads them from ``rules/`` and is where the public names live.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .._errors import XbecError, did_you_mean
from .._profile.model import Profile
from .conditions import Condition, split_facts
from .frameworks import Figure, FrameworkItem, GroundedModel

__all__ = ["CATEGORIES", "MAX_QUOTE", "Category", "Citation", "Example", "Paper", "Rule", "RuleBase"]

CATEGORIES: dict[str, str] = {
    "platform": "PLAT", "localization": "LOC", "logistics": "LOG", "payment": "PAY",
    "marketing": "MKT", "compliance": "COMP", "trust": "TRU", "team": "TEAM",
    "supply_chain": "SUP", "product": "PROD", "customer_service": "CS",
}
Category = Literal[
    "platform", "localization", "logistics", "payment", "marketing", "compliance", "trust",
    "team", "supply_chain", "product", "customer_service",
]
MAX_QUOTE = 300


class Citation(BaseModel):
    """A verbatim quote from a section of one of the papers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    paper: str
    section: str
    quote: str = Field(min_length=10, max_length=MAX_QUOTE)


class Example(BaseModel):
    """A profile on which a rule must fire, or stay silent."""

    model_config = ConfigDict(frozen=True)
    name: str
    expect: Literal["fire", "silent"]
    profile: Profile


class Rule(BaseModel):
    """One piece of advice with the conditions under which it applies and its sources."""

    model_config = ConfigDict(frozen=True)
    id: str
    category: Category
    title: str
    advice: str
    rationale: str
    when: Condition
    derives: tuple[str, ...] = ()
    platforms: dict[str, int] = {}
    excludes: dict[str, str] = {}
    citations: tuple[Citation, ...]
    assumptions: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    examples: tuple[Example, ...]
    source: str = ""

    @property
    def needs(self) -> tuple[str, ...]:
        """The derived facts this rule requires."""
        return split_facts(self.when)[0]


class Paper(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    file: str
    title: str
    authors: tuple[str, ...] = ()
    affiliation: str = ""
    year: int | None = None
    year_note: str = ""
    no_advice: tuple[str, ...] = ()
    sections: dict[str, str]

    @property
    def advice_sections(self) -> list[str]:
        """The sections that give advice or platform facts (all but ``no_advice``)."""
        return [s for s in self.sections if s not in self.no_advice]


class RuleBase(BaseModel):
    """The validated rule base: rules sorted by id, papers and derived-fact meanings."""

    model_config = ConfigDict(frozen=True)
    rules: tuple[Rule, ...]
    papers: dict[str, Paper]
    facts: dict[str, str]
    grounded: GroundedModel | None = None
    frameworks: tuple[FrameworkItem, ...] = ()
    figures: dict[str, Figure] = {}
    directories: tuple[str, ...] = ()

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        hint = did_you_mean(rule_id, [r.id for r in self.rules])
        raise XbecError(f"no rule with id '{rule_id}'{hint}; `xbec-advisor rules list` shows them all")
