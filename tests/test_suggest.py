"""What to hand-code next: uncertain answers and answers no rule codes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fritekst.errors import ModelWarning
from click.testing import CliRunner

from fritekst.cli.suggest import suggest_command
from fritekst.rules.model_file import save_model
from fritekst.coding.suggest import suggest_answers
from conftest import train_mini_model

DATA = Path(__file__).parent / "data" / "classifier"

ANSWERS = pd.DataFrame({"case_id": ["1", "2", "3", "4", "5"], "question": ["q"] * 5,
                        "text": ["ingen midler", "kanskje", "vet ikke helt", "ser behov", "tja"]})
CODED = pd.DataFrame({"case_id": ["1", "4"], "question": ["q", "q"], "code_id": ["okonomi", "ser_behov"],
                      "method": ["keyword", "keyword"], "score": [1.0, 1.0]})
SCORES = pd.DataFrame({"okonomi": [0.95, 0.45, 0.05, 0.10, 0.30], "ser_behov": [0.05, 0.10, 0.62, 0.90, 0.20]})
THRESHOLDS = {"okonomi": 0.5, "ser_behov": 0.6}


def test_uncertain_answers_closest_to_a_threshold_come_first():
    found = suggest_answers(ANSWERS, CODED, SCORES, THRESHOLDS, n=3)
    uncertain = found[found["reason"] == "uncertain"]
    # margins: 1 -> 0.45 (okonomi), 2 -> 0.05 (okonomi), 3 -> 0.02 (ser_behov), 4 -> 0.30, 5 -> 0.20
    assert uncertain[["case_id", "code_id", "margin"]].values.tolist() == [
        ["3", "ser_behov", 0.02], ["2", "okonomi", 0.05], ["5", "okonomi", 0.2]]
    assert uncertain["score"].tolist() == [0.62, 0.45, 0.3]


def test_answers_without_any_theme_longest_first():
    found = suggest_answers(ANSWERS, CODED, None, None, n=2)
    assert found[["case_id", "reason", "text"]].values.tolist() == [["3", "no theme", "vet ikke helt"],
                                                                    ["2", "no theme", "kanskje"]]
    assert np.isnan(found["score"]).all()


def test_hand_coded_answers_are_not_suggested_again():
    manual = pd.DataFrame({"case_id": ["3"], "question": ["q"], "code_id": ["ser_behov"], "decision": ["no"]})
    found = suggest_answers(ANSWERS, CODED, SCORES, THRESHOLDS, manual=manual, n=5)
    assert "3" not in set(found["case_id"])
    assert found.loc[found["reason"] == "uncertain", "case_id"].tolist() == ["2", "5", "4", "1"]


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    model = train_mini_model()["model"]
    path = tmp_path_factory.mktemp("suggest") / "mini.skops"
    save_model(model, path)
    return path


def test_cli_suggest_lists_and_writes_suggestions(model_file, tmp_path):
    out = tmp_path / "neste.csv"
    sheet = tmp_path / "neste.xlsx"
    result = CliRunner().invoke(suggest_command, [
        "--codebook", str(DATA / "kodebok.yaml"), "--model", str(model_file), "--corpus", str(DATA / "svar.csv"),
        "--question", "grunn", "--hand", str(DATA / "hand.csv"), "-n", "3", "--out", str(out), "--sheet", str(sheet)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines[:6]] == ["usikker"] * 3 + ["uten", "uten", "uten"]
    assert lines[-2:] == [f"Skrev forslagene til {out}", f"Skrev vurderingsarket til {sheet}"]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    decided = {"0001", "0002", "0006", "0014", "0036"}  # answers in hand.csv
    assert not decided & {row["case_id"] for row in rows}
    margins = [float(row["margin"]) for row in rows if row["reason"] == "uncertain"]
    assert margins == sorted(margins)


def test_cli_suggest_without_a_classifier_lists_uncoded_answers():
    result = CliRunner().invoke(suggest_command, ["--codebook", str(DATA / "kodebok.yaml"), "--corpus",
                                                  str(DATA / "svar.csv"), "--question", "grunn", "-n", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Ingen klassifikator (gi --model eller legg en til i kodeboka)")
    # the two longest answers no keyword rule codes ("Brukarane etterspør det og det styrker tenestene.", ...)
    assert [line.split()[:3] for line in lines[1:]] == [["uten", "tema", "0019"], ["uten", "tema", "0023"]]


def test_cli_suggest_uses_a_model_older_than_the_codebook(model_file):
    # a model binds to code ids: a code added since training is only a warning
    with pytest.warns(ModelWarning, match="codes added since: rekruttering"):
        result = CliRunner().invoke(suggest_command, ["--codebook", str(DATA / "kodebok_endret.yaml"), "--model",
                                                      str(model_file), "--corpus", str(DATA / "svar.csv"),
                                                      "--question", "grunn"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("lang", "point"), [("nb", ","), ("en", ".")])
def test_terminal_scores_have_the_language_decimal_mark_and_the_csv_keeps_points(model_file, tmp_path, lang,
                                                                                 point):
    out = tmp_path / "neste.csv"
    result = CliRunner().invoke(suggest_command, [
        "--codebook", str(DATA / "kodebok.yaml"), "--model", str(model_file), "--corpus", str(DATA / "svar.csv"),
        "--question", "grunn", "-n", "2", "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["reason"] == "uncertain"]
    assert len(rows) == 2
    for row in rows:
        # the CSV is for programs: a point, whatever the language of the summary
        assert re.fullmatch(r"0\.\d+", row["score"]) and re.fullmatch(r"0\.\d+", row["threshold"])
        shown = (f"{row['code_id']} p={float(row['score']):.2f} ".replace(".", point)
                 + {"nb": "(terskel", "en": "(threshold"}[lang]
                 + f" {float(row['threshold']):.2f})".replace(".", point))
        assert any(shown in line and row["case_id"] in line for line in result.output.splitlines()), (shown, result.output)
