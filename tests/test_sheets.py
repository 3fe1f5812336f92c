"""Spreadsheets in: the same 50 firms as CSV (machine, human headers, human values, semicolons,
BOM, Windows-1252), XLSX and ODS score the same; header and value problems are reported well;
workbooks are read within limits."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from xbec_advisor._cli import main
from xbec_advisor._profile.generate import random_answers
from xbec_advisor._profile.model import field_specs

FIRMS = 50


def _firms() -> list[dict[str, object]]:
    rng = random.Random(18)
    firms = []
    for n in range(FIRMS):
        answers = random_answers(rng, unknown_rate=0.25)
        firms.append({"id": f"firm-{n:02d}", "name": f"Café n°{n}", **answers})
    return firms


def _machine(field: str, value: object) -> str:
    if isinstance(value, list):
        return ";".join(map(str, value)) if value else "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _human(field: str, value: object, sep: str = "; ") -> str:
    spec = field_specs().get(field)
    if spec is None:
        return str(value)
    if isinstance(value, list):
        return sep.join(spec.show(v) for v in value) if value else "none"
    return spec.show(value)


def _columns(human_headers: bool) -> list[tuple[str, str]]:
    """(header, field) of every column: id, name and each field."""
    heads = (
        [("id", "id"), ("name", "name")] if not human_headers else [("ID", "id"), ("Name", "name")]
    )
    for name, spec in field_specs().items():
        heads.append((spec.label if human_headers else name, name))
    return heads


def _rows(
    firms: list[dict[str, object]], human_headers: bool, cell: Callable[[str, object], object]
) -> list[list[object]]:
    cols = _columns(human_headers)
    out: list[list[object]] = [[h for h, _ in cols]]
    for firm in firms:
        out.append([cell(f, firm[f]) if f in firm else "" for _, f in cols])
    return out


def _csv(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _xlsx(path: Path, rows: list[list[object]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Notes").write_string(0, 0, "not the client sheet")
    sheet = book.add_worksheet("Clients")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value != "":
                sheet.write_string(r, c, str(value))
    book.close()


def _ods(path: Path, rows: list[list[object]]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Firms")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, int | float) and not isinstance(value, bool):
                tc = TableCell(valuetype="float", value=value)
                tc.addElement(P(text=f"{value:g}"))
            else:
                tc = TableCell(valuetype="string")
                if value != "":
                    tc.addElement(P(text=str(value)))
            tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _native(field: str, value: object) -> object:
    """A spreadsheet's cell: numbers as numbers, yes/no as booleans, the rest in words."""
    if isinstance(value, bool | int | float):
        return value
    return _human(field, value)


def _score(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["score", *args, "-j", "1", "-f", "csv"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def machine_scores(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("machine")
    path = folder / "firms.csv"
    path.write_text(_csv(_rows(_firms(), False, _machine)), encoding="utf-8")
    code, out, err = _score(str(path))
    assert code == 0, err
    assert out.count("\n") == FIRMS + 1 and ",ok," in out
    return out


VARIANTS: dict[str, Callable[[Path], Path]] = {}


def _variant(name: str) -> Callable[[Callable[[Path], Path]], Callable[[Path], Path]]:
    def register(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
        VARIANTS[name] = make
        return make

    return register


@_variant("human headers")
def _human_headers(folder: Path) -> Path:
    path = folder / "firms.csv"
    path.write_text(_csv(_rows(_firms(), True, _machine)), encoding="utf-8")
    return path


@_variant("human values")
def _human_values(folder: Path) -> Path:
    path = folder / "firms.csv"
    path.write_text(_csv(_rows(_firms(), True, _human)), encoding="utf-8")
    return path


@_variant("semicolons")
def _semicolons(folder: Path) -> Path:
    path = folder / "firms.csv"
    path.write_text(_csv(_rows(_firms(), True, _human), ";"), encoding="utf-8")
    return path


@_variant("tabs")
def _tabs(folder: Path) -> Path:
    path = folder / "firms.csv"
    path.write_text(_csv(_rows(_firms(), False, _human), "\t"), encoding="utf-8")
    return path


@_variant("BOM")
def _bom(folder: Path) -> Path:
    path = folder / "firms.csv"
    path.write_text(_csv(_rows(_firms(), True, _human), ";"), encoding="utf-8-sig")
    return path


@_variant("Windows-1252")
def _cp1252(folder: Path) -> Path:
    path = folder / "firms.csv"
    text = _csv(_rows(_firms(), True, _human), ";")
    path.write_bytes(text.encode("cp1252", errors="strict"))
    return path


@_variant("XLSX")
def _xlsx_variant(folder: Path) -> Path:
    path = folder / "firms.xlsx"
    _xlsx(path, _rows(_firms(), True, _native))
    return path


@_variant("ODS")
def _ods_variant(folder: Path) -> Path:
    pytest.importorskip("odf")
    path = folder / "firms.ods"
    _ods(path, _rows(_firms(), True, _native))
    return path


@_variant("Parquet")
def _parquet_variant(folder: Path) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    firms = _firms()
    table: dict[str, list[object]] = {}
    for header, field in _columns(True):
        spec = field_specs().get(field)
        column: list[object] = []
        for firm in firms:
            value = firm.get(field)
            if spec is not None and spec.is_list:  # a list of labels; empty: an empty list
                value = None if value is None else [spec.show(v) for v in value]
            elif spec is not None and spec.kind not in ("bool", "number") and value is not None:
                value = spec.show(value)
            column.append(value)
        table[header] = column
    path = folder / "firms.parquet"
    pq.write_table(pa.table(table), path)
    return path


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_format_scores_like_the_machine_csv(
    variant: str, tmp_path: Path, machine_scores: str
) -> None:
    path = VARIANTS[variant](tmp_path)
    code, out, err = _score(str(path))
    assert code == 0, err
    assert out == machine_scores
    if variant == "Windows-1252":
        assert "read as Windows-1252" in err
    else:
        assert "warning" not in err


def test_ids_come_from_id_else_name_else_the_row(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text("Name,Business model\nAcme,B2C\n,B2B\n", encoding="utf-8")
    code, out, err = _score(str(path))
    assert code == 0, err
    ids = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert ids == ["Acme", f"{path}:3"]
    from xbec_advisor._batch.sources import read_items

    (first, _) = read_items(path)
    assert first.name == "Acme" and first.data == {"business_model": "B2C"}


def test_a_name_key_in_a_yaml_list_names_the_profile(tmp_path: Path) -> None:
    path = tmp_path / "firms.yaml"
    path.write_text("- {name: Acme, business_model: B2C}\n- {business_model: B2B}\n")
    code, out, err = _score(str(path))
    assert code == 0, err
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["Acme", f"{path}#2"]


def test_a_header_problem_is_reported_once_with_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    rows = "".join("B2B;CN;Europe\n" for _ in range(20))
    path.write_text("Busines model;Home contry;Target region\n" + rows, encoding="utf-8")
    code, _, err = _score(str(path))
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert (
        "unknown column 'Busines model' (did you mean 'Business model' (business_model)"
        in (errors[0])
    )
    assert "unknown column 'Home contry' (did you mean 'Home country' (home_country)" in errors[0]
    assert "--ignore-extra" in errors[0]


def test_ignore_extra_skips_unknown_columns_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text(
        "ID,Business model,Notes,Owner\na,B2C,call back,Ann\nb,B2B,,Bob\n", encoding="utf-8"
    )
    code, out, err = _score(str(path), "--ignore-extra")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {path}: ignored 2 unknown column(s): 'Notes', 'Owner'"]
    assert [line.split(",")[:2] for line in out.splitlines()[1:]] == [["a", "ok"], ["b", "ok"]]


def test_a_bad_value_fails_its_row_naming_the_column_and_the_closest_values(
    tmp_path: Path,
) -> None:
    path = tmp_path / "firms.xlsx"
    _xlsx(
        path,
        [
            ["ID", "Target region", "Home country", "Parcel tracking"],
            ["a", "Europa", "Frnace", "maybe"],
            ["b", "Europe", "France", "yes"],
        ],
    )
    code, out, err = _score(str(path))
    assert code == 1
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: a ({path}:2): column 'Target region': 'Europa' is not one")
    assert "(did you mean 'europe'" in line
    assert "column 'Home country': 'Frnace' is not a country (did you mean 'France'" in line
    assert "column 'Parcel tracking': 'maybe' is not yes or no" in line
    assert out.splitlines()[2].startswith("b,ok,")


def test_a_row_that_cannot_be_read_fails_alone_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "firms.xlsx"
    _xlsx(
        path,
        [
            ["ID", "Business model", "Years of selling abroad"],
            ["a", "B2C", 3],
            ["", "", ""],
            ["b", "B2C", "x" * 40_000],
            ["c", "B2B", 250],
        ],
    )
    code, out, err = _score(str(path))
    assert code == 1
    errors = [x for x in err.splitlines() if x.startswith("error:")]
    assert len(errors) == 2
    assert f"b ({path}:4): column 'Years of selling abroad': 'xxxx" in errors[0]
    assert "is not a number" in errors[0] and len(errors[0]) < 1_000  # the cell shortened
    assert "c: invalid profile: years_cross_border: at most 100" in errors[1]
    assert out.splitlines()[1].startswith("a,ok,")


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.xlsx"
    _xlsx(path, [[f"c{i}" for i in range(150)], ["x"] * 150])
    code, _, err = _score(str(path))
    assert code == 1 and "150 columns in sheet 'Clients'; the limit is 100" in err


def _bomb(path: Path, size: int, lie: bool) -> None:
    """A workbook-like zip whose one member inflates to ``size`` bytes; ``lie``: the archive
    declares 100 bytes instead."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    data = bytearray(buffer.getvalue())
    if lie:
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.find(signature)
            data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("lie", [False, True], ids=["declared", "lying about its size"])
def test_a_zip_bomb_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lie: bool
) -> None:
    from xbec_advisor._batch import sheets

    monkeypatch.setattr(sheets, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 4 * 1024 * 1024, lie)
    assert path.stat().st_size < 20_000
    code, _, err = _score(str(path))
    assert code == 1
    assert "the workbook inflates to more than 1 MiB (a zip bomb" in err


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "firms.xlsx"
    path.write_text("id,business_model\na,B2C\n")
    code, _, err = _score(str(path))
    assert code == 1 and "not a spreadsheet (XLSX and ODS files are zip archives)" in err


def test_spreadsheets_are_found_in_folders(tmp_path: Path) -> None:
    _xlsx(tmp_path / "a.xlsx", [["ID", "Business model"], ["x", "B2C"]])
    _xlsx(tmp_path / "b.XLSX", [["ID", "Business model"], ["y", "B2B"]])
    code, out, err = _score(str(tmp_path))
    assert code == 0, err
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["x", "y"]


def test_a_cell_over_the_limit_fails_its_row() -> None:
    from xbec_advisor._batch.columns import MAX_CELL_CHARS, Columns, row_item

    columns = Columns(headers=("ID", "Name"), fields=("id", "name"))
    item = row_item(columns, "firms.ods:7", ["a", "y" * (MAX_CELL_CHARS + 1)])
    assert item.error == (
        "a (firms.ods:7): column 'Name': a cell of 32,768 characters; the limit is 32,767"
    )


def test_an_old_xls_or_encrypted_workbook_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "firms.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)
    code, _, err = _score(str(path))
    assert code == 1 and "an old-style .xls workbook or a password-protected one" in err


def test_the_header_may_start_below_blank_rows_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "firms.xlsx"
    _xlsx(path, [[], [], ["", "Business model", "Home country"], ["", "B2C", "中国"]])
    code, out, err = _score(str(path))
    assert code == 0, err
    assert out.splitlines()[1].startswith(f"{path}:4,ok,")


def test_a_semicolon_file_with_blank_lines_first(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text("\n\nid;business_model;payment_modes\na;B2C;paypal,alipay\n", encoding="utf-8")
    code, out, err = _score(str(path))
    assert code == 0, err
    assert out.splitlines()[1].startswith("a,ok,")


def test_a_row_with_more_cells_than_the_header_says_so(tmp_path: Path) -> None:
    path = tmp_path / "firms.csv"
    path.write_text("id;business_model\na;B2C;extra\nb;B2B;;\n", encoding="utf-8")
    code, out, err = _score(str(path))
    assert code == 1
    assert f"error: {path}:2: 3 cells but the header has 2 columns" in err
    assert out.splitlines()[2].startswith("b,ok,")
