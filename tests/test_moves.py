"""why-not and what-if propose only changes a firm can make: never "don't know", never a loss."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import SCENARIOS
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._analysis.moves import Move, move_specs, moves_for
from xbec_advisor._analysis.whatif import smallest_changes, suggestions
from xbec_advisor._cli import main
from xbec_advisor._profile.generate import random_profiles
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._profile.model import RANKED_PLATFORMS, Profile


def _acceptable(move: Move) -> None:
    """A move is a step forward on a field the firm can change."""
    spec = move_specs()[move.field]
    assert move.after is not None, move
    if spec.kind == "raise":
        assert spec.order.index(move.after) > spec.order.index(move.before), move  # type: ignore[arg-type]
    elif spec.kind == "add":
        before = move.before or []
        assert set(before) < set(move.after), move  # type: ignore[arg-type]
    elif spec.kind == "obtain":
        assert move.after is True and move.before is not True, move
    elif spec.kind == "drop":
        assert move.before is True and move.after is False, move
    else:
        assert move.after < move.before, move  # type: ignore[operator]
    assert move.cost >= 1


def test_every_move_on_random_profiles_is_a_step_a_firm_can_take() -> None:
    fixed = {"home_country", "business_model", "trade_direction", "product_category", "firm_size"}
    for profile in random_profiles(300, seed=17):
        moves = moves_for(profile)
        assert [m.cost for m in moves] == sorted(m.cost for m in moves)
        for move in moves:
            assert move.field not in fixed
            _acceptable(move)


def test_an_unknown_scale_is_answered_not_changed() -> None:
    moves = moves_for(Profile.model_validate({"business_model": "B2C"}))
    assert not [m for m in moves if m.field in ("content_capability", "brand_status")]
    assert not [m for m in moves if m.field == "incentivized_reviews"]  # only yes -> no


@pytest.mark.parametrize(
    "name", ["jewellery-b2b-alibaba", "b2b-no-content", "new-seller-us-amazon-vs-tiktok"]
)
def test_why_not_proposes_only_acceptable_changes(advisor: Advisor, name: str) -> None:
    profile = load_profile_file(next(p for p in SCENARIOS if p.stem == name))
    advice = advisor.advise(profile)
    fired = {r.rule_id for r in advice.recommendations}
    targets = [r for r in advisor.rulebase.rules if r.id not in fired][:12]
    found_any = False
    for rule in targets:
        goal = lambda a, rid=rule.id: any(r.rule_id == rid for r in a.recommendations)  # noqa: E731
        groups = smallest_changes(advisor, profile, goal, rule.fields, budget=300)
        costs = [sum(m.cost for m in g) for g in groups]
        assert costs == sorted(costs)
        for group in groups:
            found_any = True
            for move in group:
                _acceptable(move)
            assert goal(
                advisor.advise(profile.model_copy(update={m.field: m.after for m in group}))
            )
    assert found_any


def test_what_if_suggestions_are_acceptable_and_checked(advisor: Advisor) -> None:
    profile = load_profile_file(next(p for p in SCENARIOS if p.stem == "b2b-no-content"))
    rows = suggestions(advisor, profile)
    assert rows
    for row in rows:
        _acceptable(row.move)
        assert row.gained or row.top_after != row.top_before
    assert [r.move.cost for r in rows] == sorted(r.move.cost for r in rows)


def test_why_not_json_never_contains_an_unknown() -> None:
    path = str(next(p for p in SCENARIOS if p.stem == "b2b-no-content"))
    for target in [*RANKED_PLATFORMS, "LOG-101"]:
        out = CliRunner().invoke(main, ["why-not", path, target, "-f", "json"])
        assert out.exit_code == 0, out.output
        for group in json.loads(out.output)["changes"]:
            for move in group:
                assert move["after"] is not None


def test_compare_starts_with_the_answers_that_differ() -> None:
    a = str(next(p for p in SCENARIOS if p.stem == "b2b-no-content"))
    b = str(next(p for p in SCENARIOS if p.stem == "jewellery-b2b-alibaba"))
    out = CliRunner().invoke(main, ["compare", a, b])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Answers that differ (")
    assert "Products" in out.output and "Industrial supplies" in out.output
