"""Issue 8 item 3: wrong data is refused with one line (or read right), never accepted silently."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .harness import assert_clean_refusal, make_project, run_checked

CODE = ["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"]
CODE_XLSX = ["code", "svar.xlsx", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"]
ROWS = [["kommunenr", "kommune", "fylke", "planer", "grunn"],
        ["0301", "Oslo", "Oslo", "Nei", "Vi har ikke økonomi til det, og ingen ledige stillinger."],
        ["4601", "Bergen", "Vestland", "Ja", "Vi ser behovet."],
        ["5001", "Trondheim", "Trøndelag", "Nei", "ikkje lovpålagt"]]


def write_corpus(folder: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "svar.csv").write_bytes(data)


def semicolons(rows: list[list[str]], tail: str = "") -> str:
    return "".join(";".join(row) + tail + "\n" for row in rows)


def edit_toml(folder: Path, old: str, new: str) -> None:
    path = folder / "fritekst.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def xlsx_with_formula(folder: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    sheet["E3"] = '=CONCATENATE("Vi ser ", "behovet")'  # openpyxl saves no calculated value
    book.save(folder / "svar.xlsx")


REFUSED: list[tuple[str, Callable[[Path], None], list[str], list[str]]] = [
    ("trailing-field-with-text",
     lambda f: write_corpus(f, semicolons(ROWS[:2]) + semicolons(ROWS[2:3], ";ekstra") + semicolons(ROWS[3:])),
     CODE, ["row 3", "6"]),
    ("trailing-separators-one-with-text",
     lambda f: write_corpus(f, semicolons(ROWS[:2], ";") + semicolons(ROWS[2:3], ";ekstra") + semicolons(ROWS[3:], ";")),
     CODE, ["column 6 has no name in the header but row 3 has text in it"]),
    ("trailing-separators-one-with-text-project",
     lambda f: write_corpus(f, semicolons(ROWS[:1]) + semicolons(ROWS[1:3], ";") + semicolons(ROWS[3:], ";x")),
     ["code", "--out", "refs.csv"], ["row 4 has 6 fields but the header has 5 names"]),
    ("trailing-field-with-text-project",
     lambda f: write_corpus(f, semicolons(ROWS[:2]) + semicolons(ROWS[2:3], ";ekstra") + semicolons(ROWS[3:])),
     ["code", "--out", "refs.csv"], ["row 3", "6"]),
    ("one-stray-cp1252-byte",
     lambda f: write_corpus(f, semicolons(ROWS).encode("utf-8").replace(b"Bergen", "B\xe6rgen".encode("cp1252"))),
     CODE, ["svar.csv:3:7: byte 0xe6 is not UTF-8", "mixes two encodings", "line 3"]),
    ("one-stray-cp1252-byte-project",
     lambda f: write_corpus(f, semicolons(ROWS).encode("utf-8").replace(b"Bergen", "B\xe6rgen".encode("cp1252"))),
     ["code", "--out", "refs.csv"], ["mixes two encodings"]),
    ("duplicate-column-names",
     lambda f: write_corpus(f, semicolons([ROWS[0][:-1] + ["kommune"]] + ROWS[1:])),
     CODE, ["column name 'kommune' appears twice", "columns 2 and 5"]),
    ("duplicate-column-names-project",
     lambda f: write_corpus(f, semicolons([ROWS[0][:-2] + ["grunn", "grunn"]] + ROWS[1:])),
     ["code", "--out", "refs.csv"], ["column name 'grunn' appears twice"]),
    ("text-column-twice", lambda f: None, [*CODE, "--text-column", "grunn"],
     ["column 'grunn' is named twice as a text column"]),
    ("duplicate-questions",
     lambda f: edit_toml(f, "[[tables]]", '[[questions]]\ncolumn = "grunn"\ncodebook = "ansette"\n\n[[tables]]'),
     ["code", "--out", "refs.csv"], ["[[questions]] #2", "column 'grunn' is already used by [[questions]] #1"]),
    ("duplicate-yaml-key",
     lambda f: (f / "kodebok.yaml").write_text((f / "kodebok.yaml").read_text(encoding="utf-8") +
                                               "codes: []\n", encoding="utf-8"),
     ["check", "kodebok.yaml"], ["kodebok.yaml:", "key 'codes' appears twice", "first on line"]),
    ("duplicate-yaml-key-code", lambda f: (f / "kodebok.yaml").write_text(
        (f / "kodebok.yaml").read_text(encoding="utf-8").replace("    rules:", "    rules: []\n    rules:", 1),
        encoding="utf-8"),
     ["code", "--out", "refs.csv"], ["key 'rules' appears twice"]),
    ("xlsx-formula-without-value", xlsx_with_formula, CODE_XLSX,
     ["svar.xlsx: sheet 'Sheet' cell E3: formula", "has no calculated value saved"]),
    ("quotes-per-code-negative", lambda f: edit_toml(f, 'group_by = ["fylke"]', 'group_by = ["fylke"]\nquotes_per_code = -5'),
     ["report"], ["[report] quotes_per_code: -5 is not a whole number of at least 0"]),
    ("quotes-per-code-text", lambda f: edit_toml(f, 'group_by = ["fylke"]', 'group_by = ["fylke"]\nquotes_per_code = "two"'),
     ["report"], ["[report] quotes_per_code: 'two' is not a whole number"]),
    ("seed-text", lambda f: edit_toml(f, 'group_by = ["fylke"]', 'group_by = ["fylke"]\nseed = "x"'),
     ["code", "--out", "refs.csv"], ["[report] seed: 'x' is not a whole number"]),
    ("group-by-string", lambda f: edit_toml(f, 'group_by = ["fylke"]', 'group_by = "fylke"'),
     ["report"], ["[report] group_by: 'fylke' is not a list of text"]),
    ("sep-number", lambda f: edit_toml(f, 'id_column = "kommunenr"', 'id_column = "kommunenr"\nsep = 5'),
     ["code", "--out", "refs.csv"], ["[corpus] sep: must be text in quotes, not a number"]),
]


@pytest.mark.parametrize("setup, args, fragments", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_wrong_data_is_refused(tmp_path: Path, setup: Callable[[Path], None], args: list[str],
                               fragments: list[str]) -> None:
    make_project(tmp_path, hand=False)
    setup(tmp_path)
    assert_clean_refusal(run_checked(args, tmp_path), *fragments)


ATTRIBUTES = ["--attribute", "kommune", "--attribute", "fylke", "--attribute", "planer"]


@pytest.mark.parametrize("args", [CODE + ATTRIBUTES + ["--out", "refs.csv"], ["code", "--out", "refs.csv"]],
                         ids=["streaming", "project"])
@pytest.mark.parametrize("header_tail", ["", ";"], ids=["header-plain", "header-with-separator"])
def test_a_separator_at_the_end_of_every_row_keeps_the_columns(tmp_path: Path, args: list[str],
                                                               header_tail: str) -> None:
    make_project(tmp_path, hand=False)
    write_corpus(tmp_path, semicolons(ROWS[:1], header_tail) + semicolons(ROWS[1:], ";"))
    outcome = run_checked(args, tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    refs = list(csv.reader(io.StringIO((tmp_path / "refs.csv").read_text(encoding="utf-8-sig"))))
    assert refs[0][10:] == ["kommune", "fylke", "planer"]
    assert [row[0] for row in refs[1:]] == ["0301", "0301", "4601"]
    assert refs[1][10:13] == ["Oslo", "Oslo", "Nei"] and refs[3][10:13] == ["Bergen", "Vestland", "Ja"]


def test_a_windows_1252_file_without_utf8_lines_is_still_read(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    write_corpus(tmp_path, semicolons(ROWS).encode("cp1252"))
    outcome = run_checked([*CODE, "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    assert "(tegnkoding Windows-1252)" in outcome.result.stdout
    assert "økonomi" in (tmp_path / "refs.csv").read_text(encoding="utf-8-sig")
