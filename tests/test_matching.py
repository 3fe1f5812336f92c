"""Matching people's words to the profile's ids: columns, choices, yes/no, countries,
languages, lists; the questionnaire accepts the same words."""

from __future__ import annotations

import pytest
from babel import Locale

from xbec_advisor._profile.iso import COUNTRIES, LANGUAGES
from xbec_advisor._profile.labels import field_label, question, value_label
from xbec_advisor._profile.matching import (
    column_suggestions,
    field_aliases,
    match_bool,
    match_choice,
    match_column,
    match_country,
    match_language,
    normalise,
    split_list,
    value_aliases,
)
from xbec_advisor._profile.model import field_specs


def test_normalise_ignores_case_spaces_and_punctuation() -> None:
    assert normalise("Business model") == normalise("business_model") == "businessmodel"
    assert normalise(" B2B-2C ") == "b2b2c" and normalise("美国") == "美国"


@pytest.mark.parametrize("name", list(field_specs()))
def test_every_field_matches_by_id_label_and_question(name: str) -> None:
    spec = field_specs()[name]
    assert match_column(name) == name
    assert match_column(spec.label.upper()) == name
    assert match_column(f"  {spec.label}  ") == name
    assert match_column(spec.description) == name
    assert set(field_aliases(name)) >= {name, spec.label, spec.description}
    # and by its Chinese label and question (issue 19)
    assert match_column(field_label(name, "zh")) == name
    assert match_column(question(name, "zh")) == name


def test_columns_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for name in ("id", "name", *field_specs()):
        for alias in field_aliases(name):
            key = normalise(alias)
            assert seen.setdefault(key, name) == name, (alias, name, seen[key])


def test_id_and_name_columns() -> None:
    assert match_column("ID") == "id" and match_column("Client ID") == "id"
    assert match_column("Company name") == "name" and match_column("Name") == "name"
    assert match_column("Notes") is None and match_column("") is None


def test_unknown_columns_get_the_closest_fields() -> None:
    assert column_suggestions("Busines modle")[0] == "business_model"
    assert column_suggestions("target contries")[0] == "target_countries"
    assert column_suggestions("zzzzzz") == []


@pytest.mark.parametrize("name", [n for n, s in field_specs().items() if s.values])
def test_every_choice_matches_by_id_and_label(name: str) -> None:
    spec = field_specs()[name]
    for value in spec.values:
        label = value_label(name, value)
        assert match_choice(name, spec.values, value) == value
        assert match_choice(name, spec.values, value.upper()) == value
        assert match_choice(name, spec.values, label) == value
        assert match_choice(name, spec.values, label.lower().replace(" ", "_")) == value
        assert ";" not in label and (not spec.is_list or "," not in label)
        assert value_aliases(name, value)[:2] == [value, label]
        chinese = value_label(name, value, "zh")
        assert match_choice(name, spec.values, chinese) == value


def test_a_choice_that_does_not_match_names_the_closest() -> None:
    values = field_specs()["target_region"].values
    with pytest.raises(ValueError, match=r"'Nort America' is not one of the choices \(did you"):
        match_choice("target_region", values, "Nort America")
    with pytest.raises(ValueError, match="allowed: north_america, europe"):
        match_choice("target_region", values, "Mars")


def test_yes_and_no() -> None:
    for word in ("yes", "Y", "TRUE", "1", "是"):
        assert match_bool(word) is True
    for word in ("no", "n", "False", "0", "否"):
        assert match_bool(word) is False
    with pytest.raises(ValueError, match="'maybe' is not yes or no"):
        match_bool("maybe")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("United States", "US"),
        ("united-states", "US"),
        ("美国", "US"),
        ("CHN", "CN"),
        ("China", "CN"),
        ("中国", "CN"),
        ("GBR", "GB"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("英国", "GB"),
        ("IDN", "ID"),
        ("Indonesia", "ID"),
        ("印度尼西亚", "ID"),
        ("Côte d’Ivoire", "CI"),
    ],
)
def test_countries_by_code_alpha3_english_and_chinese_name(text: str, code: str) -> None:
    assert match_country(text) == code


def test_every_country_matches_by_its_english_and_chinese_name() -> None:
    en, zh = Locale("en").territories, Locale("zh").territories
    for code in COUNTRIES:
        assert match_country(en[code]) == code and match_country(zh[code]) == code
        assert match_country(value_label("home_country", code)) == code


def test_a_country_that_does_not_match_names_the_closest() -> None:
    with pytest.raises(ValueError, match=r"'Frnace' is not a country \(did you mean 'France'"):
        match_country("Frnace")
    with pytest.raises(ValueError, match="is not a country"):
        match_country("EU")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("English", "en"),
        ("英语", "en"),
        ("Chinese", "zh"),
        ("中文", "zh"),
        ("zh-Hans", "zh"),
        ("zh_CN", "zh"),
        ("Bahasa Indonesia", None),
        ("Indonesian", "id"),
        ("Thai", "th"),
        ("泰语", "th"),
    ],
)
def test_languages_by_code_or_name(text: str, code: str | None) -> None:
    if code is None:
        with pytest.raises(ValueError, match="is not a language"):
            match_language(text)
    else:
        assert match_language(text) == code


def test_every_language_matches_by_its_english_name() -> None:
    for code in LANGUAGES:
        assert match_language(value_label("team_languages", code)) == code


def test_list_cells_split_on_semicolons_or_commas() -> None:
    assert split_list("a; b ;c") == ["a", "b", "c"]
    assert split_list("a, b") == ["a", "b"]
    assert split_list("St. Helena, Ascension & Tristan da Cunha; France") == [
        "St. Helena, Ascension & Tristan da Cunha",
        "France",
    ]
    assert split_list(" ; ") == []


def test_cells_are_read_by_id_label_or_name() -> None:
    specs = field_specs()
    assert specs["business_model"].from_cell("b2c") == "B2C"
    assert specs["target_countries"].from_cell("United States; 美国; FRA") == ["US", "US", "FR"]
    assert specs["team_languages"].from_cell("Chinese; en") == ["zh", "en"]
    assert specs["logistics_modes"].from_cell("none") == []
    assert specs["target_countries"].from_cell("St. Helena, Ascension & Tristan da Cunha") == ["SH"]
    assert specs["target_countries"].from_cell("Thailand, Vietnam") == ["TH", "VN"]
    assert specs["risks"].from_cell(["price_war", "Slow delivery"]) == [
        "price_war",
        "slow_delivery",
    ]
    assert specs["years_cross_border"].from_cell(4.0) == 4
    assert specs["response_time_hours"].from_cell("2.5") == 2.5
    assert specs["easy_returns"].from_cell(True) is True
    with pytest.raises(ValueError, match="'soon' is not a number"):
        specs["years_cross_border"].from_cell("soon")


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        ("home_country", "United States", "US"),
        ("home_country", "美国", "US"),
        ("home_country", "usa", "US"),
        ("target_countries", "Thailand, Vietnam", ["TH", "VN"]),
        ("target_countries", "ID TH", ["ID", "TH"]),
        ("target_countries", "United Kingdom", ["GB"]),
        ("team_languages", "Chinese English", ["en", "zh"]),
        ("team_languages", "中文, 英语", ["en", "zh"]),
        ("business_model", "B2C: selling to consumers", "B2C"),
        ("target_region", "North America", "north_america"),
        ("logistics_modes", "Air express, Sea freight", ["air_express", "sea_freight"]),
        ("logistics_modes", "1 3", ["air_express", "sea_freight"]),
    ],
)
def test_the_questionnaire_accepts_names_and_labels(field: str, typed: str, value: object) -> None:
    assert field_specs()[field].parse(typed) == value


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        ("trade_direction", "出口", "export"),  # the label's head, before its explanation
        ("trade_direction", "Export", "export"),
        ("product_category", "珠宝", "jewelry_accessories"),  # the first characters of the label
    ],
)
def test_chinese_answers_as_owners_type_them(field: str, typed: str, value: str) -> None:
    assert match_choice(field, field_specs()[field].values, typed) == value


def test_a_prefix_naming_two_choices_is_refused() -> None:
    values = field_specs()["target_region"].values
    with pytest.raises(ValueError):
        match_choice("target_region", values, "东")  # one character: too short to decide


def test_chinese_list_separators() -> None:
    assert split_list("美国、加拿大") == ["美国", "加拿大"]
    assert split_list("中文，英语") == ["中文", "英语"]
