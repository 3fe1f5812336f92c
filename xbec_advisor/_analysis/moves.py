"""The changes a firm can make (``rules/changes.yaml``), for ``why-not`` and ``what-if``.

A suggestion is a set of :class:`Move`: a capability built, a mode added, a registration
obtained, a risky practice dropped. Never "don't know", never giving up a capability, and never a
change of what the firm is (home country, products, size). Each move has a cost, the size of the
change; suggestions are ranked by their total cost.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .._errors import XbecError
from .._i18n import _, current_language
from .._io.paths import default_rules_dir
from .._profile.labels import field_label, value_label
from .._profile.model import Profile, field_specs
from .._rulebase.lang import pick

__all__ = ["Move", "MoveSpec", "describe", "move_specs", "moves_for"]

Kind = Literal["raise", "add", "obtain", "drop", "lower"]


class MoveSpec(BaseModel):
    """How one answer may change: its kind, the steps allowed and what one step costs."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Kind
    cost: int = 1
    order: tuple[str, ...] = ()
    to: tuple[float, ...] = ()
    #: What the firm does, in words ("add a payment method").
    as_: str = ""
    #: The same in Chinese (``zh: {as: "..."}`` in changes.yaml; '' when not translated).
    as_zh: str = ""

    def as_text(self, lang: str = "en") -> str:
        """What the firm does, in ``lang`` (the English where no Chinese is written)."""
        return pick(self.as_, self.as_zh, lang)


class Move(BaseModel):
    """One change of one answer, from ``before`` to ``after``, and its size."""

    model_config = ConfigDict(frozen=True)
    field: str
    before: object = None
    after: object = None
    cost: int = 1


@functools.lru_cache(maxsize=1)
def move_specs() -> dict[str, MoveSpec]:
    """The bundled changes, by field (checked against the profile's fields and values)."""
    from .._io.safe_yaml import load_rule_file

    path = default_rules_dir() / "changes.yaml"
    data, _lines = load_rule_file(path)
    raw: dict[str, Any] = data.get("changes", {}) if isinstance(data, dict) else {}
    specs = field_specs()
    out = {}
    for name, entry in raw.items():
        if name not in specs:
            raise XbecError(f"{path}: '{name}' is not a profile field")
        spec = _spec(entry)
        wrong = [v for v in spec.order if v not in specs[name].values]
        if wrong:
            raise XbecError(f"{path}: {name}: {wrong} are not values of the field")
        out[name] = spec
    return out


def _spec(entry: dict[str, Any]) -> MoveSpec:
    fields = {("as_" if k == "as" else k): v for k, v in entry.items() if k != "zh"}
    chinese = entry.get("zh")  # checked by `rules check` (translations)
    if isinstance(chinese, dict) and isinstance(chinese.get("as"), str):
        fields["as_zh"] = " ".join(chinese["as"].split())
    return MoveSpec.model_validate(fields)


def _candidates(field: str, spec: MoveSpec, current: Any) -> Iterator[tuple[object, int]]:
    if spec.kind == "raise":
        start = spec.order.index(current) if current in spec.order else -1
        for step, value in enumerate(spec.order[start + 1 :], start=1):
            yield value, step * spec.cost
    elif spec.kind == "add":
        have = list(current) if isinstance(current, list) else []
        for value in field_specs()[field].values:
            if value not in have:
                yield [*have, value], spec.cost
    elif spec.kind == "obtain" and current is not True:
        yield True, spec.cost
    elif spec.kind == "drop" and current is True:
        yield False, spec.cost
    elif spec.kind == "lower" and isinstance(current, int | float):
        faster = sorted((v for v in spec.to if v < current), reverse=True)
        for step, hours in enumerate(faster, start=1):
            yield hours, step * spec.cost


def moves_for(profile: Profile, fields: set[str] | None = None) -> list[Move]:
    """Every single move open to this firm (on ``fields`` if given), smallest first."""
    answers = profile.model_dump()
    out = []
    for field, spec in move_specs().items():
        if fields is not None and field not in fields:
            continue
        current = answers.get(field)
        if current is None and spec.kind in ("raise", "lower"):
            continue  # an unknown is answered by the firm, not changed
        out += [
            Move(field=field, before=current, after=value, cost=cost)
            for value, cost in _candidates(field, spec, current)
        ]
    order = list(move_specs())
    return sorted(out, key=lambda m: (m.cost, order.index(m.field)))


def describe(move: Move) -> str:
    """The move in words: ``Payment methods offered: add PayPal (add a payment method)``."""
    lang = current_language()
    spec = move_specs()[move.field]
    label = field_label(move.field, lang)
    if spec.kind == "add":
        before = move.before if isinstance(move.before, list) else []
        after = move.after if isinstance(move.after, list) else []
        added = [v for v in after if v not in before]
        what = _("add {values}").format(
            values=", ".join(value_label(move.field, v, lang) for v in added)
        )
    else:
        was = _("unknown") if move.before is None else value_label(move.field, move.before, lang)
        what = f"{was} -> {value_label(move.field, move.after, lang)}"
    return _("{label}: {change} ({how})").format(label=label, change=what, how=spec.as_text(lang))
