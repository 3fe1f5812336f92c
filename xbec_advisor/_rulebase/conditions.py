"""Rule conditions: a tree of all/any/not over profile comparisons,
derived facts and named conditions.

Conditions are data. :func:`parse_condition` turns the YAML mapping into this tree and refuses
anything outside the vocabulary, naming the offending part and what is allowed.

Semantics (three-valued, as in Kleene's logic): a comparison on an unanswered field is
*unknown*; ``not`` of unknown is unknown; ``all`` is false if one part is false, else unknown if
one is unknown; ``any`` is true if one part is true, else unknown if one is unknown. ``present``,
``absent`` and derived facts are never unknown. :func:`evaluate3` is the one walker that every
evaluator of these semantics uses (the oracle, the relevance of questions, the explanations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Literal, TypeVar, Union

from pydantic import BaseModel, ConfigDict

from .._errors import did_you_mean, shown
from .._i18n import N_, _
from .._profile.model import condition_specs

__all__ = [
    "OPERATORS",
    "OP_WORDS",
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionError",
    "FactRef",
    "Not",
    "Ref",
    "Truth",
    "compares",
    "describe",
    "describe_compare",
    "evaluate3",
    "facts_used",
    "fields_read",
    "fold",
    "kleene_all",
    "kleene_any",
    "kleene_not",
    "parse_condition",
    "refs_used",
    "walk",
]

Op = Literal[
    "eq",
    "in",
    "contains",
    "contains_any",
    "contains_other_than",
    "gt",
    "gte",
    "lt",
    "lte",
    "present",
    "absent",
]
_ANY_KIND = ("enum", "bool", "country", "number", "list", "country_list", "language_list")
OPERATORS: dict[str, tuple[str, ...]] = {
    "eq": ("enum", "bool", "country", "number"),
    "in": ("enum", "country"),
    "contains": ("list", "country_list", "language_list"),
    "contains_any": ("list", "country_list", "language_list"),
    "contains_other_than": ("list", "country_list", "language_list"),
    "gt": ("number",),
    "gte": ("number",),
    "lt": ("number",),
    "lte": ("number",),
    "present": _ANY_KIND,
    "absent": _ANY_KIND,
}
_LIST_VALUED = ("in", "contains_any", "contains_other_than")
#: Truth values: True, False, or None for unknown.
Truth = bool | None
V = TypeVar("V")


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


class Ref(_Node):
    """A named condition (``{is: NAME}``), defined once in ``conditions.yaml``."""

    name: str
    item: Condition

    def to_data(self) -> dict[str, object]:
        return {"is": self.name}


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


Condition = Union[Compare, FactRef, Ref, All, AnyOf, Not]  # noqa: UP007 (recursive alias)
Ref.model_rebuild()
All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()

MAX_DEPTH = 12
MAX_NODES = 400


class ConditionError(ValueError):
    """A condition is malformed; ``path`` locates it inside ``when``."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def parse_condition(
    data: object,
    path: str = "when",
    named: Mapping[str, Condition] | None = None,
    depth: int = 0,
    budget: list[int] | None = None,
) -> Condition:
    """Parse one condition mapping, validating fields, operators, values and names.

    ``named``: the named conditions ``{is: NAME}`` may refer to.
    """
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise ConditionError(path, f"the condition has more than {MAX_NODES} parts; split the rule")
    if depth > MAX_DEPTH:
        raise ConditionError(path, f"conditions nest deeper than {MAX_DEPTH} levels")
    if not isinstance(data, dict):
        raise ConditionError(
            path,
            "expected a mapping (field/op/value, is, fact, all, any or not), "
            f"got {type(data).__name__}",
        )
    keys = set(data)
    key = next((k for k in ("all", "any", "not", "is", "fact") if k in keys), None)
    if key is None:
        if "field" in keys:
            return _parse_compare(data, path)
        first = str(next(iter(keys), ""))
        raise ConditionError(
            path,
            f"unknown condition keys {sorted(map(str, keys))}"
            f"{did_you_mean(first, ['all', 'any', 'not', 'is', 'fact', 'field'])}; "
            "allowed: {field, op, value}, {is}, {fact}, {all}, {any}, {not}",
        )
    if keys != {key}:
        raise ConditionError(path, f"'{key}' must be the only key, found {sorted(map(str, keys))}")
    value = data[key]
    if key == "not":
        return Not(item=parse_condition(value, f"{path}.not", named, depth + 1, budget))
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{path}.{key}", "expected a non-empty list of conditions")
        parsed = tuple(
            parse_condition(c, f"{path}.{key}[{i}]", named, depth + 1, budget)
            for i, c in enumerate(value)
        )
        return All(items=parsed) if key == "all" else AnyOf(items=parsed)
    if not isinstance(value, str):
        raise ConditionError(path, f"{{{key}: NAME}} takes a name, got {type(value).__name__}")
    if key == "fact":
        return FactRef(fact=value)
    named = named or {}
    if value not in named:
        raise ConditionError(
            f"{path}.is",
            f"no named condition {shown(value)}{did_you_mean(value, named)}; "
            "they are defined in rules/conditions.yaml",
        )
    return Ref(name=value, item=named[value])


def _parse_compare(data: dict[object, object], path: str) -> Compare:
    specs = condition_specs()
    extra = set(data) - {"field", "op", "value"}
    if extra:
        raise ConditionError(
            path, f"unexpected keys {sorted(map(str, extra))}; a comparison has field, op and value"
        )
    name = data["field"]
    if not isinstance(name, str) or name not in specs:
        raise ConditionError(
            f"{path}.field",
            f"unknown profile field {shown(name)}{did_you_mean(name, specs)}; "
            "see `xbec-advisor schema`",
        )
    spec = specs[name]
    op = data.get("op")
    if op == "ne":
        raise ConditionError(
            f"{path}.op",
            "'ne' is not an operator in rule format 2: write {not: {field, op: eq, value}}, "
            "which holds when the answer is known and different",
        )
    if not isinstance(op, str) or op not in OPERATORS:
        raise ConditionError(
            f"{path}.op",
            f"unknown operator {shown(op)}{did_you_mean(op, OPERATORS)}; "
            f"allowed: {', '.join(OPERATORS)}",
        )
    if spec.kind not in OPERATORS[op]:
        allowed = [o for o, kinds in OPERATORS.items() if spec.kind in kinds]
        raise ConditionError(
            f"{path}.op",
            f"operator '{op}' does not apply to {spec.kind} field '{name}'; "
            f"allowed: {', '.join(allowed)}",
        )
    if op in ("present", "absent"):
        if "value" in data:
            raise ConditionError(f"{path}.value", f"'{op}' takes no value")
        return Compare(field=name, op=op)  # type: ignore[arg-type]
    if "value" not in data:
        raise ConditionError(path, f"operator '{op}' needs a value")
    value = data["value"]
    if op in _LIST_VALUED:
        if not isinstance(value, list) or (not value and op != "contains_other_than"):
            raise ConditionError(f"{path}.value", f"'{op}' needs a non-empty list of values")
        for item in value:
            _check_value(name, item, path)
        return Compare(field=name, op=op, value=tuple(sorted(set(value))))  # type: ignore[arg-type]
    _check_value(name, value, path)
    return Compare(field=name, op=op, value=value)  # type: ignore[arg-type]


def _check_value(name: str, value: object, path: str) -> None:
    spec = condition_specs()[name]
    if spec.accepts(value):
        if isinstance(value, float) and value != round(value, 3):
            raise ConditionError(
                f"{path}.value",
                f"{shown(value)} has more than 3 decimals; answers are rounded to 3 decimals, "
                "write the value with at most 3 (e.g. 0.001)",
            )
        return
    if spec.values:
        raise ConditionError(
            f"{path}.value",
            f"{shown(value)} is not a value of '{name}'{did_you_mean(value, spec.values)}; "
            f"allowed: {', '.join(spec.values)}",
        )
    raise ConditionError(
        f"{path}.value", f"{shown(value)} is not valid for '{name}': expected {spec.expected()}"
    )


def walk(cond: Condition) -> Iterator[Condition]:
    """Every node of the tree, parents first, named conditions entered."""
    yield cond
    if isinstance(cond, All | AnyOf):
        for item in cond.items:
            yield from walk(item)
    elif isinstance(cond, Not | Ref):
        yield from walk(cond.item)


def fields_read(cond: Condition) -> set[str]:
    """The profile fields a condition reads."""
    return {n.field for n in walk(cond) if isinstance(n, Compare)}


def facts_used(cond: Condition) -> set[str]:
    """Every derived fact the condition refers to."""
    return {n.fact for n in walk(cond) if isinstance(n, FactRef)}


def refs_used(cond: Condition) -> set[str]:
    """Every named condition the condition refers to, directly or through others."""
    return {n.name for n in walk(cond) if isinstance(n, Ref)}


def compares(cond: Condition, field: str) -> Iterator[Compare]:
    """The comparisons on one field."""
    return (n for n in walk(cond) if isinstance(n, Compare) and n.field == field)


def fold(
    cond: Condition,
    leaf: Callable[[Compare], V],
    fact: Callable[[str], V],
    negate: Callable[[V], V],
    conj: Callable[[list[V]], V],
    disj: Callable[[list[V]], V],
) -> V:
    """The tree's value in an algebra: each comparison and fact by ``leaf``/``fact``, combined
    by ``negate`` (not), ``conj`` (all) and ``disj`` (any); named conditions are entered."""
    if isinstance(cond, Compare):
        return leaf(cond)
    if isinstance(cond, FactRef):
        return fact(cond.fact)
    if isinstance(cond, Ref | Not):
        inner = fold(cond.item, leaf, fact, negate, conj, disj)
        return negate(inner) if isinstance(cond, Not) else inner
    values = [fold(i, leaf, fact, negate, conj, disj) for i in cond.items]
    return conj(values) if isinstance(cond, All) else disj(values)


def kleene_not(value: Truth) -> Truth:
    return None if value is None else not value


def kleene_all(values: list[Truth]) -> Truth:
    return False if False in values else None if None in values else True


def kleene_any(values: list[Truth]) -> Truth:
    return True if True in values else None if None in values else False


def evaluate3(
    cond: Condition, leaf: Callable[[Compare], Truth], fact: Callable[[str], Truth]
) -> Truth:
    """The three-valued truth of ``cond``, given the truth of each comparison and fact."""
    return fold(cond, leaf, fact, kleene_not, kleene_all, kleene_any)


#: How each operator reads in a sentence.
OP_WORDS = {
    "eq": "=",
    "in": N_("is one of"),
    "contains": N_("includes"),
    "contains_any": N_("includes any of"),
    "contains_other_than": N_("includes something other than"),
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "present": N_("is answered"),
    "absent": N_("is unanswered"),
}


def describe_compare(c: Compare) -> str:
    """One comparison in words: ``target_region = europe``."""
    if c.value is None:
        value = ""
    elif isinstance(c.value, tuple):
        value = " [" + ", ".join(c.value) + "]"
    else:
        value = " " + (("yes" if c.value else "no") if isinstance(c.value, bool) else str(c.value))
    words = OP_WORDS[c.op]
    return f"{c.field} {_(words) if words[0].isalpha() else words}{value}"


def describe(cond: Condition) -> str:
    """A condition on one line, named conditions by their name:
    ``all of (is exporter; not firm_size = micro)``.
    """
    if isinstance(cond, Compare):
        return describe_compare(cond)
    if isinstance(cond, FactRef):
        return _("fact {name}").format(name=cond.fact)
    if isinstance(cond, Ref):
        return _("is {name}").format(name=cond.name)
    if isinstance(cond, Not):
        return _("not {condition}").format(condition=describe(cond.item))
    joined = "; ".join(describe(i) for i in cond.items)
    text = _("all of ({conditions})") if isinstance(cond, All) else _("any of ({conditions})")
    return text.format(conditions=joined)
