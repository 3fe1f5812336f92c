"""Checking one rule's mapping and the chaining between rules, with errors that say how to fix.

Used by :func:`xbec_advisor._rulebase.load.load_rulebase`; each problem is appended to ``problems``
as ``FILE:LINE: RULE-ID: FIELD: message``.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from .._engine.compiler import ComplexityError, compile_rule
from .._errors import ProfileError, did_you_mean
from .._profile.load import profile_from_data
from .._profile.model import RANKED_PLATFORMS
from .conditions import ConditionError, facts_used, parse_condition
from .frameworks import SourceQuote
from .models import CATEGORIES, Citation, Example, Paper, Rule

__all__ = ["check_citation", "check_graph", "first_error", "parse_rule"]

_ID = re.compile(r"^([A-Z]+)-(\d{3})$")
_RULE_KEYS = {
    "id", "category", "title", "advice", "rationale", "when", "derives", "platforms", "excludes",
    "citations", "assumptions", "concepts", "examples",
}
_REQUIRED = ("id", "category", "title", "advice", "rationale", "when", "citations", "examples")


def first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"{loc}: {err['msg']}" if loc else err["msg"]
    return str(exc)


def _code_order(code: str) -> tuple[str, int]:
    return code[:1], int(code[1:]) if code[1:].isdigit() else 0


def check_citation(cit: object, papers: dict[str, Paper]) -> str | None:
    if isinstance(cit, dict):
        paper, section = cit.get("paper"), str(cit.get("section"))
    elif isinstance(cit, SourceQuote | Citation):
        paper, section = cit.paper, cit.section
    else:
        return "expected a mapping with paper, section and quote"
    if paper not in papers:
        return f"unknown paper '{paper}'{did_you_mean(paper, papers)}; allowed: {', '.join(papers)}"
    if section not in papers[paper].sections:
        return f"'{section}' is not a section of {paper}{did_you_mean(section, papers[paper].sections)}; see rules/papers.yaml"
    return None


def parse_rule(raw: object, where: str, category_dir: str, papers: dict[str, Paper],
                problems: list[str], concept_codes: tuple[str, ...] = ()) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: each rule must be a mapping, got {type(raw).__name__}")
        return None
    rid = raw.get("id", "?")
    at = f"{where}: {rid}"
    bad = len(problems)
    for key in sorted(set(map(str, raw)) - _RULE_KEYS):
        problems.append(f"{at}: {key}: unknown rule key{did_you_mean(key, _RULE_KEYS)}; allowed: {', '.join(sorted(_RULE_KEYS))}")
    for key in _REQUIRED:
        if key not in raw:
            problems.append(f"{at}: {key}: missing (every rule needs {', '.join(_REQUIRED)})")
    if len(problems) > bad:
        return None
    for key in ("id", "category", "title", "advice", "rationale"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            problems.append(f"{at}: {key}: expected text, got {type(raw[key]).__name__}")
    for key in ("assumptions", "derives"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            problems.append(f"{at}: {key}: expected a list of text items")
    if len(problems) > bad:
        return None
    category = raw["category"]
    if category not in CATEGORIES:
        problems.append(f"{at}: category: '{category}' is not a category{did_you_mean(category, CATEGORIES)}; allowed: {', '.join(CATEGORIES)}")
        return None
    if category != category_dir:
        problems.append(f"{at}: category: '{category}' rules belong in rules/{category}/, not rules/{category_dir}/")
    match = _ID.match(str(rid))
    if not match or match.group(1) != CATEGORIES[category]:
        problems.append(f"{at}: id: expected {CATEGORIES[category]}-NNN for category '{category}'")
    try:
        when = parse_condition(raw["when"])
        compile_rule(when)
    except (ConditionError, ComplexityError) as exc:
        problems.append(f"{at}: {exc}")
        return None
    platforms = raw.get("platforms") or {}
    excludes = raw.get("excludes") or {}
    for name, table in (("platforms", platforms), ("excludes", excludes)):
        if not isinstance(table, dict):
            problems.append(f"{at}: {name}: expected a mapping of platform id to {'points' if name == 'platforms' else 'reason'}")
            return None
        for plat in table:
            if plat not in RANKED_PLATFORMS:
                problems.append(f"{at}: {name}.{plat}: not a ranked platform{did_you_mean(plat, RANKED_PLATFORMS)}; allowed: {', '.join(RANKED_PLATFORMS)}")
    for plat, pts in platforms.items():
        if isinstance(pts, bool) or not isinstance(pts, int) or not -3 <= pts <= 3 or pts == 0:
            problems.append(f"{at}: platforms.{plat}: points must be a non-zero integer from -3 to 3, got {pts!r}")
    for plat, reason in excludes.items():
        if not isinstance(reason, str) or len(reason) < 10:
            problems.append(f"{at}: excludes.{plat}: give the reason as a sentence")
    citations = raw["citations"]
    if not isinstance(citations, list) or not citations:
        problems.append(f"{at}: citations: at least one citation (paper, section, quote) is required")
        return None
    for i, cit in enumerate(citations):
        problem = check_citation(cit, papers)
        if problem:
            field = "paper" if problem.startswith("unknown paper") else "section"
            problems.append(f"{at}: citations[{i}]{'.' + field if isinstance(cit, dict) else ''}: {problem}")
    examples = raw["examples"]
    parsed_examples: list[Example] = []
    if not isinstance(examples, dict):
        problems.append(f"{at}: examples: expected a mapping of example name to {{expect, profile}}")
        return None
    for name, ex in examples.items():
        if not isinstance(ex, dict) or ex.get("expect") not in ("fire", "silent") or set(ex) - {"expect", "profile"}:
            problems.append(f"{at}: examples.{name}: expected {{expect: fire|silent, profile: {{...}}}}")
            continue
        try:
            prof = profile_from_data(ex.get("profile") or {}, source=f"examples.{name}.profile")
        except ProfileError as exc:
            problems.extend(f"{at}: examples.{name}.profile: {p}" for p in exc.problems)
            continue
        parsed_examples.append(Example(name=str(name), expect=ex["expect"], profile=prof))
    kinds = {e.expect for e in parsed_examples}
    if len(problems) == bad and kinds != {"fire", "silent"}:
        problems.append(f"{at}: examples: needs at least one 'fire' and one 'silent' example")
    concepts = raw.get("concepts") or []
    if not isinstance(concepts, list) or not all(isinstance(c, str) for c in concepts):
        problems.append(f"{at}: concepts: expected a list of grounded-model categories (B1-B12)")
        return None
    for code in concepts:
        if code not in concept_codes:
            problems.append(f"{at}: concepts: '{code}' is not a category of the grounded model{did_you_mean(code, concept_codes)}; "
                            f"allowed: {', '.join(concept_codes)}")
    derives = raw.get("derives") or []
    if len(problems) > bad:
        return None
    try:
        return Rule(
            id=rid, category=category, title=raw["title"], advice=raw["advice"],
            rationale=raw["rationale"], when=when, derives=tuple(sorted(set(derives))),
            platforms=platforms, excludes=excludes,
            citations=tuple(Citation(paper=c["paper"], section=str(c["section"]), quote=c.get("quote", "")) for c in citations),
            assumptions=tuple(raw.get("assumptions") or ()), concepts=tuple(sorted(set(concepts), key=_code_order)),
            examples=tuple(parsed_examples), source=where,
        )
    except ValidationError as exc:
        problems.append(f"{at}: {first_error(exc)}")
        return None


def check_graph(rules: list[Rule], facts: dict[str, str], problems: list[str]) -> None:
    derived_by: dict[str, list[str]] = {}
    for rule in rules:
        for fact in rule.derives:
            derived_by.setdefault(fact, []).append(rule.id)
            if fact not in facts:
                problems.append(f"{rule.source}: {rule.id}: derives: fact '{fact}' is not declared in rules/derived/{did_you_mean(fact, facts)}")
        for fact in facts_used(rule.when):
            if fact not in facts:
                problems.append(f"{rule.source}: {rule.id}: when: unknown fact '{fact}'{did_you_mean(fact, facts)}")
            elif fact not in derived_by and not any(fact in r.derives for r in rules):
                problems.append(f"{rule.source}: {rule.id}: when: no rule derives fact '{fact}', so this rule can never fire")
    # cycles: rule -> facts it needs -> rules deriving them
    needs = {r.id: set(r.needs) for r in rules}
    state: dict[str, int] = {}

    def visit(rid: str, trail: list[str]) -> None:
        state[rid] = 1
        for fact in sorted(needs[rid]):
            for other in sorted(derived_by.get(fact, [])):
                if state.get(other) == 1:
                    problems.append(f"chaining cycle: {' -> '.join([*trail, rid, other])} (through fact '{fact}')")
                elif other not in state:
                    visit(other, [*trail, rid])
        state[rid] = 2

    for rid in sorted(needs):
        if rid not in state:
            visit(rid, [])
