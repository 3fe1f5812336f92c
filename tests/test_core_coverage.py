"""Firms described by their core answers alone hear about platform, localization, logistics and
payment (issue 14): at least 95% of 2,000 coherent core-only firms get a recommendation in each
area, and every firm targeting a market the papers discuss gets a platform to use."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._profile.generate import CORE_FIELDS, core_answers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from core_coverage import PLATFORM_REGIONS, measure


@pytest.fixture(scope="module")
def result() -> dict[str, object]:
    return measure(2000, seed=0)


@pytest.mark.parametrize("area", ["platform", "localization", "logistics", "payment"])
def test_at_least_95_percent_of_core_only_firms_hear_about_each_area(
    result: dict[str, object], area: str
) -> None:
    shares = result["shares"]
    assert shares[area] >= 0.95, (area, shares, result["short"][area].most_common(5))  # type: ignore[index]


def test_every_firm_in_a_market_the_papers_discuss_gets_a_platform_to_use(
    result: dict[str, object],
) -> None:
    assert result["shares"]["platform to use"] == 1.0, result["short"][
        "platform to use"
    ].most_common(5)  # type: ignore[index]


def test_core_firms_use_core_answers_only_and_are_coherent() -> None:
    rng = random.Random(1)
    for _ in range(500):
        answers = core_answers(rng)
        assert set(answers) <= set(CORE_FIELDS)
        if answers["trade_direction"] == "import":
            assert answers["home_country"] == "CN" and answers["target_region"] == "china"
        assert answers["target_region"] in (
            *PLATFORM_REGIONS,
            "east_asia",
            "middle_east",
            "latin_america",
            "oceania",
            "africa",
        )


def test_an_area_with_nothing_for_the_firm_says_so(advisor: Advisor) -> None:
    advice = advisor.advise(
        {
            "business_model": "B2C",
            "trade_direction": "export",
            "home_country": "ZA",
            "target_region": "africa",
            "logistics_modes": ["postal"],
            "payment_modes": ["cash_on_delivery"],
        }
    )
    said = {a.category for a in advice.silent_areas}
    done = {r.category for r in advice.recommendations}
    assert said | done >= {"platform", "localization", "logistics", "payment"}
    assert not said & done
    assert all("The papers" in a.text for a in advice.silent_areas)
