"""The program's start-up, with the cyclic garbage collector paused.

Start-up (imports, pydantic's schemas, the rule base, the engine) allocates hundreds of
thousands of objects that live as long as the process, and the collector ran about 90 times
over them for nothing: 25 ms of a 0.3 s ``advise``. :func:`pause` stops it for that phase;
:func:`done`, called once the advisor is built, moves every object built so far out of the
collector's sight for good (``gc.freeze``) and starts it again, so that a long ``score`` run
still collects its own garbage, without traversing the start-up's objects each time. Only the
program (:func:`xbec_advisor._cli.run`) pauses; an embedder's collector is left alone.
"""

from __future__ import annotations

import gc

__all__ = ["done", "pause"]

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def done() -> None:
    """The start-up is over: freeze its objects and let the collector run again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
