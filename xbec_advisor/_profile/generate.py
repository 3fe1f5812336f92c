"""Seeded random profiles, for the oracle agreement tests and the benchmarks."""

from __future__ import annotations

import random

from .iso import COUNTRIES, LANGUAGES
from .model import Profile, field_specs

__all__ = ["random_answers", "random_profiles"]

_COMMON_COUNTRIES = ("CN", "US", "GB", "FR", "DE", "JP", "KR", "TW", "HK", "ID", "TH", "VN", "MY", "PH", "SG", "AU", "BR")
_COMMON_LANGUAGES = ("en", "zh", "id", "th", "vi", "ms", "tl", "ja", "ko", "fr", "de", "es", "pt")


def _pick_code(rng: random.Random, common: tuple[str, ...], every: frozenset[str]) -> str:
    return rng.choice(common) if rng.random() < 0.85 else rng.choice(sorted(every))


def random_answers(rng: random.Random, unknown_rate: float = 0.2) -> dict[str, object]:
    """A dict of valid answers, each left unknown with probability ``unknown_rate``."""
    answers: dict[str, object] = {}
    for name, spec in field_specs().items():
        if rng.random() < unknown_rate:
            continue
        if spec.kind == "enum":
            answers[name] = rng.choice(spec.values)
        elif spec.kind == "list":
            answers[name] = rng.sample(spec.values, rng.randint(0, min(4, len(spec.values))))
        elif spec.kind == "bool":
            answers[name] = rng.random() < 0.5
        elif spec.kind == "country":
            answers[name] = _pick_code(rng, _COMMON_COUNTRIES, COUNTRIES)
        elif spec.kind == "country_list":
            answers[name] = [_pick_code(rng, _COMMON_COUNTRIES, COUNTRIES) for _ in range(rng.randint(0, 4))]
        elif spec.kind == "language_list":
            answers[name] = [_pick_code(rng, _COMMON_LANGUAGES, LANGUAGES) for _ in range(rng.randint(0, 3))]
        else:
            lo, hi = spec.minimum or 0, spec.maximum or 100
            hi = min(hi, 200.0 if name != "monthly_orders" else 20000.0)
            value = rng.uniform(lo, hi) if name == "response_time_hours" else rng.randint(int(lo), int(hi))
            answers[name] = round(value, 1) if isinstance(value, float) else value
    return answers


def random_profiles(n: int, seed: int = 0, unknown_rate: float = 0.2) -> list[Profile]:
    """``n`` valid profiles, the same for the same seed."""
    rng = random.Random(seed)
    return [Profile.model_validate(random_answers(rng, unknown_rate)) for _ in range(n)]
