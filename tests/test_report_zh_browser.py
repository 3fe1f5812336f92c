"""The Chinese report in headless Chromium: lang="zh-Hans", no horizontal overflow at 1280 and
390 px (screenshots kept in tests/artifacts/), no tofu (every Chinese character on the page is
drawn by a font, not as the missing-glyph box), and the PDF in Chinese with its page numbers.
CI installs Chromium and fonts-noto-cjk (.ci/run); elsewhere these tests are skipped when
Chromium is missing."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import GOLDEN_YEAR
from tests.test_report_browser import ARTIFACTS, SCENARIO, _probe, _run, browser
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._profile.load import load_profile_file
from xbec_advisor._render import render

__all__ = ["browser"]  # the fixture, shared with the English report's tests

#: Test-only: a page showing a report in a frame, which then draws every Chinese character of
#: the report on a canvas in the report's own font stack and compares it with the missing-glyph
#: box (what a private-use character, which no font has, is drawn as) and with an empty drawing.
#: ``@EXTRA@`` adds characters to check (the control: private-use characters must be caught).
TOFU = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="report" style="width:1280px;height:1200px;border:0" srcdoc="@DOC@"></iframe>
<script>
window.addEventListener("load", () => {
  const doc = document.getElementById("report").contentDocument;
  const family = doc.defaultView.getComputedStyle(doc.body).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = ch => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = "32px " + family;
    ctx.textBaseline = "top";
    ctx.fillText(ch, 4, 4);
    const px = ctx.getImageData(0, 0, 48, 48).data;
    let out = "";
    for (let i = 3; i < px.length; i += 4) out += px[i] > 127 ? "1" : "0";
    return out;
  };
  const text = doc.body.innerText + "@EXTRA@";
  const chars = [...new Set(text.match(/[\\u3400-\\u9fff\\ue000-\\uf8ff]/g) || [])];
  const box = draw("\\ue000"), empty = draw(" ");
  const tofu = chars.filter(ch => { const g = draw(ch); return g === box || g === empty; });
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({
    lang: doc.documentElement.lang, family, checked: chars.length, tofu,
  });
  document.body.appendChild(out);
});
</script></body></html>"""


def _tofu(browser: str, tmp_path: Path, report: str, extra: str = "") -> dict[str, object]:
    page = tmp_path / "tofu.html"
    doc = html.escape(report, quote=True)
    page.write_text(TOFU.replace("@DOC@", doc).replace("@EXTRA@", extra), encoding="utf-8")
    dom = _run(browser, tmp_path, "--window-size=1280,1200", "--dump-dom", page.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.S)
    assert found, dom.stderr[-2000:]
    result: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return result


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def report(advisor: Advisor) -> str:
    advice = advisor.advise(load_profile_file(SCENARIO), as_of=GOLDEN_YEAR, lang="zh")
    return render(advice, "html", lang="zh")


def test_chinese_report_draws_every_character_with_a_font(
    browser: str, tmp_path: Path, report: str
) -> None:
    probe = _tofu(browser, tmp_path, report)
    assert probe["lang"] == "zh-Hans"
    assert "Noto Sans CJK SC" in str(probe["family"])
    assert int(probe["checked"]) > 300, probe  # type: ignore[call-overload]
    assert probe["tofu"] == [], f"drawn as missing-glyph boxes: {probe['tofu']}"


def test_the_tofu_probe_catches_missing_glyphs(browser: str, tmp_path: Path, report: str) -> None:
    # private-use characters: no font of the stack has them, so the probe must report them
    probe = _tofu(browser, tmp_path, report, extra="\ue001\ue123")
    assert sorted(probe["tofu"]) == ["\ue001", "\ue123"], probe  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [1280, 390])
def test_chinese_report_has_no_horizontal_overflow(
    browser: str, tmp_path: Path, report: str, width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    probe, window = _probe(browser, tmp_path, report, width)
    assert probe["scroll"] <= width and probe["wide"] == [], probe  # type: ignore[operator]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-zh-{width}px.png"
    taken = _run(
        browser, tmp_path, window, f"--screenshot={shot}", (tmp_path / "probe.html").as_uri()
    )
    assert taken.returncode == 0 and shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nChinese report screenshot at {width} px: {shot}")


def test_chinese_pdf_has_chinese_text_and_page_numbers(
    browser: str, advisor: Advisor, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    from xbec_advisor._render.pdf import write_pdf

    advice = advisor.advise(load_profile_file(SCENARIO), as_of=GOLDEN_YEAR, lang="zh")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report-zh-a4.pdf"
    n = write_pdf(advice, pdf, lang="zh")
    pages = PdfReader(pdf).pages
    assert n == len(pages)
    # pypdf reads some glyphs of Noto Sans CJK back as radicals (页 as ⻚): compare the rest
    first = _plain(pages[0].extract_text())
    assert "跨境电商战略" in first and "在哪" in first, first[:300]
    for number, page in enumerate(pages, start=1):
        found = re.search(r"第(\d+).,共(\d+).", _plain(page.extract_text()))
        assert found and found.groups() == (str(number), str(n)), f"page {number}: no number"
    with capsys.disabled():
        print(f"\n{SCENARIO.stem} in Chinese: {n} pages ({pdf})")
