"""Benchmark of batch scoring, against the targets of the project (see the printed table).

Usage: python benchmarks/bench_score.py [--profiles N] [--score-profiles S] [--runs R]
                                        [--score-runs P] [--memory-evaluations M]

Generates valid random profiles (seeded) and prints, with min / median / max over R runs (P
pairs of runs for `score`, at least R):
- the engine alone (one profile at a time), the generated-Python reference evaluator of the
  same rules (``genpy_reference``, benchmark only) and their ratio (N profiles);
- advise() throughput with p50 and p99 latency, each run on N profiles it has not seen before;
- `xbec-advisor score` end to end from a JSON Lines file with --jobs 1 and --jobs 2, on S
  profiles (the targets) and on N (each run includes the command's start-up, about 0.3 s,
  which weighs on small batches);
- the machine's own scaling, for comparison with that ratio: the same evaluations in two
  processes against one, with no input, output or process start-up (measured at another moment,
  so on a noisy machine either can be the higher);
- wall-clock time of `xbec-advisor advise` on one scenario, start-up included: once with an
  empty rule-file cache (the first run after installing or editing rules), then warm (R runs,
  at least 5). Commands run with the bytecode cache on, as after `pip install`;
- RSS and its growth over M engine evaluations and over M advise() calls, and the peak RSS.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_advise import measure, rss_mb, spread

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._profile.generate import random_answers, random_profiles
from xbec_advisor._profile.model import Profile

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml"


#: The commands run as they do after `pip install`, which compiles the package's bytecode: with
#: the bytecode cache on, whatever PYTHONDONTWRITEBYTECODE says here (some sandboxes set it;
#: then every run of an editable checkout compiles the package again, about 40 ms).
CLI_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, env=env or CLI_ENV)
    return time.perf_counter() - start


def score_rates(folder: Path, count: int, runs: int) -> tuple[list[float], list[float]]:
    """Profiles/s of `score` with --jobs 1 and --jobs 2 on ``count`` profiles, run in pairs."""
    rng = random.Random(11 + count)
    source = folder / f"firms-{count}.jsonl"
    source.write_text("".join(json.dumps(random_answers(rng)) + "\n" for _ in range(count)))
    cli = [
        sys.executable,
        "-m",
        "xbec_advisor",
        "score",
        str(source),
        "-f",
        "csv",
        "-o",
        str(folder / "out.csv"),
    ]
    jobs1, jobs2 = [], []
    for run in range(
        runs
    ):  # pairs in alternating order, so that a drift of the machine's speed favours neither
        for jobs in (1, 2) if run % 2 == 0 else (2, 1):
            (jobs1 if jobs == 1 else jobs2).append(count / timed([*cli, "--jobs", str(jobs)]))
    return jobs1, jobs2


_CEILING_ADVISOR: list[Advisor] = []


def _evaluate_share(args: tuple[list[Profile], int]) -> float:
    profiles, share = args
    advisor = _CEILING_ADVISOR[0]  # built before forking, as `score` does (see batch/scoring.py)
    start = time.perf_counter()
    for profile in profiles[share::2]:
        advisor.evaluate(profile)
    return time.perf_counter() - start


def machine_ceiling(profiles: list[Profile], runs: int) -> list[float]:
    """How much faster two processes evaluate than one on this machine, with no I/O at all.

    Each run: the same profiles evaluated in one process, then split between two processes
    (with the advisor built before forking). What `score --jobs 2` can reach at best.
    """
    ratios = []
    _CEILING_ADVISOR[:] = [Advisor()]
    context = multiprocessing.get_context("fork")
    for _ in range(runs):
        one = _evaluate_share((profiles, 0)) + _evaluate_share((profiles, 1))
        gc.freeze()  # as `score` does before forking: the children's collections skip this big heap
        try:
            with context.Pool(2) as pool:
                two = max(pool.map(_evaluate_share, [(profiles, 0), (profiles, 1)]))
        finally:
            gc.unfreeze()
        ratios.append(one / two)
    return ratios


def growth(label: str, work: list[Profile], evaluate: object, n: int) -> str:
    gc.collect()
    before = rss_mb()
    for i in range(n):
        evaluate(work[i % len(work)])  # type: ignore[operator]
    gc.collect()
    after = rss_mb()
    return f"{label} : {before:.1f} MB -> {after:.1f} MB ({after - before:+.1f} MB)"


def verdict(values: list[float], target: float, above: bool) -> str:
    mid = statistics.median(values)
    return "met" if (mid >= target if above else mid < target) else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--score-profiles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--score-runs",
        type=int,
        default=7,
        help="pairs of score runs (at least --runs); the 2-core ratio is noisy",
    )
    parser.add_argument("--memory-evaluations", type=int, default=100_000)
    args = parser.parse_args()
    advisor = Advisor()
    profiles = random_profiles(args.profiles, seed=7)
    unseen = random_profiles(args.profiles * args.runs, seed=8)
    fresh = [unseen[k * args.profiles : (k + 1) * args.profiles] for k in range(args.runs)]
    engine, oracle, advise, p50, p99 = measure(advisor, profiles, args.runs, fresh)
    ceiling = machine_ceiling(unseen[: 2 * args.profiles], args.runs)

    with tempfile.TemporaryDirectory() as folder:
        timed(
            [sys.executable, "-m", "xbec_advisor", "advise", str(SCENARIO)]
        )  # writes any missing bytecode
        pairs = max(args.runs, args.score_runs)
        big1, big2 = score_rates(Path(folder), args.score_profiles, pairs)
        small1, small2 = score_rates(Path(folder), args.profiles, pairs)
        advise_cli = [sys.executable, "-m", "xbec_advisor", "advise", str(SCENARIO)]
        cold = timed(
            advise_cli, {**CLI_ENV, "XBEC_ADVISOR_CACHE_DIR": str(Path(folder) / "empty-cache")}
        )
        startup = [timed(advise_cli) for _ in range(max(5, args.runs))]

    ratio = [e / o for e, o in zip(engine, oracle, strict=True)]
    big_speedup = [b / a for a, b in zip(big1, big2, strict=True)]
    small_speedup = [b / a for a, b in zip(small1, small2, strict=True)]
    s, n = f"{args.score_profiles:,}", f"{args.profiles:,}"
    rows = [
        ("engine (durable-rules)", spread(engine, "profiles/s"), ""),
        ("generated-Python reference", spread(oracle, "profiles/s"), ""),
        (
            "engine / generated Python",
            spread(ratio, "x", 2),
            f">= 0.2 x: {verdict(ratio, 0.2, True)}",
        ),
        (
            "advise() throughput",
            spread(advise, "profiles/s"),
            f">= 2,000 profiles/s: {verdict(advise, 2000, True)}",
        ),
        ("advise() p50 latency", spread(p50, "ms", 3), ""),
        ("advise() p99 latency", spread(p99, "ms", 3), f"< 1.5 ms: {verdict(p99, 1.5, False)}"),
        (
            f"score --jobs 1, {s} profiles",
            spread(big1, "profiles/s"),
            f">= 1,000 profiles/s: {verdict(big1, 1000, True)}",
        ),
        (f"score --jobs 2, {s} profiles", spread(big2, "profiles/s"), ""),
        (
            f"score --jobs 2 / --jobs 1, {s}",
            spread(big_speedup, "x", 2),
            f">= 1.7 x: {verdict(big_speedup, 1.7, True)}",
        ),
        (
            "2 processes / 1, evaluate() only",
            spread(ceiling, "x", 2),
            "(the machine's own scaling, for comparison)",
        ),
        (f"score --jobs 1, {n} profiles", spread(small1, "profiles/s"), "(start-up weighs more)"),
        (f"score --jobs 2, {n} profiles", spread(small2, "profiles/s"), ""),
        (f"score --jobs 2 / --jobs 1, {n}", spread(small_speedup, "x", 2), ""),
        (
            "advise one scenario (CLI), warm",
            spread(startup, "s", 3),
            f"< 0.5 s: {verdict(startup, 0.5, False)}",
        ),
        (
            "advise one scenario (CLI), cold",
            f"{cold:.3f} s (empty rule-file cache: first run only)",
            "",
        ),
    ]
    print(
        f"{n} generated profiles ({n} unseen ones per advise() run), {args.runs} runs, "
        f"{len(advisor.rulebase.rules)} rules "
        f"({sum(map(len, advisor.engine.definitions))} durable-rules rules), {os.cpu_count()} cores"
    )
    width = max(len(r[0]) for r in rows)
    for name, figures, target in rows:
        note = (
            f"   {target}" if target.startswith("(") else f"   [target {target}]" if target else ""
        )
        print(f"{name:<{width}} : {figures}{note}")
    m = args.memory_evaluations
    print(
        growth(f"{f'RSS, {m:,} engine runs':<{width}}", profiles, advisor.engine.evaluate, m)
        + "   [target < 10 MB]"
    )
    # a new advisor: the growth includes filling its caches of shared advice parts (bounded)
    print(
        growth(
            f"{f'RSS, {m:,} advise() calls':<{width}}", unseen, Advisor(advisor.rulebase).advise, m
        )
        + "   [target < 10 MB]"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS (this process)':<{width}} : {peak:.1f} MB")


if __name__ == "__main__":
    main()
