"""Review sheets: export suggested codes, a researcher's decisions in Excel, import without losing any."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from fritekst.cli.review import review_group
from fritekst.rules.codebook import load_codebook
from fritekst.coding.coder import code_corpus
from fritekst.coding.codings_io import read_codings
from fritekst.sources.corpus import load_corpus
from fritekst.errors import InputError, OutputError
from fritekst.coding.review import import_review, read_review_sheet, review_frame, write_review_sheet

DATA = Path(__file__).parent / "data" / "classifier"
CODES = ["okonomi", "ser_behov", "ikke_aktuelt"]


@pytest.fixture(scope="module")
def mini():
    codebook = load_codebook(DATA / "kodebok.yaml")
    corpus = load_corpus(DATA / "svar.csv", "case_id", ["grunn"])
    hand = read_codings(DATA / "hand.csv", code_ids=CODES, default_method="manual", answers=corpus.answers)
    return {"codebook": codebook, "corpus": corpus, "auto": code_corpus(corpus, [codebook]), "hand": hand}


def first_answers(mini, n=6):
    return mini["corpus"].answers.head(n)


def test_sheet_shows_suggestions_and_existing_decisions(mini):
    classifier = pd.DataFrame([("0006", "grunn", "okonomi", 0, 33, "classifier", "m", 0.8123)],
                              columns=mini["auto"].columns)
    suggestions = pd.concat([mini["auto"], classifier], ignore_index=True)
    sheet = review_frame(first_answers(mini), suggestions, CODES, mini["hand"])
    assert list(sheet.columns) == ["case_id", "question", "text", "suggested", *CODES, "others", "note"]
    assert sheet[["case_id", "suggested", "okonomi", "ser_behov"]].values.tolist() == [
        ["0001", "okonomi (keyword)", "yes", ""],          # hand decision shown as decided
        ["0002", "okonomi (keyword)", "no", ""],
        ["0003", "okonomi (keyword)", "?", ""],
        ["0004", "okonomi (keyword)", "?", ""],
        ["0005", "okonomi (keyword)", "?", ""],
        ["0006", "okonomi (classifier 0.81)", "yes", ""],
    ]


def test_xlsx_sheet_has_dropdowns_a_frozen_header_and_the_code_list(mini, tmp_path):
    path = tmp_path / "review.xlsx"
    sheet = review_frame(first_answers(mini), mini["auto"], CODES)
    write_review_sheet(path, sheet, [(c.id, c.label, c.description) for c in mini["codebook"].codes])
    book = load_workbook(path)
    review = book["review"]
    assert [c.value for c in review[1]] == ["case_id", "question", "text", "suggested", *CODES, "others", "note"]
    assert review["A2"].value == "0001" and review["E2"].value == "?"
    assert review.freeze_panes == "D2"
    assert [str(v.sqref) for v in review.data_validations.dataValidation] == ["E2:H7"]
    assert [row for row in book["codes"].iter_rows(values_only=True)][1] == ("okonomi", "Økonomi", None)  # an empty description is an empty cell


def fill(path, decisions):
    """Play the researcher: write decisions into the XLSX sheet, keyed by case_id and column name."""
    book = load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for (case_id, column), value in decisions.items():
            if row[0].value == case_id:
                row[header.index(column)].value = value
    book.save(path)


def test_import_turns_the_sheet_into_hand_decisions(mini, tmp_path):
    sheet_path = tmp_path / "review.xlsx"
    write_review_sheet(sheet_path, review_frame(first_answers(mini, 4), mini["auto"], CODES))
    fill(sheet_path, {("0001", "okonomi"): "ja", ("0002", "okonomi"): "nei", ("0003", "okonomi"): "yes",
                      ("0003", "others"): "no", ("0004", "ikke_aktuelt"): "X"})
    out = tmp_path / "hand.csv"
    report = import_review(sheet_path, out, CODES, answers=mini["corpus"].answers)
    assert report.summary() == ("6 hand decisions from the sheet (3 yes, 3 no): 6 new, 0 changed, 0 unchanged; "
                                "0 earlier decisions kept")
    hand = read_codings(out, code_ids=CODES)
    assert hand[["case_id", "code_id", "start", "end", "method", "decision"]].values.tolist() == [
        ["0001", "okonomi", 0, 43, "manual", "yes"],
        ["0002", "okonomi", 0, 45, "manual", "no"],
        ["0003", "ikke_aktuelt", 0, 15, "manual", "no"],   # "others: no" decides the rest of the row
        ["0003", "okonomi", 0, 15, "manual", "yes"],
        ["0003", "ser_behov", 0, 15, "manual", "no"],
        ["0004", "ikke_aktuelt", 0, 25, "manual", "yes"],  # 0004 okonomi stays "?": undecided
    ]


def test_import_never_overwrites_an_existing_hand_file_silently(mini, tmp_path):
    sheet_path = tmp_path / "review.csv"
    write_review_sheet(sheet_path, review_frame(first_answers(mini, 2), mini["auto"], CODES))
    out = tmp_path / "hand.csv"
    out.write_bytes((DATA / "hand.csv").read_bytes())
    before = out.read_bytes()
    with pytest.raises(OutputError) as info:
        import_review(sheet_path, out, CODES)
    assert str(info.value) == (f"{out}: hand-coding file already exists; merge the sheet's "
                               "decisions into it, or choose another file")
    assert out.read_bytes() == before


def test_merge_import_changes_only_what_the_researcher_changed(mini, tmp_path):
    out = tmp_path / "hand.csv"
    out.write_bytes((DATA / "hand.csv").read_bytes())
    sheet = review_frame(mini["corpus"].answers[mini["corpus"].answers["case_id"].isin(["0001", "0002", "0014"])],
                         mini["auto"], CODES, read_codings(out, code_ids=CODES, default_method="manual"))
    sheet.loc[sheet["case_id"] == "0002", "okonomi"] = "yes"          # was "no": a deliberate change
    sheet.loc[sheet["case_id"] == "0001", "ikke_aktuelt"] = "no"      # a new decision
    sheet_path = tmp_path / "review.csv"
    write_review_sheet(sheet_path, sheet)
    report = import_review(sheet_path, out, CODES, merge=True, answers=mini["corpus"].answers)
    assert (report.new, report.changed, report.unchanged, report.kept) == (1, 1, 2, 2)
    hand = read_codings(out, code_ids=CODES)
    assert hand[["case_id", "code_id", "start", "end", "decision"]].values.tolist() == [
        ["0001", "ikke_aktuelt", 0, 43, "no"],
        ["0001", "okonomi", 0, 43, "yes"],
        ["0002", "okonomi", 0, 45, "yes"],
        ["0006", "okonomi", 0, 33, "yes"],      # not in the sheet: kept
        ["0014", "ser_behov", 7, 14, "yes"],    # unchanged: the precise span is kept
        ["0036", "ser_behov", 0, 23, "no"],     # not in the sheet: kept
    ]


def test_csv_sheet_round_trips_formula_like_text(tmp_path):
    answers = pd.DataFrame({"case_id": ["1"], "question": ["q"], "text": ["=ingen midler"]})
    sheet = review_frame(answers, pd.DataFrame(columns=["case_id", "question", "code_id", "start", "end", "method",
                                                        "rule_id", "score"]), ["okonomi"])
    sheet["okonomi"] = "ja"
    path = tmp_path / "review.csv"
    write_review_sheet(path, sheet)
    assert "'=ingen midler" in path.read_text(encoding="utf-8-sig")
    decisions = read_review_sheet(path, ["okonomi"])
    assert decisions[["code_id", "end", "decision", "coded_text"]].values.tolist() == [["okonomi", 13, "yes",
                                                                                       "=ingen midler"]]


@pytest.mark.parametrize("header, row, message", [
    ("case_id,question,text,okonomi", "0001,grunn,x,kanskje",
     "{path}:2: column 'okonomi' has 'kanskje'; expected yes, no, ? or blank"),
    ("case_id,question,text,okonmi", "0001,grunn,x,yes",
     "{path}:1: column 'okonmi' is not a code of the codebook; rename it to a code id or delete the column"),
    ("case_id,question,okonomi", "0001,grunn,yes",
     "{path}:1: review sheet has no column 'text'; keep the columns `fritekst review export` wrote"),
    ("case_id,question,text,okonomi", "0001,grunn,{text},yes\n0001,grunn,{text},no",
     "{path}:3: case 0001 (grunn) is also on row 2; keep one row per answer"),
    ("case_id,question,text,okonomi", "0001,grunn,Nå står det noe annet her,yes",
     "{path}:2: the text of case 0001 (grunn) in the sheet is not its answer in the corpus (the corpus changed "
     "since the sheet was exported); export a new sheet for this answer and decide it again"),
    ("case_id,question,text,okonomi", "9999,grunn,x,yes",
     "{path}:2: case 9999 has no answer to 'grunn' in the corpus; check that the sheet belongs to this corpus"),
])
def test_bad_sheets_give_one_line_with_row_and_column(mini, tmp_path, header, row, message):
    path = tmp_path / "review.csv"
    answers = mini["corpus"].answers
    text = answers.set_index(["case_id", "question"])["text"][("0001", "grunn")]
    path.write_text(f"{header}\n{row.format(text=text)}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_review_sheet(path, CODES, answers=answers)
    assert str(info.value) == message.format(path=path)


def test_cli_export_then_import(mini, tmp_path):
    runner = CliRunner()
    sheet_path = tmp_path / "review.xlsx"
    common = ["--codebook", str(DATA / "kodebok.yaml"), "--corpus", str(DATA / "svar.csv")]
    result = runner.invoke(review_group, ["export", *common, "--question", "grunn", "--hand", str(DATA / "hand.csv"),
                                          "--only", "undecided", "--limit", "5", "--out", str(sheet_path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Skrev 5 svar × 3 koder til {sheet_path}\n"
    assert [r[0] for r in load_workbook(sheet_path)["review"].iter_rows(min_row=2, values_only=True)] == [
        "0003", "0004", "0005", "0007", "0008"]
    fill(sheet_path, {("0003", "okonomi"): "yes"})
    out = tmp_path / "hand.csv"
    result = runner.invoke(review_group, ["import", str(sheet_path), *common, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "1 håndbeslutninger fra arket (1 ja, 0 nei): 1 nye, 0 endret, 0 uendret; 0 tidligere beslutninger beholdt",
        f"Skrev håndbeslutningene til {out}"]
    again = runner.invoke(review_group, ["import", str(sheet_path), *common, "--out", str(out)])
    assert again.exit_code == 2
    assert again.output == (f"Error: {out}: hand-coding file already exists; merge the sheet's "
                            "decisions into it, or choose another file (see --merge) [E503]\n")


# --- a project's hand file holds both codebooks' decisions ---------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
PROJECT_HAND = ROOT / "corpus" / "koding" / "mine_kodinger.csv"  # ansette rows and one recovery row


def corpus_text(case_id: str, question: str) -> str:
    import csv

    with open(ROOT / "corpus" / "svar.csv", encoding="utf-8-sig", newline="") as handle:
        return next(row[question] for row in csv.DictReader(handle) if row["case_id"] == case_id)


def hand_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# Each: the cells the researcher filled in an ansette sheet of grunn_nei, the import's summary line and the
# rows it must leave in the file for those answers. Before the fix every case was refused:
# "mine_kodinger.csv:14: unknown code id 'relasjon'; use a code id from the codebook [E112]".
MERGES = [
    ("new-decision", {("2022-1111", "okonomi"): "no"},
     "1 håndbeslutninger fra arket (0 ja, 1 nei): 1 nye, 0 endret, 0 uendret; 13 tidligere beslutninger beholdt",
     [("2022-1111", "ikke_aktuelt", "2", "32", "yes"), ("2022-1111", "okonomi", "0", "61", "no")]),
    ("changed-decision", {("2022-3823", "okonomi"): "yes"},
     "1 håndbeslutninger fra arket (1 ja, 0 nei): 0 nye, 1 endret, 0 uendret; 12 tidligere beslutninger beholdt",
     [("2022-3823", "okonomi", "0", "{len}", "yes")]),
]


@pytest.mark.parametrize("cells, summary, expected", [m[1:] for m in MERGES], ids=[m[0] for m in MERGES])
def test_merging_a_sheet_into_a_hand_file_of_two_codebooks_keeps_the_other_ones_rows(tmp_path, cells, summary,
                                                                                   expected):
    codebook = load_codebook(ROOT / "codebooks" / "ansette.yaml")
    out = tmp_path / "mine_kodinger.csv"
    out.write_bytes(PROJECT_HAND.read_bytes())
    before = hand_rows(out)
    cases = sorted({case for case, _ in cells})
    sheet = pd.DataFrame({"case_id": cases, "question": "grunn_nei",
                          "text": [corpus_text(case, "grunn_nei") for case in cases], "suggested": ""})
    for code in codebook.code_ids:
        sheet[code] = [cells.get((case, code), "") for case in cases]
    sheet_path = tmp_path / "review.csv"
    write_review_sheet(sheet_path, sheet)
    result = CliRunner().invoke(review_group, ["import", str(sheet_path), "--codebook",
                                               str(ROOT / "codebooks" / "ansette.yaml"), "--out", str(out), "--merge"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == summary
    after = hand_rows(out)
    # every row of a question the sheet did not decide is as it was, cell by cell (note included)
    untouched = [row for row in before if row["question"] != "grunn_nei"]
    assert [row["question"] for row in untouched] == ["grunn_vet_ikke", "recovery_stor_grad"]
    assert [{name: row[name] for name in before[0]} for row in after if row["question"] != "grunn_nei"] \
        == sorted(untouched, key=lambda row: row["case_id"])  # sorted in among the rest by case
    # every earlier grunn_nei decision the sheet did not change is still there, with its note
    decided = {(row["case_id"], row["code_id"]): (row["decision"], row["note"]) for row in after
               if row["question"] == "grunn_nei"}
    for row in before:
        if row["question"] == "grunn_nei" and (row["case_id"], row["code_id"]) not in cells:
            assert decided[row["case_id"], row["code_id"]] == (row["decision"], row["note"])
    length = len(corpus_text(expected[0][0], "grunn_nei"))
    assert [(row["case_id"], row["code_id"], row["start"], row["end"], row["decision"]) for row in after
            if row["case_id"] == expected[0][0]] == [tuple(c.format(len=length) for c in e) for e in expected]
    # and the file still reads for both codebooks
    recovery = load_codebook(ROOT / "codebooks" / "recovery.yaml")
    assert read_codings(out, code_ids=recovery.code_ids, default_method="manual", manual_only=True,
                        questions=["recovery_stor_grad"])[["case_id", "code_id", "start", "end"]].values.tolist() \
        == [["2023-1106", "relasjon", 13, 64]]
