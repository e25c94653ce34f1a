"""A project without ``year_column`` (optional in docs/project-file.md) reports its answers pooled.

Its only year key is the pooled ``alle``. The single-year rule ("one year: drop the pooled rows, they
repeat it") dropped those rows too, so every table of such a report was empty and the terminal said
"Alle år: 0 svarte" over two coded answers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fritekst.outputs.report import make_report
from fritekst.outputs.texts import texts_for
from fritekst.sources.project import load_project

from fritekst.cli.report import report_command

from conftest import invoke

PROJECT = Path(__file__).parent / "data" / "project"


def test_a_project_without_a_year_column_counts_its_answers(tmp_path: Path) -> None:
    for name in ("fritekst.toml", "kodebok.yaml", "svar.csv", "tabell.csv"):
        shutil.copy(PROJECT / name, tmp_path / name)
    assert "year_column" not in (tmp_path / "fritekst.toml").read_text(encoding="utf-8")
    question = make_report(load_project(tmp_path / "fritekst.toml")).questions[0]
    overview = question.overview[["year", "n_asked", "n_answered"]].values.tolist()
    assert overview == [["alle", 3, 2]]  # asked: Nei, Vet ikke, Nei; answered: 0301 and 5001
    pooled = question.frequencies[question.frequencies["group_by"] == "alle"]
    assert dict(zip(pooled["code_id"], pooled["n_coded"])) == {
        "hindringer": 1, "okonomi": 1, "ingen_stillinger": 1, "ser_behov": 0, "_ingen_tema": 1}


def test_its_terminal_report_shows_the_counts_and_words_the_pooled_key(tmp_path: Path) -> None:
    for name in ("fritekst.toml", "kodebok.yaml", "svar.csv", "tabell.csv"):
        shutil.copy(PROJECT / name, tmp_path / name)
    result = invoke(report_command, "--project", tmp_path / "fritekst.toml")
    assert result.exit_code == 0, result.output
    assert "Grunner (grunn) – Alle år: 2 svarte" in result.output
    assert "Ingen treff i materialet: Ser behov" in result.output  # was "Ingen treff i alle"


def test_the_pooled_key_alone_is_named_as_the_data_not_as_a_year() -> None:
    assert [texts_for(lang).when(years) for lang in ("nb", "en") for years in (["2023"], ["alle"], ["2022", "2023"])] \
        == ["i 2023", "i materialet", "i de valgte årene", "in 2023", "in the data", "in the selected years"]


def test_the_pooled_key_is_never_shown_raw_in_english(tmp_path: Path) -> None:
    # The meta line, the warnings and the published table said "alle" in an English report.
    for name in ("fritekst.toml", "kodebok.yaml", "svar.csv", "tabell.csv"):
        shutil.copy(PROJECT / name, tmp_path / name)
    result = invoke(report_command, "--project", tmp_path / "fritekst.toml", "--lang", "en", "--out", tmp_path / "ut")
    assert result.exit_code == 0, result.output
    assert "Data: svar.csv · Year: All years ·" in result.output
    assert "MISMATCH in tabell, All years, “Ja”: missing from the table, the data 1" in result.output
    assert "│ All years │ –≠2 │" in result.output
    html = (tmp_path / "ut" / "report.html").read_text(encoding="utf-8")
    assert ">alle<" not in html and " alle," not in html and "All years" in html
