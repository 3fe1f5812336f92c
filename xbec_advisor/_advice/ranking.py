"""How a platform's score is built, in one place (explained in the README and the report).

1. Presence: where the papers place the platform in the firm's markets, its points count fully
   (factor 1); where only our own knowledge does, half (factor 0.5); where neither does, or the
   platform does not serve the market, it is listed without a score.
2. Points: each rule that fires may give the platform points from -3 to +3 (the weights are
   ours). The strongest positive reason counts fully, the second half, the third a quarter, and
   further ones add nothing, so that a platform does not rank higher merely because the knowledge
   base holds more rules about it; reasons against count the same way and are subtracted.
3. Score = those points times the presence factor.
4. Points of rules that may apply (they depend on unanswered questions) are shown as pending,
   never added.
5. Order: by score, highest first; equal scores share a rank and are marked as a tie (listed
   alphabetically, an order that means nothing). Then the platforms not scored, then those
   excluded. The best platform is the one with the highest positive score, if no other has it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._profile.labels import platform_label

__all__ = ["WEIGHTS", "combine", "order_key", "shared_ranks"]

#: The weight of a platform's strongest, second and third reason (for and against alike).
WEIGHTS: tuple[float, ...] = (1.0, 0.5, 0.25)


def _diminished(points: Iterable[int]) -> float:
    strongest = sorted(points, reverse=True)[: len(WEIGHTS)]
    return sum(w * p for w, p in zip(WEIGHTS, strongest, strict=False))


def combine(points: Iterable[int], factor: float = 1.0) -> float:
    """A platform's score from the points of the rules that fired (see the module's docstring)."""
    points = list(points)
    raw = _diminished(p for p in points if p > 0) - _diminished(-p for p in points if p < 0)
    return raw * factor


def order_key(platform: str, score: float) -> tuple[float, str]:
    """Highest score first, then the platform's English name (alphabetical within a tie, the same
    order in every language)."""
    return (-score, platform_label(platform, "en").lower())


def shared_ranks(scores: list[float]) -> list[tuple[int, bool]]:
    """(rank, tied) for scores sorted highest first: equal scores share the rank of the first."""
    out: list[tuple[int, bool]] = []
    for i, score in enumerate(scores):
        rank = i + 1 if i == 0 or score != scores[i - 1] else out[-1][0]
        out.append((rank, scores.count(score) > 1))
    return out
