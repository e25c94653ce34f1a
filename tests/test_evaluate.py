"""Evaluation against hand codings: the arithmetic, the scope, honesty about training data, the CLI."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from fritekst.cli.evaluate import evaluate_command
from fritekst.coding.codings_io import read_scope
from fritekst.errors import InputError
from fritekst.analysis.evaluate import (comparison_table, cross_validated_codings, evaluate_codings, evaluate_methods,
                               write_disagreements)
from fritekst.rules.model_file import save_model
from conftest import invoke, train_mini_model

DATA = Path(__file__).parent / "data" / "classifier"
COLUMNS = ["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"]


def frame(rows, columns=COLUMNS):
    return pd.DataFrame(rows, columns=columns)


# Six answers in scope, codes a, b, c. Answer 9 is outside the scope.
SCOPE = pd.DataFrame({"case_id": list("123456"), "question": ["q"] * 6})
GOLD = frame([("1", "q", "a", 0, 5, "manual", "", 1.0, "yes"), ("2", "q", "a", 0, 5, "manual", "", 1.0, "yes"),
              ("3", "q", "a", 0, 5, "manual", "", 1.0, "yes"), ("4", "q", "b", 0, 5, "manual", "", 1.0, "yes"),
              ("6", "q", "a", 0, 5, "manual", "", 1.0, "no")], COLUMNS + ["decision"])
AUTO = frame([("1", "q", "a", 0, 3, "keyword", "a1", 1.0), ("2", "q", "a", 0, 3, "keyword", "a1", 1.0),
              ("5", "q", "a", 0, 3, "keyword", "a1", 1.0), ("4", "q", "b", 0, 3, "keyword", "b1", 1.0),
              ("6", "q", "b", 0, 9, "classifier", "m", 0.7), ("9", "q", "a", 0, 3, "keyword", "a1", 1.0)])
TEXTS = pd.DataFrame({"case_id": list("123456"), "question": ["q"] * 6,
                      "text": ["=en", "to", "tre", "fire", "fem", "seks"]})


def test_per_code_micro_and_macro_by_hand():
    result = evaluate_codings(AUTO, GOLD, SCOPE, ["a", "b", "c"], TEXTS, name="keyword")
    per_code = result.per_code.set_index("code_id")
    # a: gold {1,2,3}, auto {1,2,5} (answer 9 is out of scope): TP 2, FP 1, FN 1
    assert per_code.loc["a", ["tp", "fp", "fn"]].tolist() == [2, 1, 1]
    assert per_code.loc["a", "precision"] == pytest.approx(2 / 3)
    assert per_code.loc["a", "f1"] == pytest.approx(4 / 6)          # 2TP / (2TP + FP + FN)
    # b: gold {4}, auto {4,6}: TP 1, FP 1, FN 0 -> P 1/2, R 1, F1 2/3
    assert per_code.loc["b", ["tp", "fp", "fn"]].tolist() == [1, 1, 0]
    assert per_code.loc["b", "recall"] == 1.0
    # c: never in gold or output: undefined, and left out of the macro average
    assert math.isnan(per_code.loc["c", "precision"]) and math.isnan(per_code.loc["c", "f1"])
    # micro: TP 3, FP 2, FN 1 -> P 3/5, R 3/4, F1 6/9
    assert (result.micro["tp"], result.micro["fp"], result.micro["fn"]) == (3, 2, 1)
    assert result.micro["precision"] == pytest.approx(0.6)
    assert result.micro["recall"] == pytest.approx(0.75)
    assert result.micro["f1"] == pytest.approx(6 / 9)
    # macro over a and b: P (2/3 + 1/2)/2, R (2/3 + 1)/2, F1 (2/3 + 2/3)/2
    assert result.macro == pytest.approx({"precision": 7 / 12, "recall": 5 / 6, "f1": 2 / 3, "n_codes": 2})
    # exact code sets on answers 1, 2 and 4 of 6
    assert result.exact_match == 0.5
    assert result.n_answers == 6 and result.notes == []


def test_disagreements_list_false_positives_by_confidence_then_false_negatives():
    result = evaluate_codings(AUTO, GOLD, SCOPE, ["a", "b"], TEXTS, name="keyword")
    rows = result.disagreements[["case_id", "code_id", "kind", "method", "score", "text"]].values.tolist()
    assert rows[:2] == [["5", "a", "false positive", "keyword", 1.0, "fem"],
                        ["6", "b", "false positive", "classifier", 0.7, "seks"]]
    assert rows[2][:4] == ["3", "a", "false negative", "manual"] and rows[2][5] == "tre"
    assert len(rows) == 3


def test_without_scope_the_gold_answers_are_the_scope_and_a_note_says_so():
    result = evaluate_codings(AUTO, GOLD, None, ["a", "b"])
    assert result.n_answers == 5  # answers 1, 2, 3, 4 and 6 are named in the gold file; 5 is not
    assert result.notes[0].startswith("no scope file: evaluated on the 5 answers named in the gold file")
    assert result.per_code.set_index("code_id").loc["a", "fp"] == 0  # answer 5 is out of sight


def test_comparison_table_puts_evaluations_side_by_side():
    keyword = evaluate_codings(AUTO[AUTO["method"] == "keyword"], GOLD, SCOPE, ["a", "b"], name="keyword")
    both = evaluate_codings(AUTO, GOLD, SCOPE, ["a", "b"], name="combined")
    table = comparison_table([keyword, both])
    assert table["code_id"].tolist() == ["a", "b", "micro", "macro"]
    assert table.columns.tolist() == ["code_id", "n_gold", "keyword P", "keyword R", "keyword F1",
                                      "combined P", "combined R", "combined F1"]
    assert table.loc[1, "keyword P"] == 1.0 and table.loc[1, "combined P"] == 0.5


def test_disagreements_file_is_spreadsheet_safe(tmp_path):
    result = evaluate_codings(AUTO, GOLD, SCOPE, ["a", "b"], TEXTS.assign(text=["x", "y", "=SUM(A1)", "f", "g", "h"]))
    path = tmp_path / "uenige.csv"
    assert write_disagreements(path, [result]) == 3
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["evaluation", "case_id", "question", "code_id", "kind", "method", "rule_id", "score", "text"]
    assert rows[3][4] == "false negative" and rows[3][8] == "'=SUM(A1)" and rows[3][7] == ""


# --- on the mini corpus ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    found = train_mini_model()
    path = tmp_path_factory.mktemp("eval") / "mini.skops"
    save_model(found["model"], path)
    found["model"].path = path
    return {**found, "model_file": path}


def test_keyword_classifier_and_combined_side_by_side_on_heldout(mini):
    results = evaluate_methods(mini["corpus"].answers, mini["gold"], mini["codebook"], mini["keyword"],
                               mini["heldout"], model=mini["model"], policy="union")
    assert [r.name for r in results] == ["keyword", "classifier (mini.skops)", "combined: union"]
    keyword, classifier, combined = (r.micro["f1"] for r in results)
    # keyword rules find 7 of the 13 held-out codings, all correct: F1 = 2*7 / (2*7 + 0 + 6)
    assert (results[0].micro["tp"], results[0].micro["fp"], results[0].micro["fn"]) == (7, 0, 6)
    assert keyword == pytest.approx(14 / 20)
    assert classifier > keyword and combined >= keyword


def test_a_model_is_never_scored_on_its_training_answers(mini):
    with pytest.raises(InputError) as info:
        evaluate_methods(mini["corpus"].answers, mini["gold"], mini["codebook"], mini["keyword"], mini["train"],
                         model=mini["model"])
    assert str(info.value) == (f"{mini['model_file']}: trained on 27 of the 27 answers in scope (e.g. case 0001, "
                               "grunn), so its figures would be measured on training data; evaluate on "
                               "the held-out split or by cross-validation")


def test_cross_validated_codings_are_out_of_fold_and_deterministic(mini):
    scope = read_scope(DATA / "split.csv")
    first = cross_validated_codings(mini["corpus"].answers, mini["gold"], mini["codebook"], mini["keyword"],
                                    scope, folds=4, settings={"cv": 3}, seed=1)
    again = cross_validated_codings(mini["corpus"].answers, mini["gold"], mini["codebook"], mini["keyword"],
                                    scope, folds=4, settings={"cv": 3}, seed=1)
    assert first.equals(again)
    assert set(first["rule_id"]) == {"classifier:cv"}
    assert set(first["case_id"]) <= set(scope["case_id"])
    with pytest.raises(InputError, match="1 folds: cross-validation needs between 2 and 40 folds"):
        cross_validated_codings(mini["corpus"].answers, mini["gold"], mini["codebook"], mini["keyword"], scope, folds=1)


def run(args):
    return invoke(evaluate_command, *args)


def test_cli_evaluate_heldout_with_model(mini, tmp_path):
    out = tmp_path / "uenige.csv"
    result = run(["--codebook", DATA / "kodebok.yaml", "--gold", DATA / "gull.csv", "--scope", DATA / "split.csv",
                  "--split", "heldout", "--corpus", DATA / "svar.csv", "--model", mini["model_file"],
                  "--policy", "fallback", "--disagreements", out, "--top", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (f"Evaluert på 13 svar ({DATA / 'split.csv'}, del heldout) mot "
                        f"{DATA / 'gull.csv'}; riktig kode på svaret")
    assert "keyword" in lines[1] and "classifier (mini.skops)" in lines[1] and "combined: fallback" in lines[1]
    assert [line.split()[0] for line in lines[3:6]] == ["okonomi", "ser_behov", "ikke_aktuelt"]
    assert any(line.startswith("keyword: mikro-F1 0,70, makro-F1") for line in lines)
    written = int(lines[-1].split()[1])
    assert lines[-1] == f"Skrev {written} uenigheter til {out}"
    with out.open(encoding="utf-8-sig") as handle:
        assert sum(1 for _ in handle) == written + 1


def test_cli_evaluate_refuses_scoring_on_training_data(mini):
    result = run(["--codebook", DATA / "kodebok.yaml", "--gold", DATA / "gull.csv", "--scope", DATA / "split.csv",
                  "--split", "train", "--corpus", DATA / "svar.csv", "--model", mini["model_file"]])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {mini['model_file']}: trained on 27 of the 27 answers in scope")
    assert len(result.output.splitlines()) == 1


def test_cli_evaluate_a_codings_file_by_method(mini, tmp_path):
    refs = tmp_path / "refs.csv"
    refs.write_text("case_id,question,code_id,start,end,method,rule_id,score\n"
                    "0001,grunn,okonomi,18,25,keyword,okonomi_ord,1\n"
                    "0006,grunn,okonomi,0,33,classifier,m,0.8\n"
                    "0007,grunn,okonomi,0,34,manual,,1\n", encoding="utf-8-sig")
    result = run(["--codings", refs, "--gold", DATA / "gull.csv", "--codebook", DATA / "kodebok.yaml", "--top", "0"])
    assert result.exit_code == 0, result.output
    assert "Note: 1 manual codings in" in result.output
    assert "Note: no scope file: evaluated on the 33 answers named in the gold file" in result.output
    lines = result.output.splitlines()
    assert any(line.startswith("classifier rows: mikro-F1 0,05") for line in lines)   # 1 TP of 37 gold
    assert any(line.startswith("keyword rows: mikro-F1 0,05") for line in lines)
    assert any(line.startswith("all codings: mikro-F1 0,10") for line in lines)       # 2 TP: 4 / (4 + 35)


@pytest.mark.parametrize("args, message", [
    (["--gold", "gull.csv", "--split", "heldout", "--codebook", "kodebok.yaml"], "--split needs --scope"),
    (["--gold", "gull.csv"], "give --codings FILE to evaluate, or --codebook FILE"),
    (["--gold", "gull.csv", "--codings", "refs.csv", "--cv", "5"], "--model and --cv code the answers now"),
])
def test_cli_evaluate_usage_errors(args, message):
    result = run(args)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_evaluate_missing_gold_file_is_one_line(tmp_path):
    missing = tmp_path / "borte.csv"
    result = run(["--gold", missing, "--codebook", DATA / "kodebok.yaml", "--corpus", DATA / "svar.csv"])
    assert result.exit_code == 2
    assert result.output == f"Error: {missing}: gold file not found; check the path [E101]\n"
