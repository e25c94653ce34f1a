"""More of a new researcher's cases (polish11): each was accepted with a wrong result or refused wrongly.

Real files through the real CLI on the small test project, as in ``test_new_researcher.py``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .harness import assert_clean_refusal, make_project, run, run_checked
from .test_new_researcher import edit_toml, workbook_behind_a_cover_sheet

# --- year values: "2023.0" (a CSV saved from a float column) and " 2023" are the year 2023 ----------------------
# Before the fix the corpus's years were read as they stood: "2023.0" and "2023" counted as two years in
# refs.csv, frequencies.csv and the published-table check, and `--year " 2023"` was refused (E115).
YEARS = ["2023.0", "2023", "2022", " 2023"]  # 0301 Oslo (Nei), 4601 Bergen (Ja), 1804 Bodø, 5001 Trondheim (Nei)


def with_years(folder: Path, cells: list[object], workbook: bool) -> None:
    """The test project with an ``aar`` column (year_column, carried into refs.csv) holding ``cells``."""
    rows = list(csv.reader(io.StringIO((folder / "svar.csv").read_text(encoding="utf-8"))))
    rows = [[*rows[0], "aar"], *([*row, cell] for row, cell in zip(rows[1:], cells))]
    if workbook:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append([c.replace("=1+1 ", "") if isinstance(c, str) else c for c in row])
        book.save(folder / "svar.xlsx")
    else:
        with open(folder / "svar.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    toml = (folder / "fritekst.toml").read_text(encoding="utf-8")
    toml = toml.replace('path = "svar.csv"', f'path = "{"svar.xlsx" if workbook else "svar.csv"}"', 1)
    toml = toml.replace('attributes = ["kommune", "fylke", "planer"]',
                        'year_column = "aar"\nattributes = ["kommune", "fylke", "planer", "aar"]', 1)
    (folder / "fritekst.toml").write_text(toml, encoding="utf-8")


def table(folder: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))


# Each: the aar cells, written as CSV text or as workbook cells (floats as Excel stores a number column),
# the report's arguments, and the years frequencies.csv must hold.
YEAR_CASES: list[tuple[str, list[object], bool, list[str], list[str]]] = [
    ("csv-float-text", YEARS, False, [], ["2022", "2023", "alle"]),
    ("xlsx-float-cells", [2023.0, 2023, 2022.0, " 2023"], True, [], ["2022", "2023", "alle"]),
    ("xlsx-float-text", ["2023.0", 2023.0, "2022", "2023,0"], True, [], ["2022", "2023", "alle"]),
    ("year-option-with-a-space", YEARS, False, ["--year", " 2023"], ["2023"]),
    ("year-option-as-a-float", YEARS, False, ["--year", "2023.0"], ["2023"]),
]


@pytest.mark.parametrize("cells, workbook, args, years", [c[1:] for c in YEAR_CASES], ids=[c[0] for c in YEAR_CASES])
def test_a_year_is_one_year_however_the_file_wrote_it(tmp_path: Path, cells: list[object], workbook: bool,
                                                      args: list[str], years: list[str]) -> None:
    make_project(tmp_path, hand=False)
    with_years(tmp_path, cells, workbook)
    result = run(["report", "--out", "rep", *args], tmp_path)
    assert result.exit_code == 0, result.output
    frequencies = table(tmp_path / "rep", "frequencies.csv")
    assert sorted({row["year"] for row in frequencies}) == years
    # the published "2023, Nei: 2" is matched by Oslo and Trondheim: no mismatch flagged for it
    assert not any("2023, «Nei»" in row["flag"] for row in frequencies), frequencies[0]["flag"]
    if not args:
        result = run(["code", "--out", "refs.csv"], tmp_path)
        assert result.exit_code == 0, result.output
        assert {row["case_id"]: row["aar"] for row in table(tmp_path, "refs.csv")} == {"0301": "2023", "4601": "2023"}


# --- a setting read from fritekst.toml is pointed at there, not at a flag -------------------------------------
# `code` and `suggest` have --sheet for a data file on the command line, so a wrong `sheet` in the
# project file got "(see --sheet)"; `report` got no hint at all.
def project_on_a_workbook(sheet: str | None) -> Callable[[Path], None]:
    """The test project reading svar.xlsx (a cover sheet 'Info', the answers on 'Svar'), with ``sheet``."""
    def setup(folder: Path) -> None:
        workbook_behind_a_cover_sheet(folder)
        edit_toml(folder, 'path = "svar.csv"', 'path = "svar.xlsx"' + (f'\nsheet = "{sheet}"' if sheet else ""))
    return setup


NO_SHEET = "svar.xlsx: no sheet 'svar'; the sheets are: Info, Svar; give one of those names " \
           "(see [corpus] sheet in fritekst.toml) [E109]"
FIRST_SHEET = "only the first sheet 'Info' was read and the workbook also has 'Svar'; choose the sheet to read " \
              "(see [corpus] sheet in fritekst.toml)"
SETTINGS: list[tuple[str, Callable[[Path], None], list[str], str]] = [
    ("code-wrong-sheet", project_on_a_workbook("svar"), ["code", "--out", "refs.csv"], NO_SHEET),
    ("suggest-wrong-sheet", project_on_a_workbook("svar"), ["suggest", "--codebook", "kodebok.yaml"], NO_SHEET),
    ("report-wrong-sheet", project_on_a_workbook("svar"), ["report"], NO_SHEET),
    ("code-answers-on-a-later-sheet", project_on_a_workbook(None), ["code", "--out", "refs.csv"], FIRST_SHEET),
]


@pytest.mark.parametrize("setup, args, fragment", [s[1:] for s in SETTINGS], ids=[s[0] for s in SETTINGS])
def test_a_project_setting_is_pointed_at_in_the_project_file(tmp_path: Path, setup: Callable[[Path], None],
                                                             args: list[str], fragment: str) -> None:
    make_project(tmp_path, hand=False)
    setup(tmp_path)
    outcome = run_checked(args, tmp_path)
    assert_clean_refusal(outcome, fragment)
    assert "--sheet" not in outcome.result.stderr


def test_a_right_sheet_in_the_project_file_is_read(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    project_on_a_workbook("Svar")(tmp_path)
    result = run(["code", "--out", "refs.csv"], tmp_path)
    assert result.exit_code == 0, result.output
    assert [row["case_id"] for row in table(tmp_path, "refs.csv")] == ["0301", "0301", "4601"]
