"""The classifier on top of the keyword rules: near-miss features, seed weights and precision guards."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fritekst.errors import ModelError, ModelWarning
from fritekst.rules.classifier import AnswerClassifier, predict_scores
from fritekst.rules.codebook import load_codebook
from fritekst.rules.features import rule_evidence
from fritekst.rules.keyword import KeywordRuleSpec
from fritekst.rules.model_file import load_model, save_model
from conftest import train_mini_model

DATA = Path(__file__).parent / "data" / "classifier"

RULES = [KeywordRuleSpec("r1", "ser_behov", ["behov"], negation="forbid", hedge="forbid"),
         KeywordRuleSpec("r2", "okonomi", ["midler", "midlar"])]


@pytest.mark.parametrize("text, evidence", [
    ("Vi ser behov.", []),                                   # the rule fires: no near miss
    ("Vi ser ikke behov.", ["ser_behov|negated"]),
    ("Vi ser ikkje behov for det", ["ser_behov|negated"]),  # Nynorsk negation
    ("Ingen behov", ["ser_behov|negated"]),
    ("Dersom det blir behov for det.", ["ser_behov|hedged"]),
    ("Vi har ikke midler", ["okonomi|negated"]),             # a rule that ignores negation: still marked
    ("Om vi får midlar", ["okonomi|hedged"]),
])
def test_rule_evidence_marks_where_the_rules_words_are_negated_or_hedged(text, evidence):
    answers = pd.DataFrame({"case_id": ["1"], "question": ["q"], "text": [text]})
    assert rule_evidence(answers, RULES)["code_id"].tolist() == evidence


@pytest.fixture(scope="module")
def evidence_model(tmp_path_factory):
    found = train_mini_model({"evidence": True}, source="gull.csv")
    codebook, model = found["codebook"], found["model"]
    path = tmp_path_factory.mktemp("evidence") / "mini.skops"
    save_model(model, path)
    return {"codebook": codebook, "model": model, "path": path}


def test_an_evidence_model_learns_per_code_near_miss_columns(evidence_model):
    columns = evidence_model["model"].classifier.features_.keyword_codes_
    assert "ser_behov|negated" in columns          # "ikke behov" occurs in the training answers
    assert {"okonomi", "ser_behov", "ikke_aktuelt"} <= set(columns)
    assert evidence_model["model"].uses_evidence
    assert evidence_model["model"].metadata["settings"]["evidence"] is True


def test_near_misses_come_from_the_current_rules_so_an_edited_keyword_only_warns(evidence_model, tmp_path):
    # the model binds to code ids: its near-miss features are recomputed from whatever the rules are now
    edited = tmp_path / "kodebok.yaml"
    edited.write_text((DATA / "kodebok.yaml").read_text(encoding="utf-8")
                      .replace('keywords: ["behov", "behovet"]', 'keywords: ["nødvendig"]'), encoding="utf-8")
    book = load_codebook(edited)
    with pytest.warns(ModelWarning, match="model is older than codebook 'mini' \\(its keyword rules changed\\)"):
        stale = load_model(evidence_model["path"], book)
    fresh = load_model(evidence_model["path"], evidence_model["codebook"])
    assert [s.keywords for s in stale.rule_specs if s.code_id == "ser_behov"] == [("nødvendig",)]
    answers = pd.DataFrame({"case_id": ["a", "b"], "question": ["grunn", "grunn"],
                            "text": ["Vi ser ikke behov for det.", "Trang økonomi i år."]})
    keyword_codings = {name: code_corpus_frame(answers, model_book)
                       for name, model_book in (("fresh", evidence_model["codebook"]), ("stale", book))}
    scores_fresh = predict_scores(fresh, answers, keyword_codings["fresh"])
    scores_stale = predict_scores(stale, answers, keyword_codings["stale"])
    # "ikke behov" is a near miss of the original rule only: its answer's scores move, the other's do not
    assert scores_fresh.loc[0, "ser_behov"] != pytest.approx(scores_stale.loc[0, "ser_behov"])
    np.testing.assert_allclose(scores_fresh.loc[1].to_numpy(), scores_stale.loc[1].to_numpy())


def code_corpus_frame(answers, codebook):
    from fritekst.analysis.curve import _keyword_codings

    return _keyword_codings(answers, codebook)


def test_an_evidence_model_applied_without_its_codebook_is_e411(evidence_model):
    bare = load_model(evidence_model["path"])
    answers = pd.DataFrame({"case_id": ["a"], "question": ["grunn"], "text": ["Ingen midler."]})
    with pytest.raises(ModelError) as info:
        predict_scores(bare, answers, code_corpus_frame(answers, evidence_model["codebook"]))
    assert info.value.code == "E411"
    assert str(info.value).startswith(f"{evidence_model['path']}: this model learns from where the keyword rules "
                                      "meet an answer negated or hedged")


def _guard_data():
    """The rules find 20 of 30 positives at precision 1; 10 more hide among 8 negatives of the same wording."""
    texts = ["ingen midler"] * 20 + ["trang ramme"] * 18 + ["ser behov"] * 22
    y = [1] * 20 + [1] * 10 + [0] * 8 + [0] * 22
    hits = [("okonomi",)] * 20 + [()] * 40
    X = pd.DataFrame({"text": texts, "keywords": hits})
    return X, pd.DataFrame({"okonomi": y})


def test_without_a_guard_the_union_adds_codings_at_a_precision_below_the_rules():
    X, Y = _guard_data()
    clf = AnswerClassifier(cv=3, replace_rules=False, precision_guard=None).fit(X, Y)
    # the union wins on out-of-fold F1: 30 TP, 8 FP (0.88) against the rules' 20 TP, 10 FN (0.80)
    assert clf.union_thresholds_[0] < 1
    assert clf.union_cv_f1_[0] == pytest.approx(60 / 68)


def test_a_precision_guard_keeps_the_rules_alone():
    X, Y = _guard_data()
    clf = AnswerClassifier(cv=3, replace_rules=False).fit(X, Y)  # the default guard, 0.0
    # the union's precision (30/38) is below the rules' (20/20): what is left codes
    # as the rules alone (a threshold no out-of-fold score of the hidden positives reaches)
    assert clf.union_cv_f1_[0] == pytest.approx(40 / 50)
    assert clf.union_thresholds_[0] > clf.thresholds_[0]


def test_seed_weight_weighs_the_rows_the_judge_leaves_out():
    X, Y = _guard_data()
    judge = np.array([True] * 50 + [False] * 10)
    light = AnswerClassifier(cv=3, seed_weight=0.1).fit(X, Y, judge=judge)
    heavy = AnswerClassifier(cv=3, seed_weight=10.0).fit(X, Y, judge=judge)
    assert not np.allclose(light.coef_, heavy.coef_)
    same = AnswerClassifier(cv=3).fit(X, Y)  # weight 1: what the judge says does not change the fit
    np.testing.assert_allclose(AnswerClassifier(cv=3).fit(X, Y, judge=judge).coef_, same.coef_)


def test_state_of_a_model_from_before_the_new_settings_still_loads(evidence_model):
    state = evidence_model["model"].classifier.get_state()
    for key in ("seed_weight", "precision_guard", "evidence", "threshold_tolerance"):
        del state["params"][key]
    old = AnswerClassifier.from_state(state)
    defaults = AnswerClassifier()
    assert (old.seed_weight, old.precision_guard, old.threshold_tolerance) == \
        (defaults.seed_weight, defaults.precision_guard, defaults.threshold_tolerance)
    np.testing.assert_array_equal(old.combination_, evidence_model["model"].classifier.combination_)


def test_a_codebook_naming_an_evidence_model_still_codes_after_a_keyword_edit(evidence_model, tmp_path):
    # the researcher's loop: edit a keyword, code again; the model warns and codes from the new rules
    from fritekst.coding.classify import code_with_classifiers
    from fritekst.analysis.curve import _keyword_codings

    shutil.copy(evidence_model["path"], tmp_path / "mini.skops")
    text = (DATA / "kodebok.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Mini\n", "title: Mini\nclassifier: mini.skops\n")
    (tmp_path / "kodebok.yaml").write_text(text.replace('"penger", ', ""), encoding="utf-8")
    book = load_codebook(tmp_path / "kodebok.yaml")
    answers = pd.DataFrame({"case_id": ["a", "b"], "question": ["grunn", "grunn"],
                            "text": ["Vi har ikke penger.", "Vi ser behov for det."]})
    with pytest.warns(ModelWarning, match="model is older than codebook 'mini'"):
        coded = code_with_classifiers(answers, book, _keyword_codings(answers, book))
    assert "ser_behov" in set(coded.loc[coded["case_id"] == "b", "code_id"])


def test_threshold_tolerance_moves_near_ties_to_the_middle():
    X, Y = _guard_data()
    exact = AnswerClassifier(cv=3).fit(X, Y)
    loose = AnswerClassifier(cv=3, threshold_tolerance=1.0).fit(X, Y)  # every threshold ties
    assert loose.thresholds_[0] == pytest.approx(0.5)
    assert exact.cv_f1_[0] >= loose.cv_f1_[0]
