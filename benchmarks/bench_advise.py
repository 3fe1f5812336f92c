"""Benchmark of the advisor core: engine versus generated Python, advise(), memory.

Usage: python benchmarks/bench_advise.py [--profiles N] [--runs R] [--memory-evaluations M]

Prints, for R runs each (min / median / max): profiles per second of the durable-rules engine
alone (one profile at a time) and of the generated-Python reference evaluator of the same
rules (``genpy_reference``: each rule's conditions compiled to a Python function; benchmark
only) and their ratio; advise() throughput with p50 and p99 latency; then RSS before and
after M engine evaluations (default 100,000). Single process, single thread.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import genpy_reference

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._profile.generate import random_profiles
from xbec_advisor._profile.model import Profile


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def spread(values: list[float], unit: str, digits: int = 0) -> str:
    lo, mid, hi = min(values), statistics.median(values), max(values)
    return f"min {lo:,.{digits}f} / median {mid:,.{digits}f} / max {hi:,.{digits}f} {unit}"


def measure(
    advisor: Advisor, profiles: list[Profile], runs: int, fresh: list[list[Profile]] | None = None
) -> tuple[list[float], ...]:
    """Per run: engine and generated-Python profiles/s, advise() profiles/s, p50 and p99 in ms.

    ``fresh``: for each run, profiles advise() has never seen (its shared parts are cached, so
    re-advising the same profiles would flatter it); by default ``profiles`` every time.
    """
    answers = [p.model_dump() for p in profiles]
    reference = genpy_reference.build(advisor.rulebase.rules)
    engine_rates, oracle_rates, advise_rates, p50s, p99s = [], [], [], [], []
    for run in range(runs):
        t = time.perf_counter()
        for p in profiles:
            advisor.engine.evaluate(p)
        engine_rates.append(len(profiles) / (time.perf_counter() - t))
        t = time.perf_counter()
        for a in answers:
            reference(a)
        oracle_rates.append(len(profiles) / (time.perf_counter() - t))
        batch = fresh[run] if fresh is not None else profiles
        latencies = []
        t = time.perf_counter()
        for p in batch:
            t0 = time.perf_counter()
            advisor.advise(p)
            latencies.append(time.perf_counter() - t0)
        advise_rates.append(len(batch) / (time.perf_counter() - t))
        latencies.sort()
        p50s.append(latencies[len(latencies) // 2] * 1000)
        p99s.append(latencies[int(len(latencies) * 0.99)] * 1000)
    return engine_rates, oracle_rates, advise_rates, p50s, p99s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-evaluations", type=int, default=100_000)
    args = parser.parse_args()

    start = time.perf_counter()
    advisor = Advisor()
    elapsed = time.perf_counter() - start
    print(
        f"advisor built in {elapsed:.3f} s: {len(advisor.rulebase.rules)} rules, "
        f"{sum(map(len, advisor.engine.definitions))} durable-rules rules"
    )
    profiles = random_profiles(args.profiles, seed=42)
    unseen = random_profiles(args.profiles * args.runs, seed=43)
    fresh = [unseen[k * args.profiles : (k + 1) * args.profiles] for k in range(args.runs)]

    engine_rates, oracle_rates, advise_rates, p50s, p99s = measure(
        advisor, profiles, args.runs, fresh
    )

    print(f"{args.profiles:,} generated profiles, {args.runs} runs")
    print(f"engine (durable-rules) : {spread(engine_rates, 'profiles/s')}")
    print(f"generated Python       : {spread(oracle_rates, 'profiles/s')}")
    ratios = [e / o for e, o in zip(engine_rates, oracle_rates, strict=True)]
    print(f"engine / generated Py. : {spread(ratios, 'x', 2)}")
    print(f"advise() throughput    : {spread(advise_rates, 'profiles/s')}")
    print(f"advise() p50 latency   : {spread(p50s, 'ms', 3)}")
    print(f"advise() p99 latency   : {spread(p99s, 'ms', 3)}")

    gc.collect()
    before = rss_mb()
    peak = before
    n = args.memory_evaluations
    for i in range(n):
        advisor.engine.evaluate(profiles[i % len(profiles)])
        if i % 10_000 == 0:
            peak = max(peak, rss_mb())
    gc.collect()
    after = rss_mb()
    print(
        f"RSS over {n:,} evaluations: {before:.1f} MB -> {after:.1f} MB "
        f"(growth {after - before:+.1f} MB, peak {max(peak, after):.1f} MB)"
    )


if __name__ == "__main__":
    main()
