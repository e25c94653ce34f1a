"""Pinned and banned quotes: a researcher's (or the workbench's) choices of which answers a report quotes.

A report picks its quotes by a seeded rule (:mod:`fritekst.analysis.quotes`). A researcher who cites a
quote in a publication wants it to stay, and one who finds a quote unsuitable (it identifies someone,
or is off the point) wants it gone for good. Those decisions live in one small CSV file in the
project, named by ``[report] quote_choices`` (default ``sitatvalg.csv`` next to ``fritekst.toml``; no
file means no choices), with one row per decision:

=============  ==========================================================================
question       the open question's text column (e.g. ``grunn_nei``)
code_id        the theme the quote is shown under
case_id        the respondent whose answer is quoted
choice         ``pin`` (always quote it, before the seeded picks) or ``ban`` (never quote it)
coder          who decided (free text, may be empty)
decided_at     when, as ISO 8601 (``2024-03-01`` or ``2024-03-01T14:05:00``; may be empty)
=============  ==========================================================================

When the same (question, code_id, case_id) appears more than once, the last row wins, so a tool can
append a new decision instead of rewriting the file. Pins keep their file order.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "sitatvalg.csv"
>>> frame = pd.DataFrame([{"question": "grunn_nei", "code_id": "okonomi", "case_id": "K0042",
...                        "choice": "pin", "coder": "ida", "decided_at": "2024-03-01"}])
>>> write_quote_choices(path, frame)
>>> read_quote_choices(path)[["case_id", "choice"]].values.tolist()
[['K0042', 'pin']]
>>> quote_decisions(read_quote_choices(path))[("grunn_nei", "okonomi")].pins
['K0042']
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..sources.tables import atomic_write, required_header, safe_cell

#: The default file name, next to the project file.
DEFAULT_QUOTE_CHOICES = "sitatvalg.csv"
QUOTE_CHOICE_COLUMNS = ["question", "code_id", "case_id", "choice", "coder", "decided_at"]
REQUIRED_COLUMNS = ("question", "code_id", "case_id", "choice")
CHOICES = ("pin", "ban")


@dataclass
class QuoteDecisions:
    """The decisions for one (question, theme): pinned case ids in order, banned case ids."""

    pins: list[str] = field(default_factory=list)
    bans: set[str] = field(default_factory=set)


def empty_quote_choices() -> pd.DataFrame:
    """A quote-choices frame with no rows (every column text)."""
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in QUOTE_CHOICE_COLUMNS})


def read_quote_choices(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and check a quote-choices CSV; a missing file means no choices (an empty frame).

    The separator may be ``,`` or ``;`` (Excel in Norway saves with ``;``); UTF-8 with or without BOM.
    Raises :class:`~fritekst.errors.InputError` naming the file and line of the first problem.

    Returns
    -------
    DataFrame
        :data:`QUOTE_CHOICE_COLUMNS`, all text, in file order.
    """
    path = Path(path)
    if not path.exists():
        return empty_quote_choices()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text; save the quote choices as 'CSV UTF-8'",
                         code="E102") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read the quote choices ({exc.strerror}); check the file",
                         code="E103") from exc
    if not text.strip():
        return empty_quote_choices()
    first = text.splitlines()[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    header = required_header(path, rows[0], REQUIRED_COLUMNS,
                             f"quote choices need the columns {', '.join(QUOTE_CHOICE_COLUMNS)}")
    records = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise InputError(f"{path}:{line}: {len(cells)} cells but {len(header)} columns; quote the "
                             "cell that holds the separator", code="E103")
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        record = {column: values.get(column, "") for column in QUOTE_CHOICE_COLUMNS}
        _check_record(path, line, record)
        records.append(record)
    if not records:
        return empty_quote_choices()
    return pd.DataFrame.from_records(records, columns=QUOTE_CHOICE_COLUMNS).astype(object)


def _check_record(path: Path, line: int, record: dict[str, str]) -> None:
    for column in REQUIRED_COLUMNS:
        if not record[column]:
            raise InputError(f"{path}:{line}: empty {column}; every row needs a question, code_id, "
                             "case_id and choice", code="E110")
    record["choice"] = record["choice"].lower()
    if record["choice"] not in CHOICES:
        raise InputError(f"{path}:{line}: choice {record['choice']!r} is neither 'pin' nor 'ban'; "
                         "write pin (always quote) or ban (never quote)", code="E111")
    if record["decided_at"] and not _is_iso_time(record["decided_at"]):
        raise InputError(f"{path}:{line}: decided_at {record['decided_at']!r} is not an ISO 8601 date "
                         "or time; write e.g. 2024-03-01 or 2024-03-01T14:05:00, or leave it empty",
                         code="E111")


def _is_iso_time(value: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value.replace("Z", "+00:00"))
            return True
        except ValueError:
            continue
    return False


def write_quote_choices(path: str | os.PathLike[str], frame: pd.DataFrame) -> None:
    """Write quote choices as a UTF-8 CSV (with BOM, for Excel), atomically.

    The frame is checked as :func:`read_quote_choices` would check the file (line numbers count the
    header as line 1), so a tool can never write a file the report then refuses. Missing optional
    columns (``coder``, ``decided_at``) are written empty.
    """
    path = Path(path)
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"{path}: quote choices to write have no column {missing[0]!r}; give the "
                         f"columns {', '.join(QUOTE_CHOICE_COLUMNS)}", code="E106")
    records = []
    for line, row in enumerate(frame.to_dict("records"), start=2):
        record = {column: _text(row.get(column)) for column in QUOTE_CHOICE_COLUMNS}
        _check_record(path, line, record)
        records.append(record)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(QUOTE_CHOICE_COLUMNS)
    for record in records:
        writer.writerow([safe_cell(record[column]) for column in QUOTE_CHOICE_COLUMNS])
    with atomic_write(path, "wb") as handle:
        handle.write(buffer.getvalue().encode("utf-8-sig"))


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def quote_decisions(frame: pd.DataFrame) -> dict[tuple[str, str], QuoteDecisions]:
    """(question, code_id) → its pins (in file order) and bans; the last row for a case wins."""
    last: dict[tuple[str, str, str], str] = {}
    for question, code_id, case_id, choice in frame[["question", "code_id", "case_id", "choice"]].itertuples(
            index=False, name=None):
        key = (str(question), str(code_id), str(case_id))
        last.pop(key, None)  # re-inserting moves a re-decided case to its latest position
        last[key] = str(choice)
    decisions: dict[tuple[str, str], QuoteDecisions] = {}
    for (question, code_id, case_id), choice in last.items():
        entry = decisions.setdefault((question, code_id), QuoteDecisions())
        if choice == "pin":
            entry.pins.append(case_id)
        else:
            entry.bans.add(case_id)
    return decisions
