"""How the advice was reached: each rule's own condition tree, evaluated on the profile.

The trees are walked with the plain-Python evaluator (:mod:`xbec_advisor._engine.oracle`), fed with
the derived facts the engine established, so every node says whether it held and why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from .._engine.oracle import evaluate
from .._i18n import N_, _, current_language
from .._profile.labels import platform_label
from .._profile.model import DERIVED_FIELDS, Profile, condition_specs
from .._rulebase.conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    FactRef,
    Not,
    Ref,
    describe_compare,
)
from .._rulebase.models import Rule, RuleBase
from .._rulebase.presence import derived_value

if TYPE_CHECKING:
    from .._advice.models import Advice

__all__ = [
    "ConditionTrace",
    "Explanation",
    "PlatformExplanation",
    "RuleExplanation",
    "explain",
    "render_explanation",
    "render_trace",
    "trace_condition",
]


class ConditionTrace(BaseModel):
    """One node of a rule's condition, with the profile's value and whether it held."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    text: str
    #: True, False, or None when it depends on an unanswered question.
    held: bool | None
    actual: str | None = None
    derived_by: list[str] = []
    children: list[ConditionTrace] = []


class RuleExplanation(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    rule_id: str
    title: str
    fired: bool
    trace: ConditionTrace
    #: What silences the rule when it holds (``unless``), if the rule has it.
    unless: ConditionTrace | None = None


class PlatformExplanation(BaseModel):
    """A platform's score: each contributing rule with its points and its trace."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    platform: str
    rank: int | None
    score: float | None
    #: What the points are multiplied by: 1 where the papers place the platform in the firm's
    #: markets, 0.5 where only our knowledge does (None: not scored).
    factor: float | None = None
    eligible: bool
    contributions: list[tuple[int, RuleExplanation]]
    exclusions: list[RuleExplanation]


class Explanation(BaseModel):
    """Why each recommendation fired and where each platform's score comes from."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    recommendations: list[RuleExplanation]
    platforms: list[PlatformExplanation]
    derived_facts: dict[str, list[str]]


def trace_condition(
    cond: Condition,
    answers: Mapping[str, object],
    facts: Collection[str],
    derived_by: Mapping[str, list[str]],
) -> ConditionTrace:
    """Evaluate ``cond`` node by node on the answers and established facts."""
    held = evaluate(cond, answers, facts)
    if isinstance(cond, Compare):
        return ConditionTrace(
            text=describe_compare(cond),
            held=held,
            actual=condition_specs()[cond.field].show(
                derived_value(cond.field, answers)
                if cond.field in DERIVED_FIELDS
                else answers.get(cond.field)
            ),
        )
    if isinstance(cond, FactRef):
        return ConditionTrace(
            text=_("conclusion '{fact}' holds").format(fact=cond.fact),
            held=held,
            derived_by=list(derived_by.get(cond.fact, [])),
        )
    if isinstance(cond, Ref):
        return ConditionTrace(
            text=_("is {name}").format(name=cond.name),
            held=held,
            children=[trace_condition(cond.item, answers, facts, derived_by)],
        )
    if isinstance(cond, Not):
        return ConditionTrace(
            text=_("not"),
            held=held,
            children=[trace_condition(cond.item, answers, facts, derived_by)],
        )
    assert isinstance(cond, All | AnyOf)
    return ConditionTrace(
        text=_("all of") if isinstance(cond, All) else _("any of"),
        held=held,
        children=[trace_condition(i, answers, facts, derived_by) for i in cond.items],
    )


def explain_rule(
    rule: Rule,
    profile: Profile,
    facts: Collection[str],
    derived_by: Mapping[str, list[str]],
    fired: bool,
) -> RuleExplanation:
    answers = profile.model_dump()
    trace = trace_condition(rule.when, answers, facts, derived_by)
    unless = (
        trace_condition(rule.unless, answers, facts, derived_by)
        if rule.unless is not None
        else None
    )
    return RuleExplanation(
        rule_id=rule.id,
        title=rule.text_in("title", current_language()),
        fired=fired,
        trace=trace,
        unless=unless,
    )


_MARKS = {True: N_("[yes]"), False: N_("[no ]"), None: "[ ? ]"}


def render_trace(trace: ConditionTrace, indent: str = "    ") -> list[str]:
    """Text lines of a trace: [yes], [no ] or [ ? ] (unanswered) per node,
    with the profile's value.
    """
    line = f"{indent}{_(_MARKS[trace.held])} {trace.text}"
    if trace.actual is not None:
        line += _("   (your answer: {answer})").format(answer=trace.actual)
    if trace.derived_by:
        line += _("   (concluded by {rules})").format(rules=", ".join(trace.derived_by))
    lines = [line]
    for child in trace.children:
        lines += render_trace(child, indent + "  ")
    return lines


def render_rule(rec: RuleExplanation, indent: str = "    ") -> list[str]:
    """A rule's ``when`` trace, then its ``unless`` trace (if any)."""
    lines = render_trace(rec.trace, indent)
    if rec.unless is not None:
        lines += [
            indent + _("unless (silenced when this holds):"),
            *render_trace(rec.unless, indent + "  "),
        ]
    return lines


def explain(rulebase: RuleBase, profile: Profile, advice: Advice) -> Explanation:
    """The explanation of ``advice``, given for ``profile`` by ``rulebase``'s rules.

    :meth:`Advisor.explain` is the way in for library users.
    """
    prof = profile
    rules = {r.id: r for r in rulebase.rules}
    fired = {r.rule_id for r in advice.recommendations}
    derived_by = {f.name: list(f.derived_by) for f in advice.derived_facts}
    facts = list(derived_by)

    def one(rid: str) -> RuleExplanation:
        return explain_rule(rules[rid], prof, facts, derived_by, rid in fired)

    return Explanation(
        recommendations=[one(r.rule_id) for r in advice.recommendations],
        platforms=[
            PlatformExplanation(
                platform=p.platform,
                rank=p.rank,
                score=p.score,
                factor=p.factor,
                eligible=p.eligible,
                contributions=[(c.points, one(c.rule_id)) for c in p.contributions],
                exclusions=[one(e.rule_id) for e in p.excluded_by],
            )
            for p in advice.platforms
        ],
        derived_facts=derived_by,
    )


def render_explanation(explanation: Explanation) -> str:
    """The explanation as text: every recommendation's tree, then every platform's points."""
    lang = current_language()
    out = [_("HOW THE ADVICE WAS REACHED"), ""]
    for rec in explanation.recommendations:
        out.append(f"  [{rec.rule_id}] {rec.title}")
        out += render_rule(rec)
    out += ["", _("WHERE EACH PLATFORM'S SCORE COMES FROM")]
    for p in explanation.platforms:
        status = _("eligible") if p.eligible else _("not eligible")
        scored = (
            _("{score} point(s)").format(score=f"{p.score:g}")
            if p.score is not None
            else _("not scored")
        )
        out.append(f"  {p.rank or '-'}. {platform_label(p.platform, lang)}: {scored}, {status}")
        if p.contributions and p.score is not None:
            out.append(
                _(
                    "    (the strongest reason counts fully, the second half, the third a "
                    "quarter; reasons against likewise; x {factor} for presence)"
                ).format(factor=f"{p.factor:g}")
            )
        for points, rec in p.contributions:
            out.append(
                _("    {points} from [{rule}] {title}").format(
                    points=f"{points:+d}", rule=rec.rule_id, title=rec.title
                )
            )
            out += render_rule(rec, "      ")
        for rec in p.exclusions:
            out.append(
                _("    excluded by [{rule}] {title}").format(rule=rec.rule_id, title=rec.title)
            )
            out += render_rule(rec, "      ")
    return "\n".join(out) + "\n"
