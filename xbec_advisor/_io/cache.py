"""A cache of parsed rule files, as JSON: parsing YAML is most of the command line's start-up.

Entries are keyed by a hash of the file's text, so an edited file is simply parsed again; they
are JSON, never pickle, so nothing in the cache is ever executed. A document whose JSON form
would differ from it (dates, numeric keys) is not cached. Only documents already parsed and
checked (:mod:`.safe_yaml`: size, nesting, aliases) are stored.

An entry is not trusted: it must name the hash of the text it was made from, carry the digest
of its own content, and hold data within the same limits as a parsed document; the folder must
belong to the user and be writable by no one else. Anything else (a tampered, damaged or
renamed entry, a shared folder, no home folder, a read-only disk) falls back to parsing. The
data read from an entry is then validated like parsed data (a rule file's rules are checked
whatever their origin).

Folder: ``$XBEC_ADVISOR_CACHE_DIR`` if set (empty: no cache), else
``$XDG_CACHE_HOME/xbec-advisor``, else ``~/.cache/xbec-advisor``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from .._errors import InputError
from .atomic import write_atomic
from .bounds import MAX_INPUT_BYTES, check_data, node_budget

__all__ = ["cache_dir", "load_cached", "store_cached"]

#: Changes whenever the parsing (YAML 1.2 booleans, line numbers) changes.
FORMAT = "yaml-2"
#: Most entries kept; the oldest half is removed beyond it.
MAX_ENTRIES = 1000
#: Largest entry read back (the JSON of a 2 MiB document is rarely larger than the document).
MAX_ENTRY_BYTES = 4 * MAX_INPUT_BYTES


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when caching is turned off."""
    configured = os.environ.get("XBEC_ADVISOR_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(base) if base else Path.home() / ".cache") / "xbec-advisor"
    except RuntimeError:  # no home folder
        return None


def _private(folder: Path) -> bool:
    """Whether ``folder`` belongs to this user and no one else can write to it."""
    try:
        info = folder.stat()
    except OSError:
        return True  # not created yet: it will be, with this user's umask
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _key(text: str) -> str:
    return hashlib.sha256(f"{FORMAT}\0{text}".encode()).hexdigest()


def _digest(key: str, data: object, lines: list[int]) -> str:
    canonical = json.dumps([key, data, lines], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    if folder is None or not _private(folder) or not _private(folder / "yaml"):
        return None
    return folder / "yaml" / f"{key}.json"


def load_cached(text: str) -> tuple[object, list[int]] | None:
    """The parsed document and line numbers stored for ``text``, if any and intact."""
    key = _key(text)
    path = _entry(key)
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            entry = json.loads(handle.read(MAX_ENTRY_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or set(entry) != {"source", "data", "lines", "digest"}:
        return None
    data, lines = entry["data"], entry["lines"]
    if not isinstance(lines, list) or not all(type(n) is int for n in lines):
        return None
    if entry["source"] != key or entry["digest"] != _digest(key, data, lines):
        return None
    try:
        check_data(data, "cache", node_budget(len(text)))
    except InputError:
        return None
    return data, lines


def store_cached(text: str, data: object, lines: list[int]) -> None:
    """Remember the parse of ``text`` (silently skipped when it cannot be stored faithfully)."""
    key = _key(text)
    path = _entry(key)
    if path is None:
        return
    try:
        encoded = json.dumps(
            {"source": key, "data": data, "lines": lines, "digest": _digest(key, data, lines)},
            ensure_ascii=False,
            allow_nan=False,
        )
    except (TypeError, ValueError):
        return
    if len(encoded) > MAX_ENTRY_BYTES or json.loads(encoded)["data"] != data:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, encoded, durable=False)
        _prune(path.parent)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: (p.stat().st_mtime, p.name))
    for old in entries[: len(entries) // 2]:
        with contextlib.suppress(OSError):
            old.unlink()
