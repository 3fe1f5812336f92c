"""The streaming XLSX writer of the workbook (``xbec_advisor/_batch/xlsx.py``): what it writes
reads back the same with openpyxl and python-calamine, and the same rows give the same bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from xbec_advisor._batch.xlsx import StreamBook, column_name, excel_width

TEXTS = [
    "a & b < c > d",
    " leading and trailing ",
    "tab\tand\nnewline",
    "control \x01 and \x1f",
    "_x0041_ is not an escape here",
    "é 中文 emoji 🙂",
]


def _book(tmp_path: Path) -> bytes:
    out = io.BytesIO()
    book = StreamBook(out, str(tmp_path))
    sheet = book.add_sheet("It's <mine>", ["Text", "Number", "Empty", "Other"], str.upper)
    for text in TEXTS:
        sheet.add([text, 2.5, None, 7])
    sheet.add(["float", float("nan"), "", True])
    sheet.colour_scale = (1, 1, len(TEXTS), 1, ("#f8696b", "#ffeb84", "#63be7b"))
    sheet.column_widths = [12, 10, 8, 8]
    book.add_sheet("Second", ["Only"])
    book.close()
    return out.getvalue()


def test_cells_read_back_exactly(tmp_path: Path) -> None:
    import openpyxl
    from python_calamine import CalamineWorkbook

    data = _book(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # every part is well-formed XML
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["Text", "Number", "Empty", "Other"]  # headers are not cleaned
    assert [r[0] for r in rows[1 : len(TEXTS) + 1]] == [t.upper() for t in TEXTS]
    assert rows[1][1:] == [2.5, "", 7.0]
    assert rows[-1] == ["FLOAT", "NAN", "", "TRUE"]  # what is not a finite number is text
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["It's <mine>", "Second"]
    sheet = book.worksheets[0]
    assert sheet["A3"].value == TEXTS[1].upper() and sheet["B2"].value == 2.5
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:D{len(TEXTS) + 2}"
    assert sheet.column_dimensions["A"].width == excel_width(12)
    scale = [r for cf in sheet.conditional_formatting for r in cf.rules]
    assert scale and scale[0].type == "colorScale"
    assert book["Second"].auto_filter.ref == "A1:A2"


def test_same_rows_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _book(tmp_path / "a") == _book(tmp_path / "b")


def test_column_names() -> None:
    assert [column_name(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
