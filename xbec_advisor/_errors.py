"""The project's own errors: each says where the problem is and how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "EngineError",
    "InputError",
    "ProfileError",
    "RuleBaseError",
    "XbecError",
    "did_you_mean",
]


class XbecError(Exception):
    """Base class of every error the advisor raises on purpose."""


class InputError(XbecError):
    """A file or stream could not be read as a profile (syntax, size, encoding...)."""


class ProfileError(XbecError):
    """A profile's answers are invalid; ``problems`` lists each one, naming its field."""

    def __init__(self, problems: list[str], source: str = "profile") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: invalid profile:\n{lines}")


class RuleBaseError(XbecError):
    """The rule base is invalid; ``problems`` lists each one as 'file: rule: field: message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid rule base ({len(problems)} problem(s)):\n{lines}")


class EngineError(XbecError):
    """durable-rules failed on an evaluation (a defect the engine module did not absorb)."""


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close choice exists, else ''."""
    if not isinstance(word, str):
        return ""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return f" (did you mean '{lowered[word.lower()]}'?)"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
