"""The knowledge base: loading ``rules/``, with errors that say how to fix, into its models.

The models are defined in :mod:`._rulemodels` and the checks of each rule in :mod:`._rulecheck`;
this module is where both are used, and its names are the public ones.

Every problem found is reported as ``FILE:LINE: RULE-ID: FIELD: message`` and the whole list
is raised at once as :class:`~xbec_advisor._errors.RuleBaseError`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from .._errors import RuleBaseError, XbecError, did_you_mean
from .._io.safe_yaml import load_rule_file
from .frameworks import load_frameworks
from .models import CATEGORIES, Category, Citation, Example, Paper, Rule, RuleBase
from .parse import check_citation, check_graph, first_error, parse_rule

__all__ = [
    "CATEGORIES", "Category", "Citation", "Example", "Paper", "Rule", "RuleBase", "bundled_rulebase", "default_rules_dir",
    "load_rulebase",
]

_FACT = re.compile(r"^[a-z][a-z0-9_]*$")


def default_rules_dir() -> Path:
    """The bundled knowledge base (``rules/`` in a checkout, or packaged data when installed)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_rules"
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"


_DATA_FOLDERS = ("derived", "frameworks")


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
            problems.append(f"{path}: paper '{key}': {first_error(exc)}")
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
                rule = parse_rule(raw, where, path.parent.name, papers, problems, concept_codes)
                if rule is None:
                    continue
                if rule.id in seen:
                    problems.append(f"{where}: {rule.id}: id: duplicate id, already defined at {seen[rule.id]}")
                    continue
                seen[rule.id] = where
                rules.append(rule)
    check_graph(rules, facts, problems)
    if problems:
        raise RuleBaseError(problems)
    rule_ids = {r.id for r in rules}
    sources = [(item.source, item.id, "rules", item.citation, item.rules) for item in frameworks]
    sources += [(f"{root}/figures.yaml", fig.id, "used_by", fig.citation, fig.used_by) for fig in figures.values()]
    for where, owner, field, citation, refs in sources:
        problem = check_citation(citation, papers)
        if problem:
            problems.append(f"{where}: {owner}: citation: {problem}")
        problems.extend(f"{where}: {owner}: {field}: no rule '{rid}'{did_you_mean(rid, rule_ids)}" for rid in refs if rid not in rule_ids)
    if grounded is not None:
        problem = check_citation(grounded.citation, papers)
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
