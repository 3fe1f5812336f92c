"""Seeded random profiles, for the oracle agreement tests and the benchmarks."""

from __future__ import annotations

import random

from .model import Profile, field_specs

__all__ = ["CORE_FIELDS", "core_answers", "random_answers", "random_profiles"]


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


#: The answers every firm gives: enough for platform, localization, logistics and payment advice.
CORE_FIELDS = (
    "business_model",
    "trade_direction",
    "home_country",
    "target_region",
    "target_countries",
    "logistics_modes",
    "payment_modes",
)
_HOMES = ("CN", "CN", "CN", "US", "GB", "FR", "DE", "JP", "KR", "VN", "ID", "TH", "BR", "AU")
_REGION_OF_HOME = {
    "CN": "china",
    "US": "north_america",
    "GB": "europe",
    "FR": "europe",
    "DE": "europe",
    "JP": "east_asia",
    "KR": "east_asia",
    "VN": "southeast_asia",
    "ID": "southeast_asia",
    "TH": "southeast_asia",
    "BR": "latin_america",
    "AU": "oceania",
}
_SOME_COUNTRIES = {
    "north_america": ("US", "CA"),
    "europe": ("GB", "DE", "FR", "ES"),
    "southeast_asia": ("ID", "TH", "VN", "MY", "PH", "SG"),
    "east_asia": ("JP", "KR", "TW"),
    "middle_east": ("AE", "SA"),
    "latin_america": ("MX", "BR"),
    "oceania": ("AU",),
    "africa": ("NG", "ZA"),
    "china": ("CN",),
}


def core_answers(rng: random.Random) -> dict[str, object]:
    """A coherent firm described by its core answers only: an importer brings goods into China;
    an exporter sells to a region other than its home's (sometimes naming countries there)."""
    specs = field_specs()
    answers: dict[str, object] = {
        "business_model": rng.choice(specs["business_model"].values),
        "logistics_modes": rng.sample(specs["logistics_modes"].values, rng.randint(1, 3)),
        "payment_modes": rng.sample(specs["payment_modes"].values, rng.randint(1, 3)),
    }
    if rng.random() < 0.25:
        answers |= {"trade_direction": "import", "home_country": "CN", "target_region": "china"}
        return answers
    home = rng.choice(_HOMES)
    regions = [r for r in specs["target_region"].values if r != _REGION_OF_HOME.get(home)]
    region = rng.choice(regions)
    answers |= {"trade_direction": "export", "home_country": home, "target_region": region}
    if region != "global" and rng.random() < 0.3:
        answers["target_countries"] = rng.sample(_SOME_COUNTRIES[region], 1)
    return answers
