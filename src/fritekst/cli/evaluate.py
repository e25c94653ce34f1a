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
from ..analysis.evaluate import (EvaluationResult, answers_file_prefix, comparison_table, evaluate_codings, evaluate_methods,
                                 read_coded_answers, write_disagreements)
from ..sources.corpus import Corpus
from ._common import WholeNumber, check_run, fail, lang_option, texts
from ._model_summary import combination_text
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
@click.option("--cv", type=WholeNumber(min=2), help="Evaluate the classifier by K-fold cross-validation over the scope.")
@click.option("--policy", type=click.Choice(sorted(POLICIES)),
              help="How keyword and classifier codings are combined (default: the codebook's 'combine').")
@click.option("--disagreements", "disagreements_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every false positive and false negative, with its text, to this CSV.")
@click.option("--top", default=10, show_default=True, type=WholeNumber(min=0),
              help="Disagreements to show on screen.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed for --cv and --curve.")
@click.option("--curve", is_flag=True,
              help="Learning curve: train on the codebook's examples plus 0, 25, 50, 100, 200 answers of the "
                   "scope's 'train' split, score on --split (default heldout).")
@click.option("--curve-sizes", default="0,25,50,100,200", show_default=True,
              help="Numbers of hand-coded answers for --curve, comma-separated.")
@click.option("--curve-pool", "pool_files", multiple=True, type=PATH,
              help="More hand-coded answers for the --curve training pool (case_id,question,text,codes CSV); repeatable.")
@click.option("--curve-test", "test_files", multiple=True, type=PATH,
              help="More answers with gold codes for --curve to score on (case_id,question,text,codes CSV); repeatable.")
@click.option("--draws", default=1, show_default=True, type=WholeNumber(min=1),
              help="Random orders of the --curve pool; figures are the mean (and sd) over them.")
@corpus_options
@lang_option
def evaluate_command(gold_file: Path | None, answers_file: Path | None, codings_file: Path | None,
                     codebook_file: Path | None, scope_file: Path | None,
                     split: str | None, model_file: Path | None, cv: int | None, policy: str | None,
                     disagreements_file: Path | None, top: int, seed: int, curve: bool, curve_sizes: str,
                     pool_files: tuple[Path, ...], test_files: tuple[Path, ...], draws: int,
                     corpus_file: Path | None,
                     id_column: str | None, project_file: Path | None, lang: str | None) -> None:
    """Score automatic coding against hand coding, per code and overall.

    \b
    Examples:
      fritekst evaluate --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv \\
          --scope corpus/gold/split.csv --split heldout --model ansette.skops
      fritekst evaluate --codebook codebooks/ansette.yaml --gold corpus/gold/ansette.csv \
          --scope corpus/gold/split.csv --split train --cv 5
      fritekst evaluate --codings refs.csv --gold corpus/gold/ansette.csv \
          --scope corpus/gold/split.csv --split heldout
      fritekst evaluate --codebook codebooks/examples/ansette.yaml --answers corpus/dev/ansette_dev.csv

    Keyword rules, the classifier and their combination are shown side by side. A classifier is
    never scored on answers it was trained on: use a held-out split, or --cv.
    """
    if curve:
        _curve(codebook_file, gold_file, scope_file, split or "heldout", curve_sizes, seed, draws, policy,
               pool_files, test_files, corpus_file, id_column, project_file)
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
    if codings_file is None and codebook is not None and not cv:
        _print_tradeoff(model_file, model, codebook)
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


def _print_tradeoff(model_file: Path | None, model: object | None, codebook: Any) -> None:
    """Each model's per-code threshold trade-off, from cross-validation on its training answers."""
    from ..analysis.evaluate import TRADEOFF_POINTS, threshold_tradeoff
    from ..rules.classifier import ClassifierModel

    models = [(model_file, model)] if isinstance(model, ClassifierModel) else \
        [(path, load_model(path, codebook)) for path in sorted(codebook.model_paths(), key=str)]
    tr = _tr()
    for path, each in models:
        table = threshold_tradeoff(each)
        if table.empty:
            click.echo(tr("tradeoff_missing", path=path))
            continue
        click.echo(tr("tradeoff_head", path=path, n=each.metadata["training"]["n_answers"]))
        points = [format(p, "g") for p in TRADEOFF_POINTS]
        click.echo(f"{tr('model_col_code'):<22} {tr('tradeoff_col_pos'):>4} {tr('tradeoff_col_chosen'):>6} "
                   f"{tr('model_col_learned'):<20} {'F1':>5} │ {tr('tradeoff_at_chosen'):^17}"
                   + "".join(f" │ {tr('tradeoff_at', t=_shown(p, tr.lang)):^17}" for p in points))
        lang = tr.lang
        for row in table.to_dict("records"):
            how = combination_text(row["combination"], row["union_threshold"], tr)
            cells = "".join(f" │ {fmt(row[f'P@{p}'], lang=lang):>5} {fmt(row[f'R@{p}'], lang=lang):>5} "
                            f"{fmt(row[f'F1@{p}'], lang=lang):>5}" for p in ["chosen", *points])
            click.echo(f"{row['code_id']:<22} {row['positives']:>4} {fmt(row['threshold'], 3, lang=lang):>6} "
                       f"{how:<20} {fmt(row['combination_f1'], lang=lang):>5}{cells}")
        click.echo(tr("model_combination_note"))


def _shown(point: str, lang: str) -> str:
    """A threshold of the trade-off's header as a reader reads it (``0,5`` in Norwegian)."""
    return point.replace(".", ",") if lang == "nb" else point


def _evaluate_answers(answers_file: Path, codebook_file: Path, model_file: Path | None, cv: int | None,
                      policy: str | None, seed: int, disagreements_file: Path | None, top: int) -> None:
    """``--answers``: answers and their gold codes in one CSV."""
    try:
        codebook = load_codebook(codebook_file)
        answers, gold, scope = read_coded_answers(answers_file, list(codebook.code_ids))
        # The file's ids are its own: prefix them so they can never be taken for the corpus answers a
        # shipped model was trained on (that check refuses a model that has seen an answer in scope).
        for frame in (answers, gold, scope):
            frame["case_id"] = answers_file_prefix(answers_file) + frame["case_id"].astype(str)
        corpus = Corpus(cases=answers[["case_id"]].drop_duplicates().reset_index(drop=True), answers=answers,
                        questions=sorted(set(answers["question"])), source=answers_file)
        model = load_model(model_file, codebook) if model_file else None
        results = evaluate_methods(answers, gold, codebook, keyword_codings(corpus, codebook), scope,
                                   model=model, cv=cv, policy=policy, seed=seed)
        written = write_disagreements(disagreements_file, results) if disagreements_file is not None else 0
    except FritekstError as exc:
        fail(exc)
    _print(results, answers_file, None, None, top)
    if not cv:
        _print_tradeoff(model_file, model, codebook)
    if disagreements_file is not None:
        click.echo(_tr()("evaluate_wrote", n=written, path=disagreements_file))


def _curve(codebook_file: Path | None, gold_file: Path | None, scope_file: Path | None, split: str, sizes: str,
           seed: int, draws: int, policy: str | None, pool_files: Sequence[Path], test_files: Sequence[Path],
           corpus_file: Path | None, id_column: str | None, project_file: Path | None) -> None:
    if codebook_file is None:
        raise click.UsageError("--curve needs --codebook")
    if (gold_file is None) != (scope_file is None):
        raise click.UsageError("--curve reads hand codings as --gold with --scope (split column: train and "
                               f"{split}); give both, or neither and --curve-pool/--curve-test files")
    if gold_file is None and not (pool_files and test_files):
        raise click.UsageError("--curve needs a training pool and answers to score on: --gold and --scope, "
                               "or --curve-pool and --curve-test files")
    try:
        steps = [int(x) for x in sizes.split(",") if x.strip()]
    except ValueError:
        raise click.UsageError(f"--curve-sizes {sizes!r}: expected whole numbers separated by commas, e.g. 0,25,50") from None
    from ..analysis.curve import CurveSet, learning_curve, summarise_curve

    try:
        codebook = load_codebook(codebook_file)
        check_run([gold_file, codebook_file, scope_file, corpus_file, *pool_files, *test_files], [],
                  codebooks=[codebook], project=used_project(corpus_file, project_file) if gold_file else None)
        pools: list[CurveSet] = []
        tests: list[CurveSet] = []
        if gold_file is not None and scope_file is not None:
            gold = read_codings(gold_file, code_ids=list(codebook.code_ids), default_method="manual",
                                what="gold file")
            mine = set(gold["question"])
            pool = read_scope(scope_file, "train")
            test = read_scope(scope_file, split)
            pool = pool[pool["question"].isin(mine)].reset_index(drop=True)
            test = test[test["question"].isin(mine)].reset_index(drop=True)
            answers = load_answers(corpus_file, id_column, project_file, questions_of(gold, pool, test)).answers
            pools.append(CurveSet(f"{gold_file.name} train", answers, gold, pool))
            tests.append(CurveSet(f"{gold_file.name} {split}", answers, gold, test))
        for files, into in ((pool_files, pools), (test_files, tests)):
            for path in files:
                answers, gold, keys = read_coded_answers(path, list(codebook.code_ids))
                for frame in (answers, gold, keys):  # ids of different files never meet
                    frame["case_id"] = f"{path.name}:" + frame["case_id"].astype(str)
                into.append(CurveSet(path.name, answers, gold, keys))
        pool_set = CurveSet.join("pool", pools)
        curve = learning_curve(codebook, pool_set, tests, steps, draws=draws, seed=seed, policy=policy)
    except FritekstError as exc:
        fail(exc)
    summary = summarise_curve(curve)
    n_pool = len(pool_set.keys.drop_duplicates())
    click.echo(f"Learning curve of {codebook_file}: classifier trained on the codebook's examples plus N of "
               f"{n_pool} hand-coded answers ({' + '.join(p.name for p in pools)}), {draws} random draw(s) "
               f"from seed {seed}, combined by policy {policy or 'learned'}; micro P / R / F1"
               + (" (F1 mean ± sd over draws)" if draws > 1 else ""))
    for test_set in tests:
        n_test = len(test_set.keys.drop_duplicates())
        click.echo(f"Scored on {test_set.name} ({n_test} answers)")
        click.echo(f"{'N':>5} │ {'keyword':^20} │ {'classifier':^26} │ {'combined':^26}")
        mine = summary[summary["test"] == test_set.name]
        for n in dict.fromkeys(mine["n"]):
            cells = []
            for method in ("keyword", "classifier", "combined"):
                row = mine[(mine["n"] == n) & (mine["method"] == method)].iloc[0]
                # English, as the curve's prose (a measurement tool, not a summary for a report)
                spread = f" ±{row['f1_sd']:.2f}" if draws > 1 and method != "keyword" else ""
                cells.append(f"{fmt(row['precision'], lang='en'):>6} {fmt(row['recall'], lang='en'):>6} "
                             f"{fmt(row['f1'], lang='en'):>6}{spread}")
            click.echo(f"{int(n):>5} │ {cells[0]:<20} │ {cells[1]:<26} │ {cells[2]:<26}")


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
        cells = "".join(f" │ {fmt(row[f'{n} P'], lang=tr.lang):>{w - 14}}{fmt(row[f'{n} R'], lang=tr.lang):>7}"
                        f"{fmt(row[f'{n} F1'], lang=tr.lang):>7}" for n, w in zip(names, widths))
        click.echo(f"{str(row['code_id']):<{width}} {gold_n:>5}{cells}")
    for result in results:
        click.echo(tr("evaluate_micro", name=result.name, micro=fmt(result.micro["f1"], lang=tr.lang),
                      macro=fmt(result.macro["f1"], lang=tr.lang), exact=fmt(result.exact_match * 100, 0, lang=tr.lang)))
    last = results[-1]
    if top and not last.disagreements.empty:
        click.echo(tr("evaluate_top", name=last.name, n=len(last.disagreements)))
        for row in last.disagreements.head(top).itertuples(index=False):
            kind = "FP" if row.kind == "false positive" else "FN"
            click.echo(f"  {kind} {row.code_id:<18} {row.case_id:>6} {row.question:<14} {shorten(row.text, 60)}")
