"""Loading survey exports into a Corpus: formats, encodings, separators, ids, empty answers, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fritekst.sources.corpus import load_corpus
from fritekst.errors import InputError

DATA = Path(__file__).parent / "data" / "corpus"
TEXTS_UTF8 = ["Vi har ikke økonomi til det, og ingen ledige stillinger.",
              "Vi ser behovet.\nBrukarane ønskjer det.", "=1+1 ikkje lovpålagt"]


@pytest.mark.parametrize("name", ["svar_utf8.csv", "svar_cp1252.csv", "svar.xlsx", "svar.parquet"])
def test_formats_give_the_same_answers(name: str) -> None:
    corpus = load_corpus(DATA / name, "kommunenr", ["grunn"])
    assert corpus.cases["case_id"].tolist() == ["0301", "4601", "1804", "5001"]
    assert corpus.answers["text"].tolist() == TEXTS_UTF8
    assert corpus.answers["case_id"].tolist() == ["0301", "4601", "5001"]
    assert corpus.n_empty == {"grunn": 1}
    assert corpus.attributes == ["kommune", "fylke", "planer"]


@pytest.mark.parametrize("name", ["svar.sav", "svar.dta"])
def test_spss_and_stata_numeric_ids_become_text_without_decimals(name: str) -> None:
    corpus = load_corpus(DATA / name, "kommunenr", ["grunn"])
    # Stored as numbers, so the leading zero of 0301 is gone, but no "301.0".
    assert corpus.cases["case_id"].tolist() == ["301", "4601", "1804", "5001"]
    assert corpus.answers["text"].tolist() == TEXTS_UTF8


def test_semicolon_bom_and_crlf_are_detected() -> None:
    corpus = load_corpus(DATA / "svar_bom_semikolon.csv", "kommunenr", ["grunn"])
    assert corpus.encoding == "utf-8-sig"
    assert list(corpus.cases.columns) == ["case_id", "kommune", "fylke", "planer"]
    assert corpus.answers["text"].tolist()[1] == "Vi ser behovet.\nBrukarane ønskjer det."
    assert corpus.answers["text"].tolist()[0] == "Vi har ikke økonomi til det; og ingen ledige stillinger."


def test_windows_1252_is_detected_and_reported() -> None:
    corpus = load_corpus(DATA / "svar_cp1252.csv", "kommunenr", ["grunn"])
    assert corpus.encoding == "cp1252"


def test_attribute_columns_can_be_chosen() -> None:
    corpus = load_corpus(DATA / "svar_utf8.csv", "kommunenr", ["grunn"], ["fylke"])
    assert list(corpus.cases.columns) == ["case_id", "fylke"]


def test_decomposed_letters_are_normalised_to_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.csv"
    path.write_text("id,svar\n1,pa\u030a sikt\n", encoding="utf-8")
    corpus = load_corpus(path, "id", ["svar"])
    assert corpus.answers["text"].tolist() == ["p\u00e5 sikt"]


@pytest.mark.parametrize(("name", "kwargs", "message"), [
    ("duplikat_id.csv", {}, "duplikat_id.csv: row 4: id '0301' in column 'kommunenr' already used in row 2; "
                            "ids must be unique (one row per respondent)"),
    ("tom_id.csv", {}, "tom_id.csv: row 3: column 'kommunenr' is empty; every respondent needs an id"),
    ("ugyldig_bytes.csv", {}, "ugyldig_bytes.csv:2:6: byte 0x81 cannot be decoded as utf-8-sig or cp1252; "
                              "save it as UTF-8 or name the right encoding"),
    ("svar_cp1252.csv", {"encoding": "utf-8"}, "svar_cp1252.csv:2:33: byte 0xf8 cannot be decoded as utf-8; "
                                               "try the encoding cp1252 (Windows) or latin-1"),
    ("svar_utf8.csv", {"encoding": "klingon"}, "svar_utf8.csv: unknown encoding 'klingon'; "
                                               "try the encoding utf-8 or cp1252"),
    ("tom.csv", {}, "tom.csv: file is empty; expected a header row and one row per respondent"),
    ("ujevn.csv", {}, "ujevn.csv: Expected 2 fields in row 3, saw 4; check quoting, or name the separator "
                      "(, ; or tab)"),
    ("finnes_ikke.csv", {}, "finnes_ikke.csv: file not found; check the path"),
    ("make_files.py", {}, "make_files.py: unsupported file type '.py'; expected one of .csv, .tsv, .txt, "
                          ".xlsx, .xlsm, .sav, .dta, .parquet"),
])
def test_bad_files_give_one_clear_line(name: str, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as info:
        load_corpus(DATA / name, "kommunenr", ["grunn"], **kwargs)
    assert str(info.value) == f"{DATA / name}{message[len(name):]}"
    assert "\n" not in str(info.value)


def test_missing_column_lists_what_exists_and_suggests() -> None:
    with pytest.raises(InputError) as info:
        load_corpus(DATA / "svar_utf8.csv", "kommunenr", ["grun"])
    assert str(info.value).endswith("no column 'grun'; the columns are: kommunenr, kommune, fylke, planer, "
                                    "grunn; did you mean 'grunn'?")


@pytest.mark.parametrize("sheet, message", [
    ("Ark9", "no sheet 'Ark9'; the sheets are: Svar; give one of those names"),
    (3, "no sheet number 3 (numbers count from 0); the sheets are: Svar; give one of those names"),
])
def test_missing_sheet_is_reported_with_the_sheets_there_are(sheet: str | int, message: str) -> None:
    with pytest.raises(InputError) as info:
        load_corpus(DATA / "svar.xlsx", "kommunenr", ["grunn"], sheet=sheet)
    assert str(info.value).endswith(message) and info.value.code == "E109"


def test_a_sheet_number_from_the_project_file_counts_from_0() -> None:
    assert load_corpus(DATA / "svar.xlsx", "kommunenr", ["grunn"], sheet=0).answers.equals(
        load_corpus(DATA / "svar.xlsx", "kommunenr", ["grunn"], sheet="Svar").answers)


def test_named_sheet_is_read() -> None:
    assert len(load_corpus(DATA / "svar.xlsx", "kommunenr", ["grunn"], sheet="Svar").answers) == 3
