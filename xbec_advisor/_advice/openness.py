"""What the advice leaves open: the recommendations that may also apply, the questions that would
settle them, and the areas where nothing applies, said out loud.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._i18n import _, current_language
from .._profile.labels import question
from .._profile.model import field_specs
from .._rulebase.models import CATEGORY_TITLES, Rule
from .models import MayApply, OpenQuestion, SilentArea, construct

__all__ = ["AREAS", "may_apply", "open_questions", "silent_areas"]

#: The areas every firm hears about: when none of their recommendations applies, the advice says
#: what the papers do cover instead (rules/areas.yaml).
AREAS = ("platform", "localization", "logistics", "payment")


def _questions(
    rule: Rule, answers: Mapping[str, object], derivers: Mapping[str, list[Rule]]
) -> list[str]:
    """The unanswered questions a rule reads, directly or through the facts it needs."""
    order = list(field_specs())
    found = {f for f in rule.fields if answers.get(f) is None}
    for fact in rule.needs:
        for other in derivers.get(fact, ()):
            found |= {f for f in other.fields if answers.get(f) is None}
    return sorted(found & set(order), key=order.index)


def may_apply(
    maybe: list[Rule], answers: Mapping[str, object], rules: list[Rule]
) -> list[MayApply]:
    """Each rule that may also apply, with the unanswered questions that decide it."""
    derivers: dict[str, list[Rule]] = {}
    for rule in rules:
        for fact in rule.derives:
            derivers.setdefault(fact, []).append(rule)
    return [
        construct(
            MayApply,
            dict(
                rule_id=r.id,
                category=r.category,
                title=r.text_in("title", current_language()),
                questions=_questions(r, answers, derivers),
            ),
        )
        for r in maybe
    ]


def open_questions(open_rules: list[MayApply]) -> list[OpenQuestion]:
    """The questions that decide what may apply, the ones settling the most advice first."""
    settles: dict[str, list[str]] = {}
    for item in open_rules:
        for field in item.questions:
            settles.setdefault(field, []).append(item.rule_id)
    order = list(field_specs())
    ranked = sorted(settles, key=lambda f: (-len(settles[f]), order.index(f)))
    lang = current_language()
    return [
        construct(OpenQuestion, dict(field=f, question=question(f, lang), settles=settles[f]))
        for f in ranked
    ]


def silent_areas(
    fired: list[Rule], open_rules: list[MayApply], covers: Mapping[str, str]
) -> list[SilentArea]:
    """The areas of :data:`AREAS` in which no recommendation fired, with what the papers cover
    (``covers``: in the current language)."""
    done = {r.category for r in fired}
    pending = {item.category for item in open_rules}
    out = []
    for area in AREAS:
        if area in done or area not in covers:
            continue
        lead = (
            _(
                "The papers have no recommendation of this kind for a firm with your answers; "
                "some may apply once you answer the open questions."
            )
            if area in pending
            else _("The papers have no recommendation of this kind for a firm with your answers.")
        )
        out.append(
            construct(
                SilentArea,
                dict(
                    category=area,
                    title=_(CATEGORY_TITLES[area]),
                    text=f"{lead} {covers[area]}",
                ),
            )
        )
    return out
