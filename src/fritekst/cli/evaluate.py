"""``fritekst evaluate``: precision, recall and F1 of automatic coding against hand coding."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pandas as pd

from ..coding.classify import POLICIES
from ..rules.model_file import load_model
from ..rules.codebook import load_codebook
from ..coding.codings_io import read_codings, read_scope
from ..errors import FritekstError
from ..analysis.evaluate import (EvaluationResult, comparison_table, evaluate_codings, evaluate_methods,
                                 read_coded_answers, write_disagreements)
from ..sources.corpus import Corpus
from ._common import check_run, fail, lang_option, texts
from ._evaluation import (PATH, corpus_options, fmt, keyword_codings, load_answers, project_questions,
                          questions_of, shorten, used_project)


@click.command("evaluate")
@click.option("--gold", "gold_file", type=PATH, help="Hand codings to compare with (refs.csv format).")
@click.option("--answers", "answers_file", type=PATH,
              help="Answers with their gold codes in one CSV (case_id,question,text,codes; codes ';'-separated), "
                   "instead of --gold/--scope/--corpus.")
@click.option("--codings", "codings_file", type=PATH,
              help="Automatic codings to evaluate (refs.csv); without it the answers are coded now with --codebook.")
@click.option("--codebook", "codebook_file", type=PATH, help="Codebook (its codes; and its rules when coding now).")
@click.option("--scope", "scope_file", type=PATH,
              help="CSV listing every hand-coded answer (case_id, question[, split]), also those without codes.")
@click.option("--split", help="Evaluate only scope rows with this split, e.g. heldout.")
@click.option("--model", "model_file", type=PATH, help="Classifier model to evaluate (must not have seen the scope).")
@click.option("--cv", type=click.IntRange(min=2), help="Evaluate the classifier by K-fold cross-validation over the scope.")
@click.option("--policy", type=click.Choice(sorted(POLICIES)),
              help="How keyword and classifier codings are combined (default: the codebook's 'combine').")
@click.option("--disagreements", "disagreements_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every false positive and false negative, with its text, to this CSV.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Disagreements to show on screen.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed for --cv and --curve.")
@click.option("--curve", is_flag=True,
              help="Learning curve: train on the codebook's examples plus 0, 25, 50, 100, 200 answers of the "
                   "scope's 'train' split, score on --split (default heldout).")
@click.option("--curve-sizes", default="0,25,50,100,200", show_default=True,
              help="Numbers of hand-coded answers for --curve, comma-separated.")
@corpus_options
@lang_option
def evaluate_command(gold_file: Path | None, answers_file: Path | None, codings_file: Path | None,
                     codebook_file: Path | None, scope_file: Path | None,
                     split: str | None, model_file: Path | None, cv: int | None, policy: str | None,
                     disagreements_file: Path | None, top: int, seed: int, curve: bool, curve_sizes: str,
                     corpus_file: Path | None,
                     id_column: str | None, project_file: Path | None, lang: str | None) -> None:
    """Score automatic coding against hand coding, per code and overall.

    \b
    Examples:
      fritekst evaluate --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv \\
          --scope corpus/gold/split.csv --split heldout --model models/ansette.skops
      fritekst evaluate --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv --cv 5
      fritekst evaluate --codings refs.csv --gold corpus/gold/ansette.csv --scope corpus/gold/split.csv
      fritekst evaluate --codebook codebooks/ansette.yaml --answers corpus/dev/ansette_dev.csv

    Keyword rules, the classifier and their combination are shown side by side. A classifier is
    never scored on answers it was trained on: use a held-out split, or --cv.
    """
    if curve:
        _curve(codebook_file, gold_file, scope_file, split or "heldout", curve_sizes, seed, policy, corpus_file,
               id_column, project_file)
        return
    if answers_file is not None:
        if gold_file or scope_file or codings_file:
            raise click.UsageError("--answers holds the answers and their gold codes; leave out --gold, --scope "
                                   "and --codings")
        if codebook_file is None:
            raise click.UsageError("--answers needs --codebook FILE")
        _evaluate_answers(answers_file, codebook_file, model_file, cv, policy, seed, disagreements_file, top)
        return
    if gold_file is None:
        raise click.UsageError("give --gold FILE (hand codings) or --answers FILE (answers with their codes)")
    if split and not scope_file:
        raise click.UsageError("--split needs --scope (the file with the split column)")
    if codings_file is None and codebook_file is None:
        raise click.UsageError("give --codings FILE to evaluate, or --codebook FILE to code the answers now")
    if codings_file is not None and (model_file or cv):
        raise click.UsageError("--model and --cv code the answers now; leave out --codings")
    try:
        codebook = load_codebook(codebook_file) if codebook_file else None
        check_run([gold_file, codings_file, codebook_file, scope_file, model_file, corpus_file],
                  [disagreements_file], codebooks=[codebook], project=used_project(corpus_file, project_file))
        code_ids = list(codebook.code_ids) if codebook else None
        gold = read_codings(gold_file, code_ids=code_ids, default_method="manual", what="gold file")
        scope = read_scope(scope_file, split) if scope_file else None
        if scope is not None:
            mine = set(gold["question"]) | (set(project_questions(codebook, project_file)) if codebook else set())
            scope = scope[scope["question"].isin(mine)].reset_index(drop=True)
        if codings_file is not None:
            results = _evaluate_file(codings_file, gold, scope, code_ids, corpus_file, id_column, project_file)
        else:
            assert codebook is not None
            corpus = load_answers(corpus_file, id_column, project_file, questions_of(gold, scope))
            model = load_model(model_file, codebook) if model_file else None
            results = evaluate_methods(corpus.answers, gold, codebook, keyword_codings(corpus, codebook), scope,
                                       model=model, cv=cv, policy=policy, seed=seed)
        if disagreements_file is not None:
            written = write_disagreements(disagreements_file, results)
    except FritekstError as exc:
        fail(exc)
    _print(results, gold_file, scope_file, split, top)
    if disagreements_file is not None:
        click.echo(_tr()("evaluate_wrote", n=written, path=disagreements_file))


def _tr() -> Any:
    """The summary texts in the language of ``--lang``, else of the project in use, else Norwegian."""
    params = click.get_current_context().params
    try:
        project = used_project(params.get("corpus_file"), params.get("project_file"))
    except FritekstError:
        project = None  # a broken project file this run did not need does not stop its summary
    return texts(params.get("lang"), project)


def _evaluate_answers(answers_file: Path, codebook_file: Path, model_file: Path | None, cv: int | None,
                      policy: str | None, seed: int, disagreements_file: Path | None, top: int) -> None:
    """``--answers``: answers and their gold codes in one CSV."""
    try:
        codebook = load_codebook(codebook_file)
        answers, gold, scope = read_coded_answers(answers_file, list(codebook.code_ids))
        # The file's ids are its own: prefix them so they can never be taken for the corpus answers a
        # shipped model was trained on (that check refuses a model that has seen an answer in scope).
        for frame in (answers, gold, scope):
            frame["case_id"] = f"{answers_file.name}:" + frame["case_id"].astype(str)
        corpus = Corpus(cases=answers[["case_id"]].drop_duplicates().reset_index(drop=True), answers=answers,
                        questions=sorted(set(answers["question"])), source=answers_file)
        model = load_model(model_file, codebook) if model_file else None
        results = evaluate_methods(answers, gold, codebook, keyword_codings(corpus, codebook), scope,
                                   model=model, cv=cv, policy=policy, seed=seed)
        written = write_disagreements(disagreements_file, results) if disagreements_file is not None else 0
    except FritekstError as exc:
        fail(exc)
    _print(results, answers_file, None, None, top)
    if disagreements_file is not None:
        click.echo(_tr()("evaluate_wrote", n=written, path=disagreements_file))


def _curve(codebook_file: Path | None, gold_file: Path | None, scope_file: Path | None, split: str, sizes: str,
           seed: int, policy: str | None, corpus_file: Path | None, id_column: str | None,
           project_file: Path | None) -> None:
    if codebook_file is None or gold_file is None or scope_file is None:
        raise click.UsageError("--curve needs --codebook, --gold and --scope (with a split column: train and "
                               f"{split})")
    try:
        steps = [int(x) for x in sizes.split(",") if x.strip()]
    except ValueError:
        raise click.UsageError(f"--curve-sizes {sizes!r}: expected whole numbers separated by commas, e.g. 0,25,50") from None
    from ..analysis.curve import learning_curve

    try:
        codebook = load_codebook(codebook_file)
        gold = read_codings(gold_file, code_ids=list(codebook.code_ids), default_method="manual", what="gold file")
        pool = read_scope(scope_file, "train")
        test = read_scope(scope_file, split)
        mine = set(gold["question"])
        pool = pool[pool["question"].isin(mine)].reset_index(drop=True)
        test = test[test["question"].isin(mine)].reset_index(drop=True)
        corpus = load_answers(corpus_file, id_column, project_file, questions_of(gold, pool, test))
        table = learning_curve(corpus.answers, gold, codebook, pool, test, steps, seed=seed, policy=policy)
    except FritekstError as exc:
        fail(exc)
    click.echo(f"Learning curve of {codebook_file}: classifier trained on the codebook's examples plus N answers of "
               f"the train split of {scope_file} (seed {seed}), scored on {len(test)} answers of split {split}; "
               "micro P / R / F1")
    click.echo(f"{'N':>5} │ {'keyword':^20} │ {'classifier':^20} │ {'combined':^20}")
    for values in table.to_dict("records"):
        cells = " │ ".join(" ".join(f"{fmt(values[f'{m} {k}']):>6}" for k in ("P", "R", "F1"))
                           for m in ("keyword", "classifier", "combined"))
        click.echo(f"{int(values['n']):>5} │ {cells}")


def _evaluate_file(codings_file: Path, gold: pd.DataFrame, scope: pd.DataFrame | None, code_ids: list[str] | None,
                   corpus_file: Path | None, id_column: str | None, project_file: Path | None) -> list[EvaluationResult]:
    codings = read_codings(codings_file, code_ids=code_ids, what="codings file")
    manual = int((codings["method"] == "manual").sum())
    codings = codings[codings["method"] != "manual"]
    if code_ids is None:
        code_ids = sorted(set(gold["code_id"]) | set(codings["code_id"]))
    texts = load_answers(corpus_file, id_column, project_file, questions_of(gold, scope)).answers \
        if corpus_file is not None else None
    methods = sorted(set(codings["method"]))
    results = []
    if len(methods) > 1:
        for method in methods:
            results.append(evaluate_codings(codings[codings["method"] == method], gold, scope, code_ids, texts,
                                            name=f"{method} rows"))
    results.append(evaluate_codings(codings, gold, scope, code_ids, texts,
                                    name="all codings" if len(methods) > 1 else (methods[0] if methods else "codings")))
    if manual:
        results[-1].notes.append(f"{manual} manual codings in {codings_file} were left out: hand codings cannot "
                                 "be scored against hand codings")
    return results


def _print(results: Sequence[EvaluationResult], gold_file: Path, scope_file: Path | None, split: str | None,
           top: int) -> None:
    tr = _tr()
    first = results[0]
    where = ((tr("evaluate_split", scope=scope_file, split=split) if split else f"{scope_file}") if scope_file
             else tr("evaluate_gold_answers"))
    click.echo(tr("evaluate_header", n=first.n_answers, where=where, gold=gold_file))
    for note in dict.fromkeys(n for r in results for n in r.notes):
        click.echo(f"Note: {note}")
    table = comparison_table(results)
    width = max(8, *(len(str(c)) for c in table["code_id"]))
    names = [r.name for r in results]
    widths = [max(20, len(name)) for name in names]
    head = (f"{tr('evaluate_code'):<{width}} {tr('evaluate_gold'):>5}"
            + "".join(f" │ {name:^{w}}" for name, w in zip(names, widths)))
    sub = f"{'':<{width}} {'':>5}" + "".join(f" │ {'P':>{w - 14}}{'R':>7}{'F1':>7}" for w in widths)
    click.echo(head)
    click.echo(sub)
    for _, row in table.iterrows():
        if row["code_id"] == "micro":
            click.echo("─" * len(sub))
        gold_n = "" if pd.isna(row["n_gold"]) else str(int(row["n_gold"]))
        cells = "".join(f" │ {fmt(row[f'{n} P']):>{w - 14}}{fmt(row[f'{n} R']):>7}{fmt(row[f'{n} F1']):>7}"
                        for n, w in zip(names, widths))
        click.echo(f"{str(row['code_id']):<{width}} {gold_n:>5}{cells}")
    for result in results:
        click.echo(tr("evaluate_micro", name=result.name, micro=fmt(result.micro["f1"]),
                      macro=fmt(result.macro["f1"]), exact=fmt(result.exact_match * 100, 0)))
    last = results[-1]
    if top and not last.disagreements.empty:
        click.echo(tr("evaluate_top", name=last.name, n=len(last.disagreements)))
        for row in last.disagreements.head(top).itertuples(index=False):
            kind = "FP" if row.kind == "false positive" else "FN"
            click.echo(f"  {kind} {row.code_id:<18} {row.case_id:>6} {row.question:<14} {shorten(row.text, 60)}")
