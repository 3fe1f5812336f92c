"""The shared parts of advice (``_assembly``) equal the same parts computed
from scratch (``views``).
"""

from __future__ import annotations

import pytest

from tests.reference_views import framework_entries, grounded_view
from xbec_advisor._advice import parts as _assembly
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._advice.conflicts import conflicts
from xbec_advisor._advice.models import construct
from xbec_advisor._advice.ranking import combine, order_key
from xbec_advisor._engine.oracle import evaluate
from xbec_advisor._profile.generate import random_profiles
from xbec_advisor._profile.model import RANKED_PLATFORMS
from xbec_advisor._rulebase.load import Rule
from xbec_advisor._rulebase.presence import bundled_presence


def _rules(advisor: Advisor) -> dict[str, Rule]:
    return {r.id: r for r in advisor.rulebase.rules}


def _scratch_ranking(
    advisor: Advisor, fired_ids: list[str], answers: dict[str, object]
) -> list[tuple[str, float | None, bool, list[str], list[str]]]:
    """The ranking recomputed from the rules, the presence table and ranking.py's formula."""
    rules = [_rules(advisor)[rid] for rid in fired_ids]
    table = bundled_presence()
    rows = []
    for platform in RANKED_PLATFORMS:
        view = table.of(platform, answers)
        excluded = [r.id for r in rules if platform in r.excludes]
        eligible = not excluded and view.status != "excluded"
        points = [r.platforms[platform] for r in rules if platform in r.platforms]
        score = combine(points, view.factor) if eligible and view.factor > 0 else None
        rows.append(
            (
                platform,
                score,
                eligible,
                [r.id for r in rules if r.platforms.get(platform, 0) > 0],
                [r.id for r in rules if r.platforms.get(platform, 0) < 0] + excluded,
            )
        )
    scored = sorted((r for r in rows if r[1] is not None), key=lambda r: order_key(r[0], r[1]))
    return [*scored, *(r for r in rows if r[1] is None)]  # the unscored follow, unranked


def test_shared_parts_equal_parts_built_from_scratch(advisor: Advisor) -> None:
    for i, profile in enumerate(random_profiles(1500, seed=23)):
        advice = advisor.advise(profile)
        fired_ids = sorted(r.rule_id for r in advice.recommendations)
        fired = [_rules(advisor)[r.rule_id] for r in advice.recommendations]
        facts = [f.name for f in advice.derived_facts]
        got = [
            (p.platform, p.score, p.eligible, p.rules_for, p.rules_against)
            for p in advice.platforms
        ]
        expected = _scratch_ranking(advisor, fired_ids, dict(profile.answered()))
        ranked = [(g[0], g[1]) for g in got if g[1] is not None]
        assert ranked == [(e[0], e[1]) for e in expected if e[1] is not None], f"profile #{i}"
        assert sorted(got, key=str) == sorted(expected, key=str), f"profile #{i}"
        scores = [p.score for p in advice.platforms if p.score is not None]
        assert [p.rank for p in advice.platforms if p.score is not None] == [
            1 + sum(1 for s in scores if s > score) for score in scores
        ]
        assert advice.conflicts == conflicts(advice.platforms), f"profile #{i}"
        grounded = advisor.rulebase.grounded
        signals = {n for c in grounded.categories.values() for n in c.signals} if grounded else ()
        holding = [
            name
            for name in sorted(signals)
            if name in advisor.rulebase.conditions
            and evaluate(advisor.rulebase.conditions[name].when, profile.answered()) is True
        ]
        assert advice.grounded_model == grounded_view(grounded, fired, [*facts, *holding]), (
            f"profile #{i}"
        )
        region = advice.profile.get("target_region")
        for name in ("pest", "swot", "operation_models", "marketing_models"):
            expected = framework_entries(
                advisor.rulebase.frameworks, name, region, set(fired_ids), advisor.rulebase.figures
            )
            assert getattr(advice, name) == expected, f"profile #{i}: {name}"
        for fact in advice.derived_facts:
            assert fact.derived_by == [r.id for r in fired if fact.name in r.derives]


def test_full_caches_stop_growing_and_results_stay_the_same(
    monkeypatch: pytest.MonkeyPatch, advisor: Advisor
) -> None:
    monkeypatch.setattr(_assembly, "CACHE_LIMIT", 3)
    small = Advisor(advisor.rulebase)
    profiles = random_profiles(200, seed=29)
    for profile in profiles:
        assert small.advise(profile, as_of=2026) == advisor.advise(profile, as_of=2026)
    assert all(
        len(cache) <= 6
        for cache in vars(small._parts).values()
        if isinstance(cache, _assembly._Interned)
    )


def test_evaluate_gives_the_core_of_advise(advisor: Advisor) -> None:
    for i, profile in enumerate(random_profiles(500, seed=31)):
        evaluation, advice = advisor.evaluate(profile), advisor.advise(profile)
        assert [r.id for r in evaluation.rules] == [r.rule_id for r in advice.recommendations], (
            f"profile #{i}"
        )
        assert (
            evaluation.platforms == advice.platforms and evaluation.conflicts == advice.conflicts
        ), f"profile #{i}"
        assert (
            evaluation.facts == [f.name for f in advice.derived_facts]
            and evaluation.top_platform == advice.top_platform
        )


def test_fast_construction_builds_what_model_construct_builds(advisor: Advisor) -> None:
    # a profile on which the papers pull in different directions (a conflict is built too)
    advice = next(
        a for a in map(advisor.advise, random_profiles(500, seed=37)) if a.conflicts and a.pest
    )
    models = [
        advice,
        *advice.platforms,
        *advice.grounded_model,
        *advice.pest,
        *advice.derived_facts,
        *advice.conflicts,
    ]
    assert {type(m).__name__ for m in models} >= {
        "Advice",
        "PlatformScore",
        "DimensionView",
        "FrameworkEntry",
        "PlatformConflict",
    }
    for model in models:
        values = {name: getattr(model, name) for name in type(model).model_fields}
        fast, slow = construct(type(model), dict(values)), type(model).model_construct(**values)
        assert fast == slow and fast.model_dump_json() == slow.model_dump_json()
        assert (
            fast.model_fields_set == slow.model_fields_set
            and fast.__pydantic_extra__ == slow.__pydantic_extra__
        )
        assert fast.__pydantic_private__ == slow.__pydantic_private__
        assert type(model).model_validate(slow.model_dump()) == fast  # and it is a valid model
