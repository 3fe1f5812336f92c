"""The HTML report in headless Chromium: no horizontal overflow at 1280 and 390 px (screenshots
kept in tests/artifacts/), and the PDF: A4 by default, Letter on request, a page number on every
page, no heading alone at the foot of a page. CI installs Chromium (.ci/run); elsewhere these
tests are skipped when it is missing."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import GOLDEN_YEAR, ROOT
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._advice.models import Advice
from xbec_advisor._cli import main
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._render import render
from xbec_advisor._render.pdf import FLAGS, find_browser

ARTIFACTS = ROOT / "tests" / "artifacts"
SCENARIO = ROOT / "scenarios" / "beauty-live-indonesia.yaml"
BROWSER = find_browser()

#: Test-only: a page that shows the report in a frame ``width`` px wide (headless Chromium's
#: window is at least 500 px wide) and records, once it has laid out, what sticks out to the right.
WRAPPER = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="report" style="width:@W@px;height:2400px;border:0" srcdoc="@DOC@"></iframe>
<script>
window.addEventListener("load", () => {
  const doc = document.getElementById("report").contentDocument;
  const width = doc.documentElement.clientWidth;
  const wide = [...doc.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({width, scroll: doc.documentElement.scrollWidth, wide});
  document.body.appendChild(out);
});
</script></body></html>"""


@pytest.fixture(scope="module")
def browser() -> str:
    if BROWSER is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium must be installed in CI (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium not installed")
    return BROWSER


def _run(browser: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [browser, *FLAGS, "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _probe(browser: str, tmp_path: Path, report: str, width: int) -> tuple[dict[str, object], str]:
    """What overflows ``report`` shown ``width`` px wide, and the wrapper page's command line."""
    page = tmp_path / "probe.html"
    doc = html.escape(report, quote=True)
    page.write_text(WRAPPER.replace("@W@", str(width)).replace("@DOC@", doc), encoding="utf-8")
    window = f"--window-size={max(width, 500)},2400"
    dom = _run(browser, tmp_path, window, "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert found, dom.stderr[-2000:]
    probe = json.loads(html.unescape(found.group(1)))
    assert probe["width"] == width
    return probe, window


def test_the_probe_sees_an_overflow(browser: str, tmp_path: Path) -> None:
    wide = '<!DOCTYPE html><html><body><div class="x" style="width:600px">w</div></body></html>'
    probe, _ = _probe(browser, tmp_path, wide, 390)
    assert "div.x" in probe["wide"]  # type: ignore[operator]


@pytest.mark.parametrize("width", [1280, 390])
def test_report_has_no_horizontal_overflow(
    advisor: Advisor,
    browser: str,
    tmp_path: Path,
    width: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    advice = advisor.advise(load_profile_file(SCENARIO), as_of=GOLDEN_YEAR)
    report = render(advice, "html")
    probe, window = _probe(browser, tmp_path, report, width)
    assert probe["scroll"] <= width and probe["wide"] == [], probe  # type: ignore[operator]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-{width}px.png"
    taken = _run(
        browser, tmp_path, window, f"--screenshot={shot}", (tmp_path / "probe.html").as_uri()
    )
    assert taken.returncode == 0 and shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nscreenshot at {width} px: {shot}")


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "h4"):
            self._open, self.texts = True, [*self.texts, ""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3", "h4"):
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[-1] += data


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_pdf_pages_numbers_and_size(
    browser: str,
    tmp_path: Path,
    paper: str,
    size: tuple[int, int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pypdf import PdfReader

    pdf = ARTIFACTS / f"report-{paper}.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    args = ["advise", str(SCENARIO), "-f", "pdf", "-o", str(pdf)]
    out = CliRunner().invoke(main, [*args, *([] if paper == "a4" else ["--paper", paper])])
    assert out.exit_code == 0, out.output
    pages = PdfReader(pdf).pages
    n = len(pages)
    assert f"{n} pages" in out.output
    parser = _Headings()
    parser.feed(render(_advice(), "html"))
    headings = {" ".join(t.split()) for t in parser.texts if t.strip()}
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
        text = page.extract_text()
        assert f"Page {number} of {n}" in text, f"page {number} has no page number"
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and "Page " not in ln]
        assert not lines or lines[-1] not in headings, f"heading alone at the foot of {number}"
    with capsys.disabled():  # shown in every run, not only with -s
        print(f"\n{SCENARIO.stem}: {n} pages on {paper.upper()} ({pdf})")


def _advice() -> Advice:
    from xbec_advisor._advice.advisor import default_advisor

    return default_advisor().advise(load_profile_file(SCENARIO))
