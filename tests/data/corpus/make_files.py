"""Writes the binary corpus fixtures (xlsx, sav, dta, parquet) from svar_utf8.csv.

Run once when the fixtures change: python tests/data/corpus/make_files.py
The CSV fixtures are written by hand and committed as they are.
"""

from pathlib import Path

import pandas as pd
import pyreadstat

here = Path(__file__).parent


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    # Written cell by cell as text: pandas would store "=1+1 ..." as a formula.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Svar"
    sheet.append(list(frame.columns))
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            cell.data_type = "s"
    book.save(path)

frame = pd.read_csv(here / "svar_utf8.csv", dtype=str, keep_default_na=False)
_write_xlsx(frame, here / "svar.xlsx")
numeric = frame.assign(kommunenr=frame["kommunenr"].astype(int))
pyreadstat.write_sav(numeric, str(here / "svar.sav"))
numeric.to_stata(here / "svar.dta", write_index=False, version=118)
frame.to_parquet(here / "svar.parquet", index=False)
