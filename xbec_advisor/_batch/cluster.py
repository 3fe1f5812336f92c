"""Scoring on a Dask distributed cluster: the rule base sent once to each worker, chunks
submitted with back-pressure, results collected in order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .._advice.advisor import Advisor
from .._errors import XbecError
from .._rulebase.load import RuleBase
from .items import Item

__all__ = ["DASK_CHUNK", "DASK_IN_FLIGHT", "chunks", "score_on_dask"]

#: Profiles per Dask task: a task costs the scheduler about a millisecond, 250 profiles about 0.1 s.
DASK_CHUNK = 250
#: Dask tasks per worker submitted and not yet collected (back-pressure).
DASK_IN_FLIGHT = 3

#: A chunk scorer: ``score(chunk, advisor=...)`` (a partial of ``scoring.score_chunk``).
Scorer = Callable[..., list[Any]]

#: On each Dask worker, the advisor built from the rule base the client scattered to it.
_REMOTE: dict[int, tuple[RuleBase, Advisor]] = {}


def _score_remote(chunk: list[Item], rulebase: RuleBase, score: Scorer) -> list[Any]:
    """A Dask task: a chunk scored with the worker's advisor (built once per worker from the
    rule base the client sent it once)."""
    found = _REMOTE.get(id(rulebase))
    if found is None or found[0] is not rulebase:
        _REMOTE.clear()
        found = _REMOTE[id(rulebase)] = (rulebase, Advisor(rulebase))
    return score(chunk, advisor=found[1])


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_on_dask(
    items: Iterable[Item], address: str, rulebase: RuleBase, score: Scorer
) -> Iterator[Any]:
    """Chunks submitted with back-pressure: at most :data:`DASK_IN_FLIGHT` per worker wait or
    run at once, the next one submitted when the oldest is collected (in order). ``rulebase``
    goes to every worker once; each builds its advisor from it."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise XbecError(
            "--dask needs the optional dependencies: pip install 'xbec-advisor[dask]'"
        ) from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise XbecError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        remote = client.scatter(rulebase, broadcast=True)  # once to each worker
        pending: deque[Any] = deque()
        for chunk in chunks(items, DASK_CHUNK):
            pending.append(client.submit(_score_remote, chunk, remote, score, pure=False))
            if len(pending) >= DASK_IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
