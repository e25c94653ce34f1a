"""`fritekst check`: codebook and project validation from the command line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main

DATA = Path(__file__).parent / "data"


def test_valid_codebooks_are_summarised() -> None:
    result = CliRunner().invoke(main, ["check", str(DATA / "codebooks" / "gyldig.yaml"),
                                       str(DATA / "cli" / "kodebok.yaml")])
    assert result.exit_code == 0
    assert result.output == (f"{DATA / 'codebooks' / 'gyldig.yaml'}: ok (4 koder, 4 regler)\n"
                             f"{DATA / 'cli' / 'kodebok.yaml'}: ok (4 koder, 4 regler)\n")


def test_problems_of_all_files_are_listed_with_exit_2() -> None:
    bad = DATA / "codebooks" / "syklus.yaml"
    result = CliRunner().invoke(main, ["check", str(DATA / "cli" / "kodebok.yaml"), str(bad)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{DATA / 'cli' / 'kodebok.yaml'}: ok (4 koder, 4 regler)",
        f"Error: {bad}:4: code 'a' is its own ancestor (parent cycle); remove one of the 'parent' links [E203]",
        f"{bad}:7: code 'b' is its own ancestor (parent cycle); remove one of the 'parent' links",
    ]


def test_project_and_its_codebooks_are_checked() -> None:
    project = DATA / "project" / "fritekst.toml"
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0
    assert result.output == (f"{project}: ok (1 spørsmål, 1 tabell)\n"
                             f"{DATA / 'project' / 'kodebok.yaml'}: ok (4 koder, 4 regler)\n")


def test_nothing_to_check_is_a_usage_error(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no fritekst.toml here
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("Error: give one or more codebook files, or --project FILE "
                                              "(there is no fritekst.toml in this folder)")


def test_check_without_arguments_checks_the_project_in_the_folder(monkeypatch) -> None:
    # As report, code, serve and cache clear do; it used to refuse with a usage error.
    monkeypatch.chdir(DATA / "project")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output == "fritekst.toml: ok (1 spørsmål, 1 tabell)\nkodebok.yaml: ok (4 koder, 4 regler)\n"


def test_check_reports_every_model_problem_before_coding(tmp_path):
    # a missing model file is an error of `check`, not a failure half-way through a coding run
    text = (DATA / "classifier" / "kodebok.yaml").read_text(encoding="utf-8")
    missing = tmp_path / "mangler.yaml"
    missing.write_text(text + "classifier: finnes_ikke.skops\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(missing)])
    assert result.exit_code == 2
    # with its code, as `fritekst code` shows the same problem (check printed it without one)
    assert result.output == (f"Error: {tmp_path / 'finnes_ikke.skops'}: model file not found; train one with "
                             "`fritekst train` or fix the path [E401]\n")


def test_check_names_a_model_of_another_codebook_with_its_code(tmp_path):
    repo = Path(__file__).resolve().parent.parent
    shutil.copy(repo / "codebooks" / "models" / "ansette.skops", tmp_path / "annen.skops")
    other = tmp_path / "kodebok.yaml"
    other.write_text((DATA / "classifier" / "kodebok.yaml").read_text(encoding="utf-8") + "classifier: annen.skops\n",
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(other)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {tmp_path / 'annen.skops'}: model was trained for codebook 'ansette'")
    assert result.output.endswith("[E405]\n")


def test_check_warns_when_the_shipped_model_is_older_than_an_edited_codebook(tmp_path):
    # editing a keyword is the researcher's main loop: check and coding go on, with a warning
    repo = Path(__file__).resolve().parent.parent
    edited = tmp_path / "codebooks" / "ansette.yaml"
    edited.parent.mkdir()
    (tmp_path / "codebooks" / "models").mkdir()
    for name in ("ansette.skops",):
        (tmp_path / "codebooks" / "models" / name).write_bytes((repo / "codebooks" / "models" / name).read_bytes())
    edited.write_text((repo / "codebooks" / "ansette.yaml").read_text(encoding="utf-8")
                      .replace('keywords: ["', 'keywords: ["sparekrav*", "', 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(edited)])
    assert result.exit_code == 0, result.output
    assert "model is older than codebook 'ansette'" in result.output
    assert f"{edited}: ok (" in result.output


REPO = Path(__file__).parent.parent


def test_the_project_file_given_as_a_codebook_is_named_for_what_it_is() -> None:
    # `fritekst check fritekst.toml` said "fritekst.toml:6:1: YAML syntax error: did not find expected
    # <document start>", which sends a researcher hunting for a typo in a file that has none.
    project = str(REPO / "fritekst.toml")
    for args in (["check", project], ["code", str(REPO / "corpus" / "svar.csv"), "--codebook", project,
                                      "--id-column", "case_id", "--text-column", "grunn_nei"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert result.output == (f"Error: {project}: this is a project file, not a codebook (YAML); give a codebook "
                                 f"file (.yaml), or give the project with --project {project} [E119]\n")


CODEBOOK = str(REPO / "codebooks" / "ansette.yaml")


@pytest.mark.parametrize("command, hint", [
    # The hint names the running command's own way to take a codebook; it once said --codebook to
    # commands that have no such option, and evaluate, train, suggest, review and export read the
    # YAML as TOML ("TOML syntax error ... line 2").
    (["check"], f", and the codebook as an argument: fritekst check {CODEBOOK}"),
    (["code"], f", and the codebook with --codebook {CODEBOOK}"),
    (["evaluate"], f", and the codebook with --codebook {CODEBOOK}"),
    (["train"], f", and the codebook with --codebook {CODEBOOK}"),
    (["suggest"], f", and the codebook with --codebook {CODEBOOK}"),
    (["review", "export", "ark.xlsx"], f", and the codebook with --codebook {CODEBOOK}"),
    (["review", "import", "ark.xlsx"], f", and the codebook with --codebook {CODEBOOK}"),
    (["export", "qdc", "ut.qdc"], f", and the codebook with --codebook {CODEBOOK}"),
    (["report"], " (this command reads the codebooks named under the project's [codebooks])"),
    (["serve"], " (this command reads the codebooks named under the project's [codebooks])"),
    (["cache", "clear"], " (this command reads the codebooks named under the project's [codebooks])"),
    (["export", "qdpx", "ut.qdpx"], " (this command reads the codebooks named under the project's [codebooks])"),
])
def test_a_codebook_given_as_the_project_file_is_named_for_what_it_is(command: list[str], hint: str) -> None:
    result = CliRunner().invoke(main, [*command, "--project", CODEBOOK])
    assert result.exit_code == 2
    assert result.output == (f"Error: {CODEBOOK}: this is a codebook, not a project file (fritekst.toml); give "
                             f"the project file with --project{hint} [E119]\n")


def test_the_summary_counts_models_in_plain_words() -> None:
    result = CliRunner().invoke(main, ["check", str(REPO / "codebooks" / "ansette.yaml")])
    assert result.exit_code == 0
    # the rules are others' to change; the wording is what is checked here
    assert re.search(r"ansette\.yaml: ok \(\d+ koder, \d+ regler, 1 modell\)\n$", result.output)  # not "modell(er)"
