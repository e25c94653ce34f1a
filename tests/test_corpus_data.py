"""The shipped example corpus in corpus/: published figures, skip logic, gold codings, split, reproducibility.

The figures below are copied from the published report (shared/domain.md), not from the generator,
so a generator change that drifts from the report fails here.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
OUTPUTS = ["svar.csv", "tabell_14_6.csv", "gold/ansette.csv", "gold/recovery.csv", "gold/split.csv",
           "gold/train_answers.csv"]
OPEN = ["grunn_ja", "grunn_nei", "grunn_vet_ikke", "recovery_stor_grad", "recovery_liten_grad"]

# Table 14.6 (count, percent) and the totals, from the published report.
TABLE_14_6 = {
    2019: {"Ja": (56, 18), "Nei": (149, 48), "Vet ikke": (88, 28), "Ikke svart": (17, 5), "Totalt": (310, 100)},
    2020: {"Ja": (31, 16), "Nei": (106, 56), "Vet ikke": (52, 28), "Ikke svart": (0, 0), "Totalt": (189, 100)},
    2021: {"Ja": (40, 19), "Nei": (121, 57), "Vet ikke": (50, 24), "Ikke svart": (1, 0), "Totalt": (212, 100)},
    2022: {"Ja": (22, 12), "Nei": (104, 55), "Vet ikke": (62, 33), "Ikke svart": (0, 0), "Totalt": (188, 100)},
    2023: {"Ja": (23, 11), "Nei": (122, 58), "Vet ikke": (67, 32), "Ikke svart": (0, 0), "Totalt": (212, 100)},
}
EMPLOYING_PERCENT = {2019: 27, 2020: 37, 2021: 38, 2022: 42, 2023: 40}
ANSETTE_CODES = {"ser_behov", "konkret_tilbud", "tilskudd", "okonomi", "ingen_stillinger", "ikke_lovpalagt",
                 "ikke_aktuelt", "ikke_diskutert", "usikkert_behov", "rekruttering", "annen_losning",
                 "lite_kunnskap"}
RECOVERY_CODES = {"hva_er_viktig", "brukermedvirkning", "tilbakemelding", "ressursfokus", "relasjon",
                  "opplaering", "erfaringskompetanse", "aktivitet_arbeid", "nettverk", "modeller", "bolig",
                  "mangler_kompetanse", "ikke_systematisk", "fa_brukere"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(CORPUS / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="session")
def svar() -> pd.DataFrame:
    return _read("svar.csv")


@pytest.fixture(scope="session")
def gold() -> pd.DataFrame:
    frames = [_read("gold/ansette.csv").assign(book="ansette"), _read("gold/recovery.csv").assign(book="recovery")]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def split() -> pd.DataFrame:
    return _read("gold/split.csv")


@pytest.fixture(scope="session")
def bank() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_snippets_under_test", CORPUS / "snippets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in corpus/
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = writes_bytecode
    return module


def _nonblank(series: pd.Series) -> pd.Series:
    return series.str.strip() != ""


def answers_2023(svar: pd.DataFrame) -> pd.DataFrame:
    """Long frame of every non-blank 2023 answer: case_id, question, text."""
    y = svar[svar["aar"] == "2023"]
    long = y.melt(id_vars=["case_id"], value_vars=OPEN, var_name="question", value_name="text")
    return long[_nonblank(long["text"])].reset_index(drop=True)


def test_columns_are_exactly_the_documented_ones(svar: pd.DataFrame) -> None:
    assert list(svar.columns) == ["case_id", "aar", "kommunenr", "kommune", "fylke", "kommunestorrelse",
                                  "ansatt_erfaring", "planer_ansette", "grunn_ja", "grunn_nei", "grunn_vet_ikke",
                                  "recovery_grad", "recovery_stor_grad", "recovery_liten_grad"]


@pytest.mark.parametrize("aar", sorted(TABLE_14_6))
def test_table_14_6_is_reproduced_exactly(svar: pd.DataFrame, aar: int) -> None:
    without = svar[(svar["aar"] == str(aar)) & (svar["ansatt_erfaring"] == "Nei")]
    counts = without["planer_ansette"].value_counts().to_dict()
    for svar_value, (count, percent) in TABLE_14_6[aar].items():
        observed = len(without) if svar_value == "Totalt" else counts.get(svar_value, 0)
        assert observed == count, (aar, svar_value)
        assert round(100 * observed / len(without)) == percent, (aar, svar_value)
    assert set(counts) <= {"Ja", "Nei", "Vet ikke", "Ikke svart"}


def test_table_file_holds_the_published_figures() -> None:
    table = pd.read_csv(CORPUS / "tabell_14_6.csv")
    assert list(table.columns) == ["aar", "svar", "antall", "prosent"]
    as_dict = {(int(r.aar), r.svar): (int(r.antall), int(r.prosent)) for r in table.itertuples()}
    assert as_dict == {(aar, s): v for aar, row in TABLE_14_6.items() for s, v in row.items()}


def test_employment_shares_round_to_the_published_percentages(svar: pd.DataFrame) -> None:
    for aar, percent in EMPLOYING_PERCENT.items():
        year = svar[svar["aar"] == str(aar)]
        employ = (year["ansatt_erfaring"] == "Ja").sum()
        assert round(100 * employ / len(year)) == percent, aar
    y23 = svar[svar["aar"] == "2023"]
    assert (len(y23), (y23["ansatt_erfaring"] == "Ja").sum()) == (354, 142)
    assert set(svar["ansatt_erfaring"]) == {"Ja", "Nei"}


def test_2023_reason_counts_match_the_report(svar: pd.DataFrame) -> None:
    y23 = svar[svar["aar"] == "2023"]
    given = {plan: int(_nonblank(y23.loc[y23["planer_ansette"] == plan, col]).sum())
             for plan, col in [("Ja", "grunn_ja"), ("Nei", "grunn_nei"), ("Vet ikke", "grunn_vet_ikke")]}
    assert given == {"Ja": 21, "Nei": 103, "Vet ikke": 55}


def test_2023_recovery_figures_match_the_report(svar: pd.DataFrame) -> None:
    y23 = svar[svar["aar"] == "2023"]
    high = y23["recovery_grad"].isin(["I svært stor grad", "I stor grad"])
    low = y23["recovery_grad"].isin(["I liten grad", "I svært liten grad"])
    assert round(100 * high.sum() / len(y23)) == 74
    assert _nonblank(y23["recovery_stor_grad"]).sum() == 215
    assert _nonblank(y23["recovery_liten_grad"]).sum() == 6
    assert low.sum() >= 6
    # The follow-ups are only answered by those they were asked to.
    assert not _nonblank(y23.loc[~high, "recovery_stor_grad"]).any()
    assert not _nonblank(y23.loc[~low, "recovery_liten_grad"]).any()
    earlier = svar[svar["aar"] != "2023"]
    assert (earlier[["recovery_grad", "recovery_stor_grad", "recovery_liten_grad"]] == "").all().all()


def test_skip_logic_of_the_hiring_questions(svar: pd.DataFrame) -> None:
    employs = svar["ansatt_erfaring"] == "Ja"
    assert (svar.loc[employs, ["planer_ansette", "grunn_ja", "grunn_nei", "grunn_vet_ikke"]] == "").all().all()
    for plan, col in [("Ja", "grunn_ja"), ("Nei", "grunn_nei"), ("Vet ikke", "grunn_vet_ikke")]:
        assert not _nonblank(svar.loc[svar["planer_ansette"] != plan, col]).any(), col
    for col in ["grunn_ja", "grunn_nei", "grunn_vet_ikke"]:
        rate = _nonblank(svar.loc[(svar["aar"] != "2023") & (svar["planer_ansette"] != ""), col]).mean()
        assert rate > 0  # earlier years have answers too
    # A few answers are whitespace only: they count as no answer.
    whitespace_only = svar[OPEN].apply(lambda c: (c != "") & (c.str.strip() == "")).sum().sum()
    assert whitespace_only >= 3


def test_ids_municipalities_and_attributes(svar: pd.DataFrame) -> None:
    assert (svar["case_id"] == svar["aar"] + "-" + svar["kommunenr"]).all()
    assert svar["case_id"].is_unique
    assert svar["kommunenr"].str.fullmatch(r"\d{4}").all()
    assert "0301" in set(svar["kommunenr"])
    assert svar.groupby("kommunenr")["kommune"].nunique().max() == 1
    assert svar.groupby("kommunenr")["fylke"].nunique().max() == 1
    assert svar["fylke"].nunique() == 11
    assert set(svar["kommunestorrelse"]) == {"Under 5 000 innbyggere", "5 000–19 999 innbyggere",
                                            "20 000 innbyggere og over"}
    assert svar.loc[svar["kommunenr"] == "0301", "kommunestorrelse"].eq("20 000 innbyggere og over").all()
    assert svar.loc[svar["kommunenr"] == "4601", "kommune"].eq("Bergen").all()
    assert svar.loc[svar["kommunenr"] == "4601", "fylke"].eq("Vestland").all()
    assert set(svar["aar"]) == {"2019", "2020", "2021", "2022", "2023"}


def test_answers_are_nfc_and_mix_languages_and_styles(svar: pd.DataFrame) -> None:
    texts = pd.concat([svar[c] for c in OPEN])
    texts = texts[_nonblank(texts)]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert texts.str.contains(r"\bikkje\b", case=False).sum() >= 30  # Nynorsk
    assert texts.str.contains(r"\bikke\b", case=False).sum() >= 100  # Bokmål
    assert (texts.str.isupper() & (texts.str.len() > 15)).sum() >= 10  # ALL CAPS writers
    assert texts.str.contains("\n").sum() >= 30
    assert texts.isin(["-", "Se tidligere svar"]).sum() >= 2


def test_gold_spans_are_substrings_of_the_answers(svar: pd.DataFrame, gold: pd.DataFrame) -> None:
    assert list(gold.columns[:-1]) == ["case_id", "question", "code_id", "code_path", "coded_text", "start",
                                       "end", "method", "rule_id", "score"]
    texts = answers_2023(svar).set_index(["case_id", "question"])["text"]
    for row in gold.itertuples():
        text = texts[(row.case_id, row.question)]
        assert text[int(row.start):int(row.end)] == row.coded_text, row
        assert row.coded_text.strip() == row.coded_text and row.coded_text
    assert (gold["method"] == "manual").all() and (gold["rule_id"] == "").all() and (gold["score"] == "1").all()
    ans = gold[gold["book"] == "ansette"]
    rec = gold[gold["book"] == "recovery"]
    assert set(ans["code_id"]) == ANSETTE_CODES and set(rec["code_id"]) == RECOVERY_CODES
    assert set(ans["question"]) == {"grunn_ja", "grunn_nei", "grunn_vet_ikke"}
    assert set(rec["question"]) == {"recovery_stor_grad", "recovery_liten_grad"}
    assert ans["code_path"].str.startswith("Ansettelse av personer med erfaringskompetanse\\").all()
    assert rec["code_path"].str.startswith("Recovery-orientert praksis\\").all()
    assert gold.groupby("code_id")["code_path"].nunique().max() == 1
    assert not gold.duplicated(["case_id", "question", "code_id"]).any()


def test_negated_money_sentences_are_not_coded_as_money(svar: pd.DataFrame, gold: pd.DataFrame,
                                                        bank: ModuleType) -> None:
    # Answers whose only money talk is a trap ("Det handler ikke om penger") carry no okonomi code.
    traps = [_norm(t) for half in ("train", "heldout") for s in bank.TRAPS["ansette"][half] for t in (s.bm, s.nn)]
    texts = answers_2023(svar)
    trapped = {(r.case_id, r.question) for r in texts.itertuples() if any(t in _norm(r.text) for t in traps)}
    is_money = gold["code_id"] == "okonomi"
    money = set(zip(gold.loc[is_money, "case_id"], gold.loc[is_money, "question"]))
    assert len(trapped) >= 3
    assert not trapped & money


def test_split_lists_every_2023_answer_stratified(svar: pd.DataFrame, gold: pd.DataFrame,
                                                  split: pd.DataFrame) -> None:
    expected = set(zip(*answers_2023(svar)[["case_id", "question"]].T.values))
    listed = set(zip(split["case_id"], split["question"]))
    assert listed == expected and len(split) == len(expected) == 400
    assert set(zip(gold["case_id"], gold["question"])) <= listed
    assert set(split["split"]) == {"train", "heldout"}
    shares = split.groupby("question")["split"].apply(lambda s: (s == "train").mean())
    assert shares.between(0.55, 0.67).all(), shares


def test_train_answers_file_matches_split_and_gold(svar: pd.DataFrame, gold: pd.DataFrame,
                                                   split: pd.DataFrame) -> None:
    train = _read("gold/train_answers.csv")
    assert list(train.columns) == ["case_id", "question", "text", "codes"]
    keys = set(zip(split.loc[split["split"] == "train", "case_id"], split.loc[split["split"] == "train", "question"]))
    assert set(zip(train["case_id"], train["question"])) == keys
    texts = answers_2023(svar).set_index(["case_id", "question"])["text"]
    codes = gold.groupby(["case_id", "question"])["code_id"].apply(set)
    for row in train.itertuples():
        assert row.text == texts[(row.case_id, row.question)]
        assert set(filter(None, row.codes.split(";"))) == codes.get((row.case_id, row.question), set())


def _norm(text: str) -> str:
    text = text.lower().replace("aa", "å").replace("ae", "æ")
    return re.sub(r"[^\w ]+", " ", text).strip()


def test_bank_has_enough_disjoint_phrasings(bank: ModuleType) -> None:
    for book in ("ansette", "recovery"):
        assert set(bank.THEMES[book]) == (ANSETTE_CODES if book == "ansette" else RECOVERY_CODES)
        for theme, entry in bank.THEMES[book].items():
            train, heldout = entry["train"], entry["heldout"]
            assert len(train) + len(heldout) >= 15 and len(train) >= 7 and len(heldout) >= 7, theme
            for s in train + heldout:
                assert s.bm and s.nn, theme
            assert not {s.bm for s in train} & {s.bm for s in heldout}, theme
            assert not {s.nn for s in train} & {s.nn for s in heldout}, theme
            assert book == "recovery" or theme not in bank.LABELS["recovery"]


def test_heldout_answers_come_only_from_the_heldout_half(bank: ModuleType, gold: pd.DataFrame,
                                                         split: pd.DataFrame) -> None:
    # Every coded span is closest to a phrasing of its own code from its own split's half.
    halves = split.set_index(["case_id", "question"])["split"]
    phrasings: dict[str, list[tuple[str, str]]] = {}
    for book in ("ansette", "recovery"):
        for theme, entry in bank.THEMES[book].items():
            phrasings[theme] = [(_norm(t), half) for half in ("train", "heldout")
                                for s in entry[half] for t in (s.bm, s.nn)]
    wrong = []
    for row in gold.itertuples():
        span = _norm(row.coded_text)
        best = max(phrasings[row.code_id], key=lambda p: difflib.SequenceMatcher(None, span, p[0]).ratio())
        if best[1] != halves[(row.case_id, row.question)]:
            wrong.append((row.case_id, row.question, row.coded_text))
    assert wrong == []


def test_regenerating_reproduces_every_file(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(CORPUS / "make_corpus.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name
