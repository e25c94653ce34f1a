"""The project file: what it names, and one clear line for each thing it gets wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from fritekst.errors import ProjectError
from fritekst.sources.project import load_project

DATA = Path(__file__).parent / "data" / "project"


def test_project_file_is_read_with_paths_relative_to_it() -> None:
    project = load_project(DATA / "fritekst.toml")
    assert project.title == "Testprosjekt"
    assert project.corpus_spec.path == DATA / "svar.csv"
    assert project.codebook_paths == {"ansette": DATA / "kodebok.yaml"}
    question = project.question("grunn")
    assert (question.codebook, question.asked_if, question.table) == (
        "ansette", {"planer": ["Nei", "Vet ikke"]}, "tabell")
    assert project.table("tabell").population == {}
    assert project.group_by == ["fylke"]
    assert (project.quotes_per_code, project.seed) == (3, 2023)


def test_shipped_project_file_is_valid() -> None:
    project = load_project(Path(__file__).parents[1] / "fritekst.toml")
    assert [q.column for q in project.questions] == [
        "grunn_ja", "grunn_nei", "grunn_vet_ikke", "recovery_stor_grad", "recovery_liten_grad"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('path = "svar.csv"', 'path = "mangler.csv"',
     "[corpus] path: file 'mangler.csv' not found (relative to {root}); check the path"),
    ('codebook = "ansette"', 'codebook = "recovery"',
     "[[questions]] #1: codebook 'recovery' is not listed under [codebooks]; known: ansette"),
    ('table = "tabell"', 'table = "tabell_9"',
     "[[questions]] #1: table 'tabell_9' is not defined in [[tables]]; known: tabell"),
    ("[report]", "[rapport]", "[rapport]: unknown section; did you mean [report]?"),
    ('id_column = "kommunenr"', "", "[corpus]: missing 'id_column' (text)"),
    ('column = "grunn"', 'colum = "grunn"', "[[questions]] #1: unknown key 'colum'; did you mean 'column'?"),
    ('title = "Testprosjekt"', 'title = "Testprosjekt', "TOML syntax error: "),
])
def test_bad_project_files(tmp_path: Path, old: str, new: str, message: str) -> None:
    for name in ("svar.csv", "kodebok.yaml", "tabell.csv"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    text = (DATA / "fritekst.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "fritekst.toml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(tmp_path / "fritekst.toml")
    assert str(info.value).startswith(f"{tmp_path / 'fritekst.toml'}: {message.format(root=tmp_path)}")
    assert "\n" not in str(info.value)


def test_missing_project_file_says_how_to_fix() -> None:
    with pytest.raises(ProjectError) as info:
        load_project(DATA / "nope.toml")
    assert str(info.value) == (f"{DATA / 'nope.toml'}: project file not found; run from the project folder "
                               "or give the project file's path (see docs/project-file.md)")
