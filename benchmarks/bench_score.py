"""Benchmark of batch scoring, against the targets of the project (see the printed table).

Usage: python benchmarks/bench_score.py [--profiles N] [--runs R] [--memory-evaluations M]

Generates N valid random profiles (seeded) and prints, with min / median / max over R runs:
- the engine alone, the plain-Python evaluator of the same conditions and their ratio;
- advise() throughput with p50 and p99 latency;
- `xbec-advisor score` end to end from a JSON Lines file with --jobs 1 and --jobs 2;
- wall-clock time of `xbec-advisor advise` on one scenario, start-up included;
- RSS before and after M engine evaluations.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_advise import measure, rss_mb, spread  # type: ignore[import-not-found]

from xbec_advisor.advisor import Advisor
from xbec_advisor.generate import random_answers, random_profiles

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-evaluations", type=int, default=100_000)
    args = parser.parse_args()
    advisor = Advisor()
    profiles = random_profiles(args.profiles, seed=7)
    engine, oracle, advise, p50, p99 = measure(advisor, profiles, args.runs)

    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "firms.jsonl"
        source.write_text("".join(json.dumps(random_answers(rng)) + "\n" for _ in range(args.profiles)))
        cli = [sys.executable, "-m", "xbec_advisor", "score", str(source), "-f", "csv", "-o", str(Path(folder) / "out.csv")]
        jobs1 = [args.profiles / timed([*cli, "--jobs", "1"]) for _ in range(args.runs)]
        jobs2 = [args.profiles / timed([*cli, "--jobs", "2"]) for _ in range(args.runs)]
    startup = [timed([sys.executable, "-m", "xbec_advisor", "advise", str(ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml")])
               for _ in range(args.runs)]

    ratio = [e / o for e, o in zip(engine, oracle, strict=True)]
    speedup = [b / a for a, b in zip(jobs1, jobs2, strict=True)]
    rows = [
        ("engine (durable-rules)", spread(engine, "profiles/s"), ""),
        ("plain-Python evaluator", spread(oracle, "profiles/s"), ""),
        ("engine / plain Python", spread(ratio, "x", 2), ">= 0.9 x"),
        ("advise() throughput", spread(advise, "profiles/s"), ">= 2,000 profiles/s"),
        ("advise() p50 latency", spread(p50, "ms", 3), ""),
        ("advise() p99 latency", spread(p99, "ms", 3), "< 1.5 ms"),
        ("score --jobs 1 (end to end)", spread(jobs1, "profiles/s"), ">= 1,000 profiles/s"),
        ("score --jobs 2 (end to end)", spread(jobs2, "profiles/s"), ""),
        ("score --jobs 2 / --jobs 1", spread(speedup, "x", 2), ">= 1.7 x"),
        ("advise one scenario (CLI)", spread(startup, "s", 3), "< 0.5 s"),
    ]
    print(f"{args.profiles:,} generated profiles, {args.runs} runs, {len(advisor.rulebase.rules)} rules "
          f"({len(advisor.engine.definition)} durable-rules rules)")
    width = max(len(r[0]) for r in rows)
    for name, figures, target in rows:
        print(f"{name:<{width}} : {figures}" + (f"   [target {target}]" if target else ""))
    before = rss_mb()
    for i in range(args.memory_evaluations):
        advisor.engine.evaluate(profiles[i % len(profiles)])
    after = rss_mb()
    print(f"{'RSS growth':<{width}} : {before:.1f} MB -> {after:.1f} MB over {args.memory_evaluations:,} evaluations "
          f"({after - before:+.1f} MB)   [target < 10 MB]")


if __name__ == "__main__":
    main()
