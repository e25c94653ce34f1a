"""Reading coding files (``refs.csv``, hand-coding files, scope files) into the codings frame.

A hand-coding file is a ``refs.csv`` a researcher wrote or edited, often in Excel: it may be saved
with semicolons, without a BOM, with blank ``start``/``end`` (the code applies to the whole answer)
and with an optional ``decision`` column whose ``no`` rows are explicit "not this code" decisions.
Every problem is reported as one line naming the file and the line, so the researcher can fix it.

The frame returned is a codings frame (:mod:`fritekst.coding.frame`) plus ``decision`` (``"yes"`` or
``"no"``) and ``coded_text``. ``start``/``end`` may be ``<NA>`` ("the whole answer") until
:func:`fritekst.coding.frame.fill_whole_answer_spans` fills them in from the answer texts.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "hand.csv"
>>> _ = path.write_text("case_id;question;code_id;decision\\n0301;grunn_nei;okonomi;ja\\n",
...                     encoding="utf-8-sig")
>>> frame = read_codings(path, code_ids={"okonomi"}, default_method="manual")
>>> frame[["case_id", "code_id", "method", "decision"]].values.tolist()
[['0301', 'okonomi', 'manual', 'yes']]
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import NamedTuple, TypedDict

import numpy as np
import pandas as pd

from ..errors import InputError
from ..sources.tables import describe_header, read_rows, read_xlsx_rows, write_csv_rows
from .frame import ANSWER_KEY, METHODS, empty_codings, fill_whole_answer_spans, sort_codings

#: Spellings accepted in a ``decision`` column; Norwegian researchers write ja/nei as often as yes/no.
DECISION_WORDS = {"yes": "yes", "y": "yes", "ja": "yes", "j": "yes", "1": "yes", "x": "yes",
                  "no": "no", "n": "no", "nei": "no", "0": "no"}
REQUIRED_COLUMNS = ("case_id", "question", "code_id")
#: The columns of a coding file fritekst reads (``code_path`` is written, and made again from the codebook).
READ_COLUMNS = {*REQUIRED_COLUMNS, "start", "end", "method", "rule_id", "score", "decision", "coded_text", "code_path"}
#: The columns of a hand-coding file fritekst writes, in order.
HAND_FILE_COLUMNS = ("case_id", "question", "code_id", "code_path", "coded_text", "start", "end", "method",
                     "rule_id", "score", "decision")


def read_codings(path: str | os.PathLike[str], *, code_ids: Collection[str] | None = None,
                 default_method: str | None = None, answers: pd.DataFrame | None = None,
                 what: str = "codings file", manual_only: bool = False,
                 questions: Collection[str] | None = None, keep_columns: bool = False) -> pd.DataFrame:
    """Read a refs.csv or hand-coding file and validate every row.

    Parameters
    ----------
    path : path-like
        CSV in UTF-8 (BOM optional), separated by commas, semicolons or tabs.
    code_ids : collection of str, optional
        The codebook's code ids; a row with any other code id is an error (with a suggestion).
    default_method : str, optional
        Method for rows whose ``method`` cell (or column) is missing, e.g. ``"manual"`` for hand files.
        Without it a missing ``method`` column is an error.
    answers : DataFrame, optional
        The corpus answers (``case_id``, ``question``, ``text``). When given, every row must name an
        existing answer, spans must lie inside its text, and blank spans become the whole answer.
    what : str
        How to call the file in messages ("gold file", "hand-coding file").
    manual_only : bool
        Every row must be ``method=manual`` (hand-coding files: a row coded by a rule or a classifier
        is not a person's decision, so it is refused rather than promoted to one).
    questions : collection of str, optional
        Read only the rows of these questions; the others are skipped unchecked. A project's hand
        file covers every codebook, so a command about one codebook (``suggest``, ``review export``)
        refused its first row of another codebook's question as an unknown code id.
    keep_columns : bool
        Also return the columns fritekst does not read (a researcher's ``note``), as text under their
        names in the file, listed in ``frame.attrs["extra_columns"]``: a command that rewrites the
        file (``review import --merge``) writes them back.

    Returns
    -------
    DataFrame
        :data:`CODING_COLUMNS` plus ``decision`` and ``coded_text``, sorted.

    Raises
    ------
    InputError
        One line: ``<file>:<line>: what was wrong; what was expected``.
    """
    path = Path(path)
    header, rows = _read_rows(path, what)
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            raise InputError(f"{path}:1: {what} has no column {required!r} ({describe_header(header)}); "
                             "a codings file needs case_id, question and code_id (and optionally start, "
                             "end, method, rule_id, score, decision)", code="E106")
    if "method" not in columns and default_method is None:
        raise InputError(f"{path}:1: {what} has no column 'method'; add it (keyword, classifier or manual)",
                         code="E106")
    known = set(code_ids) if code_ids is not None else None
    records: list[_Row] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    wanted = set(questions) if questions is not None else None
    for line, cells in rows:
        if wanted is not None and _cell(cells, columns, "question") not in wanted:
            continue
        record = _parse_row(path, line, cells, columns, known, default_method, what)
        if manual_only and record["method"] != "manual":
            raise InputError(f"{path}:{line}: method {record['method']!r} in a {what}; hand decisions must "
                             "be method manual (rows made by keyword rules or a classifier are not a "
                             "person's decision): delete the row or mark it manual after checking it", code="E111")
        records.append(record)
        decision_key = (record["case_id"], record["question"], record["code_id"], record["decision"])
        opposite = (*decision_key[:3], "no" if record["decision"] == "yes" else "yes")
        if opposite in seen:
            raise InputError(f"{path}:{line}: {record['code_id']} on case {record['case_id']} "
                             f"({record['question']}) is decided both yes and no (other decision on line "
                             f"{seen[opposite]}); keep one of the two rows", code="E114")
        seen.setdefault(decision_key, line)
    frame = _to_frame(records)
    moved: list[str] = []
    if answers is not None:
        frame = _check_against_answers(path, frame, answers, what)
        moved = frame.attrs.get("moved", [])
    extra = [name.strip() for name in header if name.strip() and name.strip().lower() not in READ_COLUMNS] \
        if keep_columns else []
    if extra:
        cells_of = dict(rows)
        for name in extra:
            index = columns[name.lower()]
            frame[name] = [cells_of[line][index] if index < len(cells_of[line]) else "" for line in frame["_line"]]
    result = sort_codings(frame.drop(columns="_line", errors="ignore"))
    result.attrs["moved"] = moved  # rows whose coded text was found again elsewhere in its answer
    result.attrs["extra_columns"] = extra
    return result


def read_scope(path: str | os.PathLike[str], split: str | None = None) -> pd.DataFrame:
    """Read a scope file (``case_id, question[, split]``): the answers an evaluation covers.

    Listing answers explicitly matters because an answer the hand coders gave no code does not appear
    in a coding file at all, yet it is part of what was coded (a true negative for every code).

    Parameters
    ----------
    path : path-like
        CSV with columns ``case_id`` and ``question``, optionally ``split``.
    split : str, optional
        Keep only rows whose ``split`` is this value (``train`` or ``heldout``).

    Returns
    -------
    DataFrame
        Unique ``case_id``, ``question`` pairs, sorted.
    """
    path = Path(path)
    header, rows = _read_rows(path, "scope file")
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    for required in ANSWER_KEY:
        if required not in columns:
            raise InputError(f"{path}:1: scope file has no column {required!r}; expected columns "
                             "case_id, question and optionally split", code="E106")
    if split is not None and "split" not in columns:
        raise InputError(f"{path}:1: scope file has no column 'split' but split {split!r} was asked "
                         "for; add a split column or choose no split", code="E106", option="split")
    keys = []
    splits_seen: set[str] = set()
    for line, cells in rows:
        case_id = _cell(cells, columns, "case_id")
        question = _cell(cells, columns, "question")
        if not case_id or not question:
            raise InputError(f"{path}:{line}: empty case_id or question; every row must name one answer",
                             code="E110")
        row_split = _cell(cells, columns, "split")
        splits_seen.add(row_split)
        if split is None or row_split == split:
            keys.append((case_id, question))
    if split is not None and not keys:
        raise InputError(f"{path}:1: no rows with split {split!r}; splits in the file: "
                         f"{', '.join(sorted(s for s in splits_seen if s)) or 'none'}",
                         code="E115", option="split")
    frame = pd.DataFrame(sorted(set(keys)), columns=ANSWER_KEY, dtype=object)
    return frame


def read_other_questions(path: str | os.PathLike[str], questions: Collection[str],
                         what: str = "hand-coding file") -> KeptRows:
    """The rows of a codings file whose question is not one of ``questions``, every cell as it stands.

    A project's hand file holds the decisions of every codebook. A command that rewrites it for one
    codebook (``review import --merge``) neither checks nor changes the others' rows (their code ids
    are not in this codebook, and they are that codebook's business); it writes them back cell by
    cell, extra columns such as ``note`` included, through :func:`write_codings_csv`.
    """
    header, rows = _read_rows(Path(path), what)
    names = [name.strip() for name in header]
    columns = {name.lower(): index for index, name in enumerate(names)}
    wanted = set(questions)
    kept = [{name.lower(): (cells[index] if index < len(cells) else "") for index, name in enumerate(names) if name}
            for _, cells in rows if _cell(cells, columns, "question") not in wanted]
    extra = [name for name in names if name and name.lower() not in HAND_FILE_COLUMNS]
    return KeptRows(extra, kept)


class KeptRows(NamedTuple):
    """Rows of a codings file written back unchanged: the columns fritekst does not write, and the rows."""

    extra_columns: list[str]
    rows: list[dict[str, str]]


def write_codings_csv(path: str | os.PathLike[str], codings: pd.DataFrame,
                      answers: pd.DataFrame | None = None, code_paths: dict[str, str] | None = None,
                      kept: KeptRows | None = None, extra_columns: Sequence[str] = ()) -> None:
    """Write codings (with their ``decision`` column) as a hand-coding file, atomically.

    UTF-8 with BOM and commas, like ``refs.csv``, so Excel opens it correctly; cells go through
    :func:`fritekst.sources.tables.csv_cell` as in ``refs.csv`` (a score of 1.0 is written ``1``).
    ``coded_text`` is taken from ``answers`` when given. ``kept`` rows (:func:`read_other_questions`)
    are written as they were, sorted in among the others by case, question and code. ``extra_columns``
    (columns of ``codings`` fritekst does not write itself, e.g. a ``note`` kept by
    ``read_codings(keep_columns=True)``) and the kept rows' own extra columns follow fritekst's,
    blank where a row has none.
    """
    frame = codings.copy()
    if "decision" not in frame.columns:
        frame["decision"] = "yes"
    if answers is not None and not frame.empty:
        texts = answers.set_index(ANSWER_KEY)["text"]
        full = texts.reindex(pd.MultiIndex.from_frame(frame[ANSWER_KEY])).to_numpy()
        frame["coded_text"] = [
            "" if not isinstance(text, str) or pd.isna(start) else text[int(start):int(end)]
            for text, start, end in zip(full, frame["start"], frame["end"])]
    elif "coded_text" not in frame.columns:
        frame["coded_text"] = ""
    paths = code_paths or {}
    frame["code_path"] = [paths.get(code, "") for code in frame["code_id"]]
    columns = list(HAND_FILE_COLUMNS)
    extra = list(dict.fromkeys(extra_columns))
    lower = {name.lower() for name in extra}
    extra += [name for name in (kept.extra_columns if kept else []) if name.lower() not in lower]
    for name in extra:
        frame[name] = frame[name].fillna("") if name in frame.columns else ""
    rows: list[tuple[object, ...]] = list(frame[[*columns, *extra]].itertuples(index=False, name=None))
    if kept is not None and kept.rows:
        rows += [tuple(cells.get(name.lower(), "") for name in (*columns, *extra)) for cells in kept.rows]
        rows.sort(key=lambda row: (str(row[0]), str(row[1]), str(row[2])))  # stable: each answer's order stays
    write_csv_rows(path, [*columns, *extra], rows)


def hand_coded_keys(path: str | os.PathLike[str]) -> set[tuple[str, str, str]]:
    """The ``(case_id, question, code_id)`` of every ``method=manual`` row of an existing codings file.

    A run that writes ``refs.csv`` asks this of the file it is about to replace: researchers add hand
    codings to an earlier ``refs.csv`` in Excel, and writing over it would lose them unless this run
    reads them again. CSV (any separator) and ``.xlsx`` (its first sheet, where fritekst writes them)
    are read; a path that does not exist, cannot be read, or is not a codings file (no ``case_id``,
    ``question``, ``code_id`` and ``method`` columns) holds none.
    """
    path = Path(path)
    if not path.is_file():
        return set()
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = [(line, ["" if cell is None else str(cell) for cell in cells])
                    for line, cells in read_xlsx_rows(path, "codings file")]
            header, rows = (rows[0][1], rows[1:]) if rows else ([], [])
        else:
            header, rows = _read_rows(path, "codings file")
    except (InputError, OSError):
        return set()  # not a table fritekst can read, so not a codings file either
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    if not all(name in columns for name in (*REQUIRED_COLUMNS, "method")):
        return set()
    return {(_cell(cells, columns, "case_id"), _cell(cells, columns, "question"), _cell(cells, columns, "code_id"))
            for _, cells in rows if _cell(cells, columns, "method").lower() == "manual"}


# --- internals -----------------------------------------------------------------------------------

def _read_rows(path: Path, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Decode, sniff the separator and split into (line number, cells) rows; skip blank rows."""
    return read_rows(path, what, utf8_only=True, expected="a header row case_id,question,code_id,...")


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


class _Row(TypedDict):
    """One validated line of a coding file, before it becomes a frame row."""

    case_id: str
    question: str
    code_id: str
    start: int | None
    end: int | None
    method: str
    rule_id: str
    score: float
    decision: str
    coded_text: str
    _line: int


def _parse_row(path: Path, line: int, cells: list[str], columns: dict[str, int],
               known: set[str] | None, default_method: str | None, what: str) -> _Row:
    where = f"{path}:{line}"
    case_id, question, code_id = (_cell(cells, columns, name) for name in REQUIRED_COLUMNS)
    for name, value in (("case_id", case_id), ("question", question), ("code_id", code_id)):
        if not value:
            raise InputError(f"{where}: empty {name}; every row of a {what} needs case_id, question "
                             "and code_id", code="E110")
    if known is not None and code_id not in known:
        close = difflib.get_close_matches(code_id, sorted(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use a code id from the codebook"
        raise InputError(f"{where}: unknown code id {code_id!r}; {hint}", code="E112")
    start_text, end_text = _cell(cells, columns, "start"), _cell(cells, columns, "end")
    start: int | None = None
    end: int | None = None
    if start_text or end_text:
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            raise InputError(f"{where}: start {start_text!r} and end {end_text!r} must both be whole "
                             "numbers (character offsets), or both blank for the whole answer",
                             code="E111") from None
        if not 0 <= start < end:
            raise InputError(f"{where}: span start={start} end={end} is invalid; expected "
                             "0 <= start < end (end is exclusive)", code="E111")
    method = _cell(cells, columns, "method") or default_method or ""
    if method not in METHODS:
        raise InputError(f"{where}: method {method!r} is invalid; expected one of {', '.join(METHODS)}",
                         code="E111")
    score_text = _cell(cells, columns, "score")
    try:
        score = float(score_text.replace(",", ".")) if score_text else 1.0
    except ValueError:
        raise InputError(f"{where}: score {score_text!r} is not a number; expected a value from 0 to 1",
                         code="E111") from None
    if not 0.0 <= score <= 1.0:
        raise InputError(f"{where}: score {score} is outside 0..1; expected a probability or 1.0",
                         code="E111")
    decision_text = _cell(cells, columns, "decision").lower()
    decision = DECISION_WORDS.get(decision_text or "yes")
    if decision is None:
        raise InputError(f"{where}: decision {decision_text!r} is invalid; expected yes or no (ja/nei)", code="E111")
    # read_rows has undone safe_cell's spreadsheet guard on every cell
    coded_text = cells[columns["coded_text"]] if "coded_text" in columns and columns["coded_text"] < len(cells) else ""
    return {"case_id": case_id, "question": question, "code_id": code_id, "start": start, "end": end,
            "method": method, "rule_id": _cell(cells, columns, "rule_id"), "score": score,
            "decision": decision, "coded_text": coded_text, "_line": line}


def _to_frame(records: list[_Row]) -> pd.DataFrame:
    if not records:
        return empty_codings(extra=("decision", "coded_text", "_line"))
    frame = pd.DataFrame.from_records(records)
    frame["start"] = pd.array(frame["start"].tolist(), dtype="Int64")
    frame["end"] = pd.array(frame["end"].tolist(), dtype="Int64")
    frame["score"] = frame["score"].astype(float)
    return frame


def missing_answer_hint(case_id: str, question: str, answers: pd.DataFrame, what: str) -> str:
    """What to check when a row names no answer: the question's name, or an id a spreadsheet changed.

    Excel reads ``0301`` as the number 301 and saves it so; the plain "check case_id" left the
    researcher to find out why an id that is plainly in the corpus was not found.
    """
    questions = sorted(set(answers["question"]))
    if question not in questions:
        return f"the questions with answers are: {', '.join(questions)}; check the question column"
    ids = answers.loc[answers["question"] == question, "case_id"].astype(str)
    padded = sorted({i for i in ids if i != case_id and i.lstrip("0") == case_id.lstrip("0") and i.lstrip("0")})
    if padded:
        return (f"did you mean case {padded[0]}? (a spreadsheet program drops leading zeros: keep the "
                "case_id column as text)")
    return f"check case_id and question, or that the {what} belongs to this corpus"


def _check_against_answers(path: Path, frame: pd.DataFrame, answers: pd.DataFrame, what: str) -> pd.DataFrame:
    """Every row must name an existing answer and a span inside it; blank spans become whole answers.

    A row's ``coded_text`` (when the file has one) must be the text at its span. When the answer has
    changed since coding, the coded text is looked for again in the same answer: found exactly once,
    the row moves there and the move is recorded in ``frame.attrs["moved"]`` (file:line, old and new
    span) for the caller to report; not found, or found several times, the row is refused.
    """
    if frame.empty:
        return frame
    texts = answers.set_index(ANSWER_KEY)["text"]
    keys = pd.MultiIndex.from_frame(frame[ANSWER_KEY])
    found = texts.reindex(keys).to_numpy()
    missing = np.array([not isinstance(text, str) for text in found], dtype=bool)
    if missing.any():
        row = frame.iloc[int(np.flatnonzero(missing)[0])]
        raise InputError(f"{path}:{row['_line']}: case {row['case_id']} has no answer to "
                         f"{row['question']!r} in the corpus; "
                         + missing_answer_hint(str(row["case_id"]), str(row["question"]), answers, what),
                         code="E113")
    starts, ends = frame["start"].tolist(), frame["end"].tolist()
    coded_texts = (frame["coded_text"].tolist() if "coded_text" in frame.columns else [""] * len(frame))
    moved: list[str] = []
    # Only rows whose stored text or span does not fit their answer need a closer look; a plain
    # loop over lists (no per-row .iloc) keeps a 200k-row file fast.
    for index, (text, start, end, stored) in enumerate(zip(found, starts, ends, coded_texts)):
        coded = _comparable(str(stored)) if isinstance(stored, str) and stored else ""
        span_ok = pd.isna(end) or int(end) <= len(text)
        if span_ok and (not coded or (pd.isna(start) and coded in text)
                        or (not pd.isna(start) and text[int(start):int(end)] == coded)):
            continue
        row = frame.iloc[index]
        if coded and not pd.isna(start):
            where = f"{path}:{row['_line']}"
            hits = _occurrences(text, coded)
            if len(hits) != 1:
                times = "no longer occurs in it" if not hits else f"occurs {len(hits)} times in it"
                raise InputError(f"{where}: coded_text {_short(coded)!r} is not the text at {int(start)}–"
                                 f"{int(end)} of case {row['case_id']}'s answer to {row['question']} and "
                                 f"{times} (the answer changed since coding); code this answer again or "
                                 "correct start and end", code="E113")
            starts[index], ends[index] = hits[0], hits[0] + len(coded)
            moved.append(f"{where}: {row['code_id']} on case {row['case_id']} moved from {int(start)}–"
                         f"{int(end)} to {hits[0]}–{hits[0] + len(coded)}, where its coded text now is")
        elif not span_ok:
            raise InputError(f"{path}:{row['_line']}: span end={row['end']} is past the end of the answer "
                             f"({len(text)} characters); the corpus may have changed since coding", code="E113")
        else:
            raise InputError(f"{path}:{row['_line']}: coded_text {_short(coded)!r} is not case "
                             f"{row['case_id']}'s answer to {row['question']} (the row has no span, so it "
                             "means the whole answer, which has changed); code this answer again", code="E113")
    frame = frame.copy()
    frame["start"] = pd.array(starts, dtype="Int64")
    frame["end"] = pd.array(ends, dtype="Int64")
    filled = fill_whole_answer_spans(frame, answers)
    filled.attrs["moved"] = moved
    return filled


def _comparable(text: str) -> str:
    """Coded text as the corpus holds answers: NFC, line breaks as LF (see sources.corpus)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _occurrences(text: str, part: str) -> list[int]:
    hits: list[int] = []
    at = text.find(part)
    while at != -1 and len(hits) < 3:
        hits.append(at)
        at = text.find(part, at + 1)
    return hits


def _short(text: str, width: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
