"""The one-screen summary: every bundled scenario fits 40 lines at 80 columns, in human words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SCENARIOS
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._cli import main
from xbec_advisor._profile.labels import platform_label
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._render.summary import MAX_ACTIONS, render_summary

#: A code name: lower-case words joined by underscores (``tiktok_shop``, ``registered_home``).
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_summary_fits_one_screen_in_human_words(advisor: Advisor, path: Path) -> None:
    advice = advisor.advise(load_profile_file(path))
    text = render_summary(advice, width=80)
    lines = text.splitlines()
    assert len(lines) <= 40, text
    assert max(len(line) for line in lines) <= 80, text
    assert not SNAKE.findall(text), text
    assert "\x1b[" not in text
    actions = [line for line in lines if re.match(r"  \d\. (Now|Next|Later): ", line)]
    assert len(actions) <= MAX_ACTIONS
    expected = [a for a in advice.actions if a.category != "platform"][: len(actions)]
    for line, action in zip(actions, expected, strict=True):
        assert action.horizon.capitalize() in line
    for platform in advice.top_platforms:
        assert f"Use {platform_label(platform)} (" in text


def test_summary_words_wrap_at_the_given_width(advisor: Advisor) -> None:
    path = next(p for p in SCENARIOS if p.stem == "beauty-live-indonesia")
    advice = advisor.advise(load_profile_file(path))
    narrow = render_summary(advice, width=50)
    assert max(len(line) for line in narrow.splitlines()) <= 50
    words = set(render_summary(advice, width=200).split())
    assert set(narrow.split()) == words  # no word broken in two


def test_default_output_is_the_summary_and_detail_the_full_text() -> None:
    path = str(next(p for p in SCENARIOS if p.stem == "beauty-live-indonesia"))
    runner = CliRunner()
    short = runner.invoke(main, ["advise", path])
    assert short.exit_code == 0, short.output
    assert short.output.startswith("CROSS-BORDER E-COMMERCE ADVICE")
    assert "\x1b[" not in short.output  # piped: no colour
    full = runner.invoke(main, ["advise", path, "--detail"])
    assert full.exit_code == 0
    assert "PLATFORM RANKING" in full.output and len(full.output) > 4 * len(short.output)


def test_client_name_heads_the_summary(tmp_path: Path) -> None:
    source = next(p for p in SCENARIOS if p.stem == "beauty-live-indonesia")
    profile = tmp_path / "client.yaml"
    profile.write_text("name: Acme Beauty\nid: C-17\n" + source.read_text(encoding="utf-8"))
    out = CliRunner().invoke(main, ["advise", str(profile)])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("CROSS-BORDER E-COMMERCE ADVICE FOR ACME BEAUTY")
