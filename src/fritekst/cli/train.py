"""``fritekst train``: fit a classifier on hand-coded answers and save it as a skops model file."""

from __future__ import annotations

from pathlib import Path

import click

import pandas as pd

from ..rules.classifier import SEED_QUESTION, describe_model, seed_answers, train_model
from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from ..errors import InputError
from ..rules.model_file import save_model
from ..rules.codebook import load_codebook
from ..coding.codings_io import read_codings, read_scope
from ..errors import FritekstError
from ._common import check_run, fail, lang_option, texts
from ._evaluation import (PATH, corpus_options, keyword_codings, load_answers, project_questions,
                          questions_of, used_project)


@click.command("train")
@click.option("--codebook", "codebook_file", required=True, type=PATH, help="YAML codebook to train for.")
@click.option("--gold", "gold_file", type=PATH,
              help="Hand codings (refs.csv format, method=manual; decision=no rows allowed).")
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
@click.option("--cv", default=5, show_default=True, type=click.IntRange(min=2),
              help="Folds for choosing each code's threshold.")
@click.option("--C", "c_value", default=10.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Inverse regularisation strength of the logistic regressions.")
@click.option("--keyword-features/--no-keyword-features", default=True, show_default=True,
              help="Use the codebook's keyword hits as features.")
@click.option("--unit", type=click.Choice(["segment", "answer"]), default="segment", show_default=True,
              help="Learn from sentence-like segments labelled by the hand-coded spans, or from whole answers.")
@lang_option
def train_command(codebook_file: Path, gold_file: Path | None, use_examples: bool, scope_file: Path | None,
                  split: str | None, out: Path,
                  corpus_file: Path | None, id_column: str | None, project_file: Path | None, seed: int,
                  cv: int, c_value: float, keyword_features: bool, unit: str, lang: str | None) -> None:
    """Train a classifier for every code of a codebook on hand-coded answers.

    \b
    Example:
      fritekst train --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv \\
          --scope corpus/gold/split.csv --split train --out models/ansette.skops

    Then add `classifier: ../models/ansette.skops` (relative to the codebook) to the codebook,
    or a rule {id: ..., classifier: ...} to single codes.
    """
    if split and not scope_file:
        raise click.UsageError("--split needs --scope (the file with the split column)")
    if gold_file is None and not use_examples:
        raise click.UsageError("give --gold FILE (hand codings), --examples (the codebook's examples), or both")
    try:
        # Retraining the model the codebook names is the normal workflow, so models are not inputs here.
        check_run([codebook_file, gold_file, scope_file, corpus_file], [out],
                  project=used_project(corpus_file, project_file))
        codebook = load_codebook(codebook_file)
        if gold_file is None:
            _train_on_examples(codebook, out, seed, cv, c_value, keyword_features, unit)
            click.echo(texts(lang, used_project(corpus_file, project_file))("train_wrote", path=out))
            return
        gold = read_codings(gold_file, code_ids=codebook.code_ids, default_method="manual", what="gold file")
        scope = read_scope(scope_file, split) if scope_file else None
        if scope is not None:
            # a split file may cover several codebooks: keep the questions this codebook codes
            mine = set(gold["question"]) | set(project_questions(codebook, project_file))
            scope = scope[scope["question"].isin(mine)].reset_index(drop=True)
        corpus = load_answers(corpus_file, id_column, project_file, questions_of(gold, scope))
        answers = corpus.answers
        if use_examples:
            seeds, seed_gold = seed_answers(codebook)
            answers = pd.concat([answers, seeds], ignore_index=True)
            gold = pd.concat([gold, seed_gold], ignore_index=True)
            corpus = Corpus(cases=corpus.cases, answers=answers, questions=[*corpus.questions, SEED_QUESTION],
                            source=corpus.source)
            if scope is not None:
                scope = pd.concat([scope, seeds[["case_id", "question"]]], ignore_index=True)
        keywords = keyword_codings(corpus, codebook) if keyword_features else None
        settings = {"random_state": seed, "cv": cv, "C": c_value}
        model = train_model(answers, gold, codebook, keyword_codings=keywords, scope=scope,
                            settings=settings, unit=unit, source=str(gold_file) + (f" (split {split})" if split else "")
                            + (" + codebook examples" if use_examples else ""))
        save_model(model, out)
    except FritekstError as exc:
        fail(exc)
    click.echo(describe_model(model))
    click.echo(texts(lang, used_project(corpus_file, project_file))("train_wrote", path=out))


def _train_on_examples(codebook: Codebook, out: Path, seed: int, cv: int, c_value: float, keyword_features: bool,
                       unit: str) -> None:
    """A first model from the codebook's examples alone: classifier support before any hand coding."""
    seeds, seed_gold = seed_answers(codebook)
    if seeds.empty:
        raise InputError(f"{codebook.path}: the codebook has no examples or quoted include phrasings to learn "
                         "from; add 'examples' to its codes or give --gold FILE", code="E115")
    corpus = Corpus(cases=seeds[["case_id"]], answers=seeds, questions=[SEED_QUESTION], source=Path(codebook.path))
    keywords = keyword_codings(corpus, codebook) if keyword_features else None
    model = train_model(seeds, seed_gold, codebook, keyword_codings=keywords,
                        settings={"random_state": seed, "cv": cv, "C": c_value}, unit=unit,
                        source=f"{codebook.path} (examples)")
    save_model(model, out)
    click.echo(describe_model(model))
