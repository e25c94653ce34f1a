"""Options and loading steps shared by train, evaluate, review and suggest.

Each of these commands needs the corpus answers of some questions, a codebook, and often keyword
codings of those answers. The corpus comes from ``--corpus``/``--id-column`` or, by default, from the
project file (``fritekst.toml``) in the current folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from ..rules.codebook import Codebook
from ..sources.corpus import Corpus, load_corpus
from ..errors import InputError, ProjectError
from ..sources.project import DEFAULT_PROJECT_FILE, Project, load_project
from ._common import refuse_codebook_as_project

F = TypeVar("F", bound=Callable[..., Any])
PATH = click.Path(dir_okay=False, path_type=Path)


def corpus_options(function: F) -> F:
    """``--corpus``, ``--id-column`` and ``--project`` (where the answers come from)."""
    function = click.option("--project", "project_file", type=PATH, callback=refuse_codebook_as_project,
                            help=f"Project file naming the corpus (default: {DEFAULT_PROJECT_FILE} if present).")(function)
    function = click.option("--id-column", help="Respondent id column of --corpus (default: case_id).")(function)
    function = click.option("--corpus", "corpus_file", type=PATH,
                            help="Survey answers (CSV, Excel, SPSS, Stata, Parquet); default: the project's corpus.")(function)
    return function


def load_answers(corpus_file: Path | None, id_column: str | None, project_file: Path | None,
                 questions: Sequence[str]) -> Corpus:
    """Read the corpus with ``questions`` as its text columns, from the options or the project."""
    if not questions:
        raise InputError("no questions to read: the gold/hand-coding file has no rows; check the file",
                         code="E105")
    if corpus_file is not None:
        return load_corpus(corpus_file, id_column or "case_id", list(questions))
    project_path = project_file or Path(DEFAULT_PROJECT_FILE)
    if not project_path.is_file():
        raise ProjectError(f"{project_path}: no project file here and no --corpus given; give --corpus FILE "
                           "--id-column COLUMN or run in the project folder", code="E301", option="project")
    from ..coding.coder import load_project_corpus

    return load_project_corpus(load_project(project_path), questions, id_column=id_column)


def used_project(corpus_file: Path | None, project_file: Path | None) -> Project | None:
    """The project a command reads (explicit ``--project``, else ./fritekst.toml if present), or None.

    Its files are inputs of the run (see :func:`fritekst.cli._common.check_run`). A broken default
    project file that the command would not use (``--corpus`` given) does not stop the command.
    """
    project_path = project_file or Path(DEFAULT_PROJECT_FILE)
    if project_file is None and not project_path.is_file():
        return None
    try:
        return load_project(project_path)
    except ProjectError:
        if project_file is None and corpus_file is not None:
            return None
        raise


def project_questions(codebook: Codebook, project_file: Path | None) -> list[str]:
    """The questions a project codes with this codebook (empty when there is no project file)."""
    project_path = project_file or Path(DEFAULT_PROJECT_FILE)
    if not project_path.is_file():
        return []
    project = load_project(project_path)
    names = {name for name, path in project.codebook_paths.items()
             if name == codebook.id or Path(path).resolve() == Path(codebook.path).resolve()}
    return [q.column for q in project.questions if q.codebook in names]


def keyword_codings(corpus: Corpus, codebook: Codebook) -> pd.DataFrame:
    """Keyword-rule codings of every answer in ``corpus`` (classifier rules are not run)."""
    from ..coding.coder import keyword_codings as coded  # late: the coder imports the language layer

    return coded(corpus, codebook)


def questions_of(*frames: pd.DataFrame | None) -> list[str]:
    """Questions named in any of the frames, sorted."""
    found: set[str] = set()
    for frame in frames:
        if frame is not None and len(frame):
            found.update(frame["question"].astype(str))
    return sorted(found)


def fmt(value: Any, digits: int = 2, *, lang: str) -> str:
    """A score for a terminal table in the command's language: ``0,88`` (nb) or ``0.88`` (en), ``–``
    when undefined. Only what a person reads: files (CSV, JSON) keep points for the programs that
    read them."""
    from ..outputs.texts import number_text

    return "–" if value is None or pd.isna(value) else number_text(float(value), digits, lang)


def shorten(text: Any, width: int = 70) -> str:
    """One line of at most ``width`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"
