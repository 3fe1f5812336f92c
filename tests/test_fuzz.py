"""Fuzzing with Hypothesis: valid profiles always give advice;
anything else raises our own errors.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_rulebase_errors import GOOD, make_base
from xbec_advisor import Advice, InputError, ProfileError, RuleBaseError, advise
from xbec_advisor._profile.iso import COUNTRIES, LANGUAGES
from xbec_advisor._profile.load import load_profile_bytes, profile_from_data
from xbec_advisor._profile.model import FieldSpec, field_specs
from xbec_advisor._rulebase.load import load_rulebase

SPECS = field_specs()
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def valid_value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "enum":
        return st.sampled_from(spec.values)
    if spec.kind == "list":
        return st.lists(st.sampled_from(spec.values), max_size=6)
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "country":
        return st.sampled_from(sorted(COUNTRIES))
    if spec.kind == "country_list":
        return st.lists(st.sampled_from(sorted(COUNTRIES)), max_size=8)
    if spec.kind == "language_list":
        return st.lists(st.sampled_from(sorted(LANGUAGES)), max_size=5)
    assert spec.minimum is not None and spec.maximum is not None
    if spec.name == "response_time_hours":
        return st.floats(min_value=spec.minimum, max_value=spec.maximum, allow_nan=False)
    return st.integers(min_value=int(spec.minimum), max_value=int(spec.maximum))


valid_profiles = st.fixed_dictionaries(
    {}, optional={name: valid_value(spec) for name, spec in SPECS.items()}
)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


@FUZZ
@given(valid_profiles)
def test_valid_profiles_always_get_advice(answers: dict[str, Any]) -> None:
    advice = advise(answers)
    assert isinstance(advice, Advice) and len(advice.platforms) == 7
    Advice.model_validate_json(advice.model_dump_json())


@FUZZ
@given(st.dictionaries(st.sampled_from([*SPECS, "unknown_field", ""]), junk, max_size=8))
def test_invalid_answers_raise_profile_error_only(data: dict[str, Any]) -> None:
    try:
        advise(data)
    except ProfileError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)


@FUZZ
@given(junk)
def test_any_document_shape(data: Any) -> None:
    with contextlib.suppress(ProfileError):
        profile_from_data(data)


@FUZZ
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_any_bytes_as_a_profile_file(raw: bytes) -> None:
    with contextlib.suppress(InputError, ProfileError):
        load_profile_bytes(raw, "fuzz.yaml")


def test_deep_nesting_and_huge_lists_are_refused_cleanly() -> None:
    deep = "a: " + "[" * 5000 + "]" * 5000
    for text in (deep, "target_countries: [" + ", ".join(["ID"] * 100_000) + "]"):
        with contextlib.suppress(InputError, ProfileError):
            load_profile_bytes(text.encode(), "big.yaml")


rule_mutations = st.fixed_dictionaries({}, optional={key: junk for key in GOOD})


@FUZZ
@given(rule_mutations)
def test_mutated_rule_files_raise_rulebase_error_only(
    tmp_path_factory: Any, changes: dict[str, Any]
) -> None:
    root = make_base(tmp_path_factory.mktemp("fuzz"), {**GOOD, **changes})
    try:
        load_rulebase(Path(root))
    except RuleBaseError as exc:
        assert exc.problems


@FUZZ
@given(junk)
def test_any_yaml_document_as_a_rule_file(tmp_path_factory: Any, data: Any) -> None:
    root = make_base(tmp_path_factory.mktemp("fuzz"), GOOD)
    (root / "payment" / "fuzz.yaml").write_text(yaml.safe_dump(data))
    try:
        with warnings.catch_warnings():  # a list is read as the old rule format, with a warning
            warnings.simplefilter("ignore", DeprecationWarning)
            load_rulebase(Path(root))
    except RuleBaseError as exc:
        assert exc.problems
