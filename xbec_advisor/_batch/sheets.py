"""Reading spreadsheets of profiles (XLSX and ODS) with python-calamine, bounded.

A spreadsheet is a zip archive that a reader inflates in memory, so the archive is checked
first: each member's deflated stream is inflated here (and thrown away) to measure its real
size, whatever sizes the archive declares, and the workbook is refused when the members
together exceed :data:`MAX_UNZIPPED_BYTES` (a "zip bomb" is a small file that inflates into
gigabytes), or when it has more than :data:`MAX_MEMBERS` members. Then the sheet is read: the
one named ``Clients``, ``Firms`` or ``Profiles`` (any case) if there is one, else the first
sheet. Its first non-blank row is the header (matched to the fields once, :mod:`.columns`);
blank rows are skipped; each other row is one item named ``file:ROW`` (the row number the
spreadsheet shows) unless an ``id`` or ``name`` column names it.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .._errors import InputError, shown
from .._i18n import _
from .._io.reading import open_regular
from .._profile.matching import normalise
from .columns import MAX_COLUMNS, Warn
from .items import Item

__all__ = ["MAX_MEMBERS", "MAX_UNZIPPED_BYTES", "SHEET_NAMES", "check_archive", "read_sheet"]

#: Most bytes a workbook's archive may inflate to (about 200,000 rows of a profile table).
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
#: Most members of a workbook's archive.
MAX_MEMBERS = 1_000
#: Sheet names read in preference to the first sheet (compared ignoring case and spaces).
SHEET_NAMES = ("clients", "firms", "profiles", "客户")
_CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
#: The start of an OLE compound file: an .xls workbook, or an encrypted .xlsx.
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")


def _inflated_size(handle: BinaryIO, info: zipfile.ZipInfo, budget: int) -> int:
    """The real size of one member (stopping once past ``budget``)."""
    if info.flag_bits & 0x1:
        raise InputError(
            _("{member} is encrypted; save the workbook without a password").format(
                member=shown(info.filename)
            )
        )
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise InputError(
            _("{member} is compressed with method {method}; spreadsheets use deflate").format(
                member=shown(info.filename), method=info.compress_type
            )
        )
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise InputError(
            _("{member}: a damaged archive member").format(member=shown(info.filename))
        )
    fields = _LOCAL_HEADER.unpack(header)
    handle.seek(fields[-2] + fields[-1], 1)  # the member's name and extra field
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    left, size = info.compress_size, 0
    while left > 0 and not inflate.eof:
        chunk = handle.read(min(_CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        data = inflate.decompress(chunk, budget + 1 - size)
        size += len(data)
        while inflate.unconsumed_tail and size <= budget:
            data = inflate.decompress(inflate.unconsumed_tail, budget + 1 - size)
            size += len(data)
        if size > budget:
            break
    return size


def check_archive(path: Path, handle: BinaryIO) -> None:
    """Refuse a workbook that is larger than :data:`MAX_UNZIPPED_BYTES`, is not a zip archive,
    has too many members, or inflates to more than :data:`MAX_UNZIPPED_BYTES` (measured, not
    taken from the archive's word)."""
    size = os.fstat(handle.fileno()).st_size
    if size > MAX_UNZIPPED_BYTES:
        raise InputError(
            _(
                "{path}: a workbook of {size} bytes; the limit is {limit} MiB (split it, or save "
                "it as CSV)"
            ).format(path=path, size=f"{size:,}", limit=MAX_UNZIPPED_BYTES // 2**20)
        )
    if handle.read(8) == _OLE:
        raise InputError(
            _(
                "{path}: an old-style .xls workbook or a password-protected one; save it as "
                ".xlsx (without a password), .ods or CSV UTF-8"
            ).format(path=path)
        )
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(
            _(
                "{path}: not a spreadsheet (XLSX and ODS files are zip archives); an old .xls "
                "must be saved as .xlsx"
            ).format(path=path)
        ) from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise InputError(
            _("{path}: {count} archive members; the limit is {limit}").format(
                path=path, count=f"{len(members):,}", limit=f"{MAX_MEMBERS:,}"
            )
        )
    total = 0
    for info in members:
        total += _inflated_size(handle, info, MAX_UNZIPPED_BYTES - total)
        if total > MAX_UNZIPPED_BYTES:
            raise InputError(
                _(
                    "{path}: the workbook inflates to more than {limit} MiB (a zip bomb, or a "
                    "table too large: split it, or save it as CSV)"
                ).format(path=path, limit=MAX_UNZIPPED_BYTES // 2**20)
            )
    handle.seek(0)


def _sheet_index(names: list[str]) -> int:
    wanted = [i for i, name in enumerate(names) if normalise(name) in SHEET_NAMES]
    return wanted[0] if wanted else 0


def read_sheet(path: Path, ignore_extra: bool = False, warn: Warn | None = None) -> Iterator[Item]:
    """One item per non-blank row of the workbook's client sheet; a bad row fails alone, a
    header that cannot be matched fails the file once."""
    from python_calamine import CalamineError, CalamineWorkbook

    from .tables import TableRows

    with open_regular(path) as handle:
        try:
            check_archive(path, handle)
        except InputError as exc:
            message = str(exc)
            yield Item(
                id=str(path),
                error=message if message.startswith(str(path)) else f"{path}: {message}",
            )
            return
        try:
            workbook = CalamineWorkbook.from_filelike(handle)
            sheet = workbook.get_sheet_by_index(_sheet_index(workbook.sheet_names))
            width, start = sheet.width, sheet.start
            rows = sheet.iter_rows()
        except (CalamineError, ValueError, OSError) as exc:
            problem = shown(str(exc), 200, quote=False)
            yield Item(
                id=str(path),
                error=_("{path}: cannot read the workbook: {problem}").format(
                    path=path, problem=problem
                ),
            )
            return
        if width > MAX_COLUMNS:
            yield Item(
                id=str(path),
                error=_(
                    "{path}: {count} columns in sheet {sheet}; the limit is {limit} (a column per "
                    "profile field, id and name)"
                ).format(path=path, count=f"{width:,}", sheet=shown(sheet.name), limit=MAX_COLUMNS),
            )
            return
        top = start[0] if start is not None else 0
        base: int | None = None  # the sheet's row number of the first row iterated, less 1
        table = TableRows(path, ignore_extra, warn)
        for offset, row in enumerate(rows):
            if base is None and any(cell is not None and cell != "" for cell in row):
                # the first row with a cell is the sheet's top row: rows count from there
                # (python-calamine yields the empty rows above it, or not, by version)
                base = top - offset
            if not any(cell is not None and str(cell).strip() for cell in row):
                continue
            item = table.item(row, f"{path}:{(base or 0) + offset + 1}")
            if item is not None:
                yield item
            if table.done:
                return
