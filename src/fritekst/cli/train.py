"""``fritekst train``: fit a classifier on hand-coded answers and save it as a skops model file.

The training data may come from three places, used together when several are given: hand codings
of corpus answers (``--gold``, limited by ``--scope``/``--split``), files of answers with their codes
(``--pool FILE``, repeatable: ``question,text,codes``, the format of ``corpus/dev`` and
``corpus/train2``), and the codebook's own examples (``--examples``).
"""

from __future__ import annotations

from pathlib import Path


import click

import pandas as pd

from ..rules.classifier import seed_answers, train_model
from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from ..errors import InputError
from ..rules.model_file import save_model
from ..rules.codebook import load_codebook
from ..coding.codings_io import read_codings, read_scope
from ..errors import FritekstError
from ._common import Number, WholeNumber, check_run, fail, lang_option, texts
from ._evaluation import (PATH, corpus_options, keyword_codings, load_answers, project_questions,
                          questions_of, used_project)
from ._model_summary import model_summary

ANSWER_KEY = ["case_id", "question"]


@click.command("train")
@click.option("--codebook", "codebook_file", required=True, type=PATH, help="YAML codebook to train for.")
@click.option("--gold", "gold_file", type=PATH,
              help="Hand codings (refs.csv format, method=manual; decision=no rows allowed).")
@click.option("--pool", "pool_files", multiple=True, type=PATH,
              help="More hand-coded answers, each with its text and codes (question,text,codes CSV, codes "
                   "';'-separated; optional case_id); repeatable. Used with or without --gold.")
@click.option("--examples/--no-examples", "use_examples", default=False, show_default=True,
              help="Also learn from the codebook's own examples and quoted include phrasings (seed data); "
                   "with --examples and no --gold the model learns from them alone.")
@click.option("--scope", "scope_file", type=PATH,
              help="CSV listing the hand-coded answers (case_id, question[, split]); default: answers in --gold.")
@click.option("--split", help="Train only on scope rows with this split, e.g. train.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Model file to write (.skops).")
@corpus_options
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (same seed, same model).")
@click.option("--cv", default=5, show_default=True, type=WholeNumber(min=2),
              help="Folds for choosing each code's threshold.")
@click.option("--C", "c_value", default=10.0, show_default=True, type=Number(min=0, min_open=True),
              help="Inverse regularisation strength of the logistic regressions.")
@click.option("--keyword-features/--no-keyword-features", default=True, show_default=True,
              help="Use the codebook's keyword hits as features.")
@click.option("--unit", type=click.Choice(["segment", "answer"]), default="segment", show_default=True,
              help="Learn from sentence-like segments labelled by the hand-coded spans, or from whole answers.")
@lang_option
def train_command(codebook_file: Path, gold_file: Path | None, pool_files: tuple[Path, ...], use_examples: bool,
                  scope_file: Path | None, split: str | None, out: Path,
                  corpus_file: Path | None, id_column: str | None, project_file: Path | None, seed: int,
                  cv: int, c_value: float, keyword_features: bool, unit: str, lang: str | None) -> None:
    """Train a classifier for every code of a codebook on hand-coded answers.

    \b
    Examples:
      fritekst train --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv \\
          --scope corpus/gold/split.csv --split train --out ansette.skops
      fritekst train --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv \\
          --scope corpus/gold/split.csv --split train --pool corpus/dev/ansette_dev.csv \\
          --pool corpus/train2/ansette.csv --out codebooks/models/ansette.skops

    Then name the model in the codebook, relative to the codebook file: `classifier:
    ../ansette.skops` for the first example (the shipped codebooks/ansette.yaml already names
    models/ansette.skops, the second), or a rule {id: ..., classifier: ...} on single codes.
    """
    if split and not scope_file:
        raise click.UsageError("--split needs --scope (the file with the split column)")
    if scope_file and not gold_file:
        raise click.UsageError("--scope lists answers of --gold; give --gold FILE too")
    if gold_file is None and not use_examples and not pool_files:
        raise click.UsageError("give --gold FILE (hand codings), --pool FILE (answers with their codes), "
                               "--examples (the codebook's examples), or several of them")
    project = used_project(corpus_file, project_file) if gold_file else None
    try:
        # Retraining the model the codebook names is the normal workflow, so models are not inputs here.
        check_run([codebook_file, gold_file, scope_file, corpus_file, *pool_files], [out], project=project)
        codebook = load_codebook(codebook_file)
        answers, gold, scope, corpus, source = _training_data(
            codebook, gold_file, scope_file, split, pool_files, use_examples, corpus_file, id_column, project_file)
        keywords = keyword_codings(corpus, codebook) if keyword_features else None
        settings = {"random_state": seed, "cv": cv, "C": c_value}
        model = train_model(answers, gold, codebook, keyword_codings=keywords, scope=scope,
                            settings=settings, unit=unit, source=source)
        save_model(model, out)
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang, project)
    click.echo(model_summary(model, tr))
    click.echo(tr("train_wrote", path=out))


def _training_data(codebook: Codebook, gold_file: Path | None, scope_file: Path | None, split: str | None,
                   pool_files: tuple[Path, ...], use_examples: bool, corpus_file: Path | None,
                   id_column: str | None, project_file: Path | None
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, Corpus, str]:
    """Answers, hand codings, scope and corpus of everything to learn from, and a line naming the sources."""
    parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    sources: list[str] = []
    cases: list[pd.DataFrame] = []
    if gold_file is not None:
        gold = read_codings(gold_file, code_ids=codebook.code_ids, default_method="manual", what="gold file")
        scope = read_scope(scope_file, split) if scope_file else None
        if scope is not None:
            # a split file may cover several codebooks: keep the questions this codebook codes
            mine = set(gold["question"]) | set(project_questions(codebook, project_file))
            scope = scope[scope["question"].isin(mine)].reset_index(drop=True)
        corpus = load_answers(corpus_file, id_column, project_file, questions_of(gold, scope))
        keys = scope[ANSWER_KEY] if scope is not None else gold[ANSWER_KEY].drop_duplicates()
        parts.append((corpus.answers, gold, keys.reset_index(drop=True)))
        cases.append(corpus.cases[["case_id"]])
        sources.append(str(gold_file) + (f" (split {split})" if split else ""))
    parts.extend(pool_answers(pool_files, codebook))
    sources.extend(str(p) for p in pool_files)
    if use_examples:
        seeds, seed_gold = seed_answers(codebook)
        if seeds.empty and not parts:
            raise InputError(f"{codebook.path}: the codebook has no examples or quoted include phrasings to learn "
                             "from; add 'examples' to its codes or give --gold FILE", code="E115")
        parts.append((seeds, seed_gold, seeds[ANSWER_KEY]))
        sources.append("codebook examples" if parts[:-1] else f"{codebook.path} (examples)")
    answers = pd.concat([p[0][[*ANSWER_KEY, "text"]] for p in parts], ignore_index=True)
    gold_all = pd.concat([p[1] for p in parts if not p[1].empty] or [parts[0][1]], ignore_index=True)
    scope_all = pd.concat([p[2] for p in parts], ignore_index=True)
    questions = list(dict.fromkeys(answers["question"].astype(str)))
    case_ids = pd.concat([*cases, answers[["case_id"]]], ignore_index=True).drop_duplicates()
    corpus = Corpus(cases=case_ids.reset_index(drop=True), answers=answers, questions=questions,
                    source=Path(gold_file or (pool_files[0] if pool_files else codebook.path)))
    # Without --gold the scope is every pool and seed answer; with --gold and no --scope, the gold file's
    # answers plus the pool's (a pool answer without codes is a real "nothing applies").
    return answers, gold_all, scope_all, corpus, " + ".join(sources)


def pool_answers(paths: tuple[Path, ...], codebook: Codebook) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Each ``--pool`` file as (answers, gold, keys), its case ids prefixed with its folder and name.

    The prefix (:func:`~fritekst.analysis.evaluate.answers_file_prefix`) keeps files apart (row 2 of
    ``dev/ansette_dev.csv`` is not row 2 of ``train2/ansette.csv``) and apart from corpus answers; it
    is the prefix ``fritekst evaluate --answers`` gives too, so a model is refused when evaluated on
    a file it was trained on.
    """
    from ..analysis.evaluate import answers_file_prefix, read_coded_answers

    seen: dict[Path, Path] = {}
    out = []
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            raise InputError(f"{path}: pool file given twice (also as {seen[resolved]}); give each --pool "
                             "file once", code="E408")
        seen[resolved] = path
        answers, gold, keys = read_coded_answers(path, list(codebook.code_ids))
        if answers.empty:
            raise InputError(f"{path}: pool file has no answers; expected rows of question,text,codes "
                             "(an empty codes cell is an answer with no code)", code="E409")
        blank = answers["text"].astype(str).str.strip() == ""
        if blank.any():
            line = int(blank.to_numpy().argmax()) + 2
            raise InputError(f"{path}:{line}: empty text; every pool row needs the answer's text "
                             "(delete the row or fill it in)", code="E410")
        for frame in (answers, gold, keys):
            frame["case_id"] = answers_file_prefix(path) + frame["case_id"].astype(str)
        out.append((answers, gold, keys))
    return out


