"""NVivo-like exports: coding references (one row per coding) and the cases × codes matrix.

Both are CSV in UTF-8 with a BOM, so Excel on Windows opens Norwegian letters correctly, and every
text cell that a spreadsheet would run as a formula is neutralised (see :func:`fritekst.sources.tables.safe_cell`).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from ..errors import FritekstError
from ..sources.tables import atomic_write, safe_cell

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


def refs_frame(codings: pd.DataFrame, corpus: Corpus, codebooks: Sequence[Codebook]) -> pd.DataFrame:
    """Coding references: codings with code path, coded text and the case attributes."""
    index = code_index(codebooks)
    texts = {(c, q): t for c, q, t in corpus.answers[["case_id", "question", "text"]].itertuples(index=False)}
    refs = codings.copy()
    refs["code_path"] = [index[c].code_path(c) if c in index else c for c in refs["code_id"]]
    refs["coded_text"] = [texts.get((c, q), "")[s:e] for c, q, s, e in
                          refs[["case_id", "question", "start", "end"]].itertuples(index=False)]
    refs = refs[REFS_COLUMNS + [c for c in codings.columns if c not in REFS_COLUMNS]]
    return refs.merge(corpus.cases, on="case_id", how="left", suffixes=("", "_case"))


def matrix_frame(codings: pd.DataFrame, corpus: Corpus, codebooks: Sequence[Codebook]) -> pd.DataFrame:
    """One row per case: the attributes, then a 0/1 column per code (in codebook order)."""
    code_ids = list(code_index(codebooks))
    present = codings[["case_id", "code_id"]].drop_duplicates()
    coded = {code_id: set(present.loc[present["code_id"] == code_id, "case_id"]) for code_id in code_ids}
    case_ids = corpus.cases["case_id"].tolist()
    # Built as one block: inserting 100+ columns one by one fragments the frame (and pandas warns).
    columns = {code_id if code_id not in corpus.cases.columns else f"code:{code_id}":
               [int(case_id in coded[code_id]) for case_id in case_ids] for code_id in code_ids}
    flags = pd.DataFrame(columns, index=corpus.cases.index, dtype="int64")
    return pd.concat([corpus.cases, flags], axis=1)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a frame as UTF-8-with-BOM CSV, atomically, with formula-like text neutralised."""
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([safe_cell(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            writer.writerow([csv_cell(v) for v in row])


def csv_cell(value: object) -> object:
    """A value as ``write_csv`` writes it: blank for missing, 1.0 as 1, 4 decimals, text made safe."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        # Scores of 1.0 print as 1, not 1.0, as a researcher types them.
        return int(value)
    if isinstance(value, float):
        return round(value, 4)
    return safe_cell(value)


def write_refs_csv(path: str | Path, codings: pd.DataFrame, corpus: Corpus,
                   codebooks: Sequence[Codebook]) -> pd.DataFrame:
    """Write the coding references to ``path``; return the frame written."""
    refs = refs_frame(codings, corpus, codebooks)
    write_csv(refs, path)
    return refs


def write_matrix_csv(path: str | Path, codings: pd.DataFrame, corpus: Corpus,
                     codebooks: Sequence[Codebook]) -> pd.DataFrame:
    """Write the cases × codes matrix to ``path``; return the frame written."""
    matrix = matrix_frame(codings, corpus, codebooks)
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
