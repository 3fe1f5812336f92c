"""The knowledge base: rule models, and loading ``rules/`` with errors that say how to fix.

Every problem found is reported as ``FILE:LINE: RULE-ID: FIELD: message`` and the whole list
is raised at once as :class:`~xbec_advisor.errors.RuleBaseError`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._yaml import load_rule_file
from .compiler import ComplexityError, compile_rule
from .conditions import Condition, ConditionError, facts_used, parse_condition, split_facts
from .errors import ProfileError, RuleBaseError, XbecError, did_you_mean
from .frameworks import Figure, FrameworkItem, GroundedModel, SourceQuote, load_frameworks
from .profile import RANKED_PLATFORMS, Profile
from .profiles import profile_from_data

__all__ = ["CATEGORIES", "Citation", "Example", "Paper", "Rule", "RuleBase", "default_rules_dir", "load_rulebase"]

CATEGORIES: dict[str, str] = {
    "platform": "PLAT", "localization": "LOC", "logistics": "LOG", "payment": "PAY",
    "marketing": "MKT", "compliance": "COMP", "trust": "TRU", "team": "TEAM",
    "supply_chain": "SUP", "product": "PROD", "customer_service": "CS",
}
Category = Literal[
    "platform", "localization", "logistics", "payment", "marketing", "compliance", "trust",
    "team", "supply_chain", "product", "customer_service",
]
_ID = re.compile(r"^([A-Z]+)-(\d{3})$")
_FACT = re.compile(r"^[a-z][a-z0-9_]*$")
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


def default_rules_dir() -> Path:
    """The bundled knowledge base (``rules/`` in a checkout, or packaged data when installed)."""
    packaged = Path(__file__).parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


_RULE_KEYS = {
    "id", "category", "title", "advice", "rationale", "when", "derives", "platforms", "excludes",
    "citations", "assumptions", "concepts", "examples",
}
_DATA_FOLDERS = ("derived", "frameworks")
_REQUIRED = ("id", "category", "title", "advice", "rationale", "when", "citations", "examples")


def _load_papers(root: Path, problems: list[str]) -> dict[str, Paper]:
    path = root / "papers.yaml"
    try:
        data, _ = load_rule_file(path)
    except XbecError as exc:
        problems.append(str(exc))
        return {}
    papers: dict[str, Paper] = {}
    entries = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        problems.append(f"{path}: expected a mapping 'papers:' of paper keys")
        return {}
    for key, entry in entries.items():
        try:
            papers[str(key)] = Paper(key=str(key), **entry)
        except (ValidationError, TypeError) as exc:
            problems.append(f"{path}: paper '{key}': {_first_error(exc)}")
    return papers


def _load_facts(root: Path, problems: list[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for path in sorted((root / "derived").glob("*.yaml")):
        try:
            data, _ = load_rule_file(path)
        except XbecError as exc:
            problems.append(str(exc))
            continue
        if not isinstance(data, dict):
            problems.append(f"{path}: expected a mapping of fact name to meaning")
            continue
        for name, meaning in data.items():
            if not isinstance(name, str) or not _FACT.match(name) or not isinstance(meaning, str):
                problems.append(f"{path}: fact '{name}': names are snake_case and map to a sentence")
            elif name in facts:
                problems.append(f"{path}: fact '{name}' is declared twice")
            else:
                facts[name] = meaning
    return facts


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"{loc}: {err['msg']}" if loc else err["msg"]
    return str(exc)


def _code_order(code: str) -> tuple[str, int]:
    return code[:1], int(code[1:]) if code[1:].isdigit() else 0


def _check_citation(cit: object, papers: dict[str, Paper]) -> str | None:
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


def _parse_rule(raw: object, where: str, category_dir: str, papers: dict[str, Paper],
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
        problem = _check_citation(cit, papers)
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
        problems.append(f"{at}: {_first_error(exc)}")
        return None


def _check_graph(rules: list[Rule], facts: dict[str, str], problems: list[str]) -> None:
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


def load_rulebase(*directories: Path | str) -> RuleBase:
    """Load and validate rule directories (the bundled base by default), merged by id."""
    dirs = [Path(d) for d in directories] or [default_rules_dir()]
    problems: list[str] = []
    root = dirs[0]
    papers = _load_papers(root, problems)
    facts = _load_facts(root, problems)
    grounded, frameworks, figures = load_frameworks(root, problems)
    concept_codes = tuple(grounded.categories) if grounded else ()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for directory in dirs:
        if not directory.is_dir():
            problems.append(f"{directory}: not a directory of rules")
            continue
        if directory != root:
            for name, meaning in _load_facts(directory, problems).items():
                if facts.setdefault(name, meaning) != meaning:
                    problems.append(f"{directory}/derived: fact '{name}' clashes with the bundled one")
        for path in sorted(directory.glob("*/*.yaml")):
            if path.parent.name in _DATA_FOLDERS:
                continue
            if path.parent.name not in CATEGORIES:
                problems.append(f"{path}: folder '{path.parent.name}' is not a category{did_you_mean(path.parent.name, CATEGORIES)}; "
                                f"rule files go in rules/<category>/ ({', '.join(CATEGORIES)})")
                continue
            try:
                data, lines = load_rule_file(path)
            except XbecError as exc:
                problems.append(str(exc))
                continue
            if data is None:
                continue
            if not isinstance(data, list):
                problems.append(f"{path}: a rule file holds a YAML list of rules (- id: ...)")
                continue
            shown = path.relative_to(directory.parent)  # e.g. rules/payment/x.yaml, whatever the checkout's location
            for index, raw in enumerate(data):
                where = f"{shown}:{lines[index] if index < len(lines) else '?'}"
                rule = _parse_rule(raw, where, path.parent.name, papers, problems, concept_codes)
                if rule is None:
                    continue
                if rule.id in seen:
                    problems.append(f"{where}: {rule.id}: id: duplicate id, already defined at {seen[rule.id]}")
                    continue
                seen[rule.id] = where
                rules.append(rule)
    _check_graph(rules, facts, problems)
    if problems:
        raise RuleBaseError(problems)
    rule_ids = {r.id for r in rules}
    sources = [(item.source, item.id, "rules", item.citation, item.rules) for item in frameworks]
    sources += [(f"{root}/figures.yaml", fig.id, "used_by", fig.citation, fig.used_by) for fig in figures.values()]
    for where, owner, field, citation, refs in sources:
        problem = _check_citation(citation, papers)
        if problem:
            problems.append(f"{where}: {owner}: citation: {problem}")
        problems.extend(f"{where}: {owner}: {field}: no rule '{rid}'{did_you_mean(rid, rule_ids)}" for rid in refs if rid not in rule_ids)
    if grounded is not None:
        problem = _check_citation(grounded.citation, papers)
        if problem:
            problems.append(f"{root}/frameworks/grounded_model.yaml: citation: {problem}")
    if problems:
        raise RuleBaseError(problems)
    rules.sort(key=lambda r: r.id)
    return RuleBase(rules=tuple(rules), papers=papers, facts=facts, grounded=grounded, frameworks=tuple(frameworks),
                    figures=figures, directories=tuple(str(d) for d in dirs))


@lru_cache(maxsize=1)
def bundled_rulebase() -> RuleBase:
    """The bundled rule base, loaded once per process."""
    return load_rulebase()
