"""Writing a folder of output files as a whole: built under a temporary name beside its place,
then put in place, replacing the previous one (:class:`FolderBuild`).

Readers see the old folder or the new one: the new one is renamed into place, and the old one
renamed aside and removed. A folder is only ever replaced if this program wrote it: it holds a
marker file (:func:`check_replaceable`); any other folder of that name is left alone and the
command refuses to run. The folder gets the mode the umask gives (0755 usually), as its files do.
If the process is killed, a hidden ``.NAME.*.tmp`` folder may remain beside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .._errors import OutputError
from .atomic import new_file_mode

__all__ = ["FolderBuild", "check_replaceable", "new_folder_mode"]


def new_folder_mode() -> int:
    """The mode the umask gives a new folder: the file mode with the execute bits of its read
    bits (0644: 0755; 0600: 0700)."""
    mode = new_file_mode()
    return mode | ((mode & 0o444) >> 2)


def check_replaceable(folder: Path, marker: str, shown: Path | str | None = None) -> None:
    """Refuse to go on when ``folder`` exists and was not written by this program (no
    ``marker`` file in it), or is not a folder."""
    name = shown if shown is not None else folder
    if not os.path.lexists(folder):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(
            f"{name}: exists and is not a folder; the output needs a folder of this name: move "
            "it, or choose another output name"
        )
    if not (folder / marker).is_file():
        raise OutputError(
            f"{name}: this folder exists and was not written by xbec-advisor; the output would "
            "replace it: move it, or choose another output name"
        )


class FolderBuild:
    """A folder being built in place of ``folder``: write into :attr:`path`, then
    :meth:`commit`; leaving the block without committing removes what was built."""

    def __init__(self, folder: Path, marker: str, note: str) -> None:
        self.folder = folder
        try:
            self.path = Path(
                tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent)
            )
            os.chmod(self.path, new_folder_mode())
            (self.path / marker).write_text(note, encoding="utf-8")
        except OSError as exc:
            self.__exit__()
            raise OutputError(f"{folder}: cannot write: {exc.strerror or exc}") from None

    def commit(self) -> None:
        """Put the built folder in place (a previous folder of that name is removed)."""
        old: Path | None = None
        if os.path.lexists(self.folder):
            old = self.folder.with_name(f".{self.folder.name}.old-{os.getpid()}")
            os.replace(self.folder, old)
        os.replace(self.path, self.folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def __enter__(self) -> FolderBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        path = getattr(self, "path", None)
        if path is not None:
            with contextlib.suppress(OSError):
                if path.exists():
                    shutil.rmtree(path)
