"""Reading batches of profiles: YAML/JSON files, CSV, JSON Lines and Parquet tables, folders, globs.

Every profile gets a stable id: the file name (one profile per file), ``file#N`` (the N-th of a
list), ``file:LINE`` (a table row, by its line in the file; the row number for Parquet), or the
value of an ``id`` column or key when there is one. A file that cannot be read becomes one
failed item; reading never stops the batch.
"""

from __future__ import annotations

import codecs
import csv
import glob
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .._errors import InputError
from .._io.safe_yaml import decode, load_yaml_text
from .._profile.model import field_specs

__all__ = ["MAX_ROW_BYTES", "MAX_TABLE_BYTES", "Item", "expand_paths", "read_items"]

#: Largest YAML or JSON file read whole in a batch (single-profile files keep the 2 MiB limit).
#: Tables (CSV, JSON Lines, Parquet) are read row by row, with no limit on the file's size.
MAX_TABLE_BYTES = 512 * 1024 * 1024
#: Largest row of a table (a JSON Lines line; as large as a profile file may be).
MAX_ROW_BYTES = 2 * 1024 * 1024
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")


@dataclass(frozen=True)
class Item:
    """One profile of a batch: its answers, or why it could not be read.

    A JSON Lines row keeps its text (``line``) until :meth:`resolved` decodes it, which happens
    where the profile is scored: in parallel runs, in the worker rather than the reading process.
    """

    id: str
    data: dict[str, object] | None = None
    error: str | None = None
    line: str | None = None

    def resolved(self) -> Item:
        """This item with its answers decoded (or the reason they cannot be)."""
        if self.line is None:
            return self
        try:
            data = json.loads(self.line)
        except json.JSONDecodeError as exc:
            return Item(
                id=self.id, error=f"{self.id}: invalid JSON: {exc.msg} (column {exc.colno})"
            )
        if not isinstance(data, dict):
            return Item(
                id=self.id,
                error=f"{self.id}: expected a JSON object (a profile), got {type(data).__name__}",
            )
        rid, data = _split_id(data, self.id)
        return Item(id=rid, data=data)


def expand_paths(paths: tuple[str, ...]) -> list[Path]:
    """Files from files, folders (recursively) and glob patterns, in a stable order."""
    out: list[Path] = []
    for raw in paths:
        if any(ch in raw for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not matches:
                raise InputError(f"{raw}: no file matches this pattern")
            out += matches
            continue
        path = Path(raw)
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES + TABLE_SUFFIXES
            )
        elif path.exists():
            out.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder")
    return out


def _cell(field: str, text: str) -> object:
    """A CSV cell as the profile expects it: lists split on ';', yes/no and numbers converted."""
    spec = field_specs().get(field)
    return text.strip() if spec is None else spec.from_cell(text)


def _split_id(data: dict[str, object], default: str) -> tuple[str, dict[str, object]]:
    if "id" in data and data["id"] not in (None, ""):
        rest = {k: v for k, v in data.items() if k != "id"}
        return str(data["id"]), rest
    return default, data


def _read_csv(path: Path) -> Iterator[Item]:
    """One item per row, read as the batch goes (the file is never held whole)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            for row in reader:
                yield _csv_item(path, reader.line_num, row)
        except UnicodeDecodeError as exc:
            where = f"{path}:{reader.line_num + 1}"
            yield Item(
                id=where, error=f"{where}: not UTF-8 text (bad byte {exc.object[exc.start]:#x})"
            )


def _csv_item(path: Path, line: int, row: dict[str | None, str | None]) -> Item:
    if None in row:
        return Item(
            id=f"{path}:{line}", error=f"{path}:{line}: more cells than the header has columns"
        )
    data = {
        k.strip(): _cell(k.strip(), v)
        for k, v in row.items()
        if k is not None and v is not None and v.strip() != ""
    }
    rid, data = _split_id(data, f"{path}:{line}")
    return Item(id=rid, data=data)


def _read_jsonl(path: Path) -> Iterator[Item]:
    """One item per non-blank line, read as the batch goes: the first profiles of a large file are
    scored (by the workers too) while the rest is still unread. A line that is not UTF-8 text is
    a failed item; a file whose first line holds a NUL byte is refused as binary."""
    with path.open("rb") as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_ROW_BYTES + 1), b""), 1):
            where = f"{path}:{number}"
            if len(raw) > MAX_ROW_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, unread
                    raw = handle.readline(MAX_ROW_BYTES)
                yield Item(id=where, error=f"{where}: a line over {MAX_ROW_BYTES:,} bytes")
                continue
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if b"\x00" in raw:
                if number == 1:
                    yield Item(
                        id=str(path),
                        error=f"{path}: looks like a binary file; expected JSON Lines text",
                    )
                    return
                yield Item(id=where, error=f"{where}: a NUL byte; expected JSON text")
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Item(
                    id=where, error=f"{where}: not UTF-8 text (bad byte at column {exc.start + 1})"
                )
                continue
            if line.strip():
                yield Item(
                    id=where, line=line.rstrip("\r\n")
                )  # decoded where it is scored (Item.resolved)


def _read_parquet(path: Path) -> Iterator[Item]:
    try:
        import pyarrow.parquet as pq  # optional: pip install pyarrow
    except ImportError:
        yield Item(
            id=str(path), error=f"{path}: reading Parquet needs pyarrow (pip install pyarrow)"
        )
        return
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=1024)  # row groups, not the file
        number = 0
        for batch in batches:
            for row in batch.to_pylist():
                number += 1
                data = {
                    k: (_cell(k, v) if isinstance(v, str) else v)
                    for k, v in row.items()
                    if v is not None and v != ""
                }
                rid, data = _split_id(data, f"{path}:{number}")
                yield Item(id=rid, data=data)
    except Exception as exc:  # pyarrow raises many types for a broken file
        yield Item(
            id=str(path), error=f"{path}: not a readable Parquet file ({type(exc).__name__})"
        )


def _read_profiles(path: Path, text: str) -> Iterator[Item]:
    data, _ = load_yaml_text(text, str(path))
    if isinstance(data, list):
        for number, entry in enumerate(data, start=1):
            if not isinstance(entry, dict):
                yield Item(
                    id=f"{path}#{number}",
                    error=f"{path}#{number}: expected a mapping of field: answer",
                )
                continue
            rid, entry = _split_id(entry, f"{path}#{number}")
            yield Item(id=rid, data=entry)
    elif isinstance(data, dict):
        rid, data = _split_id(data, str(path))
        yield Item(id=rid, data=data)
    else:
        yield Item(
            id=str(path), error=f"{path}: expected a profile (a mapping) or a list of profiles"
        )


def read_items(path: Path) -> Iterator[Item]:
    """The profiles in one file; problems become failed items, never exceptions."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            yield from _read_parquet(path)
            return
        if suffix in (".jsonl", ".ndjson"):
            yield from _read_jsonl(path)
            return
        if suffix == ".csv":
            yield from _read_csv(path)
            return
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise InputError(
                f"{path}: file is {size:,} bytes; the limit is {MAX_TABLE_BYTES:,} bytes"
            )
        yield from _read_profiles(path, decode(path.read_bytes(), str(path), MAX_TABLE_BYTES))
    except InputError as exc:
        yield Item(id=str(path), error=str(exc))
    except OSError as exc:
        yield Item(id=str(path), error=f"{path}: cannot read: {exc.strerror}")
    except csv.Error as exc:
        yield Item(id=str(path), error=f"{path}: invalid CSV: {exc}")
