"""Rule conditions: a tree of all/any/not over profile comparisons and derived facts.

Conditions are data. :func:`parse_condition` turns the YAML mapping into this tree and
refuses anything outside the vocabulary, naming the offending part and what is allowed.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict

from .._errors import did_you_mean
from .._profile.model import FieldSpec, field_specs

__all__ = ["OPERATORS", "All", "AnyOf", "Compare", "Condition", "FactRef", "Not", "facts_used", "fields_read", "parse_condition"]

Op = Literal["eq", "ne", "in", "contains", "contains_any", "gt", "gte", "lt", "lte", "present", "absent"]
OPERATORS: dict[str, tuple[str, ...]] = {
    "eq": ("enum", "bool", "country", "number"),
    "ne": ("enum", "bool", "country", "number"),
    "in": ("enum", "country"),
    "contains": ("list", "country_list", "language_list"),
    "contains_any": ("list", "country_list", "language_list"),
    "gt": ("number",), "gte": ("number",), "lt": ("number",), "lte": ("number",),
    "present": ("enum", "bool", "country", "number", "list", "country_list", "language_list"),
    "absent": ("enum", "bool", "country", "number", "list", "country_list", "language_list"),
}
_LIST_VALUED = ("in", "contains_any")


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True)


class Compare(_Node):
    """A comparison of one profile field with a value."""

    field: str
    op: Op
    value: str | bool | int | float | tuple[str, ...] | None = None

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"field": self.field, "op": self.op}
        if self.value is not None:
            data["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return data


class FactRef(_Node):
    """A derived fact that must hold."""

    fact: str

    def to_data(self) -> dict[str, object]:
        return {"fact": self.fact}


class All(_Node):
    items: tuple[Condition, ...]

    def to_data(self) -> dict[str, object]:
        return {"all": [i.to_data() for i in self.items]}


class AnyOf(_Node):
    items: tuple[Condition, ...]

    def to_data(self) -> dict[str, object]:
        return {"any": [i.to_data() for i in self.items]}


class Not(_Node):
    item: Condition

    def to_data(self) -> dict[str, object]:
        return {"not": self.item.to_data()}


Condition = Union[Compare, FactRef, All, AnyOf, Not]  # noqa: UP007 (recursive alias)
All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()

MAX_DEPTH = 12


class ConditionError(ValueError):
    """A condition is malformed; ``path`` locates it inside ``when``."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


MAX_NODES = 400


def parse_condition(data: object, path: str = "when", depth: int = 0, budget: list[int] | None = None) -> Condition:
    """Parse one condition mapping, validating fields, operators and values."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise ConditionError(path, f"the condition has more than {MAX_NODES} parts; split the rule")
    if depth > MAX_DEPTH:
        raise ConditionError(path, f"conditions nest deeper than {MAX_DEPTH} levels")
    if not isinstance(data, dict):
        raise ConditionError(path, f"expected a mapping (field/op/value, fact, all, any or not), got {type(data).__name__}")
    keys = set(data)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise ConditionError(path, f"'{combinator}' must be the only key, found {sorted(keys)}")
            items = data[combinator]
            if not isinstance(items, list) or not items:
                raise ConditionError(f"{path}.{combinator}", "expected a non-empty list of conditions")
            parsed = tuple(parse_condition(c, f"{path}.{combinator}[{i}]", depth + 1, budget) for i, c in enumerate(items))
            return All(items=parsed) if combinator == "all" else AnyOf(items=parsed)
    if "not" in keys:
        if keys != {"not"}:
            raise ConditionError(path, f"'not' must be the only key, found {sorted(keys)}")
        return Not(item=parse_condition(data["not"], f"{path}.not", depth + 1, budget))
    if "fact" in keys:
        if keys != {"fact"} or not isinstance(data["fact"], str):
            raise ConditionError(path, "a fact reference is {fact: NAME} and nothing else")
        return FactRef(fact=data["fact"])
    if "field" in keys:
        return _parse_compare(data, path)
    raise ConditionError(
        path, f"unknown condition keys {sorted(map(str, keys))}{did_you_mean(next(iter(keys), ''), ['all', 'any', 'not', 'fact', 'field'])}; "
        "allowed: {field, op, value}, {fact}, {all}, {any}, {not}")


def _parse_compare(data: dict[object, object], path: str) -> Compare:
    specs = field_specs()
    extra = set(data) - {"field", "op", "value"}
    if extra:
        raise ConditionError(path, f"unexpected keys {sorted(map(str, extra))}; a comparison has field, op and value")
    name = data["field"]
    if not isinstance(name, str) or name not in specs:
        raise ConditionError(f"{path}.field", f"unknown profile field '{name}'{did_you_mean(name, specs)}; see `xbec-advisor schema`")
    spec = specs[name]
    op = data.get("op")
    if op not in OPERATORS:
        raise ConditionError(f"{path}.op", f"unknown operator '{op}'{did_you_mean(op, OPERATORS)}; allowed: {', '.join(OPERATORS)}")
    assert isinstance(op, str)
    if spec.kind not in OPERATORS[op]:
        allowed = [o for o, kinds in OPERATORS.items() if spec.kind in kinds]
        raise ConditionError(f"{path}.op", f"operator '{op}' does not apply to {spec.kind} field '{name}'; allowed: {', '.join(allowed)}")
    if op in ("present", "absent"):
        if "value" in data:
            raise ConditionError(f"{path}.value", f"'{op}' takes no value")
        return Compare(field=name, op=op)  # type: ignore[arg-type]
    if "value" not in data:
        raise ConditionError(path, f"operator '{op}' needs a value")
    value = data["value"]
    if op in _LIST_VALUED:
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{path}.value", f"'{op}' needs a non-empty list of values")
        for item in value:
            _check_value(spec, item, path)
        return Compare(field=name, op=op, value=tuple(sorted(set(value))))  # type: ignore[arg-type]
    _check_value(spec, value, path)
    return Compare(field=name, op=op, value=value)  # type: ignore[arg-type]


def _check_value(spec: FieldSpec, value: object, path: str) -> None:
    if spec.accepts(value):
        return
    if spec.values:
        hint = did_you_mean(value, spec.values)
        raise ConditionError(f"{path}.value", f"'{value}' is not a value of '{spec.name}'{hint}; allowed: {', '.join(spec.values)}")
    expected = {
        "bool": "true or false", "number": f"a number from {spec.minimum:g} to {spec.maximum:g}" if spec.minimum is not None and spec.maximum is not None else "a number",
        "country": "an ISO 3166-1 alpha-2 code in capitals (e.g. CN)", "country_list": "an ISO 3166-1 alpha-2 code in capitals (e.g. ID)",
        "language_list": "an ISO 639-1 code in lower case (e.g. en)",
    }[spec.kind]
    raise ConditionError(f"{path}.value", f"{value!r} is not valid for '{spec.name}': expected {expected}")


def fields_read(cond: Condition) -> set[str]:
    """The profile fields a condition reads."""
    if isinstance(cond, Compare):
        return {cond.field}
    if isinstance(cond, Not):
        return fields_read(cond.item)
    if isinstance(cond, All | AnyOf):
        return set().union(*(fields_read(i) for i in cond.items))
    return set()


def facts_used(cond: Condition) -> set[str]:
    """Every derived fact the condition refers to."""
    if isinstance(cond, FactRef):
        return {cond.fact}
    if isinstance(cond, All | AnyOf):
        return set().union(*(facts_used(i) for i in cond.items))
    if isinstance(cond, Not):
        return facts_used(cond.item)
    return set()


def split_facts(cond: Condition) -> tuple[tuple[str, ...], Condition | None]:
    """Split a rule condition into (required facts, profile-only condition).

    Facts are allowed only at the top or as direct children of the top-level ``all``;
    anywhere else raises :class:`ConditionError`.
    """
    if isinstance(cond, FactRef):
        return (cond.fact,), None
    if isinstance(cond, All):
        facts = tuple(sorted({i.fact for i in cond.items if isinstance(i, FactRef)}))
        rest = tuple(i for i in cond.items if not isinstance(i, FactRef))
        for i, item in enumerate(rest):
            if facts_used(item):
                raise ConditionError(f"when.all[{i}]", "derived facts may only appear directly under the top-level 'all'")
        if not rest:
            return facts, None
        return facts, rest[0] if len(rest) == 1 else All(items=rest)
    if facts_used(cond):
        raise ConditionError("when", "derived facts may only appear at the top of 'when' or directly under its top-level 'all'")
    return (), cond
