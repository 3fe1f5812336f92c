"""Killing `score --jobs 2` (SIGKILL or SIGTERM) leaves no process and no temporary file, and
the previous output file as it was."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: How long the processes and files may take to go (the issue's bound); a deadline, not a timing.
GONE_WITHIN = 5.0


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` still alive (from /proc)."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        parents, frontier = frontier, set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in parents and fields[0] != "Z" and int(entry.name) not in found:
                found.add(int(entry.name))
                frontier.add(int(entry.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_score_leaves_nothing_behind(tmp_path: Path, how: signal.Signals) -> None:
    rows = [
        {"id": f"p{i}", "business_model": "B2C", "target_region": "europe"} for i in range(2000)
    ]
    source = tmp_path / "firms.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows) * 50)  # 100,000 profiles
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "scores.csv"
    output.write_text("previous scores\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xbec_advisor",
            "score",
            str(source),
            "--jobs",
            "2",
            "-f",
            "csv",
            "-o",
            str(output),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and not workers:  # wait until the worker is scoring
        workers = _children(proc.pid)
        time.sleep(0.1)
    assert workers, "no worker started"
    time.sleep(1.0)  # let it write part of the output
    assert proc.poll() is None, "the batch ended before it could be killed"
    proc.send_signal(how)
    proc.wait(timeout=30)
    deadline = time.monotonic() + GONE_WITHIN
    while time.monotonic() < deadline and (_alive(workers) or len(list(out_dir.iterdir())) > 1):
        time.sleep(0.05)
    assert not _alive(workers), "a worker outlived the reading process"
    assert [p.name for p in out_dir.iterdir()] == ["scores.csv"], "a temporary file was left"
    assert output.read_text() == "previous scores\n"
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    assert "Traceback" not in err
    if how == signal.SIGTERM:
        assert proc.returncode == 143 and "terminated" in err
