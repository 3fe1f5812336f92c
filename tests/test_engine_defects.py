"""Each durable-rules 2.0.28 defect the engine works around, with a test that fails without it.

The numbers follow ../shared/notes/durable-rules.md. Crashes are reproduced in subprocesses;
``MALLOC_PERTURB_`` makes glibc fill fresh memory with garbage, so the engine's uninitialised
pointers (defect 3) crash deterministically instead of now and then.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
import threading

import durable_rules_engine as dre
import pytest

from xbec_advisor._engine import durable as engine_module
from xbec_advisor._engine.compiler import CATCH_ALL, compile_pass
from xbec_advisor._engine.durable import Engine, EngineRule
from xbec_advisor._errors import EngineError
from xbec_advisor._profile.model import Profile
from xbec_advisor._rulebase.conditions import parse_condition

ENV = {**os.environ, "MALLOC_PERTURB_": "165"}


def _run(code: str, perturb: str = "165") -> subprocess.CompletedProcess[str]:
    env = {**ENV, "MALLOC_PERTURB_": perturb}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _gt_rules(n: int) -> list[EngineRule]:
    return [
        EngineRule(
            f"N-{k:03d}", parse_condition({"field": "monthly_orders", "op": "gt", "value": k})
        )
        for k in range(n)
    ]


# Defect 3: delete_state on a session in which no action ran crashes the process.
def test_defect3_raw_binding_crashes_deleting_a_session_without_actions() -> None:
    proc = _run("""
        import json, durable_rules_engine as d
        h = d.create_ruleset(
            "raw3", json.dumps({"r": {"all": [{"m": {"$and": [{"kind": "profile"}, {"x": 1}]}}]}})
        )
        d.assert_fact(h, json.dumps({"sid": "1", "id": "p", "kind": "profile", "x": 2}))
        d.delete_state(h, "1")
        print("survived")
    """)
    assert proc.returncode != 0 and "survived" not in proc.stdout  # documents the defect itself


def test_defect3_engine_survives_profiles_that_match_no_rule() -> None:
    proc = _run("""
        from xbec_advisor._rulebase.conditions import parse_condition
        from xbec_advisor._engine.durable import Engine, EngineRule
        from xbec_advisor._profile.model import Profile
        when = parse_condition({"field": "business_model", "op": "eq", "value": "B2B"})
        engine = Engine([EngineRule("A-001", when)])
        for _ in range(200):
            assert engine.evaluate(Profile(business_model="B2C")).fired == []
        print("survived")
    """)
    assert proc.returncode == 0 and "survived" in proc.stdout, proc.stderr


def test_defect3_catch_all_rule_is_compiled_in() -> None:
    definition = compile_pass([])
    assert definition[CATCH_ALL] == {"all": [{"m": {"kind": "profile"}}]}


# Defect 1: error 303 when one fact leaves more than 64 alpha nodes pending.
def test_defect1_raw_order_fails_where_the_compiled_order_succeeds() -> None:
    raw = {
        f"r{k}": {"all": [{"m": {"$and": [{"$gt": {"v": k}}, {"kind": "profile"}]}}]}
        for k in range(64)
    }
    raw["c"] = {"all": [{"m": {"kind": "profile"}}]}
    handle = dre.create_ruleset("raw303", json.dumps(raw))
    try:
        with pytest.raises(Exception, match="303"):
            dre.assert_fact(
                handle, json.dumps({"sid": "1", "id": "p", "kind": "profile", "v": 1000})
            )
    finally:
        dre.delete_ruleset(handle)
    # the same 64 conditions through the compiler (equalities first) run fine
    engine = Engine(_gt_rules(64))
    assert len(engine.evaluate(Profile(monthly_orders=1000)).fired) == 64


def test_defect1_failed_asserts_raise_engine_error_and_never_crash() -> None:
    proc = _run("""
        from xbec_advisor._rulebase.conditions import parse_condition
        from xbec_advisor._engine import durable
        from xbec_advisor._engine.durable import Engine, EngineRule
        from xbec_advisor._errors import EngineError
        from xbec_advisor._profile.model import Profile
        durable.MAX_RULESET_RULES = 10_000  # one ruleset, to provoke defect 1
        engine = Engine([
            EngineRule(
                f"N-{k:03d}", parse_condition({"field": "monthly_orders", "op": "gt", "value": k})
            )
            for k in range(80)
        ])
        failures = 0
        for _ in range(1100):  # more than the 1,024 sessions a ruleset can hold (defect 4)
            try:
                engine.evaluate(Profile(monthly_orders=1000))
            except EngineError:
                failures += 1
        assert failures == 1100
        assert engine.evaluate(Profile(firm_size="small")).fired == []  # no number: nothing pending
        print("survived")
    """)
    assert proc.returncode == 0 and "survived" in proc.stdout, proc.stderr


# Defect 4: at most 1,024 live sessions per ruleset.
def test_defect4_raw_binding_runs_out_of_sessions() -> None:
    handle = dre.create_ruleset("raw1024", json.dumps({"c": {"all": [{"m": {"kind": "profile"}}]}}))
    try:
        with pytest.raises(MemoryError):
            for i in range(1100):
                dre.assert_fact(handle, json.dumps({"sid": str(i), "id": "p", "kind": "profile"}))
    finally:
        dre.delete_ruleset(handle)


def test_defect4_engine_deletes_every_session() -> None:
    engine = Engine(_gt_rules(3))
    for _ in range(3000):
        assert engine.evaluate(Profile(monthly_orders=2)).fired == ["N-000", "N-001"]


# Defect 5: the Host's background threads; the engine uses no Host and locks each ruleset.
def test_defect5_no_host_and_no_background_threads() -> None:
    proc = _run("""
        import sys, threading
        from xbec_advisor import advise
        advise({"business_model": "B2C", "target_region": "southeast_asia"})
        assert "durable.engine" not in sys.modules and "durable.lang" not in sys.modules
        assert threading.active_count() == 1, threading.enumerate()
        print("ok")
    """)
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr


def test_defect5_concurrent_callers_are_serialised() -> None:
    engine = Engine(_gt_rules(10))
    results: list[list[str]] = []

    def work() -> None:
        for k in range(300):
            results.append(engine.evaluate(Profile(monthly_orders=k % 12)).fired)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = [[f"N-{j:03d}" for j in range(min(k % 12, 10))] for k in range(300)]
    assert sorted(map(tuple, results)) == sorted(map(tuple, expected * 8))


# Defect 6: errors inside action handling must surface, not be swallowed.
def test_defect6_errors_while_running_actions_surface(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _chain_engine()

    def failing(handle: int, state: object) -> object:
        raise RuntimeError("Could not complete action, error code: 303")

    monkeypatch.setattr(engine_module._dre, "complete_and_start_action", failing)
    with pytest.raises(EngineError, match="303"):
        engine.evaluate(Profile(business_model="B2C"))


def test_defect6_a_failure_in_a_later_pass_surfaces(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _chain_engine()
    original = dre.assert_fact

    def failing(handle: int, payload: str) -> tuple[int, int]:
        if '"trust_gap"' in payload:  # the second pass, with the fact the first derived
            raise RuntimeError("Could not assert fact, error code: 303")
        return original(handle, payload)

    monkeypatch.setattr(engine_module._dre, "assert_fact", failing)
    with pytest.raises(EngineError, match="303"):
        engine.evaluate(Profile(business_model="B2C"))


# Defect 7: identical facts asserted twice in one session.
def test_defect7_a_fact_derived_by_two_rules_is_asserted_once() -> None:
    engine = Engine(
        [
            EngineRule(
                "A-001",
                parse_condition({"field": "business_model", "op": "eq", "value": "B2C"}),
                None,
                ("trust_gap",),
            ),
            EngineRule(
                "A-002",
                parse_condition({"field": "firm_size", "op": "eq", "value": "micro"}),
                None,
                ("trust_gap",),
            ),
            EngineRule("A-003", parse_condition({"fact": "trust_gap"}), None, (), 1),
        ]
    )
    result = engine.evaluate(Profile(business_model="B2C", firm_size="micro"))
    assert result.fired == ["A-001", "A-002", "A-003"] and result.facts == ["trust_gap"]


def test_defect7_raw_binding_reports_a_duplicate_fact() -> None:
    handle = dre.create_ruleset("raw-dup", json.dumps({"c": {"all": [{"m": {"kind": "derived"}}]}}))
    try:
        fact = json.dumps({"sid": "1", "id": "d-x", "kind": "derived", "name": "x"})
        assert dre.assert_fact(handle, fact)[0] == 0
        assert dre.assert_fact(handle, fact)[0] == 2  # "observed": the second would vanish
    finally:
        dre.delete_ruleset(handle)


# Defect 8: rulesets are global; a discarded one must be deleted.
def test_defect8_discarded_engines_release_their_ruleset() -> None:
    engine = Engine(_gt_rules(2))
    handle = engine._passes[0][0].handle
    del engine
    gc.collect()
    with pytest.raises(Exception, match=r"111|handle"):
        dre.delete_ruleset(handle)  # already deleted by the engine's finaliser


def test_engines_with_the_same_rules_coexist() -> None:
    first, second = Engine(_gt_rules(2)), Engine(_gt_rules(2))
    assert (
        first.evaluate(Profile(monthly_orders=5)).fired
        == second.evaluate(Profile(monthly_orders=5)).fired
    )


# Types: floats with an exponent are rejected by the engine; profiles are normalised.
def test_small_floats_are_normalised_before_the_engine() -> None:
    engine = Engine(
        [
            EngineRule(
                "A-001", parse_condition({"field": "response_time_hours", "op": "lt", "value": 1})
            )
        ]
    )
    assert engine.evaluate(Profile(response_time_hours=0.00001)).fired == ["A-001"]
    assert Profile(response_time_hours=0.00001).response_time_hours == 0.0


# Session reuse: creating a session costs about as much as an evaluation, so one session serves
# many; each evaluation retracts the facts it asserted.
def _chain_engine() -> Engine:
    return Engine(
        [
            EngineRule(
                "A-001",
                parse_condition({"field": "business_model", "op": "eq", "value": "B2C"}),
                None,
                ("trust_gap",),
            ),
            EngineRule("A-002", parse_condition({"fact": "trust_gap"}), None, (), 1),
        ]
    )


def test_raw_binding_retracts_a_fact_by_its_id_alone() -> None:
    handle = dre.create_ruleset(
        "raw-retract", json.dumps({"c": {"all": [{"m": {"kind": "profile"}}]}})
    )
    try:
        fact = json.dumps({"sid": "1", "id": "profile", "kind": "profile", "x": 1})
        assert dre.assert_fact(handle, fact)[0] == 0
        assert (
            dre.assert_fact(handle, fact)[0] == 2
        )  # still there: a second would vanish (defect 7)
        assert dre.retract_fact(handle, json.dumps({"sid": "1", "id": "profile"}))[0] == 0
        assert dre.assert_fact(handle, fact)[0] == 0
    finally:
        dre.delete_ruleset(handle)


def test_a_reused_session_keeps_nothing_from_the_previous_profile() -> None:
    engine = _chain_engine()
    for _ in range(3):
        assert engine.evaluate(Profile(business_model="B2C")).fired == ["A-001", "A-002"]
        assert engine.evaluate(Profile(business_model="B2C")).fired == [
            "A-001",
            "A-002",
        ]  # same profile again
        assert (
            engine.evaluate(Profile(business_model="B2B")).fired == []
        )  # no derived fact left behind
    assert [one.session for rulesets in engine._passes for one in rulesets] == ["1", "1"]


def test_a_session_is_replaced_after_its_share_of_evaluations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine_module, "SESSION_EVALUATIONS", 5)
    deleted: list[str] = []
    original = dre.delete_state

    def counting(handle: int, sid: str) -> object:
        deleted.append(sid)
        return original(handle, sid)

    monkeypatch.setattr(engine_module._dre, "delete_state", counting)
    engine = _chain_engine()
    for k in range(12):
        assert engine.evaluate(Profile(business_model="B2C" if k % 2 else "B2B")).fired == (
            ["A-001", "A-002"] if k % 2 else []
        )
    assert deleted == ["1", "1", "2", "2"] and engine._passes[0][0].session == "3"


def test_a_session_that_saw_an_error_is_deleted_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "MAX_RULESET_RULES", 10_000)  # one ruleset: defect 1
    engine = Engine(_gt_rules(80))
    assert engine.evaluate(Profile(firm_size="small")).fired == []  # no number: nothing pending
    with pytest.raises(EngineError, match="303"):
        engine.evaluate(Profile(monthly_orders=1000))  # defect 1, in a session that served one
    first = engine._passes[0][0]
    assert first.session == "2" and first.leaked == 0  # deleted (an action had run in it)
    assert engine.evaluate(Profile(firm_size="micro")).fired == []


@pytest.mark.parametrize("code, attempts", [(102, 3), (113, 1)])
def test_a_ruleset_that_cannot_be_built_raises_engine_error(
    monkeypatch: pytest.MonkeyPatch, code: int, attempts: int
) -> None:
    calls: list[str] = []

    def failing(name: str, definition: str) -> int:
        calls.append(name)
        raise RuntimeError(f"Could not create ruleset, error code: {code}")

    monkeypatch.setattr(engine_module._dre, "create_ruleset", failing)
    with pytest.raises(
        EngineError, match=rf"could not build the ruleset \({attempts} attempt\(s\)\): .*{code}"
    ):
        Engine(_gt_rules(2))
    assert (
        len(calls) == attempts and len(set(calls)) == attempts
    )  # only 102 is retried, each time under a new name


# Defect 9: with freed memory filled with 9 (JSON_IDENTIFIER), createAlpha's unset operand type
# reads as an identifier for an $iany over an $or, and create_ruleset fails with error 102.
_DEFECT9_SETUP = """
    import json, durable_rules_engine as dre
    from xbec_advisor._engine import durable as engine
    from xbec_advisor._engine.compiler import compile_pass
    from xbec_advisor._rulebase.conditions import parse_condition
    from xbec_advisor._profile.model import Profile
    when = parse_condition(
        {"field": "payment_modes", "op": "contains_any", "value": ["paypal", "alipay"]}
    )
"""


def test_defect9_raw_binding_fails_to_create_a_ruleset_on_reused_memory() -> None:
    # the shape the compiler used to emit for "contains any of": an $iany over a bare $or
    done = _run(
        _DEFECT9_SETUP
        + """
    from xbec_advisor._engine import compiler
    compiler._item_in = lambda values: compiler._or([{"$i": x} for x in values])
    definition = json.dumps(compile_pass([("R-1", when, None)]))
    assert '"$iany": {"payment_modes": {"$or"' in definition
    raw = []
    for rnd in range(4):  # rulesets created and deleted in rounds: later ones reuse freed memory
        handles = []
        for k in range(4):
            try:
                handles.append(dre.create_ruleset(f"r{rnd}-{k}", definition))
                raw.append("ok")
            except Exception as exc:
                raw.append(str(exc))
        for handle in handles:
            dre.delete_ruleset(handle)
    print(json.dumps(raw))
    """,
        perturb="9",
    )
    raw = json.loads(done.stdout)
    assert raw[0] == "ok" and any("error code: 102" in r for r in raw[1:])


@pytest.mark.parametrize("workaround", [True, False])
def test_defect9_compiled_item_tests_never_read_the_unset_operand(workaround: bool) -> None:
    # One attempt each: the compiler's $and-wrapped item test builds every time; without it
    # (a bare $or, as before), building fails on reused memory.
    patch = (
        ""
        if workaround
        else "compiler._item_in = lambda values: compiler._or([{'$i': x} for x in values])"
    )
    done = _run(
        _DEFECT9_SETUP
        + f"""
    from xbec_advisor._engine import compiler
    {patch}
    engine._CREATE_ATTEMPTS = 1
    for k in range(8):
        built = engine.Engine([engine.EngineRule("R-1", when)])
        assert built.evaluate(Profile(payment_modes=["paypal"])).fired == ["R-1"]
        assert built.evaluate(Profile(payment_modes=["credit_card"])).fired == []
        built.close()
    print("engines ok")
    """,
        perturb="9",
    )
    if workaround:
        assert done.returncode == 0 and done.stdout.strip() == "engines ok", done.stderr
    else:
        assert done.returncode != 0 and "could not build the ruleset (1 attempt(s))" in done.stderr


def test_defect9_a_transient_error_102_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine_module._dre.create_ruleset
    calls: list[str] = []

    def flaky(
        name: str, definition: str
    ) -> int:  # as seen after rulesets were deleted: once, then fine
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("Could not create ruleset, error code: 102")
        return int(real(name, definition))

    monkeypatch.setattr(engine_module._dre, "create_ruleset", flaky)
    engine = Engine(_gt_rules(3))
    assert len(calls) == 2
    assert engine.evaluate(Profile(monthly_orders=2)).fired == ["N-000", "N-001"]
