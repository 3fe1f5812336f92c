"""Three-valued conditions as disjunctions of literals, before any engine encoding.

A *literal* says which truth values one atom may take: ``(atom, mask)``, where the mask is a
set of the bits ``T`` (true), ``F`` (false) and ``U`` (unknown). An atom is a comparison
``("cmp", field, op, value)``, whether a field is answered ``("known", field)`` (never unknown),
or a derived fact ``("fact", name)``. A conjunction maps atoms to masks; a condition in a
*mode* (the truth values wanted of it) becomes a list of conjunctions (disjunctive normal form).

Kleene's operators, with ``all`` and ``any`` over parts ``p``:

====== =============================== ===============================
wanted ``all``                          ``any``
====== =============================== ===============================
T      every p T                        some p T
F      some p F                         every p F
U      every p T|U, and some p U        every p F|U, and some p U
T|U    every p T|U                      some p T|U
F|U    some p F|U                       every p F|U
T|F    every p T, or some p F           some p T, or every p F
====== =============================== ===============================

``not`` swaps T and F. Conjunctions that contradict themselves (a field both answered and not,
two different values of one answer, ``x > 5`` and ``x < 3``) are dropped, and so are those
another one implies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .._rulebase.conditions import All, Compare, Condition, FactRef, Not, Ref
from .truth import ALL_MASK, Atom, F, T, U, atom_truth, field_consistent

__all__ = [
    "ALL_MASK",
    "MAX_ALTERNATIVES",
    "Atom",
    "ComplexityError",
    "Conj",
    "F",
    "T",
    "U",
    "atom_truth",
    "conjoin",
    "disjoin",
    "flip",
    "outcome_dnf",
    "split_unknown",
    "to_dnf",
]

#: Most alternatives one rule, or one of its open parts, may expand to.
MAX_ALTERNATIVES = 64

#: A conjunction: each atom with the truth values it may take, sorted by atom.
Conj = tuple[tuple[Atom, int], ...]
Dnf = list[Conj]


class ComplexityError(ValueError):
    """A condition expands to too many alternatives for the engine."""


def flip(mask: int) -> int:
    """The mask of the negation: T and F swapped."""
    return (mask & U) | ((mask & T) << 1) | ((mask & F) >> 1)


def _leaf(atom: Atom, mask: int) -> Dnf:
    if mask == 0:
        return []
    if mask == ALL_MASK:
        return [()]
    return [((atom, mask),)]


def _compare(c: Compare, mask: int) -> Dnf:
    if c.op in ("present", "absent"):  # never unknown
        known = mask & (T | F)
        if c.op == "absent":
            known = flip(known)
        return [()] if known == T | F else _leaf(("known", c.field), known)
    op, value = c.op, c.value
    if op == "in" and isinstance(value, tuple) and len(value) == 1:
        op, value = "eq", value[0]
    elif op == "contains_any" and isinstance(value, tuple) and len(value) == 1:
        op, value = "contains", value[0]
    return _leaf(("cmp", c.field, op, value), mask)


def to_dnf(cond: Condition, mask: int) -> Dnf:
    """The conjunctions under which ``cond`` takes one of the truth values of ``mask``."""
    if isinstance(cond, Compare):
        return _compare(cond, mask)
    if isinstance(cond, FactRef):
        return _leaf(("fact", cond.fact), mask)
    if isinstance(cond, Ref):
        return to_dnf(cond.item, mask)
    if isinstance(cond, Not):
        return to_dnf(cond.item, flip(mask))
    items = cond.items
    if isinstance(cond, All):
        return _kleene_all(lambda i, m: to_dnf(items[i], m), len(items), mask)
    # any(p...) is not all(not p...): the same table with T and F swapped
    return _kleene_all(lambda i, m: to_dnf(items[i], flip(m)), len(items), flip(mask))


def outcome_dnf(when: Condition, unless: Condition | None, mask: int) -> Dnf:
    """A rule's outcome in ``mask``: T it fires (``when`` T, ``unless`` not T), U it may apply
    (``when`` U, ``unless`` not T), F it cannot fire (``when`` F or ``unless`` T)."""
    parts: list[Dnf] = []
    if mask & (T | U):
        not_true: Dnf = [()] if unless is None else to_dnf(unless, F | U)
        parts.append(conjoin([to_dnf(when, mask & (T | U)), not_true]))
    if mask & F:
        silent: Dnf = [] if unless is None else to_dnf(unless, T)
        parts.append(disjoin([to_dnf(when, F), silent]))
    return disjoin(parts)


def _kleene_all(part: Callable[[int, int], Dnf], n: int, mask: int) -> Dnf:
    if mask == 0:
        return []
    if mask == ALL_MASK:
        return [()]

    def every(m: int) -> Dnf:
        return conjoin([part(i, m) for i in range(n)])

    def some(m: int) -> Dnf:
        return disjoin([part(i, m) for i in range(n)])

    if mask == T:
        return every(T)
    if mask == F:
        return some(F)
    if mask == U:
        return conjoin([every(T | U), some(U)])
    if mask == T | U:
        return every(T | U)
    if mask == F | U:
        return some(F | U)
    return disjoin([every(T), some(F)])  # T | F


def split_unknown(dnf: Dnf, limit: int = MAX_ALTERNATIVES) -> Dnf | None:
    """The same disjunction with every T|U literal on a comparison split into a T and a U
    alternative (the engine tests each with one native test); None beyond ``limit``.

    The alternatives of one conjunction exclude each other: a profile matches at most one.
    """
    out: set[Conj] = set()
    for conj in dnf:
        parts: Dnf = [()]
        for atom, mask in conj:
            options = [mask] if mask != T | U or atom[0] == "fact" else [T, U]
            parts = [
                merged
                for left in parts
                for option in options
                if (merged := _merge(left, ((atom, option),))) is not None
            ]
            if len(parts) > limit:
                return None
        out.update(parts)
        if len(out) > limit:
            return None
    return sorted(out, key=lambda c: (len(c), repr(c)))


def _merge(a: Conj, b: Conj) -> Conj | None:
    masks = dict(a)
    for atom, mask in b:
        masks[atom] = masks.get(atom, ALL_MASK) & mask
        if masks[atom] == 0:
            return None
    return _normal(masks)


def conjoin(parts: Sequence[Dnf]) -> Dnf:
    """The conjunction of several disjunctions, as one."""
    result: Dnf = [()]
    for dnf in parts:
        out: Dnf = []
        for left in result:
            for right in dnf:
                merged = _merge(left, right)
                if merged is not None:
                    out.append(merged)
        result = _simplify(out)
        if len(result) > MAX_ALTERNATIVES:
            raise ComplexityError(
                f"the condition expands to more than {MAX_ALTERNATIVES} alternatives; "
                "split the rule or name a part of it in rules/conditions.yaml"
            )
    return result


def disjoin(parts: Sequence[Dnf]) -> Dnf:
    """The disjunction of several disjunctions, as one."""
    result = _simplify([conj for dnf in parts for conj in dnf])
    if len(result) > MAX_ALTERNATIVES:
        raise ComplexityError(
            f"the condition expands to more than {MAX_ALTERNATIVES} alternatives; "
            "split the rule or name a part of it in rules/conditions.yaml"
        )
    return result


def _implies(masks: dict[Atom, int], b: Conj) -> bool:
    """Whether the conjunction ``masks`` implies ``b`` (every literal of ``b`` is in it, at
    least as strict)."""
    if len(b) > len(masks):
        return False
    return all(atom in masks and masks[atom] & ~mask == 0 for atom, mask in b)


def _simplify(dnf: Dnf) -> Dnf:
    """Without duplicates, without conjunctions another one implies, two conjunctions that
    differ in one atom's mask merged into one."""
    items = sorted(set(dnf), key=len)
    changed = True
    while changed:
        changed = False
        kept: Dnf = []
        for conj in items:
            masks = dict(conj)
            if any(_implies(masks, other) for other in kept):
                changed = True
                continue
            kept.append(conj)
        items = kept
        for i, a in enumerate(items):
            for j in range(i + 1, len(items)):
                joined = _join(a, items[j])
                if joined is not None:
                    items = [c for k, c in enumerate(items) if k not in (i, j)] + [joined]
                    items.sort(key=len)
                    changed = True
                    break
            if changed:
                break
    return items


def _join(a: Conj, b: Conj) -> Conj | None:
    """``a or b`` as one conjunction, when they differ only in the mask of one atom."""
    if len(a) != len(b):
        return None
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1 or diff[0][0][0] != diff[0][1][0]:
        return None
    atom, mask = diff[0][0][0], diff[0][0][1] | diff[0][1][1]
    masks = dict(a)
    masks[atom] = mask
    return _normal(masks)


def _normal(masks: dict[Atom, int]) -> Conj | None:
    """A conjunction in normal form, or None when it contradicts itself."""
    by_field: dict[object, list[Atom]] = {}
    for atom in masks:
        if atom[0] != "fact":
            by_field.setdefault(atom[1], []).append(atom)
    for field, atoms in by_field.items():
        if not field_consistent(str(field), atoms, masks):
            return None
    return tuple(sorted(((a, m) for a, m in masks.items() if m != ALL_MASK), key=_atom_key))


def _atom_key(item: tuple[Atom, int]) -> str:
    return repr(item)
