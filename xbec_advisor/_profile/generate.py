"""Seeded random profiles, for the oracle agreement tests and the benchmarks."""

from __future__ import annotations

import random

from .model import Profile, field_specs

__all__ = ["random_answers", "random_profiles"]


def random_answers(rng: random.Random, unknown_rate: float = 0.2) -> dict[str, object]:
    """A dict of valid answers, each left unknown with probability ``unknown_rate``."""
    answers: dict[str, object] = {}
    for name, spec in field_specs().items():
        if rng.random() >= unknown_rate:
            answers[name] = spec.sample(rng)
    return answers


def random_profiles(n: int, seed: int = 0, unknown_rate: float = 0.2) -> list[Profile]:
    """``n`` valid profiles, the same for the same seed."""
    rng = random.Random(seed)
    return [Profile.model_validate(random_answers(rng, unknown_rate)) for _ in range(n)]
