"""The knowledge base's models: rules, named conditions, examples, papers, the rule base.

:mod:`.load` builds them from ``rules/`` (see ``docs/rule-format.md``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .._errors import XbecError, did_you_mean
from .._i18n import N_, _, using
from .._profile.labels import platform_label
from .._profile.model import DERIVED_FIELDS, Profile
from .citation import MAX_QUOTE, Citation
from .conditions import Condition, facts_used, fields_read
from .frameworks import Figure, FrameworkItem, GroundedModel
from .lang import Translated, pick, pick_list
from .presence import Presence

__all__ = [
    "CATEGORIES",
    "CATEGORY_TITLES",
    "MAX_QUOTE",
    "Category",
    "Citation",
    "Example",
    "NamedCondition",
    "Paper",
    "Rule",
    "RuleBase",
    "weight_sentence",
]

#: Each category (a folder of ``rules/``) and the prefix of its rule ids.
CATEGORIES: dict[str, str] = {
    "platform": "PLAT",
    "localization": "LOC",
    "logistics": "LOG",
    "payment": "PAY",
    "marketing": "MKT",
    "compliance": "COMP",
    "trust": "TRU",
    "team": "TEAM",
    "supply_chain": "SUP",
    "product": "PROD",
    "customer_service": "CS",
}
#: Each category's title, in the order the advice presents them (the order of :data:`CATEGORIES`).
CATEGORY_TITLES: dict[str, str] = {
    "platform": N_("Platform choice"),
    "localization": N_("Localization"),
    "logistics": N_("Logistics"),
    "payment": N_("Payment"),
    "marketing": N_("Marketing"),
    "compliance": N_("Compliance"),
    "trust": N_("Trust and credit"),
    "team": N_("Team and talent"),
    "supply_chain": N_("Supply chain"),
    "product": N_("Product"),
    "customer_service": N_("Customer service"),
}
Category = Literal[
    "platform",
    "localization",
    "logistics",
    "payment",
    "marketing",
    "compliance",
    "trust",
    "team",
    "supply_chain",
    "product",
    "customer_service",
]


class Example(BaseModel):
    """A profile on which a rule must fire (or a named condition hold), or not."""

    model_config = ConfigDict(frozen=True)
    name: str
    #: fire: the rule fires (a named condition holds); silent: it does not; may: the rule may
    #: also apply (its outcome depends on questions the profile leaves unanswered).
    expect: Literal["fire", "silent", "may"]
    profile: Profile


def weight_sentence(platform: str, points: int, why: str = "", lang: str | None = None) -> str:
    """The assumption stated for a platform weight (generated from ``platforms:``, never
    written), in ``lang`` (None: the current language); ``why`` in the same language."""
    with using(lang) as chosen:
        label = platform_label(platform, chosen)
        text = _("The weight of {points} for {platform} is ours; the papers give no weights.")
        text = text.format(points=f"{points:+d}", platform=label)
    return f"{text} {why}" if why else text


class Rule(Translated, BaseModel):
    """One piece of advice with the conditions under which it applies and its sources."""

    model_config = ConfigDict(frozen=True)
    id: str
    category: Category
    title: str
    advice: str
    rationale: str
    #: The situation in which the advice applies (three-valued: see conditions.py).
    when: Condition
    #: What silences the rule when it is known to hold (the firm already does this).
    unless: Condition | None = None
    derives: tuple[str, ...] = ()
    platforms: dict[str, int] = {}
    #: Why a weight has the size it has (optional, per platform).
    weight_reasons: dict[str, str] = {}
    excludes: dict[str, str] = {}
    citations: tuple[Citation, ...]
    #: The assumptions written in the rule
    #: (the weights' sentences are generated: :attr:`assumptions`).
    written_assumptions: tuple[str, ...] = ()
    #: Notes for the rule base's maintainers (history, merges); never shown in advice.
    notes: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    examples: tuple[Example, ...]
    #: Retired ids this rule replaces (they resolve to it).
    replaces: tuple[str, ...] = ()
    #: Where the rule is defined (``rules/payment/PAY-301.yaml``).
    source: str = ""
    #: The evaluation pass: 0, or one more than the pass of every rule deriving a fact it reads.
    stratum: int = 0

    @property
    def needs(self) -> tuple[str, ...]:
        """The derived facts this rule reads (in ``when`` or ``unless``)."""
        used = facts_used(self.when) | (
            facts_used(self.unless) if self.unless is not None else set()
        )
        return tuple(sorted(used))

    @property
    def fields(self) -> set[str]:
        """The questions the rule reads (in ``when`` or ``unless``; a derived field counts as the
        answers it comes from)."""
        read = fields_read(self.when) | (fields_read(self.unless) if self.unless else set())
        return {source for f in read for source in DERIVED_FIELDS.get(f, (f,))}

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What the advice assumes where the papers are silent:
        the weights, then the written ones.
        """
        return self.assumptions_in("en")

    def assumptions_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`assumptions` in ``lang``: the weights' sentences, then the written ones."""
        weights = tuple(
            weight_sentence(p, n, self.why(p, lang), lang) for p, n in self.platforms.items()
        )
        return weights + self.written_assumptions_in(lang)

    def written_assumptions_in(self, lang: str = "en") -> tuple[str, ...]:
        """The written assumptions in ``lang`` (the weights' sentences are the renderer's)."""
        return pick_list(self.written_assumptions, self.zh.get("assumptions"), lang)

    def why(self, platform: str, lang: str = "en") -> str:
        """Why the platform's weight has its size ('' when the rule does not say)."""
        english = self.weight_reasons.get(platform, "")
        return pick(english, self.zh.get("platforms", {}).get(platform), lang) if english else ""

    def exclude_reason(self, platform: str, lang: str = "en") -> str:
        """Why the rule makes the platform ineligible ('' when it does not exclude it)."""
        english = self.excludes.get(platform, "")
        return pick(english, self.zh.get("excludes", {}).get(platform), lang) if english else ""


class NamedCondition(Translated, BaseModel):
    """A condition defined once (``rules/conditions.yaml``) and used by name: ``{is: NAME}``."""

    model_config = ConfigDict(frozen=True)
    name: str
    meaning: str
    when: Condition
    examples: tuple[Example, ...]
    source: str = ""


class Paper(Translated, BaseModel):
    """A source paper; its ``year_note`` (our words on when it was written) has a Chinese text."""

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


class RuleBase(BaseModel):
    """The validated rule base: rules sorted by id, papers, derived facts,
    named conditions, frameworks.
    """

    model_config = ConfigDict(frozen=True)
    rules: tuple[Rule, ...]
    papers: dict[str, Paper]
    facts: dict[str, str]
    conditions: dict[str, NamedCondition] = {}
    grounded: GroundedModel | None = None
    frameworks: tuple[FrameworkItem, ...] = ()
    figures: dict[str, Figure] = {}
    #: Where the firm sells and where each platform sells (regions.yaml, presence.yaml).
    presence: Presence | None = None
    #: For the areas every firm hears about, what the papers cover (areas.yaml).
    areas: dict[str, str] = {}
    directories: tuple[str, ...] = ()
    #: Problems that do not stop loading (an old rule format, for instance).
    warnings: tuple[str, ...] = ()
    #: The Chinese texts of every translated unit, by unit key (``fact:trust_gap``,
    #: ``cell:amazon/global``...; see :mod:`.units`): read through the methods below.
    translations: dict[str, dict[str, Any]] = {}

    def _zh(self, key: str, part: str) -> object:
        return self.translations.get(key, {}).get(part)

    def fact_meaning(self, name: str, lang: str = "en") -> str:
        """What a derived fact means, in ``lang``."""
        return pick(self.facts[name], self._zh(f"fact:{name}", "text"), lang)

    def condition_meaning(self, name: str, lang: str = "en") -> str:
        """What a named condition means, in ``lang``."""
        return self.conditions[name].text_in("meaning", lang)

    def area_text(self, category: str, lang: str = "en") -> str:
        """What the papers cover in an area every firm hears about (areas.yaml), in ``lang``."""
        return pick(self.areas[category], self._zh(f"area:{category}", "text"), lang)

    def grounded_text(self, code: str, key: str, lang: str = "en") -> str:
        """A grounded-model dimension's (A1) ``name`` or ``role``, or a category's (B1)
        ``name``, in ``lang``."""
        if self.grounded is None:
            raise XbecError("the rule base has no grounded model")
        kind = "dimension" if code in self.grounded.dimensions else "category"
        table = self.grounded.dimensions if kind == "dimension" else self.grounded.categories
        return pick(getattr(table[code], key), self._zh(f"{kind}:{code}", key), lang)

    def grounded_concepts(self, code: str, lang: str = "en") -> tuple[str, ...]:
        """A grounded-model category's concepts (``C1 Product quality``...), in ``lang``."""
        if self.grounded is None:
            raise XbecError("the rule base has no grounded model")
        english = self.grounded.categories[code].concepts
        return pick_list(english, self._zh(f"category:{code}", "concepts"), lang)

    def cell_text(self, platform: str, where: tuple[str, ...], key: str, lang: str = "en") -> str:
        """A presence cell's ``reason`` or ``assumption`` (presence.yaml), in ``lang``."""
        if self.presence is None:
            raise XbecError("the rule base has no presence table")
        cell = next(c for c in self.presence.cells[platform] if c.where == where)
        english = str(getattr(cell, key))
        return pick(english, self._zh(f"cell:{platform}/{'/'.join(where)}", key), lang)

    @property
    def retired(self) -> dict[str, str]:
        """Each retired id and the id of the rule that replaced it."""
        return {old: rule.id for rule in self.rules for old in rule.replaces}

    def get(self, rule_id: str) -> Rule:
        """The rule with this id, or the one that replaced it (a retired id)."""
        for rule in self.rules:
            if rule.id == rule_id or rule_id in rule.replaces:
                return rule
        hint = did_you_mean(rule_id, [r.id for r in self.rules])
        raise XbecError(
            f"no rule with id '{rule_id}'{hint}; `xbec-advisor rules list` shows them all"
        )
