"""Streaming coding: chunked, parallel coding must write exactly the bytes the in-memory path writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from fritekst.rules.classifier import train_model
from fritekst.rules.codebook import Codebook, load_codebook
from fritekst.coding.coder import code_corpus
from fritekst.sources.corpus import load_corpus
from fritekst.errors import InputError
from fritekst.coding.refs import coding_summary, write_matrix_csv, write_refs_csv
from fritekst.rules.model_file import save_model
from fritekst.coding.stream import code_csv_streaming

DATA = Path(__file__).parent / "data" / "stream"
QUESTIONS = ["grunn", "recovery"]
VARIANTS = ["svar.csv", "svar_excel.csv", "svar_cp1252.csv"]


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook(DATA / "kodebok.yaml")


@pytest.fixture(scope="session")
def second_codebook() -> Codebook:
    return load_codebook(DATA / "kodebok_tillegg.yaml")


def _simple(folder: Path, name: str, codebooks: list[Codebook]) -> dict:
    """The in-memory path's refs.csv and matrix.csv bytes and its summary."""
    corpus = load_corpus(DATA / name, "kommunenr", QUESTIONS)
    codings = code_corpus(corpus, codebooks)
    refs, matrix = folder / f"{name}.refs.csv", folder / f"{name}.matrix.csv"
    write_refs_csv(refs, codings, corpus, codebooks)
    write_matrix_csv(matrix, codings, corpus, codebooks)
    return {"refs": refs.read_bytes(), "matrix": matrix.read_bytes(),
            "summary": coding_summary(codings, corpus), "encoding": corpus.encoding}


@pytest.fixture(scope="session")
def simple_outputs(tmp_path_factory: pytest.TempPathFactory, codebook: Codebook) -> dict[str, dict]:
    """Per input variant, what the in-memory path writes."""
    return {name: _simple(tmp_path_factory.mktemp("simple"), name, [codebook]) for name in VARIANTS}


def _read_refs(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize(("jobs", "chunk_size"), [(2, 4), (1, 3), (2, 1000)])
def test_streamed_output_is_byte_identical_to_the_simple_path(
        tmp_path: Path, codebook: Codebook, simple_outputs: dict, name: str, jobs: int,
        chunk_size: int) -> None:
    refs, matrix = tmp_path / "refs.csv", tmp_path / "matrix.csv"
    summary = code_csv_streaming(DATA / name, [codebook], "kommunenr", QUESTIONS, refs, matrix,
                                 jobs=jobs, chunk_size=chunk_size)
    assert refs.read_bytes() == simple_outputs[name]["refs"]
    assert matrix.read_bytes() == simple_outputs[name]["matrix"]
    assert summary.questions == simple_outputs[name]["summary"]
    assert summary.encoding == simple_outputs[name]["encoding"]
    assert summary.n_cases == 31
    assert summary.n_codings == len(_read_refs(refs.read_bytes()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.csv", "refs.csv"]


def test_two_codebooks_on_the_same_answers_give_the_same_bytes(
        tmp_path: Path, codebook: Codebook, second_codebook: Codebook) -> None:
    expected = _simple(tmp_path, "svar.csv", [codebook, second_codebook])
    refs, matrix = tmp_path / "refs.csv", tmp_path / "matrix.csv"
    code_csv_streaming(DATA / "svar.csv", [codebook, second_codebook], "kommunenr", QUESTIONS, refs,
                       matrix, jobs=2, chunk_size=2)
    assert refs.read_bytes() == expected["refs"]
    assert matrix.read_bytes() == expected["matrix"]
    # both codebooks coded the same span of case 4601: "ledige" (a near-rule and a plain rule)
    spans = {(r["code_id"], r["start"]) for r in _read_refs(expected["refs"]) if r["case_id"] == "4601"}
    assert {("ingen_stillinger", "38"), ("personale", "38")} <= spans


def test_codebooks_with_a_classifier_give_the_same_bytes(tmp_path: Path, codebook: Codebook) -> None:
    # A model trained on the keyword codings of the test answers, attached to a copy of the
    # codebook with combine: fallback (classifier codings only where no keyword rule fired).
    corpus = load_corpus(DATA / "svar.csv", "kommunenr", QUESTIONS)
    model = train_model(corpus.answers, code_corpus(corpus, [codebook]), codebook,
                        settings={"cv": 2, "random_state": 0, "min_df": 1}, unit="answer")
    save_model(model, tmp_path / "modell.skops")
    text = (DATA / "kodebok.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "kodebok.yaml"
    copy.write_text(text.replace("title: Strømmetest\n", "title: Strømmetest\nclassifier: modell.skops\n"
                                 "combine: fallback\n"), encoding="utf-8")
    with_model = load_codebook(copy)
    expected = _simple(tmp_path, "svar.csv", [with_model])
    assert b",classifier,classifier:modell.skops," in expected["refs"]
    refs, matrix = tmp_path / "refs.csv", tmp_path / "matrix.csv"
    code_csv_streaming(DATA / "svar.csv", [with_model], "kommunenr", QUESTIONS, refs, matrix, jobs=2,
                       chunk_size=4)
    assert refs.read_bytes() == expected["refs"]
    assert matrix.read_bytes() == expected["matrix"]


def test_the_compared_output_really_codes_the_hard_cases(simple_outputs: dict) -> None:
    # Guards the comparison above against two equally empty or equally wrong outputs.
    refs = _read_refs(simple_outputs["svar.csv"]["refs"])
    found = {(r["case_id"], r["question"], r["coded_text"], r["rule_id"]) for r in refs}
    assert {
        ("10", "grunn", "midlar", "okonomi_midler"),            # Nynorsk negation "manglar"
        ("10", "recovery", "Tenesta", "tjeneste_lemma"),        # Nynorsk lemma
        ("10", "recovery", "få brukarar", "brukere_eksakt"),    # exact phrase
        ("0301", "grunn", "Budsjettsituasjonen", "okonomi_ord"),  # compound by wildcard
        ("0301", "grunn", "ansettelsesstopp", "stillingsstopp"),  # suffix wildcard
        ("15", "recovery", "FACT-teamet", "konkret_tilbud:1"),   # hyphenated compound
        ("2", "grunn", "IKKE RÅD", "okonomi_ord"),               # capitals, phrase
        ("18", "grunn", "ledige", "stilling_ledig"),             # near across a line break
        ("13", "recovery", "tilbud", "konkret_tilbud:1"),        # answer written in NFD
        ("18", "grunn", "ledige\nstillinger", "stilling_frase"),  # phrase over a line break
        ("A,1", "grunn", "penger", "okonomi_midler"),             # id with a comma
        ("A,1", "recovery", 'lavterskel"-tilbud', "konkret_tilbud:1"),  # coded text with a quote
    } <= found
    # unless: "ikke et økonomisk spørsmål" blocks okonomi_ord for case 1; forbid: negated "behov".
    assert not any(r["case_id"] == "1" and r["code_id"] == "okonomi" for r in refs)
    assert not any(r["case_id"] in {"3", "19"} and r["question"] == "grunn" and r["code_id"] == "ser_behov"
                   for r in refs)
    # a formula-like attribute is neutralised on every row of its case
    assert {r["kommune"] for r in refs if r["case_id"] == "23"} == {"'=Tjuetre"}
    assert b'\r\n"A,1",grunn,' in simple_outputs["svar.csv"]["refs"]
    assert ',"Bø ""i Telemark""",Telemark,Nei\r\n' in simple_outputs["svar.csv"]["refs"].decode("utf-8")
    # typos: the long "Økonmi" meets økonomi*, and the five-letter "ledge" is "ledige" with a letter
    # dropped (ninth round: TYPO_MIN_FORM_LENGTH), so the phrase "ledige stillinger" fires on "ledge stillnger"
    case_4 = {(r["coded_text"], r["rule_id"]) for r in refs if r["case_id"] == "4" and r["question"] == "grunn"}
    assert case_4 == {("Økonmi", "okonomi_ord"), ("ledge stillnger", "stilling_frase")}
    # refs are sorted by case id as text over the whole corpus, not in file order
    ids = [r["case_id"] for r in refs]
    assert ids == sorted(ids) and ids[0] == "0100" and ids.index("10") < ids.index("9")


def test_progress_reports_every_answer(tmp_path: Path, codebook: Codebook) -> None:
    seen: list[int] = []
    code_csv_streaming(DATA / "svar.csv", [codebook], "kommunenr", QUESTIONS, tmp_path / "refs.csv",
                       jobs=2, chunk_size=7, progress=seen.append)
    # Non-empty answers in chunks of 7, 7, 7, 7 and 3 respondents of two questions each: the 3rd
    # and 5th respondent have one empty answer each, the 21st has two (29 + 29 answers in all).
    assert seen == [12, 14, 12, 14, 6]


def test_questions_map_codebooks_to_columns(tmp_path: Path, codebook: Codebook) -> None:
    refs = tmp_path / "refs.csv"
    summary = code_csv_streaming(DATA / "svar.csv", [codebook], "kommunenr", QUESTIONS, refs,
                                 questions={"grunn": ["strom"]}, chunk_size=5)
    assert {r["question"] for r in _read_refs(refs.read_bytes())} == {"grunn"}
    assert summary.questions["recovery"]["codings"] == 0
    assert summary.questions["recovery"]["answers"] == 29


@pytest.mark.parametrize(("name", "id_column", "message"), [
    ("dobbel_id.csv", "id", ("dobbel_id.csv: row 12: id '3' in column 'id' already used in row 4; "
                            "ids must be unique (one row per respondent)")),
    ("tom_id.csv", "id", "tom_id.csv: row 10: column 'id' is empty; every respondent needs an id"),
    ("feil_rad.csv", "id", ("feil_rad.csv: Expected 2 fields in row 10, saw 3; check quoting, or name "
                           "the separator (, ; or tab)")),
    ("svar.csv", "kommune_nr", ("svar.csv: no column 'kommune_nr'; the columns are: kommunenr, kommune, "
                               "fylke, planer, grunn, recovery; did you mean 'kommunenr'?")),
    ("ugyldig_koding.csv", "id", ("ugyldig_koding.csv:3:3: byte 0x81 cannot be decoded as utf-8-sig or "
                                 "cp1252; save it as UTF-8 or name the right encoding")),
    ("tom.csv", "id", "tom.csv: file is empty; expected a header row and one row per respondent"),
])
def test_input_errors_are_the_loaders_and_leave_no_output(tmp_path: Path, codebook: Codebook, name: str,
                                                          id_column: str, message: str) -> None:
    column = "svar" if id_column == "id" else "grunn"
    with pytest.raises(InputError) as streamed:
        code_csv_streaming(DATA / name, [codebook], id_column, [column], tmp_path / "refs.csv",
                           tmp_path / "matrix.csv", jobs=2, chunk_size=3)
    with pytest.raises(InputError) as loaded:
        load_corpus(DATA / name, id_column, [column])
    assert str(streamed.value) == str(loaded.value)
    assert str(streamed.value).endswith(message)
    assert list(tmp_path.iterdir()) == []


def test_only_csv_can_be_streamed(tmp_path: Path, codebook: Codebook) -> None:
    source = tmp_path / "svar.xlsx"
    source.write_bytes(b"PK")
    with pytest.raises(InputError, match=r"svar\.xlsx: streaming reads only CSV"):
        code_csv_streaming(source, [codebook], "id", ["svar"], tmp_path / "refs.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["svar.xlsx"]
