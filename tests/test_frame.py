"""The one codings frame: every producer gives the same columns, dtypes and order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fritekst.coding.coder import code_corpus
from fritekst.coding.codings_io import read_codings
from fritekst.coding.frame import (CODING_COLUMNS, CODING_DTYPES, SORT_KEYS, codings_frame, concat_codings,
                                   empty_codings, sort_codings, validate_codings)
from fritekst.errors import InputError
from fritekst.rules.codebook import load_codebook
from fritekst.sources.corpus import load_corpus

DATA = Path(__file__).parent / "data" / "classifier"


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {column: str(frame[column].dtype) for column in CODING_COLUMNS}


#: What the frame's dtypes look like in this pandas (text is ``str`` from pandas 3, ``object`` before).
EXPECTED = {column: str(pd.Series(dtype=dtype).dtype) for column, dtype in CODING_DTYPES.items()}


def test_coder_reader_and_empty_frames_share_columns_and_dtypes() -> None:
    corpus = load_corpus(DATA / "svar.csv", "case_id", ["grunn"])
    coded = code_corpus(corpus, [load_codebook(DATA / "kodebok.yaml")], classifiers=False)
    hand = read_codings(DATA / "hand.csv", default_method="manual")
    assert len(coded) > 10 and len(hand) == 5
    assert list(coded.columns) == CODING_COLUMNS
    assert _dtypes(coded) == _dtypes(hand) == _dtypes(empty_codings()) == EXPECTED
    assert coded.equals(sort_codings(coded.sample(frac=1.0, random_state=3)))


def test_sort_order_is_case_question_start_end_code_rule_with_blank_spans_first() -> None:
    frame = pd.DataFrame({"case_id": ["2", "1", "1", "1", "1"], "question": ["q"] * 5,
                          "code_id": ["a", "b", "a", "a", "c"],
                          "start": pd.array([0, 5, 5, pd.NA, 5], dtype="Int64"),
                          "end": pd.array([3, 9, 7, pd.NA, 9], dtype="Int64"),
                          "method": ["keyword"] * 4 + ["manual"], "rule_id": ["r"] * 5, "score": [1.0] * 5})
    ordered = sort_codings(frame)
    assert SORT_KEYS == ["case_id", "question", "start", "end", "code_id", "rule_id"]
    assert [[c, k, str(s)] for c, k, s in ordered[["case_id", "code_id", "start"]].itertuples(index=False)] == [
        ["1", "a", "<NA>"], ["1", "a", "5"], ["1", "b", "5"], ["1", "c", "5"], ["2", "a", "0"]]
    assert list(ordered.index) == [0, 1, 2, 3, 4]


def test_rows_concat_and_empty() -> None:
    frame = codings_frame([("1", "q", "a", 4, 8, "keyword", "a1", 1.0), ("1", "q", "a", 0, 3, "keyword", "a1", 1.0)])
    assert frame["start"].tolist() == [0, 4]
    assert concat_codings([empty_codings(), frame]).equals(frame)
    assert _dtypes(concat_codings([empty_codings()])) == EXPECTED
    assert list(empty_codings(extra=["decision"]).columns) == [*CODING_COLUMNS, "decision"]


@pytest.mark.parametrize(("change", "message"), [
    ({"method": "regex"}, "codings: method 'regex' is invalid; expected one of keyword, classifier, manual"),
    ({"start": 9}, "codings: span start=9 end=8 is invalid; expected 0 <= start < end (end is exclusive)"),
])
def test_validate_names_the_first_problem(change, message) -> None:
    frame = codings_frame([("1", "q", "a", 4, 8, "keyword", "a1", 1.0)]).assign(**change)
    with pytest.raises(InputError) as caught:
        validate_codings(frame)
    assert str(caught.value) == message


def test_validate_names_missing_columns() -> None:
    with pytest.raises(InputError, match="no column score"):
        validate_codings(empty_codings().drop(columns="score"))
