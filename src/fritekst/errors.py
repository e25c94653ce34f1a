"""Errors a user can cause, each with a one-line message that says where, what and how to fix it.

The library raises these; only :mod:`fritekst.cli` turns them into exit code 2 and a single line on
stderr. Messages follow one shape: ``<file>[:<line>[:<col>]]: <what was wrong>; <what was expected>``,
ending with the fix where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable


class FritekstError(Exception):
    """Base class of every error caused by the user's input or settings."""


class InputError(FritekstError):
    """A data file (corpus, table, codings) cannot be read or does not have the expected shape."""


class CodebookError(FritekstError):
    """A codebook is invalid; carries every problem found in the file, not just the first."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid codebook"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''}: see below)" if more else ""
        super().__init__(first + suffix)

    def __str__(self) -> str:
        return "\n".join(self.problems)


class PatternError(FritekstError):
    """A keyword pattern string is malformed."""


class ProjectError(FritekstError):
    """The project file (fritekst.toml) is missing, malformed or names things that do not exist."""


class ModelError(FritekstError):
    """A classifier model file is corrupt, foreign, or was trained for another codebook."""


class OutputError(FritekstError):
    """An output cannot be written where it was asked to go."""
