"""A citation: a verbatim quote from a section of one of the papers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MAX_QUOTE", "Citation"]

MAX_QUOTE = 300


class Citation(BaseModel):
    """A verbatim quote from a section of one of the papers
    (rules, frameworks and figures alike).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    paper: str
    section: str
    quote: str = Field(min_length=10, max_length=MAX_QUOTE)
