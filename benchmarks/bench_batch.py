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

Then, side by side on one machine: ``score --dask ADDRESS`` against a local Dask cluster of N
worker processes (one thread each) and ``score --jobs N`` on the same file, alternating, for
N = 1 and 2: profiles per second, and profiles per CPU-second of every process involved (for
Dask: the command, the workers and the scheduler). With N as large as the machine's cores, the
cluster's client and scheduler compete with the workers for the cores; a cluster's client and
scheduler normally run beside the workers, not on their cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cluster_cpu(pids: list[int]) -> float:
    """CPU seconds of the cluster: its worker processes and this process (the scheduler)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return sum(_cpu_seconds(pid) for pid in pids) + usage.ru_utime + usage.ru_stime


def dask_table(folder: Path, count: int, runs: int, workers: tuple[int, ...] = (1, 2)) -> None:
    """``--dask`` against ``--jobs N`` with N worker processes, alternating, on one machine:
    profiles per second, and profiles per CPU-second of every process involved (the command,
    and for Dask the workers and the scheduler), which a machine shared with other work does
    not distort as much."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("\n(dask is not installed: pip install 'xbec-advisor[dask]')")
        return
    source = folder / f"dask-{count}.jsonl"
    write_profiles(source, count)
    print(f"\nOne machine, {count:,} profiles, {runs} runs each (alternating), medians:")
    print("| scoring | profiles/s | profiles per CPU-second (all processes) |")
    print("|---|---|---|")
    for n in workers:
        rates: dict[str, list[float]] = {"jobs": [], "dask": []}
        per_cpu: dict[str, list[float]] = {"jobs": [], "dask": []}
        with (
            LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            pids = list(client.run(os.getpid).values())
            address = cluster.scheduler_address
            score(source, "--dask", address)  # the workers build their engines, kept for later runs
            for run in range(runs):
                for name in ("jobs", "dask") if run % 2 == 0 else ("dask", "jobs"):
                    before = _cluster_cpu(pids)
                    options = ("--jobs", str(n)) if name == "jobs" else ("--dask", address)
                    seconds, _, cpu = score(source, *options)
                    if name == "dask":
                        cpu += _cluster_cpu(pids) - before
                    rates[name].append(count / seconds)
                    per_cpu[name].append(count / cpu)
        jobs, dask = (statistics.median(rates[k]) for k in ("jobs", "dask"))
        jobs_cpu, dask_cpu = (statistics.median(per_cpu[k]) for k in ("jobs", "dask"))
        print(f"| --jobs {n} | {jobs:,.0f} | {jobs_cpu:,.0f} |")
        print(
            f"| --dask, local cluster of {n} worker process{'es' if n > 1 else ''} | "
            f"{dask:,.0f} ({dask / jobs:.2f}x) | {dask_cpu:,.0f} ({dask_cpu / jobs_cpu:.2f}x) |",
            flush=True,
        )


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
