"""Reading tables of profiles row by row: CSV, JSON Lines and Parquet, every reader bounded.

A row is read as the batch goes, never the whole file at once; a row that cannot be read (a
line over the size of a profile, a cell over the CSV cell limit, text that is not UTF-8, a
Parquet cell too large) becomes a failed item and the rows after it are still read. Limits:
:data:`MAX_ROWS` rows per file, :data:`MAX_COLUMNS` columns, a row at most the 2 MiB of a
profile file; duplicate column names are refused.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .._errors import shown
from .._io.bounds import MAX_INPUT_BYTES
from .._io.reading import open_regular
from .._profile.model import field_specs
from .items import Item, split_id

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "read_csv", "read_jsonl", "read_parquet"]

#: Most rows read from one table; the rest of a longer file is reported as not read.
MAX_ROWS = 10_000_000
#: Most columns of a table (a profile has 31 fields, and an id).
MAX_COLUMNS = 100
_CHUNK = 64 * 1024


def _cell(field: str, text: str) -> object:
    """A cell as the profile expects it: lists split on ';', yes/no and numbers converted."""
    spec = field_specs().get(field)
    return text.strip() if spec is None else spec.from_cell(text)


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
    path: Path, handle: BinaryIO, kind: str
) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, problem) per line: a line that is too long or not UTF-8 has a
    problem; a file whose first line holds a NUL byte is refused as binary."""
    for number, raw in _raw_lines(handle, MAX_INPUT_BYTES):
        where = f"{path}:{number}"
        if raw is None:
            yield (
                number,
                None,
                f"{where}: the line is longer than {MAX_INPUT_BYTES:,} bytes, "
                "the limit of a profile",
            )
            continue
        if number == 1:
            if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield 0, None, f"{path}: UTF-16 text; save it as UTF-8"
                return
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in raw:
            if number == 1:
                yield 0, None, f"{path}: looks like a binary file; expected {kind} text"
                return
            yield number, None, f"{where}: a NUL byte; expected {kind.removesuffix(' Lines')} text"
            continue
        try:
            yield number, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            yield number, None, f"{where}: not UTF-8 text (bad byte at column {exc.start + 1})"


def _too_many(path: Path) -> Item:
    return Item(
        id=str(path),
        error=f"{path}: more than {MAX_ROWS:,} rows; the rest of the file is not read "
        "(split it into several files)",
    )


def read_jsonl(path: Path) -> Iterator[Item]:
    """One item per non-blank line, read as the batch goes: the first profiles of a large file
    are scored (by the workers too) while the rest is still unread."""
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
                yield _too_many(path)
                return
            # decoded where it is scored (Item.resolved)
            yield Item(id=f"{path}:{number}", line=line.rstrip("\r\n"))


class _Lines:
    """The lines of a CSV file for :mod:`csv`, the problems of the skipped ones kept aside."""

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path = path
        self.lines = _decoded(path, handle, "CSV")
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


def _header(path: Path, row: list[str]) -> list[str] | Item:
    names = [name.strip() for name in row]
    if len(names) > MAX_COLUMNS:
        return Item(
            id=str(path),
            error=f"{path}:1: {len(names):,} columns; the limit is {MAX_COLUMNS} "
            "(a column per profile field, and id)",
        )
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            return Item(
                id=str(path),
                error=f"{path}:1: the column {shown(name)} appears twice; "
                "each field has one column",
            )
        seen.add(name)
    return names


def read_csv(path: Path) -> Iterator[Item]:
    """One item per row, read as the batch goes; a row that cannot be read fails alone."""
    limit = csv.field_size_limit()
    with open_regular(path) as handle:
        lines = _Lines(path, handle)
        reader = csv.reader(lines)
        header: list[str] | None = None
        rows = 0
        while True:
            try:
                row: list[str] | None = next(reader)
            except StopIteration:
                row = None
            except csv.Error as exc:
                where = f"{path}:{reader.line_num}"
                message = (
                    f"a cell is longer than {limit:,} characters; the row is skipped"
                    if "field larger" in str(exc)
                    else f"invalid CSV: {exc}"
                )
                yield Item(id=where, error=f"{where}: {message}")
                continue
            yield from lines.problems
            lines.problems.clear()
            if row is None or lines.fatal:
                return
            if header is None:
                names = _header(path, row)
                if isinstance(names, Item):
                    yield names
                    return
                header = names
                continue
            rows += 1
            if rows > MAX_ROWS:
                yield _too_many(path)
                return
            yield _csv_item(path, reader.line_num, header, row)


def _csv_item(path: Path, line: int, header: list[str], row: list[str]) -> Item:
    where = f"{path}:{line}"
    if len(row) > len(header):
        return Item(id=where, error=f"{where}: more cells than the header has columns")
    data = {
        name: _cell(name, value)
        for name, value in zip(header, row, strict=False)
        if name and value.strip() != ""
    }
    return split_id(data, where)


def read_parquet(path: Path) -> Iterator[Item]:
    """One item per row, read in small batches: the file is checked against the limits from its
    metadata first, text columns stay dictionary-encoded until each cell's size is known (a
    small file can decode into gigabytes), and a row with a cell too large fails alone."""
    try:
        import pyarrow.parquet as pq  # optional: pip install pyarrow
    except ImportError:
        yield Item(
            id=str(path), error=f"{path}: reading Parquet needs pyarrow (pip install pyarrow)"
        )
        return
    from . import parquet

    with open_regular(path) as handle:
        yield from parquet.rows(path, handle, pq, _parquet_item)


def _parquet_item(path: Path, number: int, row: dict[str, Any]) -> Item:
    data = {
        k: (_cell(k, v) if isinstance(v, str) else v)
        for k, v in row.items()
        if v is not None and v != ""
    }
    return split_id(data, f"{path}:{number}")


RowItem = Callable[[Path, int, dict[str, Any]], Item]
