"""Writes the encoding and separator variants of svar.csv for the streaming tests.

Run once when svar.csv changes: python tests/data/stream/make_files.py
svar.csv itself (UTF-8, commas, LF, one answer in decomposed Unicode) is written by hand.
"""

import csv
import unicodedata
from pathlib import Path

here = Path(__file__).parent
with (here / "svar.csv").open(encoding="utf-8", newline="") as handle:
    rows = list(csv.reader(handle))

# Norwegian Excel: semicolons, a BOM and CRLF line ends (also inside quoted answers).
with (here / "svar_excel.csv").open("w", encoding="utf-8-sig", newline="") as handle:
    csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(
        [[cell.replace("\n", "\r\n") for cell in row] for row in rows])

# Windows-1252 (which has no combining ring, so that answer is written precomposed).
with (here / "svar_cp1252.csv").open("w", encoding="cp1252", newline="") as handle:
    csv.writer(handle, lineterminator="\r\n").writerows(
        [[unicodedata.normalize("NFC", cell) for cell in row] for row in rows])
