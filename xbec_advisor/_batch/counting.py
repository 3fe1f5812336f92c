"""How many profiles a batch holds, counted cheaply before scoring, for the progress bar.

Each count reads as little as it can: lines of JSON Lines and CSV files counted in binary blocks
(no decoding, no parsing), Parquet row counts from the metadata, one profile per YAML or JSON
file (a YAML list: its top-level ``-`` items), the row count an XLSX sheet declares. Where a
count would cost a parse (a JSON list, an ODS sheet, an unknown kind of file), it is unknown and
so is the total: the bar then shows a count without a total. A count is an estimate (a CSV cell
over several lines counts as several rows); the bar never stops the batch.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .._errors import InputError
from .._io.reading import open_regular

__all__ = ["BLOCK", "count_file", "count_lines", "count_total", "count_xlsx_rows"]

#: Bytes read at once while counting lines.
BLOCK = 1024 * 1024
#: Most bytes of a YAML or JSON file looked at (as :data:`.sources.MAX_LIST_BYTES`).
_MAX_LIST_BYTES = 32 * 1024 * 1024
#: Bytes of a YAML or JSON file read to tell a profile from a list.
_HEAD = 64 * 1024
#: Most bytes of an XLSX part read to find a sheet's declared size.
_MAX_XML_HEAD = 64 * 1024
_YAML_ITEM = re.compile(rb"^-(?:[ \t]|\r?$)", re.M)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def count_lines(path: Path) -> int:
    """The non-blank lines of a text file, counted in binary blocks of :data:`BLOCK` bytes."""
    lines = blank = 0
    last = b"\n"
    with open_regular(path) as handle:
        while block := handle.read(BLOCK):
            lines += block.count(b"\n")
            # blank lines within the block (one on a block's edge is counted as a line)
            blank += block.count(b"\n\n") + block.count(b"\n\r\n")
            if last == b"\n" and block[:1] == b"\n":
                blank += 1
            last = block[-1:]
    if last != b"\n":
        lines += 1  # a last line without its newline
    return max(lines - blank, 0)


def _yaml_json_count(path: Path) -> int | None:
    """One profile, or the items of a list: YAML's top-level ``-`` lines (the whole file is
    read only for a list); a JSON list would need a parse (unknown)."""
    with open_regular(path) as handle:
        head = handle.read(_HEAD).removeprefix(codecs.BOM_UTF8)
        kind = _document_kind(head)
        if kind != "yaml list":
            return None if kind == "json list" else 1
        text = head + handle.read(_MAX_LIST_BYTES + 1 - len(head))
    if len(text) > _MAX_LIST_BYTES:
        return 1  # refused by the reader: one failed item
    return len(_YAML_ITEM.findall(text))


def _document_kind(head: bytes) -> str:
    """``yaml list``, ``json list`` or ``profile``, from the first line that says something."""
    for line in head.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(b"#") or stripped == b"---":
            continue
        if stripped.startswith(b"["):
            return "json list"
        return "yaml list" if line.startswith(b"-") else "profile"
    return "profile"


def count_xlsx_rows(path: Path) -> int | None:
    """The data rows the first sheet of an XLSX workbook declares (its ``dimension``, less the
    header row), or None when it declares none."""
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as book:
            names = sorted(
                n for n in book.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
            )
            if not names:
                return None
            first = min(names, key=lambda n: int(re.sub(r"\D", "", n)))
            with book.open(first) as part:
                head = part.read(_MAX_XML_HEAD)
    except (OSError, InputError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    found = _DIMENSION.search(head)
    if found is None:
        return None
    last = int(found.group(1)) if found.group(1) else 1
    return max(last - 1, 0)


def _parquet_rows(path: Path) -> int | None:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        return 1  # the reader reports one failed item: pyarrow is missing
    try:
        with open_regular(path) as handle:
            return int(pq.ParquetFile(handle).metadata.num_rows)
    except Exception:  # a broken file: the reader reports it as one failed item
        return 1


def count_file(path: Path) -> int | None:
    """The profiles in one input file, or None when counting them would cost a parse."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            return count_lines(path)
        if suffix == ".csv":
            return max(count_lines(path) - 1, 0)  # less the header
        if suffix == ".parquet":
            return _parquet_rows(path)
        if suffix in (".yaml", ".yml", ".json"):
            return _yaml_json_count(path)
        if suffix == ".xlsx":
            return count_xlsx_rows(path)
    except (OSError, InputError):
        return 1  # the reader reports the file as one failed item
    except Exception:  # counting never stops the batch
        return None
    return None


def count_total(paths: Iterable[Path]) -> int | None:
    """The profiles in all the files, or None when one file's count is unknown."""
    total = 0
    for path in paths:
        found = count_file(path)
        if found is None:
            return None
        total += found
    return total
