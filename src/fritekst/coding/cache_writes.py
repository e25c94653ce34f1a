"""Codings-cache writes held back until the run that made them has succeeded.

:func:`fritekst.coding.coder.code_project` stores each question's fresh codings in the project's
codings cache. Written at once, an entry outlives a run that fails afterwards (an output that cannot
be written, a full disk, Ctrl-C): the researcher sees an error and no output, yet the next run finds
codings "from" the failed one. Inside :func:`held_until_success` the writes are only collected, and
they are made when the block ends without an error; a block that raises makes none. The CLI runs
every command inside it, so a failed command leaves no new cache entry. Outside it (a library
caller that did not ask) the writes are made at once, as before.

This module imports nothing heavy: the CLI opens the block for every command.

Examples
--------
>>> written = []
>>> with held_until_success():
...     hold_or_write(lambda: written.append("entry"))
...     written
[]
>>> written
['entry']
>>> try:
...     with held_until_success():
...         hold_or_write(lambda: written.append("second"))
...         raise OSError("the output could not be written")
... except OSError:
...     pass
>>> written
['entry']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_held: ContextVar[list[Callable[[], None]] | None] = ContextVar("fritekst_held_cache_writes", default=None)


def hold_or_write(write: Callable[[], None]) -> None:
    """Run ``write`` now, or, inside :func:`held_until_success`, when the block has succeeded."""
    held = _held.get()
    if held is None:
        write()
    else:
        held.append(write)


@contextmanager
def held_until_success() -> Iterator[None]:
    """Collect the cache writes made inside; make them, in order, only if the block raises nothing.

    A write that fails then raises as it would have at once (the block's own work is done by then).
    Blocks nest: an inner block's writes wait for the outermost block.
    """
    held: list[Callable[[], None]] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    # Only reached when the block raised nothing; an enclosing block, if any, holds them in turn.
    for write in held:
        hold_or_write(write)
