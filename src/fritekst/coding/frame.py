"""The codings frame: the one table every stage after coding reads (columns, dtypes, order, checks).

One row per coding: a code applied to a passage of one answer.

========== ============= ==========================================================================
column     dtype         meaning
========== ============= ==========================================================================
case_id    str           the respondent, as text (``0301`` keeps its zero)
question   str           the text column of the corpus the answer is in
code_id    str           a code of the codebook that codes that question
start      Int64         0-based offset (code points) of the passage in the answer text
end        Int64         end of the passage, exclusive
method     str           ``keyword``, ``classifier`` or ``manual``
rule_id    str           the rule that made it (``""`` for most manual codings)
score      float64       1.0 for keyword and manual codings, the probability for classifier codings
========== ============= ==========================================================================

``start`` and ``end`` are *nullable* integers (pandas ``Int64``) in every codings frame, because a
hand-coding file may leave them blank to mean "the whole answer"; :func:`fill_whole_answer_spans`
fills them in once the answer texts are known, and frames made by the coder never hold ``<NA>``.
One dtype everywhere means a frame read from ``refs.csv`` and one made by the coder compare equal.

Frames are sorted by :data:`SORT_KEYS` (case, question, start, end, code, rule), the order of
``refs.csv``; blank spans sort first within their answer. Hand-coding frames may carry two more
columns, ``decision`` (``yes``/``no``, see :func:`decisions_of`) and ``coded_text``.

Examples
--------
>>> frame = codings_frame([("2", "q", "b", 5, 9, "keyword", "b1", 1.0),
...                        ("1", "q", "a", 0, 4, "keyword", "a1", 1.0)])
>>> frame[["case_id", "code_id", "start"]].values.tolist()
[['1', 'a', 0], ['2', 'b', 5]]
>>> validate_codings(frame) is frame
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from ..errors import InputError

#: The columns of the codings frame, in order.
CODING_COLUMNS = ["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"]
#: The dtype of each column. Text columns are pandas' default for ``str`` (the ``str`` dtype from
#: pandas 3, ``object`` before), which is what pandas infers when the coder builds a frame.
CODING_DTYPES: dict[str, Any] = {"case_id": str, "question": str, "code_id": str, "start": "Int64",
                                 "end": "Int64", "method": str, "rule_id": str, "score": "float64"}
#: How a coding was made.
METHODS = ("keyword", "classifier", "manual")
#: The canonical order of codings (the order of ``refs.csv``).
SORT_KEYS = ["case_id", "question", "start", "end", "code_id", "rule_id"]
#: One answer.
ANSWER_KEY = ["case_id", "question"]
#: One coding decision: this code on this answer (whatever the span).
KEY = ["case_id", "question", "code_id"]

#: A coding as a plain tuple, in :data:`CODING_COLUMNS` order (what coder workers send back).
Row = tuple[str, str, str, int, int, str, str, float]


def empty_codings(extra: Iterable[str] = ()) -> pd.DataFrame:
    """A codings frame with no rows, the right columns and dtypes (plus ``extra`` text columns).

    Examples
    --------
    >>> frame = empty_codings()
    >>> list(frame.columns) == CODING_COLUMNS, str(frame["start"].dtype)
    (True, 'Int64')
    """
    frame = pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in CODING_DTYPES.items()})
    for column in extra:
        frame[column] = pd.Series(dtype=str)
    return frame


def codings_frame(rows: Iterable[Row]) -> pd.DataFrame:
    """A sorted codings frame from row tuples in :data:`CODING_COLUMNS` order."""
    frame = pd.DataFrame(list(rows), columns=CODING_COLUMNS)
    if frame.empty:
        return empty_codings()
    return sort_codings(frame.astype({"start": "Int64", "end": "Int64", "score": "float64"}))


def sort_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """Sort a codings frame by :data:`SORT_KEYS` (stable; blank spans first) with a fresh index."""
    if codings.empty:
        return codings.reset_index(drop=True)
    keys = [key for key in SORT_KEYS if key in codings.columns]
    return codings.sort_values(keys, kind="mergesort", na_position="first").reset_index(drop=True)


def validate_codings(codings: pd.DataFrame, what: str = "codings") -> pd.DataFrame:
    """Check that a frame has the codings columns and sane values; return it unchanged.

    Raises
    ------
    InputError
        A column is missing, a method is unknown, or a span is not ``0 <= start < end``.
    """
    missing = [column for column in CODING_COLUMNS if column not in codings.columns]
    if missing:
        raise InputError(f"{what}: no column {', '.join(missing)}; a codings frame has the columns "
                         f"{', '.join(CODING_COLUMNS)}", code="E106")
    unknown = sorted(set(codings["method"].dropna()) - set(METHODS))
    if unknown:
        raise InputError(f"{what}: method {unknown[0]!r} is invalid; expected one of {', '.join(METHODS)}",
                         code="E111")
    spans = codings[["start", "end"]].dropna()
    bad = spans[(spans["start"] < 0) | (spans["start"] >= spans["end"])]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(f"{what}: span start={row['start']} end={row['end']} is invalid; expected "
                         "0 <= start < end (end is exclusive)", code="E111")
    return codings


def decisions_of(codings: pd.DataFrame) -> pd.Series:
    """The ``decision`` of each row, ``"yes"`` where the frame has no such column (automatic codings)."""
    if "decision" not in codings.columns:
        return pd.Series("yes", index=codings.index, dtype=object)
    return codings["decision"].fillna("yes").astype(str)


def fill_whole_answer_spans(codings: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Give rows with blank ``start``/``end`` the span of their whole answer text.

    Examples
    --------
    >>> answers = pd.DataFrame({"case_id": ["1"], "question": ["q"], "text": ["Ingen midler"]})
    >>> coded = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["okonomi"],
    ...                       "start": pd.array([pd.NA], dtype="Int64"),
    ...                       "end": pd.array([pd.NA], dtype="Int64")})
    >>> fill_whole_answer_spans(coded, answers)[["start", "end"]].values.tolist()
    [[0, 12]]
    """
    if codings.empty or not codings["start"].isna().any():
        return codings
    lengths = answers.set_index(ANSWER_KEY)["text"].str.len()
    keys = pd.MultiIndex.from_frame(codings[ANSWER_KEY])
    whole = lengths.reindex(keys).to_numpy()
    out = codings.copy()
    blank = out["start"].isna().to_numpy()
    out.loc[blank, "start"] = 0
    out.loc[blank, "end"] = pd.array(whole[blank], dtype="Int64")
    return out


def concat_codings(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate codings frames and sort them; an empty codings frame when all are empty."""
    kept = [frame for frame in frames if not frame.empty]
    return sort_codings(pd.concat(kept, ignore_index=True)) if kept else empty_codings()
