"""A new researcher's mistakes (audit11): each case was accepted silently or refused with a misleading line.

Every case runs the real CLI on the small test project and checks the four promises of
docs/reliability.md (exit 2, one ``Error:`` line, nothing written, inputs unchanged) plus the words
that tell the researcher what to fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .harness import assert_clean_refusal, make_project, run, run_checked

CODE = ["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"]
CODE_XLSX = ["code", "svar.xlsx", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"]
HEADER_ONLY = "kommunenr,kommune,fylke,planer,grunn\n"
HAND_HEADER = "case_id;question;code_id;start;end;method;decision\n"


def header_only(folder: Path) -> None:
    (folder / "svar.csv").write_text(HEADER_ONLY, encoding="utf-8")


def workbook_behind_a_cover_sheet(folder: Path, cover_rows: int = 1) -> None:
    """The answers on the second sheet, a cover sheet first (as many survey tools export them)."""
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO((folder / "svar.csv").read_text(encoding="utf-8"))))
    book = Workbook()
    cover = book.active
    cover.title = "Info"
    for line in range(cover_rows):
        cover.append([f"Eksportert fra spørreskjemaet ({line + 1})"])
    answers = book.create_sheet("Svar")
    for row in rows:
        answers.append([cell.replace("=1+1 ", "") for cell in row])  # openpyxl would save "=…" as a formula
    book.save(folder / "svar.xlsx")


def edit_toml(folder: Path, old: str, new: str) -> None:
    text = (folder / "fritekst.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "fritekst.toml").write_text(text.replace(old, new, 1), encoding="utf-8")


def hand_file(row: str) -> Callable[[Path], None]:
    return lambda folder: (folder / "hand.csv").write_text(HAND_HEADER + row + "\n", encoding="utf-8")


HAND = ["code", "--out", "refs.csv", "--hand", "hand.csv"]


def coded_once(folder: Path) -> None:
    """A project whose codings cache is filled (by a first report)."""
    assert run(["report"], folder).exit_code == 0
    assert any((folder / ".fritekst" / "cache").iterdir())

def exported_qdc(folder: Path) -> None:
    assert run(["export", "qdc", "koder.qdc", "--codebook", "kodebok.yaml"], folder).exit_code == 0


REFUSED: list[tuple[str, Callable[[Path], None], list[str], list[str]]] = [
    # Coded to an empty refs.csv (exit 0), while the streaming path refused the same file.
    ("header-only-corpus-code", header_only, [*CODE, "--out", "refs.csv"],
     ["svar.csv: has a header row but no respondent rows", "[E105]"]),
    ("header-only-corpus-project", header_only, ["code", "--out", "refs.csv"], ["no respondent rows", "[E105]"]),
    # Blamed the project: "asked_if: planer = 'Nei' never occurs in the corpus (planer has no values)".
    ("header-only-corpus-report", header_only, ["report"], ["svar.csv: has a header row but no respondent rows"]),
    # Named no sheet and invited a "number" that --sheet never took (it looks names up only).
    ("sheet-number", workbook_behind_a_cover_sheet, [*CODE_XLSX, "--sheet", "2", "--out", "refs.csv"],
     ["svar.xlsx: no sheet '2'; the sheets are: Info, Svar; give one of those names (see --sheet) [E109]"]),
    ("sheet-misspelt", workbook_behind_a_cover_sheet, [*CODE_XLSX, "--sheet", "svar", "--out", "refs.csv"],
     ["no sheet 'svar'; the sheets are: Info, Svar"]),
    # Said only "no column 'kommunenr'; the columns are: Eksportert fra spørreskjemaet; check the spelling".
    ("answers-on-a-later-sheet", workbook_behind_a_cover_sheet, [*CODE_XLSX, "--out", "refs.csv"],
     ["only the first sheet 'Info' was read and the workbook also has 'Svar'; choose the sheet to read "
      "(see --sheet) [E105]"]),
    ("answers-behind-a-longer-cover", lambda f: workbook_behind_a_cover_sheet(f, cover_rows=3),
     [*CODE_XLSX, "--out", "refs.csv"],
     ["svar.xlsx: no column 'kommunenr'", "only the first sheet 'Info' was read and the workbook also has 'Svar'; "
      "choose the sheet to read (see --sheet) [E106]"]),
    # A spreadsheet turned 0301 into 301: "check case_id and question" left the researcher guessing.
    ("hand-id-lost-its-leading-zero", hand_file("301;grunn;okonomi;;;manual;nei"), HAND,
     ["hand.csv:2: case 301 has no answer to 'grunn' in the corpus; did you mean case 0301?"]),
    ("hand-unknown-question", hand_file("0301;grunnx;okonomi;;;manual;nei"), HAND,
     ["hand.csv:2: case 0301 has no answer to 'grunnx'", "the questions with answers are: grunn"]),
    # The data file as the project: a TOML syntax error, and `cache clear` emptied the cache beside it.
    ("cache-clear-data-file-as-project", coded_once, ["cache", "clear", "--project", "svar.csv"],
     ["svar.csv: this is a survey data file, not a project file (fritekst.toml)", "[E119]"]),
    ("report-data-file-as-project", lambda f: None, ["report", "--project", "svar.csv"],
     ["svar.csv: this is a survey data file, not a project file"]),
    # An import overwrote the codebook it was pointed at, keyword rules and all.
    ("import-qdc-over-a-codebook", exported_qdc, ["import", "qdc", "koder.qdc", "--out", "kodebok.yaml"],
     ["kodebok.yaml: already exists; an import never overwrites a codebook", "[E503]"]),
    ("import-dictionary-over-a-codebook",
     lambda f: (f / "ordbok.yml").write_text("okonomi:\n  - penger\n", encoding="utf-8"),
     ["import", "dictionary", "ordbok.yml", "--out", "kodebok.yaml"],
     ["kodebok.yaml: already exists; an import never overwrites a codebook"]),
    # A published table with the same year and answer twice, or a negative count, was compared as it
    # stood: two mismatches for one cell, and a table showing only the first count.
    ("table-row-twice",
     lambda f: (f / "tabell.csv").write_text("aar,svar,antall,prosent\n2023,Nei,2,50\n2023,Nei,3,50\n",
                                             encoding="utf-8"),
     ["report"], ["tabell.csv:3: year 2023 and answer 'Nei' are already on line 2", "[E110]"]),
    ("table-negative-count",
     lambda f: (f / "tabell.csv").write_text("aar,svar,antall,prosent\n2023,Nei,-2,50\n", encoding="utf-8"),
     ["report"], ["tabell.csv:2: antall '-2' is negative", "[E111]"]),
    ("asked-if-in-other-capitals", lambda f: edit_toml(f, 'asked_if = { planer = ["Nei", "Vet ikke"] }',
                                                      'asked_if = { planer = ["nei", "Vet ikke"] }'),
     ["report"], ["fritekst.toml: [[questions]] grunn asked_if: planer = 'nei' never occurs in the corpus",
                  "write 'Nei' (capitals count) [E306]"]),
    ("asked-if-absent-value", lambda f: edit_toml(f, 'asked_if = { planer = ["Nei", "Vet ikke"] }',
                                                  'asked_if = { planer = "Kanskje" }'),
     ["report"], ["planer = 'Kanskje' never occurs", "write one of those values exactly [E306]"]),
    # Named the hidden check file: "nye/.kodebok.yaml.check.yaml: folder nye does not exist".
    ("import-qdc-into-a-missing-folder", exported_qdc, ["import", "qdc", "koder.qdc", "--out", "nye/kodebok.yaml"],
     ["Error: nye/kodebok.yaml: folder nye does not exist; create it or choose another path [E501]"]),
    ("hand-unknown-case", hand_file("9999;grunn;okonomi;;;manual;nei"), HAND,
     ["hand.csv:2: case 9999 has no answer to 'grunn'", "check case_id and question"]),
]


@pytest.mark.parametrize("setup, args, fragments", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_new_researchers_mistake_is_refused_with_what_to_fix(tmp_path: Path, setup: Callable[[Path], None],
                                                               args: list[str], fragments: list[str]) -> None:
    make_project(tmp_path, hand=False)
    setup(tmp_path)
    assert_clean_refusal(run_checked(args, tmp_path), *fragments)


def test_the_right_sheet_of_that_workbook_is_read(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    workbook_behind_a_cover_sheet(tmp_path)
    outcome = run_checked([*CODE_XLSX, "--sheet", "Svar", "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    refs = list(csv.reader(io.StringIO((tmp_path / "refs.csv").read_text(encoding="utf-8-sig"))))
    assert [row[:3] for row in refs[1:]] == [["0301", "grunn", "okonomi"], ["0301", "grunn", "ingen_stillinger"],
                                             ["4601", "grunn", "ser_behov"]]


# A project's hand file covers every codebook. `suggest` and `review export` about one codebook
# refused it at its first row of another codebook's question: "unknown code id 'relasjon'".
OTHER_CODEBOOKS_ROW = "0301;recovery_stor_grad;relasjon;;;manual;ja"


@pytest.mark.parametrize("args", [
    ["suggest", "--codebook", "kodebok.yaml", "--hand", "hand.csv", "-n", "2"],
    ["review", "export", "--codebook", "kodebok.yaml", "--hand", "hand.csv", "--out", "review.csv"],
], ids=["suggest", "review-export"])
def test_a_hand_file_with_another_codebooks_questions_is_read_for_this_ones(tmp_path: Path, args: list[str]) -> None:
    make_project(tmp_path, hand=False)
    hand_file(f"0301;grunn;okonomi;;;manual;nei\n{OTHER_CODEBOOKS_ROW}")(tmp_path)
    outcome = run_checked(args, tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    if args[0] == "review":
        sheet = list(csv.DictReader(io.StringIO((tmp_path / "review.csv").read_text(encoding="utf-8-sig"))))
        assert {row["case_id"]: row["okonomi"] for row in sheet}["0301"] == "no"  # this codebook's row was read


def test_a_hand_file_row_of_this_codebooks_question_is_still_checked(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    hand_file(f"0301;grunn;okonomix;;;manual;nei\n{OTHER_CODEBOOKS_ROW}")(tmp_path)
    assert_clean_refusal(run_checked(["suggest", "--codebook", "kodebok.yaml", "--hand", "hand.csv"], tmp_path),
                         "hand.csv:2: unknown code id 'okonomix'; did you mean 'okonomi'?")
