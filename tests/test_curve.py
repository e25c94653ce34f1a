"""`fritekst evaluate --curve`: the learning curve table, reproducible, on real files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fritekst.analysis.curve import seed_answers
from fritekst.cli import main
from fritekst.rules.codebook import load_codebook

DATA = Path(__file__).parent / "data" / "classifier"
REPO = Path(__file__).resolve().parent.parent


def _curve(sizes: str) -> list[str]:
    result = CliRunner().invoke(main, ["evaluate", "--curve", "--curve-sizes", sizes, "--codebook",
                                       str(DATA / "kodebok.yaml"), "--gold", str(DATA / "gull.csv"), "--scope",
                                       str(DATA / "split.csv"), "--corpus", str(DATA / "svar.csv")])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_curve_prints_one_row_per_size_and_is_reproducible() -> None:
    lines = _curve("0,10,100")
    assert lines[0].startswith("Learning curve of ")
    assert "scored on 13 answers of split heldout" in lines[0]
    rows = [line.split("│") for line in lines[2:]]
    # 27 train answers: 100 is capped; the keyword columns never change
    assert [r[0].strip() for r in rows] == ["0", "10", "27"]
    assert len({r[1] for r in rows}) == 1
    # no examples in this codebook and no hand codings: no classifier at N = 0
    assert rows[0][2].split() == ["–", "0.00", "0.00"]
    assert _curve("0,10,100") == lines


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
    assert "42 hand-coded answers (codebook-examples)" in result.output.splitlines()[1]


def test_train_on_examples_of_a_codebook_without_examples_is_an_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["train", "--codebook", str(DATA / "kodebok.yaml"), "--examples",
                                       "--out", str(tmp_path / "x.skops")])
    assert result.exit_code == 2
    assert "has no examples or quoted include phrasings to learn from" in result.output
