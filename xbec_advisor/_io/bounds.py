"""The limits every reader keeps to, and the check of decoded data against them.

Hostile input is normal input: a profile or rule file may nest without end, expand from a few
aliases into billions of values, or hold text that no output can encode. Each reader checks the
bytes it reads (:data:`MAX_INPUT_BYTES`, the batch limits in :mod:`xbec_advisor._batch.sources`)
and the data it decodes (:func:`check_data`), before anything else touches it.
"""

from __future__ import annotations

from .._errors import InputError, shown

__all__ = [
    "MAX_DEPTH",
    "MAX_INPUT_BYTES",
    "MAX_KEY_CHARS",
    "check_data",
    "node_budget",
]

#: Largest file or stream read as one document (a profile, a rule file): 2 MiB. A profile in a
#: batch (a table row, a JSON line, an entry of a list file) has the same limit.
MAX_INPUT_BYTES = 2 * 1024 * 1024
#: Deepest nesting of lists and mappings in a document. A profile needs 2 levels; the deepest
#: rule condition allowed (12 levels of all/any) needs about 26.
MAX_DEPTH = 32
#: Longest mapping key (a profile's field names are at most 25 characters).
MAX_KEY_CHARS = 200


def node_budget(size: int) -> int:
    """The most values (scalars, lists, mappings) a document of ``size`` characters may hold
    once its aliases are expanded. Without aliases a value takes at least one character, so only
    a document that multiplies itself through aliases (an "alias bomb") can exceed it."""
    return max(10_000, size)


def check_data(data: object, source: str, budget: int) -> None:
    """Refuse data nested deeper than :data:`MAX_DEPTH`, holding more than ``budget`` values,
    keys longer than :data:`MAX_KEY_CHARS`, or text that is not valid Unicode (a lone surrogate,
    from a JSON escape such as ``"\\ud800"``): :class:`InputError` naming ``source``.

    Iterative, so that the check itself cannot overflow the stack; a flat profile (the common
    case) takes a fast path.
    """
    if isinstance(data, dict) and _flat(data, budget):
        return
    stack: list[tuple[object, int, str]] = [(data, 0, "")]
    count = 0
    while stack:
        value, depth, where = stack.pop()
        count += 1
        if count > budget:
            raise InputError(
                f"{source}: more than {budget:,} values (lists, mappings and their items, with "
                "aliases expanded); the document is too large or multiplies itself through aliases"
            )
        if isinstance(value, str):
            _check_text(value, source, where)
            continue
        if not isinstance(value, dict | list | tuple):
            continue
        if depth >= MAX_DEPTH:
            raise InputError(
                f"{source}{_at(where)}: nested more than {MAX_DEPTH} levels deep; "
                "a profile is a flat mapping of field: answer"
            )
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and len(key) > MAX_KEY_CHARS:
                    raise InputError(
                        f"{source}{_at(where)}: a key of {len(key):,} characters "
                        f"({shown(key)}); keys are at most {MAX_KEY_CHARS} characters"
                    )
                if isinstance(key, str):
                    _check_text(key, source, where)
                stack.append((item, depth + 1, f"{where}.{key}" if where else str(key)))
        else:
            stack.extend((item, depth + 1, f"{where}[{i}]") for i, item in enumerate(value))


def _valid_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _flat(data: dict[object, object], budget: int) -> bool:
    """Whether ``data`` is a mapping of plain values and lists of plain values, every key short
    and every text valid, within ``budget`` values: then it passes :func:`check_data`."""
    count = len(data)
    for key, value in data.items():
        if isinstance(key, str) and (len(key) > MAX_KEY_CHARS or not _valid_text(key)):
            return False
        if isinstance(value, str):
            if not _valid_text(value):
                return False
        elif isinstance(value, list):
            count += len(value)
            for item in value:
                if isinstance(item, dict | list) or (
                    isinstance(item, str) and not _valid_text(item)
                ):
                    return False
        elif isinstance(value, dict | tuple):
            return False
    return count < budget


def _at(where: str) -> str:
    return f": {shown(where, 80, quote=False)}" if where else ""


def _check_text(text: str, source: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{source}{_at(where)}: invalid text: a lone surrogate (U+{ord(text[exc.start]):04X}) "
            "at character {0}; write the character itself, or a valid pair of \\u escapes".format(
                exc.start + 1
            )
        ) from None
