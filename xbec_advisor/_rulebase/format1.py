"""Rule format 1 (a YAML list of rules per file) converted to rule format 2, exactly.

Format 1 read a comparison on an unanswered field as false and ``not`` as "unknown or false";
format 2 is three-valued (``not`` of unknown is unknown) and says "unless known to hold" with
``unless``. :func:`convert_rule` rewrites a format-1 rule so that it fires on exactly the same
profiles:

- a ``not`` directly under the top-level ``all`` becomes part of ``unless``;
- any other ``not`` is pushed down to the comparisons (De Morgan), and a negated comparison on a
  field that may be unanswered there becomes "unanswered, or known and false"; where another part
  of an enclosing ``all`` already requires the answer, it is just ``not``;
- ``ne`` (known and different) becomes ``not eq``, its three-valued equivalent;
- subtrees equal to a named condition of the target rule base become ``{is: NAME}``;
- examples move to ``fires``/``silent`` (without their ``fires_``/``silent_`` prefix);
- "Merged from ..." assumptions become ``notes`` and the retired ids they name ``replaces``;
  "The weight of +N for X is ours" becomes the generated sentence (its reason is kept as ``why``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .._profile.labels import platform_label

__all__ = ["convert_rule", "substitute_named"]

Data = dict[str, Any]
_POSITIVE = ("eq", "in", "contains", "contains_any", "gt", "gte", "lt", "lte", "present", "ne")
_INVERSE_KNOWN = {"present": "absent", "absent": "present"}


def _is_compare(node: object) -> bool:
    return isinstance(node, dict) and "field" in node


def _guards(items: list[Any], guarded: frozenset[str]) -> frozenset[str]:
    """Fields that must be answered for every item of an ``all`` to hold
    (a positive comparison on them).
    """
    return guarded | {n["field"] for n in items if _is_compare(n) and n.get("op") in _POSITIVE}


def _negated_compare(node: Data, guarded: frozenset[str]) -> Data:
    op, field = node.get("op"), node["field"]
    if op in _INVERSE_KNOWN:
        return {"field": field, "op": _INVERSE_KNOWN[op]}
    positive = {**node, "op": "eq"} if op == "ne" else node
    negated: Data = positive if op == "ne" else {"not": positive}
    if field in guarded:
        return negated
    return {"any": [{"field": field, "op": "absent"}, negated]}


def _kleene(node: Any, guarded: frozenset[str]) -> Any:
    """A format-1 condition as a format-2 condition that is true on exactly the same profiles."""
    if not isinstance(node, dict):
        return node
    if _is_compare(node):
        return {"not": {**node, "op": "eq"}} if node.get("op") == "ne" else node
    if "all" in node and isinstance(node["all"], list):
        inner = _guards(node["all"], guarded)
        return {"all": [_kleene(n, inner) for n in node["all"]]}
    if "any" in node and isinstance(node["any"], list):
        return {"any": [_kleene(n, guarded) for n in node["any"]]}
    if "not" in node:
        return _negation(node["not"], guarded)
    return node


def _negation(node: Any, guarded: frozenset[str]) -> Any:
    """Format 1's ``not`` (true when the inner part is not known to hold),
    pushed down to the comparisons.
    """
    if not isinstance(node, dict):
        return {"not": node}
    if _is_compare(node):
        return _negated_compare(node, guarded)
    if "all" in node and isinstance(node["all"], list):
        return {"any": [_negation(n, guarded) for n in node["all"]]}
    if "any" in node and isinstance(node["any"], list):
        return {"all": [_negation(n, guarded) for n in node["any"]]}
    if "not" in node:
        return _kleene(node["not"], guarded)
    return {"not": node}  # a fact: never unknown


def _split_when(when: Any) -> tuple[Any, Any]:
    """(when, unless): the top-level ``not`` parts become ``unless``."""
    if not (isinstance(when, dict) and isinstance(when.get("all"), list)):
        if isinstance(when, dict) and "not" in when:
            return {"all": [_negation(when["not"], frozenset())]}, None
        return _kleene(when, frozenset()), None
    items = when["all"]
    guarded = _guards(items, frozenset())
    kept = [_kleene(n, guarded) for n in items if not (isinstance(n, dict) and set(n) == {"not"})]
    silencers = [
        _kleene(n["not"], guarded) for n in items if isinstance(n, dict) and set(n) == {"not"}
    ]
    if not kept:  # nothing but negations: keep them in `when`, exactly
        return {"all": [_negation(n["not"], frozenset()) for n in items]}, None
    unless = None if not silencers else silencers[0] if len(silencers) == 1 else {"any": silencers}
    return (kept[0] if len(kept) == 1 else {"all": kept}), unless


def _canonical(node: Any) -> str:
    def norm(n: Any) -> Any:
        if isinstance(n, dict):
            return {k: norm(v) for k, v in n.items()}
        if isinstance(n, list):
            items = [norm(v) for v in n]
            return (
                sorted(items, key=json.dumps)
                if all(not isinstance(v, dict | list) for v in items)
                else items
            )
        return n

    return json.dumps(norm(node), sort_keys=True)


def substitute_named(node: Any, named: Mapping[str, Any]) -> Any:
    """Replace subtrees equal to a named condition's tree
    (``named``: name -> condition data) by ``{is: NAME}``.

    A named ``all`` also replaces its parts inside a larger ``all``. Larger names are tried first.
    """
    order = sorted(named, key=lambda n: (-len(_canonical(named[n])), n))
    exact = {_canonical(named[n]): n for n in order}
    return _substitute(node, named, order, exact)


def _substitute(
    node: Any, named: Mapping[str, Any], order: list[str], exact: dict[str, str]
) -> Any:
    if not isinstance(node, dict):
        return node
    name = exact.get(_canonical(node))
    if name is not None:
        return {"is": name}
    if "not" in node:
        return {"not": _substitute(node["not"], named, order, exact)}
    for key in ("all", "any"):
        if isinstance(node.get(key), list):
            items = list(node[key])
            if key == "all":
                items = _replace_parts(items, named, order)
            items = [_substitute(i, named, order, exact) for i in items]
            return items[0] if len(items) == 1 else {key: items}
    return node


def _replace_parts(items: list[Any], named: Mapping[str, Any], order: list[str]) -> list[Any]:
    for name in order:
        parts = named[name].get("all") if isinstance(named[name], dict) else None
        if not isinstance(parts, list) or len(parts) < 2:
            continue
        keys = [_canonical(i) for i in items]
        wanted = [_canonical(p) for p in parts]
        if all(w in keys for w in wanted):
            first = min(keys.index(w) for w in wanted)
            rest = [i for i, k in zip(items, keys, strict=True) if k not in wanted]
            items = [*rest[:first], {"is": name}, *rest[first:]]
    return items


_MERGED = re.compile(r"^Merged from ")
_RULE_ID = re.compile(r"\b[A-Z]{2,4}-\d{3,}\b")
_WEIGHT = re.compile(
    r"^The (?:weight|penalty) of (?P<pts>[+-]\d)(?: (?:for|on) (?P<plat>[\w. ]+?))? is ours"
    r"(?P<cond>[^;.]*)[;.]\s*(?P<rest>.*)$"
)
_NO_WEIGHT = re.compile(
    r"^(?:the papers? gives? (?:no weights?|none)|the paper gives none)\.?\s*", re.I
)


def _platform_id(text: str | None, platforms: Mapping[str, int]) -> str | None:
    if text is None:
        return next(iter(platforms)) if len(platforms) == 1 else None
    wanted = text.strip().lower()
    for pid in platforms:
        if wanted in (pid, platform_label(pid).lower()) or wanted.startswith(
            platform_label(pid).lower()
        ):
            return pid
    return None


def _split_assumptions(
    rule_id: str, texts: list[str], platforms: dict[str, Any]
) -> tuple[list[str], list[str], list[str]]:
    """(assumptions, notes, replaced ids); weight statements become ``why``
    entries of ``platforms``.
    """
    assumptions: list[str] = []
    notes: list[str] = []
    replaced: list[str] = []
    for text in texts:
        if _MERGED.match(text):
            notes.append(text)
            head = text.split(".")[0].split(";")[0]
            replaced += [i for i in _RULE_ID.findall(head) if i != rule_id and i not in replaced]
            continue
        match = _WEIGHT.match(text)
        plat = _platform_id(match.group("plat"), platforms) if match else None
        rest = _NO_WEIGHT.sub("", match.group("rest")).strip() if match else ""
        if (
            match
            and plat is not None
            and platforms.get(plat) == int(match.group("pts"))
            and not match.group("cond").strip()
            and not rest.startswith((",", ";"))
        ):
            why = rest
            if why:
                platforms[plat] = {"points": platforms[plat], "why": why[0].upper() + why[1:]}
            continue
        assumptions.append(text)
    return assumptions, notes, replaced


def _examples(raw: Any) -> tuple[Data, Data]:
    fires: Data = {}
    silent: Data = {}
    for name, ex in (raw or {}).items() if isinstance(raw, dict) else ():
        if not isinstance(ex, dict):
            continue
        target = fires if ex.get("expect") == "fire" else silent
        short = re.sub(r"^(?:fires?|silent)_", "", str(name)) or str(name)
        target[short if short not in target else str(name)] = ex.get("profile") or {}
    return fires, silent


def convert_rule(raw: Data, named: Mapping[str, Any] | None = None) -> Data:
    """A format-1 rule mapping as a format-2 mapping that fires on exactly the same profiles.

    ``named``: the target rule base's named conditions (name -> condition data), substituted where
    a subtree equals one.
    """
    when, unless = _split_when(raw.get("when"))
    if named:
        when = substitute_named(when, named)
        unless = substitute_named(unless, named) if unless is not None else None
    platforms = dict(raw.get("platforms") or {})
    assumptions, notes, replaced = _split_assumptions(
        str(raw.get("id")), list(raw.get("assumptions") or []), platforms
    )
    fires, silent = _examples(raw.get("examples"))
    out: Data = {key: raw[key] for key in ("id", "title", "advice", "rationale") if key in raw}
    if replaced:
        out["replaces"] = replaced
    out["when"] = when
    if unless is not None:
        out["unless"] = unless
    for key in ("derives",):
        if raw.get(key):
            out[key] = raw[key]
    if platforms:
        out["platforms"] = platforms
    if raw.get("excludes"):
        out["excludes"] = raw["excludes"]
    out["citations"] = raw.get("citations")
    if assumptions:
        out["assumptions"] = assumptions
    if notes:
        out["notes"] = notes
    if raw.get("concepts"):
        out["concepts"] = raw["concepts"]
    out["fires"] = fires
    out["silent"] = silent
    return out
