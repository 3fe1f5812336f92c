"""Each durable-rules 2.0.28 defect and limit the engine works around, with a test that fails
without the workaround (``docs/durable-rules.md``).

Crashes and hangs are reproduced in subprocesses (with a timeout for the hangs);
``MALLOC_PERTURB_`` makes glibc fill fresh memory with garbage, so that the engine's
uninitialised pointers crash deterministically instead of now and then.
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
from xbec_advisor._engine import limits, rulesets
from xbec_advisor._engine.durable import Engine, EngineRule
from xbec_advisor._errors import EngineError
from xbec_advisor._profile.model import Profile
from xbec_advisor._rulebase.conditions import parse_condition


def _run(code: str, perturb: str = "165", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MALLOC_PERTURB_": perturb}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _hangs(code: str, seconds: float = 10) -> bool:
    """Whether the code is still running after ``seconds`` (then it is killed)."""
    try:
        _run(code, timeout=seconds)
    except subprocess.TimeoutExpired:
        return True
    return False


def _gt_rules(n: int, field: str = "monthly_orders") -> list[EngineRule]:
    return [
        EngineRule(f"N-{k:04d}", parse_condition({"field": field, "op": "gt", "value": k}))
        for k in range(n)
    ]


def _raw(rules: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    """A raw definition: each rule a list of tests under ``kind = profile``."""
    out: dict[str, object] = {
        name: {"all": [{"m": {"$and": [{"kind": "profile"}, *tests]}}]}
        for name, tests in rules.items()
    }
    out["c"] = {"all": [{"m": {"kind": "profile"}}]}
    return out


def _no_guards(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the limit checker and the guards off: one ruleset, as before issue 16."""
    monkeypatch.setattr(limits, "STACK_LIMIT", 10_000)
    monkeypatch.setattr(rulesets, "FANOUT", 10_000)


# Defect 1: error 303 when one fact leaves more than 64 alpha nodes pending.
def test_defect1_raw_binding_fails_past_64_pending_nodes_as_the_model_predicts() -> None:
    for count, fails in ((64, False), (65, True)):  # children of kind=profile that all hold
        definition = _raw({f"r{k}": [{"$gt": {"v": k}}] for k in range(count)})
        handle = dre.create_ruleset(f"raw303-{count}", json.dumps(definition))
        try:
            fact = json.dumps({"sid": "1", "id": "p", "kind": "profile", "v": 1000})
            if fails:
                with pytest.raises(Exception, match="303"):
                    dre.assert_fact(handle, fact)
            else:
                assert dre.assert_fact(handle, fact)[0] == 0
        finally:
            dre.delete_ruleset(handle)
        problem = limits.check(definition)  # type: ignore[arg-type]
        assert (problem is not None and "pending" in problem) == fails, (count, problem)


def test_defect1_many_thresholds_on_one_number_evaluate_without_error() -> None:
    # issue 13, item 15: a pack of "years > k" rules made valid profiles fail with 303
    engine = Engine(_gt_rules(100, "years_cross_border"), label="threshold-pack")
    for years in (0, 50, 100):
        assert len(engine.evaluate(Profile(years_cross_border=years)).fired) == years
    engine = Engine(_gt_rules(350, "response_time_hours"), label="threshold-pack")
    for hours in (0, 200.5, 720):
        fired = engine.evaluate(Profile(response_time_hours=hours)).fired
        assert len(fired) == min(int(hours + 0.5), 350)


def test_defect1_without_the_checker_the_same_pack_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_guards(monkeypatch)
    engine = Engine(_gt_rules(100, "years_cross_border"), label="threshold-pack")
    with pytest.raises(EngineError, match=r"303.*|threshold-pack"):
        engine.evaluate(Profile(years_cross_border=100))


def test_engine_errors_name_the_ruleset_and_the_rule_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_guards(monkeypatch)
    engine = Engine(_gt_rules(100), label="packs/thresholds")
    with pytest.raises(EngineError) as caught:
        engine.evaluate(Profile(monthly_orders=1000))
    message = str(caught.value)
    assert "N-0000 to N-0099" in message and "packs/thresholds" in message and "303" in message


def test_memory_stays_flat_across_1000_engine_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_guards(monkeypatch)
    engine = Engine(_gt_rules(100))
    for _ in range(20):  # warm up the allocator
        with pytest.raises(EngineError):
            engine.evaluate(Profile(monthly_orders=1000))
    gc.collect()
    before = _rss_mb()
    for _ in range(1000):
        with pytest.raises(EngineError):
            engine.evaluate(Profile(monthly_orders=1000))
    gc.collect()
    assert _rss_mb() - before < 50
    assert engine.evaluate(Profile(monthly_orders=3)).fired == ["N-0000", "N-0001", "N-0002"]


# Defect 2: a node's 512-slot child table: 512 children hang the first assert, 513 the build.
_CHILDREN = """
    import json, durable_rules_engine as dre
    rules = {{f"r{{k}}": {{"all": [{{"m": {{"$and": [{{"kind": "profile"}}, {{"v": k}}]}}}}]}}
             for k in range({count})}}
    handle = dre.create_ruleset("children", json.dumps(rules))
    print("built", flush=True)
    dre.assert_fact(handle, json.dumps({{"sid": "1", "id": "p", "kind": "profile", "v": 3}}))
    print("asserted", flush=True)
"""


def test_defect2_raw_binding_hangs_from_512_children_of_one_node() -> None:
    done = _run(_CHILDREN.format(count=511), timeout=60)
    assert done.returncode == 0 and "asserted" in done.stdout, done.stderr
    assert _hangs(_CHILDREN.format(count=513))  # create_ruleset never returns


def test_defect2_the_checker_refuses_512_children_and_the_engine_splits_them() -> None:
    raw = _raw({f"r{k}": [{"v": k}] for k in range(512)})
    problem = limits.check(raw)  # type: ignore[arg-type]
    assert problem is not None and "512 tests under one test" in problem
    assert limits.check(_raw({f"r{k}": [{"v": k}] for k in range(511)})) is None  # type: ignore[arg-type]
    # issue 13, item 5: about 511 rules sharing one test hung durable-rules
    rules = [
        EngineRule(
            f"S-{k:04d}",
            parse_condition(
                {
                    "all": [
                        {"field": "business_model", "op": "eq", "value": "B2C"},
                        {"field": "monthly_orders", "op": "eq", "value": k},
                    ]
                }
            ),
        )
        for k in range(1200)
    ]
    engine = Engine(rules)
    assert len(engine.definitions) > 1
    assert engine.evaluate(Profile(business_model="B2C", monthly_orders=700)).fired == ["S-0700"]


# Error 106: at most 4,096 rules in a ruleset (MAX_ACTIONS).
def test_error_106_raw_binding_refuses_4097_rules_and_the_checker_too() -> None:
    def definition(count: int) -> dict[str, object]:
        return _raw({f"r{k}": [{"a": k // 64}, {"b": k % 64}] for k in range(count - 1)})

    handle = dre.create_ruleset("raw4096", json.dumps(definition(4096)))
    dre.delete_ruleset(handle)
    with pytest.raises(Exception, match="106"):
        dre.create_ruleset("raw4097", json.dumps(definition(4097)))
    problem = limits.check(definition(4097))  # type: ignore[arg-type]
    assert problem is not None and "rules in one ruleset" in problem


def test_error_106_the_engine_splits_a_pass_of_5000_rules() -> None:
    rules = [
        EngineRule(
            f"R-{k:04d}",
            parse_condition(
                {
                    "all": [
                        {"field": "years_cross_border", "op": "eq", "value": k // 100},
                        {"field": "monthly_orders", "op": "eq", "value": k % 100},
                    ]
                }
            ),
        )
        for k in range(5000)
    ]
    engine = Engine(rules)
    assert len(engine.definitions) >= 2
    assert all(len(d) <= limits.MAX_RULES + 1 for d in engine.definitions)
    assert engine.evaluate(Profile(years_cross_border=12, monthly_orders=34)).fired == ["R-1234"]


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


def test_defect3_every_session_can_be_deleted_thanks_to_the_sweep_rule() -> None:
    proc = _run("""
        from xbec_advisor._rulebase.conditions import parse_condition
        from xbec_advisor._engine import durable
        from xbec_advisor._engine.durable import Engine, EngineRule
        from xbec_advisor._profile.model import Profile
        durable.SESSION_EVALUATIONS = 3  # sessions in which no rule matched, deleted often
        when = parse_condition({"field": "business_model", "op": "eq", "value": "B2B"})
        engine = Engine([EngineRule("A-001", when)])
        for _ in range(200):
            assert engine.evaluate(Profile(business_model="B2C")).fired == []
        engine.close()  # deletes the live session, then the ruleset
        print("survived")
    """)
    assert proc.returncode == 0 and "survived" in proc.stdout, proc.stderr


def test_defect3_without_the_sweep_deleting_a_fresh_session_crashes() -> None:
    proc = _run("""
        from xbec_advisor._engine import durable
        from xbec_advisor._rulebase.conditions import parse_condition
        def no_sweep(self):
            self.box[1] = "1"
            return "1"
        durable._Ruleset._open = no_sweep
        when = parse_condition({"field": "business_model", "op": "eq", "value": "B2B"})
        engine = durable.Engine([durable.EngineRule("A-001", when)])
        from xbec_advisor._profile.model import Profile
        engine.evaluate(Profile(business_model="B2C"))
        engine.close()
        print("survived")
    """)
    assert proc.returncode != 0 and "survived" not in proc.stdout


# Defect 4: at most 1,024 live sessions per ruleset.
def test_defect4_raw_binding_runs_out_of_sessions() -> None:
    handle = dre.create_ruleset("raw1024", json.dumps({"c": {"all": [{"m": {"kind": "profile"}}]}}))
    try:
        with pytest.raises(MemoryError):
            for i in range(1100):
                dre.assert_fact(handle, json.dumps({"sid": str(i), "id": "p", "kind": "profile"}))
    finally:
        dre.delete_ruleset(handle)


def test_defect4_sessions_are_replaced_and_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "SESSION_EVALUATIONS", 2)
    deleted: list[str] = []
    original = dre.delete_state

    def counting(handle: int, sid: str) -> object:
        deleted.append(sid)
        return original(handle, sid)

    monkeypatch.setattr(engine_module._dre, "delete_state", counting)
    engine = Engine(_gt_rules(3))
    for _ in range(3000):  # 1,500 sessions in all: more than 1,024 live ones would fail
        assert engine.evaluate(Profile(monthly_orders=2)).fired == ["N-0000", "N-0001"]
    assert len(deleted) == 1500 and deleted[:3] == ["1", "2", "3"]


# Defect 5: the Host's background threads; the engine uses no Host and locks its rulesets.
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
    expected = [[f"N-{j:04d}" for j in range(min(k % 12, 10))] for k in range(300)]
    assert sorted(map(tuple, results)) == sorted(map(tuple, expected * 8))


# Fork from a threaded parent (issue 13, item 16): the engine's lock is held around a fork.
_FORK = """
    import os, threading, time
    {patch}
    from xbec_advisor._engine import durable
    from xbec_advisor._engine.durable import Engine, EngineRule
    from xbec_advisor._rulebase.conditions import parse_condition
    from xbec_advisor._profile.model import Profile
    when = parse_condition({{"field": "monthly_orders", "op": "gt", "value": 1}})
    engine = Engine([EngineRule("A-001", when)])
    holding = threading.Event()
    def hold():
        with engine._lock:  # another thread is inside the engine when the fork happens
            holding.set()
            time.sleep(0.5)
    threading.Thread(target=hold).start()
    holding.wait()
    pid = os.fork()
    if pid == 0:
        ok = engine.evaluate(Profile(monthly_orders=5)).fired == ["A-001"]
        os._exit(0 if ok else 1)
    deadline = time.monotonic() + 5
    while True:  # the parent reaps the child, or kills it when it hangs: no process left behind
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            print("child", os.waitstatus_to_exitcode(status), flush=True)
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            print("child hung", flush=True)
            break
        time.sleep(0.05)
"""


def test_fork_from_a_threaded_parent_does_not_deadlock() -> None:
    done = _run(_FORK.format(patch=""), timeout=60)
    assert "child 0" in done.stdout, done.stderr


def test_fork_without_the_handlers_deadlocks() -> None:
    patch = "os.register_at_fork = lambda **handlers: None"
    done = _run(_FORK.format(patch=patch), timeout=60)
    assert "child hung" in done.stdout, done.stderr


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
    second = engine._passes[1].rulesets[0].box[0]
    original = dre.assert_facts

    def failing(handle: int, payload: str) -> tuple[int, int]:
        if handle == second:
            raise RuntimeError("Could not assert facts, error code: 303")
        return original(handle, payload)  # type: ignore[no-any-return]

    monkeypatch.setattr(engine_module._dre, "assert_facts", failing)
    with pytest.raises(EngineError, match=r"pass 2.*303"):
        engine.evaluate(Profile(business_model="B2C"))


# Defect 7: identical facts asserted twice in one session.
def test_defect7_raw_binding_reports_a_duplicate_fact() -> None:
    handle = dre.create_ruleset("raw-dup", json.dumps({"c": {"all": [{"m": {"kind": "derived"}}]}}))
    try:
        fact = json.dumps({"sid": "1", "id": "d-x", "kind": "derived", "name": "x"})
        assert dre.assert_fact(handle, fact)[0] == 0
        assert dre.assert_fact(handle, fact)[0] == 2  # "observed": the second would vanish
    finally:
        dre.delete_ruleset(handle)


def test_defect7_identical_profiles_in_one_batch_are_each_evaluated() -> None:
    engine = _chain_engine()
    results = engine.evaluate_many([{"business_model": "B2C"}] * 3 + [{"business_model": "B2B"}])
    assert [r.fired for r in results] == [["A-001", "A-002"]] * 3 + [[]]
    again = engine.evaluate_many([{"business_model": "B2C"}] * 2)  # nothing left behind
    assert [r.fired for r in again] == [["A-001", "A-002"]] * 2


# Defect 8: rulesets are global; a discarded one must be deleted, its session first.
def test_defect8_discarded_engines_release_their_ruleset() -> None:
    engine = Engine(_gt_rules(2))
    handle = engine._passes[0].rulesets[0].box[0]
    del engine
    gc.collect()
    with pytest.raises(Exception, match=r"111|handle"):
        dre.delete_ruleset(handle)  # already deleted by the engine's finaliser


def test_defect8_engines_closed_or_dropped_leave_no_memory_behind() -> None:
    from xbec_advisor._advice.advisor import Advisor
    from xbec_advisor._rulebase.load import bundled_rulebase

    rulebase = bundled_rulebase()
    for _ in range(5):
        with Advisor(rulebase) as advisor:
            advisor.advise({"business_model": "B2C"})
    gc.collect()
    before = _rss_mb()
    for k in range(60):
        advisor = Advisor(rulebase)
        advisor.advise({"business_model": "B2C", "monthly_orders": k})
        if k % 2:
            advisor.close()
        del advisor
    gc.collect()
    assert _rss_mb() - before < 30  # each one leaked about 2.7 MB before


def test_a_closed_engine_says_so() -> None:
    engine = Engine(_gt_rules(2))
    engine.close()
    with pytest.raises(EngineError, match="closed"):
        engine.evaluate(Profile(monthly_orders=5))


# Defect 9: $iany over a bare $or fails with error 102 on reused memory; nothing of the kind
# is emitted any more.
def test_defect9_raw_binding_fails_to_create_a_ruleset_on_reused_memory() -> None:
    done = _run(
        """
    import json, durable_rules_engine as dre
    item = {"$or": [{"$i": "paypal"}, {"$i": "alipay"}]}
    definition = json.dumps({"r": {"all": [{"m": {"$and": [
        {"kind": "profile"}, {"$iany": {"payment_modes": item}}]}}]}})
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


def test_defect9_the_compiled_rule_base_has_no_iany_iall_or_or(advisor: object) -> None:
    engine = advisor.engine  # type: ignore[attr-defined]
    text = json.dumps(engine.definitions)
    assert "$iany" not in text and "$iall" not in text and "$or" not in text


def test_defect9_rule_bases_build_on_reused_memory() -> None:
    done = _run(
        """
    from xbec_advisor._advice.advisor import Advisor
    from xbec_advisor._rulebase.load import bundled_rulebase
    rulebase = bundled_rulebase()
    for _ in range(6):
        with Advisor(rulebase) as advisor:
            advisor.advise({"business_model": "B2C", "payment_modes": ["paypal"]})
    print("engines ok")
    """,
        perturb="9",
    )
    assert done.returncode == 0 and done.stdout.strip() == "engines ok", done.stderr


# Sessions are reused: each batch is retracted, and a session that saw an error is replaced.
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


def test_a_reused_session_keeps_nothing_from_the_previous_profile() -> None:
    engine = _chain_engine()
    for _ in range(3):
        assert engine.evaluate(Profile(business_model="B2C")).fired == ["A-001", "A-002"]
        assert engine.evaluate(Profile(business_model="B2C")).fired == ["A-001", "A-002"]
        assert engine.evaluate(Profile(business_model="B2B")).fired == []
    assert [r.box[1] for p in engine._passes for r in p.rulesets] == ["1", "1"]


def test_a_session_that_saw_an_error_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_guards(monkeypatch)
    engine = Engine(_gt_rules(100))
    assert engine.evaluate(Profile(firm_size="small")).fired == []
    with pytest.raises(EngineError, match="303"):
        engine.evaluate(Profile(monthly_orders=1000))
    assert engine._passes[0].rulesets[0].box[1] is None  # deleted
    assert engine.evaluate(Profile(monthly_orders=1)).fired == ["N-0000"]
    assert engine._passes[0].rulesets[0].box[1] == "2"


def test_a_ruleset_that_cannot_be_built_raises_engine_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(name: str, definition: str) -> int:
        raise RuntimeError("Could not create ruleset, error code: 113")

    monkeypatch.setattr(engine_module._dre, "create_ruleset", failing)
    with pytest.raises(EngineError, match=r"could not build ruleset 1 of pass 1 .*113"):
        Engine(_gt_rules(2))


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")
