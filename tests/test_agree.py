"""Inter-coder agreement: statistics checked against values worked out by hand, and the CLI."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from fritekst.analysis.agree import agreement, cohen_kappa, krippendorff_alpha_nominal
from fritekst.cli.agree import agree_command
from fritekst.coding.codings_io import read_codings, read_scope

DATA = Path(__file__).parent / "data" / "classifier"


def test_cohen_kappa_by_hand():
    # 10 answers; coder A says yes on 1-4, coder B on 1-3 and 5.
    a = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    b = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]
    # p_o = (3 both yes + 5 both no) / 10 = 0.8
    # p_e = 0.4 * 0.4 + 0.6 * 0.6 = 0.52
    # kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 7/12
    assert cohen_kappa(a, b) == pytest.approx(7 / 12)


def test_cohen_kappa_is_undefined_without_variation():
    assert math.isnan(cohen_kappa([0, 0, 0], [0, 0, 0]))  # p_e = 1
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)


def test_krippendorff_alpha_by_hand():
    # Same 10 answers as above, as units of two values each.
    units = [[1, 1]] * 3 + [[1, 0], [0, 1]] + [[0, 0]] * 5
    # Coincidences: each unit of 2 values gives 2 ordered pairs of weight 1/(2-1) = 1.
    # o(1,1) = 3*2 = 6, o(1,0) = o(0,1) = 2, o(0,0) = 5*2 = 10
    # n_1 = 6 + 2 = 8, n_0 = 10 + 2 = 12, n = 20
    # alpha = 1 - (n - 1) * D_o / sum_{c != k} n_c n_k = 1 - 19 * 4 / (2 * 8 * 12) = 1 - 76/192
    assert krippendorff_alpha_nominal(units) == pytest.approx(1 - 76 / 192)


def test_krippendorff_alpha_with_missing_values_by_hand():
    # Three coders; None = the coder did not code that unit.
    units = [[1, 1, 1], [1, 0, None], [0, 0, 0], [0, None, None]]
    # unit 1: m = 3, 6 ordered pairs (1,1) of weight 1/2 -> o(1,1) = 3
    # unit 2: m = 2 -> o(1,0) = o(0,1) = 1
    # unit 3: m = 3 -> o(0,0) = 3; unit 4: one value, not pairable
    # n_1 = 3 + 1 = 4, n_0 = 3 + 1 = 4, n = 8, D_o = 2
    # alpha = 1 - 7 * 2 / (2 * 4 * 4) = 1 - 14/32
    assert krippendorff_alpha_nominal(units) == pytest.approx(1 - 14 / 32)


def test_krippendorff_alpha_reproduces_the_published_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units,
    # nominal alpha = 0.743.
    n = None
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3]
    c = [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]
    assert round(krippendorff_alpha_nominal(list(zip(a, b, c, d))), 3) == 0.743


def test_alpha_is_undefined_when_one_value_is_used():
    assert math.isnan(krippendorff_alpha_nominal([[0, 0], [0, 0]]))


def coder(rows):
    return pd.DataFrame(rows, columns=["case_id", "question", "code_id", "decision"])


def test_agreement_per_code_over_a_scope():
    a = read_codings(DATA / "koder_a.csv", default_method="manual")
    b = read_codings(DATA / "koder_b.csv", default_method="manual")
    result = agreement([a, b], ["A", "B"], code_ids=["okonomi", "ser_behov", "ikke_aktuelt"],
                       scope=read_scope(DATA / "agree_scope.csv"))
    table = result.per_code.set_index("code_id")
    assert table.loc["okonomi", "n_answers"] == 10 and table.loc["okonomi", "n_yes"] == 8
    assert table.loc["okonomi", "percent_agreement"] == pytest.approx(80.0)
    assert table.loc["okonomi", "kappa"] == pytest.approx(7 / 12)
    assert table.loc["okonomi", "alpha"] == pytest.approx(1 - 76 / 192)
    assert table.loc["ser_behov", ["percent_agreement", "kappa", "alpha"]].tolist() == [100.0, 1.0, 1.0]
    assert table.loc["ikke_aktuelt", "percent_agreement"] == 100.0
    assert math.isnan(table.loc["ikke_aktuelt", "kappa"]) and math.isnan(table.loc["ikke_aktuelt", "alpha"])
    # pooled: 30 answer × code units, disagreements only on answers 4 and 5 for okonomi
    assert table.loc["(all codes)", "n_answers"] == 30
    assert table.loc["(all codes)", "percent_agreement"] == pytest.approx(28 / 30 * 100)
    assert result.disagreements[["case_id", "code_id", "A", "B", "text"]].values.tolist() == [
        ["04", "okonomi", "yes", "no", ""], ["05", "okonomi", "no", "yes", "Trang økonomi"]]


def test_without_scope_the_answers_in_the_files_are_the_units():
    a = read_codings(DATA / "koder_a.csv", default_method="manual")
    b = read_codings(DATA / "koder_b.csv", default_method="manual")
    row = agreement([a, b], ["A", "B"]).per_code.set_index("code_id").loc["okonomi"]
    # answers 1-7 appear in a file. okonomi: both yes on 1-3, one each on 4 and 5, both no on 6, 7.
    # p_o = 5/7, p_A = p_B = 4/7, p_e = 16/49 + 9/49 = 25/49, kappa = (35/49 - 25/49) / (24/49) = 10/24
    assert row["n_answers"] == 7
    assert row["kappa"] == pytest.approx(10 / 24)
    # o(1,1) = 6, o(1,0) = o(0,1) = 2, o(0,0) = 4; n_1 = 8, n_0 = 6, n = 14; alpha = 1 - 13*4/96
    assert row["alpha"] == pytest.approx(1 - 52 / 96)


def test_three_coders_with_partial_coverage():
    # "no" rows mark answers a coder looked at without applying the code.
    a = coder([("1", "q", "x", "yes"), ("2", "q", "x", "yes"), ("3", "q", "x", "no"), ("4", "q", "x", "no")])
    b = coder([("1", "q", "x", "yes"), ("2", "q", "x", "no"), ("3", "q", "x", "no")])
    c = coder([("1", "q", "x", "yes"), ("3", "q", "x", "no")])
    result = agreement([a, b, c], ["A", "B", "C"], assume_complete=False)
    row = result.per_code.set_index("code_id").loc["x"]
    assert row["n_answers"] == 3                       # answer 4 has one value only
    assert row["alpha"] == pytest.approx(1 - 14 / 32)  # the missing-values example above
    assert row["percent_agreement"] == pytest.approx(200 / 3)  # all agree on answers 1 and 3
    pairs = result.pairs.set_index(["coder_a", "coder_b"])["kappa"]
    # A-B on answers 1-3: A (1,1,0), B (1,0,0): p_o 2/3, p_e 2/9 + 2/9 = 4/9, kappa (6/9-4/9)/(5/9) = 0.4
    assert pairs[("A", "B")] == pytest.approx(0.4)
    assert pairs[("A", "C")] == 1.0 and pairs[("B", "C")] == 1.0
    assert row["kappa"] == pytest.approx((0.4 + 1 + 1) / 3)  # Light's kappa: mean over pairs


def test_cli_agree_prints_the_table_and_writes_disagreements(tmp_path):
    out = tmp_path / "uenige.csv"
    result = CliRunner().invoke(agree_command, [str(DATA / "koder_a.csv"), str(DATA / "koder_b.csv"),
                                                "--scope", str(DATA / "agree_scope.csv"),
                                                "--disagreements", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    # pooled over okonomi and ser_behov (20 units): A and B each say yes 6 times, agree on 18.
    # kappa = (0.9 - (0.3*0.3 + 0.7*0.7)) / (1 - 0.58) = 0.32 / 0.42 = 0.76
    # alpha: o(1,1) = 10, o(1,0) = o(0,1) = 2, o(0,0) = 26; n_1 = 12, n_0 = 28; 1 - 39*4/(2*12*28) = 0.77
    assert result.output.splitlines() == [
        "Coders: koder_a, koder_b",
        "code        answers   yes  agree %      kappa   alpha",
        "okonomi          10     8     80.0       0.58    0.60",
        "ser_behov        10     4    100.0       1.00    1.00",
        "─" * 53,
        "(all codes)      20    12     90.0       0.76    0.77",
        "– : undefined (every coder gave every answer the same value)",
        "Disagreements (2 in all):",
        "  okonomi                04 q              koder_a=yes koder_b=no  ",
        "  okonomi                05 q              koder_a=no koder_b=yes  Trang økonomi",
        f"Wrote 2 disagreements to {out}",
    ]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[0] == ["case_id", "question", "code_id", "koder_a", "koder_b", "text"]


def test_cli_agree_unknown_code_is_one_line(tmp_path):
    result = CliRunner().invoke(agree_command, [str(DATA / "koder_a.csv"), str(DATA / "koder_b.csv"),
                                                "--codebook", str(DATA / "kodebok_annen.yaml")])
    assert result.exit_code == 0  # same code ids: fine
    bad = tmp_path / "c.csv"
    bad.write_text("case_id,question,code_id\n01,q,okonomii\n", encoding="utf-8")
    result = CliRunner().invoke(agree_command, [str(DATA / "koder_a.csv"), str(bad),
                                                "--codebook", str(DATA / "kodebok.yaml")])
    assert result.exit_code == 2
    assert result.output == f"Error: {bad}:2: unknown code id 'okonomii'; did you mean 'okonomi'? [E112]\n"


def test_cli_agree_needs_two_files():
    result = CliRunner().invoke(agree_command, [str(DATA / "koder_a.csv")])
    assert result.exit_code == 2
    assert "give at least two coders' files" in result.output
