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

import contextlib
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
from .encoding import Encoder, with_derived
from .passes import FIRE, MAY, SILENT, UNKNOWN, EngineRule, plan
from .rulesets import SWEEP

__all__ = ["Engine", "EngineResult", "EngineRule"]

_names = itertools.count()
#: Profiles one session serves before it is deleted and replaced.
SESSION_EVALUATIONS = 10_000
#: Profiles asserted at once (at most the rules' cap).
BATCH = 256
_ID = re.compile(r'"id":\s*"(\d+)"')


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

    def __init__(
        self, definition: dict[str, Any], encoder: Encoder, codes: dict[str, int], where: str
    ) -> None:
        self.definition = definition
        self.encoder = encoder
        self.where = where
        #: Each engine rule's rule index * 4 + kind (:mod:`.passes`).
        self.codes = codes
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
            # on an error path too, where the error to report is the first one
            with contextlib.suppress(Exception):
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


class _Pass(NamedTuple):
    rulesets: list[_Ruleset]
    #: Rules whose openness is found by "cannot fire" alternatives.
    silent: frozenset[int]


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
        self._passes = [
            _Pass([_Ruleset(*r) for r in one.rulesets], one.silent) for one in plan(ordered, label)
        ]
        _ENGINES.add(self)

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
        now = {c >> 2 for c in hits if c & 3 == FIRE}
        opened = {c >> 2 for c in hits if c & 3 in (UNKNOWN, MAY)}
        if one.silent:
            opened |= one.silent - {c >> 2 for c in hits if c & 3 == SILENT}
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
