"""How good is the automatic coding? Precision, recall and F1 against hand codings ("gold").

Everything is measured at answer level: for every answer in scope and every code, did the automatic
coding apply the code (anywhere in the answer) and did the hand coder? A keyword hit on the wrong
words of the right answer still counts as right; spans are for reading, presence is for counting,
which is what theme frequencies in a report rest on.

* **Scope** is the set of answers the hand coders coded, including those they gave no code. A
  coding file cannot show an answer coded "nothing", so give a scope file (``split.csv``) whenever
  possible; without one the scope is every answer named in the gold file.
* Per code: TP, FP, FN, precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN).
  **Micro** sums TP/FP/FN over codes (dominated by frequent codes); **macro** averages the per-code
  figures over the codes that occur in gold or output (each code counts the same).
* A classifier is never measured on answers it was trained on: :func:`evaluate_methods` refuses a
  model whose training answers overlap the scope, and ``cv`` gives out-of-fold predictions instead.

Examples
--------
>>> import pandas as pd
>>> gold = pd.DataFrame({"case_id": ["1", "2"], "question": ["q", "q"], "code_id": ["a", "a"]})
>>> auto = pd.DataFrame({"case_id": ["1", "3"], "question": ["q", "q"], "code_id": ["a", "a"],
...                      "method": ["keyword"] * 2, "score": [1.0, 1.0]})
>>> scope = pd.DataFrame({"case_id": ["1", "2", "3"], "question": ["q"] * 3})
>>> result = evaluate_codings(auto, gold, scope, ["a"])
>>> result.micro["precision"], result.micro["recall"]
(0.5, 0.5)
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold

from ..coding.classify import (apply_classifier_rules, code_with_classifiers, combine_codings,
                               learned_thresholds, predict_codings)
from ..rules.classifier import ClassifierModel, train_model
from ..coding.frame import ANSWER_KEY, KEY, decisions_of, empty_codings
from ..errors import InputError
from ..sources.tables import write_csv_rows
#: Thresholds at which ``fritekst evaluate`` shows each code's cross-validated trade-off.
TRADEOFF_POINTS = (0.2, 0.35, 0.5, 0.65, 0.8)
DISAGREEMENT_COLUMNS = ["evaluation", "case_id", "question", "code_id", "kind", "method", "rule_id",
                        "score", "text"]


@dataclass
class EvaluationResult:
    """Scores of one set of automatic codings against gold, and where they disagree.

    Attributes
    ----------
    name : str
        What was evaluated ("keyword", "classifier (5-fold CV)", "combined: union", ...).
    per_code : DataFrame
        ``code_id, n_gold, n_auto, tp, fp, fn, precision, recall, f1`` (NaN where undefined).
    micro, macro : dict
        ``precision``, ``recall``, ``f1`` (micro also ``tp``, ``fp``, ``fn``).
    n_answers : int
        Answers in scope.
    exact_match : float
        Share of answers whose set of codes equals the gold set exactly.
    disagreements : DataFrame
        :data:`DISAGREEMENT_COLUMNS`; false positives first, most confident first.
    """

    name: str
    per_code: pd.DataFrame
    micro: dict[str, float]
    macro: dict[str, float]
    n_answers: int
    exact_match: float
    disagreements: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def gold_scope(gold: pd.DataFrame, scope: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    """The answers to evaluate on, and a note when the scope had to be guessed from the gold file."""
    if scope is not None:
        return scope[ANSWER_KEY].drop_duplicates().reset_index(drop=True), []
    keys = gold[ANSWER_KEY].drop_duplicates().sort_values(ANSWER_KEY).reset_index(drop=True)
    return keys, [f"no scope file: evaluated on the {len(keys)} answers named in the gold file; answers "
                  "the hand coders gave no code are missing, so precision may be overstated (give a scope file)"]


def evaluate_codings(codings: pd.DataFrame, gold: pd.DataFrame, scope: pd.DataFrame | None,
                     code_ids: Sequence[str], texts: pd.DataFrame | None = None,
                     name: str = "codings") -> EvaluationResult:
    """Compare automatic codings with gold codings, answer by answer and code by code.

    Parameters
    ----------
    codings : DataFrame
        Automatic codings (any methods; rows outside the scope are ignored).
    gold : DataFrame
        Hand codings; rows with ``decision == "no"`` are explicit negatives (not positives).
    scope : DataFrame or None
        ``case_id, question`` of the answers to evaluate on (see :func:`gold_scope`).
    code_ids : sequence of str
        The codes to score (usually the codebook's).
    texts : DataFrame, optional
        ``case_id, question, text`` to show the answer text in disagreements.
    name : str
        Label of this evaluation.
    """
    keys, notes = gold_scope(gold, scope)
    in_scope = pd.MultiIndex.from_frame(keys)
    gold_yes = gold[decisions_of(gold) == "yes"]
    gold_set = _present(gold_yes, in_scope, code_ids)
    auto_rows = codings[pd.MultiIndex.from_frame(codings[ANSWER_KEY]).isin(in_scope)
                        & codings["code_id"].isin(code_ids)] if not codings.empty else codings
    auto_set = _present(auto_rows, in_scope, code_ids)
    rows = []
    for code_id in code_ids:
        g = {k for k in gold_set if k[2] == code_id}
        a = {k for k in auto_set if k[2] == code_id}
        tp, fp, fn = len(g & a), len(a - g), len(g - a)
        rows.append({"code_id": code_id, "n_gold": len(g), "n_auto": len(a), "tp": tp, "fp": fp, "fn": fn,
                     "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
                     "f1": _ratio(2 * tp, 2 * tp + fp + fn)})
    per_code = pd.DataFrame(rows, columns=["code_id", "n_gold", "n_auto", "tp", "fp", "fn", "precision",
                                           "recall", "f1"])
    tp, fp, fn = (int(per_code[c].sum()) for c in ("tp", "fp", "fn"))
    micro = {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
             "f1": _ratio(2 * tp, 2 * tp + fp + fn), "tp": tp, "fp": fp, "fn": fn}
    active = per_code[(per_code["n_gold"] > 0) | (per_code["n_auto"] > 0)]
    macro = {"precision": float(active["precision"].mean()) if len(active) else math.nan,
             "recall": float(active["recall"].mean()) if len(active) else math.nan,
             "f1": float(active["f1"].fillna(0.0).mean()) if len(active) else math.nan,
             "n_codes": int(len(active))}
    by_answer_gold = _code_sets(gold_set)
    by_answer_auto = _code_sets(auto_set)
    exact = sum(by_answer_gold.get(k, frozenset()) == by_answer_auto.get(k, frozenset())
                for k in keys.itertuples(index=False, name=None))
    disagreements = _disagreements(name, gold_set - auto_set, auto_set - gold_set, auto_rows, gold_yes, texts)
    return EvaluationResult(name=name, per_code=per_code, micro=micro, macro=macro, n_answers=len(keys),
                            exact_match=_ratio(exact, len(keys)), disagreements=disagreements, notes=notes)


def _present(rows: pd.DataFrame, in_scope: pd.MultiIndex, code_ids: Sequence[str]) -> set[tuple[str, str, str]]:
    if rows.empty:
        return set()
    keep = pd.MultiIndex.from_frame(rows[ANSWER_KEY]).isin(in_scope) & rows["code_id"].isin(code_ids)
    return set(rows.loc[keep, KEY].itertuples(index=False, name=None))


def _code_sets(found: set[tuple[str, str, str]]) -> dict[tuple[str, str], frozenset[str]]:
    sets: dict[tuple[str, str], set[str]] = {}
    for case_id, question, code_id in found:
        sets.setdefault((case_id, question), set()).add(code_id)
    return {k: frozenset(v) for k, v in sets.items()}


def _disagreements(name: str, missed: set[tuple[str, str, str]], wrong: set[tuple[str, str, str]],
                   auto_rows: pd.DataFrame, gold_rows: pd.DataFrame, texts: pd.DataFrame | None) -> pd.DataFrame:
    """One row per false positive / false negative, with method, rule, score and answer text."""
    records: list[dict[str, Any]] = []
    auto_by_key = _first_by_key(auto_rows)
    gold_by_key = _first_by_key(gold_rows)
    text_of = texts.set_index(ANSWER_KEY)["text"].to_dict() if texts is not None else {}
    for kind, keys, source in (("false positive", wrong, auto_by_key), ("false negative", missed, gold_by_key)):
        for key in keys:
            row = source.get(key, {})
            text = text_of.get(key[:2]) or row.get("coded_text", "")
            records.append({"evaluation": name, "case_id": key[0], "question": key[1], "code_id": key[2],
                            "kind": kind, "method": row.get("method", ""), "rule_id": row.get("rule_id", ""),
                            "score": row.get("score", math.nan) if kind == "false positive" else math.nan,
                            "text": text if isinstance(text, str) else ""})
    frame = pd.DataFrame(records, columns=DISAGREEMENT_COLUMNS)
    if frame.empty:
        return frame
    frame["_fp"] = frame["kind"] == "false positive"
    frame = frame.sort_values(["_fp", "score", "code_id", "case_id", "question"],
                              ascending=[False, False, True, True, True], na_position="last", kind="mergesort")
    return frame.drop(columns="_fp").reset_index(drop=True)


def _first_by_key(rows: pd.DataFrame) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Per (case, question, code), the most confident row, with all its methods and rules joined."""
    if rows.empty:
        return {}
    columns = [c for c in ("method", "rule_id", "score", "coded_text") if c in rows.columns]
    ordered = rows.sort_values("score", ascending=False, kind="mergesort") if "score" in rows.columns else rows
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record in ordered[KEY + columns].to_dict("records"):
        key = (record["case_id"], record["question"], record["code_id"])
        if key not in out:
            out[key] = dict(record)
        else:
            for column in ("method", "rule_id"):
                if column in record and str(record[column]) not in str(out[key][column]).split("+"):
                    out[key][column] = f"{out[key][column]}+{record[column]}"
    return out


# ================================================================================================
# Keyword vs classifier vs combined, honestly
# ================================================================================================

def cross_validated_codings(answers: pd.DataFrame, gold: pd.DataFrame, codebook: Any,
                            keyword_codings: pd.DataFrame | None, scope: pd.DataFrame, folds: int = 5,
                            settings: dict[str, Any] | None = None, seed: int = 0) -> pd.DataFrame:
    """Out-of-fold classifier codings of the scope's answers: each fold predicted by a model that
    was trained (thresholds and all) on the other folds only.

    Examples
    --------
    Used by ``fritekst evaluate --cv 5``; see :func:`evaluate_methods`.
    """
    return _cross_validated(answers, gold, codebook, keyword_codings, scope, folds, settings, seed)[0]


def _cross_validated(answers: pd.DataFrame, gold: pd.DataFrame, codebook: Any,
                     keyword_codings: pd.DataFrame | None, scope: pd.DataFrame, folds: int,
                     settings: dict[str, Any] | None, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Out-of-fold codings at each fold model's own thresholds, and each fold's learned combination.

    The combination is made fold by fold (keyword codings of the fold's answers with that fold model's
    classifier codings and per-code choice), since each fold model chose for itself.
    """
    keys = scope[ANSWER_KEY].drop_duplicates().sort_values(ANSWER_KEY).reset_index(drop=True)
    if folds < 2 or folds > len(keys):
        raise InputError(f"{folds} folds: cross-validation needs between 2 and {len(keys)} folds "
                         f"(the number of answers in scope); choose e.g. 5", code="E407", option="cv")
    settings = {"random_state": seed, **(settings or {})}
    alone, joined = [], []
    for train_index, test_index in KFold(n_splits=folds, shuffle=True, random_state=seed).split(keys):
        model = train_model(answers, gold, codebook, keyword_codings=keyword_codings,
                            scope=keys.iloc[train_index], settings=settings, source="cross-validation")
        held = keys.iloc[test_index].merge(answers, on=ANSWER_KEY, how="left")
        rule_ids = {c: "classifier:cv" for c in model.codes}
        alone.append(predict_codings(model, held, keyword_codings, rule_ids=rule_ids))
        fold_keyword = keyword_codings.merge(held[ANSWER_KEY], on=ANSWER_KEY) \
            if keyword_codings is not None else empty_codings()
        at_learned = predict_codings(model, held, keyword_codings, thresholds=learned_thresholds(model),
                                     rule_ids=rule_ids)
        joined.append(combine_codings(fold_keyword, at_learned, "learned", replaced=model.replaced_codes))

    def stack(pieces: list[pd.DataFrame]) -> pd.DataFrame:
        pieces = [p for p in pieces if not p.empty]
        return pd.concat(pieces, ignore_index=True) if pieces else empty_codings()

    return stack(alone), stack(joined)


def threshold_tradeoff(model: ClassifierModel, points: Sequence[float] = TRADEOFF_POINTS) -> pd.DataFrame:
    """Per learned code: the chosen thresholds, the learned combination and out-of-fold P/R/F1.

    The figures come from the cross-validation on the model's own training answers that chose its
    thresholds (:class:`fritekst.rules.classifier.AnswerClassifier`), so they show what moving a
    code's threshold would trade, without touching any held-out answer.

    Returns
    -------
    DataFrame
        ``code_id, positives, threshold, union_threshold``, ``combination`` (what policy ``learned``
        does: ``keyword``, ``union`` or ``classifier``), ``combination_f1`` (its out-of-fold F1), then
        for the chosen threshold and each
        point ``t`` in ``points``: ``P@t``, ``R@t``, ``F1@t`` (``@chosen`` for the chosen one).
        Empty for a model saved without the trade-off counts.
    """
    clf = model.classifier
    grid = np.asarray(clf.threshold_grid_)
    counts = np.asarray(clf.cv_counts_)
    rows = []
    if counts.ndim != 3 or counts.shape[1] == 0 or counts.shape[1] != len(grid):
        return pd.DataFrame()
    for j, code_id in enumerate(clf.classes_):
        if not clf.trained_[j]:
            continue
        tp_fp_fn = counts[j]
        row: dict[str, Any] = {"code_id": code_id, "positives": int(tp_fp_fn[0, 0] + tp_fp_fn[0, 2]),
                               "threshold": float(clf.thresholds_[j]), "union_threshold": float(clf.union_thresholds_[j]),
                               "combination": model.combination[code_id],
                               "combination_f1": float(clf.union_cv_f1_[j])}
        for label, t in (("chosen", float(clf.thresholds_[j])), *((format(p, "g"), p) for p in points)):
            tp, fp, fn = (int(v) for v in tp_fp_fn[int(np.argmin(np.abs(grid - t)))])
            row[f"P@{label}"] = _ratio(tp, tp + fp)
            row[f"R@{label}"] = _ratio(tp, tp + fn)
            row[f"F1@{label}"] = _ratio(2 * tp, 2 * tp + fp + fn)
        rows.append(row)
    return pd.DataFrame(rows)


def evaluate_methods(answers: pd.DataFrame, gold: pd.DataFrame, codebook: Any,
                     keyword_codings: pd.DataFrame, scope: pd.DataFrame | None, *,
                     model: ClassifierModel | None = None, cv: int | None = None,
                     policy: str | None = None, settings: dict[str, Any] | None = None,
                     seed: int = 0) -> list[EvaluationResult]:
    """Evaluate keyword rules alone, the classifier alone, and the two combined, side by side.

    The classifier's codings come from ``cv``-fold cross-validation over the scope (``cv``), from a
    trained ``model`` that has not seen any answer in scope, or from the codebook's own classifier
    rules; with none of these only the keyword rules are evaluated.

    Raises
    ------
    InputError
        If the model was trained on answers in scope (the figure would be measured on training data).
    """
    keys, notes = gold_scope(gold, scope)
    code_ids = list(codebook.code_ids)
    texts = keys.merge(answers, on=ANSWER_KEY, how="left")
    in_scope_answers = texts.dropna(subset=["text"])
    keyword = keyword_codings[keyword_codings["method"] == "keyword"] if not keyword_codings.empty else keyword_codings
    results = [evaluate_codings(keyword, gold, keys, code_ids, texts, name="keyword")]
    policy = policy or getattr(codebook, "combine", "union") or "union"
    classifier: pd.DataFrame | None = None
    combined: pd.DataFrame | None = None
    if cv:
        classifier, learned = _cross_validated(answers, gold, codebook, keyword, keys, cv, settings, seed)
        combined = learned if policy == "learned" else combine_codings(keyword, classifier, policy)
        label = f"classifier ({cv}-fold CV)"
    elif model is not None:
        _refuse_training_overlap(model, keys)
        rule_ids = {c: "classifier" for c in model.codes}
        classifier = predict_codings(model, in_scope_answers, keyword, rule_ids=rule_ids)
        if policy == "learned":
            at_learned = predict_codings(model, in_scope_answers, keyword, thresholds=learned_thresholds(model),
                                         rule_ids=rule_ids)
            combined = combine_codings(keyword, at_learned, policy, replaced=model.replaced_codes)
        else:
            combined = combine_codings(keyword, classifier, policy)
        label = f"classifier ({model.path.name if model.path else 'model'})"
    elif any(True for _ in codebook.rules("classifier")) or getattr(codebook, "classifier", None) is not None:
        for path in sorted(codebook.model_paths(), key=str):
            from ..rules.model_file import load_model

            _refuse_training_overlap(load_model(path, codebook), keys)
        classifier = apply_classifier_rules(in_scope_answers, codebook, keyword, policy="union")
        combined = code_with_classifiers(in_scope_answers, codebook, keyword, policy)
        label = "classifier (codebook rules)"
    if classifier is not None and combined is not None:
        results.append(evaluate_codings(classifier, gold, keys, code_ids, texts, name=label))
        results.append(evaluate_codings(combined, gold, keys, code_ids, texts, name=f"combined: {policy}"))
    for result in results:
        result.notes = list(notes)
    return results


def _refuse_training_overlap(model: ClassifierModel, keys: pd.DataFrame) -> None:
    trained = pd.MultiIndex.from_frame(model.training_keys)
    overlap = keys[pd.MultiIndex.from_frame(keys[ANSWER_KEY]).isin(trained)]
    if len(overlap):
        first = overlap.iloc[0]
        raise InputError(f"{model.path or 'model'}: trained on {len(overlap)} of the {len(keys)} answers in "
                         f"scope (e.g. case {first['case_id']}, {first['question']}), so its figures would "
                         "be measured on training data; evaluate on the held-out split or by cross-validation",
                         code="E407")


def comparison_table(results: Sequence[EvaluationResult]) -> pd.DataFrame:
    """Per code (and micro/macro) precision, recall and F1 of each evaluation, side by side.

    Columns: ``code_id``, ``n_gold``, then ``<name> P``, ``<name> R``, ``<name> F1`` per result.
    """
    if not results:
        return pd.DataFrame()
    table = results[0].per_code[["code_id", "n_gold"]].copy()
    summary = pd.DataFrame({"code_id": ["micro", "macro"],
                            "n_gold": [results[0].micro["tp"] + results[0].micro["fn"], np.nan]})
    table = pd.concat([table, summary], ignore_index=True)
    for result in results:
        for short, column in (("P", "precision"), ("R", "recall"), ("F1", "f1")):
            values = result.per_code[column].tolist() + [result.micro[column], result.macro[column]]
            table[f"{result.name} {short}"] = values
    return table


def write_disagreements(path: str | os.PathLike[str], results: Sequence[EvaluationResult]) -> int:
    """Write every evaluation's disagreements to one CSV (UTF-8 with BOM); returns the row count."""
    frames = [r.disagreements for r in results if not r.disagreements.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    write_csv_rows(path, DISAGREEMENT_COLUMNS, frame[DISAGREEMENT_COLUMNS].itertuples(index=False, name=None))
    return len(frame)


def answers_file_prefix(path: str | os.PathLike[str]) -> str:
    """The prefix a coded-answers file's case ids get: its folder and name, ``train2/ansette.csv:``.

    ``fritekst train --pool`` and ``fritekst evaluate --answers`` prefix alike, so a model trained on
    a file is refused when evaluated on that same file (its answers are training answers), while
    ``train2/ansette.csv`` and ``heldout2/ansette.csv`` stay apart, and neither can meet corpus ids.

    >>> answers_file_prefix("corpus/train2/ansette.csv")
    'train2/ansette.csv:'
    """
    path = os.fspath(path)
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return f"{folder}/{os.path.basename(path)}:" if folder else f"{os.path.basename(path)}:"


#: Columns of a coded-answers file (``fritekst evaluate --answers``); ``case_id`` is optional.
ANSWERS_FILE_COLUMNS = ("case_id", "question", "text", "codes")


def read_coded_answers(path: str | os.PathLike[str], code_ids: Sequence[str]
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Answers with their gold codes in one CSV: ``case_id,question,text,codes`` (codes ``;``-separated).

    The format of ``corpus/dev/*.csv`` plus ``case_id``; without a ``case_id`` column each row gets
    its line number as id. An empty ``codes`` cell is an answer the coder gave no code.

    Returns
    -------
    answers, gold, scope : DataFrame
        ``case_id, question, text``; one gold coding per code (the whole answer, method manual);
        ``case_id, question`` of every row.

    Raises
    ------
    InputError
        One line naming the file and line: missing columns, an unknown code, a duplicate answer.
    """
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read the answers file ({type(exc).__name__}); expected a UTF-8 "
                         "CSV with columns case_id,question,text,codes", code="E103") from exc
    missing = [c for c in ("question", "text", "codes") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column {', '.join(missing)}; expected columns "
                         "case_id,question,text,codes (codes separated by ';')", code="E106")
    if "case_id" not in frame.columns:
        frame.insert(0, "case_id", [str(i + 2) for i in range(len(frame))])
    known = set(code_ids)
    rows: list[tuple[Any, ...]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(frame.itertuples(index=False)):
        line = index + 2
        key = (str(row.case_id), str(row.question))
        if key in seen:
            raise InputError(f"{path}:{line}: answer {row.case_id} to {row.question} is also on line "
                             f"{seen[key]}; give each answer once", code="E110")
        seen[key] = line
        for code in (c.strip() for c in str(row.codes).split(";")):
            if not code:
                continue
            if code not in known:
                raise InputError(f"{path}:{line}: unknown code {code!r}; expected codes of the codebook: "
                                 f"{', '.join(code_ids)}", code="E112")
            rows.append((row.case_id, row.question, code, 0, len(str(row.text)), "manual", "", 1.0))
    answers = frame[["case_id", "question", "text"]].reset_index(drop=True)
    gold = pd.DataFrame(rows, columns=["case_id", "question", "code_id", "start", "end", "method",
                                       "rule_id", "score"]) if rows else empty_codings()
    return answers, gold, answers[["case_id", "question"]].copy()
