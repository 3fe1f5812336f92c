"""Benchmark of the engine at scale and against plain Python (issue 16).

Usage: python benchmarks/bench_engine.py [--sizes 250,500,1000,2000,5000] [--profiles N]
                                         [--agree N] [--speed-profiles N] [--runs R]

Prints two tables:

1. **Rule-base sizes.** The bundled rules, copies of them up to each size (ids renamed,
   compared values moved through their fields' values: ``rulebases.scaled``) and a
   consultant's pack of 350 thresholds on one number beside the bundled rules. For each: the
   passes and rulesets the engine needs, its durable-rules rules, the build time and the
   memory (RSS before and after the build), the engine errors on N generated profiles (must
   be 0), the disagreements with the oracle (``oracle.run_rules3``: fired, facts, maybe,
   maybe facts) on the first ``--agree`` of them (must be 0), and the time per profile of the
   engine (batches of 100), of the generated-Python reference and their ratio.
2. **Side by side** on the bundled rules (R alternating runs, medians; CPU time of this
   process, so that other processes on the machine weigh less): the generated-Python
   reference (``genpy_reference``: benchmark only), the engine in batches of 100 and one
   profile at a time, the tree-walking oracle, and ``advise()`` with the engine and with the
   reference plugged in its place.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import genpy_reference
from bench_advise import rss_mb
from rulebases import scaled, threshold_pack

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._engine.durable import Engine, EngineResult, EngineRule
from xbec_advisor._engine.oracle import run_rules3
from xbec_advisor._errors import EngineError
from xbec_advisor._profile.generate import random_profiles
from xbec_advisor._rulebase.load import Rule, bundled_rulebase


def _engine(rules: Sequence[Rule]) -> Engine:
    return Engine(EngineRule(r.id, r.when, r.unless, r.derives, r.stratum) for r in rules)


def _outcome(result: EngineResult) -> tuple[list[str], ...]:
    return (result.fired, result.facts, result.maybe, result.maybe_facts)


def _per_profile(run: Callable[[], object], count: int) -> float:
    start = time.process_time()
    run()
    return (time.process_time() - start) / count * 1e6


def size_row(label: str, rules: list[Rule], answers: list[dict[str, Any]], agree: int) -> str:
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    engine = _engine(rules)
    build = time.perf_counter() - start
    built = rss_mb()
    errors = 0
    results: list[EngineResult] = []
    for k in range(0, len(answers), 100):
        try:
            results += engine.evaluate_many(answers[k : k + 100])
        except EngineError:
            errors += 1
    wrong = sum(
        _outcome(r) != tuple(sorted(s) for s in run_rules3(rules, a))
        for r, a in zip(results[:agree], answers, strict=False)
    )
    reference = genpy_reference.build(rules)
    engine_us = _per_profile(
        lambda: [engine.evaluate_many(answers[k : k + 100]) for k in range(0, len(answers), 100)],
        len(answers),
    )
    python_us = _per_profile(lambda: [reference(a) for a in answers], len(answers))
    passes = engine._passes
    rulesets = "+".join(str(len(p.rulesets)) for p in passes)
    engine_rules = sum(len(d) - 1 for d in engine.definitions)
    engine.close()
    return (
        f"| {label} | {len(rules)} | {len(passes)} | {rulesets} | {engine_rules:,} | "
        f"{build:.2f} | {before:.0f} -> {built:.0f} | {errors} | {wrong}/{min(agree, len(results))}"
        f" | {engine_us:,.0f} | {python_us:,.0f} | {python_us / engine_us:.2f}x |"
    )


def sizes_table(sizes: list[int], profiles: int, agree: int) -> None:
    answers = [p.model_dump() for p in random_profiles(profiles, seed=16)]
    print(
        f"Rule-base sizes: {profiles:,} generated profiles each (engine errors counted per "
        f"batch of 100), agreement with the oracle on {agree:,}; µs per profile (CPU), engine in "
        "batches of 100"
    )
    print(
        "| rule base | rules | passes | rulesets | engine rules | build s | RSS MB | "
        "errors | disagreements | engine µs | Python µs | engine / Python |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    bundled = list(bundled_rulebase().rules)
    bases: list[tuple[str, list[Rule]]] = [("bundled", bundled)]
    bases.append(("350 thresholds + bundled", threshold_pack(350) + bundled))
    bases += [(f"{n:,} (scaled)", scaled(n)) for n in sizes]
    for label, rules in bases:
        print(size_row(label, rules, answers, agree), flush=True)


class _Reference:
    """The generated-Python reference in the engine's place (``Advisor.engine``)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.evaluate = genpy_reference.build(rules)

    def evaluate_answers(self, answers: Mapping[str, object]) -> EngineResult:
        return EngineResult(*self.evaluate(answers))


def side_by_side(count: int, runs: int) -> None:
    advisor = Advisor()
    plugged = Advisor(advisor.rulebase)
    plugged.engine = _Reference(advisor.rulebase.rules)  # type: ignore[assignment]
    rules = advisor.rulebase.rules
    reference = genpy_reference.build(rules)
    profiles = random_profiles(count, seed=61)
    answers = [p.model_dump() for p in profiles]
    wrong = sum(
        _outcome(advisor.engine.evaluate_answers(a)) != reference(a) for a in answers
    ) + sum(
        advisor.advise(p).model_dump_json() != plugged.advise(p).model_dump_json()
        for p in profiles[:200]
    )
    engine = advisor.engine
    runners: dict[str, Callable[[], object]] = {
        "generated Python (reference)": lambda: [reference(a) for a in answers],
        "engine, batches of 100": lambda: [
            engine.evaluate_many(answers[k : k + 100]) for k in range(0, count, 100)
        ],
        "engine, one profile at a time": lambda: [engine.evaluate_answers(a) for a in answers],
        "oracle (tree walker)": lambda: [run_rules3(rules, a) for a in answers],
        "advise(), generated Python": lambda: [plugged.advise(p) for p in profiles],
        "advise(), engine": lambda: [advisor.advise(p) for p in profiles],
    }
    times: dict[str, list[float]] = {name: [] for name in runners}
    for run in range(runs + 1):
        names = list(runners)
        for name in names[run % len(names) :] + names[: run % len(names)]:
            start = time.process_time()
            runners[name]()
            if run:  # the first round warms the caches
                times[name].append(time.process_time() - start)
    median = {name: statistics.median(values) for name, values in times.items()}
    base, advise_base = median["generated Python (reference)"], median["advise(), generated Python"]
    print(
        f"\nSide by side: {len(rules)} rules, {count:,} generated profiles, {runs} alternating "
        f"runs, medians of CPU time; {wrong} disagreement(s) between the engine and the reference"
    )
    print("| evaluator | profiles/s | µs/profile | ratio |")
    print("|---|---|---|---|")
    for name, value in median.items():
        ratio = (advise_base if name.startswith("advise") else base) / value
        print(f"| {name} | {count / value:,.0f} | {value / count * 1e6:,.1f} | {ratio:.2f}x |")
    print(
        "(ratios: against the generated-Python reference; advise() rows against advise() with the "
        "reference plugged in as its engine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000,2000,5000")
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--agree", type=int, default=300)
    parser.add_argument("--speed-profiles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; durable-rules 2.0.28\n")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    sizes_table(sizes, args.profiles, args.agree)
    side_by_side(args.speed_profiles, args.runs)


if __name__ == "__main__":
    main()
