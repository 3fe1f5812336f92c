"""A citation: a verbatim quote from a section of one of the papers; and whether it was checked.

The bundled rules' quotes are verified by ``rules check`` (in CI, against the papers' texts).
A rule pack's quotes (``--rules``) are verified when the pack is loaded if the papers' texts are
found (:func:`find_papers_dir`); otherwise, or where a quote is not in the paper, its citation
is marked ``verified=False`` and the reports say so: a quote nobody checked is never shown as
verbatim to a client.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MAX_QUOTE", "Citation", "QuoteChecker", "find_papers_dir"]

MAX_QUOTE = 300


class Citation(BaseModel):
    """A verbatim quote from a section of one of the papers
    (rules, frameworks and figures alike).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    paper: str
    section: str
    quote: str = Field(min_length=10, max_length=MAX_QUOTE)
    #: False when the quote was not checked against the paper's text, or not found in it
    #: (a rule pack loaded without the papers).
    verified: bool = True


def find_papers_dir(start: Path | None = None) -> Path | None:
    """The folder of paper texts: $XBEC_PAPERS_DIR, else ../shared/papers above the project."""
    env = os.environ.get("XBEC_PAPERS_DIR")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for base in (
        here,
        *here.parents,
        Path(__file__).resolve().parent.parent,
        *Path(__file__).resolve().parents,
    ):
        candidate = base.parent / "shared" / "papers"
        if candidate.is_dir():
            return candidate
    return None


class QuoteChecker:
    """Marks the citations of a rule pack: verified when the quote is in the paper's text."""

    def __init__(self, files: dict[str, str]) -> None:
        #: paper key -> file name of its text
        self.files = files
        self.folder = find_papers_dir()
        self._lines: dict[str, list[str] | None] = {}

    def _text(self, paper: str) -> list[str] | None:
        if paper not in self._lines:
            path = self.folder / self.files[paper] if self.folder and paper in self.files else None
            try:
                self._lines[paper] = (
                    path.read_text(encoding="utf-8").splitlines()
                    if path is not None and path.is_file()
                    else None
                )
            except (OSError, UnicodeDecodeError):
                self._lines[paper] = None
        return self._lines[paper]

    def mark(self, citation: Citation) -> Citation:
        lines = self._text(citation.paper)
        found = lines is not None and any(citation.quote in line for line in lines)
        return citation if found else citation.model_copy(update={"verified": False})
