"""How a platform's score is built (``_advice/ranking.py``): diminishing weights, presence, ties."""

from __future__ import annotations

import itertools
import random

import pytest

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._advice.ranking import combine, shared_ranks
from xbec_advisor._profile.generate import random_profiles


@pytest.mark.parametrize(
    ("points", "factor", "score"),
    [
        ([2, 2, 2, 1], 1.0, 3.5),
        ([3], 1.0, 3.0),
        ([2], 0.5, 1.0),
        ([2, -2], 1.0, 0.0),
        ([3, 1, -2, -1], 1.0, 3.5 - 2.5),
        ([], 1.0, 0.0),
    ],
)
def test_the_strongest_reason_counts_fully_the_second_half_the_third_a_quarter(
    points: list[int], factor: float, score: float
) -> None:
    assert combine(points, factor) == score


def test_a_fourth_reason_no_stronger_than_the_third_changes_nothing() -> None:
    rng = random.Random(2)
    for _ in range(500):
        points = [rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(rng.randint(3, 6))]
        positives = sorted((p for p in points if p > 0), reverse=True)
        if len(positives) >= 3:
            assert combine([*points, positives[2]]) == combine(points)
        shuffled = points[:]
        rng.shuffle(shuffled)
        assert combine(shuffled) == combine(points)


def test_equal_scores_share_a_rank_and_are_marked_tied() -> None:
    assert shared_ranks([3.0, 2.0, 2.0, 1.0]) == [(1, False), (2, True), (2, True), (4, False)]
    assert shared_ranks([1.0, 1.0]) == [(1, True), (1, True)]


def test_rows_follow_the_documented_order(advisor: Advisor) -> None:
    for profile in random_profiles(300, seed=8):
        rows = advisor.evaluate(profile).platforms
        scored = [p for p in rows if p.score is not None]
        assert rows[: len(scored)] == scored  # scored rows first
        assert [p.score for p in scored] == sorted((p.score for p in scored), reverse=True)
        for a, b in itertools.pairwise(scored):
            assert (a.rank == b.rank) == (a.score == b.score) and a.tied == (
                a.score in [q.score for q in scored if q is not a]
            )
        assert all(p.rank is None for p in rows[len(scored) :])
        assert all(not p.eligible for p in rows if p.presence == "excluded" or p.excluded_by)


def test_a_tie_at_the_top_names_no_single_best_platform(advisor: Advisor) -> None:
    for profile in random_profiles(300, seed=9):
        evaluation = advisor.evaluate(profile)
        best = evaluation.top_platforms
        assert (evaluation.top_platform is None) == (len(best) != 1)


def test_pending_points_are_shown_and_never_counted(advisor: Advisor) -> None:
    seen = 0
    for profile in random_profiles(400, seed=10, unknown_rate=0.6):
        for row in advisor.evaluate(profile).platforms:
            if row.pending and row.score is not None:
                seen += 1
                assert row.score == combine([c.points for c in row.contributions], row.factor)
    assert seen > 0
