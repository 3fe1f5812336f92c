"""Reading batches of profiles: YAML/JSON files, CSV, JSON Lines and Parquet tables, XLSX and
ODS spreadsheets, folders, globs.

Every profile gets a stable id: the value of an ``id`` column or key when there is one, else
that of a ``name`` column or key, else the file name (one profile per file), ``file#N`` (the
N-th of a list), ``file:LINE`` (a table row, by its line in the file; the row number for
Parquet and spreadsheets). A file that cannot be read becomes one
failed item, and a profile that cannot be read one failed item of its own: reading never stops
the batch. Every file is read within limits (:mod:`.tables`, :mod:`xbec_advisor._io.bounds`);
a file reached twice (through links, or by two patterns) is scored once.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

from .._errors import InputError, shown
from .._i18n import _
from .._io.bounds import MAX_INPUT_BYTES
from .._io.reading import read_bytes
from .._io.safe_yaml import decode, load_yaml_items
from .columns import Warn
from .items import Item, split_id
from .sheets import read_sheet
from .tables import read_csv, read_jsonl, read_parquet

__all__ = ["MAX_LIST_BYTES", "Item", "expand_paths", "read_items"]

#: Largest YAML or JSON file of a list of profiles (tables are read row by row, without limit
#: but their rows'; a list file is parsed whole).
MAX_LIST_BYTES = 32 * 1024 * 1024
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".xlsx", ".ods")
_SUFFIXES = PROFILE_SUFFIXES + TABLE_SUFFIXES


def _identity(path: Path) -> tuple[int, int] | str:
    try:
        info = path.stat()
    except OSError:
        return str(path)
    return (info.st_dev, info.st_ino)


def _folder(path: Path, raw: str) -> list[Path]:
    found = sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())
    if not found:
        raise InputError(
            _("{path}: no profile file in this folder (files ending in {suffixes})").format(
                path=raw, suffixes=", ".join(_SUFFIXES)
            )
        )
    return found


def expand_paths(paths: tuple[str, ...]) -> list[Path]:
    """Files from files, folders (recursively) and glob patterns, in a stable order, each once.

    A pattern that matches nothing and a folder without profile files are errors; a file
    reached twice (a symbolic link loop, two patterns) is kept once, where it is first met.
    """
    out: list[Path] = []
    for raw in paths:
        if any(ch in raw for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(raw, recursive=True) if os.path.isfile(p))
            if not matches:
                raise InputError(_("{path}: no file matches this pattern").format(path=raw))
            out += matches
            continue
        path = Path(raw)
        if path.is_dir():
            out += _folder(path, raw)
        elif os.path.lexists(path):
            out.append(path)
        else:
            raise InputError(_("{path}: no such file or folder").format(path=raw))
    seen: set[object] = set()
    unique = []
    for path in out:
        key = _identity(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _read_profiles(path: Path) -> Iterator[Item]:
    text = decode(read_bytes(path, MAX_LIST_BYTES), str(path), MAX_LIST_BYTES)
    entries = load_yaml_items(text, str(path), MAX_INPUT_BYTES)
    for number, (line, data, problem) in enumerate(entries, start=1):
        where = f"{path}#{number}" if line else str(path)
        if problem is not None:
            yield Item(id=where, error=str(problem))
        elif line and not isinstance(data, dict):
            yield Item(
                id=where,
                error=_("{where}: expected a mapping of field: answer").format(where=where),
            )
        elif isinstance(data, dict):
            if not line and len(text) > MAX_INPUT_BYTES:
                yield Item(
                    id=where,
                    error=_("{path}: a profile of {size} bytes; the limit is {limit} bytes").format(
                        path=path, size=f"{len(text):,}", limit=f"{MAX_INPUT_BYTES:,}"
                    ),
                )
            else:
                yield split_id(data, where)
        else:
            got = (
                _("an empty file")
                if data is None
                else _("a {kind} ({value})").format(kind=type(data).__name__, value=shown(data))
            )
            yield Item(
                id=where,
                error=_(
                    "{path}: expected a profile (a mapping) or a list of profiles, got {got}"
                ).format(path=path, got=got),
            )


_READERS = {
    ".parquet": read_parquet,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".xlsx": read_sheet,
    ".ods": read_sheet,
}


def read_items(path: Path, ignore_extra: bool = False, warn: Warn | None = None) -> Iterator[Item]:
    """The profiles in one file; problems become failed items, never exceptions.

    In tables and spreadsheets, ``ignore_extra`` skips the columns that match no field (else
    they fail the file); ``warn`` receives one line per warning (an ignored column, an assumed
    encoding).
    """
    suffix = path.suffix.lower()
    try:
        if suffix in _READERS:
            yield from _READERS[suffix](path, ignore_extra, warn)
        else:
            yield from _read_profiles(path)
    except InputError as exc:
        yield Item(id=str(path), error=str(exc))
    except OSError as exc:
        yield Item(
            id=str(path),
            error=_("{path}: cannot read: {error}").format(path=path, error=exc.strerror),
        )
    except Exception as exc:  # a bug: the rest of this file fails, the batch goes on
        yield Item(
            id=str(path),
            error=_(
                "{path}: internal error while reading (a bug: please report it): {kind}: {error}"
            ).format(path=path, kind=type(exc).__name__, error=shown(str(exc), 200, quote=False)),
        )
