"""The HTML client report: structure for every scenario, and a real render in headless Chromium."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import GOLDEN_YEAR, ROOT, SCENARIOS
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._cli import main
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._render import render

ARTIFACTS = ROOT / "tests" / "artifacts"


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []
        self.headings: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_h2 = tag == "h2"
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.headings.append(data.strip())
            self._in_h2 = False


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_report_structure(advisor: Advisor, scenario: Path) -> None:
    advice = advisor.advise(load_profile_file(scenario), as_of=GOLDEN_YEAR)
    page = render(advice, "html")
    parser = Structure()
    parser.feed(page)
    assert (
        parser.external == [] and "script" not in parser.tags and "link" not in parser.tags
    )  # self-contained
    scored = [p for p in advice.platforms if p.score is not None]
    assert parser.tags.count("svg") == 1 + bool(scored)  # ranking chart, five-dimension chart
    order = [
        "Summary",
        "Action plan",
        "Platform comparison",
        "The five dimensions of the grounded-theory model",
        "Recommendations in detail",
        "Your answers",
        "Bibliography",
    ]
    assert [h for h in parser.headings if h in order] == order  # the consultant's order
    assert page.index("Advice for") < page.index("<h2>Summary</h2>")
    for rec in advice.recommendations:
        assert rec.rule_id in page
    if advice.swot:
        assert "SWOT of live commerce" in page and "WT strategies" in page
    assert "@media print" in page


def test_html_report_written_by_the_cli(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        [
            "advise",
            str(ROOT / "scenarios" / "beauty-live-indonesia.yaml"),
            "-f",
            "html",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
