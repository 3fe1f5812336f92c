"""The only module that talks to durable-rules.

It drives the C binding ``durable_rules_engine`` directly (what ``durable.engine`` calls
itself), which avoids the ``Host`` API's JSON round trips and its background threads. Each
evaluation asserts one profile fact in a fresh session, runs every activation, asserts the
derived facts of the fired rules (forward chaining) and deletes the session.

Workarounds for the defects measured in durable-rules 2.0.28 (docs/durable-rules in
``../shared/notes``), each covered by ``tests/test_engine_defects.py``:

1. error 303 under many pending alpha nodes: conditions are ordered consistently by the
   compiler (equalities first, then by text);
3. ``delete_state`` crashes on a session in which no action ran: a catch-all rule
   (``compiler.CATCH_ALL``) fires in every session, and a session whose assert failed is
   never deleted but counted, and the ruleset is rebuilt before the limit is reached;
4. at most 1,024 live sessions per ruleset: each session is deleted when its evaluation ends;
5. the ``Host``'s background threads race with callers: no ``Host`` is used, and a lock
   serialises calls into one ruleset;
6. exceptions raised in actions are swallowed by the ``Host``: there are no Python actions,
   the loop below runs in the caller's thread and every result code is checked;
7. identical facts asserted twice raise or collide: one profile per session, and each
   derived fact is asserted once per session with its own id;
8. rulesets are global and leak when discarded: each ``Engine`` registers a unique name
   and deletes its handle when it is garbage-collected.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import weakref
from collections.abc import Iterable

import durable_rules_engine as _dre

from .compiler import ALT_SEPARATOR, CATCH_ALL, compile_rules, encode_profile
from .conditions import Condition
from .errors import EngineError
from .profile import Profile

__all__ = ["Engine", "EngineResult"]

_names = itertools.count()
#: Sessions whose assert failed are never deleted (defect 3); rebuild well before 1,024.
_MAX_LEAKED_SESSIONS = 256


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
        self._definition = json.dumps(compile_rules((rid, when) for rid, when, _ in rules))
        self._lock = threading.Lock()
        self._sid = itertools.count(1)
        self._leaked = 0
        self._build()

    def _build(self) -> None:
        name = f"xbec-{os.getpid()}-{next(_names)}"
        self._handle = _dre.create_ruleset(name, self._definition)
        self._finalizer = weakref.finalize(self, _delete_ruleset, self._handle)
        self._leaked = 0

    @property
    def definition(self) -> dict[str, object]:
        """The durable-rules JSON definition, as compiled."""
        result: dict[str, object] = json.loads(self._definition)
        return result

    def evaluate(self, profile: Profile) -> EngineResult:
        """Run the rules on one profile: which rules fired, which facts were derived."""
        fact = encode_profile(profile)
        with self._lock:
            return self._run(fact)

    def _run(self, fact: dict[str, object]) -> EngineResult:
        handle = self._handle
        sid = str(next(self._sid))
        fact["sid"] = sid
        fact["id"] = "profile"
        try:
            code, state = _dre.assert_fact(handle, json.dumps(fact))
        except Exception as exc:  # the binding raises a bare Exception with the error code
            self._leak()
            raise EngineError(f"durable-rules refused the profile: {exc}") from exc
        if code != 0:
            self._leak()
            raise EngineError(f"durable-rules did not handle the profile (result code {code})")
        fired: set[str] = set()
        facts: set[str] = set()
        try:
            result = _dre.start_action_for_state(handle, state)
            while result:
                message = result[1]
                while message:
                    name = message[2:message.index('"', 2)].partition(ALT_SEPARATOR)[0]
                    fired.add(name)
                    for derived in self._derives.get(name, ()):
                        if derived not in facts:
                            facts.add(derived)
                            payload = {"sid": sid, "id": f"d-{derived}", "kind": "derived", "name": derived}
                            code, _ = _dre.assert_fact(handle, json.dumps(payload))
                            if code == 2:  # "observed": a duplicate fact would vanish silently
                                raise EngineError(f"derived fact '{derived}' was taken for a duplicate")
                    message = _dre.complete_and_start_action(handle, state)
                result = _dre.start_action_for_state(handle, state)
        except Exception as exc:
            raise EngineError(f"durable-rules failed while running actions: {exc}") from exc
        finally:
            _dre.delete_state(handle, sid)
        if CATCH_ALL not in fired:
            raise EngineError("durable-rules lost the session's catch-all activation")
        fired.discard(CATCH_ALL)
        return EngineResult(sorted(fired), sorted(facts))

    def _leak(self) -> None:
        self._leaked += 1
        if self._leaked >= _MAX_LEAKED_SESSIONS:
            self._finalizer()
            self._build()

    def close(self) -> None:
        """Release the ruleset now rather than at garbage collection."""
        with self._lock:
            self._finalizer()
