"""The advice and its renderings in Simplified Chinese: every bundled scenario in table,
Markdown, summary and HTML carries the rules' Chinese texts (not their English), quotes stay in
English, the summary still fits 40 lines at 80 columns, and English output is untouched."""

from __future__ import annotations

import ast
import html as _html
import re
from pathlib import Path

import pytest

from tests.conftest import GOLDEN_YEAR, ROOT, SCENARIOS
from xbec_advisor import advise, render
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._advice.models import Advice
from xbec_advisor._i18n import current_language, using
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._render.summary import render_summary
from xbec_advisor._render.wrap import display_width, space_cjk, wrap_wide
from xbec_advisor._rulebase.frameworks import chinese_amount

FORMATS = ("table", "markdown", "html")


def _flat(text: str) -> str:
    """Text without white space or Markdown's backslashes, HTML entities decoded: what a reader
    sees, whatever the wrapping and escaping."""
    return re.sub(r"\s+|\\", "", _html.unescape(text))


@pytest.fixture(scope="module")
def both(advisor: Advisor) -> dict[str, tuple[Advice, Advice]]:
    return {
        p.stem: (
            advisor.advise(load_profile_file(p), as_of=GOLDEN_YEAR, lang="en"),
            advisor.advise(load_profile_file(p), as_of=GOLDEN_YEAR, lang="zh"),
        )
        for p in SCENARIOS
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_scenario_renders_the_rules_in_chinese(
    both: dict[str, tuple[Advice, Advice]], path: Path, fmt: str
) -> None:
    en, zh = both[path.stem]
    text = render(zh, fmt, lang="zh")
    flat = _flat(text)
    assert zh.recommendations, "a scenario with no advice tests nothing"
    for english, chinese in zip(en.recommendations, zh.recommendations, strict=True):
        assert english.rule_id == chinese.rule_id
        assert english.title != chinese.title
        assert _flat(space_cjk(chinese.title)) in flat, (chinese.rule_id, chinese.title)
        assert english.title not in text, (english.rule_id, english.title)
        quote = chinese.citations[0].quote
        assert quote == english.citations[0].quote  # quotes are citations: never translated
        assert _flat(quote) in flat, (chinese.rule_id, quote)
    for heading in ("PLATFORM RANKING", "Platform ranking", "Recommendations in detail", "Why:"):
        assert heading not in text


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_chinese_summary_fits_one_screen(
    both: dict[str, tuple[Advice, Advice]], path: Path
) -> None:
    _, zh = both[path.stem]
    text = render_summary(zh, width=80, lang="zh")
    lines = text.splitlines()
    assert len(lines) <= 40, text
    assert max(display_width(line) for line in lines) <= 80, text
    assert "Where to sell" not in text and "在哪里销售" in text
    flat = _flat(text)
    for action in [a for a in zh.actions if a.category != "platform"][:3]:
        assert _flat(space_cjk(action.title)) in flat, action.title
    for line in lines:
        assert not line.lstrip().startswith(("，", "。", "、", "；", "：", "）")), line


def test_english_is_the_default_and_unchanged(both: dict[str, tuple[Advice, Advice]]) -> None:
    en, _ = both["beauty-live-indonesia"]
    assert current_language() == "en"
    plain = advise(load_profile_file(ROOT / "scenarios" / "beauty-live-indonesia.yaml"))
    assert [r.title for r in plain.recommendations] == [r.title for r in en.recommendations]
    for fmt in (*FORMATS, "json"):
        assert render(en, fmt) == render(en, fmt, lang="en")
    assert '<html lang="en">' in render(en, "html")
    assert render_summary(en).startswith("CROSS-BORDER E-COMMERCE ADVICE")


def test_the_language_of_the_context_is_used(advisor: Advisor) -> None:
    profile = load_profile_file(ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml")
    with using("zh"):
        inside = advisor.advise(profile)
        text = render(inside, "table")
    outside = advisor.advise(profile)
    assert inside.recommendations[0].title != outside.recommendations[0].title
    assert "平台排名" in text
    assert render(outside, "table").count("PLATFORM RANKING") == 1


def test_caches_keep_each_language_apart(advisor: Advisor) -> None:
    profile = load_profile_file(ROOT / "scenarios" / "tmall-ineligible-mainland.yaml")
    first = advisor.advise(profile, lang="en")
    advisor.advise(profile, lang="zh")
    again = advisor.advise(profile, lang="en")
    assert first.model_dump() == again.model_dump()
    # an evaluation made in English, its advice asked in Chinese: the platform rows follow
    evaluation = advisor.evaluate(profile)
    with using("zh"):
        zh = advisor.advice_of(evaluation, GOLDEN_YEAR)
    excluded = [p for p in zh.platforms if p.excluded_by]
    assert excluded and all(
        re.search(r"[\u4e00-\u9fff]", p.excluded_by[0].reason) for p in excluded
    )
    assert all(
        re.search(r"[\u4e00-\u9fff]", p.presence_note) for p in zh.platforms if p.presence_note
    )


def test_chinese_json_keeps_ids_and_keys(both: dict[str, tuple[Advice, Advice]]) -> None:
    import json

    en, zh = both["cn-toys-tiktok-shop-th-vn"]
    a, b = json.loads(render(en, "json")), json.loads(render(zh, "json", lang="zh"))
    assert a.keys() == b.keys()
    assert [p["platform"] for p in a["platforms"]] == [p["platform"] for p in b["platforms"]]
    assert [r["rule_id"] for r in a["recommendations"]] == [
        r["rule_id"] for r in b["recommendations"]
    ]
    assert a["recommendations"][0]["title"] != b["recommendations"][0]["title"]


def test_chinese_report_page(both: dict[str, tuple[Advice, Advice]]) -> None:
    _, zh = both["kr-mother-baby-jd-vs-tmall"]
    page = render(zh, "html", lang="zh")
    assert '<html lang="zh-Hans">' in page
    assert '"Noto Sans CJK SC"' in page
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)
    assert '"第 " counter(page) " 页，共 " counter(pages) " 页"' in page


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (200, "十亿美元", "2000 亿美元"),
        (1.2, "万亿美元", "1.2 万亿美元"),
        (300, "百万活跃客户", "3 亿活跃客户"),
        (222, "百万用户", "2.22 亿用户"),
        (300000, "观看人数", "30 万观看人数"),
        (1000, "名粉丝", "1000 名粉丝"),
        (31.7, "%", "31.7%"),
        (77, "十亿", "770 亿"),
    ],
)
def test_chinese_amounts_read_naturally(value: float, unit: str, expected: str) -> None:
    assert chinese_amount(value, unit) == expected


def test_figures_in_chinese_advice(both: dict[str, tuple[Advice, Advice]]) -> None:
    texts = [r.advice + r.rationale for pair in both.values() for r in pair[1].recommendations]
    joined = "".join(texts)
    assert "十亿" not in joined and "{figure" not in joined
    assert re.search(r"\d+(\.\d+)? (万亿|亿)美元（", joined)


def test_wide_wrapping() -> None:
    text = "论文将阿里巴巴国际站描述为跨境 B2B 模式的平台，出口企业通过它寻找海外客户。" * 4
    lines = wrap_wide(text, 30, initial_indent="  ", subsequent_indent="    ")
    assert all(display_width(line) <= 30 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert "B2B" in "".join(lines)  # a Latin word is never cut
    assert not any(line.strip().startswith(("，", "。")) for line in lines)
    english = "The papers place Shopee in your market (zou-live-sea §1) and more " * 3
    import textwrap

    assert wrap_wide(english, 40) == textwrap.wrap(english, 40)


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel does not extract ``_("...")`` written inside an f-string: such a message would
    never reach the catalogue, and stay English."""
    found = []
    for path in sorted((ROOT / "xbec_advisor").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "ngettext")
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert found == [], found


def test_chinese_portfolio(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from xbec_advisor._cli import main

    target = tmp_path / "portfolio.html"
    args = ["score", str(ROOT / "scenarios"), "-f", "html", "-o", str(target), "-j", "1"]
    with using("zh"):
        out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    page = target.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page
    for heading in ("企业组合", "概览", "最常见的建议", "扎根理论模型中最薄弱的维度"):
        assert heading in page
    for english in ("Portfolio of firms", "Overview", "Most frequent recommendations"):
        assert english not in page
