"""One profile of a batch (:class:`Item`): its id and answers, or why it cannot be read."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .._errors import InputError, shown
from .._i18n import _
from .._io.bounds import MAX_DEPTH
from .._profile.load import check_profile_data

__all__ = ["MAX_ID_CHARS", "Item", "decode_json", "split_id"]

#: Longest id: an id is printed in every report row and error message.
MAX_ID_CHARS = 200


@dataclass(frozen=True)
class Item:
    """One profile of a batch: its answers, or why it could not be read.

    A JSON Lines row keeps its text (``line``) until :meth:`resolved` decodes it, which happens
    where the profile is scored: in parallel runs, in the worker rather than the reading process.
    """

    id: str
    data: dict[str, object] | None = None
    error: str | None = None
    line: str | None = None
    #: The firm's name (a ``name`` column or key), when it has one.
    name: str | None = None

    def resolved(self) -> Item:
        """This item with its answers decoded (or the reason they cannot be)."""
        if self.line is None:
            return self
        try:
            data = decode_json(self.line, self.id)
        except InputError as exc:
            return Item(id=self.id, error=str(exc))
        if not isinstance(data, dict):
            return Item(
                id=self.id,
                error=_("{where}: expected a JSON object (a profile), got {kind}").format(
                    where=self.id, kind=type(data).__name__
                ),
            )
        return split_id(data, self.id)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise InputError(
            _(
                "duplicate key {key}; give each key once: a second one would silently replace "
                "the first"
            ).format(key=shown(key))
        )
    return out


def decode_json(text: str, where: str) -> object:
    """One JSON document within the limits of a profile (nesting, size, valid text, no
    duplicate key), or :class:`InputError` naming ``where``."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("{where}: invalid JSON: {problem} (column {column})").format(
                where=where, problem=exc.msg, column=exc.colno
            )
        ) from None
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    except RecursionError:
        raise InputError(
            _("{where}: nested too deeply (the limit is {limit} levels)").format(
                where=where, limit=MAX_DEPTH
            )
        ) from None
    except ValueError as exc:  # an integer of thousands of digits
        problem = (
            _("a number of more than 4,300 digits")
            if "digits" in str(exc)
            else shown(str(exc), 120, quote=False)
        )
        raise InputError(
            _("{where}: invalid JSON: {problem}").format(where=where, problem=problem)
        ) from None
    check_profile_data(data, where, len(text))
    return data


def _meta(data: dict[str, object], key: str, default: str) -> str | None:
    """The firm's ``id`` or ``name`` in ``data`` (None if absent); :class:`ValueError` if bad."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(
            _("{where}: {key}: expected text or a number, got {kind} {value}").format(
                where=default, key=key, kind=type(value).__name__, value=shown(value, quote=False)
            )
        )
    text = str(value)
    if len(text) > MAX_ID_CHARS:
        raise ValueError(
            _("{where}: {key}: {size} characters ({text}); an {key} is at most {limit}").format(
                where=default,
                key=key,
                size=f"{len(text):,}",
                text=shown(text, 40),
                limit=MAX_ID_CHARS,
            )
        )
    return text


def split_id(data: dict[str, object], default: str) -> Item:
    """The item of a profile's data: named by its ``id``, else by its ``name`` (both taken out
    of the answers), else by ``default`` (its place in the input). A bad id or name fails the
    item, named by ``default``."""
    try:
        rid = _meta(data, "id", default)
        name = _meta(data, "name", default)
    except ValueError as exc:
        return Item(id=default, error=str(exc))
    answers = {k: v for k, v in data.items() if k not in ("id", "name")}
    return Item(id=rid or name or default, data=answers, name=name)
