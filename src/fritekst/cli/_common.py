"""What every command shares: turning library errors into one line and exit code 2, progress bars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from ..errors import FritekstError


class UserError(click.ClickException):
    """A user-caused error: printed as ``Error: <message>`` with exit code 2 and no traceback."""

    exit_code = 2


def fail(exc: FritekstError) -> NoReturn:
    """Re-raise a library error as a CLI error (exit code 2, the message, no traceback)."""
    raise UserError(str(exc)) from exc


@contextmanager
def progress_bar(total: int | None, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (only on a terminal); yields ``advance(n)`` for the library to call.

    The total may be unknown up front (``None``); the bar then shows a spinner and a count.
    """
    console = Console(stderr=True)
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("answers"), TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
