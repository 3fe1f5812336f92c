"""Scoring items: in this process, in a pool of processes, or on a Dask cluster; order kept."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from .._advice.advisor import Evaluation, default_advisor
from .._errors import EngineError, ProfileError, XbecError
from .._profile.load import profile_from_data
from .._rulebase.load import CATEGORIES
from . import processes
from .sources import Item

__all__ = ["Result", "score_items", "score_one"]

#: Profiles per Dask task: a task costs the scheduler about a millisecond, 250 profiles about 0.1 s.
DASK_CHUNK = 250


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


def score_one(item: Item, full: bool = False, with_sensitivity: bool = False) -> Result:
    """Advise one item with this process's advisor; errors become a failed result.

    The summary needs only what fired and the platform ranking (:meth:`Advisor.evaluate`); the
    complete advice is built only for ``full``.
    """
    item = item.resolved()
    if item.error is not None:
        return Result(id=item.id, error=item.error)
    try:
        advisor = default_advisor()
        profile = profile_from_data(item.data, source=item.id)
        evaluation = advisor.evaluate(profile)
        advice_json = advisor.advise(profile).model_dump_json() if full else None
    except ProfileError as exc:
        return Result(
            id=item.id, error=f"{exc.source}: invalid profile: " + "; ".join(exc.problems)
        )
    except EngineError:
        raise  # not this profile's fault: the command stops with the engine's exit code
    except XbecError as exc:
        return Result(id=item.id, error=" ".join(str(exc).split()))
    counts = dict.fromkeys(CATEGORIES, 0)
    for rule in evaluation.rules:
        counts[rule.category] += 1
    result = Result(
        id=item.id,
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


def _score_chunk(chunk: list[Item], full: bool, with_sensitivity: bool) -> list[Result]:
    return [score_one(item, full, with_sensitivity) for item in chunk]


def _chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == DASK_CHUNK:
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
        for item in items:
            yield score_one(item, full, with_sensitivity)
        return
    yield from processes.run(
        partial(_score_chunk, full=full, with_sensitivity=with_sensitivity), iter(items), jobs
    )


def _score_on_dask(
    items: Iterable[Item], address: str, full: bool, with_sensitivity: bool
) -> Iterator[Result]:
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
        futures = [
            client.submit(_score_chunk, chunk, full, with_sensitivity, pure=False)
            for chunk in _chunks(items)
        ]
        for future in futures:  # in submission order: results stream back in the batch's order
            yield from future.result()
    finally:
        client.close()
