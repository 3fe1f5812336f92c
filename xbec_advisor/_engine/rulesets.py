"""One evaluation pass's alternatives, shaped and split into rulesets within the engine's limits.

- **Order of tests.** In each alternative, equalities first, then the properties most
  alternatives test, then by text: alternatives share their first nodes, and few siblings hold
  together (the bound of :mod:`.limits` stays low).
- **Guards.** Under ``kind = profile``, alternatives hang under always-true nodes
  ``kind != gJ``, each with at most ``FANOUT`` distinct first tests: the engine's stack then
  holds about the number of guards plus one guard's subtree, not every first test at once.
- **Partition.** Alternatives sorted by their tests go into rulesets greedily, each taking the
  longest run that :func:`.limits.check` accepts (an exponential, then a binary search).
- **Cap.** Every rule has ``cap``: one action returns its matches for every profile of a batch.
- **Sweep.** A rule on ``kind = sweep`` that no profile matches: a new session runs it once, so
  that the engine sets the pointers that deleting a session frees (defect 3).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .limits import check

__all__ = ["CAP", "FANOUT", "SWEEP", "definition", "partition", "rule_name", "shape"]

Json = dict[str, Any]
#: Matches one action returns at most: more than a batch holds.
CAP = 4096
#: Distinct first tests under one guard.
FANOUT = 12
#: The rule that a session runs once when it is opened (defect 3).
SWEEP = "sweep"

Item = tuple[str, list[Json]]


def rule_name(n: int) -> str:
    """A short engine rule name (the name heads every action's message)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, len(digits))
        out = digits[r] + out
        if not n:
            return out


def _prop(test: Json) -> str:
    ((key, inner),) = test.items()
    return str(next(iter(inner))) if key.startswith("$") else key


def shape(items: list[Item]) -> list[Item]:
    """Each alternative's tests in the shared order: equalities, then by frequency, then text."""
    frequency = Counter(_prop(t) for _, tests in items for t in tests)

    def key(test: Json) -> tuple[int, int, str]:
        is_eq = not next(iter(test)).startswith("$")
        return (0 if is_eq else 1, -frequency[_prop(test)], json.dumps(test, sort_keys=True))

    return [(name, sorted(tests, key=key)) for name, tests in items]


def definition(
    items: list[Item], fanout: int | None = None, firsts_of: list[str] | None = None
) -> dict[str, Json]:
    """The ruleset definition of shaped alternatives, sorted by their tests, under guards of
    ``fanout`` (default :data:`FANOUT`) first tests each (``firsts_of``: each item's first
    test as text, when known)."""
    fanout = FANOUT if fanout is None else fanout
    out: dict[str, Json] = {}
    firsts: set[str] = set()
    guard = 0
    for k, (name, tests) in enumerate(items):
        if firsts_of is not None:
            first = firsts_of[k]
        else:
            first = json.dumps(tests[0], sort_keys=True) if tests else ""
        if first not in firsts and len(firsts) >= fanout:
            guard, firsts = guard + 1, set()
        firsts.add(first)
        path = [{"kind": "profile"}, {"$neq": {"kind": f"g{guard}"}}, *tests]
        out[name] = {"all": [{"m": {"$and": path}}], "cap": CAP}
    out[SWEEP] = {"all": [{"m": {"kind": "sweep"}}]}
    return out


def _sort_key(item: Item) -> str:
    return json.dumps(item[1], sort_keys=True)


def partition(items: list[Item], fanout: int | None = None) -> list[dict[str, Json]]:
    """The fewest rulesets (greedily) that hold the alternatives within the engine's limits.

    Raises :class:`.limits.LimitError` naming the alternative that exceeds them on its own.
    """
    from .limits import LimitError

    keyed = sorted((_sort_key(item), item) for item in shape(items))
    ordered = [item for _, item in keyed]
    firsts = [json.dumps(tests[0], sort_keys=True) if tests else "" for _, tests in ordered]
    out: list[dict[str, Json]] = []
    start = 0

    def fits(count: int) -> bool:
        chosen = ordered[start : start + count]
        return check(definition(chosen, fanout, firsts[start : start + count])) is None

    while start < len(ordered):
        left = len(ordered) - start
        if not fits(1):
            problem = check(definition(ordered[start : start + 1], fanout))
            raise LimitError(f"engine rule {ordered[start][0]}: {problem}")
        good, bad = 1, left + 1  # fits(good); not fits(bad), or bad is past the end
        while good < left:
            trial = min(good * 2, left)
            if not fits(trial):
                bad = trial
                break
            good = trial
        while bad - good > 1 and bad <= left:
            middle = (good + bad) // 2
            if fits(middle):
                good = middle
            else:
                bad = middle
        out.append(definition(ordered[start : start + good], fanout, firsts[start : start + good]))
        start += good
    return out
