"""The only module that talks to durable-rules.

It drives the C binding ``durable_rules_engine`` directly (what ``durable.engine`` calls
itself), which avoids the ``Host`` API's JSON round trips and its background threads.

The rules run in passes (``Rule.stratum``), each pass in as few rulesets as the engine's
limits allow (:mod:`.rulesets`, :mod:`.limits`). A batch of profiles is one ``assert_facts``
per ruleset; each rule that matched returns the profiles it matched in one action (``cap``);
one ``retract_facts`` clears the session, which serves the next batch. The derived facts of a
pass travel into the next pass's facts as members (1 true, 2 may hold, 0 false).

Workarounds for the defects of durable-rules 2.0.28 (``docs/durable-rules.md``), each covered
by ``tests/test_engine_defects.py``:

1. error 303 (a 64-entry stack per asserted fact), 2. the 512-child hang, error 106 (4,096
   rules): every ruleset is checked against a model of the network before it is created, and a
   pass is split into rulesets that keep within the limits;
3. ``delete_state`` crashes on a session in which no action ran: a new session first runs the
   ``sweep`` rule once, so every session can be deleted, after an error too;
4. at most 1,024 live sessions per ruleset: one session is live at a time;
5. the ``Host``'s background threads race with callers: no ``Host``; a lock serialises calls;
6. exceptions raised in actions are swallowed by the ``Host``: there are no Python actions,
   the loop below runs in the caller's thread and checks every result code;
7. identical facts asserted twice collide: each profile of a batch has its own id, and every
   batch is retracted;
8. rulesets are global and leak when discarded: each gets a unique name; its session and then
   the ruleset are deleted when the engine is closed or collected (``delete_ruleset`` alone
   frees no session);
9. ``create_ruleset`` fails with error 102 for an ``$iany``/``$iall`` over a bare ``$or``: the
   compiler emits neither.

Forking while another thread evaluates would copy a held lock: ``os.register_at_fork`` takes
every engine's lock around a fork.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import durable_rules_engine as _dre

from .._errors import EngineError
from .._profile.model import Profile
from .._rulebase.conditions import Condition, facts_used
from .compiler import CompiledRule, Members, compile_rule, rule_tests
from .encoding import Encoder, with_derived
from .limits import LimitError
from .rulesets import SWEEP, partition, rule_name

__all__ = ["Engine", "EngineResult", "EngineRule"]

_names = itertools.count()
#: Profiles one session serves before it is deleted and replaced.
SESSION_EVALUATIONS = 10_000
#: Most alternatives a rule reading derived facts may have when the facts are replaced by the
#: conditions of the rules deriving them (then it needs no later pass).
INLINE = 16
#: Profiles asserted at once (at most the rules' cap).
BATCH = 256
_ID = re.compile(r'"id":\s*"(\d+)"')
_FIRE, _UNKNOWN, _MAY, _SILENT = 0, 1, 2, 3
_KINDS = {"fire": _FIRE, "unknown": _UNKNOWN, "may": _MAY, "silent": _SILENT}


class EngineRule(NamedTuple):
    """What the engine needs of a rule."""

    id: str
    when: Condition
    unless: Condition | None = None
    derives: tuple[str, ...] = ()
    stratum: int = 0


class EngineResult:
    """The rules that fired and the facts they derived; the rules that may also apply (their
    outcome depends on unanswered questions) and the facts those would derive. All sorted."""

    __slots__ = ("facts", "fired", "maybe", "maybe_facts")

    def __init__(
        self,
        fired: list[str],
        facts: list[str],
        maybe: list[str] | None = None,
        maybe_facts: list[str] | None = None,
    ) -> None:
        self.fired = fired
        self.facts = facts
        self.maybe = maybe or []
        self.maybe_facts = maybe_facts or []

    def __repr__(self) -> str:
        return f"EngineResult(fired={self.fired!r}, facts={self.facts!r}, maybe={self.maybe!r})"


def _release(box: list[Any]) -> None:
    """Delete a ruleset's session, then the ruleset (``delete_ruleset`` frees no session)."""
    handle, sid = box
    if sid is not None:
        _dre.delete_state(handle, sid)
    _dre.delete_ruleset(handle)


class _Ruleset:
    """One durable-rules ruleset and its session. Not thread-safe: the engine's lock is."""

    def __init__(self, definition: dict[str, Any], encoder: Encoder, where: str) -> None:
        self.definition = definition
        self.encoder = encoder
        self.where = where
        self.codes: dict[str, int] = {}
        name = f"xbec-{os.getpid()}-{next(_names)}"
        try:
            handle = _dre.create_ruleset(name, json.dumps(definition))
        except Exception as exc:  # the binding raises a bare Exception with the error code
            raise EngineError(f"durable-rules could not build {where}: {exc}") from exc
        self.box: list[Any] = [handle, None]
        self.finalizer = weakref.finalize(self, _release, self.box)
        self._sids = itertools.count(1)
        self.served = 0
        self._retract: dict[int, str] = {}

    def _open(self) -> str:
        """A new session, in which the sweep rule has run (so that it can be deleted)."""
        handle, sid = self.box[0], str(next(self._sids))
        try:
            fact = f'{{"sid":"{sid}","id":"sweep","kind":"sweep"}}'
            _, state = _dre.assert_fact(handle, fact)
            result = _dre.start_action_for_state(handle, state)
            if result is None or SWEEP not in result[1]:
                raise EngineError("the sweep rule did not run")
            while _dre.complete_and_start_action(handle, state):
                pass
            _dre.retract_fact(handle, f'{{"sid":"{sid}","id":"sweep"}}')
        except Exception as exc:
            raise EngineError(
                f"durable-rules could not open a session of {self.where}: {exc}"
            ) from exc
        self.box[1] = sid
        self.served = 0
        self._retract = {}
        return sid

    def _close_session(self) -> None:
        """Delete the session (a new one opens at the next run)."""
        handle, sid = self.box
        self.box[1] = None
        if sid is not None:
            _dre.delete_state(handle, sid)

    def run(self, facts: Sequence[str]) -> list[list[int]]:
        """Assert the facts (member texts), collect each one's matches, retract them all."""
        if not self.finalizer.alive:
            raise EngineError("the engine is closed")
        handle, sid = self.box
        if sid is None:
            sid = self._open()
        head = f'{{"sid":"{sid}","kind":"profile","id":"'
        text = ",".join([f'{head}{j}"{members}}}' for j, members in enumerate(facts)])
        matches: list[list[int]] = [[] for _ in facts]
        single = matches[0] if len(facts) == 1 else None
        try:
            code, state = _dre.assert_facts(handle, f"[{text}]")
            if code not in (0, 1):  # 1: a fact matched no rule
                raise EngineError(f"result code {code}")
            if code == 1 and single is not None:  # nothing matched, nothing was stored
                return matches
            result = _dre.start_action_for_state(handle, state)
            message = result[1] if result is not None else None
            while message:
                rule = self.codes[message[2 : message.index('"', 2)]]
                if single is not None:  # one profile: every match is its own
                    single.append(rule)
                else:
                    for j in _ID.findall(message):
                        matches[int(j)].append(rule)
                message = _dre.complete_and_start_action(handle, state)
            _dre.retract_facts(handle, self._retraction(sid, len(facts)))
        except Exception as exc:
            self._close_session()  # a session that saw an error is never reused
            raise EngineError(f"durable-rules failed on {self.where}: {exc}") from exc
        self.served += len(facts)
        if self.served >= SESSION_EVALUATIONS:
            self._close_session()
        return matches

    def _retraction(self, sid: str, count: int) -> str:
        text = self._retract.get(count)
        if text is None:
            ids = ",".join(f'{{"sid":"{sid}","id":"{j}"}}' for j in range(count))
            text = self._retract[count] = f"[{ids}]"
        return text


class _Pass:
    """The rulesets of one pass, and what their matches mean."""

    def __init__(self, rulesets: list[_Ruleset], silent: frozenset[int]) -> None:
        self.rulesets = rulesets
        #: Rules whose openness is found by "cannot fire" alternatives.
        self.silent = silent


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


class Engine:
    """The rules compiled into durable-rules rulesets, pass by pass. Thread-safe.

    ``label`` names the rules in error messages (the rule pack's folders).
    """

    def __init__(self, rules: Iterable[EngineRule], label: str = "") -> None:
        ordered = sorted((EngineRule(*r) for r in rules), key=lambda r: r.id)
        self.ids = [r.id for r in ordered]
        self._derives = [r.derives for r in ordered]
        self.label = label
        self._lock = threading.Lock()
        self.members = Members()
        self._passes: list[_Pass] = []
        self._named = 0  # engine rules named so far (names are unique across passes)
        by_pass: dict[int, list[tuple[int, CompiledRule]]] = {}
        for i, (number, compiled) in self._plan(ordered).items():
            by_pass.setdefault(number, []).append((i, compiled))
        for k, number in enumerate(sorted(by_pass) or [0]):
            self._passes.append(self._build_pass(k, by_pass.get(number, [])))
        _ENGINES.add(self)

    @staticmethod
    def _plan(rules: list[EngineRule]) -> dict[int, tuple[int, CompiledRule]]:
        """Each rule's pass (its stratum; 0 when it reads no derived fact) and alternatives."""
        plan: dict[int, tuple[int, CompiledRule]] = {}
        for i, rule in enumerate(rules):
            reads = facts_used(rule.when) | (facts_used(rule.unless) if rule.unless else set())
            plan[i] = (rule.stratum if reads else 0, compile_rule(rule.when, rule.unless))
        return plan

    def _build_pass(self, number: int, compiled: list[tuple[int, CompiledRule]]) -> _Pass:
        silent = frozenset(i for i, c in compiled if c.open_kind == "silent")
        alternatives = rule_tests(compiled, self.members)
        first = self._named
        self._named += len(alternatives)
        names = [rule_name(first + k) for k in range(len(alternatives))]
        codes = {
            n: i * 4 + _KINDS[kind] for n, (i, kind, _) in zip(names, alternatives, strict=True)
        }
        items = [(n, tests) for n, (_, _, tests) in zip(names, alternatives, strict=True)]
        try:
            definitions = partition(items)
        except LimitError as exc:
            name = str(exc).split()[2].rstrip(":")
            rule = self.ids[codes[name] // 4] if name in codes else "?"
            raise EngineError(
                f"rule {rule}{self._of()} exceeds the engine's limits: {exc}"
            ) from exc
        rulesets = []
        for k, definition in enumerate(definitions):
            tested = {n for rule in definition.values() for n in _members(rule)}
            where = self._where(number, k, [codes[n] // 4 for n in definition if n in codes])
            ruleset = _Ruleset(definition, Encoder(tested, self.members), where)
            ruleset.codes = {n: codes[n] for n in definition if n in codes}
            rulesets.append(ruleset)
        return _Pass(rulesets, silent)

    def _of(self) -> str:
        return f" (rules from {self.label})" if self.label else ""

    def _where(self, number: int, k: int, indices: list[int]) -> str:
        ids = sorted({self.ids[i] for i in indices})
        span = f"{ids[0]} to {ids[-1]}, {len(ids)} rules" if ids else "no rules"
        return f"ruleset {k + 1} of pass {number + 1} ({span}){self._of()}"

    @property
    def definitions(self) -> list[dict[str, Any]]:
        """Each ruleset's durable-rules JSON definition, as created, pass by pass."""
        return [json.loads(json.dumps(r.definition)) for p in self._passes for r in p.rulesets]

    def evaluate(self, profile: Profile) -> EngineResult:
        """Run the rules on one profile: which rules fired, which facts were derived."""
        return self.evaluate_answers(profile.model_dump())

    def evaluate_answers(self, answers: Mapping[str, object]) -> EngineResult:
        """:meth:`evaluate` on the answers of a validated profile (``Profile.model_dump()``)."""
        return self.evaluate_many([answers])[0]

    def evaluate_many(self, batch: Sequence[Mapping[str, object]]) -> list[EngineResult]:
        """:meth:`evaluate_answers` for many profiles at once (one engine call per ruleset and
        up to :data:`BATCH` profiles)."""
        out: list[EngineResult] = []
        for start in range(0, len(batch), BATCH):
            out += self._evaluate_batch(batch[start : start + BATCH])
        return out

    def _evaluate_batch(self, batch: Sequence[Mapping[str, object]]) -> list[EngineResult]:
        answers = [with_derived(a) for a in batch]
        n = len(answers)
        fired: list[set[int]] = [set() for _ in range(n)]
        maybe: list[set[int]] = [set() for _ in range(n)]
        facts: list[dict[str, int]] = [{} for _ in range(n)]
        with self._lock:
            for one in self._passes:
                hits: list[list[int]] = [[] for _ in range(n)]
                for ruleset in one.rulesets:
                    encode = ruleset.encoder.encode
                    texts = [encode(answers[j], facts[j]) for j in range(n)]
                    for j, found in enumerate(ruleset.run(texts)):
                        hits[j] += found
                for j in range(n):
                    self._settle(one, hits[j], fired[j], maybe[j], facts[j])
        return [self._result(fired[j], maybe[j], facts[j]) for j in range(n)]

    def _settle(
        self, one: _Pass, hits: list[int], fired: set[int], maybe: set[int], facts: dict[str, int]
    ) -> None:
        """One profile's outcome of a pass, and the facts it derives."""
        now = {c >> 2 for c in hits if c & 3 == _FIRE}
        opened = {c >> 2 for c in hits if c & 3 in (_UNKNOWN, _MAY)}
        if one.silent:
            opened |= one.silent - {c >> 2 for c in hits if c & 3 == _SILENT}
        opened -= now
        fired |= now
        maybe |= opened
        derives = self._derives
        for i in opened:
            for fact in derives[i]:
                facts.setdefault(fact, 2)
        for i in now:
            for fact in derives[i]:
                facts[fact] = 1

    def _result(self, fired: set[int], maybe: set[int], facts: dict[str, int]) -> EngineResult:
        ids = self.ids
        return EngineResult(
            [ids[i] for i in sorted(fired)],
            sorted(f for f, v in facts.items() if v == 1),
            [ids[i] for i in sorted(maybe)],
            sorted(f for f, v in facts.items() if v == 2),
        )

    def close(self) -> None:
        """Release the rulesets and their sessions now rather than at garbage collection."""
        with self._lock:
            for one in self._passes:
                for ruleset in one.rulesets:
                    ruleset.finalizer()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _members(rule: Mapping[str, Any]) -> Iterable[str]:
    for pattern in rule["all"]:
        (expression,) = pattern.values()
        for test in expression.get("$and", [expression]):
            ((key, inner),) = test.items()
            name = next(iter(inner)) if key.startswith("$") else key
            if name != "kind":
                yield name


def _lock_all() -> None:
    for engine in sorted(_ENGINES, key=id):
        engine._lock.acquire()


def _unlock_all() -> None:
    for engine in sorted(_ENGINES, key=id):
        engine._lock.release()


def _renew_all() -> None:
    for engine in _ENGINES:
        engine._lock = threading.Lock()


os.register_at_fork(before=_lock_all, after_in_parent=_unlock_all, after_in_child=_renew_all)
