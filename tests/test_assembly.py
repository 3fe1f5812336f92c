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
from xbec_advisor._profile.generate import random_profiles
from xbec_advisor._profile.model import RANKED_PLATFORMS
from xbec_advisor._rulebase.load import Rule


def _rules(advisor: Advisor) -> dict[str, Rule]:
    return {r.id: r for r in advisor.rulebase.rules}


def _scratch_ranking(
    advisor: Advisor, fired_ids: list[str]
) -> list[tuple[str, int, bool, list[str], list[str]]]:
    rules = [_rules(advisor)[rid] for rid in fired_ids]
    rows = []
    for platform in RANKED_PLATFORMS:
        score = sum(r.platforms.get(platform, 0) for r in rules)
        excluded = [r.id for r in rules if platform in r.excludes]
        rows.append(
            (
                platform,
                score,
                not excluded,
                [r.id for r in rules if r.platforms.get(platform, 0) > 0],
                [r.id for r in rules if r.platforms.get(platform, 0) < 0] + excluded,
            )
        )
    order = {p: i for i, p in enumerate(RANKED_PLATFORMS)}
    return sorted(rows, key=lambda row: (not row[2], -row[1], order[row[0]]))


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
        assert got == _scratch_ranking(advisor, fired_ids), f"profile #{i}"
        assert [p.rank for p in advice.platforms] == list(range(1, len(RANKED_PLATFORMS) + 1))
        assert advice.conflicts == conflicts(advice.platforms), f"profile #{i}"
        assert advice.grounded_model == grounded_view(advisor.rulebase.grounded, fired, facts), (
            f"profile #{i}"
        )
        region = advice.profile.get("target_region")
        for name in ("pest", "swot", "operation_models", "marketing_models"):
            expected = framework_entries(advisor.rulebase.frameworks, name, region, set(fired_ids))
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
    advice = advisor.advise(random_profiles(1, seed=37)[0])
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
