"""The only module that talks to durable-rules.

It drives the C binding ``durable_rules_engine`` directly (what ``durable.engine`` calls
itself), which avoids the ``Host`` API's JSON round trips and its background threads. Each
evaluation asserts one profile fact, runs every activation, asserts the derived facts of the
fired rules (forward chaining), then retracts every fact it asserted, which leaves the session
as empty as it found it.

Sessions are reused: creating one costs about as much as the evaluation itself (the binding
allocates and clears about 8 KB for each of the ruleset's 228 join nodes), so one session
serves up to ``SESSION_EVALUATIONS`` evaluations and is then deleted and replaced. A session
that saw an error is never reused.

Workarounds for the defects measured in durable-rules 2.0.28 (docs/durable-rules in
``../shared/notes``), each covered by ``tests/test_engine_defects.py``:

1. error 303 under many pending alpha nodes: conditions are ordered consistently by the
   compiler (equalities first, then by text);
3. ``delete_state`` crashes on a session in which no action ran: a catch-all rule
   (``compiler.CATCH_ALL``) fires in every session, and a session whose assert failed is
   never deleted but counted, and the ruleset is rebuilt before the limit is reached;
4. at most 1,024 live sessions per ruleset: one session is live at a time, deleted when it is
   replaced;
5. the ``Host``'s background threads race with callers: no ``Host`` is used, and a lock
   serialises calls into one ruleset;
6. exceptions raised in actions are swallowed by the ``Host``: there are no Python actions,
   the loop below runs in the caller's thread and every result code is checked;
7. identical facts asserted twice raise or collide: one profile at a time in a session (each
   evaluation retracts its facts), and each derived fact is asserted once per evaluation with
   its own id;
8. rulesets are global and leak when discarded: each ``Engine`` registers a unique name
   and deletes its handle when it is garbage-collected;
9. ``create_ruleset`` now and then fails with error 102 ("unexpected type") on a valid
   definition, in a process that has deleted rulesets before: 7 of 500 advisors created,
   used and discarded in a loop, none of 500 kept alive. Valgrind shows why: for an
   ``$iany``/``$iall`` whose item test is an ``$or``/``$and`` (which the compiler emits for
   "contains any of" and "contains none of"), ``createAlpha`` checks the type of the right
   operand of a node that never got one, so the answer depends on what the reused heap held;
   under valgrind the second ruleset of a process fails every time, and so it does with freed
   memory filled with 9 (``MALLOC_PERTURB_=9``, as the tests do). Only that check reads the
   garbage, so a ruleset that is created is the right one. A second attempt succeeded every
   time seen (10 of 10), so the engine tries up to ``_CREATE_ATTEMPTS`` times before raising.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import weakref
from collections.abc import Iterable, Mapping

import durable_rules_engine as _dre

from .._errors import EngineError
from .._profile.model import Profile
from .._rulebase.conditions import Condition
from .compiler import ALT_SEPARATOR, CATCH_ALL, compile_rules, encode_answers_json

__all__ = ["Engine", "EngineResult"]

_names = itertools.count()
#: Sessions whose assert failed are never deleted (defect 3); rebuild well before 1,024.
_MAX_LEAKED_SESSIONS = 256
#: Evaluations served by one session before it is deleted and replaced.
SESSION_EVALUATIONS = 10_000
#: Attempts at creating a ruleset when durable-rules answers error 102 (defect 9).
_CREATE_ATTEMPTS = 3


class EngineResult:
    """The rule ids that fired and the derived facts asserted, both sorted."""

    __slots__ = ("facts", "fired")

    def __init__(self, fired: list[str], facts: list[str]) -> None:
        self.fired = fired
        self.facts = facts

    def __repr__(self) -> str:
        return f"EngineResult(fired={self.fired!r}, facts={self.facts!r})"


def _delete_ruleset(handle: int) -> None:
    _dre.delete_ruleset(handle)


class Engine:
    """A compiled ruleset. Thread-safe; evaluations are isolated from each other."""

    def __init__(self, rules: Iterable[tuple[str, Condition, tuple[str, ...]]]) -> None:
        rules = list(rules)
        self._derives = {rid: derives for rid, _, derives in rules}
        names = sorted({name for _, _, derives in rules for name in derives})
        #: JSON text of each derived fact (after its "sid") and of its id, for asserting and retracting.
        self._derived_json = {n: json.dumps({"id": f"d-{n}", "kind": "derived", "name": n})[1:-1] for n in names}
        self._derived_id = {n: json.dumps(f"d-{n}") for n in names}
        definition = compile_rules((rid, when) for rid, when, _ in rules)
        self._definition = json.dumps(definition)
        self._rule_of = {name: name.partition(ALT_SEPARATOR)[0] for name in definition}
        self._lock = threading.Lock()
        self._sid = itertools.count(1)
        self._leaked = 0
        self._build()

    def _build(self) -> None:
        for attempt in range(1, _CREATE_ATTEMPTS + 1):
            name = f"xbec-{os.getpid()}-{next(_names)}"
            try:
                self._handle = _dre.create_ruleset(name, self._definition)
                break
            except Exception as exc:  # the binding raises a bare Exception with the error code
                if "error code: 102" not in str(exc) or attempt == _CREATE_ATTEMPTS:  # defect 9: 102 is transient
                    raise EngineError(f"durable-rules could not build the ruleset ({attempt} attempt(s)): {exc}") from exc
        self._finalizer = weakref.finalize(self, _delete_ruleset, self._handle)
        self._leaked = 0
        self._open_session()

    def _open_session(self) -> None:
        self._session = str(next(self._sid))
        self._served = 0  # evaluations completed in this session: an action ran in each

    def _close_session(self, acted: bool = False) -> None:
        """Delete the current session and open another; ``acted``: an action ran in it just now."""
        if self._served or acted:
            _dre.delete_state(self._handle, self._session)
            self._open_session()
        else:  # no action ever ran in it: deleting it would crash the process (defect 3)
            self._leak()

    @property
    def definition(self) -> dict[str, object]:
        """The durable-rules JSON definition, as compiled."""
        result: dict[str, object] = json.loads(self._definition)
        return result

    def evaluate(self, profile: Profile) -> EngineResult:
        """Run the rules on one profile: which rules fired, which facts were derived."""
        return self.evaluate_answers(profile.model_dump())

    def evaluate_answers(self, answers: Mapping[str, object]) -> EngineResult:
        """:meth:`evaluate` on the answers of a validated profile, as ``Profile.model_dump()`` gives them."""
        members = encode_answers_json(answers)
        with self._lock:
            return self._run(members)

    def _run(self, members: str) -> EngineResult:
        handle = self._handle
        sid = self._session
        try:
            code, state = _dre.assert_fact(handle, f'{{"sid":"{sid}","id":"profile",{members}}}')
        except Exception as exc:  # the binding raises a bare Exception with the error code
            self._close_session()
            raise EngineError(f"durable-rules refused the profile: {exc}") from exc
        if code != 0:
            self._close_session()
            raise EngineError(f"durable-rules did not handle the profile (result code {code})")
        fired: set[str] = set()
        facts: set[str] = set()
        acted = False
        try:
            result = _dre.start_action_for_state(handle, state)
            while result:
                acted = True
                message = result[1]
                while message:
                    name = self._rule_of[message[2:message.index('"', 2)]]
                    fired.add(name)
                    for derived in self._derives.get(name, ()):
                        if derived not in facts:
                            facts.add(derived)
                            code, _ = _dre.assert_fact(handle, f'{{"sid":"{sid}",{self._derived_json[derived]}}}')
                            if code == 2:  # "observed": a duplicate fact would vanish silently
                                raise EngineError(f"derived fact '{derived}' was taken for a duplicate")
                    message = _dre.complete_and_start_action(handle, state)
                result = _dre.start_action_for_state(handle, state)
            for fact_id in [*(self._derived_id[name] for name in facts), '"profile"']:  # retracting needs only the id
                code, _ = _dre.retract_fact(handle, f'{{"sid":"{sid}","id":{fact_id}}}')
                if code != 0:
                    raise EngineError(f"durable-rules could not retract fact '{fact_id}' (result code {code})")
        except Exception as exc:
            self._close_session(acted)
            if isinstance(exc, EngineError):
                raise
            raise EngineError(f"durable-rules failed while running actions: {exc}") from exc
        if CATCH_ALL not in fired:
            self._close_session(acted)
            raise EngineError("durable-rules lost the session's catch-all activation")
        self._served += 1
        if self._served >= SESSION_EVALUATIONS:
            self._close_session()
        fired.discard(CATCH_ALL)
        return EngineResult(sorted(fired), sorted(facts))

    def _leak(self) -> None:
        self._leaked += 1
        if self._leaked >= _MAX_LEAKED_SESSIONS:
            self._finalizer()
            self._build()
        else:
            self._open_session()

    def close(self) -> None:
        """Release the ruleset now rather than at garbage collection."""
        with self._lock:
            self._finalizer()
