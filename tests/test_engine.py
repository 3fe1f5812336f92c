"""The durable-rules engine agrees with the plain-Python oracle, and is deterministic."""

from __future__ import annotations

import gc
import json
import resource
from concurrent.futures import ThreadPoolExecutor

from xbec_advisor import advise
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._engine import limits, passes
from xbec_advisor._engine.durable import Engine, EngineRule
from xbec_advisor._engine.encoding import with_derived
from xbec_advisor._engine.oracle import run_rules, run_rules3
from xbec_advisor._profile.generate import random_profiles
from xbec_advisor._profile.model import Profile
from xbec_advisor._rulebase.conditions import parse_condition


def test_engine_agrees_with_oracle_on_generated_profiles(advisor: Advisor) -> None:
    rules = advisor.rulebase.rules
    fired_somewhere: set[str] = set()
    for i, profile in enumerate(random_profiles(3000, seed=7)):
        result = advisor.engine.evaluate(profile)  # an EngineError here fails the test
        fired, facts = run_rules(rules, profile.model_dump())
        assert result.fired == sorted(fired), f"profile #{i}"
        assert result.facts == sorted(facts), f"profile #{i}"
        fired_somewhere.update(fired)
    # the generated profiles exercise most of the rule base, not a trivial corner of it
    assert len(fired_somewhere) >= 0.8 * len(rules)


def test_engine_agrees_with_oracle_when_most_answers_are_unknown(advisor: Advisor) -> None:
    for profile in random_profiles(1000, seed=11, unknown_rate=0.8):
        fired, facts = run_rules(advisor.rulebase.rules, profile.model_dump())
        result = advisor.engine.evaluate(profile)
        assert (result.fired, result.facts) == (sorted(fired), sorted(facts))


def test_engine_and_oracle_agree_on_what_may_also_apply(advisor: Advisor) -> None:
    found = 0
    for i, profile in enumerate(random_profiles(1500, seed=17, unknown_rate=0.5)):
        result = advisor.engine.evaluate(profile)
        _, _, maybe, maybe_facts = run_rules3(advisor.rulebase.rules, profile.model_dump())
        assert result.maybe == sorted(maybe), f"profile #{i}"
        assert result.maybe_facts == sorted(maybe_facts), f"profile #{i}"
        found += len(maybe)
    assert found > 1500  # most half-answered profiles leave some rules open


def _c(data: object) -> object:
    return parse_condition(data)


def test_forward_chaining_fires_rules_that_need_derived_facts() -> None:
    engine = Engine(
        [
            EngineRule(
                "A-001",
                _c({"field": "target_region", "op": "eq", "value": "southeast_asia"}),
                None,
                ("payment_friction",),
                0,
            ),
            EngineRule(
                "A-002",
                _c(
                    {
                        "all": [
                            {"fact": "payment_friction"},
                            {"field": "business_model", "op": "eq", "value": "B2C"},
                        ]
                    }
                ),
                None,
                ("trust_gap",),
                1,
            ),
            EngineRule("A-003", _c({"fact": "trust_gap"}), None, (), 2),
        ]
    )
    result = engine.evaluate(Profile(target_region="southeast_asia", business_model="B2C"))
    assert result.fired == ["A-001", "A-002", "A-003"]
    assert result.facts == ["payment_friction", "trust_gap"]
    assert engine.evaluate(Profile(target_region="southeast_asia", business_model="B2B")).fired == [
        "A-001"
    ]


def test_derived_facts_can_be_read_under_any_and_not() -> None:
    sea = {"field": "target_region", "op": "eq", "value": "southeast_asia"}
    engine = Engine(
        [
            EngineRule("A-001", _c(sea), None, ("payment_friction",), 0),
            EngineRule(
                "A-002",
                _c({"field": "business_model", "op": "eq", "value": "B2B"}),
                None,
                ("trust_gap",),
                0,
            ),
            EngineRule("B-001", _c({"not": {"fact": "payment_friction"}}), None, (), 1),
            EngineRule(
                "B-002",
                _c({"any": [{"fact": "payment_friction"}, {"fact": "trust_gap"}]}),
                None,
                (),
                1,
            ),
            EngineRule(
                "B-003",
                _c({"field": "business_model", "op": "present"}),
                _c({"fact": "trust_gap"}),
                (),
                1,
            ),
        ]
    )
    assert engine.evaluate(Profile(target_region="southeast_asia", business_model="B2C")).fired == [
        "A-001",
        "B-002",
        "B-003",
    ]
    assert engine.evaluate(Profile(target_region="europe", business_model="B2B")).fired == [
        "A-002",
        "B-001",
        "B-002",
    ]
    assert engine.evaluate(Profile(target_region="europe", business_model="B2C")).fired == [
        "B-001",
        "B-003",
    ]


def test_three_valued_conditions_and_unless() -> None:
    # not of an unanswered comparison is unknown: it never fires;
    # an unanswered `unless` does not silence
    engine = Engine(
        [
            EngineRule(
                "N-001", _c({"not": {"field": "business_model", "op": "eq", "value": "B2B"}})
            ),
            EngineRule(
                "U-001",
                _c({"field": "trade_direction", "op": "eq", "value": "export"}),
                _c({"field": "cultural_adaptation", "op": "eq", "value": "localized"}),
            ),
            EngineRule(
                "K-001",
                _c(
                    {
                        "any": [
                            {"field": "years_cross_border", "op": "lte", "value": 1},
                            {"not": {"field": "monthly_orders", "op": "gt", "value": 100}},
                        ]
                    }
                ),
            ),
        ]
    )
    assert engine.evaluate(Profile()).fired == []
    assert engine.evaluate(Profile(business_model="B2C")).fired == ["N-001"]
    assert engine.evaluate(Profile(trade_direction="export")).fired == ["U-001"]
    assert engine.evaluate(
        Profile(trade_direction="export", cultural_adaptation="translated")
    ).fired == ["U-001"]
    assert (
        engine.evaluate(Profile(trade_direction="export", cultural_adaptation="localized")).fired
        == []
    )
    assert engine.evaluate(Profile(monthly_orders=50)).fired == ["K-001"]
    assert engine.evaluate(Profile(monthly_orders=500)).fired == []
    assert engine.evaluate(Profile(monthly_orders=500, years_cross_border=0)).fired == ["K-001"]


def test_same_profile_gives_identical_advice_in_the_same_order() -> None:
    profile = random_profiles(1, seed=3)[0]
    first = advise(profile).model_dump_json()
    assert all(advise(profile).model_dump_json() == first for _ in range(20))
    fresh = Advisor().advise(profile).model_dump_json()  # a second, independently compiled engine
    assert fresh == first


def test_eight_threads_give_the_sequential_results(advisor: Advisor) -> None:
    profiles = random_profiles(800, seed=5)
    sequential = [advisor.advise(p).model_dump_json() for p in profiles]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda p: advisor.advise(p).model_dump_json(), profiles))
    assert concurrent == sequential


def test_evaluations_are_isolated(advisor: Advisor) -> None:
    a, b = random_profiles(2, seed=9)
    alone = advisor.engine.evaluate(b).fired
    advisor.engine.evaluate(a)
    assert advisor.engine.evaluate(b).fired == alone


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_memory_stays_flat_over_many_evaluations(advisor: Advisor) -> None:
    profiles = random_profiles(200, seed=13)
    for p in profiles * 5:  # warm up caches and allocator pools
        advisor.engine.evaluate(p)
    gc.collect()
    before = _rss_mb()
    for _ in range(150):
        for p in profiles:
            advisor.engine.evaluate(p)
    gc.collect()
    assert _rss_mb() - before < 5.0, "RSS grew over 30,000 evaluations"


def test_compiled_definitions_are_plain_json_within_the_limits(advisor: Advisor) -> None:
    definitions = advisor.engine.definitions
    text = json.dumps(definitions)
    assert "lambda" not in text and "<function" not in text
    assert all(limits.check(d) is None for d in definitions)
    names = {name for d in definitions for name in d if name != "sweep"}
    assert len(names) == sum(len(d) - 1 for d in definitions)  # each engine rule once


def test_a_batch_gives_the_results_of_one_profile_at_a_time(advisor: Advisor) -> None:
    answers = [p.model_dump() for p in random_profiles(300, seed=21, unknown_rate=0.4)]
    batch = advisor.engine.evaluate_many(answers)
    alone = [advisor.engine.evaluate_answers(a) for a in answers]
    assert [(r.fired, r.facts, r.maybe, r.maybe_facts) for r in batch] == [
        (r.fired, r.facts, r.maybe, r.maybe_facts) for r in alone
    ]


def test_each_ruleset_encodes_only_the_members_it_tests(advisor: Advisor) -> None:
    for one in advisor.engine._passes:
        for ruleset in one.rulesets:
            tested = {n for rule in ruleset.definition.values() for n in passes.members_of(rule)}
            for profile in [Profile(), *random_profiles(50, seed=5)]:
                text = ruleset.encoder.encode(with_derived(profile.model_dump()), {"x": 1})
                fact = json.loads("{" + text[1:] + "}") if text else {}
                assert set(fact) <= tested


def test_compiled_rules_are_cached_by_identity_and_equal_when_fresh(advisor: Advisor) -> None:
    from xbec_advisor._engine import compiler

    for rule in advisor.rulebase.rules[:20]:
        cached = compiler.compile_rule(rule.when, rule.unless)
        assert compiler.compile_rule(rule.when, rule.unless) is cached
        copy = rule.unless.model_copy(deep=True) if rule.unless is not None else None
        assert compiler.compile_rule(rule.when.model_copy(deep=True), copy) == cached
    other = parse_condition({"field": "business_model", "op": "eq", "value": "B2C"})
    assert compiler.compile_rule(other) != compiler.compile_rule(
        parse_condition({"field": "business_model", "op": "eq", "value": "B2B"})
    )
