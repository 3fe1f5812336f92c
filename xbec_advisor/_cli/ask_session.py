"""The questionnaire of ``xbec-advisor ask``: questions, answers checked as they are given,
going back, and a recovery file that keeps every answer until the profile is saved.

Each answer is validated like a profile's (a number of years must be whole, at most 64
countries...) before the next question; ``<`` (or ``back``) goes back a question. After every
answer the answers so far are written to a recovery file (mode 0600, in the cache folder), so
that Ctrl-C, the end of the input, a crash or a save that fails lose nothing:
``xbec-advisor ask --resume`` offers them back.
"""

from __future__ import annotations

import json
import os
import signal
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

import click

from .._advice.advisor import Advisor
from .._analysis.questionnaire import (
    DONT_KNOW,
    HELP,
    choices_help,
    explain_field,
    next_question,
    parse_answer,
    parse_checklist,
    show_value,
)
from .._errors import InputError, ProfileError, XbecError
from .._i18n import _, current_language
from .._io.atomic import write_atomic
from .._io.cache import cache_dir
from .._profile.labels import question
from .._profile.load import profile_from_data
from .._profile.model import field_specs
from .common import echo

__all__ = ["BACK", "Interrupted", "Session", "recovery_path", "stopped_message"]

BACK = object()
_BACK_WORDS = {"<", "back", "返回"}


class Interrupted(Exception):
    """The questionnaire stopped before its end: Ctrl-C (``by_user``) or the end of the input."""

    def __init__(self, by_user: bool) -> None:
        self.by_user = by_user
        super().__init__("interrupted" if by_user else "end of input")


def recovery_path() -> Path:
    """Where unsaved answers are kept: the cache folder, else the current folder."""
    folder = cache_dir()
    if folder is None:
        return Path.cwd() / ".xbec-advisor-ask-recovery.json"
    return folder / "ask-recovery.json"


def _valid(field: str, value: object) -> None:
    """Check one answer as a profile would (ValueError says why it is refused)."""
    try:
        profile_from_data({field: value})
    except ProfileError as exc:
        raise ValueError("; ".join(exc.problems)) from None


def _prompt(
    shown: str, parse: Callable[[str], object], help_lines: Callable[[], list[str]]
) -> object:
    """Prompt until the answer parses; None means Enter (keep the answer shown)."""
    while True:
        raw = click.prompt("  >", default=shown, show_default=True, prompt_suffix=" ")
        if raw != shown:  # a Chinese keyboard's full-width "？", "＜", "１，３" read as typed
            raw = unicodedata.normalize("NFKC", raw)
        if raw.strip().lower() in _BACK_WORDS:
            return BACK
        if raw == shown:
            return None
        try:
            answer = parse(raw)
        except ValueError as exc:
            echo(f"  ! {exc}")
            continue
        if answer is HELP:
            for line in help_lines():
                echo(f"  ? {line}")
            continue
        return answer


@contextmanager
def _ctrl_c_noted(state: dict[str, bool]) -> Iterator[None]:
    """Tell Ctrl-C from the end of the input: click's prompt turns both into Abort."""

    def handler(signum: int, frame: FrameType | None) -> None:
        state["interrupted"] = True
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Session:
    """One run of the questionnaire: the questions asked and their answers, in order."""

    def __init__(
        self, advisor: Advisor, start: dict[str, object], save: Path | None, source: Path | None
    ) -> None:
        self.advisor = advisor
        self.start = start
        self.save = save
        self.source = source
        #: Each question's answers (one field, or a checklist's fields), in the order asked.
        self.history: list[dict[str, object]] = []
        #: Answers taken back with '<', offered again as the default.
        self.previous: dict[str, object] = {}

    @property
    def given(self) -> dict[str, object]:
        return {f: v for step in self.history for f, v in step.items()}

    def answers(self) -> dict[str, object]:
        """The profile: the answers given, and the starting file's answers to questions not
        asked (skipped as irrelevant), in field order; "don't know" answers left out."""
        given = self.given
        merged = {f: given[f] if f in given else self.start.get(f) for f in field_specs()}
        return {f: v for f, v in merged.items() if v is not None}

    def dont_know(self) -> list[str]:
        return [f for f, v in self.given.items() if v is None]

    # -- the recovery file --------------------------------------------------------------

    def autosave(self) -> None:
        state = {
            "from": str(self.source) if self.source else None,
            "save": str(self.save) if self.save else None,
            "start": self.start,
            "history": self.history,
        }
        path = recovery_path()
        with suppress(OSError, XbecError):
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomic(path, json.dumps(state, indent=1), durable=False, mode=0o600)

    @classmethod
    def resumed(cls, advisor: Advisor) -> Session:
        path = recovery_path()
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            session = cls(
                advisor,
                dict(state["start"]),
                Path(state["save"]) if state["save"] else None,
                Path(state["from"]) if state["from"] else None,
            )
            for step in state["history"]:
                for field, value in step.items():
                    if value is not None:
                        _valid(field, value)
                session.history.append(dict(step))
        except FileNotFoundError:
            raise InputError(
                _("{path}: no unsaved answers to resume; start with `xbec-advisor ask`").format(
                    path=path
                )
            ) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise InputError(
                _(
                    "{path}: the recovery file is damaged; start again with `xbec-advisor ask`"
                ).format(path=path)
            ) from None
        return session

    @staticmethod
    def discard() -> None:
        with suppress(OSError):
            recovery_path().unlink()

    # -- the questions ------------------------------------------------------------------

    def _default(self, field: str) -> object:
        return self.previous.get(field, self.start.get(field))

    def _ask(self, field: str, number: int) -> dict[str, object] | object:
        spec = field_specs()[field]
        default = self._default(field)
        echo("")
        echo(f"{number}. {question(field, current_language())}")
        for line in choices_help(spec):
            echo(f"   {line}")

        def parse(raw: str) -> object:
            value = parse_answer(spec, raw)
            if value is not HELP and value is not DONT_KNOW:
                _valid(field, value)
            return value

        answer = _prompt(
            show_value(spec, default), parse, lambda: explain_field(self.advisor, field)
        )
        if answer is BACK:
            return BACK
        if answer is None:  # Enter keeps the current answer
            return {field: default}
        return {field: None if answer is DONT_KNOW else answer}

    def _checklist(self, fields: list[str], number: int) -> dict[str, object] | object:
        echo("")
        echo(
            f"{number}. "
            + _(
                "Which of these are true for your firm? "
                "(type their numbers, 'none' if none, 0 if you don't know)"
            )
        )
        lang = current_language()
        for i, field in enumerate(fields, start=1):
            echo(f"   {i}) {question(field, lang)}")
        current = [self._default(f) for f in fields]
        if all(v is None for v in current):
            shown = _("don't know")
        else:
            picked = [str(i) for i, v in enumerate(current, start=1) if v is True]
            shown = ",".join(picked) if picked else _("none")
        answer = _prompt(
            shown,
            lambda raw: parse_checklist(fields, raw),
            lambda: [
                f"{i}) {explain_field(self.advisor, f)[1]}" for i, f in enumerate(fields, start=1)
            ],
        )
        if answer is BACK:
            return BACK
        if answer is None:
            return {f: self._default(f) for f in fields}
        if answer is DONT_KNOW:
            return dict.fromkeys(fields)
        assert isinstance(answer, dict)
        return dict(answer)

    def _next(self) -> list[str]:
        given = self.given
        pending = [f for f in field_specs() if f not in given]
        known = {f: given.get(f) for f in field_specs()}
        return next_question(self.advisor, known, pending)

    def _step(self, fields: list[str]) -> None:
        number = len(self.history) + 1
        if field_specs()[fields[0]].kind == "bool":
            result = self._checklist(fields, number)
        else:
            result = self._ask(fields[0], number)
        if result is BACK:
            if not self.history:
                echo(_("  (this is the first question)"))
                return
            self.previous.update(self.history.pop())
            return
        assert isinstance(result, dict)
        self.history.append(result)
        self.autosave()

    def run(self) -> None:
        """Ask each relevant question; :class:`Interrupted` on Ctrl-C or the end of the input
        (the answers so far are in the recovery file)."""
        state = {"interrupted": False}
        with _ctrl_c_noted(state):
            try:
                while fields := self._next():
                    self._step(fields)
            except (click.exceptions.Abort, KeyboardInterrupt, EOFError):
                raise Interrupted(state["interrupted"]) from None

    def skipped(self) -> int:
        return len(field_specs()) - len(self.given)


def stopped_message(count: int) -> str:
    path = recovery_path()
    where = (
        str(path) if os.path.exists(path) else _("nowhere (the recovery file could not be written)")
    )
    return "\n" + _(
        "Your {count} answer(s) so far are kept in {where}; "
        "run `xbec-advisor ask --resume` to continue where you stopped."
    ).format(count=count, where=where)
