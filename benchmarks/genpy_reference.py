"""BENCHMARK REFERENCE ONLY: the rules as generated Python, to measure the engine against.

Each rule's conditions are compiled once, from generated source text, into one Python function
that computes the three-valued outcome (``docs/rule-format.md``: truth values 2 true, 1 unknown,
0 false; ``all`` is ``min``, ``any`` is ``max``, both short-circuited, ``not`` is ``2 - x``);
the functions run in
pass order, the derived facts of each rule fed to the later ones. It gives what the engine
gives: the rules that fire, the facts, the rules that may apply and the facts they would derive.

This lives in ``benchmarks/`` on purpose and must never move into the package: the product
never executes anything built from rule data (the rules run in durable-rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from xbec_advisor._engine.encoding import with_derived
from xbec_advisor._rulebase.conditions import All, Compare, Condition, FactRef, Not, Ref
from xbec_advisor._rulebase.load import Rule

__all__ = ["build"]

Outcome = tuple[list[str], list[str], list[str], list[str]]


def _compare(c: Compare, env: dict[str, object]) -> str:
    x = f"a[{c.field!r}]"
    if c.op == "present":
        return f"(0 if {x} is None else 2)"
    if c.op == "absent":
        return f"(2 if {x} is None else 0)"
    value: object = c.value
    if isinstance(value, tuple):
        name = f"S{len(env)}"
        env[name] = frozenset(value)
        value = name
    else:
        value = repr(value)
    test = {
        "eq": f"x == {value}",
        "in": f"x in {value}",
        "contains": f"{value} in x",
        "contains_any": f"not {value}.isdisjoint(x)",
        "contains_other_than": f"not {value}.issuperset(x)",
        "gt": f"x > {value}",
        "gte": f"x >= {value}",
        "lt": f"x < {value}",
        "lte": f"x <= {value}",
    }[c.op]
    return f"(1 if (x := {x}) is None else 2 if {test} else 0)"


def _expr(c: Condition, env: dict[str, object]) -> str:
    if isinstance(c, Compare):
        return _compare(c, env)
    if isinstance(c, FactRef):
        return f"facts.get({c.fact!r}, 0)"
    if isinstance(c, Ref):
        return _expr(c.item, env)
    if isinstance(c, Not):
        return f"(2 - {_expr(c.item, env)})"
    if len(c.items) == 1:
        return _expr(c.items[0], env)
    # short-circuit: all() stops at the first false part, any() at the first true one
    stop = 0 if isinstance(c, All) else 2
    names = []
    out = ""
    for item in c.items:
        name = f"v{len(env)}"
        env[name] = None
        names.append(name)
        out += f"{stop} if ({name} := {_expr(item, env)}) == {stop} else "
    return f"({out}{'min' if stop == 0 else 'max'}({', '.join(names)}))"


def _function(rule: Rule, env: dict[str, object], k: int) -> Callable[..., int]:
    body = f"    return {_expr(rule.when, env)}\n"
    if rule.unless is not None:
        body = f"    if {_expr(rule.unless, env)} == 2:\n        return 0\n" + body
    source = f"def rule_{k}(a, facts):\n{body}"
    exec(compile(source, f"<rule {rule.id}>", "exec"), env)  # the benchmark's reference only
    return env[f"rule_{k}"]  # type: ignore[return-value]


def build(rules: Iterable[Rule]) -> Callable[[Mapping[str, Any]], Outcome]:
    """An evaluator of the rules: answers (``Profile.model_dump()``) to (fired, facts, maybe,
    maybe facts), each sorted."""
    ordered = sorted(rules, key=lambda r: (r.stratum, r.id))
    env: dict[str, object] = {}
    table = [(r.id, _function(r, env, k), r.derives) for k, r in enumerate(ordered)]

    def evaluate(answers: Mapping[str, Any]) -> Outcome:
        a = with_derived(answers)
        facts: dict[str, int] = {}
        fired: list[str] = []
        maybe: list[str] = []
        for rid, function, derives in table:
            truth = function(a, facts)
            if truth == 2:
                fired.append(rid)
                for fact in derives:
                    facts[fact] = 2
            elif truth == 1:
                maybe.append(rid)
                for fact in derives:
                    facts.setdefault(fact, 1)
        fired.sort()
        maybe.sort()
        return (
            fired,
            sorted(f for f, v in facts.items() if v == 2),
            maybe,
            sorted(f for f, v in facts.items() if v == 1),
        )

    return evaluate
