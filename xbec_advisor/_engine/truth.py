"""Truth values of comparison atoms, and whether literals on one field can hold together.

Masks are sets of the bits ``T`` (true), ``F`` (false) and ``U`` (unknown); an atom is a
comparison ``("cmp", field, op, value)`` or ``("known", field)`` (see :mod:`.literals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from .._profile.model import condition_specs

__all__ = ["ALL_MASK", "Atom", "F", "T", "U", "atom_truth", "field_consistent"]

T, F, U = 1, 2, 4
ALL_MASK = T | F | U
Atom = tuple[Union[str, bool, int, float, tuple[str, ...], None], ...]  # noqa: UP007


def field_consistent(field: str, atoms: list[Atom], masks: dict[Atom, int]) -> bool:
    """Whether the literals on one field can hold together; narrows their masks in place."""
    known = None  # True: the field must be answered; False: unanswered
    for atom in atoms:
        mask = masks[atom]
        if atom[0] == "known":
            want = mask == T
        elif mask == U:
            want = False
        elif not mask & U:
            want = True
        else:
            continue
        if known is not None and known != want:
            return False
        known = want
    if known is None:
        return True
    for atom in atoms:
        if atom[0] == "cmp":
            masks[atom] &= (T | F) if known else U
            if masks[atom] == 0:
                return False
        else:
            masks[atom] = T if known else F
    return not known or _values_consistent(field, [a for a in atoms if a[0] == "cmp"], masks)


def _values_consistent(field: str, atoms: list[Atom], masks: dict[Atom, int]) -> bool:
    """For an answered scalar or number field: some value satisfies every literal."""
    spec = condition_specs().get(field)
    if spec is None or spec.is_list or len(atoms) < 2:
        return True
    for candidate in _candidates(spec.kind, spec.values, atoms):
        if all(atom_truth(a, candidate) & masks[a] for a in atoms):
            return True
    return False


def _candidates(kind: str, values: Sequence[str] | None, atoms: list[Atom]) -> list[object]:
    if kind == "bool":
        return [True, False]
    if kind == "number":
        consts = sorted({float(a[3]) for a in atoms if isinstance(a[3], int | float)})
        points = [c + d for c in consts for d in (-0.0005, 0.0, 0.0005)]
        return [*points, (consts[0] - 1) if consts else 0.0, (consts[-1] + 1) if consts else 1.0]
    mentioned = {v for a in atoms for v in (a[3] if isinstance(a[3], tuple) else (a[3],))}
    return [*(values or ()), *sorted(map(str, mentioned)), "\u0000other"]


def atom_truth(atom: Atom, value: object) -> int:
    """The truth (T, F or U) of a comparison atom on an answer (None: unanswered)."""
    if atom[0] == "known":
        return F if value is None else T
    if value is None:
        return U
    op, ref = atom[2], atom[3]
    holds: bool
    if op == "eq":
        holds = value is ref if isinstance(ref, bool) or isinstance(value, bool) else value == ref
    elif op == "in":
        holds = value in ref  # type: ignore[operator]
    elif op == "contains":
        holds = ref in value  # type: ignore[operator]
    elif op == "contains_any":
        holds = any(v in value for v in ref)  # type: ignore[operator, union-attr]
    elif op == "contains_other_than":
        holds = any(v not in ref for v in value)  # type: ignore[attr-defined, operator]
    else:
        x, y = float(value), float(ref)  # type: ignore[arg-type]
        holds = {"gt": x > y, "gte": x >= y, "lt": x < y, "lte": x <= y}[str(op)]
    return T if holds else F
