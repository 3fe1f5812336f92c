"""Scoring items: in this process, in a pool of processes, or on a Dask cluster; order kept.

Every way builds the same rule base: the bundled rules, merged with the folders of ``--rules``
(:func:`advisor_for`; a forked worker inherits the advisor built here, a spawned one builds it
from the folders' paths, a Dask worker from the rule base sent to it once). What a result holds
depends on the output (``detail``, one of :data:`DETAILS`): the summary row; with
``priorities`` also the recommendations in priority order, every platform's score and the
grounded model's weak points (workbook, portfolio); with ``reports`` also the firm's summary and
client report in HTML, rendered where the firm is scored (portfolio).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from .._advice.advisor import Advisor, Evaluation, default_advisor
from .._errors import EngineError, ProfileError, XbecError, shown
from .._i18n import _, current_language, using
from .._profile.load import profile_from_data, split_meta
from .._profile.model import Profile
from .._rulebase.load import CATEGORIES, RuleBase, bundled_rulebase, load_rulebase
from . import processes
from .cluster import chunks, score_on_dask
from .sources import Item

__all__ = ["DETAILS", "Result", "advisor_for", "rulebase_for", "score_chunk", "score_items"]

#: Profiles evaluated together when scoring in this process alone.
LOCAL_CHUNK = 32
#: What a result holds, from least to most (see the module's docstring).
DETAILS = ("summary", "priorities", "reports")


@dataclass
class Result:
    """The outcome for one profile: a summary row and the rules that fired, or an error."""

    id: str
    error: str | None = None
    #: The firm's name (a ``name`` column or key), if given.
    name: str = ""
    top: list[tuple[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    fired: list[str] = field(default_factory=list)
    #: The rules that may also apply (they depend on unanswered questions).
    maybe: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    influential: list[str] = field(default_factory=list)
    advice_json: str | None = None
    #: ``priorities`` and more: the fired rules in priority order (the first is priority 1).
    actions: list[str] = field(default_factory=list)
    #: ``priorities``: each ranked platform's score (None: not scored) and whether it is
    #: eligible, in the ranking's order.
    scores: list[tuple[str, float | None, bool]] = field(default_factory=list)
    #: ``priorities``: the grounded model's categories (B1-B12) with a weak point, and which.
    weak: list[tuple[str, list[str]]] = field(default_factory=list)
    #: ``reports``: the one-screen summary (an HTML fragment) and the client report (a page).
    summary_html: str | None = None
    report_html: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


#: Advisors built in this process, by their extra rule folders (a forked worker inherits them).
_ADVISORS: dict[tuple[str, ...], Advisor] = {}


@functools.lru_cache(maxsize=4)
def rulebase_for(rules: tuple[str, ...] = ()) -> RuleBase:
    """The bundled rule base, merged with the extra rule folders ``rules`` (loaded once)."""
    if not rules:
        return bundled_rulebase()
    from .._rulebase.load import default_rules_dir

    return load_rulebase(default_rules_dir(), *rules)


def advisor_for(rules: tuple[str, ...] = ()) -> Advisor:
    """This process's advisor over the bundled rules and the extra folders ``rules``
    (built once)."""
    if not rules:
        return default_advisor()
    found = _ADVISORS.get(rules)
    if found is None:
        found = _ADVISORS[rules] = Advisor(rulebase_for(rules))
    return found


def score_chunk(
    chunk: list[Item],
    full: bool = False,
    with_sensitivity: bool = False,
    advisor: Advisor | None = None,
    detail: str = "summary",
    rules: tuple[str, ...] = (),
    lang: str | None = None,
) -> list[Result]:
    """Advise several items with this process's advisor (``advisor``, else the one of
    ``rules``), their valid profiles evaluated in one batch; errors become failed results.

    The summary needs only what fired and the platform ranking (:meth:`Advisor.evaluate`); the
    complete advice is built only for ``full`` and ``detail="reports"``. An
    :class:`EngineError` is not the profile's fault: it is raised (the command stops with the
    engine's exit code). ``lang``: the language of the errors (a worker process or a cluster
    does not share the caller's; None: the current one).
    """
    with using(lang):
        return _score_chunk(chunk, full, with_sensitivity, advisor, detail, rules)


def _score_chunk(
    chunk: list[Item],
    full: bool,
    with_sensitivity: bool,
    advisor: Advisor | None,
    detail: str,
    rules: tuple[str, ...],
) -> list[Result]:
    advisor = advisor if advisor is not None else advisor_for(rules)
    results: list[Result | None] = []
    valid: list[tuple[int, str, Profile, str]] = []
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
            meta, answers = split_meta(item.data, item.id)
            profile = profile_from_data(answers, source=item.id)
        except ProfileError as exc:
            problems = "; ".join(exc.problems)
            results.append(
                Result(
                    id=item.id,
                    error=_("{source}: invalid profile: {problems}").format(
                        source=exc.source, problems=problems
                    ),
                )
            )
            continue
        except XbecError as exc:
            results.append(Result(id=item.id, error=" ".join(str(exc).split())))
            continue
        name = meta.get("name") or str(getattr(item, "name", "") or "")  # a reader may name it
        valid.append((len(results), item.id, profile, name))
        results.append(None)
    try:
        evaluations: list[Evaluation | Exception] = list(
            advisor.evaluate_many([profile for _, _, profile, _ in valid])
        )
    except EngineError:
        raise
    except Exception:
        evaluations = [_evaluate_alone(advisor, profile) for _, _, profile, _ in valid]
    for (k, rid, profile, name), evaluation in zip(valid, evaluations, strict=True):
        try:
            if isinstance(evaluation, Exception):
                raise evaluation
            result = _result(advisor, rid, profile, evaluation, full, with_sensitivity)
            result.name = name
            if detail != "summary" and result.ok:
                _add_detail(advisor, result, evaluation, detail)
            results[k] = result
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
        error=_("{id}: internal error (a bug: please report it): {kind}: {error}").format(
            id=rid, kind=type(exc).__name__, error=shown(str(exc), 200, quote=False)
        ),
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


def _add_detail(advisor: Advisor, result: Result, evaluation: Evaluation, detail: str) -> None:
    """What the workbook and the portfolio need besides the summary row (``detail``)."""
    grounded, ranked = advisor.priorities(evaluation)
    result.actions = [a.rule_id for a in ranked]
    result.scores = [(p.platform, p.score, p.eligible) for p in evaluation.platforms]
    result.weak = [
        (c.code, list(c.weaknesses)) for d in grounded for c in d.categories if c.weaknesses
    ]
    if detail == "reports":
        from .._render.html import render_html, summary_body

        advice = advisor.advice_of(evaluation, client=result.name, client_id=result.id)
        result.summary_html = "".join(summary_body(advice))
        result.report_html = render_html(advice)


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


def score_items(
    items: Iterable[Item],
    jobs: int = 1,
    full: bool = False,
    with_sensitivity: bool = False,
    dask_address: str | None = None,
    detail: str = "summary",
    rules: tuple[str, ...] = (),
) -> Iterator[Result]:
    """Results in the order of ``items``, computed with ``jobs`` processes or on a Dask cluster,
    with the rule base of the extra folders ``rules`` and what ``detail`` asks for."""
    if detail not in DETAILS:
        raise ValueError(f"detail: expected one of {', '.join(DETAILS)}, got {detail!r}")
    lang = current_language()  # the workers' errors are in the caller's language
    if dask_address is not None:
        yield from score_on_dask(
            items,
            dask_address,
            rulebase_for(rules),
            partial(
                score_chunk,
                full=full,
                with_sensitivity=with_sensitivity,
                detail=detail,
                lang=lang,
            ),
        )
        return
    if jobs <= 1:
        advisor = advisor_for(rules)
        for chunk in chunks(items, LOCAL_CHUNK):
            yield from score_chunk(chunk, full, with_sensitivity, advisor, detail)
        return
    yield from processes.run(
        partial(
            score_chunk,
            full=full,
            with_sensitivity=with_sensitivity,
            detail=detail,
            rules=rules,
            lang=lang,
        ),
        iter(items),
        jobs,
        warm=partial(advisor_for, rules),
    )
