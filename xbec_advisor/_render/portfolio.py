"""``score --format html``: a portfolio report across the firms of a batch, for a consultant.

The report (``portfolio.html``) shows how the firms split by best platform, the recommendations
given most often, the grounded-theory model's weakest dimensions and categories across the
portfolio, then a section per firm with its one-page summary and a link to its full advice. The
full advice of each firm is its client report (``advise -f html``), one self-contained page per
firm in a folder beside the report (``portfolio_files/<firm>.html``): a portfolio of 10,000
firms stays a report a browser opens at once, and each client's page can be handed over alone.

Everything is written as the results arrive, so memory stays flat: each firm's page goes to the
folder, its section to a temporary file, and only counts are kept (per platform, rule and
category: bounded by the rule base). At the end the report is assembled, the folder put in
place (built under a temporary name, then renamed; a previous folder of the same report is
replaced whole: :mod:`xbec_advisor._io.folders`) and the report written atomically. A folder of
that name that this command did not write is never touched: the run is refused before any work.
File names come from the firms' ids, made safe (letters, digits, ``.``, ``_``, ``-``),
collisions numbered. Every text from the
input is escaped (:mod:`.escape`); the CSS is inline, the charts are SVG: no script, no network.
"""

from __future__ import annotations

import datetime
import html as _html
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

from .._errors import OutputError
from .._i18n import _, current_language, ngettext
from .._io.atomic import atomic_output, output_path
from .._io.folders import FolderBuild, check_replaceable
from .._profile.labels import fact_label, field_label, platform_label
from .._rulebase.load import RuleBase
from .._rulebase.models import CATEGORY_TITLES
from .html import HTML_LANG, format_day
from .html_parts import bar_chart, css, e

if TYPE_CHECKING:  # the batch's results; _render does not depend on _batch at run time
    from .._batch.scoring import Result

__all__ = ["MARKER", "check_folder", "folder_of", "safe_name", "write_portfolio"]

#: The file that marks a folder of firm reports as written by this command.
MARKER = ".xbec-portfolio"
#: Recommendations listed among the most frequent.
TOP_RECOMMENDATIONS = 15
_MAX_NAME = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder_of(output: Path | str) -> Path:
    """The folder of firm reports beside ``output`` (``portfolio.html``: ``portfolio_files``)."""
    target = Path(output)
    return target.with_name(f"{target.stem}_files")


def check_folder(output: Path | str, inputs: Iterable[Path | str] = ()) -> None:
    """Refuse, before any work, a folder of firm reports that cannot be replaced: a file, or a
    folder this command did not write, or one that holds an input."""
    folder = folder_of(output_path(output))
    check_replaceable(folder, MARKER, folder_of(Path(output)))
    inside = Path(os.path.realpath(folder))
    for source in inputs:
        if Path(os.path.realpath(source)).is_relative_to(inside):
            raise OutputError(
                f"{source}: is inside {folder}, which this report replaces: move the input, "
                "or choose another output name"
            )


def safe_name(rid: str, used: set[str]) -> str:
    """A file name (``.html``) for a firm's id: safe characters only, at most the last 80, never
    hidden, unique among ``used`` (compared without case, as some file systems do)."""
    # the end of a long id is kept: it tells firms apart (file.csv:12, the file's name)
    stem = _UNSAFE.sub("_", rid)[-_MAX_NAME:].strip("._") or "firm"
    name, n = stem, 1
    while f"{name}.html".lower() in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(f"{name}.html".lower())
    return f"{name}.html"


class _Tally:
    """What the overview counts across the firms (bounded by the rule base, not the firms)."""

    def __init__(self) -> None:
        self.ok = self.failed = 0
        self.best: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.weak: Counter[str] = Counter()
        self.weak_dimensions: Counter[str] = Counter()
        self.signals: dict[str, Counter[str]] = {}

    def add(self, r: Result, rulebase: RuleBase) -> None:
        if not r.ok:
            self.failed += 1
            return
        self.ok += 1
        self.best[_best(r)] += 1
        self.rules.update(r.fired)
        grounded = rulebase.grounded
        dimensions = set()
        for code, signals in r.weak:
            self.weak[code] += 1
            self.signals.setdefault(code, Counter()).update(signals)
            if grounded is not None:
                dimensions.add(grounded.dimension_of(code))
        self.weak_dimensions.update(dimensions)


def _best(r: Result) -> str:
    """The firm's best platform (by name), or why there is none."""
    if not r.top or r.top[0][1] <= 0:
        return _("No platform stands out")
    if len(r.top) > 1 and r.top[1][1] == r.top[0][1]:
        return _("Tied for first place")
    return platform_label(r.top[0][0], current_language())


def _section(r: Result, number_: int, link: str) -> str:
    lang = current_language()
    title = r.name or r.id
    ident = f' <span class="id">{e(r.id)}</span>' if r.name else ""
    best = (
        e(
            _("{platform} (score {score})").format(
                platform=platform_label(r.top[0][0], lang), score=f"{r.top[0][1]:g}"
            )
        )
        if r.top and r.top[0][1] > 0
        else e(_("none stands out"))
    )
    answers = _(", ").join(field_label(f, lang) for f in r.influential)
    influential = (
        "<p>" + e(_("Answers that matter most: {fields}.").format(fields=answers)) + "</p>"
        if r.influential
        else ""
    )
    count = ngettext("{count} recommendation", "{count} recommendations", len(r.fired)).format(
        count=len(r.fired)
    )
    return (
        f'<section class="firm" id="firm-{number_}"><h2>{e(title)}{ident}</h2>'
        f'<p class="meta">' + e(_("Best platform:")) + f" {best} · {e(count)} · "
        f'<a href="{e(link)}">'
        + e(_("Full advice"))
        + f"</a></p>{r.summary_html or ''}{influential}"
        "</section>\n"
    )


def _overview(t: _Tally, rulebase: RuleBase, titles: dict[str, str]) -> list[str]:
    total = t.ok + t.failed
    counts = (
        _("{total} firms: {ok} scored, {failed} could not be scored (listed at the end).")
        if t.failed
        else _("{total} firms: {ok} scored, {failed} could not be scored.")
    ).format(total=f"{total:,}", ok=f"{t.ok:,}", failed=f"{t.failed:,}")
    out = ["<section><h2>" + e(_("Overview")) + "</h2>", f"<p>{e(counts)}</p>"]
    if t.ok:
        bars = [(name, float(n), True) for name, n in t.best.most_common()]
        out += [
            "<h3>" + e(_("Best platform")) + "</h3>",
            bar_chart(bars, _("firms by best platform")),
            "<p class=muted>"
            + e(_("Firms by the platform with the highest score for them."))
            + "</p>",
        ]
    out.append("</section>")
    if t.rules:
        categories = {r.id: r.category for r in rulebase.rules}
        rows = "".join(
            f"<tr><td>{n:,} ({100 * n / t.ok:.0f}%)</td><td>{e(titles.get(rid, rid))} "
            f'<span class="id">{e(rid)}</span></td>'
            f"<td>{e(_area(categories.get(rid, '')))}</td></tr>"
            for rid, n in sorted(t.rules.items(), key=lambda kv: (-kv[1], kv[0]))[
                :TOP_RECOMMENDATIONS
            ]
        )
        head = _heads(_("firms"), _("recommendation"), _("area"))
        out += [
            "<section><h2>" + e(_("Most frequent recommendations")) + "</h2>",
            '<table class="freq"><colgroup><col style="width:8rem"><col>'
            '<col style="width:10rem"></colgroup>'
            f"<tr>{head}</tr>{rows}</table>",
            "</section>",
        ]
    out += _weak(t, rulebase)
    return out


def _weak(t: _Tally, rulebase: RuleBase) -> list[str]:
    grounded = rulebase.grounded
    if grounded is None or not t.ok:
        return []
    lang = current_language()

    def name(code: str) -> str:
        return rulebase.grounded_text(code, "name", lang)

    bars = [
        (f"{code} {name(code)}", float(t.weak_dimensions.get(code, 0)), True)
        for code in grounded.dimensions
    ]
    rows = []
    for code, n in sorted(t.weak.items(), key=lambda kv: (-kv[1], kv[0])):
        dim = grounded.dimension_of(code)
        signals = _(", ").join(
            f"{fact_label(s, lang)} ({c:,})"
            for s, c in t.signals.get(code, Counter()).most_common(3)
        )
        rows.append(
            f"<tr><td>{e(code)} {e(name(code))}</td><td>{e(dim)} "
            f"{e(name(dim))}</td><td>{n:,} ({100 * n / t.ok:.0f}%)</td>"
            f"<td>{e(signals)}</td></tr>"
        )
    head = _heads(_("category"), _("dimension"), _("firms"), _("most frequent signs"))
    table = (
        '<table><colgroup><col><col><col style="width:8rem"><col></colgroup>'
        f"<tr>{head}</tr>"
        f"{''.join(rows)}</table>"
        if rows
        else "<p>" + e(_("No weak point found in any firm.")) + "</p>"
    )
    return [
        "<section><h2>" + e(_("Weakest dimensions of the grounded-theory model")) + "</h2>",
        bar_chart(bars, _("firms with a weak point, per dimension")),
        "<p class=muted>{}</p>".format(
            e(
                _(
                    "Firms whose answers show a weak point in each main category (A1-A5) "
                    "of the grounded-theory model; below, per category (B1-B12), with the signs "
                    "found most often."
                )
            )
        ),
        table,
        "</section>",
    ]


def _heads(*names: str) -> str:
    """A table's header cells."""
    return "".join(f"<th>{e(n)}</th>" for n in names)


def _area(category: str) -> str:
    """A category's title in the current language ('' for an unknown category)."""
    return _(CATEGORY_TITLES[category]) if category in CATEGORY_TITLES else ""


def _page_head(title: str, paper: str) -> str:
    from importlib import resources

    extra = resources.files(__package__).joinpath("portfolio.css").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html><html lang="{HTML_LANG[current_language()]}"><head>'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{css(paper)}\n{extra}</style></head><body>\n"
    )


def _copy(source: TextIO, out: TextIO) -> None:
    source.seek(0)
    shutil.copyfileobj(source, out)


def _write_index(
    out: TextIO,
    tally: _Tally,
    rulebase: RuleBase,
    titles: dict[str, str],
    sections: TextIO,
    errors: TextIO,
    paper: str,
) -> None:
    """The report: the overview, then the firms' sections and the failed firms (spooled)."""
    out.write(_page_head(_("Portfolio: cross-border e-commerce advice"), paper))
    prepared = _(
        "prepared by xbec-advisor from five research papers; each firm's full advice is linked "
        "from its section"
    )
    out.write(
        '<header class="cover"><p class="kicker">'
        + e(_("Cross-border e-commerce strategy"))
        + "</p>"
        "<h1>" + e(_("Portfolio of firms")) + f"</h1>"
        f'<p class="meta">{_html.escape(format_day(datetime.date.today()))} · '
        f"{_html.escape(prepared, quote=False)}</p></header>\n"
    )
    out.write("\n".join(_overview(tally, rulebase, titles)) + "\n")
    if tally.ok:
        out.write('<h2 class="firms">' + e(_("Firms")) + "</h2>\n")
        _copy(sections, out)
    if tally.failed:
        out.write(
            "<section><h2>" + e(_("Firms that could not be scored")) + "</h2>"
            '<table class="errors">'
            '<colgroup><col style="width:30%"><col></colgroup>'
            "<tr>" + _heads(_("firm"), _("error")) + "</tr>\n"
        )
        _copy(errors, out)
        out.write("</table></section>\n")
    out.write("</body></html>\n")


def write_portfolio(
    results: Iterable[Result], output: Path | str, rulebase: RuleBase, paper: str = "a4"
) -> Path:
    """Write the portfolio report to ``output`` and the firms' reports to the folder beside it
    (:func:`folder_of`), as the results arrive; return the folder."""
    from .._rulebase.frameworks import fill_figures

    target = output_path(output)
    folder = folder_of(target)
    shown_folder = folder_of(Path(output))
    lang = current_language()
    titles = {
        r.id: fill_figures(r.text_in("title", lang), rulebase.figures, lang) for r in rulebase.rules
    }
    tally, used = _Tally(), {MARKER.lower()}
    note = "Written by xbec-advisor score -f html; replaced whole by the next run.\n"
    try:
        with (
            FolderBuild(folder, MARKER, note) as built,
            tempfile.TemporaryFile("w+", encoding="utf-8") as sections,
            tempfile.TemporaryFile("w+", encoding="utf-8") as errors,
        ):
            for r in results:
                tally.add(r, rulebase)
                if not r.ok:
                    errors.write(f"<tr><td>{e(r.id)}</td><td>{e(r.error or '')}</td></tr>\n")
                    continue
                name = safe_name(r.id, used)
                with open(built.path / name, "x", encoding="utf-8") as page:
                    page.write(r.report_html or "")
                link = f"{quote(folder.name)}/{quote(name)}"
                sections.write(_section(r, tally.ok + tally.failed, link))
            with atomic_output(output) as out:
                _write_index(out, tally, rulebase, titles, sections, errors, paper)
                built.commit()  # the folder first, then the report that links into it
    except OSError as exc:
        raise OutputError(
            f"{shown_folder}: cannot write: {exc.strerror or exc}; the previous report is unchanged"
        ) from None
    return shown_folder
