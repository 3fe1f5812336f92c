"""The one-screen summary: where to sell, what to do first, what is still open.

At most 40 lines at 80 columns: the platforms to use and to avoid with one line of why each, the
first actions (at most 7, platform choice aside: the first section covers it) in priority order,
what could not be assessed, and the three questions that would change the advice most. Human
words throughout; rule ids only in small print after an action.
"""

from __future__ import annotations

from .._advice.models import Advice, PlatformScore
from .._i18n import N_, _, ngettext, using
from .common import and_join, platform_name, tidy
from .escape import terminal
from .wrap import display_width, has_wide, wrap_wide

__all__ = ["MAX_ACTIONS", "avoid_platforms", "render_summary"]

MAX_ACTIONS = 7
MAX_QUESTIONS = 3
#: How each horizon is named at the head of an action.
HORIZON_NAMES = {"now": N_("Now"), "next": N_("Next"), "later": N_("Later")}


def _line(text: str, width: int, indent: str = "  ", more: str = "     ") -> list[str]:
    return wrap_wide(
        tidy(" ".join(terminal(text).split())),
        width,
        initial_indent=indent,
        subsequent_indent=more,
        break_long_words=False,
    ) or [indent]


#: Where a clause ends, in English and in Chinese.
_CLAUSE_MARKS = ("; ", " (", ": ", ", ", "；", "（", "：", "，")


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` columns (a Chinese character takes two), at a clause boundary
    where there is one."""
    text = " ".join(text.split()).rstrip(".。")
    if display_width(text) <= limit:
        return text
    cut = _fit(text, limit)
    for mark in _CLAUSE_MARKS:
        head = cut.rsplit(mark, 1)[0]
        if display_width(head) >= limit // 3 and head != cut:
            return head.rstrip(" ,;:，；：")
    if has_wide(cut):
        return _fit(text, limit - 2).rstrip(" ,;:，；：") + "…"
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _fit(text: str, limit: int) -> str:
    """The longest start of ``text`` at most ``limit`` columns wide."""
    used = 0
    for i, char in enumerate(text):
        used += display_width(char)
        if used > limit:
            return text[:i]
    return text


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
        " " + _("(our knowledge places it in your markets, not the papers)")
        if p.presence == "flagged"
        else ""
    )
    return f"{reason}{flagged}"


def _platforms(advice: Advice, width: int, style: dict[str, str]) -> list[str]:
    titles = {r.rule_id: r.title for r in advice.recommendations}
    scored = [p for p in advice.platforms if p.eligible and p.score is not None and p.score > 0]
    out = [f"{style['h']}" + _("Where to sell") + f"{style['x']}"]
    best = advice.top_platforms
    if len(best) > 1:
        names = and_join([platform_name(p) for p in best])
        out += _line(
            _("{platforms} are tied for first place: weigh both.").format(platforms=names), width
        )
    for p in scored[:3]:
        lead = (
            _("Use {platform} (score {score}): {why}.")
            if p.platform in best
            else _("Also consider {platform} (score {score}): {why}.")
        )
        why = _short(_why(p, titles), 120)
        out += _line(
            lead.format(platform=platform_name(p.platform), score=f"{p.score:g}", why=why), width
        )
    if not scored:
        out += _line(_("No platform stands out for your answers yet."), width)
    for p in avoid_platforms(advice):
        reason = _short(p.excluded_by[0].reason, 110)
        out += _line(
            _("Avoid {platform}: {why}.").format(platform=platform_name(p.platform), why=reason),
            width,
        )
    return out


def _actions(advice: Advice, width: int, style: dict[str, str]) -> list[str]:
    todo = [a for a in advice.actions if a.category != "platform"][:MAX_ACTIONS]
    if not todo:
        return []
    out = [f"{style['h']}" + _("What to do first") + f"{style['x']}"]
    for i, action in enumerate(todo, start=1):
        out += _line(
            _("{number}. {horizon}: {title} ({rule})").format(
                number=i,
                horizon=_(HORIZON_NAMES[action.horizon]),
                title=action.title,
                rule=action.rule_id,
            ),
            width,
            more="     ",
        )
    return out


def _open(advice: Advice, width: int, style: dict[str, str]) -> list[str]:
    out: list[str] = []
    pending = {m.category for m in advice.may_apply}
    for area in advice.silent_areas:
        why = (
            _("{area}: nothing yet; answer the questions below.")
            if area.category in pending
            else _("{area}: the papers have no advice of this kind for your answers.")
        )
        out += _line(why.format(area=area.title), width)
    if advice.may_apply:
        out += _line(
            ngettext(
                "{count} more recommendations may apply. Answer these first:",
                "{count} more recommendations may apply. Answer these first:",
                len(advice.may_apply),
            ).format(count=len(advice.may_apply)),
            width,
        )
        for i, q in enumerate(advice.open_questions[:MAX_QUESTIONS], start=1):
            out += _line(f"{i}. {q.question}", width, indent="     ", more="        ")
    return [f"{style['h']}" + _("Not yet assessed") + f"{style['x']}", *out] if out else []


def render_summary(
    advice: Advice, width: int = 80, color: bool = False, lang: str | None = None
) -> str:
    """The summary as text for a terminal ``width`` columns wide (bold headings if ``color``),
    in ``lang`` (None: the current language)."""
    with using(lang):
        return _render_summary(advice, width, color)


def _render_summary(advice: Advice, width: int, color: bool) -> str:
    style = {"h": "\x1b[1m", "x": "\x1b[0m"} if color else {"h": "", "x": ""}
    title = (
        _("CROSS-BORDER E-COMMERCE ADVICE FOR {client}").format(client=advice.client.upper())
        if advice.client
        else _("CROSS-BORDER E-COMMERCE ADVICE")
    )
    out = [f"{style['h']}{terminal(title)}{style['x']}", ""]
    for section in (
        _platforms(advice, width, style),
        _actions(advice, width, style),
        _open(advice, width, style),
    ):
        if section:
            out += [*section, ""]
    out += _line(
        _("The full advice, with every source and quote: add --detail (or -f markdown, html)."),
        width,
        indent="",
        more="",
    )
    return "\n".join(out) + "\n"
