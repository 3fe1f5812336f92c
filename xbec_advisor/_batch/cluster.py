"""Scoring on a Dask distributed cluster: the rule base sent once to each worker, chunks
submitted with back-pressure, results collected in order."""

from __future__ import annotations

import gc
import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .._advice.advisor import Advisor
from .._errors import XbecError
from .._i18n import _
from .._rulebase.load import RuleBase
from .items import Item

__all__ = ["DASK_CHUNK", "DASK_IN_FLIGHT", "chunks", "score_on_dask"]

#: Profiles per Dask task: a task costs the scheduler about a millisecond, 250 profiles about 0.1 s.
DASK_CHUNK = 250
#: Dask tasks per worker submitted and not yet collected (back-pressure).
DASK_IN_FLIGHT = 3

#: A chunk scorer: ``score(chunk, advisor=...)`` (a partial of ``scoring.score_chunk``).
Scorer = Callable[..., list[Any]]

#: On each Dask worker, the advisors built from the rule bases clients sent it, by the rule
#: base's fingerprint: a cluster that serves many ``score`` runs builds its engine once, not once
#: per run. At most :data:`_REMOTE_KEEP` are kept.
_REMOTE: dict[str, Advisor] = {}
_REMOTE_KEEP = 2


def _remote_advisor(fingerprint: str, rulebase: RuleBase) -> Advisor:
    """This worker's advisor for the rule base (built at its first chunk)."""
    found = _REMOTE.get(fingerprint)
    if found is None:
        while len(_REMOTE) >= _REMOTE_KEEP:
            del _REMOTE[next(iter(_REMOTE))]
        found = _REMOTE[fingerprint] = Advisor(rulebase)
        # As the command line does after its start-up: the engine's many long-lived objects are
        # moved out of the collector's sight, so that collections during scoring stay short.
        gc.collect()
        gc.freeze()
    return found


def fingerprint(rulebase: RuleBase) -> str:
    """A digest of the rule base's content: equal rule bases share one engine on a worker."""
    return hashlib.sha256(rulebase.model_dump_json().encode()).hexdigest()[:24]


def _score_remote(chunk: list[Item], key: str, rulebase: RuleBase, score: Scorer) -> list[Any]:
    """A Dask task: a chunk scored with the worker's advisor for the rule base (sent to each
    worker once per run; its engine built once per worker while the rule base stays the same)."""
    return score(chunk, advisor=_remote_advisor(key, rulebase))


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
            _("--dask needs the optional dependencies: pip install 'xbec-advisor[dask]'")
        ) from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise XbecError(
            _("cannot reach the Dask scheduler at {address}: {error}").format(
                address=address, error=exc
            )
        ) from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        key = fingerprint(rulebase)
        remote = client.scatter(rulebase, broadcast=True)  # once to each worker
        pending: deque[Any] = deque()
        for chunk in chunks(items, DASK_CHUNK):
            pending.append(client.submit(_score_remote, chunk, key, remote, score, pure=False))
            if len(pending) >= DASK_IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
