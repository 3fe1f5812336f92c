"""Priorities follow the documented formula (xbec_advisor/_advice/priority.py), checked by hand."""

from __future__ import annotations

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._advice.models import DimensionView, ModelCategoryView
from xbec_advisor._advice.priority import HORIZON_OF, actions
from xbec_advisor._rulebase.citation import Citation
from xbec_advisor._rulebase.models import Rule


def _cite(paper: str) -> Citation:
    return Citation.model_construct(paper=paper, section="1", quote="a quote of ten characters")


def _rule(base: Rule, rule_id: str, **changes: object) -> Rule:
    fields = dict(
        id=rule_id,
        title=rule_id,
        platforms={},
        excludes={},
        derives=(),
        concepts=(),
        citations=(_cite("p1"),),
    )
    fields.update(changes)
    return base.model_copy(update=fields)


def _weak(*codes: str) -> list[DimensionView]:
    cats = [
        ModelCategoryView.model_construct(code=c, name=c, recommendations=[], weaknesses=["gap"])
        for c in codes
    ]
    return [DimensionView.model_construct(code="A1", name="A", role="", categories=cats)]


def test_each_criterion_adds_its_documented_points(advisor: Advisor) -> None:
    base = next(r for r in advisor.rulebase.rules if not r.needs)
    reader = next(r for r in advisor.rulebase.rules if r.needs)
    rules = [
        # platform 8 + now 3 + one paper 1 = 12
        _rule(base, "A", category="platform", platforms={"amazon": 1}),
        # precondition 4 + next 1 + paper 1 = 6 (its fact is read by the next rule)
        _rule(base, "B", category="logistics", derives=reader.needs),
        # weak points 2 x 2 (a third is not counted) + later 0 + three papers 3 = 7
        _rule(
            base,
            "C",
            category="team",
            concepts=("B1", "B2", "B3"),
            citations=(_cite("p1"), _cite("p2"), _cite("p3")),
        ),
        # paper 1 + now 3 = 4; four papers count as three: 3 + 3 = 6
        _rule(base, "D", category="compliance"),
        _rule(
            base,
            "E",
            category="compliance",
            citations=tuple(_cite(f"p{i}") for i in range(4)),
        ),
        reader.model_copy(
            update={
                "id": "F",
                "category": "team",
                "platforms": {},
                "excludes": {},
                "concepts": (),
                "citations": (_cite("p1"),),
            }
        ),
    ]
    got = {a.rule_id: (a.score, a.horizon) for a in actions(rules, _weak("B1", "B2", "B3"))}
    assert got == {
        "A": (12, "now"),
        "B": (6, "next"),
        "C": (7, "later"),
        "D": (4, "now"),
        "E": (6, "now"),
        "F": (1, "later"),
    }
    order = [a.rule_id for a in actions(rules, _weak("B1", "B2", "B3"))]
    # 12, then 7, then the two 6s: "now" before "next", then 4, then 1
    assert order == ["A", "C", "E", "B", "D", "F"]


def test_priorities_are_numbered_from_one_in_order(advisor: Advisor) -> None:
    from tests.conftest import SCENARIOS
    from xbec_advisor._profile.load import load_profile_file

    for path in SCENARIOS:
        advice = advisor.advise(load_profile_file(path))
        assert [a.priority for a in advice.actions] == list(range(1, len(advice.actions) + 1))
        assert [a.score for a in advice.actions] == sorted(
            (a.score for a in advice.actions), reverse=True
        )
        assert {a.rule_id for a in advice.actions} == {r.rule_id for r in advice.recommendations}
        assert all(a.horizon == HORIZON_OF[a.category] for a in advice.actions)


def test_the_batch_order_is_the_advice_order() -> None:
    """`score -f xlsx` orders recommendations from the weak categories alone (no model view, no
    reasons): the same order as the advice's actions, on generated profiles."""
    import random

    from xbec_advisor._advice.advisor import default_advisor
    from xbec_advisor._advice.priority import ranked, weak_points
    from xbec_advisor._profile.generate import random_profiles

    advisor = default_advisor()
    weak_seen = 0
    for profile in random_profiles(150, seed=random.Random(18).randrange(1000)):
        ev = advisor.evaluate(profile)
        grounded, ranked_actions = advisor.priorities(ev)
        assert advisor.weak_points(ev) == weak_points(grounded)
        weak_seen += bool(weak_points(grounded))
        order = [r.id for r, _, _, _ in ranked(ev.rules, advisor.weak_points(ev), explain=False)]
        assert order == [a.rule_id for a in ranked_actions]
    assert weak_seen > 10  # the weak-point criterion was exercised
