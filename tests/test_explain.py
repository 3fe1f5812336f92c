"""Explanations, why-not, what-if, compare and sensitivity, for every bundled scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SCENARIOS
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._advice.ranking import combine
from xbec_advisor._analysis.explain import ConditionTrace
from xbec_advisor._analysis.whatif import Change, apply_changes, diff_advice, smallest_changes
from xbec_advisor._cli import main
from xbec_advisor._profile.load import load_profile_file

runner = CliRunner()
IDS = [p.stem for p in SCENARIOS]


def leaves(trace: ConditionTrace) -> list[ConditionTrace]:
    return [trace] if not trace.children else [leaf for c in trace.children for leaf in leaves(c)]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_explain_every_recommendation_and_platform(advisor: Advisor, scenario: Path) -> None:
    profile = load_profile_file(scenario)
    explanation = advisor.explain(profile)
    advice = advisor.advise(profile)
    assert [r.rule_id for r in explanation.recommendations] == [
        r.rule_id for r in advice.recommendations
    ]
    for rec in explanation.recommendations:
        assert rec.fired and rec.trace.held  # the rule's own tree, walked on the profile, holds
        for leaf in leaves(rec.trace):
            assert leaf.actual is not None or leaf.text.startswith("conclusion")
    for p in explanation.platforms:
        if p.score is not None:  # the documented combination of the rules' points
            assert combine([pts for pts, _ in p.contributions], p.factor or 0) == p.score
    result = runner.invoke(main, ["advise", str(scenario), "--explain"])
    assert result.exit_code == 0
    assert "HOW THE ADVICE WAS REACHED" in result.output and "[yes]" in result.output
    data = json.loads(
        runner.invoke(main, ["advise", str(scenario), "--explain", "-f", "json"]).output
    )
    assert set(data) == {"advice", "explanation"}


def test_explanation_names_the_rules_behind_derived_facts(advisor: Advisor) -> None:
    profile = load_profile_file(Path(SCENARIOS[0]).parent / "beauty-live-indonesia.yaml")
    text = runner.invoke(
        main, ["advise", str(Path(SCENARIOS[0]).parent / "beauty-live-indonesia.yaml"), "--explain"]
    ).output
    explanation = advisor.explain(profile)
    fact, rules = next(iter(explanation.derived_facts.items()))
    assert f"conclusion '{fact}' holds" in text or not any(
        fact in r.needs for r in advisor.rulebase.rules
    )
    assert rules


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_why_not_a_platform_that_is_not_first(advisor: Advisor, scenario: Path) -> None:
    advice = advisor.advise(load_profile_file(scenario))
    target = next(p.platform for p in advice.platforms if p.platform != advice.top_platform)
    result = runner.invoke(main, ["why-not", str(scenario), target, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["target"] == target and not data["satisfied"]
    for group in data["changes"]:  # every suggested change really puts the platform first
        changed = apply_changes(load_profile_file(scenario), [Change(**c) for c in group])
        assert advisor.advise(changed).top_platform == target


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_what_if_and_compare(advisor: Advisor, scenario: Path) -> None:
    result = runner.invoke(
        main,
        [
            "what-if",
            str(scenario),
            "--set",
            "target_region=southeast_asia",
            "--set",
            "content_capability=0",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    profile = load_profile_file(scenario)
    changed = apply_changes(
        profile,
        [Change(field="target_region", after="southeast_asia"), Change(field="content_capability")],
    )
    expected = diff_advice(advisor.advise(profile), advisor.advise(changed))
    assert diff == json.loads(expected.model_dump_json())
    other = SCENARIOS[(SCENARIOS.index(scenario) + 1) % len(SCENARIOS)]
    result = runner.invoke(main, ["compare", str(scenario), str(other)])
    assert result.exit_code == 0 and result.output.startswith("Answers that differ")
    assert "Recommendations gained" in result.output


def test_why_not_a_rule_shows_failed_conditions_and_a_fix() -> None:
    scenario = str(Path(SCENARIOS[0]).parent / "jewellery-b2b-alibaba.yaml")
    result = runner.invoke(main, ["why-not", scenario, "PAY-502"])
    assert result.exit_code == 0
    assert "does not fire" in result.output and "[no ]" in result.output
    assert "target_region" not in result.output.split("smallest changes")[-1]  # not a move


def test_smallest_changes_prefers_one_change(advisor: Advisor) -> None:
    profile = load_profile_file(Path(SCENARIOS[0]).parent / "b2b-no-content.yaml")
    rule = advisor.rulebase.get("LOG-101")
    found = smallest_changes(
        advisor,
        profile,
        lambda a: any(r.rule_id == "LOG-101" for r in a.recommendations),
        focus=rule.fields,
    )
    assert found and len(found[0]) == 1
    assert found[0][0].field == "logistics_modes" and "air_express" in found[0][0].after


def test_sensitivity_lists_the_most_influential_answers() -> None:
    scenario = str(Path(SCENARIOS[0]).parent / "beauty-live-indonesia.yaml")
    result = runner.invoke(main, ["sensitivity", scenario, "--top", "5", "-f", "json"])
    rows = json.loads(result.output)
    assert len(rows) == 5
    keys = [(-r["top_platform_changes"], -r["max_recommendations_changed"]) for r in rows]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["what-if", "X", "--set", "target_regoin=europe"], "did you mean 'target_region'"),
        (["what-if", "X", "--set", "target_region=asia"], "'asia' is not one of the choices"),
        (["why-not", "X", "tiktok"], "did you mean 'tiktok_shop'"),
    ],
)
def test_bad_what_if_and_why_not_arguments(args: list[str], message: str) -> None:
    scenario = str(Path(SCENARIOS[0]).parent / "beauty-live-indonesia.yaml")
    result = runner.invoke(main, [a if a != "X" else scenario for a in args])
    assert result.exit_code == 2 and message in result.stderr
