"""The knowledge base: loading rule folders, with errors that say how to fix, into its models.

A rule folder holds ``papers.yaml``, ``conditions.yaml``, ``figures.yaml``, ``derived/``,
``frameworks/`` and one folder per category with one rule per file (``payment/PAY-301.yaml``);
every part is optional in a folder merged with others (a consultant's pack may hold rules only).
Anything else in a folder is refused by name rather than ignored. Folders are merged: a key
defined twice (a paper, a fact, a named condition, a figure, a rule id) is an error unless both
definitions are identical.

Every problem is reported as ``FILE:LINE: RULE-ID: FIELD: message`` and the whole list is raised
at once as :class:`~xbec_advisor._errors.RuleBaseError`. Files in rule format 1 (a list of rules)
still load, converted exactly (:mod:`.format1`), with a warning to migrate them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import RuleBaseError, XbecError, did_you_mean
from .._io.paths import default_rules_dir
from .._io.safe_yaml import load_rule_file
from .citation import QuoteChecker
from .format1 import convert_rule
from .frameworks import (
    FRAMEWORK_FILES,
    Figure,
    FrameworkItem,
    GroundedModel,
    figure_refs,
    load_frameworks,
)
from .graph import check_graph, strata
from .models import CATEGORIES, Category, Citation, Example, NamedCondition, Paper, Rule, RuleBase
from .named import load_named
from .parse import ParseContext, check_citation, first_error, parse_rule
from .presence import Presence, generated_conditions, parse_presence
from .translations import findings, translated
from .units import english_of

__all__ = [
    "CATEGORIES",
    "Category",
    "Citation",
    "Example",
    "NamedCondition",
    "Paper",
    "Rule",
    "RuleBase",
    "bundled_rulebase",
    "default_rules_dir",
    "load_rulebase",
]

_DATA_FILES = (
    "papers.yaml",
    "conditions.yaml",
    "figures.yaml",
    "regions.yaml",
    "presence.yaml",
    "areas.yaml",
    "vocabulary.yaml",
    "changes.yaml",
)
_DATA_FOLDERS = ("derived", "frameworks")
_T = TypeVar("_T", bound=BaseModel)
_FACT_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def _visible(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if not p.name.startswith((".", "README", "readme", "LICENSE"))
    )


def _layout(directory: Path, problems: list[str]) -> Iterator[Path]:
    """The category folders of a rule folder; anything not part of a rule folder is a problem."""
    allowed = [*_DATA_FILES, *_DATA_FOLDERS, *CATEGORIES]
    for path in _visible(directory):
        if path.is_dir() and path.name in CATEGORIES:
            yield path
        elif (path.is_dir() and path.name in _DATA_FOLDERS) or (
            path.is_file() and path.name in _DATA_FILES
        ):
            continue
        elif path.suffix == ".yml":
            problems.append(f"{path}: rule files end in .yaml; rename it to {path.stem}.yaml")
        elif _category_of(path.stem):
            problems.append(
                f"{path}: a rule file goes in its category's folder: move it to "
                f"{directory / _category_of(path.stem) / path.name}"
            )
        else:
            problems.append(
                f"{path}: not part of a rule folder{did_you_mean(path.name, allowed)}; "
                f"a rule folder holds {', '.join(_DATA_FILES)}, derived/, frameworks/ "
                "and one folder per category "
                f"({', '.join(CATEGORIES)})"
            )


def _category_of(stem: str) -> str:
    """The category whose id prefix ``stem`` starts with (``PAY-301`` -> payment), or ''."""
    prefix = stem.partition("-")[0]
    return next((cat for cat, p in CATEGORIES.items() if p == prefix), "")


def _yaml_files(
    folder: Path, problems: list[str], allowed: tuple[str, ...] | None = None
) -> list[Path]:
    out = []
    for path in _visible(folder):
        if path.is_file() and path.suffix == ".yaml" and (allowed is None or path.name in allowed):
            if allowed is None and path.name in _DATA_FILES:
                problems.append(
                    f"{path}: {path.name} belongs at the top of the rule folder "
                    f"({folder.parent / path.name}), not in {folder.name}/"
                )
                continue
            out.append(path)
        elif path.suffix == ".yml":
            problems.append(f"{path}: rule files end in .yaml; rename it to {path.stem}.yaml")
        else:
            what = (
                "a folder"
                if path.is_dir()
                else "a file"
                if path.is_file()
                else "not a regular file (a FIFO, device or socket) and"
            )
            expected = ", ".join(allowed) if allowed else "only .yaml files, one rule each"
            problems.append(f"{path}: {what} not expected here; {folder.name}/ holds {expected}")
    return out


def _read(path: Path, problems: list[str]) -> tuple[object, list[int]]:
    try:
        return load_rule_file(path)
    except XbecError as exc:
        problems.append(str(exc))
        return None, []


def _merge(
    target: dict[str, object], key: str, value: object, where: str, what: str, problems: list[str]
) -> None:
    if key in target and target[key] != value:
        problems.append(f"{where}: {what} '{key}' is defined differently in two rule folders")
    target.setdefault(key, value)


def _papers(directory: Path, papers: dict[str, Paper], problems: list[str]) -> None:
    path = directory / "papers.yaml"
    if not path.is_file():
        return
    data, _ = _read(path, problems)
    entries = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        problems.append(f"{path}: expected a mapping 'papers:' of paper keys")
        return
    for key, entry in entries.items():
        try:
            paper = Paper(key=str(key), **entry)
        except (ValidationError, TypeError) as exc:
            problems.append(f"{path}: paper '{key}': {first_error(exc)}")
            continue
        _merge(papers, str(key), paper, str(path), "paper", problems)  # type: ignore[arg-type]


def _facts(directory: Path, facts: dict[str, str], problems: list[str]) -> None:
    if not (directory / "derived").is_dir():
        return
    for path in _yaml_files(directory / "derived", problems):
        data, _ = _read(path, problems)
        if not isinstance(data, dict):
            problems.append(f"{path}: expected a mapping of fact name to meaning")
            continue
        for name, entry in data.items():
            meaning = english_of(entry)
            if (
                not isinstance(name, str)
                or not name[:1].isalpha()
                or set(name) - _FACT_CHARS
                or meaning is None
                or (isinstance(entry, dict) and set(entry) - {"en", "zh", "of"})
            ):
                problems.append(
                    f"{path}: fact '{name}': names are snake_case and map to a sentence "
                    '(or to {en: SENTENCE, zh: "...", of: HASH})'
                )
            else:
                _merge(facts, name, meaning, str(path), "fact", problems)  # type: ignore[arg-type]


def _rule_files(
    folder: Path, directory: Path, problems: list[str]
) -> Iterator[tuple[object, str, str | None]]:
    """Each rule of a category folder as (mapping in format 2, where, id from the file name)."""
    for path in _yaml_files(folder, problems):
        data, lines = _read(path, problems)
        shown = path.relative_to(
            directory.parent
        )  # e.g. rules/payment/PAY-301.yaml, wherever the checkout is
        if isinstance(data, list):  # rule format 1: a list of rules
            message = (
                f"{shown}: rule format 1 (a list of rules); "
                f"run `xbec-advisor rules migrate {directory}`"
            )
            problems.append(f"warning: {message}")
            for index, raw in enumerate(data):
                where = f"{shown}:{lines[index] if index < len(lines) else '?'}"
                yield (convert_rule(raw) if isinstance(raw, dict) else raw), where, None
        elif data is not None:
            yield data, str(shown), path.stem


def _load_rules(directory: Path, ctx_args: dict[str, object], problems: list[str]) -> list[Rule]:
    rules = []
    for folder in _layout(directory, problems):
        for raw, where, file_id in _rule_files(folder, directory, problems):
            ctx = ParseContext(
                where=where,
                category=folder.name,
                file_id=file_id,
                problems=problems,
                **ctx_args,  # type: ignore[arg-type]
            )
            rule = parse_rule(raw, ctx)
            if rule is not None:
                rules.append(rule)
    return rules


def _check_ids(rules: list[Rule], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            problems.append(
                f"{rule.source}: {rule.id}: id: duplicate id, already defined at {seen[rule.id]}"
            )
        seen.setdefault(rule.id, rule.source)
    retired: dict[str, str] = {}
    for rule in rules:
        for old in rule.replaces:
            if old in seen:
                problems.append(
                    f"{rule.source}: {rule.id}: replaces: '{old}' is a rule of the rule base; "
                    "only a retired id can be replaced"
                )
            elif old in retired:
                problems.append(
                    f"{rule.source}: {rule.id}: replaces: '{old}' is already replaced by "
                    f"{retired[old]}"
                )
            retired.setdefault(old, rule.id)


def _check_references(
    rules: list[Rule],
    papers: dict[str, Paper],
    frameworks: list[FrameworkItem],
    figures: dict[str, Figure],
    grounded: GroundedModel | None,
    problems: list[str],
) -> None:
    rule_ids = {r.id for r in rules}
    sources = [(item.source, item.id, "rules", item.citation, item.rules) for item in frameworks]
    sources += [
        ("figures.yaml", fig.id, "used_by", fig.citation, fig.used_by) for fig in figures.values()
    ]
    seen: set[tuple[str, str]] = set()
    for item in frameworks:
        if (item.framework, item.id) in seen:
            problems.append(f"{item.source}: {item.id}: duplicate framework item id")
        seen.add((item.framework, item.id))
    for where, owner, field, citation, refs in sources:
        problem = check_citation(citation, papers)
        if problem:
            problems.append(f"{where}: {owner}: citation: {problem}")
        problems.extend(
            f"{where}: {owner}: {field}: no rule '{rid}'{did_you_mean(rid, rule_ids)}"
            for rid in refs
            if rid not in rule_ids
        )
    if grounded is not None:
        problem = check_citation(grounded.citation, papers)
        if problem:
            problems.append(f"frameworks/grounded_model.yaml: citation: {problem}")


def _is_pack(directory: Path) -> bool:
    """Whether a folder is a rule pack rather than the bundled rules (verified in CI)."""
    return directory.resolve() != default_rules_dir().resolve()


def _frameworks(
    dirs: list[Path], problems: list[str], checker: QuoteChecker
) -> tuple[GroundedModel | None, list[FrameworkItem], dict[str, Figure]]:
    grounded: GroundedModel | None = None
    items: list[FrameworkItem] = []
    figures: dict[str, Figure] = {}
    for directory in dirs:
        if (directory / "frameworks").is_dir():
            _yaml_files(directory / "frameworks", problems, FRAMEWORK_FILES)
        found, more, figs = load_frameworks(directory, problems)
        if _is_pack(directory):  # a pack's quotes are shown as verified only when they are
            more = [i.model_copy(update={"citation": checker.mark(i.citation)}) for i in more]
            figs = {
                k: f.model_copy(update={"citation": checker.mark(f.citation)})
                for k, f in figs.items()
            }
        if found is not None and grounded is not None and found != grounded:
            problems.append(
                f"{directory}/frameworks/grounded_model.yaml: "
                "the grounded model is defined in two rule folders"
            )
        grounded = grounded or found
        items += more
        for fid, fig in figs.items():
            _merge(figures, fid, fig, f"{directory}/figures.yaml", "figure", problems)  # type: ignore[arg-type]
    return grounded, items, figures


def _bibliography(dirs: list[Path], problems: list[str]) -> tuple[dict[str, Paper], dict[str, str]]:
    """The papers and derived facts of every folder, merged."""
    papers: dict[str, Paper] = {}
    facts: dict[str, str] = {}
    for directory in dirs:
        _papers(directory, papers, problems)
        _facts(directory, facts, problems)
    if not papers and not problems:
        problems.append(
            f"{dirs[0]}/papers.yaml: no papers: a rule base needs the bibliography its rules cite"
        )
    return papers, facts


def _presence(dirs: list[Path], problems: list[str]) -> Presence | None:
    """The presence table: regions.yaml and presence.yaml, from the one folder that has them."""
    found = [d for d in dirs if (d / "regions.yaml").is_file() or (d / "presence.yaml").is_file()]
    if not found:
        return None
    if len(found) > 1:
        problems.append(
            f"{found[1]}: regions.yaml/presence.yaml are already defined in {found[0]}; "
            "a rule base has one presence table"
        )
    regions, _ = _read(found[0] / "regions.yaml", problems)
    cells, _ = _read(found[0] / "presence.yaml", problems)
    return parse_presence(regions, cells, problems)


def _link_figures(
    rules: list[Rule], items: list[FrameworkItem], figures: dict[str, Figure], problems: list[str]
) -> dict[str, Figure]:
    """Figures with their users: the rules whose advice or rationale cite them ``{figure: ID}``."""
    users: dict[str, list[str]] = {}
    texts = [(r.id, r.source, f"{r.title} {r.advice} {r.rationale}") for r in rules]
    texts += [("", i.source, i.text) for i in items]
    for owner, source, text in texts:
        for fid in figure_refs(text):
            if fid not in figures:
                problems.append(
                    f"{source}: {owner or 'text'}: {{figure: {fid}}}: no such figure in "
                    f"figures.yaml{did_you_mean(fid, figures)}"
                )
            elif owner:
                users.setdefault(fid, []).append(owner)
    out = {}
    for fid, fig in figures.items():
        cited = tuple(sorted(set(users.get(fid, ()))))
        out[fid] = fig.model_copy(update={"cited_by": cited, "used_by": fig.used_by or cited})
    return out


def _areas(dirs: list[Path], problems: list[str]) -> dict[str, str]:
    """What the papers cover in each area every firm hears about (areas.yaml, merged)."""
    areas: dict[str, str] = {}
    for directory in dirs:
        path = directory / "areas.yaml"
        if not path.is_file():
            continue
        data, _ = _read(path, problems)
        if not isinstance(data, dict):
            problems.append(f"{path}: expected a mapping of category to a sentence")
            continue
        for key, entry in data.items():
            text = english_of(entry)
            if key not in CATEGORIES or text is None:
                problems.append(
                    f"{path}: {key}: expected a category{did_you_mean(str(key), CATEGORIES)} "
                    "and a sentence"
                )
            else:
                _merge(areas, key, " ".join(text.split()), str(path), "area", problems)  # type: ignore[arg-type]
    return areas


def _translations(dirs: list[Path], problems: list[str]) -> dict[str, dict[str, object]]:
    """The Chinese texts of every folder's units, by unit key; a Chinese text in the wrong
    shape (an unknown key, a list of another length, not a text) is an error here, a missing or
    stale one is reported by ``rules check``."""
    out: dict[str, dict[str, object]] = {}
    unreadable: list[str] = []  # already reported by the loaders
    for directory in dirs:
        units, found = findings(directory, tuple(CATEGORIES), unreadable)
        problems += [str(f) for f in found if f.kind == "invalid"]
        for unit in units:
            texts = translated(unit)
            if texts:
                out.setdefault(unit.key, dict(texts))
    return out


def _with_zh(
    items: Iterable[_T], kind: str, zh: dict[str, dict[str, object]], key: Callable[[_T], str]
) -> list[_T]:
    """The items with their Chinese texts from the translations (else the ones they came with:
    the generated named conditions carry their own)."""
    return [
        i.model_copy(update={"zh": zh.get(f"{kind}:{key(i)}") or getattr(i, "zh", {})})
        for i in items
    ]


def _raise_or_warn(problems: list[str]) -> list[str]:
    """Raise the problems, if any; else warn of the notes (``warning: ...``) and return them."""
    notes = [p.removeprefix("warning: ") for p in problems if p.startswith("warning: ")]
    errors = [p for p in problems if not p.startswith("warning: ")]
    if errors:
        raise RuleBaseError(errors)
    for note in notes:
        warnings.warn(note, DeprecationWarning, stacklevel=3)
    return notes


def load_rulebase(*directories: Path | str) -> RuleBase:
    """Load, check and merge rule folders (the bundled base when none is given).

    ``Advisor.from_directories(d)`` merges ``d`` with the bundled base; ``load_rulebase(d1, d2)``
    merges exactly the folders given.
    """
    given = [Path(d) for d in directories] or [default_rules_dir()]
    problems = [f"{d}: not a directory of rules" for d in given if not d.is_dir()]
    dirs = [d for d in given if d.is_dir()]
    papers, facts = _bibliography(dirs or given, problems)
    presence = _presence(dirs, problems)
    named = load_named(dirs, problems, generated_conditions(presence) if presence else None)
    checker = QuoteChecker({key: paper.file for key, paper in papers.items()})
    grounded, frameworks, figures = _frameworks(dirs, problems, checker)
    ctx_args = {
        "papers": papers,
        "named": {name: n.when for name, n in named.items()},
        "concept_codes": tuple(grounded.categories) if grounded else (),
    }
    rules = []
    for directory in dirs:
        loaded = _load_rules(directory, ctx_args, problems)
        if _is_pack(directory):
            loaded = [
                r.model_copy(update={"citations": tuple(checker.mark(c) for c in r.citations)})
                for r in loaded
            ]
        rules += loaded
    _check_ids(rules, problems)
    check_graph(rules, facts, problems)
    _check_references(rules, papers, frameworks, figures, grounded, problems)
    for where, citation in presence.citations() if presence else ():
        problem = check_citation(citation, papers)
        if problem:
            problems.append(f"{where}: citation: {problem}")
    figures = _link_figures(rules, frameworks, figures, problems)
    areas = _areas(dirs, problems)
    zh = _translations(dirs, problems)
    notes = _raise_or_warn(problems)
    level = strata(rules)
    rules = sorted(
        (
            r.model_copy(update={"stratum": level[r.id], "zh": zh.get(f"rule:{r.id}", {})})
            for r in rules
        ),
        key=lambda r: r.id,
    )
    frameworks = _with_zh(frameworks, "framework", zh, lambda i: i.id)
    figures = {f.id: f for f in _with_zh(figures.values(), "figure", zh, lambda f: f.id)}
    named = {n.name: n for n in _with_zh(named.values(), "condition", zh, lambda n: n.name)}
    papers = {p.key: p for p in _with_zh(papers.values(), "paper", zh, lambda p: p.key)}
    return RuleBase(
        rules=tuple(rules),
        papers=papers,
        facts=facts,
        conditions=named,
        grounded=grounded,
        frameworks=tuple(frameworks),
        figures=figures,
        presence=presence,
        areas=areas,
        directories=tuple(str(d) for d in given),
        warnings=tuple(notes),
        translations=zh,
    )


@lru_cache(maxsize=1)
def bundled_rulebase() -> RuleBase:
    """The bundled rule base, loaded once per process."""
    return load_rulebase()
