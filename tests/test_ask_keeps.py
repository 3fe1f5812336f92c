"""`ask` loses nothing: answers kept on save (comments, skipped questions, mode), checked when
given, kept in a recovery file through Ctrl-C and the end of the input, and going back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SCENARIOS
from tests.test_ask import B2B_EXPORTER, script
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._cli import main
from xbec_advisor._cli.ask_session import recovery_path
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._profile.save import profile_text

runner = CliRunner()


@pytest.fixture(autouse=True)
def own_recovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XBEC_ADVISOR_CACHE_DIR", str(folder))
    return folder / "ask-recovery.json"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_saving_over_the_from_file_keeps_it_whole(scenario: Path, tmp_path: Path) -> None:
    target = tmp_path / scenario.name
    text = scenario.read_text() + "# a closing comment\n"
    target.write_text(text)
    target.chmod(0o640)
    result = runner.invoke(
        main, ["ask", "--from", str(target), "--save", str(target)], input="\n" * 60
    )
    assert result.exit_code == 0, result.output
    assert target.read_text() == text  # every answer, comment and the key order
    assert target.stat().st_mode & 0o777 == 0o640
    assert not recovery_path().exists()  # saved: nothing left to recover


def test_a_changed_answer_is_rewritten_in_place(tmp_path: Path) -> None:
    original = (
        "# my firm\nbusiness_model: B2B   # we sell to shops\n"
        "payment_modes:\n  - paypal   # for now\nrisks: [price_war]\n"
    )
    answers = {"business_model": "B2C", "payment_modes": ["paypal"], "firm_size": "small"}
    text = profile_text(answers, original)
    assert text == (
        "# my firm\nbusiness_model: B2C   # we sell to shops\n"
        "payment_modes:\n  - paypal   # for now\nfirm_size: small\n"
    )


def test_a_json_profile_stays_json(tmp_path: Path) -> None:
    text = profile_text({"business_model": "B2C"}, '{"business_model": "B2B"}')
    assert json.loads(text) == {"business_model": "B2C"}


def test_a_new_file_gets_the_mode_the_umask_gives(advisor: Advisor, tmp_path: Path) -> None:
    text, _ = script(advisor, B2B_EXPORTER)
    target = tmp_path / "firm.yaml"
    old = os.umask(0o027)
    try:
        result = runner.invoke(main, ["ask", "--save", str(target)], input=text)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o640


def _replaced(advisor: Advisor, answer: str, typed: str) -> str:
    """The B2B exporter's answers, with ``typed`` typed before its answer ``answer``."""
    text, _ = script(advisor, B2B_EXPORTER)
    lines = text.splitlines()
    assert lines.count(answer) == 1
    lines[lines.index(answer)] = f"{typed}\n{answer}"
    return "\n".join(lines) + "\n"


def test_answers_are_checked_when_given(advisor: Advisor, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["ask", "--save", str(tmp_path / "f.yaml")], input=_replaced(advisor, "3", "2.5")
    )
    assert result.exit_code == 0, result.output
    assert "! 2.5 is not a whole number" in result.output
    assert load_profile_file(tmp_path / "f.yaml").years_cross_border == 3


def test_more_than_64_countries_is_refused_at_once(advisor: Advisor, tmp_path: Path) -> None:
    from xbec_advisor._profile.iso import COUNTRIES

    many = ",".join(sorted(COUNTRIES)[:65])
    result = runner.invoke(
        main, ["ask", "--save", str(tmp_path / "f.yaml")], input=_replaced(advisor, "US, CA", many)
    )
    assert result.exit_code == 0, result.output
    assert "! target_countries: at most 64 items, got 65" in result.output
    assert load_profile_file(tmp_path / "f.yaml").target_countries == ["CA", "US"]


def test_going_back_a_question(advisor: Advisor, tmp_path: Path) -> None:
    text, _ = script(advisor, B2B_EXPORTER)
    lines = text.splitlines()
    # answer the first question B2C, the second one export, go back twice, answer B2B again
    noisy = ["2", "export", "<", "<", *lines]
    result = runner.invoke(
        main, ["ask", "--save", str(tmp_path / "f.yaml")], input="\n".join(noisy) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert load_profile_file(tmp_path / "f.yaml").business_model == "B2B"
    assert "(this is the first question)" not in result.output
    first = runner.invoke(main, ["ask", "--save", str(tmp_path / "g.yaml")], input="<\n" + text)
    assert "(this is the first question)" in first.output and first.exit_code == 0


def test_end_of_input_keeps_the_answers_for_resume(advisor: Advisor, tmp_path: Path) -> None:
    target = tmp_path / "firm.yaml"
    text, _ = script(advisor, B2B_EXPORTER)
    lines = text.splitlines()
    result = runner.invoke(main, ["ask", "--save", str(target)], input="\n".join(lines[:3]) + "\n")
    assert result.exit_code == 2
    assert "Your 3 answer(s) so far are kept in" in result.stderr
    assert not target.exists()
    assert recovery_path().stat().st_mode & 0o777 == 0o600
    resumed = runner.invoke(main, ["ask", "--resume"], input="\n".join(lines[3:]) + "\n")
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming 3 answered question(s)" in resumed.output
    assert load_profile_file(target) == load_profile_file(_full(advisor, tmp_path))
    assert not recovery_path().exists()


def _full(advisor: Advisor, tmp_path: Path) -> Path:
    text, _ = script(advisor, B2B_EXPORTER)
    path = tmp_path / "straight.yaml"
    assert runner.invoke(main, ["ask", "--save", str(path)], input=text).exit_code == 0
    return path


def test_a_bad_path_at_the_save_prompt_is_asked_again(advisor: Advisor, tmp_path: Path) -> None:
    text, _ = script(advisor, B2B_EXPORTER)
    good = tmp_path / "good.yaml"
    result = runner.invoke(
        main, ["ask"], input=text + f"{tmp_path / 'missing' / 'f.yaml'}\n{tmp_path}\n{good}\n"
    )
    assert result.exit_code == 0, result.output
    assert "does not exist; create it first" in result.stderr
    assert "is a folder" in result.stderr
    assert load_profile_file(good).business_model == "B2B"


def test_a_save_folder_that_does_not_exist_is_refused_before_any_question(
    tmp_path: Path,
) -> None:
    result = runner.invoke(main, ["ask", "--save", str(tmp_path / "no" / "f.yaml")], input="1\n")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "1. Do you sell" not in result.output


def test_resume_without_a_recovery_file(tmp_path: Path) -> None:
    result = runner.invoke(main, ["ask", "--resume"])
    assert result.exit_code == 2 and "no unsaved answers to resume" in result.stderr


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "xbec_advisor", "ask", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )


def test_ctrl_c_in_a_real_process_keeps_the_answers(tmp_path: Path) -> None:
    env = dict(os.environ, XBEC_ADVISOR_CACHE_DIR=str(tmp_path / "cache"))
    proc = _start(["--save", str(tmp_path / "firm.yaml")], env)
    assert proc.stdin is not None
    proc.stdin.write(b"1\nexport\n")
    proc.stdin.flush()
    recovery = tmp_path / "cache" / "ask-recovery.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until both answers are kept
        if recovery.exists() and len(json.loads(recovery.read_text())["history"]) == 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"Your 2 answer(s) so far are kept" in err and b"Traceback" not in err
    assert json.loads(recovery.read_text())["history"] == [
        {"business_model": "B2B"},
        {"trade_direction": "export"},
    ]


def test_end_of_input_in_a_real_process(tmp_path: Path) -> None:
    env = dict(os.environ, XBEC_ADVISOR_CACHE_DIR=str(tmp_path / "cache"))
    proc = _start(["--save", str(tmp_path / "firm.yaml")], env)
    _, err = proc.communicate(b"1\n", timeout=60)
    assert proc.returncode == 2, err.decode()
    assert b"Your 1 answer(s) so far are kept" in err and b"Traceback" not in err
    assert not (tmp_path / "firm.yaml").exists()
