"""The only module that talks to durable-rules.

It drives the C binding ``durable_rules_engine`` directly (what ``durable.engine`` calls
itself), which avoids the ``Host`` API's JSON round trips and its background threads.

The rules run in passes (``Rule.stratum``): one ruleset per pass. An evaluation asserts the
profile fact into the first pass's ruleset, runs every activation (each names a rule that
fired), retracts the fact, then asserts it into the next pass's ruleset with the facts derived
so far (the ``facts__`` member), and so on: forward chaining, with each derived fact settled
before any rule reads it, so rules may read facts anywhere in their conditions, negated too.

Sessions are reused: creating one costs about as much as an evaluation (the binding allocates
and clears memory for each of the ruleset's join nodes), so one session serves up to
``SESSION_EVALUATIONS`` evaluations and is then deleted and replaced. A session that saw an
error is never reused.

Workarounds for the defects of durable-rules 2.0.28 (``docs/durable-rules.md``), each covered
by ``tests/test_engine_defects.py``:

1. error 303 under many pending alpha nodes: conditions are ordered consistently by the
   compiler (equalities first, then by text);
3. ``delete_state`` crashes on a session in which no action ran: a catch-all rule
   (``compiler.CATCH_ALL``) fires in every session, and a session whose assert failed is
   never deleted but counted, and the ruleset is rebuilt before the limit is reached;
4. at most 1,024 live sessions per ruleset: one session is live at a time, deleted when it is
   replaced;
5. the ``Host``'s background threads race with callers: no ``Host`` is used, and a lock
   serialises the calls into the rulesets;
6. exceptions raised in actions are swallowed by the ``Host``: there are no Python actions,
   the loop below runs in the caller's thread and every result code is checked;
7. identical facts asserted twice raise or collide: one profile at a time in a session, and
   each evaluation retracts what it asserted;
8. rulesets are global and leak when discarded: each ruleset gets a unique name and its handle
   is deleted when the engine is closed or garbage-collected;
9. ``create_ruleset`` fails with error 102 on a valid definition, depending on what reused
   memory holds, when an ``$iany``/``$iall`` tests its items with a bare ``$or`` (the binding
   reads an operand type it never set): the compiler never emits that shape; a 102 is still
   retried, up to ``_CREATE_ATTEMPTS`` times.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import durable_rules_engine as _dre

from .._errors import EngineError
from .._profile.model import Profile
from .._rulebase.conditions import Condition
from .compiler import (
    ALT_SEPARATOR,
    CATCH_ALL,
    MAY_SEPARATOR,
    SILENT_SEPARATOR,
    compile_open,
    compile_pass,
    compile_rule,
)
from .encoding import encode_answers_json, facts_json

__all__ = ["Engine", "EngineResult", "EngineRule"]

_names = itertools.count()
#: Sessions whose assert failed are never deleted (defect 3); rebuild well before 1,024.
_MAX_LEAKED_SESSIONS = 256
#: Evaluations served by one session before it is deleted and replaced.
SESSION_EVALUATIONS = 10_000
#: Attempts at creating a ruleset when durable-rules answers error 102 (defect 9).
_CREATE_ATTEMPTS = 3


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


def _delete_ruleset(handle: int) -> None:
    _dre.delete_ruleset(handle)


def _mark(name: str) -> str:
    for separator, mark in ((ALT_SEPARATOR, ""), (MAY_SEPARATOR, "?"), (SILENT_SEPARATOR, "!")):
        if separator in name:
            return mark + name.partition(separator)[0]
    return name


class _Pass:
    """One ruleset and its current session. Not thread-safe: the engine's lock serialises calls."""

    def __init__(self, definition: dict[str, object]) -> None:
        self.text = json.dumps(definition)
        #: Each engine rule's rule id, marked: ``ID`` fires the rule, ``?ID`` finds it fires or may
        #: apply, ``!ID`` finds it cannot fire (see compiler.compile_open).
        self.rule_of = {name: _mark(name) for name in definition}
        #: The rules whose openness is found by "cannot fire" alternatives.
        self.silent_encoded = {rid[1:] for rid in self.rule_of.values() if rid[0] == "!"}
        self._sid = itertools.count(1)
        self._build()

    def _build(self) -> None:
        for attempt in range(1, _CREATE_ATTEMPTS + 1):
            name = f"xbec-{os.getpid()}-{next(_names)}"
            try:
                self.handle = _dre.create_ruleset(name, self.text)
                break
            except Exception as exc:  # the binding raises a bare Exception with the error code
                if "error code: 102" not in str(exc) or attempt == _CREATE_ATTEMPTS:  # defect 9
                    raise EngineError(
                        f"durable-rules could not build the ruleset ({attempt} attempt(s)): {exc}"
                    ) from exc
        self.finalizer = weakref.finalize(self, _delete_ruleset, self.handle)
        self.leaked = 0
        self._open_session()

    def _open_session(self) -> None:
        self.session = str(next(self._sid))
        self.served = 0  # evaluations completed in this session: an action ran in each

    def _close_session(self, acted: bool = False) -> None:
        """Delete the current session and open another; ``acted``: an action ran in it just now."""
        if self.served or acted:
            _dre.delete_state(self.handle, self.session)
            self._open_session()
            return
        self.leaked += 1  # no action ever ran in it: deleting it would crash the process (defect 3)
        if self.leaked >= _MAX_LEAKED_SESSIONS:
            self.finalizer()
            self._build()
        else:
            self._open_session()

    def run(self, members: str) -> set[str]:
        """Assert the profile fact, run every activation, retract it: the rule ids that fired."""
        handle, sid = self.handle, self.session
        try:
            code, state = _dre.assert_fact(handle, f'{{"sid":"{sid}","id":"profile",{members}}}')
        except Exception as exc:  # the binding raises a bare Exception with the error code
            self._close_session()
            raise EngineError(f"durable-rules refused the profile: {exc}") from exc
        if code != 0:
            self._close_session()
            raise EngineError(f"durable-rules did not handle the profile (result code {code})")
        fired: set[str] = set()
        acted = False
        try:
            result = _dre.start_action_for_state(handle, state)
            while result:
                acted = True
                message = result[1]
                while message:
                    fired.add(self.rule_of[message[2 : message.index('"', 2)]])
                    message = _dre.complete_and_start_action(handle, state)
                result = _dre.start_action_for_state(handle, state)
            code, _ = _dre.retract_fact(
                handle, f'{{"sid":"{sid}","id":"profile"}}'
            )  # retracting needs only the id
            if code != 0:
                raise EngineError(
                    f"durable-rules could not retract the profile (result code {code})"
                )
        except Exception as exc:
            self._close_session(acted)
            if isinstance(exc, EngineError):
                raise
            raise EngineError(f"durable-rules failed while running actions: {exc}") from exc
        if CATCH_ALL not in fired:
            self._close_session(acted)
            raise EngineError("durable-rules lost the session's catch-all activation")
        self.served += 1
        if self.served >= SESSION_EVALUATIONS:
            self._close_session()
        fired.discard(CATCH_ALL)
        return fired


#: Most engine rules (alternatives) in one ruleset: a stopgap that keeps the alpha nodes one
#: profile fact leaves pending under durable-rules' limit of 64 (defect 1), measured on the
#: bundled rules; a pass with more rules is split into several rulesets.
MAX_RULESET_RULES = 40


def _chunks(rules: list[EngineRule]) -> list[dict[str, object]]:
    """The ruleset definitions of one pass, each within :data:`MAX_RULESET_RULES`."""
    out: list[list[EngineRule]] = [[]]
    size = 0
    for rule in rules:
        alternatives = len(compile_rule(rule.when, rule.unless)) + len(
            compile_open(rule.when, rule.unless)[1]
        )
        if out[-1] and size + alternatives > MAX_RULESET_RULES:
            out.append([])
            size = 0
        out[-1].append(rule)
        size += alternatives
    return [compile_pass((r.id, r.when, r.unless) for r in chunk) for chunk in out]


class Engine:
    """The rules compiled into durable-rules rulesets: one or more per pass. Thread-safe."""

    def __init__(self, rules: Iterable[EngineRule]) -> None:
        rules = [EngineRule(*r) for r in rules]
        self._derives = {r.id: r.derives for r in rules}
        strata = sorted({r.stratum for r in rules}) or [0]
        #: For each pass, the definitions of its rulesets.
        self._definitions = [_chunks([r for r in rules if r.stratum == s]) for s in strata]
        self._lock = threading.Lock()
        self._passes = [[_Pass(d) for d in chunk] for chunk in self._definitions]

    @property
    def definitions(self) -> list[dict[str, object]]:
        """Each ruleset's durable-rules JSON definition, as compiled, pass by pass."""
        return [json.loads(json.dumps(d)) for chunk in self._definitions for d in chunk]

    def evaluate(self, profile: Profile) -> EngineResult:
        """Run the rules on one profile: which rules fired, which facts were derived."""
        return self.evaluate_answers(profile.model_dump())

    def evaluate_answers(self, answers: Mapping[str, object]) -> EngineResult:
        """:meth:`evaluate` on the answers of a validated profile,
        as ``Profile.model_dump()`` gives them.
        """
        members = encode_answers_json(answers)
        fired: set[str] = set()
        facts: set[str] = set()
        maybe: set[str] = set()
        maybe_facts: set[str] = set()
        with self._lock:
            for rulesets in self._passes:
                fact = f"{members},{facts_json(facts, maybe_facts - facts)}"
                found = set().union(*(one.run(fact) for one in rulesets))
                now = {rid for rid in found if rid[0] not in "?!"}
                opened = {rid[1:] for rid in found if rid[0] == "?"}
                opened |= {rid for one in rulesets for rid in one.silent_encoded} - {
                    rid[1:] for rid in found if rid[0] == "!"
                }
                fired |= now
                maybe |= opened - now
                facts.update(f for rid in now for f in self._derives[rid])
                maybe_facts.update(f for rid in opened - now for f in self._derives[rid])
        return EngineResult(
            sorted(fired), sorted(facts), sorted(maybe), sorted(maybe_facts - facts)
        )

    def close(self) -> None:
        """Release the rulesets now rather than at garbage collection."""
        with self._lock:
            for rulesets in self._passes:
                for one in rulesets:
                    one.finalizer()
