"""``--lang`` and the language of the environment: every command that prints for people speaks
Simplified Chinese when asked, and English stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from xbec_advisor._cli import main
from xbec_advisor._errors import ProfileError
from xbec_advisor._i18n import using
from xbec_advisor._profile.load import load_profile_file, profile_from_data
from xbec_advisor._profile.matching import match_choice, match_country, match_language
from xbec_advisor._profile.model import field_specs

runner = CliRunner()
JEWELLERY = str(ROOT / "scenarios" / "jewellery-b2b-alibaba.yaml")
NO_CONTENT = str(ROOT / "scenarios" / "b2b-no-content.yaml")
#: No locale at all: the tests choose the language themselves.
NEUTRAL = {"XBEC_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}

#: Each command, and a text it prints in Chinese and in English.
COMMANDS = [
    (
        ["advise", JEWELLERY, "--detail", "--explain"],
        "建议是如何得出的",
        "HOW THE ADVICE WAS REACHED",
    ),
    (["why-not", JEWELLERY, "tiktok_shop"], "排名第一的是", "first is"),
    (["what-if", JEWELLERY], "贵公司可以做出的改变", "Changes your firm could make"),
    (
        ["what-if", JEWELLERY, "--set", "business_model=B2C"],
        "减少的建议",
        "Recommendations lost",
    ),
    (["compare", JEWELLERY, NO_CONTENT], "不同的回答", "Answers that differ"),
    (["sensitivity", JEWELLERY, "--top", "2"], "尝试的取值数", "values tried"),
    (["score", JEWELLERY, "--jobs", "1"], "已评分 1 份企业档案", "scored 1 profile(s)"),
    (["rules", "list", "-c", "payment"], "条规则", "rule(s)"),
    (["rules", "show", "PAY-502"], "理由：", "Rationale:"),
    (["rules", "catalogue"], "# 规则目录", "# Rule catalogue"),
]


def _ids(commands: list[tuple[list[str], str, str]]) -> list[str]:
    return [" ".join(c[0][:2]).replace(str(ROOT) + "/", "") for c in commands]


@pytest.mark.parametrize(("args", "chinese", "english"), COMMANDS, ids=_ids(COMMANDS))
def test_each_command_speaks_chinese_with_lang_zh(
    args: list[str], chinese: str, english: str
) -> None:
    result = runner.invoke(main, [*args, "--lang", "zh"], env=NEUTRAL)
    assert result.exit_code == 0, result.output
    assert chinese in result.output
    assert english not in result.output
    plain = runner.invoke(main, args, env=NEUTRAL)
    assert plain.exit_code == 0, plain.output
    assert english in plain.output and chinese not in plain.output


@pytest.mark.parametrize(
    "env",
    [
        {**NEUTRAL, "XBEC_LANG": "zh"},
        {**NEUTRAL, "LANG": "zh_CN.UTF-8"},
        {**NEUTRAL, "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"},
        {**NEUTRAL, "XBEC_LANG": "zh-Hans", "LC_ALL": "C"},
    ],
    ids=["XBEC_LANG", "LANG", "LC_MESSAGES", "XBEC_LANG-first"],
)
@pytest.mark.parametrize(("args", "chinese", "english"), COMMANDS[1:], ids=_ids(COMMANDS[1:]))
def test_the_environment_chooses_the_language(
    env: dict[str, str | None], args: list[str], chinese: str, english: str
) -> None:
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert chinese in result.output and english not in result.output
    forced = runner.invoke(main, [*args, "--lang", "en"], env=env)
    assert english in forced.output and chinese not in forced.output


@pytest.mark.parametrize(
    "args",
    [
        ["advise", JEWELLERY],
        ["ask"],
        ["why-not", JEWELLERY, "tiktok_shop"],
        ["what-if", JEWELLERY],
        ["compare", JEWELLERY, NO_CONTENT],
        ["sensitivity", JEWELLERY],
        ["score", JEWELLERY],
        ["rules", "list"],
        ["rules", "show", "PAY-502"],
        ["rules", "catalogue"],
        ["template", "-o", "t.csv"],
    ],
    ids=lambda a: a[0] if a[0] != "rules" else f"rules-{a[1]}",
)
def test_an_unknown_language_is_a_usage_error(args: list[str]) -> None:
    result = runner.invoke(main, [*args, "--lang", "xx"], env=NEUTRAL)
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.output
    assert "use one of en, zh" in result.output
    typo = runner.invoke(main, [*args, "--lang", "zhh"], env=NEUTRAL)
    assert typo.exit_code == 2 and "did you mean zh?" in typo.output
    env = runner.invoke(main, args, env={**NEUTRAL, "XBEC_LANG": "klingon"})
    assert env.exit_code == 2 and "XBEC_LANG" in env.output


def test_a_locale_of_another_language_means_english() -> None:
    result = runner.invoke(main, ["rules", "show", "PAY-502"], env={**NEUTRAL, "LANG": "fr_FR"})
    assert result.exit_code == 0 and "Rationale:" in result.output


def test_errors_raised_deep_in_the_code_come_out_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("business_model: B2X\nyears_cross_border: -2\nhome_country: Frnace\n")
    result = runner.invoke(main, ["advise", str(bad), "--lang", "zh"], env=NEUTRAL)
    assert result.exit_code == 2
    assert "错误：" in result.output and "企业档案无效" in result.output
    assert "至少为 0" in result.output  # the range of years_cross_border
    assert "不是允许的值" in result.output
    missing = runner.invoke(main, ["advise", str(tmp_path / "none.yaml"), "--lang", "zh"])
    assert missing.exit_code == 2


def test_score_reports_bad_rows_in_chinese_from_worker_processes(tmp_path: Path) -> None:
    folder = tmp_path / "firms"
    folder.mkdir()
    for n in range(3):
        (folder / f"ok{n}.yaml").write_text("business_model: B2B\n")
    (folder / "bad.yaml").write_text("years_cross_border: -2\n")
    result = runner.invoke(
        main, ["score", str(folder), "--jobs", "2", "--lang", "zh", "-f", "csv"], env=NEUTRAL
    )
    assert result.exit_code == 1
    assert "企业档案无效" in result.output and "至少为 0" in result.output
    assert "已评分 3 份企业档案，1 份失败" in result.output


def test_score_names_the_closest_columns_in_chinese(tmp_path: Path) -> None:
    sheet = tmp_path / "firms.csv"
    sheet.write_text("编号,商业模型\nf1,B2B\n", encoding="utf-8")
    result = runner.invoke(main, ["score", str(sheet), "--lang", "zh"], env=NEUTRAL)
    assert result.exit_code == 1
    assert "无法识别的列 '商业模型'" in result.output
    assert "'商业模式' (business_model)" in result.output  # the label in Chinese, and the id


def test_the_human_score_table_has_chinese_headers() -> None:
    result = runner.invoke(main, ["score", JEWELLERY, "-j", "1", "--lang", "zh"], env=NEUTRAL)
    header = next(line for line in result.output.splitlines() if line.startswith("编号"))
    assert "状态" in header and "平台 1" in header and "支付" in header
    assert "阿里巴巴国际站" in result.output
    json_out = runner.invoke(main, ["score", JEWELLERY, "-j", "1", "-f", "json", "--lang", "zh"])
    assert '"platform_1": "alibaba_com"' in json_out.output  # ids stay ids in JSON


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_chinese_template_is_read_back_by_score(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"clients{suffix}"
    made = runner.invoke(main, ["template", "-o", str(target), "--lang", "zh"], env=NEUTRAL)
    assert made.exit_code == 0, made.output
    assert "已写入" in made.output
    if suffix == ".csv":
        header = target.read_text(encoding="utf-8-sig").splitlines()[0]
        assert header.startswith("编号,名称,商业模式,贸易方向")
    scored = runner.invoke(main, ["score", str(target), "-f", "csv", "--lang", "zh"])
    assert scored.exit_code == 0, scored.output
    assert "example-1,ok,tmall_global" in scored.output


def test_the_chinese_template_explains_every_column_in_chinese(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    target = tmp_path / "clients.xlsx"
    runner.invoke(main, ["template", "-o", str(target), "--lang", "zh"], env=NEUTRAL)
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names[:2] == ["客户", "填写说明"]
    guide = book.get_sheet_by_name("填写说明").to_python()
    assert guide[0] == ["列", "字段编号", "问题", "允许的值"]
    by_field = {row[1]: row for row in guide[1:] if len(row) > 1}
    assert by_field["business_model"][0] == "商业模式"
    assert "B2B：面向企业销售" in by_field["business_model"][3]
    assert by_field["home_country"][2].startswith("您的公司在哪个国家注册")


# -- the questionnaire in Chinese ---------------------------------------------------------------

#: Answers a Chinese owner would type: names and labels in Chinese, English and codes mixed.
CHINESE_ANSWERS = {
    "business_model": "B2B：面向企业销售",
    "trade_direction": "出口（向海外销售）",
    "home_country": "中国",
    "target_region": "北美",
    "target_countries": "美国, 加拿大",
    "product_category": "珠宝首饰",
    "team_languages": "中文, 英语",
}


def test_ask_asks_and_understands_chinese(tmp_path: Path) -> None:
    from xbec_advisor._advice.advisor import default_advisor
    from xbec_advisor._analysis.questionnaire import next_question

    specs = field_specs()
    advisor = default_advisor()
    answers: dict[str, object] = dict.fromkeys(specs)
    pending = list(specs)
    lines = []
    while fields := next_question(advisor, answers, pending):
        raw = CHINESE_ANSWERS.get(fields[0], "不知道")
        lines.append(raw)
        with using("zh"):
            value = specs[fields[0]].parse(raw) if fields[0] in CHINESE_ANSWERS else None
        for field in fields:
            answers[field] = value if field == fields[0] else None
            pending.remove(field)
    target = tmp_path / "firm.yaml"
    result = runner.invoke(
        main,
        ["ask", "--lang", "zh", "--save", str(target)],
        input="\n".join(lines) + "\n",
        env=NEUTRAL,
    )
    assert result.exit_code == 0, result.output
    assert "请回答几个关于贵公司的问题" in result.output
    assert "您的公司在哪个国家注册" in result.output  # the question, in Chinese
    assert "1) B2B：面向企业销售" in result.output  # the choices, in Chinese
    assert "0) 不知道" in result.output
    assert "谢谢：共回答" in result.output and "您的回答已保存到" in result.output
    profile = load_profile_file(target)
    assert profile.home_country == "CN"
    assert profile.target_countries == ["CA", "US"]
    assert profile.business_model == "B2B" and profile.trade_direction == "export"
    assert profile.product_category == "jewelry_accessories"
    advised = runner.invoke(main, ["advise", str(target), "--lang", "zh", "--explain"])
    assert advised.exit_code == 0 and "建议是如何得出的" in advised.output


def test_ask_shows_the_closest_choices_in_chinese(tmp_path: Path) -> None:
    noisy = "B2X\nB2B\n1\n美过\n"  # a wrong choice, then a wrong country close to 美国
    result = runner.invoke(
        main, ["ask", "--lang", "zh", "--save", str(tmp_path / "f.yaml")], input=noisy
    )
    assert "“B2X”不是可选项（您是不是要找 " in result.output
    assert "“B2B：面向企业销售”" in result.output
    assert "“美过”不是国家（您是不是要找 “美国”？）" in result.output
    assert result.exit_code == 2  # the input ended before the last question: answers are kept
    assert "ask --resume" in result.output


def test_closest_matches_are_named_in_the_chosen_language() -> None:
    values = field_specs()["target_region"].values
    with using("zh"):
        with pytest.raises(ValueError, match="您是不是要找 “法国”"):
            match_country("Frnace")
        with pytest.raises(ValueError, match="不是国家"):
            match_country("Atlantis")
        with pytest.raises(ValueError, match="您是不是要找 “德语”"):
            match_language("Germn")
        with pytest.raises(ValueError, match="“欧洲”"):
            match_choice("target_region", values, "Eurpe")
        assert match_country("美国") == match_country("USA") == match_country("United States")
    with pytest.raises(ValueError, match="did you mean 'France'"):
        match_country("Frnace")
    with pytest.raises(ValueError, match="did you mean 'europe'"):
        match_choice("target_region", values, "Eurpe")


def test_profile_errors_are_formatted_in_the_language_of_the_moment() -> None:
    with using("zh"), pytest.raises(ProfileError) as caught:
        profile_from_data({"firm_size": "huge", "colour": "red"})
    text = str(caught.value)
    assert "企业档案无效" in text and "未知字段" in text and "不是允许的值" in text
    with pytest.raises(ProfileError, match="invalid profile"):
        profile_from_data({"firm_size": "huge"})


def test_ask_reads_a_chinese_keyboards_full_width_signs(tmp_path: Path) -> None:
    typed = "？\n１\n返回\n帮助\n"  # help, choice 1, back to it, help again on the first question
    result = runner.invoke(
        main, ["ask", "--lang", "zh", "--save", str(tmp_path / "f.yaml")], input=typed
    )
    assert result.output.count("条建议取决于这个回答") == 2  # both requests for help understood
    assert "2. 您是从本国市场向海外销售" in result.output  # 1 chose B2B: the next question
    assert "（这是第一个问题）" not in result.output  # 返回 went back from question 2
