"""Profiles: unknown keys and values are refused with the field named and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from xbec_advisor import InputError, Profile, ProfileError
from xbec_advisor._profile.iso import COUNTRIES
from xbec_advisor._profile.load import load_profile_file, profile_from_data
from xbec_advisor._profile.model import field_specs


def problems(data: object) -> list[str]:
    with pytest.raises(ProfileError) as info:
        profile_from_data(data)
    return info.value.problems


def test_every_answer_may_be_unknown() -> None:
    assert Profile().answered() == {}


def test_field_count_and_descriptions() -> None:
    specs = field_specs()
    assert 20 <= len(specs) <= 35
    assert all(spec.description.endswith("?") or "(" in spec.description for spec in specs.values())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"buisness_model": "B2B"},
            "buisness_model: unknown field (did you mean 'business_model'?)",
        ),
        (
            {"business_model": "b2b"},
            "business_model: 'b2b' is not allowed (did you mean 'B2B'?); allowed: B2B, B2C, B2B2C",
        ),
        ({"target_region": "asia"}, "target_region: 'asia' is not allowed"),
        (
            {"target_region": ["europe"]},
            "target_region: expected one value, got a list; allowed: north_america",
        ),
        (
            {"payment_modes": ["paypal", "ewallet"]},
            "payment_modes.1: 'ewallet' is not allowed (did you mean 'local_ewallet'?)",
        ),
        (
            {"home_country": "China"},
            "home_country: 'CHINA' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            {"team_languages": ["english"]},
            "team_languages.0: 'english' is not an ISO 639-1 language code",
        ),
        (
            {"years_cross_border": -1},
            "years_cross_border: at least 0 (got -1)",
        ),
        ({"response_time_hours": "soon"}, "response_time_hours"),
        ({"payment_modes": "paypal"}, "payment_modes: expected a list, e.g. [a, b]"),
        (
            {"target_countries": sorted(COUNTRIES)[:65]},
            "target_countries: at most 64 items, got 65",
        ),
    ],
)
def test_bad_answers_are_named(data: dict[str, object], expected: str) -> None:
    assert any(expected in p for p in problems(data)), problems(data)


def test_not_a_mapping() -> None:
    assert "expected a mapping" in problems(["B2B"])[0]


def test_norway_is_a_country_not_false(tmp_path: Path) -> None:
    path = tmp_path / "no.yaml"
    path.write_text("home_country: NO\ntarget_countries: [NO, SE]\n")
    assert load_profile_file(path).home_country == "NO"


def test_lists_are_deduplicated_and_sorted() -> None:
    assert Profile(payment_modes=["paypal", "alipay", "paypal"]).payment_modes == [
        "alipay",
        "paypal",
    ]
    assert Profile(target_countries=["id", "TH"]).target_countries == ["ID", "TH"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty document"),
        (b"\x00\x01\x02binary", "looks like a binary file"),
        (b"\xff\xfe\xfa bad", "not UTF-8 text"),
        (b"business_model: [B2B\n", "no.yaml:"),
        (
            b"!!python/object/apply:os.system ['echo x']\n",
            "tags that build objects are not allowed",
        ),
        (b"- a\n- b\n", "expected a mapping"),
    ],
)
def test_bad_files_raise_the_projects_errors(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "no.yaml"
    path.write_bytes(content)
    with pytest.raises((InputError, ProfileError), match=expected):
        load_profile_file(path)


def test_large_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * (3 * 1024 * 1024))
    with pytest.raises(InputError, match="the limit is"):
        load_profile_file(path)


def test_missing_file() -> None:
    with pytest.raises(InputError, match="no such file"):
        load_profile_file("/nonexistent/firm.yaml")


def test_alias_bomb_is_refused_quickly() -> None:
    from xbec_advisor._profile.load import load_profile_bytes

    levels = "".join(f"l{i + 1}: &l{i + 1} [{', '.join([f'*l{i}'] * 10)}]\n" for i in range(8))
    for field in ("years_cross_border", "risks", "target_region", "team_languages"):
        doc = f"x: &l0 [a, b, c, d, e, f, g, h, i, j]\n{levels}{field}: *l8\n"
        with pytest.raises(InputError, match="alias bomb"):
            load_profile_bytes(doc.encode(), "bomb.yaml")
