"""More of a new researcher's cases (polish11): each was accepted with a wrong result or refused wrongly.

Real files through the real CLI on the small test project, as in ``test_new_researcher.py``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .harness import make_project, run

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
