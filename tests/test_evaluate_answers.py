"""`fritekst evaluate --answers`: answers and their gold codes in one CSV (the heldout2 format)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fritekst.cli import main

DATA = Path(__file__).parent / "data"
CODEBOOK = str(DATA / "classifier" / "kodebok.yaml")


def test_answers_file_is_scored_with_answers_that_have_no_code() -> None:
    result = CliRunner().invoke(main, ["evaluate", "--codebook", CODEBOOK, "--answers",
                                       str(DATA / "evaluate" / "svar_med_koder.csv"), "--top", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Evaluert på 5 svar (svarene i gullfila)")
    # a1 okonomi, a2 ser_behov, a3 + a5 ikke_aktuelt; "pengene er ikke hindringen" is no okonomi
    assert "keyword: mikro-F1 1,00, makro-F1 1,00, nøyaktig riktig kodesett på 100 % av svarene" in lines


def test_answers_file_with_an_unknown_code_names_the_line() -> None:
    result = CliRunner().invoke(main, ["evaluate", "--codebook", CODEBOOK, "--answers",
                                       str(DATA / "evaluate" / "ukjent_kode.csv")])
    assert result.exit_code == 2
    assert "ukjent_kode.csv:2: unknown code 'finnes_ikke'; expected codes of the codebook:" in result.output


def test_dev_file_without_case_ids_is_read() -> None:
    repo = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["evaluate", "--codebook", str(repo / "codebooks" / "examples" / "ansette.yaml"),
                                       "--answers", str(repo / "corpus" / "dev" / "ansette_dev.csv"), "--top", "0"])
    assert result.exit_code == 0, result.output
    assert "Evaluert på 161 svar (svarene i gullfila)" in result.output


def test_the_shipped_model_is_refused_on_the_dev_file_it_was_trained_on() -> None:
    # the shipped models learn from corpus/dev (fritekst train --pool): scoring them there would be
    # scoring on training data, and the ids given by --pool and --answers agree so that it is caught
    repo = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["evaluate", "--codebook", str(repo / "codebooks" / "ansette.yaml"),
                                       "--answers", str(repo / "corpus" / "dev" / "ansette_dev.csv"), "--top", "0"])
    assert result.exit_code == 2
    assert "ansette.skops: trained on 161 of the 161 answers in scope (e.g. case dev/ansette_dev.csv:2, " \
           "grunn_ja), so its figures would be measured on training data" in result.output


def test_answers_file_ids_are_its_own_not_the_corpus_ids_a_model_was_trained_on() -> None:
    # 2023-1106/grunn_vet_ikke is a train answer of the shipped model; in another file it is another answer
    repo = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["evaluate", "--codebook", str(repo / "codebooks" / "ansette.yaml"),
                                       "--answers", str(DATA / "evaluate" / "id_som_i_train.csv"), "--top", "0"])
    assert result.exit_code == 0, result.output
    assert "combined: learned: mikro-F1 1,00" in result.output
