"""The vocabulary (``rules/vocabulary.yaml``) labels every question and every value, only them."""

from __future__ import annotations

from collections.abc import Iterable

from .._profile.labels import VALUES_OF, vocabulary
from .._profile.model import condition_specs

__all__ = ["check_vocabulary"]


def check_vocabulary(facts: Iterable[str] = ()) -> list[str]:
    """Missing and unknown labels of the bundled vocabulary (``facts``: the conclusions shown to
    readers, derived facts and the grounded model's signals)."""
    data = vocabulary()
    conclusions = data.get("conclusions", {})
    facts = list(facts)
    problems = [
        f"vocabulary.yaml: conclusions: no label for '{name}'"
        for name in facts
        if not conclusions.get(name)
    ]
    problems += [
        f"vocabulary.yaml: conclusions: '{name}' is neither a derived fact nor a signal of the "
        "grounded-theory model (remove its label)"
        for name in conclusions
        if facts and name not in facts
    ]
    fields, values = data.get("fields", {}), data.get("values", {})
    specs = condition_specs()
    problems += [
        f"vocabulary.yaml: fields: no label for '{name}'" for name in specs if not fields.get(name)
    ]
    problems += [
        f"vocabulary.yaml: fields: '{name}' is not a profile field"
        for name in fields
        if name not in specs
    ]
    wanted: dict[str, tuple[str, ...]] = {}
    for name, spec in specs.items():
        if spec.values:
            wanted.setdefault(VALUES_OF.get(name, name), spec.values)
    for table, expected in wanted.items():
        have = values.get(table, {})
        problems += [
            f"vocabulary.yaml: values.{table}: no label for '{v}'"
            for v in expected
            if not have.get(v)
        ]
        problems += [
            f"vocabulary.yaml: values.{table}: '{v}' is not a value"
            for v in have
            if v not in expected
        ]
    problems += [
        f"vocabulary.yaml: values: '{table}' labels no field's values"
        for table in values
        if table not in wanted
    ]
    return problems
