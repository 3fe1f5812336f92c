"""The questionnaire, driven through CliRunner with scripted answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._analysis.questionnaire import (
    DONT_KNOW,
    HELP,
    next_question,
    parse_answer,
    parse_checklist,
)
from xbec_advisor._cli import main
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._profile.model import field_specs

runner = CliRunner()

B2B_EXPORTER = {
    "business_model": "1",
    "trade_direction": "export",
    "home_country": "cn",
    "target_region": "north america",
    "target_countries": "US, CA",
    "product_category": "jewelry accessories",
    "brand_status": "1",
    "content_capability": "none",
    "current_platforms": "alibaba_com",
    "firm_size": "small",
    "team_languages": "zh,en",
    "years_cross_border": "3",
    "custom_orders": "y",
    "response_time_hours": "48",
    "product_lookalike": "yes",
}
B2C_SEA = {
    "business_model": "B2C",
    "trade_direction": "export",
    "home_country": "CN",
    "target_region": "southeast_asia",
    "target_countries": "ID TH",
    "product_category": "beauty_personal_care",
    "content_capability": "live_streaming",
    "payment_modes": "credit_card",
    "team_languages": "zh",
    "logistics_modes": "postal",
}
IMPORT_CHINA = {
    "business_model": "B2C",
    "trade_direction": "import",
    "home_country": "FR",
    "target_region": "china",
    "product_category": "beauty_personal_care",
    "overseas_retail_entity": "yes",
    "logistics_modes": "bonded_warehouse",
    "payment_modes": "alipay",
}


def script(advisor: Advisor, typed: dict[str, str]) -> tuple[str, list[str]]:
    """The input lines for the questions the questionnaire will ask; unlisted answers are "0"."""
    specs = field_specs()
    pending = list(specs)
    answers: dict[str, object] = {name: None for name in pending}
    lines, asked = [], []
    while fields := next_question(advisor, answers, pending):
        if specs[fields[0]].kind == "bool":  # one checklist for the relevant yes/no questions
            known = [f for f in fields if f in typed]
            yes = [
                str(i)
                for i, f in enumerate(fields, start=1)
                if f in typed and parse_answer(specs[f], typed[f]) is True
            ]
            raw = ",".join(yes) if yes else ("none" if known else "0")
            given = {
                f: (f in typed and parse_answer(specs[f], typed[f]) is True) if known else None
                for f in fields
            }
        else:
            raw = typed.get(fields[0], "0")
            value = parse_answer(specs[fields[0]], raw)
            given = {fields[0]: None if value is DONT_KNOW else value}
        for field, value in given.items():
            answers[field] = value
            pending.remove(field)
        lines.append(raw)
        asked.extend(fields)
    return "\n".join(lines) + "\n", asked


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            B2B_EXPORTER,
            {
                "business_model": "B2B",
                "home_country": "CN",
                "target_countries": ["CA", "US"],
                "custom_orders": True,
            },
        ),
        (
            B2C_SEA,
            {
                "target_region": "southeast_asia",
                "content_capability": "live_streaming",
                "target_countries": ["ID", "TH"],
            },
        ),
        (
            IMPORT_CHINA,
            {
                "trade_direction": "import",
                "overseas_retail_entity": True,
                "payment_modes": ["alipay"],
            },
        ),
    ],
    ids=["b2b-exporter", "b2c-southeast-asia", "import-into-china"],
)
def test_full_questionnaire_saves_a_valid_profile(
    advisor: Advisor, tmp_path: Path, typed: dict[str, str], expected: dict[str, object]
) -> None:
    text, asked = script(advisor, typed)
    target = tmp_path / "firm.yaml"
    result = runner.invoke(main, ["ask", "--save", str(target)], input=text)
    assert result.exit_code == 0, result.output
    assert "PLATFORM RANKING" in result.output and "Source:" in result.output
    profile = load_profile_file(target)
    for key, value in expected.items():
        assert getattr(profile, key) == value
    assert len(asked) < len(field_specs())  # some questions were skipped as irrelevant
    assert 10 <= len(text.splitlines()) <= 25  # questions actually put to the user
    again = runner.invoke(main, ["advise", str(target)])
    assert again.exit_code == 0


def test_dont_know_answers_are_listed_with_what_they_could_change(
    advisor: Advisor, tmp_path: Path
) -> None:
    text, _ = script(advisor, {k: v for k, v in B2C_SEA.items() if k != "payment_modes"})
    result = runner.invoke(main, ["ask", "--save", str(tmp_path / "f.yaml")], input=text)
    assert result.exit_code == 0
    assert 'WHAT YOUR "DON\'T KNOW" ANSWERS LEAVE OPEN' in result.output
    assert "  - payment_modes: could" in result.output


def test_invalid_answers_are_asked_again_and_help_explains(
    advisor: Advisor, tmp_path: Path
) -> None:
    text, _ = script(advisor, B2B_EXPORTER)
    noisy = "B2X\n?\n7\n" + text  # two wrong answers and a request for help before "1"
    result = runner.invoke(main, ["ask", "--save", str(tmp_path / "f.yaml")], input=noisy)
    assert result.exit_code == 0, result.output
    assert "'B2X' is not one of the choices" in result.output
    assert "'7' is not a choice: type a number from 1 to 3" in result.output
    assert "recommendation(s) depend on this answer" in result.output


def test_exporter_is_not_asked_about_an_overseas_retail_entity(advisor: Advisor) -> None:
    _, asked = script(advisor, B2B_EXPORTER)
    assert "overseas_retail_entity" not in asked


def test_from_file_keeps_answers_on_enter(advisor: Advisor, tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    text, _ = script(advisor, B2B_EXPORTER)
    assert runner.invoke(main, ["ask", "--save", str(first)], input=text).exit_code == 0
    second = tmp_path / "second.yaml"
    result = runner.invoke(
        main,
        ["ask", "--from", str(first), "--save", str(second)],
        input="\n" * len(text.splitlines()),
    )
    assert result.exit_code == 0, result.output
    assert load_profile_file(second) == load_profile_file(first)


def test_interrupted_questionnaire_writes_no_profile(
    advisor: Advisor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XBEC_ADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "firm.yaml"
    result = runner.invoke(
        main, ["ask", "--save", str(target)], input="1\nexport\n"
    )  # input ends early: the answers go to the recovery file only (tests/test_ask_keeps.py)
    assert result.exit_code == 2 and "kept in" in result.stderr
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["cache"]


@pytest.mark.parametrize(
    ("field", "raw", "value"),
    [
        ("business_model", "2", "B2C"),
        ("business_model", "b2b2c", "B2B2C"),
        ("payment_modes", "1,3", ["credit_card", "alipay"]),
        ("payment_modes", "none", []),
        ("custom_orders", "n", False),
        ("years_cross_border", "4", 4),
        ("target_countries", "id; th", ["ID", "TH"]),
        ("home_country", "0", DONT_KNOW),
        ("firm_size", "?", HELP),
    ],
)
def test_parse_answer(field: str, raw: str, value: object) -> None:
    assert parse_answer(field_specs()[field], raw) == value


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("payment_modes", "1,99", "'99' is not a choice"),
        ("home_country", "ZZ", "'ZZ' is not a country"),
        ("years_cross_border", "many", "'many' is not a number"),
        ("years_cross_border", "500", "out of range"),
        ("custom_orders", "maybe", r"answer 1 \(yes\), 2 \(no\)"),
    ],
)
def test_parse_answer_errors(field: str, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_answer(field_specs()[field], raw)


def test_questionnaire_in_a_real_pseudo_terminal(advisor: Advisor, tmp_path: Path) -> None:
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    text, _ = script(advisor, IMPORT_CHINA)
    target = tmp_path / "firm.yaml"
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xbec_advisor", "ask", "--save", str(target)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    pending = [line.encode() + b"\n" for line in text.splitlines()]
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
                if pending and output.rstrip().endswith(b"]"):  # a prompt is waiting for an answer
                    os.write(master, pending.pop(0))
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    decoded = output.decode(errors="replace")
    assert proc.returncode == 0, decoded[-2000:]
    assert "PLATFORM RANKING" in decoded
    assert load_profile_file(target).trade_direction == "import"


def test_checklist_answers() -> None:
    fields = ["custom_orders", "product_lookalike", "easy_returns"]
    assert parse_checklist(fields, "1,3") == {
        "custom_orders": True,
        "product_lookalike": False,
        "easy_returns": True,
    }
    assert parse_checklist(fields, "none") == dict.fromkeys(fields, False)
    assert parse_checklist(fields, "0") is DONT_KNOW
    with pytest.raises(ValueError, match="'4' is not a choice"):
        parse_checklist(fields, "1,4")


@pytest.mark.parametrize(
    "scenario",
    [
        "jewellery-b2b-alibaba",
        "beauty-live-indonesia",
        "french-cosmetics-tmall-global",
        "tmall-ineligible-mainland",
        "shopee-multi-country-sea",
    ],
)
def test_typical_firms_answer_fifteen_to_twenty_five_questions(
    advisor: Advisor, scenario: str
) -> None:
    import yaml

    from tests.conftest import ROOT

    data = yaml.safe_load((ROOT / "scenarios" / f"{scenario}.yaml").read_text())
    typed = {
        k: (
            "yes"
            if v is True
            else "no"
            if v is False
            else ",".join(v)
            if isinstance(v, list) and v
            else "none"
            if isinstance(v, list)
            else str(v)
        )
        for k, v in data.items()
    }
    text, _ = script(advisor, typed)
    assert 15 <= len(text.splitlines()) <= 25
