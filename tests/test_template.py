"""``xbec-advisor template``: the sheet a consultant fills scores without edits."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from click.testing import CliRunner

from xbec_advisor._batch.template import EXAMPLE, EXAMPLE_ID, columns
from xbec_advisor._cli import main
from xbec_advisor._profile.model import field_specs

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "french-cosmetics-tmall-global.yaml"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _scores(path: Path) -> list[list[str]]:
    code, out, err = _run("score", str(path), "-j", "1", "-f", "csv")
    assert code == 0, err
    return [row[1:] for row in csv.reader(io.StringIO(out))][1:]  # without the id


def test_the_example_row_is_the_bundled_scenario() -> None:
    assert yaml.safe_load(SCENARIO.read_text()) == EXAMPLE


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_written_template_scores_like_its_scenario(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"clients{suffix}"
    code, _, err = _run("template", "-o", str(path))
    assert code == 0 and err == f"wrote {path}\n"
    code, out, err = _run("score", str(path), "-j", "1", "-f", "csv")
    assert code == 0, err
    assert out.splitlines()[1].startswith(f"{EXAMPLE_ID},ok,")
    assert _scores(path) == _scores(SCENARIO)


def test_a_filled_csv_template_scores(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    assert _run("template", "-o", str(path))[0] == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID,Name,Business model,")
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["c2", "Shenzhen Toys", "B2C: selling to consumers", "Export", "中国"])
        writer.writerow(["c3", "Lyon Bijoux", "b2b", "export", "France", "Europe"])
    code, out, err = _run("score", str(path), "-j", "1", "-f", "csv")
    assert code == 0, err
    assert [row[:2] for row in csv.reader(io.StringIO(out))][1:] == [
        [EXAMPLE_ID, "ok"],
        ["c2", "ok"],
        ["c3", "ok"],
    ]


def test_the_workbook_explains_each_column(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    assert _run("template", "-o", str(path))[0] == 0
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        book = archive.read("xl/workbook.xml").decode()
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        comments = next(archive.read(n).decode() for n in names if "comments" in n)
        guide = archive.read("xl/sharedStrings.xml").decode()
    assert book.index('name="Clients"') < book.index('name="How to fill"')
    assert 'state="hidden"' in book  # the Lists sheet the drop-downs read
    assert '<pane xSplit="2" ySplit="1"' in sheet  # header and ID/Name frozen
    choice_fields = [n for n, s in field_specs().items() if s.kind in ("enum", "bool")]
    assert sheet.count('type="list"') == len(choice_fields)
    assert sheet.count("separate several with") == sum(s.is_list for s in field_specs().values())
    for spec in field_specs().values():
        assert escape(spec.description) in comments, spec.name
    assert "one of: Micro firm; Small firm; Medium-sized firm; Large firm" in guide
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_every_column_is_matched_back() -> None:
    from xbec_advisor._profile.matching import match_column

    cols = columns()
    assert [match_column(c.header) for c in cols] == [c.field for c in cols]
    assert [c.field for c in cols][2:] == list(field_specs())


def test_other_suffixes_are_refused(tmp_path: Path) -> None:
    code, _, err = _run("template", "-o", str(tmp_path / "clients.ods"))
    assert code == 2 and "the template is written as .xlsx or .csv" in err
    assert not (tmp_path / "clients.ods").exists()


def test_help_has_an_example() -> None:
    code, out, _ = _run("template", "--help")
    assert code == 0 and "xbec-advisor template -o clients.xlsx" in out
