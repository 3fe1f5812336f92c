"""The limits of durable-rules 2.0.28, checked on a ruleset's definition before it is created.

The model rebuilds the alpha network the way ``createAlpha``/``findAlpha``/``linkAlpha``
(rete.c) build it: each rule's conditions are a path from the root, and a node is shared with
another rule only under the same parent, for the same property, operator and value (the
compiler emits neither ``$iany``/``$iall``, whose nodes are never shared, nor ``$or``).
``docs/durable-rules.md`` says where each limit comes from:

- ``handleAlpha`` (events.c) walks the nodes that hold for one asserted fact depth first, on a
  stack of 64 entries: a node pushes every child that holds at once. With ``m(X)`` the most
  children of ``X`` that can hold together and ``P(X) = m(X) + max(0, max P(child) - 1)``, the
  walk never overflows (error 303) when ``P(root) <= 64``. ``m`` is bounded per property:
  equalities with distinct values count once, ordered comparisons and ``!=`` by a sweep over
  every constant, ``$nex`` children all count;
- a node keeps its children in a 512-slot table probed until an empty slot, without bound: 512
  children make the first assert loop forever, 513 make ``create_ruleset`` loop forever;
- at most 127 ``$nex`` children per node (error 107), 255 rules ending on one node (then a
  crash; 257 give error 108), 4,096 rules per ruleset (error 106), 255 members per fact (302).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MAX_CHILDREN",
    "MAX_ENDING",
    "MAX_MEMBERS",
    "MAX_NEX",
    "MAX_RULES",
    "STACK_LIMIT",
    "LimitError",
    "check",
]

STACK_LIMIT = 64
MAX_CHILDREN = 511
MAX_NEX = 127
MAX_ENDING = 255
MAX_RULES = 4000
#: Members of a fact (255), less ``sid``, ``id`` and ``kind`` and a margin.
MAX_MEMBERS = 240

Json = dict[str, Any]
_OPS = ("$neq", "$gt", "$gte", "$lt", "$lte", "$nex", "$ex")


class LimitError(ValueError):
    """A ruleset would exceed one of durable-rules' limits; the message names it."""


class _Node:
    __slots__ = ("children", "ending", "nex", "op", "prop", "value")

    def __init__(self, prop: str, op: str, value: object) -> None:
        self.prop, self.op, self.value = prop, op, value
        self.children: dict[tuple[str, str, str, object], _Node] = {}
        self.nex: dict[str, _Node] = {}
        self.ending = 0


def _parse(test: Json) -> tuple[str, str, object]:
    ((key, inner),) = test.items()
    if key in _OPS:
        ((prop, value),) = inner.items()
        return str(prop), key, value
    if key.startswith("$"):
        raise LimitError(f"the compiler emitted an operator the model does not know: {key}")
    return key, "=", inner


class Network:
    """The alpha network of a definition whose rules are each one ``$and`` of plain tests."""

    def __init__(self, definition: dict[str, Json]) -> None:
        self.root = _Node("", "root", None)
        self.rules = 0
        self.nodes = 1
        for rule in definition.values():
            self.rules += 1
            for pattern in rule["all"]:
                (expression,) = pattern.values()
                tests = expression.get("$and", [expression])
                node = self.root
                for test in tests:
                    node = self._child(node, *_parse(test))
                node.ending += 1

    def _child(self, parent: _Node, prop: str, op: str, value: object) -> _Node:
        if op == "$nex":
            found = parent.nex.get(prop)
            if found is None:
                found = parent.nex[prop] = _Node(prop, op, value)
                self.nodes += 1
            return found
        key = (prop, op, type(value).__name__, value)
        found = parent.children.get(key)
        if found is None:
            found = parent.children[key] = _Node(prop, op, value)
            self.nodes += 1
        return found

    def problem(self) -> str | None:
        """The first limit the network exceeds, in words; None when it keeps within all."""
        if self.rules > MAX_RULES:
            return f"{self.rules} rules in one ruleset (durable-rules takes at most 4,096)"
        stack: list[_Node] = [self.root]
        while stack:
            node = stack.pop()
            if len(node.children) > MAX_CHILDREN:
                return (
                    f"{len(node.children)} tests under one test (durable-rules loops forever "
                    f"from 512)"
                )
            if len(node.nex) > MAX_NEX:
                return f"{len(node.nex)} 'missing' tests under one test (at most {MAX_NEX})"
            if node.ending > MAX_ENDING:
                return f"{node.ending} rules with the same tests (at most {MAX_ENDING})"
            stack.extend(node.children.values())
            stack.extend(node.nex.values())
        peak = pending(self.root)
        if peak > STACK_LIMIT:
            return f"up to {peak} tests pending for one profile (durable-rules stops at 64)"
        return None


def pending(root: _Node) -> int:
    """A bound of the entries ``handleAlpha`` keeps on its stack for any one fact."""
    memo: dict[int, int] = {}
    order: list[_Node] = []
    stack = [root]
    while stack:  # children after parents; computed in reverse
        node = stack.pop()
        order.append(node)
        stack.extend(node.children.values())
        stack.extend(node.nex.values())
    for node in reversed(order):
        kids = [*node.children.values(), *node.nex.values()]
        deepest = max((memo[id(c)] for c in kids), default=0)
        memo[id(node)] = _co_holding(node) + max(0, deepest - 1)
    return memo[id(root)]


def _co_holding(node: _Node) -> int:
    """The most children of ``node`` that can hold for one fact."""
    total = len(node.nex)
    by_prop: dict[str, list[_Node]] = {}
    for child in node.children.values():
        by_prop.setdefault(child.prop, []).append(child)
    for group in by_prop.values():
        total += _sweep(group)
    return total


def _sweep(group: list[_Node]) -> int:
    if all(c.op == "=" for c in group):
        return 1
    consts = {c.value for c in group}
    numbers = sorted(v for v in consts if isinstance(v, int | float) and not isinstance(v, bool))
    candidates: list[object] = [v + d for v in numbers for d in (-1e-9, 0, 1e-9)]
    if numbers:
        candidates += [numbers[0] - 1, numbers[-1] + 1]
    candidates += [v for v in consts if not isinstance(v, int | float) or isinstance(v, bool)]
    candidates.append("\u0000other")
    return max(sum(1 for c in group if _holds(c, v)) for v in candidates)


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float):
        return a == b and type(a) is type(b)
    return isinstance(b, int | float) and a == b


def _holds(node: _Node, value: object) -> bool:
    ref = node.value
    if node.op == "=":
        return _same(value, ref)
    if node.op == "$neq":
        return not _same(value, ref)
    if node.op == "$ex":
        return True
    if not isinstance(value, int | float) or not isinstance(ref, int | float):
        return False
    return {
        "$gt": value > ref,
        "$gte": value >= ref,
        "$lt": value < ref,
        "$lte": value <= ref,
    }[node.op]


def check(definition: dict[str, Json]) -> str | None:
    """The first durable-rules limit a ruleset definition exceeds, or None."""
    members: set[str] = set()
    for rule in definition.values():
        for pattern in rule["all"]:
            (expression,) = pattern.values()
            for test in expression.get("$and", [expression]):
                members.add(_parse(test)[0])
    members.discard("kind")
    if len(members) > MAX_MEMBERS:
        return f"{len(members)} members in one fact (durable-rules takes at most 255)"
    return Network(definition).problem()
