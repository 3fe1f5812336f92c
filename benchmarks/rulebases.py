"""Benchmark fixtures: large rule bases made from the bundled one.

- ``scaled(n)``: the bundled rules copied until there are ``n``: copy ``k`` has its ids renamed
  (``PAY-301-k3``) and every compared value moved ``k`` steps through its field's values, so
  that the copies are different conditions (as a large real base would be), reading and
  deriving the same facts;
- ``threshold_pack(n)``: a consultant's pack of ``n`` rules ``response_time_hours > k``.
"""

from __future__ import annotations

from xbec_advisor._profile.iso import COUNTRIES, LANGUAGES
from xbec_advisor._profile.model import condition_specs
from xbec_advisor._rulebase.conditions import All, AnyOf, Compare, Condition, Not, Ref
from xbec_advisor._rulebase.load import Rule, bundled_rulebase

__all__ = ["scaled", "threshold_pack"]

_SPECS = condition_specs()


def _domain(field: str) -> list[str]:
    spec = _SPECS[field]
    if spec.values:
        return list(spec.values)
    if "country" in spec.kind:
        return sorted(COUNTRIES)
    return sorted(LANGUAGES)


def _move(field: str, value: object, k: int) -> object:
    spec = _SPECS[field]
    if isinstance(value, bool):
        return value if k % 2 == 0 else not value
    if isinstance(value, int | float):
        top = spec.maximum if spec.maximum is not None else 100
        moved = min(top, value + k * (1 if spec.integer else 0.5))
        return int(moved) if spec.integer else round(float(moved), 1)
    domain = _domain(field)
    return domain[(domain.index(str(value)) + k) % len(domain)]


def perturbed(cond: Condition, k: int) -> Condition:
    """The condition with every compared value moved ``k`` steps within its field's domain."""
    if isinstance(cond, All | AnyOf):
        return type(cond)(items=tuple(perturbed(i, k) for i in cond.items))
    if isinstance(cond, Not):
        return Not(item=perturbed(cond.item, k))
    if isinstance(cond, Ref):
        return Ref(name=f"{cond.name}-{k}", item=perturbed(cond.item, k))
    if not isinstance(cond, Compare) or cond.value is None:
        return cond
    if isinstance(cond.value, tuple):
        value: object = tuple(sorted({str(_move(cond.field, v, k)) for v in cond.value}))
    else:
        value = _move(cond.field, cond.value, k)
    return Compare(field=cond.field, op=cond.op, value=value)  # type: ignore[arg-type]


def scaled(n: int) -> list[Rule]:
    """``n`` rules: the bundled ones, then perturbed copies with renamed ids."""
    base = bundled_rulebase().rules
    out: list[Rule] = []
    k = 0
    while len(out) < n:
        for rule in base[: n - len(out)]:
            if k == 0:
                out.append(rule)
                continue
            update = {
                "id": f"{rule.id}-k{k}",
                "when": perturbed(rule.when, k),
                "unless": None if rule.unless is None else perturbed(rule.unless, k),
            }
            out.append(rule.model_copy(update=update))
        k += 1
    return out


def threshold_pack(n: int = 350) -> list[Rule]:
    """A consultant's pack: ``n`` rules ``response_time_hours > k`` (k = 0, 2, 4, ...)."""
    template = bundled_rulebase().rules[0]
    return [
        template.model_copy(
            update={
                "id": f"TH-{k:04d}",
                "when": Compare(field="response_time_hours", op="gt", value=2 * k),
                "unless": None,
                "derives": (),
                "stratum": 0,
            }
        )
        for k in range(n)
    ]
