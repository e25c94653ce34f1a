"""Policy learned's per-code choice with ``choice="bound"``: the candidates (keyword rules alone, each
union, the classifier alone) are scored on the hand-coded answers, each F1 lowered by ``choice_z``
bootstrap standard deviations of its difference to the rules alone, so thin evidence keeps the rules
and much evidence lets the out-of-fold winner through (docs/classifier-and-evaluation.md, ninth round).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from fritekst.rules.classifier import CHOICES, NEVER, AnswerClassifier, choose_combination, pooled_anchors


def _answers(*groups: tuple[int, bool, int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hand-coded answers from ``(count, keyword hit, hand code, out-of-fold probability)`` groups."""
    keyword = np.concatenate([np.full(n, hit, dtype=bool) for n, hit, _, _ in groups])
    truth = np.concatenate([np.full(n, code, dtype=int) for n, _, code, _ in groups])
    proba = np.concatenate([np.full(n, p, dtype=float) for n, _, _, p in groups])
    return keyword, truth, proba


#: rules that code exactly the positives; the classifier agrees
PERFECT = _answers((10, True, 1, 0.9), (30, False, 0, 0.1))
#: rules find 2 of 4 positives, the classifier the other 2: on 6 answers
BLIND_FEW = _answers((2, True, 1, 0.9), (1, False, 1, 0.8), (1, False, 1, 0.7), (2, False, 0, 0.1))
#: the same proportions on 60 answers
BLIND_MANY = _answers((20, True, 1, 0.9), (10, False, 1, 0.8), (10, False, 1, 0.7), (20, False, 0, 0.1))
#: the rules code 12 positives and 12 negatives; the classifier scores the negatives low
SLOPPY = _answers((12, True, 1, 0.8), (12, True, 0, 0.2), (24, False, 0, 0.1))
#: the rules code 3 positives; the classifier codes 2 more and 3 wrong ones (precision 0.4 of its additions)
NOISY = _answers((3, True, 1, 0.9), (2, False, 1, 0.6), (3, False, 0, 0.6), (2, False, 1, 0.1),
                 (20, False, 0, 0.1))
#: nobody coded the code
ABSENT = _answers((5, True, 0, 0.6), (20, False, 0, 0.1))


@pytest.mark.parametrize(("answers", "z", "replace", "floor", "expected"), [
    (PERFECT, 1.0, True, None, ("keyword", NEVER, 1.0)),          # nothing to gain: the rules stay
    (PERFECT, 0.0, True, None, ("keyword", NEVER, 1.0)),          # ties go to the rules
    (BLIND_FEW, 0.0, True, None, ("union", 0.7, 1.0)),            # best F1: the most cautious perfect union
    (BLIND_FEW, 1.0, True, None, ("union", 0.7, 1.0)),            # a gain of 1/3 is more than one sd
    (BLIND_FEW, 2.0, True, None, ("keyword", NEVER, 2 / 3)),      # not more than two: too few answers to trust
    (BLIND_MANY, 1.0, True, None, ("union", 0.7, 1.0)),           # 60 answers are enough
    (BLIND_MANY, 1.0, False, None, ("union", 0.7, 1.0)),          # the union needs no replacing
    (SLOPPY, 1.0, True, None, ("classifier", 0.5, 1.0)),          # only the classifier drops the rules' errors
    (SLOPPY, 1.0, False, None, ("keyword", NEVER, 2 / 3)),        # a union keeps them: no better than the rules
    (SLOPPY, 1.0, True, 1.01, ("keyword", NEVER, 2 / 3)),         # a precision floor no candidate meets
    (NOISY, 0.0, True, None, ("union", 0.6, 2 / 3)),              # out of fold the additions pay a little
    (NOISY, 0.0, True, 1.0, ("keyword", NEVER, 0.6)),             # below the rules' precision: refused
    (NOISY, 0.5, True, None, ("keyword", NEVER, 0.6)),            # ... and within the noise
    (ABSENT, 1.0, True, None, ("keyword", NEVER, 0.0)),
])
def test_choose_combination(answers, z, replace, floor, expected):
    keyword, truth, proba = answers
    how, threshold, f1 = choose_combination(keyword, proba, truth, 0.5, z=z, replace=replace, floor=floor)
    assert (how, threshold) == expected[:2]
    assert f1 == pytest.approx(expected[2])


def test_choose_combination_is_deterministic_given_its_seed():
    keyword, truth, proba = NOISY
    runs = {choose_combination(keyword, proba, truth, 0.5, z=0.3, seed=seed) for seed in (0, 0, 0)}
    assert len(runs) == 1


def _blind_rules(copies: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rules find a quarter of the positives ("midler"); "budsjett" carries the rest."""
    texts = (["ingen midler"] * 4 + ["stramt budsjett i år"] * 12 + ["ser et behov"] * 12 + ["vet ikke"] * 12) * copies
    hits = ([("okonomi",)] * 4 + [()] * 36) * copies
    y = ([1] * 16 + [0] * 24) * copies
    return pd.DataFrame({"text": texts, "keywords": hits}), pd.DataFrame({"okonomi": y})


@pytest.mark.parametrize(("choice", "combination"), [("best", "union"), ("bound", "union")])
def test_the_estimator_applies_the_choice(choice, combination):
    X, Y = _blind_rules(1)
    clf = AnswerClassifier(cv=3, choice=choice).fit(X, Y)
    assert {0: "keyword", 1: "union", 2: "classifier"}[int(clf.combination_[0])] == combination
    assert clf.union_thresholds_[0] < 1 and clf.union_cv_f1_[0] == 1.0


def test_choice_is_an_estimator_parameter_and_is_checked():
    clf = AnswerClassifier(choice="bound", choice_z=2.0)
    assert clone(clf).get_params()["choice"] == "bound"
    assert (AnswerClassifier().choice, AnswerClassifier().choice_z) == ("best", 1.0)
    assert AnswerClassifier(choice="bound").settings()["choice"] == "bound"
    assert CHOICES == ("best", "bound", "pooled")
    X, Y = _blind_rules(1)
    with pytest.raises(ValueError, match="choice must be one of best, bound, pooled, not 'safest'"):
        AnswerClassifier(choice="safest").fit(X, Y)


def test_a_model_from_before_choice_reads_as_chosen_by_the_best_f1():
    X, Y = _blind_rules(1)
    model = AnswerClassifier(cv=3).fit(X, Y)
    state = model.get_state()
    del state["params"]["choice"], state["params"]["choice_z"]
    old = AnswerClassifier.from_state(state)
    assert (old.choice, old.choice_z) == ("best", 1.0)
    np.testing.assert_array_equal(old.combination_, model.combination_)
    np.testing.assert_array_equal(old.union_thresholds_, model.union_thresholds_)


def test_a_bound_model_round_trips_and_evaluate_shows_its_choices(tmp_path):
    from click.testing import CliRunner

    from conftest import train_mini_model
    from fritekst.cli import main
    from fritekst.rules.model_file import load_model, save_model

    mini = train_mini_model({"choice": "bound"}, source="gull.csv")
    model = mini["model"]
    save_model(model, tmp_path / "m.skops")
    loaded = load_model(tmp_path / "m.skops", mini["codebook"])
    assert loaded.metadata["settings"]["choice"] == "bound"
    assert loaded.combination == model.combination
    np.testing.assert_array_equal(loaded.classifier.union_thresholds_, model.classifier.union_thresholds_)
    data = Path(__file__).resolve().parent / "data" / "classifier"
    result = CliRunner().invoke(main, [
        "evaluate", "--codebook", str(data / "kodebok.yaml"), "--gold", str(data / "gull.csv"), "--scope",
        str(data / "split.csv"), "--split", "heldout", "--model", str(tmp_path / "m.skops"),
        "--corpus", str(data / "svar.csv"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Threshold trade-off of"))
    clf = model.classifier
    for j, code in enumerate(clf.classes_):
        how = model.combination[code]
        token = "keyword" if how == "keyword" else f"{how}@{clf.union_thresholds_[j]:.3f}"
        assert lines[head + 2 + j].split()[:5] == [code, str(model.metadata["training"]["positives"][code]),
                                                   f"{clf.thresholds_[j]:.3f}", token, f"{clf.union_cv_f1_[j]:.2f}"]


@pytest.mark.parametrize(("answers", "anchor", "z", "expected"), [
    # anchored at a union, the rules alone must beat it by more than the noise to be chosen
    (BLIND_FEW, 0.7, 2.0, ("union", 0.7, 1.0)),
    (BLIND_FEW, NEVER, 2.0, ("keyword", NEVER, 2 / 3)),
    # a sloppy rule's union anchor: the classifier alone is far better, also against it
    (SLOPPY, 0.5, 1.0, ("classifier", 0.5, 1.0)),
    # noisy additions: anchored at their union they stay; z = 0 picks it anyway
    (NOISY, 0.6, 1.0, ("union", 0.6, 2 / 3)),
    (NOISY, 0.6, 0.0, ("union", 0.6, 2 / 3)),
])
def test_choose_combination_around_an_anchor(answers, anchor, z, expected):
    keyword, truth, proba = answers
    how, threshold, f1 = choose_combination(keyword, proba, truth, 0.5, z=z, anchor=anchor)
    assert (how, threshold) == expected[:2]
    assert f1 == pytest.approx(expected[2])


def _inputs(answers):
    keyword, truth, proba = answers
    return {"keyword": keyword, "proba": proba, "truth": truth}


@pytest.mark.parametrize(("codes", "z", "anchors"), [
    ([PERFECT], 1.0, [NEVER]),                            # nothing to gain over the rules
    ([BLIND_MANY, BLIND_MANY], 1.0, [0.7, 0.7]),          # the unions win over all codes: each its best
    ([BLIND_FEW], 0.0, [0.7]),
    ([BLIND_FEW], 2.0, [NEVER]),                          # one code of 6 answers: too little
    ([SLOPPY], 1.0, [NEVER]),                             # unions keep the rules' errors: no gain
    ([NOISY], 1.0, [NEVER]),
    ([], 1.0, []),
])
def test_pooled_anchors(codes, z, anchors):
    assert pooled_anchors([_inputs(c) for c in codes], z=z) == anchors


def test_pooled_anchors_respect_the_precision_floor():
    assert pooled_anchors([{**_inputs(BLIND_MANY), "floor": 1.01}], z=0.0) == [NEVER]


@pytest.mark.parametrize("copies", [1, 3])
def test_the_pooled_choice_in_the_estimator_matches_the_functions(copies):
    X, Y = _blind_rules(copies)
    clf = AnswerClassifier(cv=3, choice="pooled").fit(X, Y)
    assert clf.combination_.tolist() == [1] and clf.union_cv_f1_[0] == 1.0  # union: the rules are blind
    assert all(not name.startswith("_") for name in vars(clf))  # nothing left over from fit
