"""Parquet tables, bounded: a small file must not decode into gigabytes.

The metadata is checked first (columns, rows, uncompressed size, column types); rows are then
read in small batches with text columns kept dictionary-encoded, each cell's size measured
before any Python value is built, and a row with a cell over the limit fails alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

from .._errors import shown
from .._i18n import _
from .._io.bounds import MAX_INPUT_BYTES
from .items import Item

__all__ = ["BATCH", "MAX_CELL", "MAX_TABLE_BYTES", "rows"]

#: Rows decoded at once.
BATCH = 256
#: Largest cell (text, or a list's text together), as in a CSV file.
MAX_CELL = 128 * 1024
#: Largest uncompressed size of a table's data.
MAX_TABLE_BYTES = 512 * 1024 * 1024
_MAX_COLUMNS = 100
_MAX_ROWS = 10_000_000

RowItem = Callable[[Path, int, dict[str, Any]], Item]


def _allowed(pa: ModuleType, kind: Any) -> bool:
    scalar = (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_null(kind)
    )
    if scalar:
        return True
    if pa.types.is_dictionary(kind):
        return _allowed(pa, kind.value_type) and not pa.types.is_list(kind.value_type)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _allowed(pa, kind.value_type) and not pa.types.is_list(kind.value_type)
    return False


def _refusal(path: Path, meta: Any, schema: Any, pa: ModuleType) -> str | None:
    if meta.num_columns > _MAX_COLUMNS:
        return _("{path}: {count} columns; the limit is {limit}").format(
            path=path, count=f"{meta.num_columns:,}", limit=_MAX_COLUMNS
        )
    if meta.num_rows > _MAX_ROWS:
        return _("{path}: {count} rows; the limit is {limit} (split the file)").format(
            path=path, count=f"{meta.num_rows:,}", limit=f"{_MAX_ROWS:,}"
        )
    size = sum(
        meta.row_group(g).column(c).total_uncompressed_size
        for g in range(meta.num_row_groups)
        for c in range(meta.row_group(g).num_columns)
    )
    if size > MAX_TABLE_BYTES:
        return _("{path}: {size} bytes of data uncompressed; the limit is {limit}").format(
            path=path, size=f"{size:,}", limit=f"{MAX_TABLE_BYTES:,}"
        )
    for field in schema:
        if not _allowed(pa, field.type):
            return _(
                "{path}: column {column} has type {kind}; allowed: text, numbers, true/false, "
                "and lists of text or numbers"
            ).format(path=path, column=shown(field.name), kind=field.type)
    return None


def _sizes(pa: ModuleType, pc: ModuleType, column: Any) -> list[int]:
    """Each row's size in the column (bytes of text; 8 a number), without decoding the text."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        lengths = _sizes(pa, pc, column.dictionary)
        return [0 if i is None else lengths[i] for i in column.indices.to_pylist()]
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return [n or 0 for n in pc.binary_length(column).to_pylist()]
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        inner = _sizes(pa, pc, column.values)
        offsets = column.offsets.to_pylist()
        return [sum(inner[offsets[i] : offsets[i + 1]]) for i in range(len(column))]
    return [8] * len(column)


def rows(path: Path, handle: BinaryIO, pq: ModuleType, make: RowItem) -> Iterator[Item]:
    """The items of a Parquet file, one per row, or one failed item for the file."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        probe = pq.ParquetFile(handle)
        schema = probe.schema_arrow
        problem = _refusal(path, probe.metadata, schema, pa)
    except Exception as exc:  # pyarrow raises many types for a broken file
        yield Item(
            id=str(path),
            error=_("{path}: not a readable Parquet file ({kind})").format(
                path=path, kind=type(exc).__name__
            ),
        )
        return
    if problem is not None:
        yield Item(id=str(path), error=problem)
        return
    texts = [
        f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
    ]
    handle.seek(0)
    number = 0
    try:
        table = pq.ParquetFile(handle, read_dictionary=texts)
        for batch in table.iter_batches(batch_size=BATCH):
            sizes = [_sizes(pa, pc, batch.column(i)) for i in range(batch.num_columns)]
            for r in range(batch.num_rows):
                number += 1
                yield _row(path, number, batch, r, [s[r] for s in sizes], make)
    except Exception as exc:
        yield Item(
            id=f"{path}:{number + 1}",
            error=_("{where}: the rest of the file cannot be read ({kind})").format(
                where=f"{path}:{number + 1}", kind=type(exc).__name__
            ),
        )


def _row(path: Path, number: int, batch: Any, r: int, sizes: list[int], make: RowItem) -> Item:
    where = f"{path}:{number}"
    biggest = max(sizes, default=0)
    if biggest > MAX_CELL:
        column = batch.schema.names[sizes.index(biggest)]
        return Item(
            id=where,
            error=_(
                "{where}: column {column}: a cell of {size} bytes; the limit is {limit}"
            ).format(where=where, column=shown(column), size=f"{biggest:,}", limit=f"{MAX_CELL:,}"),
        )
    if sum(sizes) > MAX_INPUT_BYTES:
        return Item(
            id=where,
            error=_("{where}: the row is larger than the limit of a profile").format(where=where),
        )
    return make(path, number, batch.slice(r, 1).to_pylist()[0])
