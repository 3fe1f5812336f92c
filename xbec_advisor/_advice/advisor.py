"""The advisor: a rule base compiled into the engine, turning profiles into :class:`Advice`."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._engine.durable import Engine, EngineResult, EngineRule
from .._engine.oracle import evaluate as evaluate_condition
from .._i18n import _, current_language, using
from .._profile.labels import field_label
from .._profile.load import profile_from_data, split_meta
from .._profile.model import RANKED_PLATFORMS, Profile
from .._rulebase.frameworks import fill_figures
from .._rulebase.load import CATEGORIES, Rule, RuleBase, bundled_rulebase, load_rulebase
from .._rulebase.presence import PresenceView
from .conflicts import figure_uses
from .models import (
    Action,
    Advice,
    BibEntry,
    DimensionView,
    PlatformConflict,
    PlatformScore,
    Recommendation,
    best_platforms,
    construct,
)
from .openness import may_apply, open_questions, silent_areas
from .parts import Assembler
from .priority import actions

if TYPE_CHECKING:
    from .._analysis.explain import Explanation

__all__ = ["Advisor", "Evaluation", "advise", "default_advisor"]

_CATEGORY_ORDER = {name: i for i, name in enumerate(CATEGORIES)}


@dataclass(frozen=True)
class Evaluation:
    """The core of the advice for one profile: what fired and how the platforms rank.

    :meth:`Advisor.evaluate` gives it without building the rest of an :class:`Advice`
    (recommendation texts, frameworks, grounded model), which batch scoring does not need.
    """

    profile: Profile
    answers: dict[str, object]
    #: The rules that fired, in the advice's order (by category, then id).
    rules: list[Rule]
    #: The derived facts established, sorted.
    facts: list[str]
    platforms: list[PlatformScore]
    conflicts: list[PlatformConflict]
    #: The rules that may also apply (their outcome depends on unanswered questions), in order.
    maybe: list[Rule]
    #: The language of the platform rows' texts (the language current when it was made).
    language: str = field(default_factory=current_language)

    @property
    def top_platforms(self) -> list[str]:
        """The platforms sharing the highest positive score (as :attr:`Advice.top_platforms`)."""
        return best_platforms(self.platforms)

    @property
    def top_platform(self) -> str | None:
        """The best platform, if no other has its score (as :attr:`Advice.top_platform`)."""
        best = self.top_platforms
        return best[0] if len(best) == 1 else None


class Advisor:
    """Compiles a rule base once; :meth:`advise` is then cheap and thread-safe."""

    def __init__(self, rulebase: RuleBase | None = None) -> None:
        self.rulebase = rulebase if rulebase is not None else bundled_rulebase()
        self._rules: dict[str, Rule] = {r.id: r for r in self.rulebase.rules}
        self._advice_order = {
            r.id: (_CATEGORY_ORDER[r.category], r.id) for r in self.rulebase.rules
        }
        self.engine = Engine(
            (EngineRule(r.id, r.when, r.unless, r.derives, r.stratum) for r in self.rulebase.rules),
            label=", ".join(self.rulebase.directories),
        )
        self._fields_used: dict[str, list[str]] = {}
        for rule in self.rulebase.rules:
            for name in sorted(rule.fields):
                self._fields_used.setdefault(name, []).append(rule.id)
        self._recs_by_year: dict[tuple[str, int], dict[str, Recommendation]] = {}
        self._bibliographies: dict[str, list[BibEntry]] = {}
        self._recs_lock = threading.Lock()
        self._presence_cache: dict[tuple[object, ...], dict[str, PresenceView]] = {}
        self._parts = Assembler(
            self.rulebase.rules,
            RANKED_PLATFORMS,
            self.rulebase.grounded,
            self.rulebase.facts,
            self.rulebase.frameworks,
            self.rulebase.figures,
            texts=self.rulebase,
        )
        signals = {
            name
            for category in (
                self.rulebase.grounded.categories.values() if self.rulebase.grounded else ()
            )
            for name in category.signals
        }
        self._signal_conditions = {
            name: self.rulebase.conditions[name].when
            for name in sorted(signals)
            if name in self.rulebase.conditions
        }
        self._notes: dict[str, tuple[dict[str, str], dict[str, list[str]]]] = {}

    def close(self) -> None:
        """Release the engine's rulesets now (they are released when the advisor is collected
        too); advising afterwards raises :class:`EngineError`."""
        self.engine.close()

    def __enter__(self) -> Advisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def from_directories(cls, *directories: Path | str) -> Advisor:
        """An advisor over the bundled rules merged with extra rule directories."""
        from .._rulebase.load import default_rules_dir

        return cls(load_rulebase(default_rules_dir(), *directories))

    def _bibliography(self, lang: str) -> list[BibEntry]:
        """The papers cited, as the advice lists them (titles as published; "authors not stated"
        in ``lang``)."""
        found = self._bibliographies.get(lang)
        if found is None:
            with using(lang):
                unnamed = _("authors not stated")
            found = [
                BibEntry(
                    key=p.key,
                    title=p.title,
                    authors=list(p.authors) or [unnamed],
                    published=str(p.year) if p.year else p.text_in("year_note", lang),
                )
                for p in self.rulebase.papers.values()
            ]
            self._bibliographies[lang] = found
        return found

    def _assumption_notes(self, lang: str) -> tuple[dict[str, str], dict[str, list[str]]]:
        """The notes on unanswered questions (by field) and each rule's assumptions (by rule id),
        in ``lang`` (built once per language)."""
        found = self._notes.get(lang)
        if found is None:
            with using(lang):
                unknown = {
                    name: _(
                        "{field}: not answered, so the advice that depends on it is left out or "
                        "shown as what may apply ({count} rule(s) read it)"
                    ).format(field=field_label(name, lang), count=len(rids))
                    for name, rids in self._fields_used.items()
                }
            rules = {
                r.id: [f"{r.id}: {text}" for text in r.assumptions_in(lang)]
                for r in self.rulebase.rules
            }
            found = self._notes.setdefault(lang, (unknown, rules))
        return found

    def _recommendations(self, as_of: int) -> dict[str, Recommendation]:
        """Every rule's recommendation in the current language, with figure ages as of a year
        (built once per language and year)."""
        lang = current_language()
        figs = self.rulebase.figures
        with self._recs_lock:
            recs = self._recs_by_year.get((lang, as_of))
            if recs is None:
                figures = figure_uses(figs, as_of, lang)
                recs = {
                    r.id: Recommendation(
                        rule_id=r.id,
                        category=r.category,
                        title=fill_figures(r.text_in("title", lang), figs, lang),
                        advice=fill_figures(r.text_in("advice", lang), figs, lang),
                        rationale=fill_figures(r.text_in("rationale", lang), figs, lang),
                        citations=list(r.citations),
                        assumptions=list(r.assumptions_in(lang)),
                        concepts=list(r.concepts),
                        figures=figures.get(r.id, []),
                    )
                    for r in self.rulebase.rules
                }
                self._recs_by_year[(lang, as_of)] = recs
            return recs

    def _signals(self, answers: Mapping[str, object]) -> list[str]:
        """The named conditions among the grounded model's weak-point signals that hold."""
        return [
            name
            for name, when in self._signal_conditions.items()
            if evaluate_condition(when, answers) is True
        ]

    def evaluate(self, profile: Profile | Mapping[str, object]) -> Evaluation:
        """Run the rules on one profile and rank the platforms,
        without building an :class:`Advice`.
        """
        prof = profile_from_data(profile)
        answers = prof.model_dump()
        return self._evaluation(prof, answers, self.engine.evaluate_answers(answers))

    def evaluate_many(self, profiles: Sequence[Profile]) -> list[Evaluation]:
        """:meth:`evaluate` for many validated profiles at once (one engine call per ruleset for
        each batch: faster than one profile at a time)."""
        answers = [p.model_dump() for p in profiles]
        results = self.engine.evaluate_many(answers)
        return [self._evaluation(*row) for row in zip(profiles, answers, results, strict=True)]

    def _evaluation(
        self, prof: Profile, answers: dict[str, object], result: EngineResult
    ) -> Evaluation:
        fired = [
            self._rules[rid] for rid in sorted(result.fired, key=self._advice_order.__getitem__)
        ]
        presence = self._presence(answers)
        platforms, conflicts = self._parts.rank(result.fired, result.maybe, presence)
        maybe = [
            self._rules[rid] for rid in sorted(result.maybe, key=self._advice_order.__getitem__)
        ]
        return Evaluation(prof, answers, fired, result.facts, platforms, conflicts, maybe)

    def _presence(self, answers: Mapping[str, object]) -> dict[str, PresenceView] | None:
        """Each platform's presence in the firm's markets (None without a presence table)."""
        table = self.rulebase.presence
        if table is None:
            return None
        countries = answers.get("target_countries")
        lang = current_language()
        key = (
            answers.get("target_region"),
            tuple(countries) if isinstance(countries, list) else None,
            lang,
        )
        found = self._presence_cache.get(key)
        if found is None:

            def text(platform: str, where: tuple[str, ...], part: str) -> str:
                return self.rulebase.cell_text(platform, where, part, lang)

            found = {p: table.of(p, answers, text) for p in RANKED_PLATFORMS}
            if len(self._presence_cache) < 4096:
                self._presence_cache[key] = found
        return found

    def advise(
        self,
        profile: Profile | Mapping[str, object],
        as_of: int | None = None,
        client: str = "",
        client_id: str = "",
        lang: str | None = None,
    ) -> Advice:
        """Evaluate the rules on one profile (a :class:`Profile` or a mapping of answers, which
        may also carry the firm's ``name`` and ``id``).

        ``as_of`` is the year against which the age of the papers' figures is given (default:
        this year); ``client`` and ``client_id`` name the firm in the advice; ``lang`` is the
        language of the advice's texts, ``en`` or ``zh`` (None: the current language, English
        unless set with :func:`xbec_advisor._i18n.using`). Quotes stay in English.
        """
        year = as_of if as_of is not None else datetime.date.today().year
        meta: dict[str, str] = {}
        if not isinstance(profile, Profile):
            meta, answers = split_meta(profile)
            profile = profile_from_data(answers)
        client, client_id = client or meta.get("name", ""), client_id or meta.get("id", "")
        with using(lang):
            return self.advice_of(self.evaluate(profile), year, client, client_id)

    def grounded_of(self, ev: Evaluation) -> list[DimensionView]:
        """The grounded-theory model's view of an evaluation: advice and weak points per
        category (as in :attr:`Advice.grounded_model`), names in the current language."""
        return self._parts.grounded_view(ev.rules, [*ev.facts, *self._signals(ev.answers)])

    def weak_points(self, ev: Evaluation) -> set[str]:
        """The grounded model's categories (B1-B12) in which the firm shows a weak point: those
        of :meth:`grounded_of` with weaknesses, without building the view."""
        return self._parts.weak_codes([*ev.facts, *self._signals(ev.answers)])

    def priorities(self, ev: Evaluation) -> tuple[list[DimensionView], list[Action]]:
        """The grounded model's view and the recommendations in priority order (as in
        :attr:`Advice.grounded_model` and :attr:`Advice.actions`), without the rest of the
        advice: what batch outputs need."""
        grounded = self.grounded_of(ev)
        return grounded, actions(ev.rules, grounded)

    def advice_of(
        self, ev: Evaluation, as_of: int | None = None, client: str = "", client_id: str = ""
    ) -> Advice:
        """The complete :class:`Advice` of an evaluation (:meth:`advise` without evaluating
        again), in the current language. The evaluation's platform rows were built in the
        language current when it was made: they are rebuilt here when that differs."""
        lang = current_language()
        year = as_of if as_of is not None else datetime.date.today().year
        answers, fired = ev.answers, ev.rules
        if lang != "en" and ev.platforms and not self._platforms_in(ev, lang):
            ev = self._evaluation_again(ev)
        unknown = [name for name in self._fields_used if answers.get(name) is None]
        unknown_notes, rule_notes = self._assumption_notes(lang)
        assumptions = [unknown_notes[name] for name in unknown]
        for rule in fired:
            assumptions.extend(rule_notes[rule.id])
        recs = self._recommendations(year)
        fired_ids = {r.id for r in fired}
        region = answers.get("target_region")
        open_rules = may_apply(ev.maybe, answers, list(self.rulebase.rules))
        areas = {a: self.rulebase.area_text(a, lang) for a in self.rulebase.areas}
        grounded = self.grounded_of(ev)
        # Everything below is built from validated rules and the engine's output: construct the
        # models without re-validating them, from parts shared between advices (_assembly.py).
        return construct(
            Advice,
            dict(
                profile={k: v for k, v in answers.items() if v is not None},
                recommendations=[recs[r.id] for r in fired],
                platforms=ev.platforms,
                derived_facts=self._parts.derived_facts(ev.facts, fired),
                assumptions=assumptions,
                unknown_fields=unknown,
                conflicts=ev.conflicts,
                pest=self._parts.framework("pest", region, fired_ids),
                swot=self._parts.framework("swot", region, fired_ids),
                operation_models=self._parts.framework("operation_models", region, fired_ids),
                marketing_models=self._parts.framework("marketing_models", region, fired_ids),
                grounded_model=grounded,
                bibliography=list(self._bibliography(lang)),
                as_of=year,
                may_apply=open_rules,
                open_questions=open_questions(open_rules),
                silent_areas=silent_areas(fired, open_rules, areas),
                actions=actions(fired, grounded),
                client=client,
                client_id=client_id,
            ),
        )

    def _platforms_in(self, ev: Evaluation, lang: str) -> bool:
        """Whether the evaluation's platform rows were built in ``lang``."""
        return ev.language == lang

    def _evaluation_again(self, ev: Evaluation) -> Evaluation:
        """The evaluation with its platform rows and conflicts rebuilt in the current language."""
        presence = self._presence(ev.answers)
        platforms, conflicts = self._parts.rank(
            sorted(r.id for r in ev.rules), [r.id for r in ev.maybe], presence
        )
        return Evaluation(
            ev.profile, ev.answers, ev.rules, ev.facts, platforms, conflicts, ev.maybe
        )

    def explain(
        self, profile: Profile | Mapping[str, object], advice: Advice | None = None
    ) -> Explanation:
        """How the advice for ``profile`` was reached: condition trees with the profile's values.

        ``advice``: this advisor's advice for the same profile, if already computed.
        """
        from .._analysis.explain import explain

        prof = profile_from_data(profile)
        return explain(self.rulebase, prof, advice if advice is not None else self.advise(prof))


_default: Advisor | None = None
_default_lock = threading.Lock()


def default_advisor() -> Advisor:
    """The process-wide advisor over the bundled rule base (built on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Advisor()
        return _default


def advise(profile: Profile | Mapping[str, object], lang: str | None = None) -> Advice:
    """Advice for one firm profile, from the bundled rule base, in ``lang`` (``en`` or ``zh``;
    None: the current language, English by default).

    >>> advice = advise({"business_model": "B2C", "target_region": "southeast_asia"})
    >>> advice.recommendations[0].citations[0].paper  # doctest: +SKIP
    'zou-live-sea'
    """
    return default_advisor().advise(profile, lang=lang)
