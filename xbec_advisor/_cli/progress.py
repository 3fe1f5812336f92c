"""The progress bar of ``score``: a bar with percentage, count, rate and time left when the
number of profiles is known (:mod:`xbec_advisor._batch.counting`), else a count and a rate."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

import click

from .._i18n import _

__all__ = ["bar_options", "rate_text", "with_progress"]

T = TypeVar("T")

#: Seconds between two updates of the rate shown.
RATE_EVERY = 0.5


def bar_options(total: int | None) -> dict[str, Any]:
    """The arguments of :func:`click.progressbar` for ``total`` profiles (None: unknown)."""
    known = total is not None
    return {
        "length": total,
        "label": _("scoring"),
        "show_pos": True,
        "show_percent": known,
        "show_eta": known,
        "item_show_func": lambda rate: rate,
    }


def rate_text(done: int, seconds: float) -> str:
    """Profiles per second, as shown after the bar (``"1,234/s"``)."""
    if done <= 0 or seconds <= 0:
        return ""
    rate = done / seconds
    return f"{rate:,.0f}/s" if rate >= 10 else f"{rate:.1f}/s"


def with_progress(items: Iterable[T], total: int | None, file: TextIO) -> Iterator[T]:
    """``items``, with a progress bar on ``file`` advanced by one for each."""
    # without a total, click takes the (unsized) items only to find that it has no length
    with click.progressbar(
        items if total is None else None, file=file, **bar_options(total)
    ) as bar:
        start = shown_at = time.monotonic()
        rate = ""
        for done, item in enumerate(items, start=1):
            now = time.monotonic()
            if now - shown_at >= RATE_EVERY:
                rate, shown_at = rate_text(done, now - start), now
            if total is not None and done > total:
                bar.length = done  # the count was an estimate: the bar stays within itself
            bar.update(1, rate)  # type: ignore[arg-type]  # the text shown after the bar
            yield item
