"""`fritekst evaluate --curve`: the learning curve table, reproducible, on real files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fritekst.analysis.curve import seed_answers
from fritekst.cli import main
from fritekst.rules.codebook import load_codebook

DATA = Path(__file__).parent / "data" / "classifier"
REPO = Path(__file__).resolve().parent.parent


def _curve(sizes: str, *extra: str) -> list[str]:
    result = CliRunner().invoke(main, ["evaluate", "--curve", "--curve-sizes", sizes, "--codebook",
                                       str(DATA / "kodebok.yaml"), "--gold", str(DATA / "gull.csv"), "--scope",
                                       str(DATA / "split.csv"), "--corpus", str(DATA / "svar.csv"), *extra])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_curve_prints_one_row_per_size_and_is_reproducible() -> None:
    lines = _curve("0,10,100")
    assert lines[0].startswith("Learning curve of ")
    assert "plus N of 27 hand-coded answers (gull.csv train), 1 random draw(s)" in lines[0]
    assert lines[1] == "Scored on gull.csv heldout (13 answers)"
    rows = [line.split("│") for line in lines[3:]]
    # 27 train answers: 100 is capped; the keyword columns never change
    assert [r[0].strip() for r in rows] == ["0", "10", "27"]
    assert len({r[1] for r in rows}) == 1
    # no examples in this codebook and no hand codings: no classifier at N = 0, combined = keyword
    assert rows[0][2].split() == ["–", "0.00", "0.00"]
    assert rows[0][3].split() == rows[0][1].split()
    # all 27 answers learn every held-out code of this small set
    assert rows[2][2].split() == ["1.00", "1.00", "1.00"]
    assert _curve("0,10,100") == lines


def test_curve_averages_draws_and_scores_extra_sets(tmp_path) -> None:
    extra = tmp_path / "ekstra.csv"
    extra.write_text("case_id,question,text,codes\n1,grunn,Ingen midler i budsjettet,okonomi\n"
                     "2,grunn,Brukerne ønsker det,ser_behov\n", encoding="utf-8")
    lines = _curve("0,10", "--draws", "3", "--curve-test", str(extra))
    assert lines[0].endswith("(F1 mean ± sd over draws)") and "3 random draw(s)" in lines[0]
    assert "Scored on ekstra.csv (2 answers)" in lines
    ten = [line for line in lines if line.strip().startswith("10 ")]
    assert len(ten) == 2 and all(line.count("±") == 2 for line in ten)
    # N = 0 trains on the same (no) answers in every draw: no spread
    zero = lines[3].split("│")
    assert zero[1].strip() == zero[3].split("±")[0].strip()


def test_curve_summary_is_mean_and_spread_over_draws() -> None:
    import pandas as pd

    from fritekst.analysis.curve import summarise_curve

    curve = pd.DataFrame({"test": ["t"] * 2, "draw": [0, 1], "n": [10, 10], "method": ["classifier"] * 2,
                          "precision": [0.5, 0.7], "recall": [0.4, 0.6], "f1": [0.4, 0.6]})
    row = summarise_curve(curve).iloc[0]
    assert row["f1"] == 0.5 and round(row["f1_sd"], 6) == 0.1 and row["draws"] == 2


def test_seed_answers_come_from_examples_and_include() -> None:
    answers, gold = seed_answers(load_codebook(REPO / "codebooks" / "examples" / "ansette.yaml"))
    assert "Vi ser behovet for brukerperspektivet." in set(answers["text"])
    assert set(gold["code_id"]) == set(load_codebook(REPO / "codebooks" / "examples" / "ansette.yaml").code_ids)
    assert len(answers) == len(gold)


def test_train_on_the_codebooks_examples_alone(tmp_path) -> None:
    # a codebook gets classifier support before the first hand coding
    out = tmp_path / "seed.skops"
    result = CliRunner().invoke(main, ["train", "--codebook", str(REPO / "codebooks" / "examples" / "recovery.yaml"),
                                       "--examples", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Skrev modellen til {out}" in result.output and out.is_file()
    assert "42 håndkodede svar (codebook-examples)" in result.output.splitlines()[1]


def test_train_on_examples_of_a_codebook_without_examples_is_an_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["train", "--codebook", str(DATA / "kodebok.yaml"), "--examples",
                                       "--out", str(tmp_path / "x.skops")])
    assert result.exit_code == 2
    assert "has no examples or quoted include phrasings to learn from" in result.output


def test_examples_alone_leave_the_combination_to_the_keyword_rules() -> None:
    # the rules were written with the examples: they cannot judge how the rules do on real answers
    from fritekst.analysis.curve import _keyword_codings
    from fritekst.rules.classifier import NEVER, train_model

    codebook = load_codebook(REPO / "codebooks" / "examples" / "ansette.yaml")
    answers, gold = seed_answers(codebook)
    model = train_model(answers, gold, codebook, keyword_codings=_keyword_codings(answers, codebook),
                        scope=answers[["case_id", "question"]], source="examples")
    assert model.codes == list(codebook.code_ids)
    assert set(model.union_thresholds.values()) == {NEVER}
    assert set(model.combination.values()) == {"keyword"} and model.replaced_codes == set()
    assert all(0.05 <= t <= 0.95 for t in model.thresholds.values())
