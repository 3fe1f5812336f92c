"""Reading files and standard input safely: regular files only, bounded in bytes, as UTF-8 text.

A FIFO, a device (``/dev/zero``, ``/dev/urandom``) or a socket is refused without being read
or blocked on (it is opened non-blocking and checked before any read); a file is read up to its
limit and one byte more, whatever size it reports (``/proc`` files report 0).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .._errors import InputError
from .bounds import MAX_INPUT_BYTES

__all__ = ["decode", "open_regular", "read_bytes", "read_stream", "read_text"]

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


@contextlib.contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for reading in binary, refusing anything but a regular file (by name)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise InputError(
            f"{path}: is {kind}, expected a regular file"
            + ("" if stat.S_ISDIR(mode) else "; use '-' to read standard input")
        )
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        yield handle


def read_stream(handle: BinaryIO, source: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """At most ``limit`` bytes from an open stream; more is refused without reading it all."""
    raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise InputError(
            f"{source}: input is larger than the limit of {limit:,} bytes; "
            "split it, or score many profiles with `xbec-advisor score`"
        )
    return raw


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A regular file's bytes, refused when larger than ``limit``."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise InputError(f"{path}: file is {size:,} bytes; the limit is {limit:,} bytes")
        try:
            return read_stream(handle, str(path), limit)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file, refusing large, binary and undecodable files."""
    return decode(read_bytes(path, limit), str(path), limit)


def decode(raw: bytes, source: str, limit: int = MAX_INPUT_BYTES) -> str:
    """UTF-8 text (a BOM is skipped); UTF-16 and binary data are refused by name."""
    if len(raw) > limit:
        raise InputError(f"{source}: input is {len(raw):,} bytes; the limit is {limit:,} bytes")
    if _looks_utf16(raw):
        raise InputError(f"{source}: UTF-16 text; save it as UTF-8 (without BOM)")
    if b"\x00" in raw:
        raise InputError(f"{source}: looks like a binary file; expected YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 text: a BOM, or ASCII with a NUL byte beside every character; and it decodes."""
    head = raw[:200]
    evens, odds = head[0::2], head[1::2]
    marked = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    spaced = len(head) >= 4 and (
        (odds.count(0) > 0.8 * len(odds) and not evens.count(0))
        or (evens.count(0) > 0.8 * len(evens) and not odds.count(0))
    )
    if not (marked or spaced) or len(raw) % 2:
        return False
    try:
        raw.decode("utf-16" if marked else ("utf-16-le" if odds.count(0) else "utf-16-be"))
    except UnicodeDecodeError:
        return False
    return True
