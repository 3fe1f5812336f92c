"""Scoring on several processes (``_batch/processes.py``): order, errors, and the workers' end."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator

import pytest

from xbec_advisor._batch import processes
from xbec_advisor._errors import XbecError


def _square(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


def _in_worker() -> bool:
    return multiprocessing.parent_process() is not None  # forked or spawned alike


def _fails_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk and _in_worker():
        raise ValueError("seven")
    return _square(chunk)


def _dies_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk and _in_worker():
        os.kill(os.getpid(), signal.SIGKILL)
    return _square(chunk)


def _scored_here_or_there(chunk: list[int]) -> list[tuple[int, bool]]:
    return [(n, not _in_worker()) for n in chunk]


@pytest.mark.parametrize("jobs", [2, 3, 4])
@pytest.mark.parametrize("chunk", [1, 3, 50])
def test_results_keep_the_order_of_the_items(
    monkeypatch: pytest.MonkeyPatch, jobs: int, chunk: int
) -> None:
    monkeypatch.setattr(processes, "CHUNK", chunk)
    assert list(processes.run(_square, iter(range(500)), jobs)) == [n * n for n in range(500)]


def test_the_workers_and_this_process_share_the_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "CHUNK", 5)
    results = list(processes.run(_scored_here_or_there, iter(range(400)), 2))
    assert [n for n, _ in results] == list(range(400))
    here = [n for n, local in results if local]
    assert 0 < len(here) < 400  # neither side did all the work


def test_an_empty_input_gives_nothing() -> None:
    assert list(processes.run(_square, iter([]), 2)) == []


def test_a_bug_in_a_worker_is_reported_with_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "CHUNK", 10)
    with pytest.raises(XbecError, match=r"(?s)a scoring worker failed:.*ValueError: seven"):
        list(processes.run(_fails_on_seven, iter(range(100)), 2))


def test_a_worker_that_dies_is_reported_instead_of_waited_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(processes, "CHUNK", 10)
    with pytest.raises(XbecError, match=r"stopped unexpectedly .*exit code -9.*--jobs 1"):
        list(processes.run(_dies_on_seven, iter(range(100)), 2))


def test_workers_end_when_the_reader_stops_early(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[processes._Worker[int, int]] = []
    original = processes._Worker.__init__

    def remember(self: processes._Worker[int, int], *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        started.append(self)

    monkeypatch.setattr(processes._Worker, "__init__", remember)
    results: Iterator[int] = processes.run(_square, iter(range(10_000)), 3)
    assert [next(results) for _ in range(5)] == [0, 1, 4, 9, 16]
    results.close()  # e.g. the output could not be written
    assert len(started) == 2 and not any(w.process.is_alive() for w in started)


def test_no_worker_is_left_after_a_complete_run(monkeypatch: pytest.MonkeyPatch) -> None:
    list(processes.run(_square, iter(range(300)), 3))
    assert multiprocessing.active_children() == []
