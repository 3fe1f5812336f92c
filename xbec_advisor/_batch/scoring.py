"""Scoring items: in this process, in a pool of processes, or on a Dask cluster; order kept."""

from __future__ import annotations

import gc
import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .._advice.advisor import Advisor, Evaluation, default_advisor
from .._errors import EngineError, ProfileError, XbecError, shown
from .._profile.load import profile_from_data
from .._profile.model import Profile
from .._rulebase.load import CATEGORIES, RuleBase, bundled_rulebase
from . import processes
from .sources import Item

__all__ = ["Result", "score_chunk", "score_items", "score_one"]

#: Profiles per Dask task: a task costs the scheduler about a millisecond, 250 profiles about 0.1 s.
DASK_CHUNK = 250
#: Dask tasks per worker submitted and not yet collected (back-pressure).
DASK_IN_FLIGHT = 3
#: Profiles evaluated together when scoring in this process alone.
LOCAL_CHUNK = 32


@dataclass
class Result:
    """The outcome for one profile: a summary row and the rules that fired, or an error."""

    id: str
    error: str | None = None
    top: list[tuple[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    fired: list[str] = field(default_factory=list)
    #: The rules that may also apply (they depend on unanswered questions).
    maybe: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    influential: list[str] = field(default_factory=list)
    advice_json: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def score_one(
    item: Item, full: bool = False, with_sensitivity: bool = False, advisor: Advisor | None = None
) -> Result:
    """Advise one item with this process's advisor; errors become a failed result.

    The summary needs only what fired and the platform ranking (:meth:`Advisor.evaluate`); the
    complete advice is built only for ``full``. An :class:`EngineError` is not the profile's
    fault: it is raised (the command stops with the engine's exit code).
    """
    return score_chunk([item], full, with_sensitivity, advisor)[0]


def score_chunk(
    chunk: list[Item],
    full: bool = False,
    with_sensitivity: bool = False,
    advisor: Advisor | None = None,
) -> list[Result]:
    """:func:`score_one` for several items, their valid profiles evaluated in one batch."""
    advisor = advisor if advisor is not None else default_advisor()
    results: list[Result | None] = []
    valid: list[tuple[int, str, Profile]] = []
    for item in chunk:
        try:
            item = item.resolved()
        except Exception as exc:
            results.append(_bug(item.id, exc))
            continue
        if item.error is not None:
            results.append(Result(id=item.id, error=item.error))
            continue
        try:
            profile = profile_from_data(item.data, source=item.id)
        except ProfileError as exc:
            problems = "; ".join(exc.problems)
            results.append(Result(id=item.id, error=f"{exc.source}: invalid profile: {problems}"))
            continue
        except XbecError as exc:
            results.append(Result(id=item.id, error=" ".join(str(exc).split())))
            continue
        valid.append((len(results), item.id, profile))
        results.append(None)
    try:
        evaluations: list[Evaluation | Exception] = list(
            advisor.evaluate_many([profile for _, _, profile in valid])
        )
    except EngineError:
        raise
    except Exception:
        evaluations = [_evaluate_alone(advisor, profile) for _, _, profile in valid]
    for (k, rid, profile), evaluation in zip(valid, evaluations, strict=True):
        try:
            if isinstance(evaluation, Exception):
                raise evaluation
            results[k] = _result(advisor, rid, profile, evaluation, full, with_sensitivity)
        except EngineError:
            raise
        except Exception as exc:
            results[k] = _bug(rid, exc)
    return [r for r in results if r is not None]


def _evaluate_alone(advisor: Advisor, profile: Profile) -> Evaluation | Exception:
    try:
        return advisor.evaluate(profile)
    except EngineError:
        raise
    except Exception as exc:
        return exc


def _bug(rid: str, exc: Exception) -> Result:
    """The error row of a profile whose scoring hit a bug (the batch goes on)."""
    return Result(
        id=rid,
        error=f"{rid}: internal error (a bug: please report it): "
        f"{type(exc).__name__}: {shown(str(exc), 200, quote=False)}",
    )


def _result(
    advisor: Advisor,
    rid: str,
    profile: Profile,
    evaluation: Evaluation,
    full: bool,
    with_sensitivity: bool,
) -> Result:
    try:
        advice_json = advisor.advise(profile).model_dump_json() if full else None
    except EngineError:
        raise
    except XbecError as exc:
        return Result(id=rid, error=" ".join(str(exc).split()))
    counts = dict.fromkeys(CATEGORIES, 0)
    for rule in evaluation.rules:
        counts[rule.category] += 1
    result = Result(
        id=rid,
        top=[
            (p.platform, p.score)
            for p in evaluation.platforms
            if p.eligible and p.score is not None
        ][:3],
        counts=counts,
        fired=[r.id for r in evaluation.rules],
        maybe=[r.id for r in evaluation.maybe],
        key=_key_recommendations(evaluation),
        advice_json=advice_json,
    )
    if with_sensitivity:
        from .._analysis.whatif import sensitivity

        result.influential = [
            row.field
            for row in sensitivity(advisor, profile)[:3]
            if row.top_platform_changes or row.max_recommendations_changed
        ]
    return result


def _key_recommendations(evaluation: Evaluation) -> list[str]:
    """The rules that put the top platform first (most points first),
    else the first recommendations.
    """
    best = evaluation.platforms[0] if evaluation.platforms and evaluation.top_platform else None
    if best is not None:
        backing = sorted(
            (c for c in best.contributions if c.points > 0), key=lambda c: (-c.points, c.rule_id)
        )
        return [c.rule_id for c in backing][:5]
    return [r.id for r in evaluation.rules][:3]


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_items(
    items: Iterable[Item],
    jobs: int = 1,
    full: bool = False,
    with_sensitivity: bool = False,
    dask_address: str | None = None,
) -> Iterator[Result]:
    """Results in the order of ``items``, computed with ``jobs`` processes or on a Dask cluster."""
    if dask_address is not None:
        yield from _score_on_dask(items, dask_address, full, with_sensitivity)
        return
    if jobs <= 1:
        for chunk in _chunks(items, LOCAL_CHUNK):
            yield from score_chunk(chunk, full, with_sensitivity)
        return
    yield from processes.run(
        partial(score_chunk, full=full, with_sensitivity=with_sensitivity), iter(items), jobs
    )


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


def _fingerprint(rulebase: RuleBase) -> str:
    """A digest of the rule base's content: equal rule bases share one engine on a worker."""
    return hashlib.sha256(rulebase.model_dump_json().encode()).hexdigest()[:24]


def _score_remote(
    chunk: list[Item], fingerprint: str, rulebase: RuleBase, full: bool, with_sensitivity: bool
) -> list[Result]:
    """A Dask task: a chunk scored with the worker's advisor for the rule base (sent to each
    worker once per run; its engine built once per worker while the rule base stays the same)."""
    return score_chunk(chunk, full, with_sensitivity, _remote_advisor(fingerprint, rulebase))


def _score_on_dask(
    items: Iterable[Item], address: str, full: bool, with_sensitivity: bool
) -> Iterator[Result]:
    """Chunks submitted with back-pressure: at most :data:`DASK_IN_FLIGHT` per worker wait or
    run at once, the next one submitted when the oldest is collected (in order)."""
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
        local = bundled_rulebase()
        fingerprint = _fingerprint(local)
        rulebase = client.scatter(local, broadcast=True)  # once to each worker
        pending: deque[Any] = deque()
        for chunk in _chunks(items, DASK_CHUNK):
            pending.append(
                client.submit(
                    _score_remote, chunk, fingerprint, rulebase, full, with_sensitivity, pure=False
                )
            )
            if len(pending) >= DASK_IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
