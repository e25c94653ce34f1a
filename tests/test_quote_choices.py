"""Pinned and banned quotes: the sitatvalg.csv format, its checks, and how quotes honour it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fritekst.analysis.quote_choices import (QUOTE_CHOICE_COLUMNS, quote_decisions, read_quote_choices,
                                             write_quote_choices)
from fritekst.analysis.quotes import select_quotes
from fritekst.analysis.summary import build_base
from fritekst.errors import InputError

from test_summary import BOOK, NEI


def test_a_missing_file_means_no_choices(tmp_path: Path) -> None:
    frame = read_quote_choices(tmp_path / "sitatvalg.csv")
    assert list(frame.columns) == QUOTE_CHOICE_COLUMNS and frame.empty


def test_written_choices_read_back_identically(tmp_path: Path) -> None:
    path = tmp_path / "sitatvalg.csv"
    frame = pd.DataFrame([
        {"question": "grunn_nei", "code_id": "okonomi", "case_id": "K1", "choice": "pin",
         "coder": "ida", "decided_at": "2024-03-01T14:05:00"},
        {"question": "grunn_nei", "code_id": "okonomi", "case_id": "K2", "choice": "ban",
         "coder": "=ola", "decided_at": ""}])
    write_quote_choices(path, frame)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "question,code_id,case_id,choice,coder,decided_at",
        "grunn_nei,okonomi,K1,pin,ida,2024-03-01T14:05:00",
        "grunn_nei,okonomi,K2,ban,'=ola,"]          # formula-like cells neutralised
    back = read_quote_choices(path)
    assert back.values.tolist() == [["grunn_nei", "okonomi", "K1", "pin", "ida", "2024-03-01T14:05:00"],
                                    ["grunn_nei", "okonomi", "K2", "ban", "'=ola", ""]]


def test_semicolon_files_from_excel_and_optional_columns(tmp_path: Path) -> None:
    path = tmp_path / "sitatvalg.csv"
    path.write_text("question;code_id;case_id;choice\ngrunn_nei;okonomi;K1;PIN\n\n", encoding="utf-8")
    assert read_quote_choices(path).values.tolist() == [["grunn_nei", "okonomi", "K1", "pin", "", ""]]


@pytest.mark.parametrize("text, message", [
    ("question,code_id,case_id\nq,c,1\n", "sitatvalg.csv:1: no column 'choice'"),
    ("question,code_id,case_id,choice\nq,c,1,keep\n", "sitatvalg.csv:2: choice 'keep' is neither 'pin' nor 'ban'"),
    ("question,code_id,case_id,choice\nq,,1,pin\n", "sitatvalg.csv:2: empty code_id"),
    ("question,code_id,case_id,choice,decided_at\nq,c,1,pin,i går\n",
     "sitatvalg.csv:2: decided_at 'i går' is not an ISO 8601 date"),
    ("question,code_id,case_id,choice\nq,c,1,pin,x\n", "sitatvalg.csv:2: 5 cells but 4 columns"),
])
def test_bad_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sitatvalg.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_quote_choices(path)
    assert message in str(caught.value)


def test_writing_refuses_what_reading_would_refuse(tmp_path: Path) -> None:
    path = tmp_path / "sitatvalg.csv"
    with pytest.raises(InputError, match="sitatvalg.csv:2: choice 'maybe'"):
        write_quote_choices(path, pd.DataFrame([{"question": "q", "code_id": "c", "case_id": "1",
                                                 "choice": "maybe"}]))
    assert not path.exists()


def test_the_last_decision_for_a_case_wins() -> None:
    frame = pd.DataFrame({"question": ["q"] * 3, "code_id": ["c"] * 3, "case_id": ["1", "2", "1"],
                          "choice": ["pin", "pin", "ban"]})
    decisions = quote_decisions(frame)[("q", "c")]
    assert decisions.pins == ["2"] and decisions.bans == {"1"}


def _money_base():
    ids = [f"k{i:02d}" for i in range(12)]
    cases = pd.DataFrame({"case_id": ids, "aar": "2023", "planer": "Nei", "storrelse": "Under 5 000"})
    texts = [f"Kommune {i} har for lite penger til en slik stilling nå." for i in range(12)]
    answers = pd.DataFrame({"case_id": ids, "question": "grunn_nei", "text": texts})
    codings = pd.DataFrame({"case_id": ids[:10], "question": "grunn_nei", "code_id": "okonomi",
                            "start": [t.find("penger") for t in texts[:10]],
                            "end": [t.find("penger") + 6 for t in texts[:10]]})
    return build_base(cases, answers, codings, NEI, BOOK, year_column="aar")


def test_pins_come_first_and_bans_never() -> None:
    base = _money_base()
    plain = select_quotes(base, per_code=3, seed=1)
    seeded = plain[plain["code_id"] == "okonomi"]["case_id"].tolist()
    banned = seeded[0]
    choices = pd.DataFrame({"question": "grunn_nei", "code_id": "okonomi",
                            "case_id": ["k07", banned, "k11"], "choice": ["pin", "ban", "pin"]})
    chosen = select_quotes(base, per_code=3, seed=1, decisions=quote_decisions(choices))
    money = chosen[chosen["code_id"] == "okonomi"]
    ids = money["case_id"].tolist()
    assert ids[0] == "k07" and len(ids) == 3      # the pin first, the rest filled by the seeded rule
    assert banned not in ids
    assert "k11" not in ids                        # pinned, but not coded okonomi: not quoted under it
    assert money["rank"].tolist() == [1, 2, 3]
    # Banning everything coded leaves no quote at all.
    everyone = pd.DataFrame({"question": "grunn_nei", "code_id": "okonomi",
                             "case_id": [f"k{i:02d}" for i in range(10)], "choice": "ban"})
    none = select_quotes(base, per_code=3, seed=1, decisions=quote_decisions(everyone))
    assert none[none["code_id"] == "okonomi"].empty


def test_quotes_come_from_certain_codings_and_never_a_rejected_one() -> None:
    ids = [f"k{i:02d}" for i in range(6)]
    cases = pd.DataFrame({"case_id": ids, "aar": "2023", "planer": "Nei", "storrelse": "Under 5 000"})
    texts = [f"Kommune {i} har for lite penger til en slik stilling nå." for i in range(6)]
    answers = pd.DataFrame({"case_id": ids, "question": "grunn_nei", "text": texts})
    start, end = texts[0].find("penger"), texts[0].find("penger") + 6
    # k00 by hand, k01 keyword, k02 a sure classifier, k03 an unsure classifier, k04 keyword but a
    # human rejected it, k05 not coded.
    codings = pd.DataFrame({"case_id": ids[:5], "question": "grunn_nei", "code_id": "okonomi",
                            "start": start, "end": end,
                            "method": ["manual", "keyword", "classifier", "classifier", "keyword"],
                            "score": [1.0, 1.0, 0.93, 0.55, 1.0]})
    base = build_base(cases, answers, codings, NEI, BOOK, year_column="aar")
    chosen = select_quotes(base, per_code=10, seed=3, rejected={("k04", "okonomi")})
    money = chosen[chosen["code_id"] == "okonomi"]["case_id"].tolist()
    assert money == ["k00", "k01", "k02"]                 # most certain first; k03 and k04 never
