"""What every command shares: turning library errors into one line and exit code 2, progress bars."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from ..errors import FritekstError, InputError
from ..sources.paths import check_run as check_run  # the guard every writing command calls


F = TypeVar("F", bound=Callable[..., Any])


def lang_option(function: F) -> F:
    """``--lang nb|en``: the language of what the command prints and writes for a reader."""
    return click.option("--lang", "lang", type=click.Choice(["nb", "en"]), default=None,
                        help="Language of the output: nb (Norwegian Bokmål) or en (English); default: the "
                             "project's [report] lang, else nb. Error messages are always English.")(function)


def resolve_lang(lang: str | None, project: Any = None) -> str:
    """The command's language: ``--lang``, else the project's ``[report] lang``, else Norwegian."""
    return lang or getattr(project, "lang", None) or "nb"


def texts(lang: str | None, project: Any = None) -> Any:
    """The text catalogue (:mod:`fritekst.outputs.texts`) in the command's language."""
    from ..outputs.texts import texts_for

    return texts_for(resolve_lang(lang, project))


class _PlainRange:
    """Click's number ranges in a researcher's words (a mixin for :class:`WholeNumber`, :class:`Number`).

    Click shows ``--cv INTEGER RANGE … [x>=2]`` and says "'x' is not a valid integer range." or
    "1 is not in the range x>=2."; these show ``--cv N … [2 or more]`` and say "'x' is not a valid
    whole number." and "1 is too small; give 2 or more.".
    """

    min: Any
    max: Any
    min_open: bool
    max_open: bool
    metavar = "N"

    def _describe_range(self) -> str:
        low = f"more than {self.min}" if self.min_open else f"{self.min} or more"
        high = f"less than {self.max}" if self.max_open else f"at most {self.max}"
        if self.min is not None and self.max is not None:
            return f"{self.min} to {self.max}" if not (self.min_open or self.max_open) else f"{low}, {high}"
        return low if self.min is not None else high

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = self._number_class(value)  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a valid {self.name}.", param, ctx)  # type: ignore[attr-defined]
        small = self.min is not None and (number <= self.min if self.min_open else number < self.min)
        large = self.max is not None and (number >= self.max if self.max_open else number > self.max)
        if small or large:
            given = value if isinstance(value, str) else number  # as typed: "0", not "0.0"
            self.fail(f"{given} is too {'small' if small else 'large'}; give {self._describe_range()}.",  # type: ignore[attr-defined]
                      param, ctx)
        return number


class WholeNumber(_PlainRange, click.IntRange):
    """A whole number within bounds, e.g. ``WholeNumber(min=2)`` for ``--cv``."""

    name = "whole number"


class Number(_PlainRange, click.FloatRange):
    """A decimal number within bounds, e.g. ``Number(min=0, min_open=True)`` for ``--C``."""

    name = "number"
    metavar = "X"


class UserError(click.ClickException):
    """A user-caused error: printed as ``Error: <message>`` with exit code 2 and no traceback."""

    exit_code = 2


#: The library's name for a setting (:attr:`FritekstError.option`) → the flag that sets it.
OPTION_FLAGS = {"text_columns": "--text-column", "sheet": "--sheet", "sep": "--sep",
                "encoding": "--encoding", "out": "--out", "cv": "--cv", "split": "--split",
                "scope": "--scope", "timestamp": "--timestamp", "codebook": "--codebook",
                "years": "--year", "questions": "--question", "project": "--project", "merge": "--merge",
                "hand": "--hand"}


#: A hint the library's message already ends with: ``… (see docs/project-file.md)``.
_SEE = re.compile(r" \(see ([^()]+)\)$")


def user_message(exc: FritekstError) -> str:
    """The library's message, the flag of the setting it is about, and the error code.

    ``<message> (see --sheet) [E109]``: the flag only when the running command has it (a setting
    read from fritekst.toml has no flag to point at in ``fritekst report``); the code always, at
    the end of the first line, so a codebook's list of problems stays one problem per line.
    One hint only: a message that already names the flag gets none, and one that ends with its
    own ``(see …)`` gets the flag inside it, ``(see --project, docs/project-file.md)``, not a
    second pair of brackets after it.
    """
    first, newline, rest = str(exc).partition("\n")
    flag = OPTION_FLAGS.get(exc.option or "")
    context = click.get_current_context(silent=True)
    if flag and context is not None and any(flag in p.opts for p in context.command.params) \
            and not re.search(rf"{re.escape(flag)}\b", first):
        own = _SEE.search(first)
        first = first[:own.start()] + f" (see {flag}, {own.group(1)})" if own else first + f" (see {flag})"
    return f"{first} [{exc.code}]{newline}{rest}"


def fail(exc: FritekstError) -> NoReturn:
    """Re-raise a library error as a CLI error (exit code 2, one line with its code, no traceback)."""
    raise UserError(user_message(exc)) from exc


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


#: What the project file and a codebook are named with; the other is a swap (E119).
_PROJECT_SUFFIXES = (".toml",)
_CODEBOOK_SUFFIXES = (".yaml", ".yml")


def refuse_project_as_codebook(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback for codebook paths: the project file given as a codebook is named as such
    (its TOML used to be reported as a YAML syntax error at line 6)."""
    for path in (value if isinstance(value, tuple) else (value,)):
        if path is not None and Path(path).suffix.lower() in _PROJECT_SUFFIXES:
            raise InputError(f"{path}: this is a project file, not a codebook (YAML); give a codebook file "
                             f"(.yaml), or give the project with --project {path}", code="E119")
    return value


#: Survey data files (what [corpus] path names), never a project file.
_DATA_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".sav", ".dta", ".parquet"})


def refuse_codebook_as_project(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback for ``--project``: a codebook given as the project file is named as such
    (its YAML used to be reported as a TOML syntax error)."""
    if value is not None and Path(value).suffix.lower() in _CODEBOOK_SUFFIXES:
        raise InputError(f"{value}: this is a codebook, not a project file (fritekst.toml); give the project "
                         f"file with --project{_where_a_codebook_goes(ctx, value)}", code="E119")
    if value is not None and Path(value).suffix.lower() in _DATA_SUFFIXES:
        # Was a TOML syntax error at line 1, and `cache clear --project svar.csv` emptied the cache of
        # the project beside it.
        raise InputError(f"{value}: this is a survey data file, not a project file (fritekst.toml); give the "
                         "project file with --project (its [corpus] path names the data file)", code="E119")
    return value


def _where_a_codebook_goes(ctx: click.Context, path: Any) -> str:
    """The running command's own way to take a codebook: ``--codebook``, check's arguments, or none
    (report, serve and cache clear read the codebooks the project names)."""
    params = ctx.command.params
    if any("--codebook" in p.opts for p in params):
        return f", and the codebook with --codebook {path}"
    if any(isinstance(p, click.Argument) and p.name == "codebooks" for p in params):
        return f", and the codebook as an argument: fritekst {ctx.info_name} {path}"
    return " (this command reads the codebooks named under the project's [codebooks])"
