"""Classifier rules: features, training, thresholds, persistence and refusals, prediction, policies."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io
from click.testing import CliRunner
from sklearn.linear_model import LogisticRegression

from fritekst.coding.classify import apply_classifier_rules, combine_codings, predict_codings
from fritekst.rules.classifier import predict_scores, train_model
from fritekst.cli.train import train_command
from fritekst.rules.codebook import load_codebook
from fritekst.errors import InputError, ModelError, ModelWarning
from fritekst.rules.features import FeatureSpace, make_units, segment_spans, unit_labels
from fritekst.rules.model_file import load_model, save_model
from conftest import train_mini_model

DATA = Path(__file__).parent / "data" / "classifier"


@pytest.fixture(scope="session")
def mini():
    return train_mini_model(source="gull.csv")


@pytest.fixture(scope="session")
def model_file(mini, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "mini.skops"
    save_model(mini["model"], path)
    return path


def answers_of(mini, keys):
    return keys.merge(mini["corpus"].answers, on=["case_id", "question"])


# --- features ------------------------------------------------------------------------------------

def test_character_ngrams_link_inflections_and_nynorsk_forms():
    space = FeatureSpace(min_df=1).fit(["ledige stillinger", "ingen midler", "trang økonomi"])
    rows = space.transform(["stillingar", "midlar", "budsjett"])
    reference = space.transform(["stillinger", "midler", "økonomi"])
    similarity = np.asarray((rows.multiply(reference)).sum(axis=1)).ravel()
    # rows are L2-normalised per block, so the dot product is a cosine (word block + char block)
    assert similarity[0] > 0.5 and similarity[1] > 0.5
    assert similarity[2] == 0.0


def test_lemma_bigrams_keep_negation_together():
    space = FeatureSpace(min_df=1).fit(["ikke behov", "ser behov"])
    assert {"ikke behov", "se behov", "behov"} <= set(space.word_vocabulary_.terms)


def test_question_and_keyword_blocks_ignore_unknown_values():
    space = FeatureSpace(min_df=1).fit(["a b", "c d"], ["grunn_ja", "grunn_nei"], [("okonomi",), ()])
    matrix = space.transform(["a b"], ["ukjent"], [("ukjent_kode", "okonomi")])
    tail = matrix.toarray()[0, -3:]  # 2 question columns, 1 keyword column (default weight 0.5)
    assert tail.tolist() == [0.0, 0.0, 0.5]


def test_transform_needs_keyword_hits_when_fitted_with_them():
    space = FeatureSpace(min_df=1).fit(["a"], None, [("x",)])
    with pytest.raises(ValueError, match="keyword_hits"):
        space.transform(["a"])


# --- training ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, segments", [
    ("Ingen midler. Ikke aktuelt nå", ["Ingen midler.", "Ikke aktuelt nå"]),
    ("• Trang økonomi\n• Brukerråd", ["Trang økonomi", "Brukerråd"]),
    ("-Ingen stillinger\n-Ikkje aktuelt", ["Ingen stillinger", "Ikkje aktuelt"]),
    ("Vi bruker bl.a. FIT og f.eks. KOR. Ok!", ["Vi bruker bl.a. FIT og f.eks. KOR.", "Ok!"]),
    ("ca. 3 brukere pga. liten kommune", ["ca. 3 brukere pga. liten kommune"]),
    ("3.5 stillinger", ["3.5 stillinger"]),
    ("-", ["-"]),
])
def test_answers_split_into_sentence_like_segments(text, segments):
    assert [text[s:e] for s, e in segment_spans(text)] == segments


def test_units_carry_the_keyword_hits_inside_them_and_labels_from_overlapping_spans():
    answers = pd.DataFrame({"case_id": ["1", "2"], "question": ["q", "q"],
                            "text": ["Ingen midler. Ser behovet.", "Vet ikke"]})
    keyword = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["okonomi"], "start": [0],
                            "end": [12], "method": ["keyword"]})
    gold = pd.DataFrame({"case_id": ["1", "1", "2"], "question": ["q"] * 3,
                         "code_id": ["ser_behov", "okonomi", "okonomi"],
                         "start": pd.array([14, pd.NA, 0], dtype="Int64"), "end": pd.array([26, pd.NA, 8], dtype="Int64"),
                         "decision": ["yes", "yes", "no"]})
    units = make_units(answers, keyword)
    assert units.X.values.tolist() == [["Ingen midler.", "q", ("okonomi",)], ["Ser behovet.", "q", ()],
                                       ["Vet ikke", "q", ()]]
    assert units.owner.tolist() == [0, 0, 1]
    assert list(zip(units.start, units.end)) == [(0, 13), (14, 26), (0, 8)]
    labels = unit_labels(answers, units, gold, ["okonomi", "ser_behov"])
    # a blank span (whole answer) labels both segments; a "no" decision labels nothing
    assert labels.values.tolist() == [[1, 0], [1, 1], [0, 0]]


def test_whole_answer_units():
    answers = pd.DataFrame({"case_id": ["1"], "question": ["q"], "text": ["Ingen midler. Ser behovet."]})
    units = make_units(answers, None, unit="answer")
    assert units.X["text"].tolist() == ["Ingen midler. Ser behovet."]
    assert units.X["keywords"].tolist() == [()]


def test_training_summary_and_thresholds(mini):
    meta = mini["model"].metadata
    assert meta["codebook"]["id"] == "mini"
    assert meta["codebook"]["sha256"] == mini["codebook"].sha256
    assert meta["codebook"]["code_ids"] == ["okonomi", "ser_behov", "ikke_aktuelt"]
    assert meta["training"]["n_answers"] == 27
    assert meta["training"]["unit"] == "segment"
    assert meta["training"]["n_units"] == 29  # answers 0031 and 0032 have two sentences each
    assert meta["training"]["positives"] == {"okonomi": 11, "ser_behov": 9, "ikke_aktuelt": 4}
    assert meta["training"]["keyword_features"] is True
    assert meta["settings"]["cv"] == 3 and meta["settings"]["random_state"] == 7
    assert set(meta["thresholds"]) == {"okonomi", "ser_behov", "ikke_aktuelt"}
    assert all(0.05 <= t <= 0.95 for t in meta["thresholds"].values())
    assert meta["skipped_codes"] == {}
    assert meta["created"].endswith("+00:00")


def test_codes_with_too_few_examples_are_not_learned(mini):
    model = train_model(mini["corpus"].answers, mini["gold"], mini["codebook"], keyword_codings=mini["keyword"],
                        scope=mini["train"], settings={"cv": 3, "min_positives": 5})
    assert model.codes == ["okonomi", "ser_behov"]
    assert model.metadata["skipped_codes"] == {"ikke_aktuelt": "4 positive example(s), need 5"}
    scores = predict_scores(model, answers_of(mini, mini["heldout"]), mini["keyword"])
    assert list(scores.columns) == ["okonomi", "ser_behov"]


def test_training_is_deterministic_given_the_seed(mini):
    again = train_model(mini["corpus"].answers, mini["gold"], mini["codebook"], keyword_codings=mini["keyword"],
                        scope=mini["train"], settings={"cv": 3, "random_state": 7})
    np.testing.assert_array_equal(again.classifier.coef_, mini["model"].classifier.coef_)
    np.testing.assert_array_equal(again.classifier.thresholds_, mini["model"].classifier.thresholds_)


def test_training_answers_missing_from_the_corpus_are_an_error(mini):
    scope = pd.DataFrame({"case_id": ["9999"], "question": ["grunn"]})
    with pytest.raises(InputError, match="1 answer\\(s\\) have no text in the corpus, first case 9999"):
        train_model(mini["corpus"].answers, mini["gold"], mini["codebook"], scope=scope, source="split.csv")


# --- prediction ----------------------------------------------------------------------------------

def test_classifier_codes_heldout_answers_the_keywords_miss(mini):
    heldout = answers_of(mini, mini["heldout"])
    coded = predict_codings(mini["model"], heldout, mini["keyword"])
    found = set(zip(coded["case_id"], coded["code_id"]))
    # no keyword rule knows "rammer", "sparekrav" or "etterspør"
    assert ("0006", "okonomi") in found      # "Trange rammer og store sparekrav."
    assert ("0012", "okonomi") in found      # "Rammene er for trange, og vi har sparekrav."
    assert ("0015", "ser_behov") in found    # "Brukerne etterspør det."
    keyword_found = set(zip(mini["keyword"]["case_id"], mini["keyword"]["code_id"]))
    assert not {("0006", "okonomi"), ("0012", "okonomi"), ("0015", "ser_behov")} & keyword_found


def test_predicted_codings_point_at_the_sentence_with_their_probability(mini):
    heldout = answers_of(mini, mini["heldout"])
    coded = predict_codings(mini["model"], heldout, mini["keyword"], rule_ids={"okonomi": "okonomi_modell"})
    assert list(coded.columns) == ["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"]
    merged = coded.merge(heldout, on=["case_id", "question"])
    spans = {(c, code): text[s:e] for c, code, text, s, e in
             merged[["case_id", "code_id", "text", "start", "end"]].itertuples(index=False)}
    assert spans[("0030", "ikke_aktuelt")] == "Ikke aktuelt nå."
    assert spans[("0030", "okonomi")] == "Vi har ikke økonomi."
    assert spans[("0033", "okonomi")] == "Budsjettet er stramt."
    assert spans[("0006", "okonomi")] == "Trange rammer og store sparekrav."
    assert set(coded["method"]) == {"classifier"}
    thresholds = mini["model"].thresholds
    assert all(thresholds[c] <= s <= 1.0 for c, s in zip(coded["code_id"], coded["score"]))
    assert set(coded.loc[coded["code_id"] == "okonomi", "rule_id"]) == {"okonomi_modell"}
    assert set(coded.loc[coded["code_id"] != "okonomi", "rule_id"]) == {"classifier"}


def test_answer_scores_are_the_best_sentence_score(mini):
    heldout = answers_of(mini, mini["heldout"])
    coded = predict_codings(mini["model"], heldout, mini["keyword"], thresholds=dict.fromkeys(mini["model"].codes, 0.0))
    best = coded.groupby(["case_id", "code_id"])["score"].max()
    scores = predict_scores(mini["model"], heldout, mini["keyword"]).assign(case_id=heldout["case_id"])
    row = scores.set_index("case_id").loc["0030"]
    assert round(row["okonomi"], 4) == best[("0030", "okonomi")]
    assert round(row["ikke_aktuelt"], 4) == best[("0030", "ikke_aktuelt")]


def test_threshold_override_only_removes_codings(mini):
    heldout = answers_of(mini, mini["heldout"])
    normal = predict_codings(mini["model"], heldout, mini["keyword"])
    strict = predict_codings(mini["model"], heldout, mini["keyword"], thresholds={"okonomi": 0.999})
    assert "okonomi" not in set(strict["code_id"])
    assert len(strict) == len(normal) - int((normal["code_id"] == "okonomi").sum())


def test_model_with_keyword_features_needs_keyword_codings(mini):
    with pytest.raises(ModelError, match="uses keyword hits as features"):
        predict_codings(mini["model"], answers_of(mini, mini["heldout"]))


# --- persistence and refusals --------------------------------------------------------------------

def test_round_trip_gives_identical_probabilities(mini, model_file):
    loaded = load_model(model_file, mini["codebook"])
    answers = mini["corpus"].answers
    np.testing.assert_array_equal(predict_scores(loaded, answers, mini["keyword"]).to_numpy(),
                                  predict_scores(mini["model"], answers, mini["keyword"]).to_numpy())
    assert loaded.metadata == mini["model"].metadata
    assert loaded.training_keys.values.tolist() == mini["train"].values.tolist()


def test_model_file_holds_plain_data_only(model_file):
    assert skops.io.get_untrusted_types(file=model_file) == []


@pytest.mark.parametrize("content, message", [
    (b"hei, dette er ikke en modell", "not a skops model file (BadZipFile)"),
    (b"", "not a skops model file (BadZipFile)"),
])
def test_non_model_files_are_refused(tmp_path, content, message):
    path = tmp_path / "modell.skops"
    path.write_bytes(content)
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert str(info.value) == f"{path}: {message}; use a file made by `fritekst train`"


def test_truncated_model_file_is_refused(tmp_path, model_file):
    path = tmp_path / "halv.skops"
    path.write_bytes(model_file.read_bytes()[: model_file.stat().st_size // 2])
    with pytest.raises(ModelError, match="not a skops model file|corrupt"):
        load_model(path)


def test_model_with_code_running_types_is_refused(tmp_path):
    path = tmp_path / "fremmed.skops"
    skops.io.dump({"fritekst_model": 1, "metadata": {}, "hook": print}, path)
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert str(info.value) == (f"{path}: model file contains types fritekst does not load (builtins.print); "
                               "loading them could run code, so only plain-data models made by `fritekst train` "
                               "are accepted; retrain it")


def test_sklearn_model_from_elsewhere_is_refused(tmp_path):
    path = tmp_path / "sklearn.skops"
    skops.io.dump(LogisticRegression(), path)
    with pytest.raises(ModelError, match="sklearn.linear_model._logistic.LogisticRegression"):
        load_model(path)


def test_plain_skops_file_without_metadata_is_refused(tmp_path):
    path = tmp_path / "data.skops"
    skops.io.dump({"vekter": [1, 2, 3]}, path)
    with pytest.raises(ModelError, match="not a fritekst model \\(no fritekst metadata\\)"):
        load_model(path)
    skops.io.dump({"fritekst_model": 1, "metadata": {"codebook": {}}, "classifier": {}}, path)
    with pytest.raises(ModelError, match="model metadata lacks training, settings, thresholds"):
        load_model(path)


def test_model_for_another_codebook_is_refused(model_file):
    other = load_codebook(DATA / "kodebok_annen.yaml")
    with pytest.raises(ModelError) as info:
        load_model(model_file, other)
    assert str(info.value).startswith(f"{model_file}: model was trained for codebook 'mini', not 'annen'")


def test_model_for_an_older_codebook_version_warns_and_still_loads(model_file, tmp_path):
    # the model binds to code ids: a changed codebook gives a warning, never a failure
    changed = load_codebook(DATA / "kodebok_endret.yaml")
    with pytest.warns(ModelWarning, match="codes added since: rekruttering \\(the model does not predict them\\)"):
        model = load_model(model_file, changed)
    assert "rekruttering" not in model.codes
    edited = tmp_path / "kodebok.yaml"
    edited.write_text((DATA / "kodebok.yaml").read_text(encoding="utf-8").replace('"penger", ', ""),
                      encoding="utf-8")
    with pytest.warns(ModelWarning, match="model is older than codebook 'mini' \\(its keyword rules changed\\)"):
        load_model(model_file, load_codebook(edited))


def test_answer_classifier_follows_the_sklearn_estimator_contract():
    from sklearn.base import clone
    from sklearn.utils import estimator_checks

    from fritekst.rules.classifier import AnswerClassifier

    classifier = AnswerClassifier(C=3.0, word_ngrams=(1, 1))
    assert clone(classifier).get_params(deep=True) == classifier.get_params(deep=False)
    assert classifier.set_params(C=2.0) is classifier and classifier.C == 2.0
    for check in ("check_no_attributes_set_in_init", "check_parameters_default_constructible",
                  "check_get_params_invariance", "check_set_params", "check_estimator_repr"):
        getattr(estimator_checks, check)("AnswerClassifier", AnswerClassifier())
    texts = pd.DataFrame({"text": ["ingen midler", "ikke økonomi", "ser behov", "brukerne ønsker det"] * 3})
    labels = pd.DataFrame({"okonomi": [1, 1, 0, 0] * 3, "ser_behov": [0, 0, 1, 1] * 3})
    before = set(vars(classifier))
    assert classifier.fit(texts, labels) is classifier
    learned = set(vars(classifier)) - before
    assert learned and all(name.endswith("_") for name in learned)
    fresh = clone(classifier)
    assert not any(name.endswith("_") for name in vars(fresh)) and fresh.C == 2.0


# --- policies and the coder hook -----------------------------------------------------------------

def _codings(rows):
    return pd.DataFrame(rows, columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"])


KEYWORD = _codings([("1", "q", "okonomi", 3, 9, "keyword", "k1", 1.0), ("2", "q", "ser_behov", 0, 5, "keyword", "k2", 1.0)])
CLASSIFIER = _codings([("1", "q", "okonomi", 0, 20, "classifier", "m", 0.9),
                       ("1", "q", "ikke_aktuelt", 0, 20, "classifier", "m", 0.6),
                       ("3", "q", "okonomi", 0, 12, "classifier", "m", 0.7)])


@pytest.mark.parametrize("policy, expected", [
    ("keyword", [("1", "okonomi", "keyword"), ("2", "ser_behov", "keyword")]),
    ("union", [("1", "ikke_aktuelt", "classifier"), ("1", "okonomi", "classifier"), ("1", "okonomi", "keyword"),
               ("2", "ser_behov", "keyword"), ("3", "okonomi", "classifier")]),
    # answer 1 has a keyword coding, so the classifier only fills in answer 3
    ("fallback", [("1", "okonomi", "keyword"), ("2", "ser_behov", "keyword"), ("3", "okonomi", "classifier")]),
    # okonomi and ikke_aktuelt are covered by the classifier; ser_behov keeps its keyword coding
    ("classifier", [("1", "ikke_aktuelt", "classifier"), ("1", "okonomi", "classifier"),
                    ("2", "ser_behov", "keyword"), ("3", "okonomi", "classifier")]),
])
def test_combine_policies(policy, expected):
    combined = combine_codings(KEYWORD, CLASSIFIER, policy)
    assert sorted(zip(combined["case_id"], combined["code_id"], combined["method"])) == expected


def test_unknown_policy_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown combine policy 'begge'"):
        combine_codings(KEYWORD, CLASSIFIER, "begge")


def _codebook_with(tmp_path, model_file, extra_top="", rule=""):
    text = (DATA / "kodebok.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Mini\n", f"title: Mini\n{extra_top}")
    if rule:
        text = text.replace("        keywords: [\"ikke aktuelt\"", rule + "        keywords: [\"ikke aktuelt\"")
    shutil.copy(model_file, tmp_path / "mini.skops")
    path = tmp_path / "kodebok.yaml"
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def test_codebook_level_classifier_codes_every_learned_code(mini, model_file, tmp_path):
    codebook = _codebook_with(tmp_path, model_file, extra_top="classifier: mini.skops\n")
    heldout = answers_of(mini, mini["heldout"])
    coded = apply_classifier_rules(heldout, codebook, mini["keyword"])
    direct = predict_codings(mini["model"], heldout, mini["keyword"])
    assert coded[["case_id", "code_id", "score"]].equals(direct[["case_id", "code_id", "score"]])
    assert set(coded["rule_id"]) == {"classifier:mini.skops"}


def test_codebook_without_classifier_rules_gives_no_codings(mini):
    coded = apply_classifier_rules(mini["corpus"].answers, mini["codebook"], mini["keyword"])
    assert coded.empty and list(coded.columns)[:3] == ["case_id", "question", "code_id"]


def test_cli_train_writes_a_model_and_reports_it(tmp_path):
    out = tmp_path / "modell.skops"
    result = CliRunner().invoke(train_command, [
        "--codebook", str(DATA / "kodebok.yaml"), "--gold", str(DATA / "gull.csv"),
        "--scope", str(DATA / "split.csv"), "--split", "train", "--corpus", str(DATA / "svar.csv"),
        "--out", str(out), "--cv", "3", "--seed", "7"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "27 håndkodede svar (grunn), 29 segmenter, nøkkelordtreff som trekk"
    assert lines[2].split() == ["kode", "positive", "terskel", "KV-F1", "learned", "KV-F1"]
    clf = load_model(out).classifier
    def nb(x: float, digits: int) -> str:  # a decimal comma in the Norwegian summary
        return f"{x:.{digits}f}".replace(".", ",")

    assert lines[3].split() == ["okonomi", "11", nb(clf.thresholds_[0], 3), nb(clf.cv_f1_[0], 2),
                                f"begge@{nb(clf.union_thresholds_[0], 3)}", nb(clf.union_cv_f1_[0], 2)]
    assert lines[-2].startswith("learned: hva kombinasjonen «learned» gjør med koden")
    assert lines[-1] == f"Skrev modellen til {out}"
    assert load_model(out).metadata["training"]["source"] == f"{DATA / 'gull.csv'} (split train)"
    settings = load_model(out).metadata["settings"]  # the defaults: precision guard on below 300, no evidence
    assert (settings["precision_guard"], settings["guard_until"], settings["evidence"]) == (0.0, 300, False)
    assert (settings["scope"], settings["lemmatizer"], settings["cv_groups"]) == ("none", "lemma", "answer")


def test_cli_train_reports_a_bad_gold_file_in_one_line(tmp_path):
    gold = tmp_path / "gull.csv"
    gold.write_text("case_id,question,code_id\n0001,grunn,okonmi\n", encoding="utf-8")
    out = tmp_path / "modell.skops"
    result = CliRunner().invoke(train_command, ["--codebook", str(DATA / "kodebok.yaml"), "--gold", str(gold),
                                                "--corpus", str(DATA / "svar.csv"), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output == f"Error: {gold}:2: unknown code id 'okonmi'; did you mean 'okonomi'? [E112]\n"
    assert not out.exists()


def test_fast_vectoriser_equals_scikit_learns_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    train = ["Ingen ledige stillinger i år.", "Trang økonomi, ingen midler", "ser behov for brukerstemmen"]
    new = ["Ingen stillingar og trang kommuneøkonomi", "behov", ""]
    space = FeatureSpace(lemmatizer="none").fit(train)

    def words(text):
        tokens = text.lower().replace(",", " ").replace(".", " ").split()
        return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]

    def chars(text):
        return [g for w in text.lower().replace(",", " ").replace(".", " ").split() for g in space._char_grams(w)]

    blocks = space.transform_blocks(new)
    for block, analyzer in ((blocks[0], words), (blocks[1], chars)):
        reference = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit(train)
        expected = reference.transform(new)
        terms = (space.word_vocabulary_ if analyzer is words else space.char_vocabulary_).terms
        assert terms == list(reference.get_feature_names_out())
        np.testing.assert_allclose(block.toarray(), expected.toarray(), rtol=1e-12, atol=1e-12)


def test_features_of_an_answer_do_not_depend_on_the_batch_it_comes_in():
    # a word repeated in one answer ("vi ... vi") must not shift the cached ids of later words
    train = ["Vi har brukermedvirkning i alt vi gjør.", "FIT og KOR brukes systematisk", "Hva er viktig for deg?"]
    fitted = FeatureSpace().fit(train)
    batch = FeatureSpace.from_state(fitted.get_state()).transform(train).toarray()
    for i, text in enumerate(train):
        alone = FeatureSpace.from_state(fitted.get_state()).transform([text]).toarray()[0]
        np.testing.assert_allclose(alone, batch[i])


def _codebook_with_rule(tmp_path, threshold):
    text = (DATA / "kodebok.yaml").read_text(encoding="utf-8").replace(
        "      - id: ikke_aktuelt_ord\n",
        f"      - id: ia_modell\n        classifier: mini.skops\n        threshold: {threshold}\n"
        "      - id: ikke_aktuelt_ord\n")
    path = tmp_path / "kodebok.yaml"
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def test_code_level_rule_codes_its_own_code_with_its_threshold(mini, tmp_path):
    codebook = _codebook_with_rule(tmp_path, 0.3)
    model = train_model(mini["corpus"].answers, mini["gold"], codebook, keyword_codings=mini["keyword"],
                        scope=mini["train"], settings={"cv": 3})
    save_model(model, tmp_path / "mini.skops")
    coded = apply_classifier_rules(answers_of(mini, mini["heldout"]), codebook, mini["keyword"])
    assert set(coded["code_id"]) == {"ikke_aktuelt"} and set(coded["rule_id"]) == {"ia_modell"}
    assert coded["score"].min() >= 0.3
    assert {"0024", "0027", "0030"} <= set(coded["case_id"])  # "Ikke aktuelt nå.", "Ikke prioritert nå.", ...


def test_code_level_rule_for_a_code_the_model_could_not_learn_is_refused(mini, tmp_path):
    codebook = _codebook_with_rule(tmp_path, 0.5)
    model = train_model(mini["corpus"].answers, mini["gold"], codebook, keyword_codings=mini["keyword"],
                        scope=mini["train"], settings={"cv": 3, "min_positives": 5})
    save_model(model, tmp_path / "mini.skops")
    with pytest.raises(ModelError) as info:
        apply_classifier_rules(answers_of(mini, mini["heldout"]), codebook, mini["keyword"])
    assert str(info.value) == (f"{tmp_path / 'mini.skops'}: model has not learned code 'ikke_aktuelt' (4 positive "
                               "example(s), need 5), yet a rule of that code uses it; hand-code more examples and "
                               "retrain, or remove the rule")


# --- calibration, trade-off and the learned combination --------------------------------------------

def test_cross_validation_stores_calibration_tradeoff_and_union_thresholds(mini):
    clf = mini["model"].classifier
    n_codes = len(clf.classes_)
    assert clf.calibration_.shape == (n_codes, 2) and (clf.calibration_[:, 0] > 0).all()
    assert clf.cv_counts_.shape == (n_codes, len(clf.threshold_grid_), 3)
    # at every threshold TP + FN is the number of positive training answers of the code
    positives = mini["model"].metadata["training"]["positives"]
    for j, code in enumerate(clf.classes_):
        assert set(clf.cv_counts_[j, :, 0] + clf.cv_counts_[j, :, 2]) == {positives[code]}
        # the chosen threshold is the grid point with the best out-of-fold F1
        tp, fp, fn = clf.cv_counts_[j].T
        f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0)
        chosen = int(np.argmin(np.abs(clf.threshold_grid_ - clf.thresholds_[j])))
        assert f1[chosen] == f1.max() and f1[chosen] == pytest.approx(clf.cv_f1_[j])
    assert ((clf.union_thresholds_ >= 0.05) & (clf.union_thresholds_ <= 1.01)).all()
    assert mini["model"].union_thresholds == {c: float(t) for c, t in zip(clf.classes_, clf.union_thresholds_)}


def test_calibration_is_monotone_so_it_keeps_the_ranking(mini):
    answers = mini["corpus"].answers
    calibrated = predict_scores(mini["model"], answers, mini["keyword"])
    clf = mini["model"].classifier
    saved = clf.calibration_.copy()
    try:
        clf.calibration_ = np.tile([1.0, 0.0], (len(clf.classes_), 1))
        raw = predict_scores(mini["model"], answers, mini["keyword"])
    finally:
        clf.calibration_ = saved
    for code in calibrated.columns:
        order = np.argsort(raw[code].to_numpy(), kind="stable")
        assert (np.diff(calibrated[code].to_numpy()[order]) >= -1e-12).all()


def test_round_trip_keeps_the_new_learned_arrays(mini, model_file):
    loaded = load_model(model_file, mini["codebook"]).classifier
    for name in ("calibration_", "threshold_grid_", "cv_counts_", "union_thresholds_", "union_cv_f1_",
                 "combination_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(mini["model"].classifier, name))


def test_model_state_without_the_new_arrays_still_loads(mini):
    from fritekst.rules.classifier import AnswerClassifier

    state = mini["model"].classifier.get_state()
    for key in ("calibration", "threshold_grid", "cv_counts", "union_thresholds", "union_cv_f1", "combination"):
        del state[key]
    old = AnswerClassifier.from_state(state)
    np.testing.assert_array_equal(old.union_thresholds_, old.thresholds_)
    assert set(old.combination_) == {1}  # a model from before the per-code choice: a plain union
    np.testing.assert_array_equal(old.calibration_, np.tile([1.0, 0.0], (len(old.classes_), 1)))


def test_model_state_without_the_combination_reads_never_as_keyword_rules_alone(mini):
    from fritekst.rules.fitted import ClassifierModel, FittedClassifier

    state = mini["model"].classifier.get_state()
    del state["combination"]
    state["union_thresholds"] = np.array([1.01, 0.3, 0.4])
    model = ClassifierModel(FittedClassifier.from_state(state), mini["model"].metadata)
    assert model.combination == {"okonomi": "keyword", "ser_behov": "union", "ikke_aktuelt": "union"}
    assert model.replaced_codes == set()


def test_tradeoff_table_comes_from_the_stored_counts(mini):
    from fritekst.analysis.evaluate import threshold_tradeoff

    table = threshold_tradeoff(mini["model"], points=(0.5,))
    assert table["code_id"].tolist() == ["okonomi", "ser_behov", "ikke_aktuelt"]
    assert table["positives"].tolist() == [11, 9, 4]
    clf = mini["model"].classifier
    j = clf.classes_.index("okonomi")
    tp, fp, fn = clf.cv_counts_[j][int(np.argmin(np.abs(clf.threshold_grid_ - 0.5)))]
    row = table.iloc[0]
    assert row["P@0.5"] == pytest.approx(tp / (tp + fp)) and row["R@0.5"] == pytest.approx(tp / (tp + fn))


def test_learned_policy_adds_classifier_codings_at_the_union_thresholds(mini):
    answers = answers_of(mini, mini["heldout"])
    model = mini["model"]
    at_union = predict_codings(model, answers, mini["keyword"], thresholds=model.union_thresholds)
    combined = combine_codings(mini["keyword"], at_union, "learned")
    assert len(combined) == len(mini["keyword"]) + len(at_union)
    never = {c: 1.01 for c in model.codes}
    assert predict_codings(model, answers, mini["keyword"], thresholds=never).empty


def test_evaluate_shows_each_codes_threshold_tradeoff(mini, model_file):
    result = CliRunner().invoke(__import__("fritekst.cli", fromlist=["main"]).main, [
        "evaluate", "--codebook", str(DATA / "kodebok.yaml"), "--gold", str(DATA / "gull.csv"), "--scope",
        str(DATA / "split.csv"), "--split", "heldout", "--model", str(model_file), "--corpus", str(DATA / "svar.csv"),
        "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Threshold trade-off of"))
    assert "out-of-fold on its 27 training answers" in lines[head]
    clf = mini["model"].classifier
    okonomi = lines[head + 2].split()
    assert okonomi[:3] == ["okonomi", "11", f"{clf.thresholds_[0]:.3f}"]
    assert okonomi[3:5] == [f"union@{clf.union_thresholds_[0]:.3f}", f"{clf.union_cv_f1_[0]:.2f}"]


def test_evaluate_tradeoff_speaks_norwegian_by_default(model_file):
    result = CliRunner().invoke(__import__("fritekst.cli", fromlist=["main"]).main, [
        "evaluate", "--codebook", str(DATA / "kodebok.yaml"), "--gold", str(DATA / "gull.csv"), "--scope",
        str(DATA / "split.csv"), "--split", "heldout", "--model", str(model_file), "--corpus", str(DATA / "svar.csv")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Terskelavveiing for"))
    assert "utenfor fold på de 27 treningssvarene" in lines[head]
    assert lines[head + 1].split()[:5] == ["kode", "pos", "valgt", "learned", "F1"]
    assert lines[head + 2].split()[3].startswith("begge@")
    assert lines[head + 5].startswith("learned: hva kombinasjonen «learned» gjør med koden")
