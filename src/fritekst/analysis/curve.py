"""Learning curve: what an hour of hand coding buys.

Scores a codebook on held-out answers after 0, 25, 50, 100, 200 hand-coded answers: the keyword
rules alone (they do not learn), a classifier trained on the codebook's own ``examples`` and
``include`` phrasings (the *seed*) plus the first N hand-coded answers, and the two combined by the
codebook's policy. The N answers are drawn in a fixed random order (``seed``) from the training
pool, so each step adds answers to the previous one, as a researcher coding on would.

Examples
--------
Used by ``fritekst evaluate --curve``; see ``docs/classifier-and-evaluation.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..coding.classify import combine_codings, drop_negated, predict_codings
from ..coding.frame import ANSWER_KEY
from ..rules.classifier import seed_answers, train_model
from ..rules.keyword import KeywordMatcher
from .evaluate import evaluate_codings

__all__ = ["learning_curve", "DEFAULT_SIZES"]

DEFAULT_SIZES = (0, 25, 50, 100, 200)


def _keyword_codings(answers: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    specs = [rule.spec for rule in codebook.rules("keyword") if rule.spec is not None]
    matcher = KeywordMatcher(specs)
    rows = [(row.case_id, row.question, hit.code_id, hit.start, hit.end, "keyword", hit.rule_id, 1.0)
            for row in answers.itertuples(index=False) for hit in matcher.match(str(row.text))]
    return pd.DataFrame(rows, columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id",
                                       "score"])


def learning_curve(answers: pd.DataFrame, gold: pd.DataFrame, codebook: Any, pool: pd.DataFrame,
                   test: pd.DataFrame, sizes: Sequence[int] = DEFAULT_SIZES, seed: int = 0,
                   policy: str | None = None) -> pd.DataFrame:
    """Micro P/R/F1 on ``test`` of keyword, classifier and combined after N answers of ``pool``.

    Returns one row per size: ``n`` (hand-coded answers used), then ``<method> P/R/F1`` for
    keyword, classifier and combined.
    """
    seeds, seed_gold = seed_answers(codebook)
    everything = pd.concat([answers[[*ANSWER_KEY, "text"]], seeds], ignore_index=True)
    all_gold = pd.concat([gold, seed_gold], ignore_index=True)
    keyword = _keyword_codings(everything, codebook)
    code_ids = list(codebook.code_ids)
    keys = test[ANSWER_KEY].drop_duplicates().reset_index(drop=True)
    held = keys.merge(answers, on=ANSWER_KEY, how="left")
    order = pool[ANSWER_KEY].drop_duplicates().sort_values(ANSWER_KEY).reset_index(drop=True)
    order = order.iloc[np.random.default_rng(seed).permutation(len(order))].reset_index(drop=True)
    kw_test = keyword.merge(keys, on=ANSWER_KEY)
    kw_score = evaluate_codings(kw_test, gold, keys, code_ids, name="keyword").micro
    policy = policy or getattr(codebook, "combine", "union") or "union"
    rows = []
    for size in sizes:
        n = min(int(size), len(order))
        scope = pd.concat([seeds[ANSWER_KEY], order.iloc[:n]], ignore_index=True)
        if scope.empty:  # no examples in the codebook and no hand codings yet: no classifier
            predicted = kw_test.iloc[0:0]
        else:
            model = train_model(everything, all_gold, codebook, keyword_codings=keyword, scope=scope,
                                settings={"random_state": seed}, source="learning curve")
            predicted = predict_codings(model, held, kw_test, rule_ids={c: "classifier" for c in model.codes})
            predicted = drop_negated(predicted, held, codebook, kw_test)
        combined = combine_codings(kw_test, predicted, policy)
        row: dict[str, Any] = {"n": n}
        for name, codings in (("keyword", None), ("classifier", predicted), ("combined", combined)):
            micro = kw_score if codings is None else evaluate_codings(codings, gold, keys, code_ids, name=name).micro
            row.update({f"{name} P": micro["precision"], f"{name} R": micro["recall"], f"{name} F1": micro["f1"]})
        rows.append(row)
    return pd.DataFrame(rows)
