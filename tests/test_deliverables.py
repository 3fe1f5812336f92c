"""Client deliverables of ``score`` (issue 18): the workbook (read back with openpyxl sheet by
sheet), the portfolio report and its folder of firm reports, ``--rules`` in every way of
scoring, and the progress bar's count of profiles."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import ROOT, in_process_cluster
from xbec_advisor._cli import main

runner = CliRunner()
SCENARIOS = ROOT / "scenarios"
BEAUTY = "beauty-live-indonesia.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["score", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def firms(tmp_path: Path) -> Path:
    """Two good firms (one named, one whose id looks like a formula), a bad one, a scenario."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "id,name,business_model,target_region,home_country\n"
        "=HYPERLINK(1),+Acme,B2C,southeast_asia,CN\n"
        "bad-1,,B2X,europe,CN\n"
        "<b>x</b>,<script>alert(1)</script>,B2B,north_america,CN\n"
    )
    (folder / BEAUTY).write_text((SCENARIOS / BEAUTY).read_text())
    return folder


def _csv_rows(folder: Path) -> dict[str, dict[str, str]]:
    code, out, _ = run(str(folder), "-f", "csv", "-j", "1")
    assert code == 1
    return {row["id"]: row for row in csv.DictReader(io.StringIO(out))}


def test_workbook_read_back_sheet_by_sheet(firms: Path, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "scores.xlsx"
    old = os.umask(0o027)
    try:
        code, _, err = run(str(firms), "-f", "xlsx", "-o", str(target), "-j", "1")
    finally:
        os.umask(old)
    assert code == 1 and f"wrote {target}" in err and "scored 3 profile(s), 1 failed" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the umask's mode, not 0600
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Summary", "Recommendations", "Platforms", "Errors"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width >= 10
    summary = book["Summary"]
    header = [c.value for c in summary[1]]
    assert header[:7] == [
        "Firm",
        "Name",
        "Status",
        "Best platform",
        "Best score",
        "Second platform",
        "Second score",
    ]
    assert "Platform choice" in header and "Customer service" in header
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in summary.iter_rows(2, values_only=True)}
    expected = _csv_rows(firms)
    beauty = str(firms / BEAUTY)
    assert rows[beauty]["Status"] == "ok" and rows[beauty]["Best platform"] == "TikTok Shop"
    assert rows[beauty]["Best score"] == float(expected[beauty]["score_1"])
    assert rows[beauty]["Recommendations"] == int(expected[beauty]["recommendations"])
    assert rows[beauty]["Logistics"] == int(expected[beauty]["logistics"])
    assert rows[beauty]["First action"]  # a title, in priority order
    # a formula-looking id and name are neutralised exactly as in CSV, and stay text
    assert "'=HYPERLINK(1)" in rows and rows["'=HYPERLINK(1)"]["Name"] == "'+Acme"
    assert "'=HYPERLINK(1)" in expected  # the CSV output neutralises it the same way
    bad = "bad-1"
    assert rows[bad]["Status"] == "error"
    recs = book["Recommendations"]
    assert [c.value for c in recs[1]] == [
        "Firm",
        "Rule",
        "Category",
        "Priority",
        "Horizon",
        "Title",
        "Paper",
        "Section",
    ]
    mine = [r for r in recs.iter_rows(2, values_only=True) if r[0] == beauty]
    assert len(mine) == rows[beauty]["Recommendations"]
    assert [r[3] for r in mine] == list(range(1, len(mine) + 1))
    assert all(
        r[4] in ("now", "next", "later") and r[6] and str(r[7]).startswith("§") for r in mine
    )
    platforms = book["Platforms"]
    names = [c.value for c in platforms[1]]
    assert names[:3] == ["Firm", "Name", "TikTok Shop"] and "Shopee" in names
    row = next(r for r in platforms.iter_rows(2, values_only=True) if r[0] == beauty)
    assert row[names.index("TikTok Shop")] == float(expected[beauty]["score_1"])
    rules = [r for cf in platforms.conditional_formatting for r in cf.rules]
    assert rules and rules[0].type == "colorScale"
    errors = list(book["Errors"].iter_rows(values_only=True))
    assert errors[0] == ("Firm", "Error") and len(errors) == 2
    assert "B2X" in errors[1][1] and errors[1][0] == bad


def test_workbook_needs_a_file_and_refuses_the_matrix(firms: Path, tmp_path: Path) -> None:
    code, out, err = run(str(firms), "-f", "xlsx")
    assert code == 2 and out == "" and "-f xlsx writes a workbook" in err and "-o" in err
    code, _, err = run(str(firms), "-f", "html")
    assert code == 2 and "-o portfolio.html" in err
    code, _, err = run(str(firms), "-f", "xlsx", "--matrix", "-o", str(tmp_path / "m.xlsx"))
    assert code == 2 and "--matrix writes a table" in err
    code, _, err = run(str(firms), "-f", "xlsx", "--full", "-o", str(tmp_path / "m.xlsx"))
    assert code == 2 and "--full" in err
    assert not (tmp_path / "m.xlsx").exists()


def test_a_full_sheet_goes_on_in_a_numbered_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    from xbec_advisor._batch import workbook

    monkeypatch.setattr(workbook, "MAX_SHEET_ROWS", 11)  # 10 rows a sheet
    target = tmp_path / "scores.xlsx"
    code, _, err = run(str(SCENARIOS), "-f", "xlsx", "-o", str(target), "-j", "1")
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:4] == ["Summary", "Recommendations", "Platforms", "Errors"]
    assert "Summary 2" in book.sheetnames and "Recommendations 2" in book.sheetnames
    summary = [*book["Summary"].iter_rows(2), *book["Summary 2"].iter_rows(2)]
    assert len(summary) == len(list(SCENARIOS.glob("*.yaml")))
    assert book["Summary 2"]["A1"].value == "Firm"


def _links(page: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]+)"', page)


def test_portfolio_report_and_its_folder(firms: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "portfolio.html"
    target.parent.mkdir()
    old = os.umask(0o022)
    try:
        code, _, err = run(str(firms), "-f", "html", "-o", str(target), "-j", "2")
    finally:
        os.umask(old)
    assert code == 1 and "portfolio_files" in err
    page = target.read_text()
    folder = target.parent / "portfolio_files"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert len(files) == 3  # the firms scored; the failed one is listed in the report
    links = [link for link in _links(page) if link.startswith("portfolio_files/")]
    assert sorted(link.split("/", 1)[1] for link in links) == files
    for name in files:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o644
        report = (folder / name).read_text()
        assert report.startswith("<!DOCTYPE html>") and "<script>" not in report
    # the overview: platforms, frequent recommendations, weak dimensions; then the firms
    for heading in (
        "Best platform",
        "Most frequent recommendations",
        "Weakest dimensions of the grounded-theory model",
        "Firms that could not be scored",
        "What to do first",
    ):
        assert heading in page
    assert "<svg" in page and "<script" not in page and "http" not in page.split("</style>")[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "B2X" in page
    # a second run replaces the folder whole
    (folder / "stale.html").write_text("old")
    code, _, _ = run(str(firms / BEAUTY), "-f", "html", "-o", str(target), "-j", "1")
    assert code == 0
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 2 and left[0] == ".xbec-portfolio"
    assert left[1].endswith("_beauty-live-indonesia.yaml.html")
    assert sorted(p.name for p in target.parent.iterdir()) == ["portfolio.html", "portfolio_files"]


def test_portfolio_never_replaces_a_folder_it_did_not_write(firms: Path, tmp_path: Path) -> None:
    target = tmp_path / "portfolio.html"
    (tmp_path / "portfolio_files").mkdir()
    (tmp_path / "portfolio_files" / "mine.txt").write_text("keep")
    code, _, err = run(str(firms), "-f", "html", "-o", str(target))
    assert code == 2 and "was not written by xbec-advisor" in err
    assert (tmp_path / "portfolio_files" / "mine.txt").read_text() == "keep"
    assert not target.exists()


def test_safe_names_for_firm_files() -> None:
    from xbec_advisor._render.portfolio import folder_of, safe_name

    used: set[str] = set()
    names = [safe_name(rid, used) for rid in ["a/b", "a_b", "A_B", "../..", "", "x" * 300, "é"]]
    assert names[:3] == ["a_b.html", "a_b-2.html", "A_B-3.html"]
    assert names[3] == "firm.html" and names[4] == "firm-2.html"
    assert len(names[5]) == 80 + len(".html") and names[6] == "firm-3.html"
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert folder_of(Path("out/report.html")) == Path("out/report_files")


@pytest.fixture()
def shopee_rules(tmp_path: Path) -> Path:
    """A rules folder with one more platform rule: Shopee +3 in Southeast Asia."""
    rule = yaml.safe_load((ROOT / "rules" / "platform" / "PLAT-102.yaml").read_text())
    for key in ("fires", "silent", "may", "notes"):
        rule.pop(key, None)
    rule.update(
        id="PLAT-990",
        title="Try Shopee first in Southeast Asia",
        when={"field": "target_region", "op": "eq", "value": "southeast_asia"},
        platforms={"shopee": 3},
        fires={"sea": {"target_region": "southeast_asia"}},
        silent={"europe": {"target_region": "europe"}},
    )
    folder = tmp_path / "rules" / "platform"
    folder.mkdir(parents=True)
    (folder / "PLAT-990.yaml").write_text(yaml.safe_dump(rule, sort_keys=False))
    return folder.parent


def _scores(*args: str) -> dict[str, dict[str, object]]:
    code, out, err = run(str(SCENARIOS), "-f", "jsonl", *args)
    assert code == 0, err
    return {row["id"]: row for row in map(json.loads, out.splitlines())}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_score_uses_the_rules_folder(shopee_rules: Path, jobs: str) -> None:
    bundled = _scores("-j", jobs)
    mine = _scores("-j", jobs, "--rules", str(shopee_rules))
    beauty = str(SCENARIOS / BEAUTY)  # Southeast Asia: Shopee, second, now comes first
    assert (
        bundled[beauty]["platform_1"] == "tiktok_shop" and bundled[beauty]["platform_2"] == "shopee"
    )
    assert mine[beauty]["platform_1"] == "shopee"
    assert mine[beauty]["score_1"] > bundled[beauty]["score_1"] > bundled[beauty]["score_2"]
    assert mine[beauty]["recommendations"] == bundled[beauty]["recommendations"] + 1
    europe = str(SCENARIOS / "eu-fashion-amazon-europe.yaml")
    assert mine[europe] == bundled[europe]


def test_spawned_workers_build_the_rules_folder(
    shopee_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xbec_advisor._batch import expand_paths, processes, read_items, score_items

    monkeypatch.setattr(processes.threading, "active_count", lambda: 2)  # spawn, not fork
    monkeypatch.setattr(processes, "CHUNK", 4)
    items = [item for path in expand_paths((str(SCENARIOS),)) for item in read_items(path)]
    rules = (str(shopee_rules),)
    spawned = list(score_items(iter(items), jobs=2, rules=rules))
    assert spawned == list(score_items(iter(items), jobs=1, rules=rules))
    assert any("PLAT-990" in r.fired for r in spawned)


def test_dask_workers_get_the_rules_folder(shopee_rules: Path) -> None:
    with in_process_cluster(1) as cluster:
        remote = _scores("--dask", cluster.scheduler_address, "--rules", str(shopee_rules))
    assert remote == _scores("-j", "1", "--rules", str(shopee_rules))


def test_counting_the_profiles(tmp_path: Path) -> None:
    from xbec_advisor._batch import counting

    jsonl = tmp_path / "a.jsonl"
    jsonl.write_bytes(b'{"a": 1}\n\n{"a": 2}\r\n{"a": 3}')  # a blank line, no final newline
    assert counting.count_lines(jsonl) == 3
    table = tmp_path / "a.csv"
    table.write_text("id,business_model\n" + "".join(f"f{i},B2B\n" for i in range(1000)))
    assert counting.count_file(table) == 1000
    yaml_list = tmp_path / "l.yaml"
    yaml_list.write_text("# firms\n- business_model: B2B\n  x: [a]\n-\n  business_model: B2C\n")
    assert counting.count_file(yaml_list) == 2
    yaml_list.write_bytes(b"\xef\xbb\xbf- business_model: B2B\n- business_model: B2C\n")  # BOM
    assert counting.count_file(yaml_list) == 2
    one = tmp_path / "o.yaml"
    one.write_text("business_model: B2B\n")
    assert counting.count_file(one) == 1
    json_list = tmp_path / "l.json"
    json_list.write_text('[{"business_model": "B2B"}]')
    assert counting.count_file(json_list) is None  # a parse would be needed: unknown
    assert counting.count_total([jsonl, table, yaml_list, one]) == 1006
    assert counting.count_total([jsonl, json_list]) is None
    assert counting.count_file(tmp_path / "missing.csv") == 1  # reported as one failed item
    # blocks: a file larger than a block is counted across its edges
    big = tmp_path / "b.jsonl"
    big.write_bytes(b'{"business_model": "B2B"}\n' * (counting.BLOCK // 10))
    assert counting.count_lines(big) == counting.BLOCK // 10


def test_counting_workbook_and_parquet_rows(tmp_path: Path) -> None:
    import xlsxwriter

    from xbec_advisor._batch import counting

    book_path = tmp_path / "firms.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    sheet = book.add_worksheet("Firms")
    for row in range(51):  # a header and 50 firms
        sheet.write_string(row, 0, "id" if row == 0 else f"f{row}")
    book.add_worksheet("How to fill").write_string(0, 0, "notes")
    book.close()
    assert counting.count_file(book_path) == 50
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert counting.count_file(tmp_path / "broken.xlsx") is None
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"business_model": ["B2B"] * 7}), tmp_path / "f.parquet")
    assert counting.count_file(tmp_path / "f.parquet") == 7


def test_the_progress_bar_shows_a_total_a_rate_and_the_time_left() -> None:
    from xbec_advisor._cli.progress import bar_options, rate_text, with_progress

    options = bar_options(500)
    assert options["length"] == 500 and options["show_eta"] and options["show_percent"]
    unknown = bar_options(None)
    assert unknown["length"] is None and not unknown["show_eta"] and unknown["show_pos"]
    assert rate_text(1500, 2.0) == "750/s" and rate_text(3, 2.0) == "1.5/s"
    assert rate_text(0, 0.0) == ""
    bar = click.progressbar(file=io.StringIO(), **options)
    bar.update(100, rate_text(100, 0.5))
    bar.eta_known = True  # click knows the time left after its first measures
    line = bar.format_progress_line()
    assert "100/500" in line and "20%" in line and "200/s" in line and ":" in line
    assert list(with_progress(iter(range(7)), 5, io.StringIO())) == list(range(7))
    assert list(with_progress(iter(range(3)), None, io.StringIO())) == [0, 1, 2]


def test_score_help_lists_the_formats_with_an_example_each() -> None:
    result = runner.invoke(main, ["score", "--help"])
    for fmt in ("table", "csv", "json", "jsonl", "markdown", "xlsx", "html"):
        assert f"-f {fmt}" in result.output or fmt == "table"
    assert "-o scores.xlsx" in result.output and "-o portfolio.html" in result.output
    assert "--rules" in result.output


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_an_interrupted_deliverable_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import tempfile

    from xbec_advisor._batch import scoring

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"scores.{fmt}"
    target.write_text("previous\n")
    original = scoring.score_chunk
    calls = []

    def failing(chunk: list[object], *args: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the user stops the run after some rows were written
        return original(chunk, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(scoring, "LOCAL_CHUNK", 2)
    monkeypatch.setattr(scoring, "score_chunk", failing)
    result = runner.invoke(main, ["score", str(SCENARIOS), "-j", "1", "-f", fmt, "-o", str(target)])
    assert result.exit_code != 0 and len(calls) == 3
    assert target.read_text() == "previous\n"
    assert [p.name for p in out.iterdir()] == [target.name]
    assert list(temp.iterdir()) == []


def test_a_folder_of_reports_follows_the_umask(tmp_path: Path) -> None:
    from xbec_advisor._io.folders import FolderBuild, new_folder_mode

    old = os.umask(0o077)
    try:
        assert new_folder_mode() == 0o700
        with FolderBuild(tmp_path / "reports", ".mark", "note") as built:
            (built.path / "a.html").write_text("a")
            built.commit()
        with FolderBuild(tmp_path / "reports", ".mark", "note") as built:
            pass  # not committed: nothing is put in place, nothing is left
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "reports").stat().st_mode) == 0o700
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [".mark", "a.html"]


def test_workbook_and_portfolio_show_the_most_influential_answers(tmp_path: Path) -> None:
    import openpyxl

    firm = str(SCENARIOS / BEAUTY)
    book, page = tmp_path / "s.xlsx", tmp_path / "p.html"
    for fmt, target in (("xlsx", book), ("html", page)):
        code, _, err = run(firm, "-f", fmt, "-o", str(target), "--sensitivity", "-j", "1")
        assert code == 0, err
    rows = list(openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True))
    assert rows[0][-1] == "Most influential answers" and rows[1][-1]
    first = str(rows[1][-1]).split(", ")[0]
    assert f"Answers that matter most: {first}" in page.read_text()


def test_workbook_is_the_same_with_several_workers(tmp_path: Path) -> None:
    import openpyxl

    books = []
    for jobs in ("1", "2"):
        target = tmp_path / f"j{jobs}.xlsx"
        code, _, err = run(str(SCENARIOS), "-f", "xlsx", "-o", str(target), "-j", jobs)
        assert code == 0, err
        book = openpyxl.load_workbook(target)
        books.append({s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets})
    assert books[0] == books[1] and len(books[0]["Recommendations"]) > 100


def test_workbook_in_chinese(firms: Path, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "scores.xlsx"
    code, _, _ = run(str(firms), "-f", "xlsx", "-o", str(target), "-j", "1", "--lang", "zh")
    assert code == 1
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["摘要", "建议", "平台", "错误"]
    headers = [c.value for c in book.worksheets[1][1]]
    assert headers[:2] == ["企业", "规则"] and "标题" in headers
    # the rules' titles in Chinese, their ids as they are
    row = [c.value for c in book.worksheets[1][2]]
    assert str(row[1]).split("-")[0].isupper()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(row[5]))
