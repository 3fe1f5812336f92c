"""The one-screen summary: where to sell, what to do first, what is still open.

At most 40 lines at 80 columns: the platforms to use and to avoid with one line of why each, the
first actions (at most 7, platform choice aside: the first section covers it) in priority order,
what could not be assessed, and the three questions that would change the advice most. Human
words throughout; rule ids only in small print after an action.
"""

from __future__ import annotations

import textwrap

from .._advice.models import Advice, PlatformScore
from .._profile.labels import platform_label
from .escape import terminal

__all__ = ["MAX_ACTIONS", "avoid_platforms", "render_summary"]

MAX_ACTIONS = 7
MAX_QUESTIONS = 3


def _line(text: str, width: int, indent: str = "  ", more: str = "     ") -> list[str]:
    return textwrap.wrap(
        " ".join(terminal(text).split()),
        width=width,
        initial_indent=indent,
        subsequent_indent=more,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent]


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a clause boundary where there is one."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    for mark in ("; ", " (", ": ", ", "):
        head = text[:limit].rsplit(mark, 1)[0]
        if len(head) >= limit // 3 and head != text[:limit]:
            return head.rstrip(" ,;:")
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def avoid_platforms(advice: Advice) -> list[PlatformScore]:
    """Excluded platforms worth a warning: those the firm uses, then those in its markets.

    A platform a rule excludes that serves none of the firm's markets is not worth a line: the
    firm would not have considered it.
    """
    used = set(advice.profile.get("current_platforms") or [])  # type: ignore[call-overload]
    excluded = [p for p in advice.platforms if p.excluded_by]
    first = [p for p in excluded if p.platform in used]
    then = [p for p in excluded if p.platform not in used and p.presence != "not_scored"]
    return (first + then)[:2]


def _why(p: PlatformScore, titles: dict[str, str]) -> str:
    best = max(p.contributions, key=lambda c: c.points, default=None)
    reason = titles.get(best.rule_id, "") if best and best.points > 0 else ""
    flagged = (
        " (our knowledge places it in your markets, not the papers)"
        if p.presence == "flagged"
        else ""
    )
    return f"{reason}{flagged}"


def _platforms(advice: Advice, width: int, style: dict[str, str]) -> list[str]:
    titles = {r.rule_id: r.title for r in advice.recommendations}
    scored = [p for p in advice.platforms if p.eligible and p.score is not None and p.score > 0]
    out = [f"{style['h']}Where to sell{style['x']}"]
    best = advice.top_platforms
    if len(best) > 1:
        names = " and ".join(platform_label(p) for p in best)
        out += _line(f"{names} are tied for first place: weigh both.", width)
    for p in scored[:3]:
        lead = "Use" if p.platform in best else "Also consider"
        why = _short(_why(p, titles), 120)
        out += _line(f"{lead} {platform_label(p.platform)} (score {p.score:g}): {why}.", width)
    if not scored:
        out += _line("No platform stands out for your answers yet.", width)
    for p in avoid_platforms(advice):
        out += _line(
            f"Avoid {platform_label(p.platform)}: {_short(p.excluded_by[0].reason, 110)}.", width
        )
    return out


def _actions(advice: Advice, width: int, style: dict[str, str]) -> list[str]:
    todo = [a for a in advice.actions if a.category != "platform"][:MAX_ACTIONS]
    if not todo:
        return []
    out = [f"{style['h']}What to do first{style['x']}"]
    for i, action in enumerate(todo, start=1):
        out += _line(
            f"{i}. {action.horizon.capitalize()}: {action.title} ({action.rule_id})",
            width,
            more="     ",
        )
    return out


def _open(advice: Advice, width: int, style: dict[str, str]) -> list[str]:
    out: list[str] = []
    pending = {m.category for m in advice.may_apply}
    for area in advice.silent_areas:
        why = (
            "nothing yet; answer the questions below"
            if area.category in pending
            else "the papers have no advice of this kind for your answers"
        )
        out += _line(f"{area.title}: {why}.", width)
    if advice.may_apply:
        out += _line(
            f"{len(advice.may_apply)} more recommendations may apply. Answer these first:", width
        )
        for i, q in enumerate(advice.open_questions[:MAX_QUESTIONS], start=1):
            out += _line(f"{i}. {q.question}", width, indent="     ", more="        ")
    return [f"{style['h']}Not yet assessed{style['x']}", *out] if out else []


def render_summary(advice: Advice, width: int = 80, color: bool = False) -> str:
    """The summary as text for a terminal ``width`` columns wide (bold headings if ``color``)."""
    style = {"h": "\x1b[1m", "x": "\x1b[0m"} if color else {"h": "", "x": ""}
    who = f" for {advice.client}" if advice.client else ""
    out = [f"{style['h']}CROSS-BORDER E-COMMERCE ADVICE{terminal(who.upper())}{style['x']}", ""]
    for section in (
        _platforms(advice, width, style),
        _actions(advice, width, style),
        _open(advice, width, style),
    ):
        if section:
            out += [*section, ""]
    out += _line(
        "The full advice, with every source and quote: add --detail (or -f markdown, html).",
        width,
        indent="",
        more="",
    )
    return "\n".join(out) + "\n"
