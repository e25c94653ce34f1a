"""`fritekst check`: codebook and project validation from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fritekst.cli import main

DATA = Path(__file__).parent / "data"


def test_valid_codebooks_are_summarised() -> None:
    result = CliRunner().invoke(main, ["check", str(DATA / "codebooks" / "gyldig.yaml"),
                                       str(DATA / "cli" / "kodebok.yaml")])
    assert result.exit_code == 0
    assert result.output == (f"{DATA / 'codebooks' / 'gyldig.yaml'}: ok (4 codes, 4 rules)\n"
                             f"{DATA / 'cli' / 'kodebok.yaml'}: ok (4 codes, 4 rules)\n")


def test_problems_of_all_files_are_listed_with_exit_2() -> None:
    bad = DATA / "codebooks" / "syklus.yaml"
    result = CliRunner().invoke(main, ["check", str(DATA / "cli" / "kodebok.yaml"), str(bad)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{DATA / 'cli' / 'kodebok.yaml'}: ok (4 codes, 4 rules)",
        f"Error: {bad}:4: code 'a' is its own ancestor (parent cycle); remove one of the 'parent' links [E203]",
        f"{bad}:7: code 'b' is its own ancestor (parent cycle); remove one of the 'parent' links",
    ]


def test_project_and_its_codebooks_are_checked() -> None:
    project = DATA / "project" / "fritekst.toml"
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 0
    assert result.output == (f"{project}: ok (1 questions, 1 tables)\n"
                             f"{DATA / 'project' / 'kodebok.yaml'}: ok (4 codes, 4 rules)\n")


def test_nothing_to_check_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: give one or more codebook files, or --project FILE"
