"""Hand codings win: reading hand-coding files, merging them over automatic coding, repeated runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fritekst.rules.codebook import load_codebook
from fritekst.coding.coder import code_corpus
from fritekst.coding.codings_io import read_codings, write_codings_csv
from fritekst.sources.corpus import load_corpus
from fritekst.errors import InputError
from fritekst.coding.handcoding import merge_codings

DATA = Path(__file__).parent / "data" / "classifier"
CODES = ["okonomi", "ser_behov", "ikke_aktuelt"]


@pytest.fixture(scope="module")
def mini():
    codebook = load_codebook(DATA / "kodebok.yaml")
    corpus = load_corpus(DATA / "svar.csv", "case_id", ["grunn"])
    return {"codebook": codebook, "corpus": corpus, "auto": code_corpus(corpus, [codebook])}


# --- reading hand-coding files ---------------------------------------------------------------------

def test_hand_file_from_excel_semicolons_ja_nei_and_blank_spans(mini):
    hand = read_codings(DATA / "hand.csv", code_ids=CODES, default_method="manual", answers=mini["corpus"].answers)
    assert hand[["case_id", "code_id", "start", "end", "method", "decision"]].values.tolist() == [
        ["0001", "okonomi", 0, 43, "manual", "yes"],   # blank span: the whole answer
        ["0002", "okonomi", 0, 45, "manual", "no"],
        ["0006", "okonomi", 0, 33, "manual", "yes"],
        ["0014", "ser_behov", 7, 14, "manual", "yes"],
        ["0036", "ser_behov", 0, 23, "manual", "no"],
    ]
    assert hand["score"].tolist() == [1.0] * 5


@pytest.mark.parametrize("content, message", [
    ("case_id,code_id\n0001,okonomi\n",
     "{path}:1: hand-coding file has no column 'question' (columns: case_id, code_id); a codings file needs "
     "case_id, question and code_id (and optionally start, end, method, rule_id, score, decision)"),
    ("case_id,question,code_id,start,end\n0001,grunn,okonomi,abc,4\n",
     "{path}:2: start 'abc' and end '4' must both be whole numbers (character offsets), or both blank for "
     "the whole answer"),
    ("case_id,question,code_id,start,end\n0001,grunn,okonomi,9,4\n",
     "{path}:2: span start=9 end=4 is invalid; expected 0 <= start < end (end is exclusive)"),
    ("case_id,question,code_id\n0001,grunn,okonomi\n0002,grunn,okonmi\n",
     "{path}:3: unknown code id 'okonmi'; did you mean 'okonomi'?"),
    ("case_id,question,code_id,decision\n0001,grunn,okonomi,kanskje\n",
     "{path}:2: decision 'kanskje' is invalid; expected yes or no (ja/nei)"),
    ("case_id,question,code_id,decision\n0001,grunn,okonomi,yes\n0001,grunn,okonomi,no\n",
     "{path}:3: okonomi on case 0001 (grunn) is decided both yes and no (other decision on line 2); keep one "
     "of the two rows"),
    ("case_id,question,code_id,method\n0001,grunn,okonomi,hånd\n",
     "{path}:2: method 'hånd' is invalid; expected one of keyword, classifier, manual"),
    ("case_id,question,code_id,score\n0001,grunn,okonomi,\"1,5\"\n",
     "{path}:2: score 1.5 is outside 0..1; expected a probability or 1.0"),
    ("case_id,question,code_id\n,grunn,okonomi\n",
     "{path}:2: empty case_id; every row of a hand-coding file needs case_id, question and code_id"),
    ("", "{path}:1: hand-coding file is empty; expected a header row case_id,question,code_id,..."),
    ("case_id,question,code_id\n9999,grunn,okonomi\n",
     "{path}:2: case 9999 has no answer to 'grunn' in the corpus; check case_id and question, or that the "
     "hand-coding file belongs to this corpus"),
    ("case_id,question,code_id,start,end\n0003,grunn,okonomi,0,99\n",
     "{path}:2: span end=99 is past the end of the answer (15 characters); the corpus may have changed "
     "since coding"),
])
def test_bad_hand_files_give_one_line_with_file_and_line(mini, tmp_path, content, message):
    path = tmp_path / "hand.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_codings(path, code_ids=CODES, default_method="manual", answers=mini["corpus"].answers,
                     what="hand-coding file")
    assert str(info.value) == message.format(path=path)
    assert "\n" not in str(info.value)


def test_multiline_cells_keep_line_numbers_right(tmp_path):
    path = tmp_path / "hand.csv"
    path.write_text('case_id,question,code_id,coded_text\n0001,grunn,okonomi,"to\nlinjer"\n0002,grunn,x,\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"hand.csv:4: unknown code id 'x'"):
        read_codings(path, code_ids=CODES, default_method="manual")


def test_windows_1252_file_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "hand.csv"
    path.write_bytes("case_id,question,code_id,coded_text\n0001,grunn,okonomi,økonomi\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_codings(path, default_method="manual")
    assert str(info.value) == f"{path}:2: codings file is not UTF-8 text (byte 0xf8); save it as 'CSV UTF-8' in Excel"


def test_written_hand_file_reads_back_identically(mini, tmp_path):
    hand = read_codings(DATA / "hand.csv", code_ids=CODES, default_method="manual", answers=mini["corpus"].answers)
    path = tmp_path / "tilbake.csv"
    write_codings_csv(path, hand, answers=mini["corpus"].answers, code_paths={"okonomi": "Mini\\Økonomi"})
    again = read_codings(path, code_ids=CODES)
    columns = ["case_id", "question", "code_id", "start", "end", "method", "decision"]
    assert again[columns].values.tolist() == hand[columns].values.tolist()
    assert again.loc[again["case_id"] == "0014", "coded_text"].item() == "behovet"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfcase_id,question,code_id,code_path,coded_text")


# --- merging ---------------------------------------------------------------------------------------

def test_merge_confirms_overrules_and_adds(mini):
    hand = read_codings(DATA / "hand.csv", code_ids=CODES, default_method="manual", answers=mini["corpus"].answers)
    auto = mini["auto"]
    merged, report = merge_codings(auto, hand, mini["corpus"].answers)
    # 0001 okonomi: keyword found it, hand yes -> confirmed; 0014 ser_behov likewise
    # 0002 okonomi: keyword found it (twice), hand no -> overruled, both rows gone
    # 0006 okonomi: keyword missed it, hand yes -> added; 0036 ser_behov: nobody -> agreed absent
    assert (report.confirmed, report.overruled, report.added, report.agreed_absent) == (2, 1, 1, 1)
    assert report.summary() == "hand codings: 2 automatic codings confirmed, 1 overruled, 1 added by hand"
    assert report.per_code.values.tolist() == [["okonomi", 1, 1, 1, 0], ["ser_behov", 1, 0, 0, 1]]
    assert report.untouched == len(set(map(tuple, auto[["case_id", "question", "code_id"]].values))) - 3
    rows = merged[merged["case_id"].isin(["0001", "0002", "0006", "0014"])]
    assert rows[["case_id", "code_id", "start", "end", "method"]].values.tolist() == [
        ["0001", "okonomi", 0, 43, "manual"], ["0006", "okonomi", 0, 33, "manual"],
        ["0014", "ser_behov", 7, 14, "manual"]]
    assert list(merged.columns) == ["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"]


def hand_decisions_hold(merged, hand):
    present = set(map(tuple, merged[["case_id", "question", "code_id"]].values))
    for key, decision in zip(map(tuple, hand[["case_id", "question", "code_id"]].values), hand["decision"]):
        if (key in present) != (decision == "yes"):
            return False
        if decision == "yes":
            methods = set(merged.loc[(merged["case_id"] == key[0]) & (merged["code_id"] == key[2]), "method"])
            if methods != {"manual"}:
                return False
    return True


def test_hand_decisions_survive_repeated_automatic_runs(mini, tmp_path):
    answers = mini["corpus"].answers
    hand = read_codings(DATA / "hand.csv", code_ids=CODES, default_method="manual", answers=answers)
    first, _ = merge_codings(mini["auto"], hand, answers)
    assert hand_decisions_hold(first, hand)
    # run 2: the researcher edits the rules (drops "midler", adds "ressurs*") and codes again
    edited = tmp_path / "kodebok.yaml"
    edited.write_text((DATA / "kodebok.yaml").read_text(encoding="utf-8")
                      .replace('"midler", ', "").replace('"penger"', '"penger", "ressurs*"'), encoding="utf-8")
    auto2 = code_corpus(mini["corpus"], [load_codebook(edited)])
    assert not auto2.equals(mini["auto"])
    second, report2 = merge_codings(auto2, hand, answers)
    assert hand_decisions_hold(second, hand)
    # run 3: merging the merged output again (e.g. a refs.csv fed back in) changes nothing
    third, report3 = merge_codings(second, hand, answers)
    assert third.equals(second)
    assert report3.overruled == 0 and report3.added == 0
    # run 4: the same automatic coding again gives the same result
    fourth, _ = merge_codings(auto2, hand, answers)
    assert fourth.equals(second)


def test_merge_without_hand_codings_keeps_everything(mini):
    empty = pd.DataFrame(columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score",
                                  "decision"])
    merged, report = merge_codings(mini["auto"], empty)
    assert len(merged) == len(mini["auto"])
    assert (report.confirmed, report.overruled, report.added) == (0, 0, 0)
