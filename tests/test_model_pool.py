"""fritekst train --pool, and policy learned's per-code choice (keyword rules, union, or the classifier
in place of the rules), from training to coding."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from fritekst.cli import main
from fritekst.coding.classify import code_with_classifiers
from fritekst.coding.coder import code_corpus, keyword_codings
from fritekst.rules.codebook import load_codebook
from fritekst.rules.model_file import load_model
from fritekst.sources.corpus import load_corpus

DATA = Path(__file__).parent / "data" / "classifier"
POOL = DATA / "pool" / "midler.csv"
#: Answers none of the pool's: money named as there (the sloppy rule "midl*" codes them) and as lacking.
FRESH = pd.DataFrame({"case_id": ["n1", "n2", "n3"], "question": ["grunn"] * 3,
                      "text": ["Midlene til tiltaket er på plass, men vi ser ikke behovet.",
                               "Vi mangler midler til tiltaket.",
                               "Vi ser et klart behov for brukerperspektivet."]})


def train(args: list[str], tmp_path: Path, name: str = "slurvete.skops") -> tuple[object, Path]:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["train", "--codebook", str(DATA / "pool" / "slurvete.yaml"), *args,
                                       "--out", str(out), "--cv", "3", "--lang", "en"])
    return result, out


@pytest.fixture(scope="module")
def sloppy(tmp_path_factory):
    """The sloppy codebook next to a model trained on the pool alone (the codebook names it)."""
    folder = tmp_path_factory.mktemp("slurvete")
    shutil.copy(DATA / "pool" / "slurvete.yaml", folder / "slurvete.yaml")
    result, out = train(["--pool", str(POOL)], folder)
    assert result.exit_code == 0, result.output
    return {"folder": folder, "output": result.output, "model": load_model(out),
            "codebook": load_codebook(folder / "slurvete.yaml")}


def test_train_on_a_pool_file_alone(sloppy):
    lines = sloppy["output"].splitlines()
    assert lines[1] == "46 hand-coded answers (grunn), 46 segments, keyword hits as features"
    model = sloppy["model"]
    assert model.metadata["training"]["source"] == str(POOL)
    # case ids carry the pool file's folder and name, so they never meet the corpus's or evaluate --answers'
    assert model.metadata["training"]["keys"]["case_id"][:2] == ["pool/midler.csv:10", "pool/midler.csv:11"]
    assert model.metadata["training"]["positives"] == {"okonomi": 24, "ser_behov": 4, "ikke_aktuelt": 0}


def test_the_classifier_replaces_a_sloppy_rule_and_the_summary_says_so(sloppy):
    model = sloppy["model"]
    # "midl*" codes every answer naming money; out of fold the classifier alone does better. "behov*"
    # codes ser_behov perfectly out of fold: a union ties with the rules alone, and a tie goes to the
    # rules when they did at least as well as the classifier (union_ties "better")
    assert model.combination == {"okonomi": "classifier", "ser_behov": "keyword"}
    assert model.replaced_codes == {"okonomi"}
    clf = model.classifier
    row = next(line for line in sloppy["output"].splitlines() if line.startswith("okonomi"))
    assert row.split() == ["okonomi", "24", f"{clf.thresholds_[0]:.3f}", f"{clf.cv_f1_[0]:.2f}",
                           f"classifier@{clf.union_thresholds_[0]:.3f}", f"{clf.union_cv_f1_[0]:.2f}"]
    assert "ikke_aktuelt" in sloppy["output"] and "(not learned: 0 positive example(s), need 3)" in sloppy["output"]


def test_policy_learned_drops_the_sloppy_rules_codings_where_union_keeps_them(sloppy):
    codebook = sloppy["codebook"]
    keyword = code_corpus_frame(FRESH, codebook)
    assert sorted(keyword.loc[keyword["code_id"] == "okonomi", "case_id"]) == ["n1", "n2"]
    learned = code_with_classifiers(FRESH, codebook, keyword, "learned")
    union = code_with_classifiers(FRESH, codebook, keyword, "union")
    coded = {(r.case_id, r.code_id, r.method) for r in learned.itertuples()}
    assert ("n1", "okonomi", "keyword") not in coded and ("n2", "okonomi", "classifier") in coded
    assert not any(c == "n1" and k == "okonomi" for c, k, _ in coded)
    assert ("n3", "ser_behov", "keyword") in coded  # a code left to its rules keeps its keyword coding
    assert ("n1", "okonomi", "keyword") in {(r.case_id, r.code_id, r.method) for r in union.itertuples()}


def test_the_coder_applies_the_learned_choice_of_the_codebooks_model(sloppy, tmp_path):
    answers = tmp_path / "svar.csv"
    FRESH.rename(columns={"text": "grunn"})[["case_id", "grunn"]].to_csv(answers, index=False)
    corpus = load_corpus(answers, "case_id", ["grunn"])
    codings = code_corpus(corpus, [sloppy["codebook"]])
    okonomi = codings[codings["code_id"] == "okonomi"]
    assert okonomi["case_id"].tolist() == ["n2"] and okonomi["method"].tolist() == ["classifier"]


def code_corpus_frame(answers: pd.DataFrame, codebook) -> pd.DataFrame:
    from fritekst.sources.corpus import Corpus

    corpus = Corpus(cases=answers[["case_id"]], answers=answers, questions=["grunn"], source=POOL)
    return keyword_codings(corpus, codebook)


def test_pool_beside_gold_adds_its_answers(tmp_path):
    result, out = train(["--gold", str(DATA / "gull.csv"), "--scope", str(DATA / "split.csv"), "--split", "train",
                         "--corpus", str(DATA / "svar.csv"), "--pool", str(POOL)], tmp_path)
    assert result.exit_code == 0, result.output
    training = load_model(out).metadata["training"]
    assert training["n_answers"] == 27 + 46
    assert training["source"] == f"{DATA / 'gull.csv'} (split train) + {POOL}"


def test_training_on_the_pool_is_deterministic(tmp_path):
    first = train(["--pool", str(POOL), "--seed", "3"], tmp_path, "a.skops")[1]
    second = train(["--pool", str(POOL), "--seed", "3"], tmp_path, "b.skops")[1]
    same(load_model(first).classifier.get_state(), load_model(second).classifier.get_state())
    model = load_model(first)
    assert model.metadata["settings"]["random_state"] == 3


def same(a, b) -> None:
    """Plain data equal all the way down (arrays element by element)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b or (a != a and b != b)


@pytest.mark.parametrize("content, message", [
    ("question,text,codes\n", ": pool file has no answers; expected rows of question,text,codes (an empty codes "
                              "cell is an answer with no code) [E409]"),
    ("question,text,codes\ngrunn,Ingen midler,okonomi\ngrunn,,\n",
     ":3: empty text; every pool row needs the answer's text (delete the row or fill it in) [E410]"),
    ("question,text,codes\ngrunn,Ingen midler,okonmi\n",
     ":2: unknown code 'okonmi'; expected codes of the codebook: okonomi, ser_behov, ikke_aktuelt [E112]"),
    ("question,tekst\ngrunn,Ingen midler\n",
     ": missing column text, codes; expected columns case_id,question,text,codes (codes separated by ';') [E106]"),
])
def test_a_bad_pool_file_is_one_error_line(tmp_path, content, message):
    pool = tmp_path / "pool.csv"
    pool.write_text(content, encoding="utf-8")
    result, out = train(["--pool", str(pool)], tmp_path)
    assert result.exit_code == 2
    assert result.output == f"Error: {pool}{message}\n"
    assert not out.exists()


def test_the_same_pool_file_twice_is_refused(tmp_path):
    result, out = train(["--pool", str(POOL), "--pool", str(POOL.parent / ".." / "pool" / "midler.csv")], tmp_path)
    assert result.exit_code == 2
    assert result.output == (f"Error: {POOL.parent / '..' / 'pool' / 'midler.csv'}: pool file given twice (also as "
                             f"{POOL}); give each --pool file once [E408]\n")
    assert not out.exists()


def test_train_needs_some_training_data(tmp_path):
    result, _ = train([], tmp_path)
    assert result.exit_code == 2
    assert "give --gold FILE (hand codings), --pool FILE (answers with their codes)" in result.output


@pytest.mark.parametrize("policy, combined", [("learned", "1.00"), ("union", "0.76")])
def test_cross_validated_evaluation_applies_each_fold_models_choice(policy, combined):
    # out of fold, the sloppy rule's false positives stay in the union; learned drops them fold by fold
    result = CliRunner().invoke(main, ["evaluate", "--codebook", str(DATA / "pool" / "slurvete.yaml"), "--answers",
                                       str(POOL), "--cv", "3", "--policy", policy, "--top", "0", "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "keyword: micro F1 0.76, macro F1 0.86, exact code set on 61% of answers" in lines
    assert lines[-1].startswith(f"combined: {policy}: micro F1 {combined},")


def test_a_model_is_refused_on_the_pool_file_it_was_trained_on(sloppy):
    model = sloppy["folder"] / "slurvete.skops"
    result = CliRunner().invoke(main, ["evaluate", "--codebook", str(sloppy["folder"] / "slurvete.yaml"),
                                       "--answers", str(POOL), "--model", str(model), "--top", "0"])
    assert result.exit_code == 2
    assert result.output == (f"Error: {model}: trained on 46 of the 46 answers in scope (e.g. case "
                             "pool/midler.csv:2, grunn), so its figures would be measured on training data; "
                             "evaluate on the held-out split or by cross-validation [E407]\n")
