"""Benchmark of the consultant's path: an XLSX client sheet scored into a workbook, against the
same firms as JSON Lines scored into CSV (issue 18: the workbook path should cost at most twice
as much).

Usage: python benchmarks/bench_sheets.py [--profiles N] [--runs R] [--jobs 1[,2]]
                                         [--breakdown-runs B]

Generates N firms (seeded random answers, each with an id and a name) and writes them twice:
as JSON Lines (field ids and value ids) and as an XLSX sheet such as a consultant fills (the
template's headers, values by their labels: "North America", "yes", "France"). Then, end to
end and alternating (R runs each; medians):

    xbec-advisor score firms.xlsx  -f xlsx -o out.xlsx --jobs J
    xbec-advisor score firms.jsonl -f csv  -o out.csv  --jobs J

with profiles per second, the CPU seconds of every process of the command (``getrusage`` of
the children: on a machine shared with other work the CPU time is the figure to compare; the
wall clock depends on what else runs) and the peak RSS of the largest process. The ratio is
the workbook path's CPU time over the CSV path's.

Then the parts, measured in this process (CPU time, best of B): reading the XLSX sheet against
reading the JSON Lines (rows per second, each row decoded into answers), scoring with the
workbook's detail (recommendations in priority order, every platform's score) against the
summary alone (both from the JSON Lines, reading included), and writing the workbook against
writing the CSV (results per second).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from xbec_advisor._batch.outputs import write_summary
from xbec_advisor._batch.scoring import Result, rulebase_for, score_items
from xbec_advisor._batch.sources import read_items
from xbec_advisor._batch.template import columns
from xbec_advisor._batch.workbook import ScoreWorkbook
from xbec_advisor._profile.generate import random_answers
from xbec_advisor._profile.labels import value_label

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
GOAL = 2.0


def firms(count: int) -> list[dict[str, object]]:
    """``count`` firms (seeded): an id, a name and random answers."""
    rng = random.Random(18 + count)
    return [
        {"id": f"firm-{n:05d}", "name": f"Firm {n}", **random_answers(rng)}
        for n in range(1, count + 1)
    ]


def write_jsonl(path: Path, data: list[dict[str, object]]) -> None:
    with path.open("w") as out:
        for firm in data:
            out.write(json.dumps(firm) + "\n")


def _cell(field: str, value: object) -> object:
    """A value as a consultant types it: labels, lists separated by '; ', numbers as numbers."""
    if isinstance(value, list):
        return "; ".join(value_label(field, v) for v in value) or "none"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return value_label(field, value)


def write_xlsx(path: Path, data: list[dict[str, object]]) -> None:
    """The firms in a "Clients" sheet with the template's headers."""
    import xlsxwriter

    cols = columns()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Clients")
    sheet.write_row(0, 0, [c.header for c in cols])
    for r, firm in enumerate(data, start=1):
        for i, col in enumerate(cols):
            if col.field in firm:
                cell = _cell(col.field, firm[col.field])
                if isinstance(cell, str):
                    sheet.write_string(r, i, cell)
                else:
                    sheet.write_number(r, i, cell)  # type: ignore[arg-type]
    book.close()


def score(source: Path, fmt: str, jobs: int) -> tuple[float, float, float]:
    """Seconds, peak RSS (MB, the largest process) and CPU seconds (every process of the
    command) of one `score` run."""
    output = source.with_name(f"out-{source.stem}.{fmt}")
    command = [sys.executable, "-m", "xbec_advisor", "score", str(source), "-f", fmt]
    command += ["-o", str(output), "--jobs", str(jobs)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, env=CLI_ENV
    )
    code, seconds, peak, cpu = done.stdout.split()
    if code != "0":
        raise SystemExit(f"score {source.name} -f {fmt} --jobs {jobs} failed: exit code {code}")
    return float(seconds), float(peak), float(cpu)


def end_to_end(sheet: Path, lines: Path, count: int, runs: int, jobs: int) -> None:
    paths = {"XLSX -> XLSX": (sheet, "xlsx"), "JSONL -> CSV": (lines, "csv")}
    seconds: dict[str, list[float]] = {name: [] for name in paths}
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    peaks = dict.fromkeys(paths, 0.0)
    for run in range(runs):
        order = list(paths) if run % 2 == 0 else list(paths)[::-1]
        for name in order:
            wall, peak, used = score(*paths[name], jobs)
            seconds[name].append(wall)
            cpu[name].append(used)
            peaks[name] = max(peaks[name], peak)
    print(f"\n`score --jobs {jobs}`, {count:,} firms, {runs} run(s) each (alternating), medians:")
    print("| path | profiles/s | wall s | CPU s | profiles per CPU-second | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for name in paths:
        wall, used = statistics.median(seconds[name]), statistics.median(cpu[name])
        print(
            f"| {name} | {count / wall:,.0f} | {wall:.2f} | {used:.2f} | {count / used:,.0f} "
            f"| {peaks[name]:.0f} |"
        )
    ratio = statistics.median(cpu["XLSX -> XLSX"]) / statistics.median(cpu["JSONL -> CSV"])
    wall_ratio = statistics.median(seconds["XLSX -> XLSX"]) / statistics.median(
        seconds["JSONL -> CSV"]
    )
    met = "met" if ratio <= GOAL else "NOT met"
    print(
        f"ratio XLSX -> XLSX / JSONL -> CSV: {ratio:.2f}x CPU time, {wall_ratio:.2f}x wall clock "
        f"[goal <= {GOAL:g}x CPU: {met}]",
        flush=True,
    )


def cpu_best(work: Callable[[], object], runs: int) -> float:
    """The least CPU seconds of this process over ``runs`` runs of ``work``."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def breakdown(sheet: Path, lines: Path, count: int, runs: int) -> None:
    def read(path: Path) -> Callable[[], object]:
        return lambda: [item.resolved() for item in read_items(path)]

    def scored(detail: str) -> Callable[[], list[Result]]:
        return lambda: list(score_items(read_items(lines), detail=detail))

    summary, priorities = scored("summary")(), scored("priorities")()  # warm the advisor
    if not all(r.ok for r in priorities):
        raise SystemExit("some generated firms failed: " + str(priorities[0].error))

    def workbook() -> None:
        with ScoreWorkbook(io.BytesIO(), rulebase_for()) as book:
            for r in priorities:
                book.add(r)
            book.close()

    parts = [
        ("reading", "XLSX sheet", read(sheet), "JSON Lines", read(lines), "rows"),
        (
            "scoring",
            "workbook detail",
            scored("priorities"),
            "summary",
            scored("summary"),
            "profiles",
        ),
        (
            "writing",
            "workbook",
            workbook,
            "CSV",
            lambda: write_summary(summary, "csv", io.StringIO()),
            "results",
        ),
    ]
    print(f"\nThe parts, in this process, {count:,} firms (CPU time, best of {runs}):")
    print("| part | workbook path | per second | CSV path | per second | ratio |")
    print("|---|---|---|---|---|---|")
    for part, name_a, work_a, name_b, work_b, what in parts:
        a, b = cpu_best(work_a, runs), cpu_best(work_b, runs)
        print(
            f"| {part} | {name_a}: {a:.2f} s | {count / a:,.0f} {what} | {name_b}: {b:.2f} s "
            f"| {count / b:,.0f} {what} | {a / b:.2f}x |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default="1", help="comma-separated, e.g. 1,2")
    parser.add_argument("--breakdown-runs", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; each run includes the command's start-up (about 1 s)")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        sheet, lines = Path(name) / "firms.xlsx", Path(name) / "firms.jsonl"
        data = firms(args.profiles)
        write_xlsx(sheet, data)
        write_jsonl(lines, data)
        for jobs in (int(j) for j in args.jobs.split(",") if j):
            end_to_end(sheet, lines, args.profiles, args.runs, jobs)
        breakdown(sheet, lines, args.profiles, args.breakdown_runs)
    print(f"\n({time.perf_counter() - start:.0f} s in all)")


if __name__ == "__main__":
    main()
