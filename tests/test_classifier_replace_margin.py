"""``replace_margin``: the classifier replaces a code's keyword rules only when its out-of-fold F1 beats
the chosen union's by more than the margin (a prior for the researcher's rules; off by default, measured
in docs/classifier-and-evaluation.md, eleventh round), and ``cv_answers_``, the out-of-fold answers
the choice is made from, which benchmarks/choice_pool.py replays other choices on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from fritekst.rules.classifier import AnswerClassifier

ROOT = Path(__file__).resolve().parent.parent


def _sloppy_rules(copies: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rules code every answer naming "midler", half of them wrongly; the classifier tells them apart.

    Out of fold the classifier alone is perfect (F1 1), the best union keeps the rules' false positives
    (F1 2/3): the classifier beats the union by 1/3.
    """
    texts = (["ingen midler"] * 12 + ["midler til annet formål"] * 12 + ["ser et behov"] * 12
             + ["vet ikke"] * 12) * copies
    hits = ([("okonomi",)] * 24 + [()] * 24) * copies
    y = ([1] * 12 + [0] * 36) * copies
    return pd.DataFrame({"text": texts, "keywords": hits}), pd.DataFrame({"okonomi": y})


def _blind_rules() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rules find a quarter of the positives; a union with the classifier finds them all (F1 1)."""
    texts = ["ingen midler"] * 4 + ["stramt budsjett i år"] * 12 + ["ser et behov"] * 12 + ["vet ikke"] * 12
    hits = [("okonomi",)] * 4 + [()] * 36
    return pd.DataFrame({"text": texts, "keywords": hits}), pd.DataFrame({"okonomi": [1] * 16 + [0] * 24})


@pytest.mark.parametrize(("data", "margin", "expected"), [
    (_sloppy_rules, 0.0, ("classifier", 0.5, 1.0)),   # the default: any margin replaces the rules
    (_sloppy_rules, 0.3, ("classifier", 0.5, 1.0)),   # 1/3 is more than 0.3
    (_sloppy_rules, 0.4, ("union", 0.5, 2 / 3)),      # ... not more than 0.4: the union stays
    (_sloppy_rules, 10.0, ("union", 0.5, 2 / 3)),     # a margin nothing beats: never replace
    (_blind_rules, 0.0, ("union", 0.5, 1.0)),         # a perfect union: nothing to replace, whatever the margin
    (_blind_rules, 0.4, ("union", 0.5, 1.0)),
])
def test_the_margin_the_classifier_must_beat_the_union_by(data, margin, expected):
    X, Y = data()
    clf = AnswerClassifier(cv=3, replace_margin=margin).fit(X, Y)
    how = {0: "keyword", 1: "union", 2: "classifier"}[int(clf.combination_[0])]
    assert (how, float(clf.union_thresholds_[0])) == expected[:2]
    assert clf.union_cv_f1_[0] == pytest.approx(expected[2])


def test_replace_margin_is_an_estimator_parameter_and_is_checked():
    assert AnswerClassifier().replace_margin == 0.0
    assert clone(AnswerClassifier(replace_margin=0.05)).get_params()["replace_margin"] == 0.05
    assert AnswerClassifier(replace_margin=0.05).settings()["replace_margin"] == 0.05
    X, Y = _sloppy_rules()
    for bad in (-0.01, "0.1", True, None, float("nan")):
        with pytest.raises(ValueError, match="replace_margin must be a number of at least 0, not "):
            AnswerClassifier(replace_margin=bad).fit(X, Y)


def test_a_model_from_before_replace_margin_reads_as_margin_0_and_keeps_its_choice():
    X, Y = _sloppy_rules()
    model = AnswerClassifier(cv=3).fit(X, Y)
    state = model.get_state()
    del state["params"]["replace_margin"]
    old = AnswerClassifier.from_state(state)
    assert old.replace_margin == 0.0
    assert old.combination_.tolist() == model.combination_.tolist() == [2]
    np.testing.assert_array_equal(old.union_thresholds_, model.union_thresholds_)
    np.testing.assert_array_equal(old.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize(("with_keywords", "keys"), [
    (True, {"proba", "truth", "judged", "keyword"}),
    (False, {"proba", "truth", "judged"}),
])
def test_cv_answers_hold_what_the_choice_was_made_from(with_keywords, keys):
    X, Y = _sloppy_rules()
    clf = AnswerClassifier(cv=3).fit(X if with_keywords else X.drop(columns="keywords"), Y)
    cv = clf.cv_answers_[0]
    assert set(cv) == keys
    assert cv["truth"].tolist() == Y["okonomi"].tolist() and cv["judged"].all()
    if with_keywords:
        assert cv["keyword"].tolist() == [bool(h) for h in X["keywords"]]
    # the classifier's threshold and its out-of-fold F1 come from these probabilities
    predicted = cv["proba"] >= clf.thresholds_[0]
    tp = int((predicted & (cv["truth"] == 1)).sum())
    assert 2 * tp / (predicted.sum() + cv["truth"].sum()) == pytest.approx(clf.cv_f1_[0])
    assert "cv_answers" not in str(clf.get_state().keys())  # training information only, not in model files


def _choice_pool():
    spec = importlib.util.spec_from_file_location("choice_pool", ROOT / "benchmarks" / "choice_pool.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("data", "margin"), [
    (_sloppy_rules, 0.0), (_sloppy_rules, 0.4), (_blind_rules, 0.0), (lambda: _sloppy_rules(2), 0.3),
])
def test_the_benchmark_replays_the_estimators_choice(data, margin):
    # benchmarks/choice_pool.py scores choices by replaying them on cv_answers_: its replay of
    # choice "best" with a margin must be what the estimator chose with that margin
    pool = _choice_pool()
    X, Y = data()
    clf = AnswerClassifier(cv=3, replace_margin=margin).fit(X, Y)
    info = pool.candidates(clf.cv_answers_[0], float(clf.thresholds_[0]), guard=True)
    how, threshold = pool.margin(margin)(info)
    assert (how, threshold) == ({0: "keyword", 1: "union", 2: "classifier"}[int(clf.combination_[0])],
                                float(clf.union_thresholds_[0]))
