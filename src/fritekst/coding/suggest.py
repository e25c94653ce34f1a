"""What to hand-code next: the answers where a researcher's decision teaches the classifier most.

Two kinds of answers are worth a researcher's time, among those nobody has hand-coded yet:

* **uncertain**: the classifier's probability for some code is closest to that code's threshold, so
  the model cannot tell (the classic "uncertainty sampling" of active learning);
* **no theme**: no keyword rule and no classifier found any code, so either the codebook lacks a
  theme or its rules miss a way of saying something.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"case_id": ["1", "2", "3"], "question": ["q"] * 3,
...                         "text": ["ingen midler", "kanskje", "ser behov"]})
>>> coded = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["okonomi"],
...                       "method": ["keyword"], "score": [1.0]})
>>> scores = pd.DataFrame({"okonomi": [0.9, 0.45, 0.1]})
>>> suggest_answers(answers, coded, scores, {"okonomi": 0.5}, n=1)[["case_id", "reason"]].values.tolist()
[['2', 'uncertain'], ['3', 'no theme']]
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.fitted import ClassifierModel, predict_scores
from ..rules.codebook import Codebook
from ..rules.model_file import load_model
from ..sources.corpus import Corpus
from ..sources.tables import atomic_write, safe_cell
from .classify import code_with_classifiers
from .coder import keyword_codings
from .frame import ANSWER_KEY
from .review import review_frame, write_review_sheet

SUGGESTION_COLUMNS = ["case_id", "question", "reason", "code_id", "score", "threshold", "margin", "text"]


def suggest_answers(answers: pd.DataFrame, codings: pd.DataFrame, scores: pd.DataFrame | None,
                    thresholds: dict[str, float] | None, *, manual: pd.DataFrame | None = None,
                    n: int = 20) -> pd.DataFrame:
    """Up to ``n`` uncertain answers and up to ``n`` answers with no theme, not yet hand-coded.

    Parameters
    ----------
    answers : DataFrame
        ``case_id``, ``question``, ``text`` of the answers to choose from.
    codings : DataFrame
        Automatic codings of those answers (any method).
    scores : DataFrame or None
        Classifier probabilities, one column per code, rows aligned with ``answers``; ``None`` when
        there is no classifier (then only "no theme" answers are suggested).
    thresholds : dict or None
        Decision threshold per code of ``scores``.
    manual : DataFrame, optional
        Hand codings; answers with any hand decision are not suggested again.
    n : int
        Maximum answers per reason.

    Returns
    -------
    DataFrame
        :data:`SUGGESTION_COLUMNS`: uncertain answers first (smallest ``margin`` = ``|score -
        threshold|`` first), then answers with no theme (longest text first).
    """
    answers = answers.reset_index(drop=True)
    index = pd.MultiIndex.from_frame(answers[ANSWER_KEY])
    open_ = ~index.isin(pd.MultiIndex.from_frame(manual[ANSWER_KEY])) if manual is not None and len(manual) \
        else np.ones(len(answers), dtype=bool)
    rows: list[dict[str, object]] = []
    if scores is not None and thresholds and len(answers):
        codes = [c for c in scores.columns if c in thresholds]
        values = scores[codes].to_numpy()
        limits = np.array([thresholds[c] for c in codes])
        margins = np.abs(values - limits)
        closest = margins.argmin(axis=1)
        smallest = margins[np.arange(len(answers)), closest]
        order = [i for i in np.lexsort((answers["case_id"].to_numpy(), smallest)) if open_[i]][:n]
        for i in order:
            j = closest[i]
            rows.append({"case_id": answers.at[i, "case_id"], "question": answers.at[i, "question"],
                         "reason": "uncertain", "code_id": codes[j], "score": round(float(values[i, j]), 4),
                         "threshold": float(limits[j]), "margin": round(float(smallest[i]), 4),
                         "text": answers.at[i, "text"]})
    coded = index.isin(pd.MultiIndex.from_frame(codings[ANSWER_KEY])) if len(codings) else np.zeros(len(answers), bool)
    bare = answers[open_ & ~coded]
    bare = bare.assign(_length=bare["text"].str.len()).sort_values(["_length", "case_id"], ascending=[False, True],
                                                                    kind="mergesort").head(n)
    for row in bare.itertuples(index=False):
        rows.append({"case_id": row.case_id, "question": row.question, "reason": "no theme", "code_id": "",
                     "score": np.nan, "threshold": np.nan, "margin": np.nan, "text": row.text})
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


@dataclass
class Suggestions:
    """What :func:`suggest` found: the suggested answers, the codings they were judged by, the model."""

    table: pd.DataFrame
    codings: pd.DataFrame
    model: ClassifierModel | None


def codebook_model(codebook: Codebook) -> ClassifierModel | None:
    """The codebook's own classifier (codebook-level, else the first rule's), or ``None``."""
    paths = [codebook.classifier] if codebook.classifier is not None else []
    paths += [r.classifier for r in codebook.rules("classifier") if r.classifier is not None]
    return load_model(paths[0], codebook) if paths else None


def suggest(corpus: Corpus, codebook: Codebook, *, model: ClassifierModel | None = None,
            manual: pd.DataFrame | None = None, n: int = 20) -> Suggestions:
    """Code ``corpus`` with ``codebook`` and choose what to hand-code next (see :func:`suggest_answers`).

    ``model`` defaults to the codebook's own classifier; without one only answers with no theme are
    suggested. Answers with a decision in ``manual`` are never suggested again.
    """
    model = model if model is not None else codebook_model(codebook)
    answers = corpus.answers
    keyword = keyword_codings(corpus, codebook)
    scores = predict_scores(model, answers, keyword) if model else None
    codings = code_with_classifiers(answers, codebook, keyword)
    table = suggest_answers(answers, codings, scores, model.thresholds if model else None, manual=manual, n=n)
    return Suggestions(table, codings, model)


def write_suggestions_csv(path: str | os.PathLike[str], suggestions: pd.DataFrame) -> None:
    """Write suggestions (:data:`SUGGESTION_COLUMNS`) as UTF-8-with-BOM CSV, atomically."""
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUGGESTION_COLUMNS)
        for row in suggestions[SUGGESTION_COLUMNS].itertuples(index=False):
            writer.writerow(["" if isinstance(v, float) and pd.isna(v) else safe_cell(v) for v in row])


def write_suggestion_sheet(path: str | os.PathLike[str], result: Suggestions, corpus: Corpus,
                           codebook: Codebook, manual: pd.DataFrame | None = None) -> None:
    """A review sheet (.xlsx or .csv) of the suggested answers, to decide them by hand."""
    keys = result.table[ANSWER_KEY].drop_duplicates()
    chosen = keys.merge(corpus.answers, on=ANSWER_KEY, how="left")
    codes = [(c.id, c.label, c.description) for c in codebook.codes]
    write_review_sheet(path, review_frame(chosen, result.codings, codebook.code_ids, manual), codes)

