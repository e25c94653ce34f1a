"""The error catalogue: every user error has a stable code, docs/errors.md lists them all.

Set FRITEKST_WRITE_DOCS=1 to rewrite docs/errors.md from the catalogue instead of comparing.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from fritekst import errors
from fritekst.cli import main
from fritekst.errors import CATALOGUE, FritekstError, ProjectError
from fritekst.sources.project import load_project

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fritekst"
DOCS = ROOT / "docs" / "errors.md"
CLASSES = {name for name, value in vars(errors).items()
           if isinstance(value, type) and issubclass(value, FritekstError)}


def render_errors_md() -> str:
    lines = ["# Error codes", "",
             "Every error fritekst reports about your files or settings ends with a code, e.g.",
             "`Error: svar.csv: file not found; check the path [E101]`. The code stays the same across",
             "releases, so you can look it up here. The message itself says which file, which line and",
             "what to change; the table says what the code means in general and the usual fix.",
             "This page is generated from `fritekst.errors.CATALOGUE` (a test keeps it up to date).", ""]
    groups = {"1": "Input files", "2": "Codebooks and keyword patterns", "3": "The project file",
              "4": "Classifier models", "5": "Outputs"}
    for digit, title in groups.items():
        lines += [f"## E{digit}xx: {title}", "", "| code | error | meaning | usual fix |", "|---|---|---|---|"]
        for code, info in CATALOGUE.items():
            if code[1] == digit:
                lines.append(f"| {code} | `{info.error.__name__}` | {info.meaning} | {info.fix} |")
        lines.append("")
    return "\n".join(lines)


def _raise_sites() -> list[tuple[str, int, str, str | None]]:
    """(file, line, class, code) of every construction of a fritekst error in the package."""
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CLASSES:
                code = next((k.value.value for k in node.keywords if k.arg == "code"
                             and isinstance(k.value, ast.Constant)), None)
                sites.append((str(path.relative_to(PACKAGE)), node.lineno, node.func.id, code))
    return sites


def test_docs_errors_md_is_generated_from_the_catalogue() -> None:
    text = render_errors_md()
    if os.environ.get("FRITEKST_WRITE_DOCS"):
        DOCS.write_text(text, encoding="utf-8")
    assert DOCS.read_text(encoding="utf-8") == text, "run FRITEKST_WRITE_DOCS=1 pytest tests/test_errors.py"


def test_every_raise_site_names_a_catalogued_code_of_its_class() -> None:
    sites = _raise_sites()
    assert len(sites) > 100
    problems = [f"{f}:{line}: {cls}(...) without a literal code=" for f, line, cls, code in sites if code is None]
    problems += [f"{f}:{line}: {code} is not in the catalogue" for f, line, _, code in sites
                 if code is not None and code not in CATALOGUE]
    problems += [f"{f}:{line}: {cls} raised with {code}, which the catalogue gives to "
                 f"{CATALOGUE[code].error.__name__}" for f, line, cls, code in sites
                 if code in CATALOGUE and cls != CATALOGUE[code].error.__name__
                 and cls != "FritekstError"]
    assert problems == []


def test_every_catalogued_code_is_raised_somewhere() -> None:
    used = {code for *_, code in _raise_sites()} | {"E203"}  # E203: CodebookError's default
    assert sorted(set(CATALOGUE) - used) == []


def test_a_code_outside_the_catalogue_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown error code 'E999'"):
        FritekstError("x", code="E999")


@pytest.mark.parametrize(("setting", "message"), [
    ('quotes_per_code = "tre"', "[report] quotes_per_code: 'tre' is not a whole number of at least 0; "
                                "write e.g. 5"),
    ("seed = 1.5", "[report] seed: 1.5 is not a whole number of at least 0; write e.g. 5"),
    ('group_by = "fylke"', "[report] group_by: 'fylke' is not a list of text; write e.g. [\"fylke\"] in brackets"),
])
def test_a_wrong_kind_of_setting_is_a_project_error(tmp_path, setting, message) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    shutil.copytree(ROOT / "codebooks", tmp_path / "codebooks")
    key = setting.split(" = ")[0]
    text = (ROOT / "fritekst.toml").read_text(encoding="utf-8")
    changed = re.sub(rf"(?m)^{key} = .*$", setting, text)
    assert changed != text
    (tmp_path / "fritekst.toml").write_text(changed, encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        load_project(tmp_path / "fritekst.toml")
    assert str(caught.value) == f"{tmp_path / 'fritekst.toml'}: {message}"
    assert caught.value.code == "E303"


def test_the_cli_shows_the_code_and_the_flag_of_the_setting(tmp_path) -> None:
    book = tmp_path / "bok.xlsx"
    pd.DataFrame({"id": ["1"], "svar": ["ingen midler"]}).to_excel(book, sheet_name="Ark1", index=False)
    result = CliRunner().invoke(main, ["code", str(book), "--codebook", str(ROOT / "codebooks" / "ansette.yaml"),
                                       "--id-column", "id", "--text-column", "svar", "--sheet", "Ark9",
                                       "--out", str(tmp_path / "refs.csv")])
    assert result.exit_code == 2
    assert result.output == (f"Error: {book}: no sheet 'Ark9'; the sheets are: Ark1; give one of those names "
                             "(see --sheet) [E109]\n")


MISSING_PROJECT = ("Error: {path}: project file not found; run from the project folder or give the project "
                   "file's path (see --project, docs/project-file.md) [E301]\n")


@pytest.mark.parametrize("args", [["report", "--out", "{tmp}/rapport"], ["code", "--out", "{tmp}/refs.csv"],
                                  ["check"], ["serve", "--no-browser"], ["export", "qdpx", "{tmp}/ut.qdpx"]],
                         ids=lambda args: args[0] if args[0] != "export" else "export-qdpx")
def test_a_message_with_its_own_hint_gets_the_flag_inside_it_not_a_second_hint(tmp_path: Path,
                                                                                args: list[str]) -> None:
    # was "… (see docs/project-file.md) (see --project) [E301]": the CLI's flag hint after the library's own
    missing = tmp_path / "finnes_ikke.toml"
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args] + ["--project", str(missing)])
    assert (result.exit_code, result.output) == (2, MISSING_PROJECT.format(path=missing))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["report", "--year", "1999"], "corpus/svar.csv: no respondents in year 1999 (column 'aar' has 2019, 2020, "
                                   "2021, 2022, 2023); choose one of those (see --year) [E115]"),
    (["code", "corpus/svar.csv", "--codebook", "codebooks/ansette.yaml", "--id-column", "case_id",
      "--text-column", "grunn_nei", "--encoding", "foo"],
     "corpus/svar.csv: unknown encoding 'foo'; try the encoding utf-8 or cp1252 (see --encoding) [E102]"),
    (["code", "corpus/svar.csv", "--codebook", "codebooks/ansette.yaml", "--id-column", "case_id",
      "--text-column", "case_id"],
     "corpus/svar.csv: column 'case_id' is both the id column and a text column; choose a different text "
     "column (see --text-column) [E107]"),
    (["report", "--out", "fritekst.toml"],
     "fritekst.toml: exists and is not a folder; give a folder path for the outputs (see --out) [E502]"),
])
def test_bad_inputs_of_the_shipped_project_get_one_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        args: list[str], message: str) -> None:
    for name in ("fritekst.toml", "corpus", "codebooks"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    extra = [] if "--out" in args else ["--out", str(tmp_path / "ut")]
    result = CliRunner().invoke(main, args + extra)
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")
    assert result.output.count("(see ") == 1


def test_errors_survive_pickling_from_worker_processes() -> None:
    import pickle

    from fritekst.errors import CodebookError, InputError

    error = pickle.loads(pickle.dumps(InputError("svar.csv: file not found", code="E101", option="sep")))
    assert (type(error), str(error), error.code, error.option) == (InputError, "svar.csv: file not found",
                                                                  "E101", "sep")
    book = pickle.loads(pickle.dumps(CodebookError(["a.yaml:1: x", "a.yaml:2: y"])))
    assert (str(book), book.code, book.problems) == ("a.yaml:1: x\na.yaml:2: y", "E203", ["a.yaml:1: x", "a.yaml:2: y"])
