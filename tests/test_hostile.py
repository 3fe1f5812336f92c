"""Hostile input that must be handled correctly (not refused): escaping in every output,
formula cells, unverified quotes, output files' modes and links, bounded Parquet, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._cli import main
from xbec_advisor._errors import EngineError

runner = CliRunner()

PACK_RULE = """\
id: PAY-990
title: "Pay <script>alert(1)</script> \\e]0;pwned\\a now"
advice: "Use [this link](javascript:alert(1)) *now* | <b>bold</b>"
rationale: R
when: {field: payment_modes, op: contains, value: paypal}
citations: [{paper: zou-live-sea, section: table-2, quote: The papers say this is excellent advice}]
fires: {x: {payment_modes: [paypal]}}
silent: {y: {}}
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    (folder / "payment").mkdir(parents=True)
    (folder / "payment" / "PAY-990.yaml").write_text(PACK_RULE)
    (tmp_path / "firm.yaml").write_text(
        "business_model: B2C\ntarget_region: southeast_asia\npayment_modes: [paypal]\n"
    )
    return folder


def _advise(tmp_path: Path, pack: Path, *args: str) -> str:
    result = runner.invoke(
        main, ["advise", str(tmp_path / "firm.yaml"), "--rules", str(pack), *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_html_report_escapes_a_rule_pack_and_keeps_the_explanation_inside(
    tmp_path: Path, pack: Path
) -> None:
    html = _advise(tmp_path, pack, "-f", "html", "--explain")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html and "\\x1b]0;pwned\\x07" in html
    assert html.rstrip().endswith("</body></html>")  # nothing after the document
    body = html[: html.index("</body>")]
    assert "How the advice was reached" in body and "[PAY-990] Pay &lt;script&gt;" in body


def test_markdown_escapes_rule_text(tmp_path: Path, pack: Path) -> None:
    text = _advise(tmp_path, pack, "-f", "markdown", "--explain")
    assert "\\[this link\\](javascript:alert(1)) \\*now\\* \\| \\<b\\>bold\\</b\\>" in text
    assert "<script>" not in text.split("## How the advice was reached")[0]
    assert "\x1b" not in text
    # the explanation is an indented block: shown as typed, never rendered
    explained = text.split("## How the advice was reached")[1]
    assert all(not line or line.startswith("    ") for line in explained.strip("\n").splitlines())


def test_terminal_output_shows_control_characters_escaped(tmp_path: Path, pack: Path) -> None:
    text = _advise(tmp_path, pack, "--explain")
    assert "\x1b" not in text and "\x07" not in text
    assert "Pay <script>alert(1)</script> \\x1b]0;pwned\\x07 now" in text


def test_a_fabricated_quote_is_marked_unverified(
    tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for papers in (None, tmp_path / "no-papers"):  # the papers present (quote absent), then none
        if papers is not None:
            papers.mkdir()
            monkeypatch.setenv("XBEC_PAPERS_DIR", str(papers))
        for fmt in ("table", "markdown", "html"):  # the table in full: --detail
            detail = ["--detail"] if fmt == "table" else []
            text = " ".join(_advise(tmp_path, pack, "-f", fmt, *detail).split())
            assert "The papers say this is excellent advice" in text
            assert "quote not verified against the paper" in text
        advice = json.loads(_advise(tmp_path, pack, "-f", "json"))
        rec = next(r for r in advice["recommendations"] if r["rule_id"] == "PAY-990")
        assert rec["citations"][0]["verified"] is False
        others = [
            c
            for r in advice["recommendations"]
            if r["rule_id"] != "PAY-990"
            for c in r["citations"]
        ]
        assert others and all(c["verified"] for c in others)  # the bundled base: verified in CI


def test_a_pack_quote_found_in_the_paper_is_verified(
    tmp_path: Path, pack: Path, papers_dir: Path
) -> None:
    rule = pack / "payment" / "PAY-990.yaml"
    rule.write_text(
        PACK_RULE.replace(
            "The papers say this is excellent advice", "The payment system is not perfect"
        )
    )
    advice = json.loads(_advise(tmp_path, pack, "-f", "json"))
    rec = next(r for r in advice["recommendations"] if r["rule_id"] == "PAY-990")
    assert rec["citations"][0]["verified"] is True


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    ids = [
        '=HYPERLINK("http://x","y")',
        "+cmd|' /C calc'!A0",
        "@SUM(1,2)",
        "-2+3",
        "\tTAB",
        "plain",
    ]
    (tmp_path / "firms.jsonl").write_text(
        "".join(json.dumps({"id": i, "business_model": "B2C"}) + "\n" for i in ids)
        + json.dumps({"id": "=1+1", "business_model": "B2X"})
        + "\n"
    )
    for streamed in (True, False):
        args = ["score", str(tmp_path / "firms.jsonl"), "-f", "csv", "-j", "1"]
        result = runner.invoke(main, args if streamed else [*args, "--matrix"])
        rows = list(csv.reader(io.StringIO(result.stdout)))
        cells = [c for row in rows[1:] for c in row if c]
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
        assert [row[0] for row in rows[1:]] == [
            "'" + i if i[0] in "=+-@\t" else i for i in [*ids, "=1+1"]
        ]
    result = runner.invoke(main, ["score", str(tmp_path / "firms.jsonl"), "-f", "csv", "-j", "1"])
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["error"] == "" and row["platform"].lstrip("-").isdigit()  # numbers stay numbers


def test_a_negative_score_stays_a_number() -> None:
    from xbec_advisor._render.escape import csv_cell

    assert (
        csv_cell(-1) == -1 and csv_cell("-1") == "'-1" and csv_cell("amazon (-1)") == "amazon (-1)"
    )


def test_outputs_keep_the_mode_and_write_through_links(tmp_path: Path) -> None:
    (tmp_path / "firm.yaml").write_text("business_model: B2B\n")
    target = tmp_path / "advice.md"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "latest.md"
    link.symlink_to(target.name)
    for out in (target, link):
        result = runner.invoke(
            main, ["advise", str(tmp_path / "firm.yaml"), "-f", "markdown", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_text().startswith("# Cross-border")
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "new.md"
    old = os.umask(0o022)
    try:
        runner.invoke(main, ["advise", str(tmp_path / "firm.yaml"), "-o", str(fresh)])
    finally:
        os.umask(old)
    assert fresh.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "advice.md",
        "firm.yaml",
        "latest.md",
        "new.md",
    ]


def test_a_full_disk_leaves_the_previous_output(tmp_path: Path) -> None:
    (tmp_path / "firm.yaml").write_text("business_model: B2B\n")
    out = tmp_path / "advice.md"
    out.write_text("previous\n")

    def small_files() -> None:  # writing past 1 KiB fails as on a full disk (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "xbec_advisor",
            "advise",
            str(tmp_path / "firm.yaml"),
            "-f",
            "markdown",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(
        f"error: {out}: cannot write: File too large; the previous file is unchanged"
    )
    assert out.read_text() == "previous\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "advice.md",
        "firm.yaml",
    ]


def test_parquet_that_decodes_into_gigabytes_is_read_row_by_row(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    huge = "x" * 200_000  # a cell over the limit, repeated: a few kilobytes in the file
    rows = 5_000
    table = pa.table(
        {
            "id": [f"p{i}" for i in range(rows)],
            "business_model": ["B2B"] * rows,
            "notes": [huge if i == 1 else "" for i in range(rows)],
            "risks": [huge] * 3 + [""] * (rows - 3),
        }
    )
    path = tmp_path / "bomb.parquet"
    pq.write_table(table, path, use_dictionary=True, compression="zstd")
    assert path.stat().st_size < 100_000  # while it holds 600 MB of text once decoded
    from xbec_advisor._batch.sources import read_items

    items = list(read_items(path, ignore_extra=True))  # notes: no field of the profile
    assert len(items) == rows
    failed = [i for i in items if i.error]
    assert [i.id for i in failed] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert "a cell of 200,000 bytes; the limit is 131,072" in (failed[0].error or "")
    assert items[3].data == {"business_model": "B2B"} and items[3].id == "p3"


def test_parquet_with_a_nested_column_is_refused(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "nested.parquet"
    pq.write_table(pa.table({"id": ["a"], "extra": [{"a": 1}]}), path)
    from xbec_advisor._batch.sources import read_items

    (item,) = read_items(path)
    assert item.error is not None and "column 'extra' has type struct" in item.error


def test_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    firm = tmp_path / "firm.yaml"
    firm.write_text("business_model: B2B\n")
    assert runner.invoke(main, ["advise", str(firm)]).exit_code == 0
    (tmp_path / "bad.yaml").write_text("business_model: B2X\n")
    assert (
        runner.invoke(main, ["score", str(firm), str(tmp_path / "bad.yaml"), "-j", "1"]).exit_code
        == 1
    )
    assert runner.invoke(main, ["advise", str(tmp_path / "bad.yaml")]).exit_code == 2
    assert runner.invoke(main, ["advise", "--no-such-option"]).exit_code == 2

    def engine_fails(self: Advisor, profile: object, *args: object, **kwargs: object) -> None:
        raise EngineError("durable-rules error 303 in the test")

    monkeypatch.setattr(Advisor, "advise", engine_fails)
    result = runner.invoke(main, ["advise", str(firm)])
    assert result.exit_code == 3
    assert result.stderr == "error: the rule engine failed: durable-rules error 303 in the test\n"

    def bug(self: Advisor, profile: object, *args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(Advisor, "advise", bug)
    result = runner.invoke(main, ["advise", str(firm)])
    assert result.exit_code == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "error: internal error: ZeroDivisionError: a bug; this is a bug"
    )

    def interrupted(self: Advisor, profile: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Advisor, "advise", interrupted)
    result = runner.invoke(main, ["advise", str(firm)])
    assert result.exit_code == 130 and result.stderr == "\ninterrupted\n"


def test_exit_codes_are_documented() -> None:
    import re

    help_text = runner.invoke(main, ["--help"]).output
    readme = (ROOT / "README.md").read_text()
    for code, words in [
        ("0", "success"),
        ("1", "some profiles failed"),
        ("2", "bad input or usage"),
        ("3", "the engine failed, or an internal error"),
        ("130", "interrupted (Ctrl-C)"),
    ]:
        assert re.search(rf"^\s+{code}\s+{re.escape(words)}", help_text, re.M), code
        assert f"| {code} | {words}" in readme, code
