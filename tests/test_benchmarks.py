"""The benchmark scripts still run end to end (tiny sizes; their figures are not checked here)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run(script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, script, *args],
        cwd=ROOT / "benchmarks",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_bench_advise_prints_its_figures() -> None:
    out = _run("bench_advise.py", "--profiles", "40", "--runs", "2", "--memory-evaluations", "200")
    for label in (
        "engine (durable-rules)",
        "plain-Python evaluator",
        "advise() p99 latency",
        "RSS over 200 evaluations",
    ):
        assert label in out


def test_bench_score_prints_every_target() -> None:
    out = _run(
        "bench_score.py",
        "--profiles",
        "40",
        "--score-profiles",
        "60",
        "--runs",
        "1",
        "--score-runs",
        "1",
        "--memory-evaluations",
        "200",
    )
    assert out.count("[target") == 8 and "(the machine's own scaling" in out
    for label in (
        "advise() throughput",
        "score --jobs 2 / --jobs 1, 60",
        "advise one scenario (CLI), cold",
        "RSS, 200 advise() calls",
    ):
        assert label in out
