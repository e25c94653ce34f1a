"""``fritekst review export|import``: review sheets for accepting or rejecting suggested codes."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ..coding.classify import code_with_classifiers
from ..rules.codebook import Codebook, load_codebook
from ..sources.project import Project
from ..coding.codings_io import read_codings
from ..errors import FritekstError, InputError
from ..coding.review import import_review, review_frame, write_review_sheet
from ._common import WholeNumber, check_run, fail, lang_option, texts
from ._evaluation import PATH, corpus_options, keyword_codings, load_answers, project_questions, used_project

OUT = click.Path(dir_okay=False, path_type=Path)


@click.group("review")
def review_group() -> None:
    """Export answers with suggested codes to a sheet, and import the decisions made in it."""


@review_group.command("export", short_help="Write a review sheet of answers with their suggested codes.")
@click.option("--codebook", "codebook_file", required=True, type=PATH, help="Codebook whose codes are reviewed.")
@click.option("--out", required=True, type=OUT, help="Review sheet to write (.xlsx or .csv).")
@click.option("--question", "questions", multiple=True,
              help="Question (text column) to review; repeatable (default: the project's questions for this codebook).")
@click.option("--codings", "codings_file", type=PATH, help="Suggestions from this refs.csv instead of coding now.")
@click.option("--hand", "hand_file", type=PATH, help="Existing hand decisions to show (and not lose).")
@click.option("--only", type=click.Choice(["all", "coded", "uncoded", "undecided"]), default="all", show_default=True,
              help="Which answers: all, with suggestions, without, or not yet hand-coded.")
@click.option("--limit", type=WholeNumber(min=1), help="At most this many answers (in corpus order; default: all).")
@corpus_options
@lang_option
def export_command(codebook_file: Path, out: Path, questions: tuple[str, ...], codings_file: Path | None,
                   hand_file: Path | None, only: str, limit: int | None, corpus_file: Path | None,
                   id_column: str | None, project_file: Path | None, lang: str | None) -> None:
    """Write a review sheet: one row per answer, one column per code (? = suggested).

    \b
    Example:
      fritekst review export --codebook codebooks/ansette.yaml --out review.xlsx

    In the sheet write yes or no under a code, and no under 'others' to reject every code not
    marked yes. Then run `fritekst review import`.
    """
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError(f"--out {out}: a review sheet must be .xlsx or .csv")
    try:
        codebook = load_codebook(codebook_file)
        project = used_project(corpus_file, project_file)
        check_run([codebook_file, codings_file, hand_file, corpus_file], [out], codebooks=[codebook],
                  project=project)
        chosen = list(questions) or project_questions(codebook, project_file)
        if not chosen:
            raise InputError(f"{codebook_file}: no questions to review; give --question COLUMN (or run in a "
                             "project folder whose fritekst.toml uses this codebook)", code="E115")
        corpus = load_answers(corpus_file, id_column, project_file, chosen)
        manual = read_codings(hand_file, code_ids=codebook.code_ids, default_method="manual",
                              answers=corpus.answers, what="hand-coding file", manual_only=True,
                              questions=chosen) \
            if hand_file else None
        if codings_file is not None:
            suggestions = read_codings(codings_file, code_ids=codebook.code_ids, what="codings file")
        else:
            suggestions = _code_now(corpus.answers, corpus, codebook)
        answers = _select(corpus.answers, suggestions, manual, only, limit)
        sheet = review_frame(answers, suggestions, codebook.code_ids, manual)
        write_review_sheet(out, sheet, [(c.id, c.label, c.description) for c in codebook.codes])
    except FritekstError as exc:
        fail(exc)
    click.echo(texts(lang, project)("review_wrote_sheet", n=len(sheet), codes=len(codebook.code_ids), path=out))


def _code_now(answers: pd.DataFrame, corpus, codebook: Codebook) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    keyword = keyword_codings(corpus, codebook)
    return code_with_classifiers(answers, codebook, keyword)  # the codebook's combine, with its models' choices


def _select(answers: pd.DataFrame, suggestions: pd.DataFrame, manual: pd.DataFrame | None, only: str,
            limit: int | None) -> pd.DataFrame:
    keys = pd.MultiIndex.from_frame(answers[["case_id", "question"]])
    coded = keys.isin(pd.MultiIndex.from_frame(suggestions[["case_id", "question"]])) if len(suggestions) \
        else pd.Series(False, index=answers.index).to_numpy()
    if only == "coded":
        answers = answers[coded]
    elif only == "uncoded":
        answers = answers[~coded]
    elif only == "undecided" and manual is not None and len(manual):
        answers = answers[~keys.isin(pd.MultiIndex.from_frame(manual[["case_id", "question"]]))]
    return answers.head(limit) if limit else answers


@review_group.command("import", short_help="Read a filled-in review sheet back as hand decisions.")
@click.argument("sheet_file", metavar="SHEET", type=PATH)
@click.option("--codebook", "codebook_file", required=True, type=PATH, help="Codebook the sheet was made for.")
@click.option("--out", required=True, type=OUT, help="Hand-coding file to write (refs.csv format with decision).")
@click.option("--merge", is_flag=True, help="Merge into an existing --out instead of refusing to touch it.")
@click.option("--check-corpus", is_flag=True,
              help="Check every answer against the corpus (--corpus or the project's) and take spans from it.")
@corpus_options
@lang_option
def import_command(sheet_file: Path, codebook_file: Path, out: Path, merge: bool, check_corpus: bool,
                   corpus_file: Path | None, id_column: str | None, project_file: Path | None,
                   lang: str | None) -> None:
    """Turn a filled-in review sheet into hand decisions (yes/no per answer and code).

    \b
    Example:
      fritekst review import review.xlsx --codebook codebooks/ansette.yaml --out ansette_hand.csv
      fritekst review import review.xlsx --codebook codebooks/ansette.yaml --out ansette_hand.csv --merge

    An existing --out is never overwritten: without --merge the command refuses.
    """
    try:
        # --out is read and merged (with --merge): it is the one output that may also be an input,
        # so the project's hand-coding files are not counted as inputs here.
        project = used_project(corpus_file, project_file) if (check_corpus or corpus_file) else None
        check_run([sheet_file, codebook_file, corpus_file], [out], project=project, project_hand_codings=False)
        codebook = load_codebook(codebook_file)
        answers = None
        if check_corpus or corpus_file is not None:
            from ..coding.review import read_review_sheet

            questions = sorted(set(read_review_sheet(sheet_file, codebook.code_ids)["question"]))
            answers = load_answers(corpus_file, id_column, project_file, questions).answers
        report = import_review(sheet_file, out, codebook.code_ids, merge=merge, answers=answers,
                               code_paths={c: codebook.code_path(c) for c in codebook.code_ids})
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang, project if project is not None else _default_project(project_file))
    click.echo(tr("review_imported", decisions=report.decisions, yes=report.yes, no=report.no, new=report.new,
                  changed=report.changed, unchanged=report.unchanged, kept=report.kept))
    click.echo(tr("review_wrote_hand", path=out))


def _default_project(project_file: Path | None) -> Project | None:
    """The project whose ``[report] lang`` applies when none was read (None if there is none or it is broken)."""
    try:
        return used_project(None, project_file)
    except FritekstError:
        return None
