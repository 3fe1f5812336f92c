"""The project's own errors: each says where the problem is and how to fix it."""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Iterable

from ._i18n import _

__all__ = [
    "EngineError",
    "InputError",
    "OutputError",
    "ProfileError",
    "RuleBaseError",
    "XbecError",
    "did_you_mean",
    "escape_controls",
    "shown",
]


class XbecError(Exception):
    """Base class of every error the advisor raises on purpose."""


class InputError(XbecError):
    """A file or stream could not be read as a profile (syntax, size, encoding...)."""


class OutputError(XbecError):
    """An output file cannot be written (a missing folder, one of the inputs, a full disk)."""


class ProfileError(XbecError):
    """A profile's answers are invalid; ``problems`` lists each one, naming its field."""

    def __init__(self, problems: list[str], source: str = "profile") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(_("{source}: invalid profile:").format(source=source) + f"\n{lines}")


class RuleBaseError(XbecError):
    """The rule base is invalid; ``problems`` lists each one as 'file: rule: field: message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        head = _("invalid rule base ({count} problem(s)):").format(count=len(problems))
        super().__init__(f"{head}\n{lines}")


class EngineError(XbecError):
    """durable-rules failed on an evaluation (a defect the engine module did not absorb)."""


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close choice exists, else ''."""
    if not isinstance(word, str) or len(word) > 100:  # difflib is quadratic in the length
        return ""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return _(" (did you mean {choices}?)").format(choices=f"'{lowered[word.lower()]}'")
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return _(" (did you mean {choices}?)").format(choices=f"'{close[0]}'") if close else ""


#: Characters that move the cursor, change colours or titles, or reorder text on a terminal:
#: C0 controls but tab and newline, DEL, C1 controls, and Unicode's direction overrides.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_AND_BREAKS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, lines: bool = False) -> str:
    """``text`` with control characters shown as escapes (ESC as ``\\x1b``), so that text from
    a file cannot drive the terminal; ``lines``: newlines and tabs are escaped too."""
    return (_CONTROLS_AND_BREAKS if lines else _CONTROLS).sub(_escaped, text)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring = 2, 4, 4, 60
_SHORT.maxother = 60


def shown(value: object, limit: int = 60, quote: bool = True) -> str:
    """A value from the input as an error message shows it: on one line, control characters
    escaped, at most ``limit`` characters (a 1.5 MB value is not echoed in full), text quoted."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = _SHORT.repr(value)
        except ValueError:  # an integer too long to print
            digits = int(value.bit_length() * 0.30103)  # type: ignore[attr-defined]
            text = _("a number of about {digits} digits").format(digits=f"{digits:,}")
    size = len(text)
    text = escape_controls(text[: limit + 1], lines=True)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
        if size > 10 * limit:
            text += f" ({size:,} characters)"
    return f"'{text}'" if quote and isinstance(value, str) else text
