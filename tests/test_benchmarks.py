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
        "generated Python",
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


def test_bench_engine_prints_both_tables() -> None:
    out = _run(
        "bench_engine.py",
        "--sizes",
        "250",
        "--profiles",
        "60",
        "--agree",
        "30",
        "--speed-profiles",
        "60",
        "--runs",
        "1",
    )
    rows = [line for line in out.splitlines() if line.startswith("| ") and "(scaled)" in line]
    assert len(rows) == 1 and "| 0 | 0/30 |" in rows[0]  # no engine error, no disagreement
    for label in ("350 thresholds + bundled", "generated Python (reference)", "advise(), engine"):
        assert label in out
    assert "0 disagreement(s) between the engine and the reference" in out


def test_bench_batch_prints_both_tables() -> None:
    out = _run(
        "bench_batch.py",
        "--sizes",
        "100",
        "--runs",
        "1",
        "--dask-profiles",
        "200",
        "--dask-runs",
        "1",
    )
    assert "| 100 |" in out and "--jobs 2 profiles/s" in out
    assert "dask is not installed" in out or (
        "--dask, local cluster of 1 worker process |" in out
        and "--dask, local cluster of 2 worker processes |" in out
    )


def test_bench_sheets_prints_both_paths_and_the_parts() -> None:
    out = _run("bench_sheets.py", "--profiles", "30", "--runs", "1", "--breakdown-runs", "1")
    assert "| XLSX -> XLSX |" in out and "| JSONL -> CSV |" in out
    assert "ratio XLSX -> XLSX / JSONL -> CSV:" in out and "[goal <= 2x CPU:" in out
    for part in (
        "| reading | XLSX sheet:",
        "| scoring | workbook detail:",
        "| writing | workbook:",
    ):
        assert part in out


def test_soak_prints_its_targets() -> None:
    out = _run("soak.py", "--advisors", "10", "--errors", "30")
    assert out.count("[target < 50 MB: met]") == 2 and "30 engine errors provoked" in out
