"""Scope-marked word features (negation, hedges), source-grouped cross-validation, and model files
written before either existed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fritekst.rules.classifier import AnswerClassifier, answer_source
from fritekst.rules.codebook import load_codebook
from fritekst.rules.feature_scope import HEDGED, NEGATED, scope_marks
from fritekst.rules.features import TOKEN_RE, FeatureSpace
from fritekst.rules.fitted import FittedClassifier
from fritekst.rules.model_file import load_model, save_model
from conftest import train_mini_model

REPO = Path(__file__).resolve().parent.parent
N, H = NEGATED, HEDGED


@pytest.mark.parametrize("text, marks", [
    # a negation reaches the rest of its clause and the word before it (the verb), not past "men"
    ("Vi har ikke FACT-team, men gode erfaringer", [0, N, 0, N, N, 0, 0, 0]),
    ("Vi har ikkje teke i bruk KOR", [0, N, 0, N, N, N, N]),
    ("Ingen midler. Brukerne ønsker det", [0, N, 0, 0, 0]),
    # "ikke bare X" says X and more
    ("Ikke bare økonomi", [0, 0, 0]),
    ("ikkje berre pengar", [0, 0, 0]),
    # lack negates its whole clause, a double negation nothing
    ("Kompetansen mangler i kommunen", [N, 0, N, N]),
    ("Vi manglar ikkje pengar", [0, 0, 0, 0]),
    # a diminisher the next two words
    ("Lite kunnskap om rollen hos oss", [0, N, N, 0, 0, 0]),
    # hedges: the whole clause, but the cue itself
    ("Dersom det blir behov", [0, H, H, H]),
    ("Usikre på om det er behov", [H, H, H, H, H, H]),
    ("Vi vurderer FACT, men har ACT", [H, 0, H, 0, 0, 0]),
    ("Vi snakket om det", [H, H, 0, H]),  # "om det" hedges, as in the cue table
    ("Vi bruker FIT", [0, 0, 0]),
])
def test_scope_marks_in_bokmal_and_nynorsk(text, marks):
    assert scope_marks(text) == marks
    assert len(scope_marks(text)) == len(TOKEN_RE.findall(text.lower()))


def test_scope_marks_only_the_kinds_asked_for():
    assert scope_marks("Dersom vi ikke får midler", NEGATED) == [0, N, 0, N, N]
    assert scope_marks("Dersom vi ikke får midler", HEDGED) == [0, H, H, H, H]


def test_marked_words_get_a_feature_beside_their_own():
    texts = ["ikke midler", "midler finnes", "om det er behov", "ser behov"]
    space = FeatureSpace(scope="both").fit(texts, ["q"] * 4)
    terms = space.word_vocabulary_.terms
    assert {"¬middel", "?behov", "middel", "behov"} <= set(terms)
    matrix = space.transform(["ikke midler", "midler"]).toarray()
    negated = terms.index("¬middel")
    assert matrix[0, negated] > 0 and matrix[1, negated] == 0
    assert matrix[0, terms.index("middel")] > 0 and matrix[1, terms.index("middel")] > 0
    plain = FeatureSpace().fit(texts, ["q"] * 4)
    assert not any(t.startswith(("¬", "?")) for t in plain.word_vocabulary_.terms)


def test_scope_features_do_not_depend_on_the_batch():
    texts = ["Vi har ikke FACT-team", "Om det blir behov, ansetter vi", "Ingen midler i år"]
    space = FeatureSpace(scope="both").fit(texts, ["q"] * 3)
    together = space.transform(texts).toarray()
    alone = np.vstack([space.transform([t]).toarray() for t in texts])
    np.testing.assert_allclose(together, alone)


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="scope must be one of"):
        FeatureSpace(scope="all").fit(["a"], ["q"])


def mini_model(settings):
    found = train_mini_model(settings, source="gull.csv")
    return found["model"], found["codebook"], found["corpus"], found["keyword"]


def test_a_scoped_model_round_trips_with_identical_probabilities(tmp_path):
    from fritekst.rules.classifier import predict_scores

    model, codebook, corpus, keyword = mini_model({"scope": "both"})
    assert model.classifier.features_.scope == "both"
    assert any(t.startswith("¬") for t in model.classifier.features_.word_vocabulary_.terms)
    save_model(model, tmp_path / "m.skops")
    loaded = load_model(tmp_path / "m.skops", codebook)
    assert loaded.classifier.features_.scope == "both"
    before = predict_scores(model, corpus.answers, keyword)
    after = predict_scores(loaded, corpus.answers, keyword)
    pd.testing.assert_frame_equal(before, after)


def test_model_state_from_before_scope_marks_reads_as_unmarked():
    model, *_ = mini_model({})
    state = model.classifier.get_state()
    del state["features"]["settings"]["scope"]
    del state["params"]["scope"], state["params"]["cv_groups"], state["params"]["guard_until"]
    old = FittedClassifier.from_state(state)
    assert old.features_.scope == "none"
    texts = pd.DataFrame({"text": ["Vi har ikke midler"], "question": ["grunn"], "keywords": [()]})
    np.testing.assert_array_equal(old.predict_proba(texts), model.classifier.predict_proba(texts))
    params = AnswerClassifier.from_state(state).get_params()
    # trained before guard_until: its guard held at every size, as it is told now
    assert (params["scope"], params["cv_groups"], params["guard_until"]) == ("none", "answer", None)
    assert AnswerClassifier().guard_until == 300


@pytest.mark.parametrize("name", ["ansette", "recovery"])
def test_the_shipped_model_files_still_load_and_code(name):
    """Files written before scope marks and source folds: no setting for them, so plain features."""
    import warnings

    codebook = load_codebook(REPO / "codebooks" / f"{name}.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a model older than the rules warns; that is not the point here
        model = load_model(REPO / "codebooks" / "models" / f"{name}.skops", codebook)
    assert model.classifier.features_.scope == model.metadata["settings"].get("scope", "none")
    proba = model.classifier.predict_proba(pd.DataFrame(
        {"text": ["Vi har ikke midler"], "question": ["x"], "keywords": [()]}))
    assert proba.shape == (1, len(model.classifier.classes_)) and np.isfinite(proba).all()


def test_answer_sources_name_pool_files_examples_and_the_corpus():
    assert answer_source("train2/ansette.csv:7", "grunn_nei") == "train2/ansette.csv"
    assert answer_source("dev:12", "grunn_nei") == "dev"
    assert answer_source("2023-0301", "grunn_ja") == "corpus"
    assert answer_source("seed:okonomi:0", "codebook-examples") == "codebook-examples"


def test_source_folds_hold_out_whole_sources():
    """With folds by source, an answer is scored by a model that saw no answer of its source, so a
    word only one source uses carries nothing out of fold."""
    texts = (["ingen midler"] * 4 + ["ser behov"] * 4) + (["trangt budsjett"] * 4 + ["brukerne ønsker"] * 4)
    labels = pd.DataFrame({"okonomi": [1] * 4 + [0] * 4 + [1] * 4 + [0] * 4})
    sources = ["a"] * 8 + ["b"] * 8
    X = pd.DataFrame({"text": texts})
    by_answer = AnswerClassifier(cv=4, min_df=1).fit(X, labels, sources=sources)
    by_source = AnswerClassifier(cv=4, min_df=1, cv_groups="source").fit(X, labels, sources=sources)
    assert by_answer.cv_f1_[0] == 1.0
    assert by_source.cv_f1_[0] < by_answer.cv_f1_[0]
    with pytest.raises(ValueError, match="cv_groups"):
        AnswerClassifier(cv_groups="file").fit(X, labels)


@pytest.mark.parametrize("forms, lemma", [
    (["tenestene", "tjenestene", "tenesta"], "teneste"),
    (["tilbodet", "tilbudet"], "tilbod"),
    (["ikkje", "ikke", "itj", "ikek"], "ikke"),
    (["inga", "ingen", "ingi"], "ingen"),
    (["vurdera", "vurdere"], "vurdere"),
])
def test_the_standard_lemmatizer_joins_bokmal_and_nynorsk(forms, lemma):
    from fritekst.rules.features import LEMMATIZERS

    standard = LEMMATIZERS["standard"]()
    assert [standard(f) for f in forms] == [lemma] * len(forms)
    space = FeatureSpace(lemmatizer="standard", char_ngrams=(9, 9)).fit(forms, ["q"] * len(forms))
    assert space.word_vocabulary_.terms == [lemma]


def test_the_precision_guard_holds_only_below_guard_until():
    keyword = np.array([True, True, False, False])
    truth = np.array([1, 0, 1, 0])
    assert AnswerClassifier()._precision_floor(keyword, truth) == 0.5  # the rules' own precision
    assert AnswerClassifier(guard_until=5)._precision_floor(keyword, truth) == 0.5
    assert AnswerClassifier(guard_until=4)._precision_floor(keyword, truth) is None
    assert AnswerClassifier(precision_guard=None)._precision_floor(keyword, truth) is None
