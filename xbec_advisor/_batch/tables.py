"""Reading tables of profiles row by row: CSV, JSON Lines and Parquet, every reader bounded.

A row is read as the batch goes, never the whole file at once; a row that cannot be read (a
line over the size of a profile, a cell over the CSV cell limit, text that cannot be decoded, a
Parquet cell too large, a value that matches no allowed one) becomes a failed item and the rows
after it are still read. Limits: :data:`MAX_ROWS` rows per file, :data:`MAX_COLUMNS` columns,
a row at most the 2 MiB of a profile file. CSV and Parquet headers are matched to the fields
once per file (:mod:`.columns`); a CSV file's separator (comma, semicolon or tab) and encoding
(UTF-8 with or without BOM, else Windows-1252, said in a warning) are detected from its start.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .._i18n import _
from .._io.bounds import MAX_INPUT_BYTES
from .._io.reading import open_regular
from .columns import MAX_COLUMNS, Columns, Warn, map_header, row_item
from .items import Item

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "TableRows",
    "read_csv",
    "read_jsonl",
    "read_parquet",
    "sniff_csv",
    "too_many",
]

#: Most rows read from one table; the rest of a longer file is reported as not read.
MAX_ROWS = 10_000_000
_CHUNK = 64 * 1024
_DELIMITERS = (",", ";", "\t")


def _raw_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; None for a line longer than ``limit`` (skipped unread)."""
    number = 0
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := handle.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, raw


def _decoded(
    path: Path, handle: BinaryIO, kind: str, encoding: str = "utf-8"
) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, problem) per line: a line that is too long or not in ``encoding``
    has a problem; a file whose first line holds a NUL byte is refused as binary."""
    for number, raw in _raw_lines(handle, MAX_INPUT_BYTES):
        where = f"{path}:{number}"
        if raw is None:
            yield (
                number,
                None,
                _("{where}: the line is longer than {limit} bytes, the limit of a profile").format(
                    where=where, limit=f"{MAX_INPUT_BYTES:,}"
                ),
            )
            continue
        if number == 1:
            if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield 0, None, _("{path}: UTF-16 text; save it as UTF-8").format(path=path)
                return
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in raw:
            if number == 1:
                problem = _("{path}: looks like a binary file; expected {kind} text")
                yield 0, None, problem.format(path=path, kind=kind)
                return
            problem = _("{where}: a NUL byte; expected {kind} text")
            yield number, None, problem.format(where=where, kind=kind.removesuffix(" Lines"))
            continue
        try:
            yield number, raw.decode(encoding), None
        except UnicodeDecodeError as exc:
            what = "UTF-8" if encoding == "utf-8" else encoding
            problem = _("{where}: not {encoding} text (bad byte at column {column})")
            yield number, None, problem.format(where=where, encoding=what, column=exc.start + 1)


def _encoding(sample: bytes) -> str:
    """UTF-8 when the start of the file is UTF-8 (a character cut at the end of the sample
    allowed) or holds some UTF-8 beside bad bytes (then only the rows with bad bytes fail),
    else Windows-1252 (the "CSV" export of Excel on Western Windows), else Latin-1."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-8"  # refused line by line, with a message that says how to fix it
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = sample.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in text):
        return "utf-8"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _delimiter(first_line: str) -> str:
    """The separator that splits the header into the most cells (a comma when none does)."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in _DELIMITERS}
    best = max(counts.values())
    return next(d for d in _DELIMITERS if counts[d] == best)


def sniff_csv(handle: BinaryIO) -> tuple[str, str]:
    """(encoding, delimiter) of a CSV file, from its first 64 KiB; the handle is rewound."""
    sample = handle.read(_CHUNK)
    handle.seek(0)
    encoding = _encoding(sample.removeprefix(codecs.BOM_UTF8))
    lines = sample.removeprefix(codecs.BOM_UTF8).split(b"\n")
    first = next((line for line in lines if line.strip()), b"")  # the header
    return encoding, _delimiter(first.decode(encoding, errors="replace").rstrip("\r"))


def too_many(path: Path) -> Item:
    return Item(
        id=str(path),
        error=_(
            "{path}: more than {limit} rows; the rest of the file is not read (split it into "
            "several files)"
        ).format(path=path, limit=f"{MAX_ROWS:,}"),
    )


class TableRows:
    """The rows of a table, as the readers of CSV and spreadsheets share them: the first row
    given is the header (matched once for the file), each later one an item, at most
    :data:`MAX_ROWS`. :attr:`done` says the file must stop (a bad header, too many rows)."""

    def __init__(self, path: Path, ignore_extra: bool, warn: Warn | None) -> None:
        self.path, self.ignore_extra, self.warn = path, ignore_extra, warn
        self.columns: Columns | None = None
        self.count = 0
        self.done = False

    def item(self, row: list[Any], where: str) -> Item | None:
        """The item of a non-blank ``row`` (None for the header), or why the file stops."""
        if self.columns is None:
            header = map_header(self.path, row, self.ignore_extra, self.warn)
            if isinstance(header, Item):
                self.done = True
                return header
            self.columns = header
            return None
        self.count += 1
        if self.count > MAX_ROWS:
            self.done = True
            return too_many(self.path)
        return row_item(self.columns, where, row)


def read_jsonl(path: Path, ignore_extra: bool = False, warn: Warn | None = None) -> Iterator[Item]:
    """One item per non-blank line, read as the batch goes: the first profiles of a large file
    are scored (by the workers too) while the rest is still unread. Its keys are field ids and
    its values ids, as in a profile file (``ignore_extra`` and ``warn`` are not used)."""
    with open_regular(path) as handle:
        rows = 0
        for number, line, problem in _decoded(path, handle, "JSON Lines"):
            if problem is not None:
                yield Item(id=f"{path}:{number}" if number else str(path), error=problem)
                continue
            assert line is not None
            if not line.strip():
                continue
            rows += 1
            if rows > MAX_ROWS:
                yield too_many(path)
                return
            # decoded where it is scored (Item.resolved)
            yield Item(id=f"{path}:{number}", line=line.rstrip("\r\n"))


class _Lines:
    """The lines of a CSV file for :mod:`csv`, the problems of the skipped ones kept aside."""

    def __init__(self, path: Path, handle: BinaryIO, encoding: str) -> None:
        self.path = path
        self.lines = _decoded(path, handle, "CSV", encoding)
        self.problems: list[Item] = []
        self.fatal = False

    def __iter__(self) -> Iterator[str]:
        for number, line, problem in self.lines:
            if problem is not None:
                self.fatal = number == 0
                where = f"{self.path}:{number}" if number else str(self.path)
                self.problems.append(Item(id=where, error=problem))
                if self.fatal:
                    return
                continue
            assert line is not None
            yield line


def read_csv(path: Path, ignore_extra: bool = False, warn: Warn | None = None) -> Iterator[Item]:
    """One item per row, read as the batch goes; a row that cannot be read fails alone, a
    header that cannot be matched fails the file once."""
    limit = csv.field_size_limit()
    with open_regular(path) as handle:
        encoding, delimiter = sniff_csv(handle)
        if encoding != "utf-8" and warn is not None:
            assumed = "Windows-1252" if encoding == "cp1252" else "Latin-1"
            warn(
                _(
                    '{path}: not UTF-8; read as {encoding} (save it as "CSV UTF-8" to be sure of '
                    "the accents)"
                ).format(path=path, encoding=assumed)
            )
        lines = _Lines(path, handle, encoding)
        reader = csv.reader(lines, delimiter=delimiter)
        table = TableRows(path, ignore_extra, warn)
        while True:
            try:
                row: list[str] | None = next(reader)
            except StopIteration:
                row = None
            except csv.Error as exc:
                where = f"{path}:{reader.line_num}"
                message = (
                    _("a cell is longer than {limit} characters; the row is skipped").format(
                        limit=f"{limit:,}"
                    )
                    if "field larger" in str(exc)
                    else _("invalid CSV: {error}").format(error=exc)
                )
                yield Item(id=where, error=f"{where}: {message}")
                continue
            yield from lines.problems
            lines.problems.clear()
            if row is None or lines.fatal:
                return
            if not any(cell.strip() for cell in row):
                continue  # a blank row (or a spreadsheet's row of empty cells)
            item = table.item(row, f"{path}:{reader.line_num}")
            if item is not None:
                yield item
            if table.done:
                return


def read_parquet(
    path: Path, ignore_extra: bool = False, warn: Warn | None = None
) -> Iterator[Item]:
    """One item per row, read in small batches: the file is checked against the limits from its
    metadata first, text columns stay dictionary-encoded until each cell's size is known (a
    small file can decode into gigabytes), and a row with a cell too large fails alone."""
    try:
        import pyarrow.parquet as pq  # optional: pip install pyarrow
    except ImportError:
        yield Item(
            id=str(path),
            error=_("{path}: reading Parquet needs pyarrow (pip install pyarrow)").format(
                path=path
            ),
        )
        return
    from . import parquet

    state: dict[str, Columns | Item] = {}

    def item(path: Path, number: int, row: dict[str, Any]) -> Item:
        if "columns" not in state:
            state["columns"] = map_header(path, list(row), ignore_extra, warn)
        columns = state["columns"]
        if isinstance(columns, Item):
            return columns
        return row_item(columns, f"{path}:{number}", list(row.values()))

    with open_regular(path) as handle:
        for result in parquet.rows(path, handle, pq, item):
            yield result
            if isinstance(state.get("columns"), Item):
                return  # the header's problem is reported once


RowItem = Callable[[Path, int, dict[str, Any]], Item]
