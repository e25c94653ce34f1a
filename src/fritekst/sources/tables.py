"""Small input/output helpers shared by every stage: atomic writes and spreadsheet-safe cells."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError

#: Characters that make Excel, LibreOffice and Google Sheets treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it into place only if the block succeeds.

    A failure half-way leaves no partial output behind: either the old file (if any) or the new,
    complete one exists, never a truncated mix. Binary modes ignore ``encoding`` and ``newline``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("hei")
    >>> target.read_text()
    'hei'
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{target}: folder {directory} does not exist; create it or choose another path",
                          code="E501")
    binary = "b" in mode
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {directory} ({exc.strerror}); "
                          "choose a folder you can write to", code="E501") from exc
    try:
        if binary:
            handle: IO[Any] = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding=encoding, newline=newline)
        with handle:
            yield handle
        # mkstemp creates files readable by the owner only; give the output the permissions any
        # newly created file would get (the umask), as a plain open() would.
        os.chmod(tmp_name, 0o666 & ~_current_umask())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula by prefixing an apostrophe.

    Numbers pass through unchanged, so a negative score stays a number.

    Examples
    --------
    >>> safe_cell("=SUM(A1:A3)")
    "'=SUM(A1:A3)"
    >>> safe_cell("-ikke aktuelt")
    "'-ikke aktuelt"
    >>> safe_cell(-1.5)
    -1.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
