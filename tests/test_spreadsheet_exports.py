"""refs and matrix for spreadsheet users: .xlsx with labels, Norwegian Excel CSV, parent codes,
columns per question, one row per coding; the streaming path writes the same bytes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from fritekst.cli import main
from fritekst.coding.refs import collapse_duplicates, refs_frame, write_csv
from fritekst.rules.codebook import load_codebook
from fritekst.sources.corpus import load_corpus

DATA = Path(__file__).parent / "data"
SVAR = DATA / "refi" / "svar.csv"  # two free-text columns: grunn and recovery
GYLDIG = DATA / "codebooks" / "gyldig.yaml"  # hindringer > okonomi, ingen_stillinger; ser_behov


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def code(tmp_path: Path, *outputs: str, extra: tuple[str, ...] = ()) -> list[Path]:
    paths = [tmp_path / name for name in outputs]
    args = ["code", SVAR, "--codebook", GYLDIG, "--id-column", "kommunenr", "--text-column", "grunn",
            "--text-column", "recovery", "--attribute", "kommune", "--attribute", "planer",
            "--out", paths[0], *extra]
    if len(paths) > 1:
        args += ["--matrix", paths[1]]
    status, output = run(*args)
    assert status == 0, output
    return paths


def test_matrix_parent_is_one_when_a_child_is_and_columns_per_question(tmp_path: Path) -> None:
    _, matrix = code(tmp_path, "refs.csv", "matrix.csv")
    lines = matrix.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("case_id,kommune,planer,grunn:hindringer,grunn:okonomi,grunn:ingen_stillinger,"
                        "grunn:ser_behov,recovery:hindringer,recovery:okonomi,recovery:ingen_stillinger,"
                        "recovery:ser_behov")
    # 0301 named økonomi and no vacancies in "grunn": both children, so their parent "hindringer" too.
    assert lines[1] == "0301,Oslo,Nei,1,1,1,0,0,0,0,0"


def test_streaming_and_in_memory_matrices_are_identical(tmp_path: Path) -> None:
    _, streamed = code(tmp_path, "refs.csv", "matrix.csv")  # CSV without --hand: streamed
    _, workbook = code(tmp_path, "refs2.csv", "matrix.xlsx")  # .xlsx: in memory
    frame = pd.read_excel(workbook, dtype=str)
    csv_frame = pd.read_csv(streamed, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert frame.fillna("").values.tolist() == csv_frame.values.tolist()
    assert (tmp_path / "refs.csv").read_bytes() == (tmp_path / "refs2.csv").read_bytes()


def test_xlsx_outputs_have_labels_and_keep_text_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    refs, matrix = code(tmp_path, "refs.xlsx", "matrix.xlsx")
    sheet = load_workbook(matrix).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert sheet.title == "Matrise"
    assert header[:5] == ["case_id", "kommune", "planer", "Hindringer (grunn)", "Økonomi (grunn)"]
    rows = list(load_workbook(refs).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("case_id", "question", "code_id", "code_path", "coded_text")
    assert rows[1][:7] == ("0301", "grunn", "okonomi", "Ansettelse (test)\\Hindringer\\Økonomi", "økonomi", 12, 19)


def test_excel_nb_dialect_uses_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    corpus = load_corpus(SVAR, "kommunenr", ["grunn"], ["kommune"])
    codings = pd.DataFrame([["0301", "grunn", "okonomi", 12, 19, "classifier", "clf", 0.8312]],
                           columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"])
    out = tmp_path / "refs.csv"
    write_csv(refs_frame(codings, corpus, [load_codebook(GYLDIG)]), out, excel_nb=True)
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "case_id;question;code_id;code_path;coded_text;start;end;method;rule_id;score;kommune",
        "0301;grunn;okonomi;Ansettelse (test)\\Hindringer\\Økonomi;økonomi;12;19;classifier;clf;0,8312;Oslo"]
    status, output = run("code", SVAR, "--codebook", GYLDIG, "--id-column", "kommunenr", "--text-column",
                         "grunn", "--out", tmp_path / "nb.csv", "--excel-nb")
    assert status == 0, output
    assert (tmp_path / "nb.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("case_id;question;")


def test_duplicates_of_a_code_on_a_span_are_one_row_listing_the_rules() -> None:
    frame = pd.DataFrame([["1", "q", "c", 0, 5, "classifier", "clf", 0.7],
                          ["1", "q", "c", 0, 5, "keyword", "ord_a", 1.0],
                          ["1", "q", "c", 0, 5, "keyword", "ord_b", 1.0],
                          ["1", "q", "c", 6, 9, "keyword", "ord_a", 1.0],
                          ["1", "q", "d", 0, 5, "manual", "", 1.0]],
                         columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"])
    assert collapse_duplicates(frame).values.tolist() == [
        ["1", "q", "c", 0, 5, "keyword", "clf; ord_a; ord_b", 1.0],
        ["1", "q", "c", 6, 9, "keyword", "ord_a", 1.0],
        ["1", "q", "d", 0, 5, "manual", "", 1.0]]
