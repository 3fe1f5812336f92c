"""The questionnaire's logic, independent of the terminal: questions, answers, help, order."""

from __future__ import annotations

from collections.abc import Mapping

from .._advice.advisor import Advisor
from .._i18n import _, current_language
from .._profile.fields import FieldSpec
from .._profile.labels import platform_label, question
from .._profile.model import field_specs
from .relevance import relevant_fields

__all__ = [
    "DONT_KNOW",
    "HELP",
    "Answer",
    "choices_help",
    "explain_field",
    "next_question",
    "parse_answer",
    "parse_checklist",
    "show_value",
]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DONT_KNOW = _Marker("DONT_KNOW")
HELP = _Marker("HELP")
Answer = object  # a valid value, DONT_KNOW or HELP

_DONT_KNOW_WORDS = {
    "0",
    "don't know",
    "dont know",
    "dk",
    "unknown",
    "-",
    "不知道",
    "不清楚",
    "未知",
}
_HELP_WORDS = {"?", "help", "帮助"}
_NONE_WORDS = {"none", "nothing", "[]", "无", "没有"}


def show_value(spec: FieldSpec, value: object) -> str:
    return spec.show(value)


def choices_help(spec: FieldSpec) -> list[str]:
    """The numbered choices shown under a question (a hint for free-text answers)."""
    if spec.kind in ("enum", "list"):
        return [f"{i}) {spec.show(v)}" for i, v in enumerate(spec.values, start=1)] + [
            "0) " + _("don't know")
        ]
    if spec.kind == "bool":
        return ["1) " + _("yes"), "2) " + _("no"), "0) " + _("don't know")]
    if spec.kind == "number":
        return [
            _("(type {expected}; 0 is an answer: type 'dk' if you don't know)").format(
                expected=spec.expected()
            )
        ]
    return []


def parse_answer(spec: FieldSpec, raw: str) -> Answer:
    """Turn what a person typed into a value, DONT_KNOW or HELP; ValueError says how to fix it.

    For a number, 0 is an answer (a firm that has not sold abroad yet has 0 years), so "don't
    know" is typed as a word ('dk', 'unknown', '-').
    """
    text = raw.strip()
    lowered = text.lower()
    if lowered in _HELP_WORDS:
        return HELP
    if lowered in _DONT_KNOW_WORDS and not (spec.kind == "number" and lowered == "0"):
        return DONT_KNOW
    if spec.is_list and lowered in _NONE_WORDS:
        return []
    return spec.parse(text)


def explain_field(advisor: Advisor, field: str) -> list[str]:
    """Why a question is asked: the recommendations and platforms that depend on the answer."""
    lang = current_language()
    readers = [r for r in advisor.rulebase.rules if field in r.fields]
    lines = [question(field, lang)]
    if not readers:
        return [*lines, _("No recommendation depends on this answer.")]
    lines.append(
        _("{count} recommendation(s) depend on this answer, for example:").format(
            count=len(readers)
        )
    )
    lines += [f"  - {r.id}: {r.text_in('title', lang)}" for r in readers[:8]]
    if len(readers) > 8:
        lines.append(_("  ... and {count} more").format(count=len(readers) - 8))
    platforms = sorted({p for r in readers for p in (*r.platforms, *r.excludes)})
    if platforms:
        names = [p if lang == "en" else f"{platform_label(p, lang)} ({p})" for p in platforms]
        lines.append(_("It can move these platforms in the ranking: ") + ", ".join(names))
    return lines


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
    if text in _HELP_WORDS:
        return HELP
    if text in _DONT_KNOW_WORDS:
        return DONT_KNOW
    if text in _NONE_WORDS:
        return dict.fromkeys(fields, False)
    chosen: set[str] = set()
    for token in [t for t in text.replace(";", ",").replace(" ", ",").split(",") if t]:
        if not token.isdigit() or not 1 <= int(token) <= len(fields):
            raise ValueError(
                _(
                    "'{token}' is not a choice: type the numbers (1 to {count}) of the statements "
                    "that are true, 'none', 0 for don't know, or ? for help"
                ).format(token=token, count=len(fields))
            )
        chosen.add(fields[int(token) - 1])
    return {f: f in chosen for f in fields}
