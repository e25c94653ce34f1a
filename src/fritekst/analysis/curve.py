"""Learning curve: what an hour of hand coding buys.

Scores a codebook on held-out answers after 0, 25, 50, 100, 200 hand-coded answers: the keyword
rules alone (they do not learn), a classifier trained on the codebook's own ``examples`` and
``include`` phrasings (the *seed*) plus N hand-coded answers of a training pool, and the two
combined by a policy (default ``learned``: the combination the classifier chose by cross-validation
on its own training answers). Within one *draw* the N answers come in a fixed random order, so each
step adds answers to the previous one, as a researcher coding on would; several draws (different
orders) give the mean and the spread of each figure.

Examples
--------
Used by ``fritekst evaluate --curve``; see ``docs/classifier-and-evaluation.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..coding.classify import combine_codings, drop_negated, learned_thresholds, predict_codings
from ..coding.frame import ANSWER_KEY
from ..rules.classifier import seed_answers, train_model
from ..rules.keyword import KeywordMatcher
from .evaluate import evaluate_codings

__all__ = ["learning_curve", "summarise_curve", "CurveSet", "DEFAULT_SIZES", "METHODS"]

DEFAULT_SIZES = (0, 25, 50, 100, 200)
METHODS = ("keyword", "classifier", "combined")


@dataclass
class CurveSet:
    """Answers with gold codings: the training pool, or one set to score on.

    ``answers``: ``case_id, question, text``; ``gold``: codings frame of the hand codings;
    ``keys``: ``case_id, question`` of every answer in the set (also those without a code).
    """

    name: str
    answers: pd.DataFrame
    gold: pd.DataFrame
    keys: pd.DataFrame

    @classmethod
    def join(cls, name: str, parts: Sequence[CurveSet]) -> CurveSet:
        """Several sets as one (their case ids must not clash: prefix them when reading)."""
        return cls(name, pd.concat([p.answers[[*ANSWER_KEY, "text"]] for p in parts], ignore_index=True),
                   pd.concat([p.gold for p in parts if not p.gold.empty], ignore_index=True)
                   if any(not p.gold.empty for p in parts) else parts[0].gold,
                   pd.concat([p.keys[ANSWER_KEY] for p in parts], ignore_index=True))


def _keyword_codings(answers: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    specs = [rule.spec for rule in codebook.rules("keyword") if rule.spec is not None]
    matcher = KeywordMatcher(specs)
    rows = [(row.case_id, row.question, hit.code_id, hit.start, hit.end, "keyword", hit.rule_id, 1.0)
            for row in answers.itertuples(index=False) for hit in matcher.match(str(row.text))]
    return pd.DataFrame(rows, columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id",
                                       "score"])


def learning_curve(codebook: Any, pool: CurveSet, tests: Sequence[CurveSet],
                   sizes: Sequence[int] = DEFAULT_SIZES, *, draws: int = 1, seed: int = 0,
                   policy: str | None = None, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """Micro P/R/F1 on each test set of keyword, classifier and combined after N answers of ``pool``.

    Parameters
    ----------
    codebook : Codebook
    pool : CurveSet
        The hand-coded answers training draws come from.
    tests : sequence of CurveSet
        Sets to score on; none of their answers may be in the pool.
    sizes : sequence of int
        Numbers of hand-coded answers; each is capped at the size of the pool.
    draws : int
        Random orders of the pool (seeds ``seed``, ``seed + 1``, ...).
    policy : str, optional
        Combination policy; default ``learned``.
    settings : dict, optional
        Keyword arguments of :class:`fritekst.rules.classifier.AnswerClassifier`.

    Returns
    -------
    DataFrame
        One row per test set, draw, size and method: ``test, draw, n, method, precision, recall, f1``.
    """
    policy = policy or "learned"
    seeds, seed_gold = seed_answers(codebook)
    texts = pd.concat([pool.answers[[*ANSWER_KEY, "text"]], seeds,
                       *(t.answers[[*ANSWER_KEY, "text"]] for t in tests)], ignore_index=True)
    train_gold = pd.concat([pool.gold, seed_gold], ignore_index=True)
    keyword = _keyword_codings(texts, codebook)
    code_ids = list(codebook.code_ids)
    order_base = pool.keys[ANSWER_KEY].drop_duplicates().sort_values(ANSWER_KEY).reset_index(drop=True)
    prepared = []
    for test in tests:
        keys = test.keys[ANSWER_KEY].drop_duplicates().reset_index(drop=True)
        held = keys.merge(test.answers[[*ANSWER_KEY, "text"]], on=ANSWER_KEY, how="left")
        kw_test = keyword.merge(keys, on=ANSWER_KEY)
        kw_micro = evaluate_codings(kw_test, test.gold, keys, code_ids, name="keyword").micro
        prepared.append((test, keys, held, kw_test, kw_micro))
    rows: list[dict[str, Any]] = []
    trained: dict[int, Any] = {}
    for draw in range(draws):
        rng = np.random.default_rng(seed + draw)
        order = order_base.iloc[rng.permutation(len(order_base))].reset_index(drop=True)
        for size in sizes:
            n = min(int(size), len(order))
            scope = pd.concat([seeds[ANSWER_KEY], order.iloc[:n]], ignore_index=True)
            model = None
            if not scope.empty:  # no examples in the codebook and no hand codings yet: no classifier
                # N = 0 and N = the whole pool train on the same answers in every draw: train once
                cacheable = n in (0, len(order))
                model = trained.get(n) if cacheable else None
                if model is None:
                    model = train_model(texts, train_gold, codebook, keyword_codings=keyword, scope=scope,
                                        settings={"random_state": seed, **(settings or {})},
                                        source="learning curve")
                    if cacheable:
                        trained[n] = model
            for test, keys, held, kw_test, kw_micro in prepared:
                if model is None:
                    predicted = kw_test.iloc[0:0]
                    combined = kw_test
                else:
                    predicted = predict_codings(model, held, kw_test, rule_ids={c: "classifier" for c in model.codes})
                    predicted = drop_negated(predicted, held, codebook, kw_test)
                    joined = predict_codings(model, held, kw_test, thresholds=learned_thresholds(model),
                                             rule_ids={c: "classifier" for c in model.codes}) \
                        if policy == "learned" else predicted
                    combined = combine_codings(kw_test, drop_negated(joined, held, codebook, kw_test), policy,
                                               replaced=model.replaced_codes)
                for method, codings in (("keyword", None), ("classifier", predicted), ("combined", combined)):
                    micro = kw_micro if codings is None else \
                        evaluate_codings(codings, test.gold, keys, code_ids, name=method).micro
                    rows.append({"test": test.name, "draw": draw, "n": n, "method": method,
                                 "precision": micro["precision"], "recall": micro["recall"], "f1": micro["f1"]})
    return pd.DataFrame(rows, columns=["test", "draw", "n", "method", "precision", "recall", "f1"])


def summarise_curve(curve: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over draws: ``test, n, method, precision, recall, f1, f1_sd, draws``.

    The standard deviation is over draws (0 with a single draw); NaN precision (nothing coded) counts
    as missing in the mean.
    """
    grouped = curve.groupby(["test", "n", "method"], sort=False)
    summary = grouped[["precision", "recall", "f1"]].mean()
    summary["f1_sd"] = grouped["f1"].std(ddof=0).fillna(0.0)
    summary["draws"] = grouped["f1"].size()
    return summary.reset_index()
