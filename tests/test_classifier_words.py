"""Eighth-round word features: compound parts, content-word unigrams, binary term frequency, and
model states written before them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fritekst.rules.classifier import AnswerClassifier
from fritekst.rules.features import FUNCTION_WORDS, FeatureSpace
from fritekst.rules.fitted import FittedClassifier
from fritekst.rules.model_file import load_model, save_model
from conftest import train_mini_model

TEXTS = ["Budsjettkutt i kommunen", "Vi har ikke oppfølgingsteamet", "kutt i budsjettet og det er"]


def unigrams(space: FeatureSpace, text: str) -> list[str]:
    row = space.transform([text], ["q"]).tocsr()
    n = len(space.word_vocabulary_)
    return sorted(space.word_vocabulary_.terms[i] for i in row.indices if i < n and " " not in
                  space.word_vocabulary_.terms[i])


@pytest.mark.parametrize("settings, expected", [
    ({}, ["budsjettkutt", "og"]),
    # a compound also counts as its head's lemma ("teamet" of "oppfølgingsteamet" -> team)
    ({"compounds": "heads"}, ["budsjettkutt", "kutt", "og", "team"]),
    # and with parts as its first modifier's
    ({"compounds": "parts"}, ["budsjett", "budsjettkutt", "kutt", "og", "team"]),
    # function words are no unigrams
    ({"content_words": True}, ["budsjettkutt"]),
    ({"content_words": True, "compounds": "parts"}, ["budsjett", "budsjettkutt", "kutt", "team"]),
    ({"tf": "binary"}, ["budsjettkutt", "og"]),
])
def test_word_unigrams_of_each_setting(settings, expected):
    space = FeatureSpace(**settings).fit(TEXTS, ["q"] * 3)
    assert unigrams(space, "budsjettkutt og team") == expected


@pytest.mark.parametrize("word", ["og", "i", "det", "er", "har", "ein", "dei", "ikkje" ])
def test_function_words_and_not_negations(word):
    assert (word in FUNCTION_WORDS) == (word != "ikkje")


def test_content_words_keep_bigrams_with_function_words():
    space = FeatureSpace(content_words=True).fit(["ikke behov", "om behov"], ["q"] * 2)
    assert {"om behov", "behov"} <= set(space.word_vocabulary_.terms)
    assert "om" not in space.word_vocabulary_.terms


@pytest.mark.parametrize("tf, ratio", [("sublinear", 1 + np.log(2)), ("binary", 1.0)])
def test_term_frequency(tf, ratio):
    space = FeatureSpace(tf=tf, char_ngrams=(5, 5)).fit(["midler midler behov", "midler"], ["q"] * 2)
    row = space.transform(["midler midler behov"], ["q"]).toarray()[0]
    terms = space.word_vocabulary_.terms
    idf = space.word_vocabulary_.idf
    middel, behov = terms.index(space._lemma("midler")), terms.index("behov")
    assert row[middel] / idf[middel] == pytest.approx(ratio * row[behov] / idf[behov])


@pytest.mark.parametrize("settings, message", [
    ({"compounds": "all"}, "compounds must be one of none, heads, parts"),
    ({"tf": "log"}, "tf must be one of sublinear, binary"),
])
def test_unknown_values_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        FeatureSpace(**settings).fit(["a"], ["q"])


def test_features_do_not_depend_on_the_batch():
    space = FeatureSpace(compounds="parts", content_words=True, tf="binary").fit(TEXTS, ["q"] * 3)
    together = space.transform(TEXTS, ["q"] * 3).toarray()
    alone = np.vstack([space.transform([t], ["q"]).toarray() for t in TEXTS])
    np.testing.assert_allclose(together, alone)


def test_a_model_with_the_new_features_round_trips(tmp_path):
    from fritekst.rules.classifier import predict_scores

    found = train_mini_model({"compounds": "parts", "content_words": True, "tf": "binary"}, source="gull.csv")
    model, codebook = found["model"], found["codebook"]
    space = model.classifier.features_
    assert (space.compounds, space.content_words, space.tf) == ("parts", True, "binary")
    save_model(model, tmp_path / "m.skops")
    loaded = load_model(tmp_path / "m.skops", codebook)
    assert (loaded.classifier.features_.compounds, loaded.classifier.features_.tf) == ("parts", "binary")
    before = predict_scores(model, found["corpus"].answers, found["keyword"])
    after = predict_scores(loaded, found["corpus"].answers, found["keyword"])
    pd.testing.assert_frame_equal(before, after)


def test_a_state_from_before_the_new_features_reads_as_plain():
    found = train_mini_model({}, source="gull.csv")
    model = found["model"]
    state = model.classifier.get_state()
    for key in ("compounds", "content_words", "tf"):
        del state["features"]["settings"][key], state["params"][key]
    old = FittedClassifier.from_state(state)
    assert (old.features_.compounds, old.features_.content_words, old.features_.tf) == ("none", False, "sublinear")
    texts = pd.DataFrame({"text": ["Budsjettkutt"], "question": ["grunn"], "keywords": [()]})
    np.testing.assert_array_equal(old.predict_proba(texts), model.classifier.predict_proba(texts))
    params = AnswerClassifier.from_state(state).get_params()
    assert (params["compounds"], params["content_words"], params["tf"]) == ("none", False, "sublinear")


def test_the_estimator_contract_holds_for_the_new_settings():
    from sklearn.base import clone

    clf = AnswerClassifier(compounds="heads", content_words=True, tf="binary")
    assert clone(clf).get_params()["compounds"] == "heads"
    assert clf.set_params(tf="sublinear").tf == "sublinear"
    assert {"compounds", "content_words", "tf"} <= set(clf.settings())


@pytest.mark.parametrize("grid", [None, (0.1, 10.0), (1.0, 3.0, 10.0, 30.0)])
def test_C_from_a_grid_is_chosen_per_code_by_cross_validation(grid):
    texts = ["ingen midler", "ikke økonomi", "ser behov", "brukerne ønsker det", "trangt budsjett",
             "ingen penger", "vi har behov", "ønsker fra brukerne"] * 3
    labels = pd.DataFrame({"okonomi": [1, 1, 0, 0, 1, 1, 0, 0] * 3, "ser_behov": [0, 0, 1, 1, 0, 0, 1, 1] * 3})
    clf = AnswerClassifier(cv=3, C_grid=grid).fit(pd.DataFrame({"text": texts}), labels)
    assert clf.C_.shape == (2,)
    assert set(clf.C_) <= set(grid or (clf.C,))
    assert clf.predict(pd.DataFrame({"text": ["ingen midler i budsjettet"]})).astype(int).tolist() == [[1, 0]]
    assert clf.settings()["C_grid"] == (None if grid is None else list(grid))
