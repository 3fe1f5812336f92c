"""Writing output files atomically: readers see the old file or the whole new one, never half.

The text goes to an unnamed file in the target's folder (Linux's ``O_TMPFILE``: if the process
is killed, even with SIGKILL, nothing is left behind), which is given a name and renamed over
the target at the end. Where the file system cannot make unnamed files, a named temporary file
is used instead and removed on every exit path that runs Python code (an error, Ctrl-C,
SIGTERM: the command line turns SIGTERM into an exception).

The new file gets the mode of the file it replaces, or the mode the umask gives a new file
(0644 usually): never the 0600 of a temporary file. A symbolic link is written through: its
target is replaced and the link stays. An output that is one of the command's inputs is refused
(:func:`refuse_inputs`); so are a missing folder and a folder given as the file.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from .._errors import OutputError

__all__ = [
    "atomic_output",
    "new_file_mode",
    "output_path",
    "refuse_inputs",
    "write_atomic",
    "write_atomic_bytes",
]


def new_file_mode() -> int:
    """The mode the umask gives a new file (``0o666 & ~umask``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)  # no /proc: read the umask by setting it, then put it back
    os.umask(umask)
    return 0o666 & ~umask


def output_path(path: Path | str) -> Path:
    """Where writing ``path`` goes: through symbolic links, into a folder that exists."""
    given = Path(path)
    target = Path(os.path.realpath(given))
    if target.is_dir():
        raise OutputError(f"{given}: is a folder; give a file name for the output")
    if os.path.lexists(target) and not target.is_file():
        raise OutputError(
            f"{given}: is not a regular file (a device, FIFO or socket); an output is a file "
            "(leave out the output option to write to standard output)"
        )
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(
            f"{given}: the folder {Path(os.path.dirname(given) or '.')} does not exist; "
            "create it first, or write somewhere else"
        )
    return target


def refuse_inputs(output: Path | str, inputs: Iterable[Path | str], what: str = "input") -> None:
    """Refuse an output that is one of the inputs: writing it would replace the data it is made
    from (compared through links, and by file identity for hard links)."""
    target = Path(os.path.realpath(output))
    for source in inputs:
        if str(source) == "-":
            continue
        same = Path(os.path.realpath(source)) == target
        with contextlib.suppress(OSError):
            same = same or os.path.samefile(source, target)
        if same:
            raise OutputError(
                f"{output}: is also an {what} of this command ({source}); writing it would "
                "replace that data: give another output file"
            )


def _mode_of(target: Path) -> tuple[int, os.stat_result | None]:
    try:
        info = target.stat()
    except OSError:
        return new_file_mode(), None
    return stat.S_IMODE(info.st_mode), info


def _unnamed(folder: Path, mode: int) -> int | None:
    """An unnamed file in ``folder`` (``O_TMPFILE``), or None where that is not supported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.exists("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, mode)
    except OSError:
        return None


def _commit(fd: int, temp: str | None, target: Path) -> None:
    """Put the written file in place of ``target``."""
    if temp is None:  # unnamed: give it a name, then rename it over the target
        temp = str(target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp")
        # linkat() following /proc's link to the open file (os.link calls link() unless given a
        # folder descriptor, and link() would link the symbolic link itself)
        fds = os.open("/proc/self/fd", os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.link(str(fd), temp, src_dir_fd=fds, follow_symlinks=True)
        finally:
            os.close(fds)
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class _Output(io.TextIOWrapper):
    """The text file being written: a write that fails (a full disk) says which output."""

    where = ""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as exc:
            raise _failed(self.where, exc) from None


def _failed(where: str, exc: OSError) -> OutputError:
    return OutputError(
        f"{where}: cannot write: {exc.strerror or exc}; the previous file is unchanged"
    )


@contextlib.contextmanager
def atomic_output(
    path: Path | str, durable: bool = True, mode: int | None = None
) -> Iterator[TextIO]:
    """A text file to write ``path`` through: readers see the old file or the whole new one.

    The file is put in place when the block ends normally, and dropped when it raises.
    ``durable``: flush it to the disk before (outputs for people; the parse cache skips it).
    ``mode``: the file's mode, instead of the previous file's or the umask's.
    :class:`OutputError` says why a file cannot be written (a missing folder, a full disk, a
    read-only file system); the previous file is then unchanged.
    """
    target = output_path(path)
    kept, previous = _mode_of(target)
    mode = kept if mode is None else mode
    temp: str | None = None
    try:
        fd = _unnamed(target.parent, mode)
        if fd is None:
            fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.fchmod(fd, mode)
        if previous is not None:
            with contextlib.suppress(OSError):  # keep the owner when allowed (root)
                os.fchown(fd, previous.st_uid, previous.st_gid)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    handle = _Output(os.fdopen(fd, "wb"), encoding="utf-8")
    handle.where = str(path)
    try:
        yield handle
        try:
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            _commit(handle.fileno(), temp, target)
        except OSError as exc:
            raise _failed(str(path), exc) from None
        temp = None
    finally:
        with contextlib.suppress(OSError):  # after a failed write: the file is dropped anyway
            handle.close()
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def write_atomic(
    path: Path | str, text: str, durable: bool = True, mode: int | None = None
) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one."""
    with atomic_output(path, durable, mode) as handle:
        handle.write(text)


def write_atomic_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` as :func:`write_atomic` writes text (same modes, same safety)."""
    with atomic_output(path) as handle:
        handle.flush()
        handle.buffer.write(data)
