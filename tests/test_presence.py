"""Where firms and platforms sell: the presence table, and the named conditions made from it."""

from __future__ import annotations

import random

import pytest

from xbec_advisor._engine.oracle import evaluate
from xbec_advisor._profile.generate import random_answers
from xbec_advisor._rulebase.load import bundled_rulebase

RB = bundled_rulebase()
TABLE = RB.presence
assert TABLE is not None


def _places() -> list[dict[str, object]]:
    rng = random.Random(5)
    countries = sorted({c for cs in TABLE.regions.values() for c in cs})
    out: list[dict[str, object]] = [
        {},
        {"target_region": "global"},
        {"target_region": "global", "target_countries": []},
    ]
    out += [{"target_region": r} for r in TABLE.regions]
    out += [{"target_region": r, "target_countries": []} for r in TABLE.regions]
    out += [{"target_countries": rng.sample(countries, rng.randint(1, 3))} for _ in range(300)]
    out += [
        {"target_region": "global", "target_countries": rng.sample(countries, 2)}
        for _ in range(100)
    ]
    out += [{**random_answers(rng)} for _ in range(300)]
    return out


@pytest.mark.parametrize("platform", sorted(TABLE.cells))
def test_the_market_condition_agrees_with_the_table(platform: str) -> None:
    condition = RB.conditions[f"{platform}_market"].when
    for answers in _places():
        view = TABLE.of(platform, answers)
        held = evaluate(condition, answers)
        expected = None if view.status == "unknown" else view.status in ("placed", "flagged")
        assert held is expected, (answers, view)


@pytest.mark.parametrize("region", sorted(TABLE.regions))
def test_a_region_is_targeted_by_its_countries_or_by_itself(region: str) -> None:
    condition = RB.conditions[f"targets_{region}"].when
    for answers in _places():
        targets = TABLE.targets(answers)
        held = evaluate(condition, answers)
        if targets is None:
            assert held is None, answers
        else:
            assert held is any(t == region or TABLE.region_of(t) == region for t in targets), (
                answers
            )


def test_a_single_region_answer_settles_every_region_and_market() -> None:
    for region in TABLE.regions:
        for name, named in RB.conditions.items():
            if name.startswith("targets_") or name.endswith("_market"):
                assert evaluate(named.when, {"target_region": region}) is not None, (region, name)


def test_countries_override_their_region_and_papers_outrank_our_knowledge() -> None:
    assert TABLE.of("tiktok_shop", {"target_countries": ["CA"]}).status == "not_scored"
    assert TABLE.of("tiktok_shop", {"target_countries": ["US", "CA"]}).status == "placed"
    assert TABLE.of("amazon", {"target_countries": ["SG"]}).status == "flagged"
    assert TABLE.of("amazon", {"target_region": "southeast_asia"}).status == "not_scored"
    assert TABLE.of("tiktok_shop", {"target_region": "china"}).status == "excluded"
    assert TABLE.of("shopee", {"target_countries": ["TW"]}).status == "placed"
    assert TABLE.of("shopee", {"target_region": "global"}).status == "unknown"
    flagged = TABLE.of("amazon", {"target_region": "europe"})
    assert flagged.factor == 0.5 and "Our knowledge, not the papers'" in flagged.note
