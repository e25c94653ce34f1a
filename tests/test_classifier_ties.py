"""Policy learned on few hand codings: where ties go (``union_ties``), and how many positives the
classifier needs before it may replace a code's rules (``replace_min_positives``).

On a few dozen hand-coded answers many union thresholds add no coding out of fold and tie with the
keyword rules alone; on new answers they add many. ``union_ties="better"`` sends such a tie to the
rules when they did at least as well out of fold as the classifier alone, else to the classifier's
own threshold (the earlier rule, ``"classifier"``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from fritekst.rules.classifier import NEVER, AnswerClassifier


def _perfect_rules() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rules code all 12 positives and nothing else; the classifier has the same words to go by."""
    texts = ["ingen midler til det"] * 6 + ["har ikke penger"] * 6 + ["ser et behov"] * 12 + ["vet ikke"] * 12
    hits = [("okonomi",)] * 12 + [()] * 24
    y = [1] * 12 + [0] * 24
    return pd.DataFrame({"text": texts, "keywords": hits}), pd.DataFrame({"okonomi": y})


def _blind_rules() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rules find 4 of 16 positives ("midler"); "budsjett" carries the other 12, which they miss."""
    texts = ["ingen midler"] * 4 + ["stramt budsjett i år"] * 12 + ["ser et behov"] * 12 + ["vet ikke"] * 12
    hits = [("okonomi",)] * 4 + [()] * 36
    y = [1] * 16 + [0] * 24
    return pd.DataFrame({"text": texts, "keywords": hits}), pd.DataFrame({"okonomi": y})


@pytest.mark.parametrize(("ties", "rules_alone"), [("better", True), ("keyword", True), ("classifier", False)])
def test_a_tie_with_perfect_rules(ties, rules_alone):
    X, Y = _perfect_rules()
    clf = AnswerClassifier(cv=3, replace_rules=False, union_ties=ties).fit(X, Y)
    # every candidate that adds nothing out of fold scores F1 1.0, as the rules alone do
    assert clf.union_cv_f1_[0] == 1.0
    assert bool(clf.union_thresholds_[0] == NEVER) is rules_alone
    assert clf.combination_.tolist() == [0 if rules_alone else 1]  # keyword / union


def test_where_the_rules_are_blind_better_goes_to_the_classifier_as_before():
    X, Y = _blind_rules()
    better = AnswerClassifier(cv=3, replace_rules=False).fit(X, Y)
    before = AnswerClassifier(cv=3, replace_rules=False, union_ties="classifier").fit(X, Y)
    # the union finds the 12 positives the rules miss: not a tie with the rules, and among the tied
    # thresholds the classifier did better out of fold (F1 1.0 against the rules' 0.4)
    assert better.union_cv_f1_[0] == before.union_cv_f1_[0] == 1.0
    assert better.union_thresholds_[0] == before.union_thresholds_[0] < 1


def test_union_ties_is_an_estimator_parameter_and_is_checked():
    clf = AnswerClassifier(union_ties="keyword")
    assert clone(clf).get_params()["union_ties"] == "keyword"
    assert AnswerClassifier().union_ties == "better"
    assert AnswerClassifier().settings()["union_ties"] == "better"
    X, Y = _perfect_rules()
    with pytest.raises(ValueError, match="union_ties must be one of better, classifier, keyword, not 'rules'"):
        AnswerClassifier(union_ties="rules").fit(X, Y)


def test_a_model_from_before_union_ties_reads_as_trained_with_ties_to_the_classifier():
    X, Y = _perfect_rules()
    model = AnswerClassifier(cv=3, union_ties="classifier", replace_min_positives=0).fit(X, Y)
    state = model.get_state()
    del state["params"]["union_ties"], state["params"]["replace_min_positives"]
    old = AnswerClassifier.from_state(state)
    assert (old.union_ties, old.replace_min_positives) == ("classifier", 0)
    np.testing.assert_array_equal(old.union_thresholds_, model.union_thresholds_)
    np.testing.assert_array_equal(old.combination_, model.combination_)


def _sloppy_rule(positives: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """"midl*" codes every answer naming money; only those that lack it have the code."""
    texts = ["vi mangler midler"] * positives + ["midlene er på plass"] * positives + ["ser et behov"] * 12
    hits = [("okonomi",)] * (2 * positives) + [()] * 12
    y = [1] * positives + [0] * (positives + 12)
    return pd.DataFrame({"text": texts, "keywords": hits}), pd.DataFrame({"okonomi": y})


@pytest.mark.parametrize(("positives", "minimum", "combination"),
                         [(8, 10, "union"), (8, 8, "classifier"), (12, 10, "classifier"), (12, 0, "classifier")])
def test_the_classifier_replaces_the_rules_only_on_enough_positives(positives, minimum, combination):
    X, Y = _sloppy_rule(positives)
    clf = AnswerClassifier(cv=3, replace_min_positives=minimum).fit(X, Y)
    # out of fold the classifier alone codes the lacking answers only (F1 1.0); every union keeps the
    # rule's false positives (F1 2/3)
    names = {0: "keyword", 1: "union", 2: "classifier"}
    assert names[int(clf.combination_[0])] == combination
    assert clf.union_cv_f1_[0] == pytest.approx(1.0 if combination == "classifier" else 2 / 3)
