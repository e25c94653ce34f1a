"""Review sheets: suggested codes out to a spreadsheet, the researcher's decisions back in.

:func:`write_review_sheet` writes one row per answer: ``case_id``, ``question``, ``text``,
``suggested`` (which codes the automatic coding found, how, and how sure), then **one column per
code** and a final ``others`` column. In a code column:

* ``?``: suggested by the automatic coding, not yet decided;
* ``yes`` / ``no``: a decision (an existing hand decision is shown this way, so it can be changed);
* blank: not suggested, not decided.

The researcher writes ``yes`` or ``no`` (``ja``/``nei``, ``x``, ``1``/``0`` also work) in the cells
they decide, and ``no`` in ``others`` to say "every code I did not mark yes does not apply". XLSX
sheets get drop-down lists, a frozen header and a second sheet listing the codes.

:func:`read_review_sheet` turns the sheet back into hand decisions (``method=manual`` rows with
``decision`` yes/no and whole-answer spans) and :func:`import_review` writes them to a hand-coding
file, refusing to overwrite an existing one unless asked to merge into it (keeping, untouched, the
rows of questions the sheet does not decide: a project's hand file holds every codebook's).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .codings_io import DECISION_WORDS, read_codings, read_other_questions, write_codings_csv
from .frame import ANSWER_KEY, KEY, decisions_of, sort_codings
from ..errors import InputError, OutputError
from ..sources.tables import atomic_write, read_rows, read_xlsx_rows, safe_cell, write_csv_rows

FIXED_COLUMNS = ["case_id", "question", "text", "suggested"]
OTHERS = "others"
NOTE = "note"
UNDECIDED = {"", "?"}


def review_frame(answers: pd.DataFrame, codings: pd.DataFrame, code_ids: list[str],
                 manual: pd.DataFrame | None = None) -> pd.DataFrame:
    """The review sheet as a DataFrame (see the module docstring for the columns).

    Parameters
    ----------
    answers : DataFrame
        The answers to review (``case_id``, ``question``, ``text``), in the order wanted.
    codings : DataFrame
        Automatic codings (keyword/classifier) of those answers: the suggestions.
    code_ids : list of str
        The codebook's codes, one column each.
    manual : DataFrame, optional
        Existing hand decisions, shown as ``yes``/``no``.
    """
    frame = answers[[*ANSWER_KEY, "text"]].reset_index(drop=True).copy()
    index = pd.MultiIndex.from_frame(frame[ANSWER_KEY])
    auto = codings[codings["method"] != "manual"] if not codings.empty else codings
    suggested: dict[tuple[str, str], list[str]] = {}
    cells = {code: [""] * len(frame) for code in code_ids}
    position = {key: i for i, key in enumerate(index)}
    if not auto.empty:
        best = auto.sort_values("score", ascending=False, kind="mergesort").drop_duplicates(KEY)
        for row in best.sort_values(["code_id"]).itertuples(index=False):
            i = position.get((row.case_id, row.question))
            if i is None or row.code_id not in cells:
                continue
            cells[row.code_id][i] = "?"
            how = "keyword" if row.method == "keyword" else f"{row.method} {float(row.score):.2f}"
            suggested.setdefault((row.case_id, row.question), []).append(f"{row.code_id} ({how})")
    if manual is not None and not manual.empty:
        for (case_id, question, code_id), value in zip(manual[KEY].itertuples(index=False, name=None),
                                                       decisions_of(manual)):
            i = position.get((case_id, question))
            if i is not None and code_id in cells:
                cells[code_id][i] = value
    frame["suggested"] = [", ".join(suggested.get(key, [])) for key in index]
    for code in code_ids:
        frame[code] = cells[code]
    frame[OTHERS] = ""
    frame[NOTE] = ""
    return frame


def write_review_sheet(path: str | os.PathLike[str], sheet: pd.DataFrame,
                       codes: list[tuple[str, str, str]] | None = None) -> None:
    """Write a review sheet as ``.xlsx`` (drop-downs, frozen header) or ``.csv`` (UTF-8 with BOM).

    ``codes`` lists ``(code_id, label, description)`` for the XLSX "codes" sheet.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        write_csv_rows(path, list(sheet.columns), sheet.itertuples(index=False, name=None))
        return
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: a review sheet must be .xlsx or .csv; change the file name", code="E504")
    _write_xlsx(path, sheet, codes or [])


def _write_xlsx(path: Path, sheet: pd.DataFrame, codes: list[tuple[str, str, str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = "review"
    ws.append(list(sheet.columns))
    for row in sheet.itertuples(index=False):
        ws.append([safe_cell(value) for value in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "D2"
    widths = {"case_id": 10, "question": 14, "text": 60, "suggested": 30, NOTE: 30}
    for number, name in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = widths.get(name, max(6, len(name) + 2))
    text_column = list(sheet.columns).index("text") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=text_column, max_col=text_column):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    decision_columns = [i for i, name in enumerate(sheet.columns, start=1)
                        if name not in FIXED_COLUMNS and name != NOTE]
    if decision_columns and len(sheet):
        validation = DataValidation(type="list", formula1='"yes,no,?"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="yes, no or ?",
                                    error="Write yes, no, ? or leave the cell blank.")
        first, last = get_column_letter(decision_columns[0]), get_column_letter(decision_columns[-1])
        validation.add(f"{first}2:{last}{len(sheet) + 1}")
        ws.add_data_validation(validation)
    listing = book.create_sheet("codes")
    listing.append(["code_id", "label", "description"])
    for code in codes:
        listing.append([safe_cell(value) for value in code])
    with atomic_write(path, "wb") as handle:
        book.save(handle)


def read_review_sheet(path: str | os.PathLike[str], code_ids: list[str],
                      answers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a filled-in review sheet into hand decisions (codings frame with ``decision``).

    Raises
    ------
    InputError
        One line naming the sheet, row and column: a missing column, an unknown code column, a cell
        that is not yes/no/?, or (when ``answers`` is given) an answer the corpus does not have.
    """
    path = Path(path)
    rows = _sheet_rows(path)
    if not rows:
        raise InputError(f"{path}: review sheet is empty; export one with `fritekst review export`",
                         code="E105")
    header = [str(h).strip() if h is not None else "" for h in rows[0][1]]
    for required in ("case_id", "question", "text"):
        if required not in header:
            raise InputError(f"{path}:1: review sheet has no column {required!r}; keep the columns "
                             "`fritekst review export` wrote", code="E106")
    known = set(code_ids)
    extra = [h for h in header if h and h not in FIXED_COLUMNS and h not in (OTHERS, NOTE)]
    unknown = [h for h in extra if h not in known]
    if unknown:
        raise InputError(f"{path}:1: column {unknown[0]!r} is not a code of the codebook; rename it to a "
                         "code id or delete the column", code="E112")
    column = {name: i for i, name in enumerate(header) if name}
    texts = answers.set_index(ANSWER_KEY)["text"] if answers is not None else None
    records = []
    seen: dict[tuple[str, str], int] = {}
    for line, raw in rows[1:]:
        values = ["" if v is None else str(v).strip() if not isinstance(v, str) else v for v in raw]
        values += [""] * (len(header) - len(values))
        case_id, question = values[column["case_id"]].strip(), values[column["question"]].strip()
        if not case_id and not question:
            continue
        if not case_id or not question:
            raise InputError(f"{path}:{line}: row has an empty case_id or question; restore it from the export",
                             code="E110")
        if (case_id, question) in seen:
            raise InputError(f"{path}:{line}: case {case_id} ({question}) is also on row {seen[case_id, question]}; "
                             "keep one row per answer", code="E110")
        seen[case_id, question] = line
        text = values[column["text"]]
        for code in extra:  # a bad decision cell is named before a changed text
            _decision(path, line, code, values[column[code]])
        if texts is not None:
            corpus_text = texts.get((case_id, question))
            if corpus_text is None:
                raise InputError(f"{path}:{line}: case {case_id} has no answer to {question!r} in the corpus; "
                                 "check that the sheet belongs to this corpus", code="E113")
            if _comparable(text) != _comparable(corpus_text):
                raise InputError(f"{path}:{line}: the text of case {case_id} ({question}) in the sheet is not "
                                 "its answer in the corpus (the corpus changed since the sheet was exported); "
                                 "export a new sheet for this answer and decide it again", code="E113")
            length = len(corpus_text)
        else:
            length = len(text)
        others = _decision(path, line, OTHERS, values[column[OTHERS]] if OTHERS in column else "")
        for code in extra:
            decision = _decision(path, line, code, values[column[code]])
            if decision is None and others == "no":
                decision = "no"
            if decision is None:
                continue
            records.append({"case_id": case_id, "question": question, "code_id": code, "start": 0,
                            "end": int(length), "method": "manual", "rule_id": "review", "score": 1.0,
                            "decision": decision, "coded_text": text if decision == "yes" else ""})
    frame = pd.DataFrame(records, columns=[*KEY, "start", "end", "method", "rule_id", "score", "decision",
                                           "coded_text"])
    frame["start"] = frame["start"].astype("Int64")
    frame["end"] = frame["end"].astype("Int64")
    return sort_codings(frame)


def _comparable(text: str) -> str:
    """Answer text as compared between a sheet and the corpus: NFC, LF line breaks, outer space trimmed."""
    return unicodedata.normalize("NFC", str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()


def _decision(path: Path, line: int, column: str, value: str) -> str | None:
    word = value.strip().lower()
    if word in UNDECIDED:
        return None
    decision = DECISION_WORDS.get(word)
    if decision is None:
        raise InputError(f"{path}:{line}: column {column!r} has {value!r}; expected yes, no, ? or blank",
                         code="E111")
    return decision


def _sheet_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """The header (line 1) and every row of a sheet with its line (row) number."""
    if not path.is_file():
        raise InputError(f"{path}: review sheet not found; check the path", code="E101")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            header, rows = read_rows(path, "review sheet")
        except InputError as exc:
            if "is empty" in str(exc):
                return []
            raise
        return [(1, header), *rows]
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError(f"{path}: review sheet must be .xlsx or .csv; save it in one of those formats",
                         code="E104")
    return read_xlsx_rows(path, "review sheet", sheet="review")


def _keys(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(frame[KEY].itertuples(index=False, name=None))


@dataclass
class ImportReport:
    """What importing a review sheet did to the hand-coding file."""

    decisions: int
    yes: int
    no: int
    new: int
    changed: int
    unchanged: int
    kept: int

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"{self.decisions} hand decisions from the sheet ({self.yes} yes, {self.no} no): {self.new} new, "
                f"{self.changed} changed, {self.unchanged} unchanged; {self.kept} earlier decisions kept")


def import_review(sheet_path: str | os.PathLike[str], out: str | os.PathLike[str], code_ids: list[str], *,
                  merge: bool = False, answers: pd.DataFrame | None = None,
                  code_paths: dict[str, str] | None = None) -> ImportReport:
    """Read a review sheet and write its decisions to a hand-coding file (atomically).

    An existing ``out`` is never overwritten silently: without ``merge`` this refuses; with ``merge``
    the sheet's decisions replace the file's decisions for the same answer and code (the sheet showed
    the file's decisions, so a difference is a deliberate change), and every other decision in the
    file is kept. Rows of questions the sheet decides nothing for (another codebook's, in a project's
    hand file for every codebook) are neither checked against this codebook nor changed: they are
    written back cell by cell, columns fritekst does not write (``note``) included.
    """
    out = Path(out)
    decisions = read_review_sheet(sheet_path, code_ids, answers)
    if out.exists() and not merge:
        raise OutputError(f"{out}: hand-coding file already exists; merge the sheet's "
                          "decisions into it, or choose another file", code="E503", option="merge")
    # A project's hand file holds every codebook's decisions: the rows of questions the sheet does not
    # decide are another codebook's (or not reviewed now), so they are written back as they stand.
    questions = set(decisions["question"])
    existing = read_codings(out, code_ids=code_ids, default_method="manual", answers=answers,
                            what="hand-coding file", manual_only=True, questions=questions,
                            keep_columns=True) if out.exists() else None
    others = read_other_questions(out, questions) if out.exists() else None
    new, changed, unchanged, kept = len(decisions), 0, 0, len(others.rows) if others else 0
    frames = [decisions]
    if existing is not None and not existing.empty:
        old = dict(zip(_keys(existing), decisions_of(existing)))
        sheet = dict(zip(_keys(decisions), decisions["decision"]))
        new = sum(key not in old for key in sheet)
        unchanged_keys = {key for key, value in sheet.items() if old.get(key) == value}
        unchanged = len(unchanged_keys)
        changed = len(sheet) - new - unchanged
        kept += sum(key not in sheet for key in old)
        # an unchanged decision keeps the file's own rows: they may carry precise spans
        keep_old = [key not in sheet or key in unchanged_keys for key in _keys(existing)]
        fresh = [key not in unchanged_keys for key in _keys(decisions)]
        frames = [existing[keep_old], decisions[fresh]]
    frames = [f for f in frames if not f.empty]
    merged = sort_codings(pd.concat(frames, ignore_index=True)) if frames else decisions
    extra = existing.attrs.get("extra_columns", []) if existing is not None else []
    write_codings_csv(out, merged, answers=answers, code_paths=code_paths, kept=others, extra_columns=extra)
    yes = int((decisions["decision"] == "yes").sum())
    return ImportReport(decisions=len(decisions), yes=yes, no=len(decisions) - yes, new=new, changed=changed,
                        unchanged=unchanged, kept=kept)
