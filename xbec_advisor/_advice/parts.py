"""The parts of an :class:`Advice` that repeat from profile to profile, built once and shared.

Building the advice's pydantic models costs more than running the rules, and most of them
repeat: a platform's score row depends only on the rules for or against it that fired, a
grounded-model category only on its recommendations and weak points. Each part is built once
per key and shared by every advice that needs it (the models are frozen; treat their lists as
read-only too). ``tests/reference_views.py`` computes the same parts from scratch, and the tests
check that both agree.

Every cache is bounded: once full it keeps what it has (the parts seen first, which are the
common ones) and builds the others each time. Keys of composite parts use the serial numbers of
their pieces, which are never reused; a piece that was not kept has the serial ``UNCACHED`` and
makes the composite uncached too.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import Generic, TypeVar

from .._i18n import current_language
from .._rulebase.frameworks import (
    FRAMEWORK_GROUPS,
    Figure,
    FrameworkItem,
    GroundedModel,
    fill_figures,
)
from .._rulebase.load import Rule, RuleBase
from .._rulebase.presence import PresenceView
from .conflicts import conflicts
from .models import (
    DerivedFact,
    DimensionView,
    Exclusion,
    FrameworkEntry,
    ModelCategoryView,
    PlatformConflict,
    PlatformScore,
    ScoreContribution,
    construct,
)
from .ranking import combine, order_key, shared_ranks

__all__ = ["Assembler"]

T = TypeVar("T")
#: The serial of a part that was built but not kept (its cache was full).
UNCACHED = -1

#: Most entries one cache holds before it is emptied (the category views' cache holds twice as
#: many). An assumption that keeps all the caches together under about 6 MB; on 5,000 random
#: profiles, 5,126 distinct category views and 328 platform rows were seen.
CACHE_LIMIT = 1024


class _Interned(Generic[T]):
    """Objects built once per key, each with a serial number that no other object gets."""

    def __init__(self, limit: int | None = None) -> None:
        self._items: dict[Hashable, tuple[int, T]] = {}
        self._serials = itertools.count()
        self._limit = limit if limit is not None else CACHE_LIMIT
        self._lock = threading.Lock()

    def find(self, key: Hashable) -> tuple[int, T] | None:
        return self._items.get(key)

    def add(self, key: Hashable, item: T) -> tuple[int, T]:
        """Keep ``item`` under ``key`` if there is room: (its serial, or ``UNCACHED``; the item)."""
        if len(self._items) >= self._limit:
            return (UNCACHED, item)
        with self._lock:
            entry = self._items.setdefault(key, (next(self._serials), item))
        return entry

    def __len__(self) -> int:
        return len(self._items)


class Assembler:
    """Shared parts of advice for one rule base:
    platform ranking, conflicts, grounded view, facts.
    """

    def __init__(
        self,
        rules: Iterable[Rule],
        platforms: tuple[str, ...],
        grounded: GroundedModel | None,
        fact_meanings: dict[str, str],
        frameworks: Iterable[FrameworkItem] = (),
        figures: dict[str, Figure] | None = None,
        texts: RuleBase | None = None,
    ) -> None:
        rules = list(rules)
        self._figures = figures or {}
        #: The rule base whose Chinese texts the parts use (None: English only).
        self._texts = texts
        self._rule_of = {r.id: r for r in rules}
        self._index_frameworks(list(frameworks))
        self._index_platforms(rules, platforms)
        self._index_grounded(rules, grounded)
        self._meanings = fact_meanings
        self._scores: _Interned[PlatformScore] = _Interned()
        self._conflicts: _Interned[list[PlatformConflict]] = _Interned()
        self._categories: _Interned[ModelCategoryView] = _Interned(2 * CACHE_LIMIT)
        self._facts: _Interned[DerivedFact] = _Interned()
        self._dimensions: _Interned[DimensionView] = _Interned()
        self._contribution = {
            key: ScoreContribution(rule_id=key[0], points=n) for key, n in self._points.items()
        }
        self._exclusions: dict[str, dict[tuple[str, str], Exclusion]] = {}

    def _exclusion(self, lang: str) -> dict[tuple[str, str], Exclusion]:
        """The exclusions of every rule and platform, their reasons in ``lang``."""
        found = self._exclusions.get(lang)
        if found is None:
            found = {
                (rid, p): Exclusion(rule_id=rid, reason=self._rule_of[rid].exclude_reason(p, lang))
                for (rid, p) in self._excludes
            }
            self._exclusions[lang] = found
        return found

    def _grounded_name(self, code: str, key: str, english: str, lang: str) -> str:
        if lang == "en" or self._texts is None or self._texts.grounded is None:
            return english
        return self._texts.grounded_text(code, key, lang)

    def _index_frameworks(self, items: list[FrameworkItem]) -> None:
        #: For each framework, the rules that gate its items: only they decide which items apply.
        self._gates = {
            name: frozenset(rid for item in items if item.framework == name for rid in item.rules)
            for name in {item.framework for item in items}
        }
        self._items: dict[str, list[FrameworkItem]] = {}
        for item in items:
            self._items.setdefault(item.framework, []).append(item)
        for name, group in self._items.items():  # the groups' order, then file order within a group
            order = FRAMEWORK_GROUPS.get(name, ())
            group.sort(key=lambda i: order.index(i.group) if i.group in order else len(order))
        self._citations = {(i.framework, i.id): i.citation for i in items}
        self._framework_lists: _Interned[list[FrameworkEntry]] = _Interned()
        self._framework_entries: _Interned[FrameworkEntry] = _Interned()

    def _index_platforms(self, rules: list[Rule], platforms: tuple[str, ...]) -> None:
        self._platforms = platforms
        self._order = {p: i for i, p in enumerate(platforms)}
        #: For each rule, the platforms it touches: (platform, points, excludes it).
        self._effects = {
            r.id: tuple(
                (p, r.platforms.get(p, 0), p in r.excludes)
                for p in platforms
                if p in r.platforms or p in r.excludes
            )
            for r in rules
        }
        self._points = {(r.id, p): n for r in rules for p, n in r.platforms.items()}
        self._excludes = {(r.id, p): why for r in rules for p, why in r.excludes.items()}

    def _index_grounded(self, rules: list[Rule], model: GroundedModel | None) -> None:
        self._dimension_rows: list[
            tuple[str, str, str, list[tuple[str, str, tuple[str, ...]]]]
        ] = []
        self._signalled: dict[str, list[str]] = {}
        codes: set[str] = set()
        if model is not None:
            codes = set(model.categories)
            for code, dim in model.dimensions.items():
                rows = [
                    (c, model.categories[c].name, tuple(model.categories[c].signals))
                    for c in dim.categories
                ]
                self._dimension_rows.append((code, dim.name, dim.role, rows))
            for code in sorted(codes):
                for fact in model.categories[code].signals:
                    self._signalled.setdefault(fact, []).append(code)
        self._concepts = {r.id: tuple(c for c in r.concepts if c in codes) for r in rules}

    def rank(
        self,
        fired_ids: list[str],
        maybe_ids: Iterable[str] = (),
        presence: Mapping[str, PresenceView] | None = None,
    ) -> tuple[list[PlatformScore], list[PlatformConflict]]:
        """The platforms in the ranking's order (``ranking.py``), and the conflicts between the
        rules behind them. ``fired_ids`` must be sorted; ``presence``: each platform's presence
        for the firm (every platform counts fully when there is no presence table)."""
        fired = self._touching(fired_ids)
        pending = self._touching(sorted(maybe_ids))
        lang = current_language()
        rows: list[tuple[tuple[float, str], str, float | None, str]] = []
        status: str
        for p in self._platforms:
            view = presence.get(p) if presence is not None else None
            status = view.status if view is not None else "placed"
            factor = view.factor if view is not None else 1.0
            excluded = status == "excluded" or any(ex for _, _, ex in fired[p])
            score = (
                None if excluded or factor == 0 else combine((n for _, n, _ in fired[p]), factor)
            )
            key = order_key(p, score) if score is not None else (float("inf"), p)
            rows.append(
                (key, p, score, status if not excluded or status != "placed" else "excluded")
            )
        scored = sorted(r for r in rows if r[2] is not None)
        others = sorted((r for r in rows if r[2] is None), key=lambda r: (r[3] == "excluded", r[1]))
        ranks = shared_ranks([r[2] for r in scored])  # type: ignore[misc]
        ranked = []
        for i, (_, platform, score, status) in enumerate([*scored, *others]):
            rank, tied = ranks[i] if i < len(scored) else (None, False)
            view = presence.get(platform) if presence is not None else None
            note = view.note if view is not None else ""
            ids = tuple(rid for rid, _, _ in fired[platform])
            maybe = tuple(rid for rid, _, _ in pending[platform])
            row_key = (platform, rank, tied, score, status, note, ids, maybe, lang)
            entry = self._scores.find(row_key) or self._scores.add(
                row_key, self._score_row(*row_key)
            )
            ranked.append(entry[1])
        return ranked, conflicts(ranked)

    def _touching(self, rule_ids: Iterable[str]) -> dict[str, list[tuple[str, int, bool]]]:
        """For each platform, the rules among ``rule_ids`` that touch it: (id, points, excludes)."""
        out: dict[str, list[tuple[str, int, bool]]] = {p: [] for p in self._platforms}
        for rid in rule_ids:
            for p, points, excludes in self._effects.get(rid, ()):
                out[p].append((rid, points, excludes))
        return out

    def _score_row(
        self,
        platform: str,
        rank: int | None,
        tied: bool,
        score: float | None,
        status: str,
        note: str,
        rids: tuple[str, ...],
        maybe: tuple[str, ...],
        lang: str,
    ) -> PlatformScore:
        exclusion = self._exclusion(lang)

        def contributions(ids: tuple[str, ...]) -> list[ScoreContribution]:
            return [
                self._contribution[(r, platform)]
                for r in ids
                if (r, platform) in self._contribution
            ]

        def exclusions(ids: tuple[str, ...]) -> list[Exclusion]:
            return [exclusion[(r, platform)] for r in ids if (r, platform) in exclusion]

        given, excluded_by = contributions(rids), exclusions(rids)
        return construct(
            PlatformScore,
            dict(
                platform=platform,
                rank=rank,
                score=score,
                eligible=status != "excluded" and not excluded_by,
                rules_for=[c.rule_id for c in given if c.points > 0],
                rules_against=[c.rule_id for c in given if c.points < 0]
                + [e.rule_id for e in excluded_by],
                contributions=given,
                excluded_by=excluded_by,
                presence=status,
                presence_note=note,
                factor={"placed": 1.0, "flagged": 0.5}.get(status, 0.0),
                tied=tied,
                pending=contributions(maybe),
                pending_exclusions=exclusions(maybe),
            ),
        )

    def grounded_view(self, fired: list[Rule], facts: Collection[str]) -> list[DimensionView]:
        """For each main category A1-A5: the recommendations per B category and the weak points."""
        recommendations: dict[str, list[str]] = {}
        for rule in fired:
            for code in self._concepts.get(rule.id, ()):
                recommendations.setdefault(code, []).append(rule.id)
        weak_codes = {code for f in facts for code in self._signalled.get(f, ())}
        lang = current_language()
        views = []
        for dim_code, dim_name, dim_role, categories in self._dimension_rows:
            cats = []
            serials = []
            for code, name, signals in categories:
                key = (
                    code,
                    tuple(recommendations.get(code, ())),
                    tuple(f for f in signals if f in facts) if code in weak_codes else (),
                    lang,
                )
                entry = self._categories.find(key) or self._categories.add(
                    key,
                    construct(
                        ModelCategoryView,
                        dict(
                            code=code,
                            name=self._grounded_name(code, "name", name, lang),
                            recommendations=list(key[1]),
                            weaknesses=list(key[2]),
                        ),
                    ),
                )
                serials.append(entry[0])
                cats.append(entry[1])
            dim_key = (dim_code, lang, *serials)
            found = None if UNCACHED in serials else self._dimensions.find(dim_key)
            if found is None:
                view = construct(
                    DimensionView,
                    dict(
                        code=dim_code,
                        name=self._grounded_name(dim_code, "name", dim_name, lang),
                        role=self._grounded_name(dim_code, "role", dim_role, lang),
                        categories=cats,
                    ),
                )
                found = (
                    (UNCACHED, view) if UNCACHED in serials else self._dimensions.add(dim_key, view)
                )
            views.append(found[1])
        return views

    def framework(self, name: str, region: object, fired: set[str]) -> list[FrameworkEntry]:
        """The entries of one framework that apply:
        region matches (if given) and a gating rule fired (if given).
        """
        lang = current_language()
        key = (name, region, frozenset(fired & self._gates.get(name, frozenset())), lang)
        found = self._framework_lists.find(key)
        if found is None:
            entries = []
            for item in self._items.get(name, ()):
                if item.regions and region not in item.regions:
                    continue
                because = tuple(sorted(set(item.rules) & fired))
                if item.rules and not because:
                    continue
                entry_key = (name, item.id, because, lang)
                entry = self._framework_entries.find(entry_key) or self._framework_entries.add(
                    entry_key,
                    construct(
                        FrameworkEntry,
                        dict(
                            id=item.id,
                            group=item.group,
                            name=item.text_in("name", lang) if item.name else "",
                            text=fill_figures(item.text_in("text", lang), self._figures, lang),
                            citation=self._citations[(name, item.id)],
                            because=list(because),
                        ),
                    ),
                )
                entries.append(entry[1])
            found = self._framework_lists.add(key, entries)
        return list(found[1])

    def derived_facts(self, facts: list[str], fired: list[Rule]) -> list[DerivedFact]:
        """Each derived fact with its meaning and the fired rules that established it."""
        out = []
        lang = current_language()
        for name in facts:
            by = tuple(r.id for r in fired if name in r.derives)
            key = (name, by, lang)
            entry = self._facts.find(key) or self._facts.add(
                key,
                construct(
                    DerivedFact,
                    dict(name=name, meaning=self._meaning(name, lang), derived_by=list(by)),
                ),
            )
            out.append(entry[1])
        return out

    def _meaning(self, name: str, lang: str) -> str:
        if lang == "en" or self._texts is None or name not in self._texts.facts:
            return self._meanings.get(name, "")
        return self._texts.fact_meaning(name, lang)
