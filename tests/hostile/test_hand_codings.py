"""Issue 8 item 2: hand codings are checked, not trusted: method, and the coded text against the corpus."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from .harness import assert_clean_refusal, make_project, run_checked

HEADER = "case_id,question,code_id,coded_text,start,end,method,decision\n"
# 0301's answer: "Vi har ikke økonomi til det, og ingen ledige stillinger."  (økonomi at 12–19)
CHANGED = "Vi har, dessverre, ikke økonomi til det, og ingen ledige stillinger."


def project_with_hand(tmp_path: Path, rows: str, answer: str | None = None) -> Path:
    make_project(tmp_path)
    (tmp_path / "hand.csv").write_text(HEADER + rows, encoding="utf-8")
    if answer is not None:
        corpus = (tmp_path / "svar.csv").read_text(encoding="utf-8")
        (tmp_path / "svar.csv").write_text(corpus.replace(
            "Vi har ikke økonomi til det, og ingen ledige stillinger.", answer), encoding="utf-8")
    return tmp_path


def refs_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]


@pytest.mark.parametrize("method", ["classifier", "keyword"])
def test_a_hand_file_with_automatic_rows_is_refused(tmp_path: Path, method: str) -> None:
    folder = project_with_hand(tmp_path, f"0301,grunn,okonomi,økonomi,12,19,{method},yes\n")
    assert_clean_refusal(run_checked(["code", "--out", "refs.csv"], folder),
                         "hand.csv:2: method", "hand decisions must be method manual")


def test_an_unchanged_coded_text_is_kept_where_it_is(tmp_path: Path) -> None:
    folder = project_with_hand(tmp_path, "0301,grunn,ser_behov,økonomi,12,19,manual,yes\n")
    outcome = run_checked(["code", "--out", "refs.csv"], folder)
    assert outcome.result.exit_code == 0, outcome.result.output
    assert "Note:" not in outcome.result.stdout
    assert ["0301", "grunn", "ser_behov", "økonomi", "12", "19", "manual"] in \
        [row[:3] + row[4:8] for row in refs_rows(folder / "refs.csv")]


def test_a_coded_text_found_once_elsewhere_moves_and_says_so(tmp_path: Path) -> None:
    folder = project_with_hand(tmp_path, "0301,grunn,ser_behov,økonomi,12,19,manual,yes\n", answer=CHANGED)
    outcome = run_checked(["code", "--out", "refs.csv"], folder)
    assert outcome.result.exit_code == 0, outcome.result.output
    assert "Note: hand.csv:2: ser_behov on case 0301 moved from 12–19 to 24–31" in outcome.result.stdout
    assert ["0301", "grunn", "ser_behov", "økonomi", "24", "31", "manual"] in \
        [row[:3] + row[4:8] for row in refs_rows(folder / "refs.csv")]


@pytest.mark.parametrize("answer, words", [
    ("Vi har ikke penger til det, og ingen ledige stillinger.", "no longer occurs in it"),
    ("Vi har ikke noe, økonomi er trang, økonomi styrer alt.", "occurs 2 times in it"),
])
def test_a_coded_text_not_found_once_is_refused_with_the_row(tmp_path: Path, answer: str, words: str) -> None:
    folder = project_with_hand(tmp_path, "0301,grunn,ser_behov,økonomi,12,19,manual,yes\n", answer=answer)
    assert_clean_refusal(run_checked(["code", "--out", "refs.csv"], folder), "hand.csv:2: coded_text 'økonomi'",
                         words)


def test_a_whole_answer_coding_of_a_changed_answer_is_refused(tmp_path: Path) -> None:
    folder = project_with_hand(tmp_path, "4601,grunn,ser_behov,Vi ser behovet.,,,manual,yes\n",
                               answer=None)
    corpus = (folder / "svar.csv").read_text(encoding="utf-8")
    (folder / "svar.csv").write_text(corpus.replace("Vi ser behovet.", "Vi ser ikkje noko."), encoding="utf-8")
    assert_clean_refusal(run_checked(["code", "--out", "refs.csv"], folder), "hand.csv:2:", "has changed")


def test_review_import_check_corpus_compares_the_text(tmp_path: Path) -> None:
    make_project(tmp_path)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("case_id,question,text,okonomi\n0301,grunn,Noe helt annet,yes\n", encoding="utf-8")
    outcome = run_checked(["review", "import", "sheet.csv", "--codebook", "kodebok.yaml", "--check-corpus",
                           "--out", "ny.csv"], tmp_path)
    assert_clean_refusal(outcome, "sheet.csv:2: the text of case 0301", "corpus changed")
