"""A profile as the members of a durable-rules fact (JSON text), for one ruleset.

Each ruleset's fact holds only the members its rules test (:mod:`.compiler` names them and says
what each holds): the engine walks every member of a fact at every node it visits, and copies
the fact's text into every match. The members of one answer are computed together, once per
distinct answer (a cached piece of JSON text), so that encoding a profile costs a dictionary
look-up per field. Nothing is generated or executed: the pieces are data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._profile.model import DERIVED_FIELDS, condition_specs
from .._rulebase.presence import derived_value
from .compiler import Member, Members, code_of, high_of, low_of
from .literals import T, U, atom_truth

__all__ = ["Encoder", "with_derived"]

_SPECS = condition_specs()
#: Cached pieces of JSON text per field codec (numbers and lists vary the most).
_MAX_CACHED = 1024
_TRUTH_VALUE = {T: 1, U: 2}


def with_derived(answers: Mapping[str, object]) -> dict[str, object]:
    """The answers and the fields derived from them (``target_markets``, ``platform_markets``)."""
    return {**answers, **{name: derived_value(name, answers) for name in DERIVED_FIELDS}}


def _number_text(value: object) -> str:
    if type(value) is int:
        return str(value)
    text = repr(value)
    return text if "e" not in text else format(value, ".6f")


class _FieldCodec:
    """The members of one field, as one piece of JSON text per distinct answer."""

    __slots__ = ("cache", "field", "members")

    def __init__(self, field: str, members: list[tuple[str, Member]]) -> None:
        self.field = field
        self.members = sorted(members)
        #: Text by answer (lists by their tuple; 1 and 1.0 give the same members).
        self.cache: dict[object, str] = {}

    def text(self, value: object) -> str:
        """The members for an answer (and cache them)."""
        found = "".join(self._member(name, spec, value) for name, spec in self.members)
        if len(self.cache) >= _MAX_CACHED:
            self.cache.clear()
        self.cache[tuple(value) if isinstance(value, list) else value] = found
        return found

    def _member(self, name: str, spec: Member, value: object) -> str:
        kind = spec.kind
        if kind == "code":
            return f',"{name}":{code_of(self.field, value)}'
        if kind in ("lo", "hi"):
            if value is None:
                return f',"{name}":{low_of(self.field) if kind == "lo" else high_of(self.field)}'
            return f',"{name}":{_number_text(value)}'
        if kind == "list":
            return f',"{name}":{0 if value is None else 1}'
        assert spec.atom is not None
        truth = atom_truth(spec.atom, value)
        if kind == "flag":
            return f',"{name}":1' if truth == T else ""
        return f',"{name}":{_TRUTH_VALUE.get(truth, 0)}'  # tri


class Encoder:
    """The members one ruleset tests, as JSON text for each profile."""

    def __init__(self, names: Iterable[str], members: Members) -> None:
        by_field: dict[str, list[tuple[str, Member]]] = {}
        self.facts: list[tuple[str, str]] = []
        for name in sorted(set(names)):
            spec = members.specs[name]
            if spec.kind == "fact":
                self.facts.append((spec.name, name))
            else:
                by_field.setdefault(spec.name, []).append((name, spec))
        codecs = [_FieldCodec(f, m) for f, m in sorted(by_field.items())]
        self.fields = codecs
        self._scalars = [(c.field, c.cache, c) for c in codecs if not _SPECS[c.field].is_list]
        self._lists = [(c.field, c.cache, c) for c in codecs if _SPECS[c.field].is_list]
        self.size = len(set(names))

    def encode(self, answers: Mapping[str, Any], facts: Mapping[str, int] | None = None) -> str:
        """The members for ``answers`` (with derived fields: :func:`with_derived`) and the
        derived facts (1 true, 2 may hold; absent: false), each member preceded by a comma."""
        parts = []
        for field, cache, codec in self._scalars:
            value = answers.get(field)
            text = cache.get(value)
            parts.append(codec.text(value) if text is None else text)
        for field, cache, codec in self._lists:
            value = answers.get(field)
            text = cache.get(None if value is None else tuple(value))
            parts.append(codec.text(value) if text is None else text)
        if self.facts:
            known = facts or {}
            parts += [f',"{name}":{known.get(fact, 0)}' for fact, name in self.facts]
        return "".join(parts)
