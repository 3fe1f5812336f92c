"""A small streaming XLSX writer: tables of text and numbers, written row by row.

An XLSX file is a zip archive of XML parts. This writer produces the few that a workbook of
plain tables needs (content types, relationships, the workbook, a style sheet with a bold
shaded header, one part per sheet) and nothing else: each sheet has a header row, a frozen
first row and column, a filter over the table, column widths fitted to what was written and,
if asked, a three-colour scale over a range. Rows go to a temporary file as they come (memory
stays flat), strings inline (no shared-string table); :meth:`StreamBook.close` writes the
archive, each sheet's rows copied from its temporary file into the zip.

It exists for speed: a workbook of a batch holds some twenty rows per firm, and writing them
with XlsxWriter cost several times the scoring itself. Most cells repeat (a rule's title, area
and papers), so the XML of each text is built once per sheet (:data:`_CACHED` of them at a
time) and a cell costs a dict lookup and a string join. Texts are escaped for XML, characters
XML cannot hold become Excel's ``_xHHHH_`` escapes (a literal ``_xHHHH_`` is protected, as
Excel expects), and whatever the sheet's ``clean`` function does to texts (formula
neutralisation) is applied first. The archive is deterministic: same rows, same bytes.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from typing import IO

__all__ = ["StreamBook", "StreamSheet", "column_name", "excel_width"]

#: Texts whose XML a sheet keeps (then it starts afresh): bounded memory however many firms.
_CACHED = 50_000
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DATE = (1980, 1, 1, 0, 0, 0)
#: Deflate level of the archive's members.
_LEVEL = 6
#: Characters XML 1.0 cannot hold (written as Excel's _xHHHH_ escapes), and literal escapes.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FF{fill}"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    '</cellStyles><dxfs count="0"/><tableStyles count="0"/></styleSheet>'
)


def column_name(index: int) -> str:
    """The letters of a column (0 is ``A``, 26 is ``AA``)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def excel_width(chars: float) -> float:
    """The stored width of a column ``chars`` characters wide (Calibri 11, as Excel computes
    it: 7 pixels a digit and 5 of padding)."""
    return (int(chars * 7 + 0.5) + 5) / 7


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    return _UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _inline(text: str, style: str = "") -> str:
    """A text cell's XML after its reference (``<c r="A1"``)."""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'{style} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


class StreamSheet:
    """One sheet: a header row, then rows of text (cleaned, escaped) and numbers; ``None`` and
    ``""`` leave a cell empty. ``widths`` holds each column's longest text so far."""

    def __init__(
        self, name: str, headers: Sequence[str], handle: IO[str], clean: Callable[[str], str]
    ) -> None:
        self.name, self.headers, self.handle, self.clean = name, list(headers), handle, clean
        self.letters = [column_name(i) for i in range(len(self.headers))]
        self.widths = [len(h) for h in self.headers]
        #: The columns' widths in characters, if set (else ``widths``).
        self.column_widths: list[float] | None = None
        self.rows = 1
        self.filter = True
        self.colour_scale: tuple[int, int, int, int, tuple[str, str, str]] | None = None
        self._texts: dict[str, tuple[str, int]] = {}
        bold = ' s="1"'
        head = "".join(
            f'<c r="{letter}1"{_inline(header, bold)}'
            for letter, header in zip(self.letters, self.headers, strict=True)
        )
        handle.write(f'<row r="1">{head}</row>')

    def _text(self, value: str) -> tuple[str, int]:
        if len(self._texts) >= _CACHED:
            self._texts.clear()
        shown = self.clean(value)
        found = self._texts[value] = (_inline(shown), len(shown))
        return found

    def add(self, values: Sequence[object]) -> None:
        """One row: texts as text, numbers as numbers, ``None`` and ``""`` left empty."""
        self.rows += 1
        r = self.rows
        cells = [f'<row r="{r}">']
        widths, letters, texts = self.widths, self.letters, self._texts
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                xml, width = texts.get(value) or self._text(value)
            elif (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            ):
                xml, width = f"><v>{value!r}</v></c>", len(f"{value:g}")
            else:
                xml, width = texts.get(str(value)) or self._text(str(value))
            cells.append(f'<c r="{letters[col]}{r}"{xml}')
            if width > widths[col]:
                widths[col] = width
        cells.append("</row>")
        self.handle.write("".join(cells))

    def head(self, selected: bool) -> str:
        """The sheet's XML before its rows."""
        widths = self.column_widths if self.column_widths is not None else self.widths
        last = f"{self.letters[-1]}{self.rows}"
        tab = ' tabSelected="1"' if selected else ""
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{excel_width(w)!r}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        return (
            f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><dimension ref="A1:{last}"/>'
            f'<sheetViews><sheetView{tab} workbookViewId="0">'
            '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" '
            'state="frozen"/><selection pane="topRight" activeCell="B1" sqref="B1"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            '<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        )

    def filter_range(self) -> str:
        """The range of the filter: the header and every row (at least one)."""
        return f"A1:{self.letters[-1]}{max(self.rows, 2)}"

    def tail(self) -> str:
        """The sheet's XML after its rows."""
        parts = ["</sheetData>"]
        if self.filter:
            parts.append(f'<autoFilter ref="{self.filter_range()}"/>')
        if self.colour_scale is not None:
            top, left, bottom, right, colours = self.colour_scale
            area = f"{column_name(left)}{top + 1}:{column_name(right)}{bottom + 1}"
            low, mid, high = (f'<color rgb="FF{c.lstrip("#").upper()}"/>' for c in colours)
            parts.append(
                f'<conditionalFormatting sqref="{area}"><cfRule type="colorScale" priority="1">'
                '<colorScale><cfvo type="min" val="0"/><cfvo type="percentile" val="50"/>'
                f'<cfvo type="max" val="0"/>{low}{mid}{high}</colorScale></cfRule>'
                "</conditionalFormatting>"
            )
        parts.append(
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )
        return "".join(parts)


class StreamBook:
    """A workbook written to ``out`` (a seekable binary file) by :meth:`close`; its sheets'
    rows wait in files of the folder ``tmpdir`` meanwhile (:meth:`discard` closes them)."""

    def __init__(self, out: IO[bytes], tmpdir: str, header_fill: str = "#dde6ef") -> None:
        self.out, self.tmpdir = out, tmpdir
        self.fill = header_fill.lstrip("#").upper()
        self.sheets: list[StreamSheet] = []

    def add_sheet(
        self, name: str, headers: Sequence[str], clean: Callable[[str], str] = str
    ) -> StreamSheet:
        """A new sheet, after the others."""
        path = os.path.join(self.tmpdir, f"sheet{len(self.sheets) + 1}.xml")
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (kept open)
        sheet = StreamSheet(name, headers, handle, clean)
        self.sheets.append(sheet)
        return sheet

    def discard(self) -> None:
        """Close every sheet's temporary file."""
        for sheet in self.sheets:
            if not sheet.handle.closed:
                sheet.handle.close()

    def close(self) -> None:
        """Write the archive."""
        self.discard()
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in self._parts():
                archive.writestr(_member(name), text.encode())
            for k, sheet in enumerate(self.sheets):
                head = sheet.head(selected=k == 0).encode()
                tail = sheet.tail().encode()
                rows = sheet.handle.name
                info = _member(f"xl/worksheets/sheet{k + 1}.xml")
                info.file_size = len(head) + os.path.getsize(rows) + len(tail)  # zip64 if large
                with archive.open(info, "w") as member, open(rows, "rb") as source:
                    member.write(head)
                    shutil.copyfileobj(source, member, 1 << 20)
                    member.write(tail)

    def _parts(self) -> list[tuple[str, str]]:
        n = len(self.sheets)
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
            f'ContentType="{_TYPE}.worksheet+xml"/>'
            for k in range(1, n + 1)
        )
        types = (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f"{sheet_types}</Types>"
        )
        root = (
            f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )
        links = "".join(
            f'<Relationship Id="rId{k}" Type="{_RELS}/worksheet" Target="worksheets/sheet{k}.xml"/>'
            for k in range(1, n + 1)
        )
        rels = (
            f'{_XML}<Relationships xmlns="{_PKG}">{links}<Relationship Id="rId{n + 1}" '
            f'Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'
        )
        sheets = "".join(
            f'<sheet name="{_escape(s.name)}" sheetId="{k}" r:id="rId{k}"/>'
            for k, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
            + _escape("'" + s.name.replace("'", "''") + "'!" + _absolute(s.filter_range()))
            + "</definedName>"
            for k, s in enumerate(self.sheets)
            if s.filter
        )
        book = (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )
        return [
            ("[Content_Types].xml", types),
            ("_rels/.rels", root),
            ("xl/workbook.xml", book),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/styles.xml", _STYLES.replace("{fill}", self.fill)),
        ]


def _member(name: str) -> zipfile.ZipInfo:
    """An archive member, deflated at :data:`_LEVEL`, dated as every other (determinism)."""
    info = zipfile.ZipInfo(name, _DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = _LEVEL  # type: ignore[attr-defined]  # (compress_level from 3.13)
    return info


def _absolute(area: str) -> str:
    """``A1:H9`` as ``$A$1:$H$9``."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref) for ref in area.split(":"))
