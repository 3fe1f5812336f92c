"""Every command that prints for people, run with ``--lang zh``: no English left in the interface.

"English left" is defined in :mod:`tests.english_left` (a run of two or more English words on a
line, once verbatim quotes, ids, brand names, paper titles and authors, URLs, paths and numbers
are taken out). A failure lists every offending line with the command that printed it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SCENARIOS
from tests.english_left import check_all, english_left, html_lang, is_quotation, visible_text
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._cli import main

#: At most this many offending lines are printed in a failure (the count is always given).
SHOWN = 60


def _run(*args: str, input: str | None = None, ok: tuple[int, ...] = (0,)) -> str:
    """The output (standard output and error) of ``xbec-advisor ARGS --lang zh``."""
    result = CliRunner().invoke(main, [*args, "--lang", "zh"], input=input, env={"XBEC_LANG": ""})
    assert result.exit_code in ok, f"{' '.join(args)}: exit {result.exit_code}\n{result.output}"
    return result.output


def _assert_chinese(outputs: list[tuple[str, str]], problems: tuple[str, ...] = ()) -> None:
    left = [*problems, *check_all(outputs)]
    shown = "\n".join(left[:SHOWN])
    more = f"\n... and {len(left) - SHOWN} more" if len(left) > SHOWN else ""
    assert not left, f"{len(left)} line(s) with English left in the interface:\n{shown}{more}"


def _lang_problem(where: str, page: str) -> tuple[str, ...]:
    """The page's language must be declared as Simplified Chinese (for fonts and screen readers)."""
    lang = html_lang(page)
    return () if lang == "zh-Hans" else (f'{where}: <html lang="{lang}">, not "zh-Hans"',)


def _where(*args: str) -> str:
    return "xbec-advisor " + " ".join(a.replace(str(ROOT) + "/", "") for a in args) + " --lang zh"


# -- the check itself can fail ---------------------------------------------------------------


def test_the_check_fails_on_english_output() -> None:
    scenario = str(SCENARIOS[0])
    result = CliRunner().invoke(main, ["advise", scenario, "--detail", "--lang", "en"])
    assert result.exit_code == 0
    left = english_left(result.output, "advise --lang en")
    assert len(left) >= 20, "\n".join(left)
    page = CliRunner().invoke(main, ["advise", scenario, "-f", "html", "--lang", "en"]).output
    assert len(english_left(visible_text(page), "advise -f html --lang en")) >= 20
    assert _lang_problem("advise -f html --lang en", page)


@pytest.mark.parametrize(
    "line",
    [
        "Use Amazon (score 2): 把亚马逊作为主渠道",  # a brand does not split a run
        "PLATFORM RANKING",
        "来源：cai-tiktok-amazon §4.2：“This sentence is in no paper at all”",
        "- may apply: [MKT-401] 同时在多个渠道开展营销",
        "6 more recommendations may apply",
    ],
)
def test_english_lines_fail(line: str) -> None:
    assert english_left(line, "probe"), line


@pytest.mark.parametrize(
    "text",
    [
        # a quote wrapped over two lines, as the terminal table prints it
        "来源：cai-tiktok-amazon §4.2：“The most important thing for a brand to go abroad is to\n"
        "    understand the local culture.”",
        "在 TikTok Shop 和 Alibaba.com 上销售（PLAT-102，B2B，SWOT）",
        "运行 `xbec-advisor ask --resume` 继续；xbec-advisor advise firm.yaml --lang zh",
        "--set payment_modes=credit_card,local_ewallet：付款方式",
        "见 https://example.org/x 和 docs/rules.md",
    ],
)
def test_allowed_texts_pass(text: str) -> None:
    assert not english_left(text, "probe")


def test_a_shortened_quote_is_a_quote_and_an_invented_one_is_not() -> None:
    assert is_quotation("The most important thing for a brand … understand the local culture.")
    assert not is_quotation("The most important thing for a seller is a low price")


def test_visible_text_of_a_page() -> None:
    page = (
        '<html lang="zh-Hans"><head><style>body { font-family: "Noto Sans CJK SC" }</style>'
        "</head><body><h1>建议</h1><p>Hello <b>there</b></p></body></html>"
    )
    assert visible_text(page) == "建议\nHello there"
    assert html_lang(page) == "zh-Hans"


# -- advise: every bundled scenario in every human format --------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_scenario_in_chinese(scenario: Path) -> None:
    outputs = []
    for extra in ([], ["--detail"], ["-f", "table", "--detail"], ["-f", "markdown"]):
        args = ("advise", str(scenario), *extra)
        outputs.append((_where(*args), _run(*args)))
    page = _run("advise", str(scenario), "-f", "html")
    where = _where("advise", str(scenario), "-f", "html")
    outputs.append((where, visible_text(page)))
    _assert_chinese(outputs, _lang_problem(where, page))


# -- the other commands that print for people ---------------------------------------------------


def _scenario(name: str) -> str:
    return str(ROOT / "scenarios" / f"{name}.yaml")


COMMANDS: dict[str, tuple[str, ...]] = {
    "advise --explain": ("advise", _scenario("beauty-live-indonesia"), "--explain"),
    "why-not platform": ("why-not", _scenario("jewellery-b2b-alibaba"), "tiktok_shop"),
    "why-not rule": ("why-not", _scenario("b2b-no-content"), "LOG-101"),
    "what-if": ("what-if", _scenario("b2b-no-content")),
    "what-if --set": (
        "what-if",
        _scenario("beauty-live-indonesia"),
        "--set",
        "payment_modes=credit_card,local_ewallet",
    ),
    "compare": (
        "compare",
        _scenario("beauty-live-indonesia"),
        _scenario("shopee-multi-country-sea"),
    ),
    "sensitivity": ("sensitivity", _scenario("beauty-live-indonesia")),
    "score table": ("score", str(ROOT / "scenarios"), "-j", "1", "-f", "table"),
    "score markdown": ("score", str(ROOT / "scenarios"), "-j", "1", "-f", "markdown"),
    "score table --sensitivity": (
        "score",
        _scenario("beauty-live-indonesia"),
        "-j",
        "1",
        "--sensitivity",
    ),
    "rules list": ("rules", "list"),
    "rules catalogue": ("rules", "catalogue"),
}


@pytest.mark.parametrize("args", COMMANDS.values(), ids=list(COMMANDS))
def test_command_in_chinese(args: tuple[str, ...]) -> None:
    _assert_chinese([(_where(*args), _run(*args))])


def test_score_html_in_chinese(tmp_path: Path) -> None:
    """The portfolio page and the report of each firm written beside it."""
    target = tmp_path / "portfolio.html"
    args = ("score", str(ROOT / "scenarios"), "-j", "1", "-f", "html", "-o", str(target))
    _run(*args)
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) > len(SCENARIOS), pages  # the portfolio and a page per firm
    outputs, problems = [], []
    for page in pages:
        html = page.read_text("utf-8")
        where = f"{_where(*args[:-1], 'portfolio.html')} [{page.relative_to(tmp_path)}]"
        outputs.append((where, visible_text(html)))
        problems += _lang_problem(where, html)
    _assert_chinese(outputs, tuple(problems))


def _rule_ids() -> Iterator[str]:
    for path in sorted((ROOT / "rules").glob("*/*.yaml")):
        if path.parent.name not in ("derived", "frameworks"):
            yield path.stem


def test_rules_show_every_rule_in_chinese(advisor: Advisor) -> None:
    rules = {r.id: r for r in advisor.rulebase.rules}
    ids = list(_rule_ids())
    assert len(ids) > 100 and set(ids) <= set(rules)
    left = []
    for rule_id in ids:
        # developer notes are never translated (docs/rule-format.md, Translations); the names
        # of the rule's examples are ids
        rule = rules[rule_id]
        verbatim = [*rule.notes, *(example.name for example in rule.examples)]
        where = _where("rules", "show", rule_id)
        left += english_left(_run("rules", "show", rule_id), where, verbatim)
    _assert_chinese([], tuple(left))


def test_ask_first_question_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XBEC_ADVISOR_CACHE_DIR", str(tmp_path))  # its recovery file
    # an answer that matches nothing, then the end of the input: the question, the refusal
    # (naming the closest choices) and the message saying where the answers are kept
    text = _run("ask", input="火星\n", ok=(2,))
    assert "1. " in text and "\n  > " in text and text.count("火星") >= 1
    _assert_chinese([(_where("ask"), text)])


def test_template_in_chinese(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _run("template", "-o", str(tmp_path / "clients.csv"))
    header = next(csv.reader(io.StringIO((tmp_path / "clients.csv").read_text("utf-8-sig"))))
    outputs = [(_where("template", "-o", "clients.csv"), "\n".join(header))]
    _run("template", "-o", str(tmp_path / "clients.xlsx"))
    book = load_workbook(tmp_path / "clients.xlsx")
    for sheet in book.worksheets:
        cells = [sheet.title] + [
            str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
        ]
        cells += [c.comment.text for row in sheet.iter_rows() for c in row if c.comment]
        outputs.append(
            (_where("template", "-o", f"clients.xlsx [{sheet.title}]"), "\n".join(cells))
        )
    _assert_chinese(outputs)
