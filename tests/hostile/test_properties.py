"""Property-based tests (hypothesis): the table reader round-trips what the writer wrote, and
merging hand decisions never loses one, whatever the edits and re-runs.

``max_examples`` is kept small so the whole hostile suite stays quick; the strategies aim at the
awkward cases (separators, quotes, line breaks, BOM characters, formula prefixes, æøå).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fritekst.coding.codings_io import read_codings, write_codings_csv
from fritekst.coding.frame import CODING_COLUMNS
from fritekst.coding.handcoding import merge_codings
from fritekst.sources.tables import read_rows, write_csv_rows

FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

AWKWARD = st.sampled_from([",", ";", "\t", "|", '"', "'", "\n", "\r\n", "\r", "\ufeff", "æ", "ø", "å", "Å",
                           "=", "+", "-", "@", " ", "x", "1", "''="])
CELL = st.lists(st.one_of(AWKWARD, st.text(alphabet="abcæøå ÆØÅ0123456789.", max_size=5)), max_size=6).map("".join)
NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå_0123456789", min_size=1, max_size=8)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(NAME, min_size=1, max_size=5, unique=True))
    first = st.text(alphabet="abcæøå0123456789", min_size=1, max_size=6)  # a row is never blank
    rows = draw(st.lists(st.tuples(first, *[CELL] * (len(header) - 1)).map(list), max_size=6))
    return header, rows


@FEW
@given(table=tables(), encoding=st.sampled_from(["utf-8-sig", "utf-16", "utf-8"]))
def test_csv_written_then_read_gives_the_same_cells(table: tuple[list[str], list[list[str]]], encoding: str) -> None:
    header, rows = table
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        write_csv_rows(path, header, rows)
        if encoding != "utf-8-sig":  # the same table saved again by another program
            path.write_bytes(path.read_bytes().decode("utf-8-sig").encode(encoding))
        read_header, read = read_rows(path, "table")
    assert read_header == header
    assert [cells for _, cells in read] == rows


KEYS = st.tuples(st.sampled_from(["0001", "0002", "0003"]), st.sampled_from(["q1", "q2"]),
                 st.sampled_from(["a", "b", "c"]))


def automatic(keys: list[tuple[str, str, str]]) -> pd.DataFrame:
    rows = [(c, q, k, 0, 4, "keyword", f"{k}1", 1.0) for c, q, k in sorted(set(keys))]
    return pd.DataFrame(rows, columns=CODING_COLUMNS).astype({"start": "Int64", "end": "Int64"})


def decisions(items: dict[tuple[str, str, str], str]) -> pd.DataFrame:
    rows = [(c, q, k, 0, 4, "manual", "", 1.0, d) for (c, q, k), d in sorted(items.items())]
    frame = pd.DataFrame(rows, columns=[*CODING_COLUMNS, "decision"])
    return frame.astype({"start": "Int64", "end": "Int64"})


def honoured(merged: pd.DataFrame, hand: dict[tuple[str, str, str], str]) -> bool:
    present = {key: set(group["method"]) for key, group in merged.groupby(["case_id", "question", "code_id"])}
    return all(("manual" in present.get(key, set())) if d == "yes" else key not in present
               for key, d in hand.items())


@FEW
@given(auto1=st.lists(KEYS, max_size=10), auto2=st.lists(KEYS, max_size=10),
       hand=st.dictionaries(KEYS, st.sampled_from(["yes", "no"]), max_size=8),
       edits=st.dictionaries(KEYS, st.sampled_from(["yes", "no"]), max_size=4))
def test_hand_decisions_survive_edits_and_reruns(auto1: list, auto2: list, hand: dict, edits: dict) -> None:
    # first run, then the researcher edits some decisions and adds others, then the rules change
    merged, _ = merge_codings(automatic(auto1), decisions(hand))
    assert honoured(merged, hand)
    edited = {**hand, **edits}
    rerun, _ = merge_codings(automatic(auto2), decisions(edited))
    assert honoured(rerun, edited)
    # merging over an earlier merged output changes nothing: a re-run can never drop a decision
    twice, _ = merge_codings(rerun, decisions(edited))
    assert twice.equals(rerun)
    # automatic codings nobody decided on are kept as they are
    undecided = {k for k in auto2 if k not in edited}
    assert undecided <= set(rerun[["case_id", "question", "code_id"]].itertuples(index=False, name=None))


@FEW
@given(hand=st.dictionaries(KEYS, st.sampled_from(["yes", "no"]), min_size=1, max_size=8))
def test_a_hand_file_written_then_read_keeps_every_decision(hand: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hand.csv"
        write_codings_csv(path, decisions(hand))
        back = read_codings(path, default_method="manual", manual_only=True)
    assert dict(zip(back[["case_id", "question", "code_id"]].itertuples(index=False, name=None),
                    back["decision"])) == hand
