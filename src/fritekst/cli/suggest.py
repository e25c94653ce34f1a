"""``fritekst suggest``: which answers to hand-code next."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ..coding.codings_io import read_codings
from ..coding.suggest import suggest, write_suggestion_sheet, write_suggestions_csv
from ..errors import FritekstError, InputError
from ..rules.codebook import load_codebook
from ..rules.model_file import load_model
from ._common import WholeNumber, check_run, fail, lang_option, texts
from ._evaluation import PATH, corpus_options, fmt, load_answers, project_questions, shorten, used_project

OUT = click.Path(dir_okay=False, path_type=Path)


@click.command("suggest")
@click.option("--codebook", "codebook_file", required=True, type=PATH, help="Codebook to code with.")
@click.option("--model", "model_file", type=PATH, help="Classifier model (default: the codebook's classifier).")
@click.option("--hand", "hand_files", multiple=True, type=PATH,
              help="Hand-coding files; answers decided there are not suggested again. Repeatable.")
@click.option("--question", "questions", multiple=True,
              help="Question to choose from; repeatable (default: the project's questions for this codebook).")
@click.option("-n", "--number", "number", default=20, show_default=True, type=WholeNumber(min=1),
              help="Answers per reason (uncertain, no theme).")
@click.option("--out", type=OUT, help="Write the suggestions to this CSV.")
@click.option("--sheet", type=OUT, help="Write a review sheet (.xlsx/.csv) of the suggested answers.")
@corpus_options
@lang_option
def suggest_command(codebook_file: Path, model_file: Path | None, hand_files: tuple[Path, ...],
                    questions: tuple[str, ...], number: int, out: Path | None, sheet: Path | None,
                    corpus_file: Path | None, id_column: str | None, project_file: Path | None,
                    lang: str | None) -> None:
    """List not-yet-hand-coded answers the classifier is least sure about, and answers no rule codes.

    \b
    Example:
      fritekst suggest --codebook codebooks/ansette.yaml -n 20 --sheet neste.xlsx
    """
    if sheet is not None and sheet.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError(f"--sheet {sheet}: a review sheet must be .xlsx or .csv")
    try:
        codebook = load_codebook(codebook_file)
        project = used_project(corpus_file, project_file)
        check_run([codebook_file, model_file, *hand_files, corpus_file], [out, sheet], codebooks=[codebook],
                  project=project)
        chosen = list(questions) or project_questions(codebook, project_file)
        if not chosen:
            raise InputError(f"{codebook_file}: no questions to choose from; give --question COLUMN",
                             code="E115")
        corpus = load_answers(corpus_file, id_column, project_file, chosen)
        manual_frames = [read_codings(p, code_ids=codebook.code_ids, default_method="manual", what="hand-coding file",
                                      manual_only=True, questions=chosen)
                         for p in hand_files]
        manual = pd.concat(manual_frames, ignore_index=True) if manual_frames else None
        model = load_model(model_file, codebook) if model_file is not None else None
        result = suggest(corpus, codebook, model=model, manual=manual, n=number)
        if out is not None:
            write_suggestions_csv(out, result.table)
        if sheet is not None:
            write_suggestion_sheet(sheet, result, corpus, codebook, manual)
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang, project)
    if result.model is None:
        click.echo(tr("suggest_no_model"))
    reasons = {"uncertain": tr("suggest_uncertain"), "no theme": tr("suggest_no_theme")}
    width = max(len(name) for name in reasons.values())
    for row in result.table.itertuples(index=False):
        detail = tr("suggest_detail", code=row.code_id, score=fmt(row.score, lang=tr.lang),
                    threshold=fmt(row.threshold, lang=tr.lang)) if row.reason == "uncertain" else ""
        reason = str(row.reason)
        click.echo(f"{reasons.get(reason, reason):<{width}} {row.case_id:>6} {row.question:<14} "
                   f"{detail:<38} {shorten(row.text, 50)}")
    for path, key in ((out, "suggest_wrote_csv"), (sheet, "suggest_wrote_sheet")):
        if path is not None:
            click.echo(tr(key, path=path))
