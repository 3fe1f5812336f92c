"""Prose that contradicts the data: rule ids that do not exist, weights written by hand.

- A rule id mentioned in a text a client reads (title, advice, rationale, assumptions, exclusion
  and weight reasons, framework items, figures, named conditions) must be a rule of the base; a
  retired id is reported with the rule that replaced it. Maintainers' ``notes`` may name
  retired ids.
- Weights live in ``platforms:`` and their assumption is generated from it, so a written
  assumption, advice or rationale that states a weight ("+2 for Shopee", "a penalty of -1 on
  Amazon") is an error, as is one that says the rule gives no points when it does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._profile.labels import platform_label
from .._profile.model import PLATFORMS
from .._rulebase.models import Rule, RuleBase

__all__ = ["check_prose"]

_RULE_ID = re.compile(r"\b[A-Z]{2,4}-\d{3,}\b")
_PLATFORM = "|".join(
    sorted(
        {re.escape(x) for p in PLATFORMS for x in (p, platform_label(p))},
        key=len,
        reverse=True,
    )
)
_WEIGHT = re.compile(
    rf"(?:(?<![\w-])[+-]\d+\s+(?:\w+\s+){{0,2}}?(?:{_PLATFORM}))|(?:(?:{_PLATFORM})\s*[(,]?\s*[+-]\d+\b)"
    r"|(?:\b(?:weights?|penalty) (?:of )?[+-]\d)",
    re.I,
)
_NO_POINTS = re.compile(r"\bno (?:platform )?points\b", re.I)


def _texts(rule: Rule) -> Iterator[tuple[str, str]]:
    yield "title", rule.title
    yield "advice", rule.advice
    yield "rationale", rule.rationale
    for i, text in enumerate(rule.written_assumptions):
        yield f"assumptions[{i}]", text
    for plat, why in rule.weight_reasons.items():
        yield f"platforms.{plat}.why", why
    for plat, why in rule.excludes.items():
        yield f"excludes.{plat}", why


def _other_texts(rulebase: RuleBase) -> Iterator[tuple[str, str]]:
    for item in rulebase.frameworks:
        yield f"{item.source}: {item.id}: text", item.text
    for fig in rulebase.figures.values():
        yield f"figures.yaml: {fig.id}: statement", fig.statement
    for named in rulebase.conditions.values():
        yield f"{named.source}: {named.name}: meaning", named.meaning


def _id_problems(where: str, text: str, live: set[str], retired: dict[str, str]) -> list[str]:
    out = []
    for rid in sorted(set(_RULE_ID.findall(text))):
        if rid in retired:
            out.append(
                f"{where}: mentions {rid}, which was replaced by {retired[rid]}; "
                f"name {retired[rid]}"
            )
        elif rid not in live:
            out.append(f"{where}: mentions {rid}, which is not a rule of the rule base")
    return out


def _weight_problems(rule: Rule, where: str, key: str, text: str) -> list[str]:
    if key.startswith(("excludes", "platforms")):
        return []
    out = []
    found = _WEIGHT.search(text)
    if found:
        out.append(
            f"{where}: {key}: states a weight ('{found.group(0)}'); "
            "weights belong in `platforms:`, whose assumption is generated: "
            "move the reason to platforms.<platform>.why"
        )
    if rule.platforms and _NO_POINTS.search(text):
        points = ", ".join(f"{p} {n:+d}" for p, n in rule.platforms.items())
        out.append(f"{where}: {key}: says the rule gives no points, but it gives {points}")
    return out


def check_prose(rulebase: RuleBase) -> list[str]:
    """Errors where the rule base's prose contradicts its data, or is still a placeholder."""
    live = {r.id for r in rulebase.rules}
    retired = rulebase.retired
    problems: list[str] = []
    for rule in rulebase.rules:
        where = f"{rule.source}: {rule.id}"
        texts = [
            *_texts(rule),
            *((f"citations[{i}].quote", c.quote) for i, c in enumerate(rule.citations)),
            *((f"examples.{e.name}", e.name) for e in rule.examples),
        ]
        problems += [
            f"{where}: {key}: still a placeholder (TODO); write it"
            for key, text in texts
            if "TODO" in text
        ]
        for key, text in _texts(rule):
            problems += _id_problems(f"{where}: {key}", text, live, retired)
            problems += _weight_problems(rule, where, key, text)
    for where, text in _other_texts(rulebase):
        problems += _id_problems(where, text, live, retired)
    return problems
