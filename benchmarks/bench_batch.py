"""Benchmark of batch scoring from 1,000 to 1,000,000 profiles, and of ``--dask`` (issue 16).

Usage: python benchmarks/bench_batch.py [--sizes 1000,10000,100000] [--runs R]
                                        [--dask-profiles N] [--dask-runs R] [--no-dask]

For each size: a JSON Lines file of generated profiles (seeded), scored end to end by
``xbec-advisor score FILE -f csv -o OUT`` with ``--jobs 1`` and ``--jobs 2`` (R runs each,
alternating; medians), with the profiles per second, their ratio and the peak RSS of the
largest process (``getrusage`` of the children). Add ``1000000`` to ``--sizes`` for the
largest batch (about 0.8 GB of input; minutes per run). The CPU time of every process of the
command shows what a machine shared with other work hides: with other processes running,
``--jobs 2`` cannot be faster than the cores left to it.

Then, side by side on one machine: ``score --dask ADDRESS`` against a local Dask cluster of 2
worker processes (one thread each) and ``score --jobs 2`` on the same file, alternating.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xbec_advisor._profile.generate import random_answers

#: The commands run as after `pip install`: with the bytecode cache on (see bench_score.py).
CLI_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)\n"
)


def write_profiles(path: Path, count: int) -> None:
    rng = random.Random(16 + count)
    with path.open("w") as out:
        for _ in range(count):
            out.write(json.dumps(random_answers(rng)) + "\n")


def score(source: Path, *options: str) -> tuple[float, float, float]:
    """Seconds, peak RSS (MB, the largest process) and CPU seconds (every process of the
    command) of one `score` run."""
    command = [sys.executable, "-m", "xbec_advisor", "score", str(source), "-f", "csv"]
    command += ["-o", str(source.with_suffix(".csv")), *options]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, env=CLI_ENV
    )
    code, seconds, peak, cpu = done.stdout.split()
    if code != "0":
        raise SystemExit(f"score {' '.join(options)} failed with exit code {code}")
    return float(seconds), float(peak), float(cpu)


def sizes_table(folder: Path, sizes: list[int], runs: int) -> None:
    print(
        "| profiles | --jobs 1 profiles/s | --jobs 2 profiles/s | ratio | peak RSS MB, 1 / 2 "
        "| profiles per CPU-second, 1 / 2 |"
    )
    print("|---|---|---|---|---|---|")
    for count in sizes:
        source = folder / f"firms-{count}.jsonl"
        write_profiles(source, count)
        rates: dict[int, list[float]] = {1: [], 2: []}
        per_cpu: dict[int, list[float]] = {1: [], 2: []}
        peaks: dict[int, float] = {1: 0.0, 2: 0.0}
        for run in range(runs):
            for jobs in (1, 2) if run % 2 == 0 else (2, 1):
                seconds, peak, cpu = score(source, "--jobs", str(jobs))
                rates[jobs].append(count / seconds)
                per_cpu[jobs].append(count / cpu)
                peaks[jobs] = max(peaks[jobs], peak)
        one, two = statistics.median(rates[1]), statistics.median(rates[2])
        cpu1, cpu2 = statistics.median(per_cpu[1]), statistics.median(per_cpu[2])
        print(
            f"| {count:,} | {one:,.0f} | {two:,.0f} | {two / one:.2f}x | "
            f"{peaks[1]:.0f} / {peaks[2]:.0f} | {cpu1:,.0f} / {cpu2:,.0f} |",
            flush=True,
        )
        source.unlink()


def dask_table(folder: Path, count: int, runs: int) -> None:
    try:
        from dask.distributed import LocalCluster
    except ImportError:
        print("\n(dask is not installed: pip install 'xbec-advisor[dask]')")
        return
    source = folder / f"dask-{count}.jsonl"
    write_profiles(source, count)
    rates: dict[str, list[float]] = {"--jobs 2": [], "--dask (2 workers)": []}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        score(source, "--dask", cluster.scheduler_address)  # the workers build their advisors
        for run in range(runs):
            order = ["--jobs 2", "--dask (2 workers)"]
            for name in order if run % 2 == 0 else order[::-1]:
                options = (
                    ("--jobs", "2") if name == "--jobs 2" else ("--dask", cluster.scheduler_address)
                )
                seconds, _, _ = score(source, *options)
                rates[name].append(count / seconds)
    jobs, dask = (statistics.median(v) for v in rates.values())
    print(f"\nOne machine, {count:,} profiles, {runs} runs each (alternating), medians:")
    print("| scoring | profiles/s |")
    print("|---|---|")
    print(f"| --jobs 2 | {jobs:,.0f} |")
    print(f"| --dask, local cluster of 2 worker processes | {dask:,.0f} ({dask / jobs:.2f}x) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dask-profiles", type=int, default=20_000)
    parser.add_argument("--dask-runs", type=int, default=3)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; each run includes the command's start-up (about 0.3 s)\n")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        sizes_table(folder, [int(s) for s in args.sizes.split(",") if s], args.runs)
        if not args.no_dask:
            dask_table(folder, args.dask_profiles, args.dask_runs)
    print(f"\n({time.perf_counter() - start:.0f} s in all)")


if __name__ == "__main__":
    main()
