"""NVivo-like exports: coding references (one row per coding) and the cases × codes matrix.

Both are CSV in UTF-8 with a BOM, so Excel on Windows opens Norwegian letters correctly, and every
text cell that a spreadsheet would run as a formula is neutralised (see :func:`fritekst.sources.tables.safe_cell`).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from ..errors import FritekstError
from ..sources.tables import atomic_files, atomic_write, csv_cell, safe_cell, write_csv_to  # noqa: F401 (csv_cell re-exported)

REFS_COLUMNS = ["case_id", "question", "code_id", "code_path", "coded_text", "start", "end", "method",
                "rule_id", "score"]


def code_index(codebooks: Sequence[Codebook]) -> dict[str, Codebook]:
    """Map each code id to the codebook that defines it; a code id in two codebooks is an error."""
    index: dict[str, Codebook] = {}
    for codebook in codebooks:
        for code_id in codebook.code_ids:
            if code_id in index and index[code_id] is not codebook:
                raise FritekstError(f"{codebook.path}: code id {code_id!r} is also defined in "
                                    f"{index[code_id].path}; code ids must be unique across the "
                                    "codebooks used together; rename one", code="E205")
            index[code_id] = codebook
    return index


#: Strongest first: a span found by hand and by a rule is reported as the hand coding.
_METHOD_RANK = {"manual": 0, "keyword": 1, "classifier": 2}


def collapse_duplicates(codings: pd.DataFrame) -> pd.DataFrame:
    """One row per coding: rows of the same code on the same span of an answer become one.

    The row kept is the strongest method's (manual, keyword, classifier); ``rule_id`` lists every
    rule that found it (``"a; b"``, in order of appearance) and ``score`` is the highest. Different
    spans of one code stay separate rows (they are separate quotes).

    Examples
    --------
    >>> frame = pd.DataFrame({"case_id": ["1", "1"], "question": ["q", "q"], "code_id": ["c", "c"],
    ...                       "start": [0, 0], "end": [5, 5], "method": ["keyword", "classifier"],
    ...                       "rule_id": ["ord", "clf"], "score": [1.0, 0.7]})
    >>> collapse_duplicates(frame)[["method", "rule_id", "score"]].values.tolist()
    [['keyword', 'ord; clf', 1.0]]
    """
    if codings.empty:
        return codings
    key = ["case_id", "question", "code_id", "start", "end"]
    keys = list(zip(*(codings[c].astype(object).where(codings[c].notna(), None).tolist() for c in key)))
    if len(set(keys)) == len(keys):
        return codings  # the common case: nothing to collapse, the frame as it was
    methods = codings["method"].astype(str).tolist()
    rules = codings["rule_id"].astype(object).where(codings["rule_id"].notna(), "").astype(str).tolist()
    scores = codings["score"].astype(float).tolist()
    first: dict[tuple[object, ...], int] = {}
    keep: list[int] = []
    merged_rules: dict[int, list[str]] = {}
    best_score: dict[int, float] = {}
    for row, k in enumerate(keys):
        if k not in first:
            first[k] = row
            keep.append(row)
            merged_rules[row] = [rules[row]] if rules[row] else []
            best_score[row] = scores[row]
            continue
        kept = first[k]
        if _METHOD_RANK.get(methods[row], 9) < _METHOD_RANK.get(methods[kept], 9):
            index = keep.index(kept)
            keep[index] = row
            first[k] = row
            merged_rules[row], best_score[row] = merged_rules.pop(kept), best_score.pop(kept)
            kept = row
        if rules[row] and rules[row] not in merged_rules[kept]:
            merged_rules[kept].append(rules[row])
        best_score[kept] = max(best_score[kept], scores[row])
    out = codings.iloc[keep].copy()
    out["rule_id"] = ["; ".join(merged_rules[row]) for row in keep]
    out["score"] = [best_score[row] for row in keep]
    return out


def refs_frame(codings: pd.DataFrame, corpus: Corpus, codebooks: Sequence[Codebook]) -> pd.DataFrame:
    """Coding references: one row per coding (duplicates collapsed), code path, coded text, attributes."""
    index = code_index(codebooks)
    texts = {(c, q): t for c, q, t in corpus.answers[["case_id", "question", "text"]].itertuples(index=False)}
    refs = collapse_duplicates(codings).copy()
    refs["code_path"] = [index[c].code_path(c) if c in index else c for c in refs["code_id"]]
    refs["coded_text"] = [texts.get((c, q), "")[s:e] for c, q, s, e in
                          refs[["case_id", "question", "start", "end"]].itertuples(index=False)]
    refs = refs[REFS_COLUMNS + [c for c in codings.columns if c not in REFS_COLUMNS]]
    return refs.merge(corpus.cases, on="case_id", how="left", suffixes=("", "_case"))


MatrixColumn = tuple[str, "str | None", frozenset[str]]


def matrix_columns(questions: Sequence[str], codebooks: Sequence[Codebook],
                   assignment: Mapping[str, Sequence[str]] | None = None,
                   taken: Collection[str] = ()) -> list[MatrixColumn]:
    """The code columns of the matrix: ``(name, question or None, code ids that make it 1)``.

    A parent code is 1 when it or any code below it is (as NVivo's matrix counts a node with its
    children). A codebook that codes two or more questions gets a column per question and code,
    named ``question:code_id``, so a reason given after "Ja" stays apart from one after "Nei".
    ``taken`` are attribute names a plain code id must not repeat (it becomes ``code:<id>``).
    """
    columns: list[MatrixColumn] = []
    for book in codebooks:
        asked = [q for q in questions if assignment is None or book.id in assignment.get(q, ())]
        below: dict[str, set[str]] = {code.id: {code.id} for code in book.codes}
        for code in book.codes:
            parent = code.parent
            while parent is not None and parent in below:
                below[parent].add(code.id)
                parent = book.code(parent).parent
        if len(asked) > 1:
            columns += [(f"{q}:{code.id}", q, frozenset(below[code.id])) for q in asked for code in book.codes]
        else:
            columns += [(code.id if code.id not in taken else f"code:{code.id}", None, frozenset(below[code.id]))
                        for code in book.codes]
    return columns


def matrix_frame(codings: pd.DataFrame, corpus: Corpus, codebooks: Sequence[Codebook],
                 assignment: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """One row per case: the attributes, then a 0/1 column per code (see :func:`matrix_columns`)."""
    code_index(codebooks)  # a code id in two codebooks is an error here too
    pairs = codings[["case_id", "question", "code_id"]].drop_duplicates()
    coded: dict[tuple[str, str], set[str]] = {}
    for case_id, question, code_id in pairs.itertuples(index=False):
        coded.setdefault((question, code_id), set()).add(case_id)
    case_ids = corpus.cases["case_id"].tolist()
    columns = {}
    for name, question, ids in matrix_columns(corpus.questions, codebooks, assignment, corpus.cases.columns):
        hit: set[str] = set()
        for (q, code_id), cases in coded.items():
            if code_id in ids and (question is None or q == question):
                hit |= cases
        columns[name] = [int(case_id in hit) for case_id in case_ids]
    # Built as one block: inserting 100+ columns one by one fragments the frame (and pandas warns).
    flags = pd.DataFrame(columns, index=corpus.cases.index, dtype="int64")
    return pd.concat([corpus.cases, flags], axis=1)


def matrix_labels(corpus: Corpus, codebooks: Sequence[Codebook],
                  assignment: Mapping[str, Sequence[str]] | None = None,
                  question_labels: Mapping[str, str] | None = None) -> list[str]:
    """Header labels for a matrix (attributes by name, codes by label, per question when split)."""
    index = code_index(codebooks)
    labels = []
    for name, question, _ in matrix_columns(corpus.questions, codebooks, assignment, corpus.cases.columns):
        code_id = name.split(":", 1)[1] if ":" in name else name
        label = index[code_id].code(code_id).label
        labels.append(f"{label} ({(question_labels or {}).get(question, question)})" if question else label)
    return [*corpus.cases.columns, *labels]


def write_csv(frame: pd.DataFrame, path: str | Path | IO[bytes], *, excel_nb: bool = False) -> None:
    """Write a frame as UTF-8-with-BOM CSV, atomically, with formula-like text neutralised.

    ``excel_nb``: the dialect Excel expects with Norwegian regional settings: ``;`` between fields
    and a decimal comma in numbers (0,8312), so the file opens in columns and scores stay numbers.
    ``path`` may also be an open binary handle (then the caller makes the write atomic).
    """
    if not isinstance(path, (str, Path)):
        _csv_into(frame, path, excel_nb)
        return
    with atomic_write(path, "wb", encoding=None) as handle:
        _csv_into(frame, handle, excel_nb)


class _Utf8Text:
    """Text written as UTF-8 bytes into a binary handle (what ``open(..., encoding="utf-8")`` does)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle

    def write(self, text: str) -> int:
        return self._handle.write(text.encode("utf-8"))


def _csv_into(frame: pd.DataFrame, handle: IO[bytes], excel_nb: bool) -> None:
    handle.write(codecs.BOM_UTF8)
    writer = csv.writer(_Utf8Text(handle), lineterminator="\r\n", delimiter=";" if excel_nb else ",")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        if excel_nb:
            writer.writerow([_decimal_comma(csv_cell(v)) for v in row])
        else:
            writer.writerow([csv_cell(v) for v in row])


def _decimal_comma(value: object) -> object:
    return str(value).replace(".", ",") if isinstance(value, float) else value


def write_xlsx(frame: pd.DataFrame, path: str | Path | IO[bytes], *, header: Sequence[str] | None = None,
               sheet: str = "Ark1") -> None:
    """Write a frame as an Excel workbook, atomically; ``header`` replaces the column names.

    ``path`` may also be an open binary handle (then the caller makes the write atomic).

    Text that Excel would run as a formula is stored as text (never as a formula); numbers stay
    numbers; missing values are empty cells.
    """
    from openpyxl import Workbook  # late: openpyxl is only needed for .xlsx outputs
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])

    def cell(value: object) -> object:
        value = csv_cell(value)
        if isinstance(value, str):
            value = value[1:] if value.startswith("'") and value[1:2] in ("=", "+", "-", "@") else value
            text = WriteOnlyCell(ws, value=value)
            text.data_type = "s"  # stored as text: "=SUM(A1)" stays visible, never evaluated
            return text
        return value

    ws.append([cell(str(c)) for c in (header if header is not None else frame.columns)])
    for row in frame.itertuples(index=False, name=None):
        ws.append([cell(v) for v in row])
    if not isinstance(path, (str, Path)):
        book.save(path)
        return
    with atomic_write(path, "wb") as handle:
        book.save(handle)


def write_table(frame: pd.DataFrame, path: str | Path, *, excel_nb: bool = False,
                header: Sequence[str] | None = None, sheet: str = "Ark1") -> None:
    """``.xlsx`` paths as a workbook (with ``header`` labels), anything else as CSV."""
    if str(path).lower().endswith(".xlsx"):
        write_xlsx(frame, path, header=header, sheet=sheet)
    else:
        write_csv(frame, path, excel_nb=excel_nb)


def write_tables(tables: Sequence[tuple[pd.DataFrame, str | Path, Mapping[str, Any]]]) -> None:
    """Write several tables as :func:`write_table` does (``(frame, path, options)``), all or nothing.

    Each is rendered straight into a temporary file beside its target; only when all of them are
    written are they moved into place together, so a failure (a full disk, a bad cell) leaves none
    of them behind. Every byte is written once.
    """
    with atomic_files([path for _, path, _ in tables], "wb", encoding=None) as handles:
        for handle, (frame, path, options) in zip(handles, tables):
            if str(path).lower().endswith(".xlsx"):
                write_xlsx(frame, handle, header=options.get("header"), sheet=options.get("sheet", "Ark1"))
            else:
                write_csv(frame, handle, excel_nb=bool(options.get("excel_nb", False)))


def write_csvs(frames: Sequence[tuple[pd.DataFrame, str | Path]]) -> None:
    """Write several frames as :func:`write_csv` does, all or nothing (e.g. refs.csv and matrix.csv)."""
    with atomic_files([path for _, path in frames], "w", encoding="utf-8-sig", newline="") as handles:
        for (frame, _), handle in zip(frames, handles):
            write_csv_to(handle, list(frame.columns), frame.itertuples(index=False, name=None))


def write_refs_csv(path: str | Path, codings: pd.DataFrame, corpus: Corpus,
                   codebooks: Sequence[Codebook]) -> pd.DataFrame:
    """Write the coding references to ``path``; return the frame written."""
    refs = refs_frame(codings, corpus, codebooks)
    write_csv(refs, path)
    return refs


def write_matrix_csv(path: str | Path, codings: pd.DataFrame, corpus: Corpus,
                     codebooks: Sequence[Codebook],
                     assignment: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Write the cases × codes matrix to ``path``; return the frame written."""
    matrix = matrix_frame(codings, corpus, codebooks, assignment)
    write_csv(matrix, path)
    return matrix


def coding_summary(codings: pd.DataFrame, corpus: Corpus) -> Mapping[str, dict[str, int]]:
    """Per question: answers read, empty, coded (≥ 1 code) and uncoded — for the end-of-run screen."""
    summary: dict[str, dict[str, int]] = {}
    for question in corpus.questions:
        answered = corpus.answers[corpus.answers["question"] == question]
        coded_ids = set(codings.loc[codings["question"] == question, "case_id"])
        n_coded = int(answered["case_id"].isin(coded_ids).sum())
        summary[question] = {"cases": len(corpus.cases), "empty": corpus.n_empty.get(question, 0),
                             "answers": len(answered), "coded": n_coded,
                             "uncoded": len(answered) - n_coded,
                             "codings": int((codings["question"] == question).sum())}
    return summary
