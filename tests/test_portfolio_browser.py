"""The portfolio report (``score -f html``) in headless Chromium: no horizontal overflow at
1280 px, and a firm's full report opens from its link (screenshot kept in tests/artifacts/).
Skipped when Chromium is missing, except in CI (.ci/run installs it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.test_report_browser import ARTIFACTS, _probe, _run, browser
from xbec_advisor._cli import main

__all__ = ["browser"]  # the fixture, shared with the report's tests


def test_portfolio_has_no_horizontal_overflow(
    browser: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "portfolio.html"
    result = CliRunner().invoke(
        main, ["score", str(ROOT / "scenarios"), "-f", "html", "-o", str(target), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    probe, window = _probe(browser, tmp_path, page, 1280)
    assert probe["scroll"] <= 1280 and probe["wide"] == [], probe  # type: ignore[operator]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "portfolio-1280px.png"
    taken = _run(browser, tmp_path, window, f"--screenshot={shot}", target.as_uri())
    assert taken.returncode == 0 and shot.stat().st_size > 10_000
    # the first firm's link opens its client report, which Chromium renders
    link = re.search(r'href="(portfolio_files/[^"]+)"', page)
    assert link is not None
    firm = tmp_path / link.group(1)
    dom = _run(browser, tmp_path, "--dump-dom", firm.as_uri())
    assert "Advice for" in dom.stdout and "Platform comparison" in dom.stdout
    with capsys.disabled():
        print(f"\nportfolio screenshot at 1280 px: {shot}")
