"""Scoring on several processes: worker processes fed through pipes, and this one in between.

``jobs`` processes share ``jobs`` cores: ``jobs - 1`` workers, each kept ``LEAD`` chunks ahead,
and this process, which reads the input, sends the chunks, writes the results, and scores a few
profiles at a time (together: the engine evaluates them in one batch) whenever it has
nothing else to do. So no core waits for another, except at
the very end, for at most ``LEAD`` small chunks per worker.

There is no helper thread: with ``multiprocessing.Pool``, the threads that move tasks and
results compete for the GIL with this process's own scoring, and a worker waits up to a
switch interval (5 ms) for each chunk. Measured on 2 cores, that cost more than a tenth of the
run with small chunks; with large ones, this process waited for the workers' last chunks.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from .._advice.advisor import default_advisor
from .._errors import EngineError, XbecError
from .._i18n import _

__all__ = ["CHUNK", "LEAD", "POLL_EVERY", "context", "run"]

T = TypeVar("T")
R = TypeVar("R")

#: Profiles per message to a worker (about 15 ms of work): few enough that the last ones leave
#: little to wait for, enough that messages cost little.
CHUNK = 50
#: Chunks a worker holds at once: one it scores and one waiting, so that it never waits for
#: this process to answer.
LEAD = 2
#: Profiles this process scores, together, between two looks at the workers' pipes (a look
#: costs about 25 µs, a profile about 300 µs; a worker holds about 30 ms of work).
POLL_EVERY = 4


def context(warm: Callable[[], Any] = default_advisor) -> multiprocessing.context.BaseContext:
    """Fork where it is safe, so that workers start at once with the engine already built.

    The engine is built here first (``warm()``: the advisor of the run's rule base) and the
    workers inherit it: they never create a ruleset
    (whose creation can need a second attempt: defect 9 in ``engine.py``). Forking is only safe
    on Linux and in a process with no other thread (one could hold a lock); otherwise the
    workers are spawned, and each imports the package and builds its own engine (about a
    quarter of a second).
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        warm()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


#: Linux's prctl option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int, inherited: list[int]) -> None:
    """Make this worker end when the reading process ends, however it ends (even SIGKILL).

    On Linux the kernel sends SIGTERM when the parent dies (``prctl``); everywhere, the worker
    closes the pipe ends it inherited from the parent (its own pipe's other end, the other
    workers' pipes), so that the parent's death closes its pipe and ends its loop.
    """
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _work(
    conn: Connection,
    score: Callable[[list[T]], list[R]],
    parent: int = 0,
    inherited: tuple[int, ...] = (),
    warm: Callable[[], Any] = default_advisor,
) -> None:
    """A worker's loop: a chunk in, its results out, until ``None`` or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the reading process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the reading process's handler
    if parent:
        _die_with_parent(parent, list(inherited))
    warm()  # a spawned worker builds its engine before its first chunk
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        try:
            conn.send((True, score(chunk)))
        except EngineError as exc:  # the rule engine, not a profile: the reader raises it again
            conn.send((None, str(exc)))
        except Exception:  # a bug, not a bad profile (those are results): reported by the reader
            conn.send((False, traceback.format_exc()))


class _Slot(Generic[R]):
    """Results for consecutive items, in input order: filled at once, or when a worker answers."""

    __slots__ = ("results",)

    def __init__(self, results: list[R] | None = None) -> None:
        self.results = results


class _Worker(Generic[T, R]):
    def __init__(
        self,
        ctx: multiprocessing.context.BaseContext,
        score: Callable[[list[T]], list[R]],
        others: list[_Worker[T, R]],
        warm: Callable[[], Any] = default_advisor,
    ) -> None:
        self.conn, child = ctx.Pipe()
        # a forked worker inherits every descriptor: it closes the parent's ends it knows of
        forked = ctx.get_start_method() == "fork"
        inherited = tuple(
            [self.conn.fileno(), *(w.conn.fileno() for w in others)] if forked else ()
        )
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_work, args=(child, score, os.getpid(), inherited, warm), daemon=True
        )
        self.process.start()
        child.close()
        self.waiting: deque[_Slot[R]] = deque()

    def send(self, chunk: list[T]) -> _Slot[R]:
        self.conn.send(chunk)
        slot: _Slot[R] = _Slot()
        self.waiting.append(slot)
        return slot

    def collect(self) -> None:
        """Fill the slots this worker has answered, without waiting."""
        while self.waiting and self.conn.poll():
            try:
                ok, payload = self.conn.recv()
            except (EOFError, OSError):
                self.process.join(timeout=2)  # its pipe closes before the exit code is known
                raise XbecError(
                    _(
                        "a scoring worker stopped unexpectedly (exit code {code}); run again, or "
                        "with --jobs 1 to score in one process"
                    ).format(code=self.process.exitcode)
                ) from None
            if ok is None:
                raise EngineError(payload)
            if not ok:
                raise XbecError(_("a scoring worker failed:") + f"\n{payload}")
            self.waiting.popleft().results = payload

    def stop(self, clean: bool) -> None:
        try:
            if clean:
                self.conn.send(None)
            self.conn.close()
        except OSError:
            pass
        self.process.join(timeout=5 if clean else 0)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def run(
    score: Callable[[list[T]], list[R]],
    items: Iterator[T],
    jobs: int,
    warm: Callable[[], Any] = default_advisor,
) -> Iterator[R]:
    """``score`` applied to every item on ``jobs`` processes; results in the order of ``items``.

    ``warm()`` builds the advisor ``score`` uses (here before forking, or in each spawned
    worker before its first chunk). ``score`` and ``warm`` must be picklable (module-level
    functions or ``functools.partial`` of them) where workers are spawned.
    """
    ctx = context(warm)
    workers: list[_Worker[T, R]] = []
    for _worker in range(jobs - 1):
        workers.append(_Worker(ctx, score, workers, warm))
    slots: deque[_Slot[R]] = deque()
    exhausted = clean = False
    try:
        while True:
            for worker in workers:  # between two looks, this process scores POLL_EVERY items
                worker.collect()
                while not exhausted and len(worker.waiting) < LEAD:
                    chunk = list(islice(items, CHUNK))
                    if chunk:
                        slots.append(worker.send(chunk))
                    else:
                        exhausted = True
            while slots and slots[0].results is not None:
                yield from slots.popleft().results  # type: ignore[misc]
            if not exhausted:
                mine = list(islice(items, POLL_EVERY))  # scored together (the engine batches)
                if mine:
                    slots.append(_Slot(score(mine)))
                else:
                    exhausted = True
            elif slots:
                wait([w.conn for w in workers if w.waiting])
            else:
                clean = True
                return
    finally:
        for worker in workers:
            worker.stop(clean)
