"""Checking one rule file's mapping (rule format 2), with errors that say how to fix.

:func:`parse_rule` appends each problem to ``ctx.problems`` as ``FILE:LINE: RULE-ID: FIELD:
message`` and returns the :class:`~.models.Rule`, or ``None`` when the rule cannot be built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from .._engine.compiler import ComplexityError, compile_rule
from .._errors import ProfileError, did_you_mean, shown
from .._profile.load import profile_from_data
from .._profile.model import RANKED_PLATFORMS
from .citation import Citation
from .conditions import Condition, ConditionError, parse_condition
from .models import CATEGORIES, Example, Paper, Rule

__all__ = [
    "ID_PATTERN",
    "RULE_KEYS",
    "ParseContext",
    "check_citation",
    "first_error",
    "parse_examples",
    "parse_rule",
]

#: A rule id: the category's prefix, a hyphen and three or more digits (``PAY-301``).
ID_PATTERN = re.compile(r"^([A-Z]+)-(\d{3,})$")
RULE_KEYS = (  # in the order a rule file lists them
    "id",
    "title",
    "advice",
    "rationale",
    "replaces",
    "when",
    "unless",
    "derives",
    "platforms",
    "excludes",
    "citations",
    "assumptions",
    "notes",
    "concepts",
    "fires",
    "silent",
    "may",
    "zh",
)
_REQUIRED = ("id", "title", "advice", "rationale", "when", "citations", "fires", "silent")
_TEXT_LISTS = ("assumptions", "notes", "derives", "replaces", "concepts")


@dataclass
class ParseContext:
    """What a rule is checked against, and where its problems go."""

    where: str
    category: str
    papers: Mapping[str, Paper]
    named: Mapping[str, Condition]
    concept_codes: tuple[str, ...] = ()
    #: The id the file name gives (``PAY-301`` for ``PAY-301.yaml``), if any.
    file_id: str | None = None
    problems: list[str] = field(default_factory=list)


def first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"{loc}: {err['msg']}" if loc else err["msg"]
    return str(exc)


def check_citation(cit: object, papers: Mapping[str, Paper]) -> str | None:
    """What is wrong with a citation's paper or section, if anything."""
    if isinstance(cit, dict):
        raw = cit.get("paper")
        if not isinstance(raw, str):
            return (
                f"unknown paper: expected a paper key (text), got {type(raw).__name__}; "
                f"allowed: {', '.join(papers)}"
            )
        paper, section = raw, str(cit.get("section"))
    elif isinstance(cit, Citation):
        paper, section = cit.paper, cit.section
    else:
        return "expected a mapping with paper, section and quote"
    if paper not in papers:
        hint = did_you_mean(paper, papers)
        return f"unknown paper {shown(paper)}{hint}; allowed: {', '.join(papers)}"
    if section not in papers[paper].sections:
        hint = did_you_mean(section, papers[paper].sections)
        return f"{shown(section)} is not a section of {paper}{hint}; see rules/papers.yaml"
    return None


def _code_order(code: str) -> tuple[str, int]:
    return code[:1], int(code[1:]) if code[1:].isdigit() else 0


def _check_shape(raw: dict[str, object], at: str, problems: list[str]) -> None:
    for key in sorted(set(map(str, raw)) - set(RULE_KEYS)):
        hint = (
            " (the folder gives the category)"
            if key == "category"
            else did_you_mean(key, RULE_KEYS)
        )
        problems.append(
            f"{at}: {shown(key, quote=False)}: unknown rule key{hint}; "
            f"allowed: {', '.join(RULE_KEYS)}"
        )
    for key in _REQUIRED:
        if key not in raw:
            problems.append(f"{at}: {key}: missing (every rule needs {', '.join(_REQUIRED)})")
    for key in ("id", "title", "advice", "rationale"):
        value = raw.get(key)
        if key in raw and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{at}: {key}: expected text, got {type(value).__name__}")
    for key in _TEXT_LISTS:
        value = raw.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            problems.append(f"{at}: {key}: expected a list of text items")


def _check_id(rid: str, ctx: ParseContext, at: str) -> None:
    prefix = CATEGORIES.get(ctx.category, "PREFIX")
    match = ID_PATTERN.match(rid)
    if not match or match.group(1) != prefix:
        ctx.problems.append(f"{at}: id: expected {prefix}-NNN for a rule in rules/{ctx.category}/")
    if ctx.file_id is not None and ctx.file_id != rid:
        ctx.problems.append(
            f"{at}: id: the file is named {ctx.file_id}.yaml; "
            f"name it {rid}.yaml (one rule per file)"
        )


def _conditions(
    raw: dict[str, object], ctx: ParseContext, at: str
) -> tuple[Condition, Condition | None] | None:
    try:
        when = parse_condition(raw["when"], "when", ctx.named)
        unless = (
            parse_condition(raw["unless"], "unless", ctx.named)
            if raw.get("unless") is not None
            else None
        )
        compile_rule(when, unless)
    except (ConditionError, ComplexityError) as exc:
        ctx.problems.append(f"{at}: {exc}")
        return None
    return when, unless


def _platform_table(
    raw: dict[str, object], name: str, at: str, problems: list[str]
) -> dict[str, object]:
    """``platforms`` or ``excludes``: a mapping whose keys are ranked platforms (else {})."""
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        wanted = "points" if name == "platforms" else "reason"
        problems.append(f"{at}: {name}: expected a mapping of platform id to {wanted}")
        return {}
    for plat in value:
        if plat not in RANKED_PLATFORMS:
            problems.append(
                f"{at}: {name}.{plat}: not a ranked platform"
                f"{did_you_mean(plat, RANKED_PLATFORMS)}; "
                f"allowed: {', '.join(RANKED_PLATFORMS)}"
            )
    return {str(k): v for k, v in value.items()}


def _weight(plat: str, entry: object, at: str, problems: list[str]) -> tuple[int, str] | None:
    """One platform's (points, reason), from ``N`` or ``{points: N, why: ...}``."""
    pts, why = (
        (entry.get("points"), entry.get("why", "")) if isinstance(entry, dict) else (entry, "")
    )
    if isinstance(entry, dict) and set(entry) - {"points", "why"}:
        problems.append(
            f"{at}: platforms.{plat}: expected points, or {{points: N, why: reason for the weight}}"
        )
    if isinstance(pts, bool) or not isinstance(pts, int) or not -3 <= pts <= 3 or pts == 0:
        problems.append(
            f"{at}: platforms.{plat}: points must be a non-zero integer from -3 to 3, got {pts!r}"
        )
        return None
    if not isinstance(why, str):
        problems.append(f"{at}: platforms.{plat}.why: expected a sentence")
        return None
    return pts, " ".join(why.split())


def _platforms(
    raw: dict[str, object], at: str, problems: list[str]
) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """(points, reasons for the weights, exclusions) of a rule."""
    points: dict[str, int] = {}
    reasons: dict[str, str] = {}
    for plat, entry in _platform_table(raw, "platforms", at, problems).items():
        weight = _weight(plat, entry, at, problems)
        if weight is not None:
            points[plat] = weight[0]
            if weight[1]:
                reasons[plat] = weight[1]
    excludes: dict[str, str] = {}
    for plat, reason in _platform_table(raw, "excludes", at, problems).items():
        if not isinstance(reason, str) or len(reason) < 10:
            problems.append(f"{at}: excludes.{plat}: give the reason as a sentence")
        else:
            excludes[plat] = reason
    return points, reasons, excludes


def _citations(raw: dict[str, object], ctx: ParseContext, at: str) -> list[Citation]:
    citations = raw["citations"]
    if not isinstance(citations, list) or not citations:
        ctx.problems.append(
            f"{at}: citations: at least one citation (paper, section, quote) is required"
        )
        return []
    out = []
    for i, cit in enumerate(citations):
        problem = check_citation(cit, ctx.papers)
        if problem:
            key = "paper" if problem.startswith("unknown paper") else "section"
            ctx.problems.append(
                f"{at}: citations[{i}]{'.' + key if isinstance(cit, dict) else ''}: {problem}"
            )
            continue
        assert isinstance(cit, dict)
        try:
            out.append(
                Citation(
                    paper=str(cit["paper"]), section=str(cit["section"]), quote=cit.get("quote", "")
                )
            )
        except ValidationError as exc:
            ctx.problems.append(f"{at}: citations[{i}].{first_error(exc)}")
    return out


def parse_examples(
    raw: Mapping[str, object], keys: tuple[str, str], at: str, problems: list[str]
) -> list[Example]:
    """Examples given as ``{KEY: {name: profile}}`` for the two keys
    (fire-like, then silent-like).
    """
    out: list[Example] = []
    for key, expect in zip(keys, ("fire", "silent"), strict=True):
        examples = raw.get(key)
        if not isinstance(examples, dict) or not examples:
            problems.append(
                f"{at}: {key}: expected a mapping of example name to profile, "
                "with at least one example"
            )
            continue
        for name, profile in examples.items():
            try:
                prof = profile_from_data(profile or {}, source=f"{key}.{name}")
            except ProfileError as exc:
                problems.extend(f"{at}: {key}.{name}: {p}" for p in exc.problems)
                continue
            out.append(Example(name=str(name), expect=expect, profile=prof))  # type: ignore[arg-type]
    return out


def _may_examples(raw: Mapping[str, object], at: str, problems: list[str]) -> list[Example]:
    """Optional ``may: {name: profile}``: profiles on which the rule may also apply."""
    examples = raw.get("may")
    if examples is None:
        return []
    if not isinstance(examples, dict):
        problems.append(f"{at}: may: expected a mapping of example name to profile")
        return []
    out = []
    for name, profile in examples.items():
        try:
            prof = profile_from_data(profile or {}, source=f"may.{name}")
        except ProfileError as exc:
            problems.extend(f"{at}: may.{name}: {p}" for p in exc.problems)
            continue
        out.append(Example(name=str(name), expect="may", profile=prof))
    return out


def _concepts(raw: dict[str, object], ctx: ParseContext, at: str) -> tuple[str, ...]:
    concepts = [str(c) for c in raw.get("concepts") or []]  # type: ignore[attr-defined]
    for code in concepts:
        if code not in ctx.concept_codes:
            ctx.problems.append(
                f"{at}: concepts: {shown(code)} is not a category of the grounded model"
                f"{did_you_mean(code, ctx.concept_codes)}; allowed: {', '.join(ctx.concept_codes)}"
            )
    return tuple(sorted(set(concepts), key=_code_order))


def parse_rule(raw: object, ctx: ParseContext) -> Rule | None:
    """Check one rule's mapping and build it (``None`` when it has problems)."""
    if not isinstance(raw, dict):
        ctx.problems.append(
            f"{ctx.where}: a rule file holds one rule, a mapping (id: ..., title: ...); "
            f"got {type(raw).__name__}"
        )
        return None
    rid = str(raw.get("id", "?"))
    at = f"{ctx.where}: {shown(rid, 40, quote=False)}"
    bad = len(ctx.problems)
    _check_shape(raw, at, ctx.problems)
    if len(ctx.problems) > bad:
        return None
    _check_id(rid, ctx, at)
    conditions = _conditions(raw, ctx, at)
    points, reasons, excludes = _platforms(raw, at, ctx.problems)
    citations = _citations(raw, ctx, at)
    examples = parse_examples(raw, ("fires", "silent"), at, ctx.problems)
    examples += _may_examples(raw, at, ctx.problems)
    concepts = _concepts(raw, ctx, at)
    if len(ctx.problems) > bad or conditions is None:
        return None
    try:
        return Rule.model_validate(
            dict(
                id=rid,
                category=ctx.category,
                title=raw["title"],
                advice=raw["advice"],
                rationale=raw["rationale"],
                when=conditions[0],
                unless=conditions[1],
                derives=tuple(sorted(set(raw.get("derives") or ()))),
                platforms=points,
                weight_reasons=reasons,
                excludes=excludes,
                citations=tuple(citations),
                written_assumptions=tuple(raw.get("assumptions") or ()),
                notes=tuple(raw.get("notes") or ()),
                concepts=concepts,
                examples=tuple(examples),
                replaces=tuple(raw.get("replaces") or ()),
                source=ctx.where,
            )
        )
    except ValidationError as exc:
        ctx.problems.append(f"{at}: {first_error(exc)}")
        return None
