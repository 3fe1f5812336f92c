"""PDF: the HTML report printed by headless Chromium (Debian's ``chromium`` package, or Google
Chrome), with its page size and page numbers. Chromium is a program, not a Python package: the
report is printed exactly as a browser prints it, fonts and all."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .._advice.models import Advice
from .._errors import XbecError
from .._i18n import _, using
from .._io.atomic import write_atomic_bytes
from .html import render_html

__all__ = ["BROWSERS", "find_browser", "page_count", "print_pdf", "write_pdf"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: A headless browser that starts nothing it does not need and talks to no network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
_TIMEOUT = 120


def find_browser() -> str | None:
    """The browser to print with: ``$XBEC_ADVISOR_BROWSER``, else the first of :data:`BROWSERS`."""
    configured = os.environ.get("XBEC_ADVISOR_BROWSER")
    if configured:
        return configured
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(html: str, browser: str) -> bytes:
    """Print an HTML page to PDF bytes with headless ``browser``."""
    with tempfile.TemporaryDirectory(prefix="xbec-pdf-") as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise XbecError(
                _("could not print the PDF with {browser}: {error}").format(
                    browser=browser, error=exc
                )
            ) from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise XbecError(
                _("{browser} printed no PDF (exit code {code}): {error}").format(
                    browser=browser, code=done.returncode, error=tail[0]
                )
            )
        return pdf.read_bytes()


def page_count(data: bytes) -> int | None:
    """The number of pages of a PDF, if pypdf (the ``pdf`` extra) is installed."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


def write_pdf(
    advice: Advice, output: Path | None, paper: str = "a4", lang: str | None = None
) -> int | None:
    """Write the report as a PDF file (``-f pdf`` needs ``-o FILE``), in ``lang`` (None: the
    current language); its page count if known."""
    with using(lang):
        return _write_pdf(advice, output, paper)


def _write_pdf(advice: Advice, output: Path | None, paper: str) -> int | None:
    if output is None:
        raise XbecError(_("-f pdf writes a file: add -o report.pdf"))
    browser = find_browser()
    if browser is None:
        raise XbecError(
            _(
                "-f pdf prints the HTML report with headless Chromium, which was not found: "
                "install it (Debian: apt install chromium, and fonts-noto-cjk for "
                "Chinese) or set XBEC_ADVISOR_BROWSER to a Chromium or Chrome program; -f html "
                "gives the same report as a web page"
            )
        )
    data = print_pdf(render_html(advice, paper=paper), browser)
    write_atomic_bytes(output, data)
    return page_count(data)
