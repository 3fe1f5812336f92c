"""The questionnaire's logic, independent of the terminal: questions, answers, help, order."""

from __future__ import annotations

from collections.abc import Mapping

from .._advice.advisor import Advisor
from .._profile.model import FieldSpec, field_specs
from .relevance import fields_read, relevant_fields

__all__ = [
    "DONT_KNOW", "HELP", "Answer", "choices_help", "explain_field", "next_field", "next_question", "parse_answer",
    "parse_checklist", "show_value",
]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DONT_KNOW = _Marker("DONT_KNOW")
HELP = _Marker("HELP")
Answer = object  # a valid value, DONT_KNOW or HELP

_DONT_KNOW_WORDS = {"0", "don't know", "dont know", "dk", "unknown", "-"}
_NONE_WORDS = {"none", "nothing", "[]"}
_YES = {"1", "y", "yes", "true"}
_NO = {"2", "n", "no", "false"}


def label(value: object) -> str:
    """How a value is shown to a person."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


def show_value(spec: FieldSpec, value: object) -> str:
    if value is None:
        return "don't know"
    if isinstance(value, list):
        return ", ".join(label(v) for v in value) if value else "none"
    return label(value)


def choices_help(spec: FieldSpec) -> list[str]:
    """The numbered choices shown under a question (empty for free-text answers)."""
    if spec.kind in ("enum", "list"):
        return [f"{i}) {label(v)}" for i, v in enumerate(spec.values, start=1)] + ["0) don't know"]
    if spec.kind == "bool":
        return ["1) yes", "2) no", "0) don't know"]
    return []


def _pick(spec: FieldSpec, token: str) -> str:
    token = token.strip()
    if token.isdigit():
        index = int(token)
        if 1 <= index <= len(spec.values):
            return spec.values[index - 1]
        raise ValueError(f"'{token}' is not a choice: type a number from 1 to {len(spec.values)}, 0 for don't know, or ? for help")
    wanted = token.lower().replace(" ", "_").replace("-", "_")
    for value in spec.values:
        if value.lower() == wanted:
            return value
    raise ValueError(f"'{token}' is not one of the choices: type its number, 0 for don't know, or ? for help")


def parse_answer(spec: FieldSpec, raw: str) -> Answer:
    """Turn what a person typed into a value, DONT_KNOW or HELP; ValueError says how to fix it."""
    text = raw.strip()
    lowered = text.lower()
    if lowered in ("?", "help"):
        return HELP
    if lowered in _DONT_KNOW_WORDS:
        return DONT_KNOW
    if spec.kind == "enum":
        return _pick(spec, text)
    if spec.kind == "bool":
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise ValueError("answer 1 (yes), 2 (no), 0 (don't know) or ? for help")
    if spec.kind in ("list", "country_list", "language_list"):
        if lowered in _NONE_WORDS:
            return []
        tokens = [t for t in text.replace(";", ",").replace(" ", ",").split(",") if t]
        if spec.kind == "list":
            return sorted({_pick(spec, t) for t in tokens}, key=spec.values.index)
        upper = spec.kind == "country_list"
        items = sorted({t.upper() if upper else t.lower() for t in tokens})
        bad = [t for t in items if not spec.accepts(t)]
        if bad:
            kind = "ISO country codes such as ID, TH, US" if upper else "ISO language codes such as en, zh, id"
            raise ValueError(f"'{bad[0]}' is not a known code: type {kind}, separated by commas, 'none', or 0 for don't know")
        return items
    if spec.kind == "country":
        code = text.upper()
        if not spec.accepts(code):
            raise ValueError(f"'{text}' is not an ISO country code: type two letters such as CN, FR or US, or 0 for don't know")
        return code
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number: type a number such as 12, or 0 for don't know") from None
    value: int | float = int(number) if number.is_integer() and spec.name != "response_time_hours" else number
    if not spec.accepts(value):
        raise ValueError(f"{text} is out of range: type a number from {spec.minimum:g} to {spec.maximum:g}")
    return value


def explain_field(advisor: Advisor, field: str) -> list[str]:
    """Why a question is asked: the recommendations and platforms that depend on the answer."""
    spec = field_specs()[field]
    readers = [r for r in advisor.rulebase.rules if field in fields_read(r.when)]
    lines = [spec.description]
    if not readers:
        return [*lines, "No recommendation depends on this answer."]
    lines.append(f"{len(readers)} recommendation(s) depend on this answer, for example:")
    lines += [f"  - {r.id}: {r.title}" for r in readers[:8]]
    if len(readers) > 8:
        lines.append(f"  ... and {len(readers) - 8} more")
    platforms = sorted({p for r in readers for p in (*r.platforms, *r.excludes)})
    if platforms:
        lines.append("It can move these platforms in the ranking: " + ", ".join(platforms))
    return lines


def next_field(advisor: Advisor, answers: Mapping[str, object], pending: list[str]) -> str | None:
    """The first pending field (in questionnaire order) whose answer can still change the advice."""
    relevant = relevant_fields(advisor.rulebase.rules, answers, pending)
    return next((f for f in pending if f in relevant), None)


def next_question(advisor: Advisor, answers: Mapping[str, object], pending: list[str]) -> list[str]:
    """The next question's fields: one field, or every relevant yes/no field as one checklist."""
    relevant = relevant_fields(advisor.rulebase.rules, answers, pending)
    first = next((f for f in pending if f in relevant), None)
    if first is None:
        return []
    specs = field_specs()
    if specs[first].kind != "bool":
        return [first]
    return [f for f in pending if f in relevant and specs[f].kind == "bool"]


def parse_checklist(fields: list[str], raw: str) -> dict[str, bool] | _Marker:
    """A checklist answer: the numbers of the statements that are true, 'none', 0 or ?."""
    text = raw.strip().lower()
    if text in ("?", "help"):
        return HELP
    if text in _DONT_KNOW_WORDS:
        return DONT_KNOW
    if text in _NONE_WORDS:
        return dict.fromkeys(fields, False)
    chosen: set[str] = set()
    for token in [t for t in text.replace(";", ",").replace(" ", ",").split(",") if t]:
        if not token.isdigit() or not 1 <= int(token) <= len(fields):
            raise ValueError(f"'{token}' is not a choice: type the numbers (1 to {len(fields)}) of the statements that are true, "
                             "'none', 0 for don't know, or ? for help")
        chosen.add(fields[int(token) - 1])
    return {f: f in chosen for f in fields}
