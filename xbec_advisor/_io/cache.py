"""A cache of parsed rule files, as JSON: parsing YAML is most of the command line's start-up.

Entries are keyed by a hash of the file's text, so an edited file is simply parsed again; they
are JSON, never pickle, so nothing in the cache is ever executed. A document whose JSON form
would differ from it (dates, numeric keys) is not cached. Any problem with the cache (no home
folder, read-only disk, a damaged entry) falls back to parsing.

Folder: ``$XBEC_ADVISOR_CACHE_DIR`` if set (empty: no cache), else
``$XDG_CACHE_HOME/xbec-advisor``, else ``~/.cache/xbec-advisor``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from .atomic import write_atomic

__all__ = ["cache_dir", "load_cached", "store_cached"]

#: Changes whenever the parsing (YAML 1.2 booleans, line numbers) changes.
FORMAT = "yaml-1"
#: Most entries kept; the oldest half is removed beyond it.
MAX_ENTRIES = 1000


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


def _entry(text: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}\0{text}".encode()).hexdigest()
    return folder / "yaml" / f"{digest}.json"


def load_cached(text: str) -> tuple[object, list[int]] | None:
    """The parsed document and line numbers stored for ``text``, if any."""
    path = _entry(text)
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or set(entry) != {"data", "lines"}:
        return None
    lines = entry["lines"]
    if not isinstance(lines, list) or not all(isinstance(n, int) for n in lines):
        return None
    return entry["data"], lines


def store_cached(text: str, data: object, lines: list[int]) -> None:
    """Remember the parse of ``text`` (silently skipped when it cannot be stored faithfully)."""
    path = _entry(text)
    if path is None:
        return
    try:
        encoded = json.dumps({"data": data, "lines": lines}, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return
    if json.loads(encoded)["data"] != data:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, encoded)
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
