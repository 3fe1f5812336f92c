"""What each kind of profile field accepts, and how its values are read, shown, tried and sampled.

Every decision that depends on the kind of a field (a choice, a list of choices, yes/no, a
number, a country, a list of codes) lives here, in one class per kind; the rest of the code
asks a :class:`FieldSpec`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .._errors import shown
from .._i18n import N_, _, current_language
from .iso import COUNTRIES, LANGUAGES
from .labels import field_label, value_label
from .matching import (
    closest_choices,
    hint,
    match_bool,
    match_choice,
    match_country,
    match_language,
    normalise,
    split_list,
)

__all__ = ["KINDS", "FieldSpec", "Kind"]

_COMMON_COUNTRIES = (
    "CN",
    "US",
    "GB",
    "FR",
    "DE",
    "JP",
    "KR",
    "TW",
    "HK",
    "ID",
    "TH",
    "VN",
    "MY",
    "PH",
    "SG",
    "AU",
    "BR",
)
_COMMON_LANGUAGES = ("en", "zh", "id", "th", "vi", "ms", "tl", "ja", "ko", "fr", "de", "es", "pt")
_YES = {"1", "y", "yes", "true", "是"}
_NO = {"2", "n", "no", "false", "否"}
#: A list cell that says the list is empty (an empty cell is "don't know").
_NONE = ("none", "无")


def _tokens(text: str) -> list[str]:
    return [t for t in text.replace(";", ",").replace(" ", ",").split(",") if t]


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


def _cell_items(text: str, one: Callable[[str], object]) -> list[object]:
    """The values of a list cell: separated by ';'; else the whole cell when it is one value
    (a name holding a comma: ``St. Helena, Ascension & Tristan da Cunha``), else by ','."""
    if ";" not in text:
        try:
            return [one(text)]
        except ValueError:
            pass
    return [one(part) for part in split_list(text)]


def _items(text: str, one: Callable[[str], object]) -> list[str]:
    """The items typed for a list: separated by ';' or ','; else the whole text when it is one
    item (``United States``), else separated by spaces (``1 3``)."""
    if ";" in text or "," in text:
        return split_list(text)
    try:
        one(text)
    except ValueError:
        return _tokens(text)
    return [text.strip()] if text.strip() else []


class Kind:
    """The behaviour shared by every field of one kind (subclasses override what differs)."""

    name = ""
    is_list = False

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        raise NotImplementedError

    def expected(self, spec: FieldSpec) -> str:
        raise NotImplementedError

    def parse(self, spec: FieldSpec, text: str) -> object:
        """A value from what a person typed; ``ValueError`` says how to fix it."""
        raise NotImplementedError

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        """A value from a table cell's text (ids or labels; lists split on ';' or ','), or
        ``ValueError`` naming the closest allowed values."""
        return text

    def candidates(self, spec: FieldSpec, mentioned: list[object]) -> list[object]:
        """The values worth trying in what-if analyses (``mentioned``: values the rules test)."""
        return list(spec.values)

    def sample(self, spec: FieldSpec, rng: random.Random) -> object:
        return rng.choice(spec.values)


class _Choice(Kind):
    name = "enum"

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        return value in spec.values

    def expected(self, spec: FieldSpec) -> str:
        return _("one of {values}").format(values=", ".join(spec.values))

    def parse(self, spec: FieldSpec, text: str) -> object:
        return spec.pick(text)

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        return match_choice(spec.name, spec.values, text)


class _ChoiceList(Kind):
    name = "list"
    is_list = True

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        return value in spec.values

    def expected(self, spec: FieldSpec) -> str:
        return _("a list of {values}").format(values=", ".join(spec.values))

    def parse(self, spec: FieldSpec, text: str) -> object:
        tokens = _items(text, spec.pick)
        return sorted({spec.pick(t) for t in tokens}, key=spec.values.index)

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        return _cell_items(text, lambda part: match_choice(spec.name, spec.values, part))

    def candidates(self, spec: FieldSpec, mentioned: list[object]) -> list[object]:
        return [[], *([v] for v in spec.values)]

    def sample(self, spec: FieldSpec, rng: random.Random) -> object:
        return rng.sample(spec.values, rng.randint(0, min(4, len(spec.values))))


class _Bool(Kind):
    name = "bool"

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        return isinstance(value, bool)

    def expected(self, spec: FieldSpec) -> str:
        return _("true or false")

    def parse(self, spec: FieldSpec, text: str) -> object:
        lowered = text.strip().lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise ValueError(_("answer 1 (yes), 2 (no), 0 (don't know) or ? for help"))

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        return match_bool(text)

    def candidates(self, spec: FieldSpec, mentioned: list[object]) -> list[object]:
        return [True, False]

    def sample(self, spec: FieldSpec, rng: random.Random) -> object:
        return rng.random() < 0.5


class _Number(Kind):
    name = "number"

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if spec.integer and not isinstance(value, int):
            return False
        lo = spec.minimum if spec.minimum is not None else float("-inf")
        hi = spec.maximum if spec.maximum is not None else float("inf")
        return lo <= value <= hi

    def expected(self, spec: FieldSpec) -> str:
        if spec.minimum is not None and spec.maximum is not None:
            ranged = (
                _("a whole number from {low} to {high}")
                if spec.integer
                else _("a number from {low} to {high}")
            )
            return ranged.format(low=f"{spec.minimum:g}", high=f"{spec.maximum:g}")
        return _("a whole number") if spec.integer else _("a number")

    def _number(self, spec: FieldSpec, text: str) -> int | float:
        number = float(text)
        return int(number) if number.is_integer() and spec.integer else number

    def parse(self, spec: FieldSpec, text: str) -> object:
        try:
            value = self._number(spec, text.strip())
        except ValueError:
            raise ValueError(
                _("'{text}' is not a number: type a number such as 12, or 0 for don't know").format(
                    text=text
                )
            ) from None
        if spec.integer and not isinstance(value, int):
            raise ValueError(
                _("{text} is not a whole number: type {expected}").format(
                    text=text, expected=self.expected(spec)
                )
            )
        if not self.accepts(spec, value):
            raise ValueError(
                _("{text} is out of range: type {expected}").format(
                    text=text, expected=self.expected(spec)
                )
            )
        return value

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        try:
            return self._number(spec, text)
        except ValueError:
            raise ValueError(
                _("{text} is not a number; expected {expected}").format(
                    text=shown(text), expected=self.expected(spec)
                )
            ) from None

    def candidates(self, spec: FieldSpec, mentioned: list[object]) -> list[object]:
        points = sorted(
            {float(v) + d for v in mentioned if isinstance(v, int | float) for d in (-1, 0, 1)}
        )
        lo, hi = spec.minimum or 0, spec.maximum if spec.maximum is not None else float("inf")
        numbers: list[object] = [int(p) if p.is_integer() else p for p in points if lo <= p <= hi]
        return numbers or [lo]

    def sample(self, spec: FieldSpec, rng: random.Random) -> object:
        lo = int(spec.minimum or 0)
        hi = int(min(spec.maximum if spec.maximum is not None else 100, spec.sample_max))
        if spec.integer:
            return rng.randint(lo, hi)
        return round(rng.uniform(lo, hi), 1)


class _Country(Kind):
    name = "country"

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        return isinstance(value, str) and value in COUNTRIES

    def expected(self, spec: FieldSpec) -> str:
        return _("an ISO 3166-1 alpha-2 code in capitals (e.g. CN)")

    def parse(self, spec: FieldSpec, text: str) -> object:
        try:
            return match_country(text)
        except ValueError as exc:
            raise ValueError(_("{error}, or 0 for don't know").format(error=exc)) from None

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        return match_country(text)

    def candidates(self, spec: FieldSpec, mentioned: list[object]) -> list[object]:
        return [str(v) for v in sorted(map(str, mentioned))]

    def sample(self, spec: FieldSpec, rng: random.Random) -> object:
        return _pick_code(rng, _COMMON_COUNTRIES, COUNTRIES)


class _CodeList(Kind):
    """A list of ISO codes: countries (upper case) or languages (lower case)."""

    is_list = True

    def __init__(
        self, name: str, codes: frozenset[str], common: tuple[str, ...], upper: bool, what: str
    ) -> None:
        self.name, self.codes, self.common, self.upper, self.what = name, codes, common, upper, what

    def accepts(self, spec: FieldSpec, value: object) -> bool:
        return isinstance(value, str) and value in self.codes

    def expected(self, spec: FieldSpec) -> str:
        return _(self.what)

    def _one(self, text: str) -> str:
        return match_country(text) if self.upper else match_language(text)

    def parse(self, spec: FieldSpec, text: str) -> object:
        try:
            return sorted({self._one(t) for t in _items(text, self._one)})
        except ValueError as exc:
            raise ValueError(
                _("{error}; separate several with commas, type 'none', or 0 for don't know").format(
                    error=exc
                )
            ) from None

    def from_cell(self, spec: FieldSpec, text: str) -> object:
        return _cell_items(text, self._one)

    def candidates(self, spec: FieldSpec, mentioned: list[object]) -> list[object]:
        return [[], *([v] for v in sorted(map(str, mentioned)))]

    def sample(self, spec: FieldSpec, rng: random.Random) -> object:
        count = rng.randint(0, 4 if self.upper else 3)
        return [_pick_code(rng, self.common, self.codes) for _ in range(count)]


def _pick_code(rng: random.Random, common: tuple[str, ...], every: frozenset[str]) -> str:
    return rng.choice(common) if rng.random() < 0.85 else rng.choice(sorted(every))


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _Choice(),
        _ChoiceList(),
        _Bool(),
        _Number(),
        _Country(),
        _CodeList(
            "country_list",
            COUNTRIES,
            _COMMON_COUNTRIES,
            True,
            N_("ISO country codes such as ID, TH, US"),
        ),
        _CodeList(
            "language_list",
            LANGUAGES,
            _COMMON_LANGUAGES,
            False,
            N_("ISO language codes such as en, zh, id"),
        ),
    )
}


@dataclass(frozen=True)
class FieldSpec:
    """What one profile field accepts, derived from the :class:`~.model.Profile` model."""

    name: str
    kind: str
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = True
    description: str = ""
    #: Largest value :meth:`sample` draws (random profiles stay in a plausible range).
    sample_max: float = 200
    _kind: Kind = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_kind", KINDS[self.kind])

    @property
    def is_list(self) -> bool:
        return self._kind.is_list

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a valid single value (an item, for lists) of this field."""
        return self._kind.accepts(self, value)

    def expected(self) -> str:
        """What is allowed, in words (for error messages)."""
        return self._kind.expected(self)

    def parse(self, text: str) -> object:
        """A value from what a person typed
        (not "don't know" or "help": the caller handles those).
        """
        return self._kind.parse(self, text)

    def from_cell(self, cell: object) -> object:
        """A value from a table cell (CSV, spreadsheets): text by id or label (lists separated
        by ';' or ','), or a spreadsheet's number or yes/no. ``ValueError`` names the closest
        allowed values; ranges are checked later, with the profile."""
        if isinstance(cell, list | tuple) and self.is_list:  # a Parquet list
            return [v for item in cell for v in _as_list(self.from_cell(item))]
        if isinstance(cell, str) and self.is_list and normalise(cell) in _NONE:
            return []
        if isinstance(cell, bool) and self.kind == "bool":
            return cell
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            if self.kind == "number":
                number = float(cell)
                return int(number) if self.integer and number.is_integer() else cell
            cell = f"{cell:g}" if isinstance(cell, float) else str(cell)
        return self._kind.from_cell(self, str(cell).strip())

    def show(self, value: object) -> str:
        """A value (``None``: unknown) as a person reads it, in the vocabulary's words."""
        lang = current_language()
        if value is None:
            return _("don't know")
        if isinstance(value, list | tuple):
            return ", ".join(value_label(self.name, v, lang) for v in value) if value else _("none")
        return value_label(self.name, value, lang)

    @property
    def label(self) -> str:
        """The question's short label (``Business model``)."""
        return field_label(self.name, current_language())

    def candidates(self, mentioned: Iterable[object] = ()) -> list[object]:
        """The values worth trying for this field (``mentioned``: the values the rules test)."""
        return self._kind.candidates(self, list(mentioned))

    def sample(self, rng: random.Random) -> object:
        """A random valid value."""
        return self._kind.sample(self, rng)

    def pick(self, token: str) -> str:
        """A choice by its number (1-based), its id or its label, ignoring case, spaces and
        punctuation."""
        token = token.strip()
        if token.isdigit():
            index = int(token)
            if 1 <= index <= len(self.values):
                return self.values[index - 1]
            raise ValueError(
                _(
                    "'{token}' is not a choice: type a number from 1 to {count}, "
                    "0 for don't know, or ? for help"
                ).format(token=token, count=len(self.values))
            )
        try:
            return match_choice(self.name, self.values, token)
        except ValueError:
            near = closest_choices(self.name, self.values, token)
        raise ValueError(
            _(
                "'{token}' is not one of the choices{hint}: type its number, 0 for don't know, "
                "or ? for help"
            ).format(token=token, hint=hint(near))
        ) from None
