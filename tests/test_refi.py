"""REFI-QDA export (`fritekst export qdpx|qdc`): schema-valid files, exact positions, reproducible bytes.

The test project in tests/data/refi/ has two questions with one codebook each, answers with ø/æ/å,
line breaks, an emoji, a decomposed "å" (a + combining ring) and XML special characters, a respondent
with an empty answer and a missing attribute, and codings files with hand codings and a "nei" row.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from fritekst.rules.codebook import load_codebook
from fritekst.coding.coder import load_project_codebooks, load_project_corpus
from fritekst.errors import InputError
from fritekst.sources.project import load_project
from fritekst.outputs.refi import code_guid, stable_guid, write_qdc, write_qdpx
from fritekst.cli.export import export_group
from conftest import invoke

DATA = Path(__file__).parent / "data"
REFI = DATA / "refi"
PROJECT = REFI / "fritekst.toml"
SCHEMAS = Path("/work/shared/refi-qda")
NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
GRUNN = "Årsaker til planene"
RECOVERY = "Hva gjør dere recovery-orientert?"


def run(*args: object) -> tuple[int, str, str]:
    result = invoke(export_group, *args)
    return result.exit_code, result.stdout, result.stderr


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def source_texts(path: Path) -> dict[str, str]:
    """Source name → the plain text the archive holds for it (decoded strictly as UTF-8)."""
    root = qde(path)
    with zipfile.ZipFile(path) as archive:
        return {s.get("name"): archive.read("sources/" + s.get("plainTextPath").removeprefix("internal://"))
                .decode("utf-8") for s in root.iterfind(".//q:TextSource", NS)}


def selections(path: Path) -> list[tuple[str, int, int, str, list[str], list[str]]]:
    """(source, start, end, coded text, code names, coder names) for every selection, in file order."""
    root = qde(path)
    texts = source_texts(path)
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    found = []
    for source in root.iterfind(".//q:TextSource", NS):
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            codings = sel.findall("q:Coding", NS)
            found.append((source.get("name"), start, end, texts[source.get("name")][start:end],
                          [codes[c.find("q:CodeRef", NS).get("targetGUID")] for c in codings],
                          [users[c.get("creatingUser")] for c in codings]))
    return found


@pytest.fixture(scope="session")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """The test project coded afresh and exported once for the whole session."""
    out = tmp_path_factory.mktemp("refi") / "svar.qdpx"
    return (out, *run("qdpx", out, "--project", PROJECT))


@pytest.fixture(scope="session")
def from_refs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """The test project exported from the hand-edited refs.csv, with a timestamp."""
    out = tmp_path_factory.mktemp("refi") / "refs.qdpx"
    return (out, *run("qdpx", out, "--project", PROJECT, "--codings", REFI / "refs.csv",
                      "--timestamp", "2024-05-31T14:00:00+02:00"))


# --- codebook files (.qdc) -----------------------------------------------------------------------

def test_qdc_is_valid_and_nests_codes_under_each_codebook_title(tmp_path: Path) -> None:
    out = tmp_path / "koder.qdc"
    code, stdout, stderr = run("qdc", out, "--project", PROJECT)
    assert (code, stdout, stderr) == (0, f"Skrev {out}: 2 kodebøker, 6 koder\n", "")
    document = etree.parse(str(out))
    assert schema("Codebook.xsd").validate(document), schema("Codebook.xsd").error_log
    top = document.getroot().findall("c:Codes/c:Code", NS)
    assert [(c.get("name"), c.get("isCodable")) for c in top] == [
        ("Ansettelse (test)", "false"), ("Recovery (test)", "false")]
    # The codebook id rides along, so importing the file gives the same codebook ids back.
    assert top[0].findtext("c:Description", namespaces=NS) == (
        "Testkodebok med hierarki.\nfritekst codebook: test_ansette")
    hindringer, ser_behov = top[0].findall("c:Code", NS)
    assert [(c.get("name"), c.get("color")) for c in hindringer.findall("c:Code", NS)] == [
        ("Økonomi", "#c0392b"), ("Ingen ledige stillinger", "#009e73")]
    okonomi = hindringer.find("c:Code", NS)
    assert okonomi.findtext("c:Description", namespaces=NS) == (
        "Mangel på penger.\nInclude: Budsjett, midler, økonomi.\n"
        "Exclude: Tilskudd som muliggjør ansettelse (bruk tilskudd).\nfritekst id: okonomi")
    assert (ser_behov.get("name"), ser_behov.get("isCodable")) == ("Ser behov", "true")
    ressurs = top[1].findall("c:Code", NS)[1]
    assert ressurs.get("name") == "Ressursfokus & mestring"  # escaped on write, intact on read
    assert ressurs.findtext("c:Description", namespaces=NS) == (
        "Exclude: Generell trivsel (bruk <aktivitet>).\nfritekst id: ressursfokus")


def test_qdc_from_codebook_files(tmp_path: Path) -> None:
    out = tmp_path / "gyldig.qdc"
    code, stdout, _ = run("qdc", out, "--codebook", DATA / "codebooks" / "gyldig.yaml")
    assert (code, stdout) == (0, f"Skrev {out}: 1 kodebok, 4 koder\n")
    assert schema("Codebook.xsd").validate(etree.parse(str(out)))


def test_code_guids_are_stable_and_shared_by_qdc_and_qdpx(tmp_path: Path, fresh) -> None:
    book = load_codebook(DATA / "codebooks" / "gyldig.yaml")
    # Pinned: a changed GUID would make a re-imported project duplicate every code.
    assert code_guid(book, "okonomi") == "3eac9f82-95a5-5012-8b0e-8140c6777818"
    write_qdc(tmp_path / "a.qdc", [book])
    in_qdc = {c.get("name"): c.get("guid") for c in etree.parse(str(tmp_path / "a.qdc")).iterfind(".//c:Code", NS)}
    in_qdpx = {c.get("name"): c.get("guid") for c in qde(fresh[0]).iterfind(".//q:Code", NS)}
    assert in_qdc["Økonomi"] == in_qdpx["Økonomi"] == code_guid(book, "okonomi")
    assert all(in_qdpx[name] == guid for name, guid in in_qdc.items())


# --- project archives (.qdpx) --------------------------------------------------------------------

def test_qdpx_is_schema_valid_and_reports_what_it_wrote(fresh) -> None:
    out, code, stdout, stderr = fresh
    assert code == 0
    assert stdout == f"Skrev {out}: 5 svar fra 4 respondenter, 9 kodinger i 9 markeringer, 6 koder, 6 variabler, 0 notater\n"
    assert stderr == ("Note: 1 answer contains emoji or other characters beyond U+FFFF; programs that "
                      "count UTF-16 units may shift codings there (for NVivo, export with --offsets utf16)\n")
    project_schema = schema("Project.xsd")
    assert project_schema.validate(qde(out)), project_schema.error_log
    assert qde(out).get("name") == "Testprosjekt – REFI"


def test_archive_holds_project_qde_and_one_utf8_text_per_answer(fresh) -> None:
    out = fresh[0]
    root = qde(out)
    sources = root.findall(".//q:TextSource", NS)
    paths = [s.get("plainTextPath") for s in sources]
    assert paths == [f"internal://{s.get('guid')}.txt" for s in sources]
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["project.qde", *[f"sources/{s.get('guid')}.txt" for s in sources]]
        raw = {name: archive.read(name) for name in archive.namelist()}
    assert not any(data.startswith(b"\xef\xbb\xbf") for data in raw.values())  # no BOM: position 0 is text
    assert source_texts(out) == {
        f"0301 – {GRUNN}": "Vi har ikke økonomi til det, og ingen ledige stillinger.",
        f"4601 – {GRUNN}": "Vi ser behovet.\nBrukarane ønskjer det.",
        f"5001 – {GRUNN}": "Vi må spare 😕 – økonomien er stram,\nog budsjettet er kuttet.",
        f"0301 – {RECOVERY}": "Brukermedvirkning i alle vedtak.\nVi har fokus på mestring.",
        f"1804 – {RECOVERY}": 'Hverdagsmestring & <medvirkning> i "teamet".',
    }
    # The decomposed "a + ring" of the input is stored composed (NFC), as the offsets assume.
    assert "m\u00e5 spare".encode() in raw[f"sources/{sources[2].get('guid')}.txt"]


def test_selections_count_code_points_across_norwegian_letters_line_breaks_and_emoji(fresh) -> None:
    keyword = ["fritekst keyword rules"]
    assert selections(fresh[0]) == [
        (f"0301 – {GRUNN}", 12, 19, "økonomi", ["Økonomi"], keyword),
        (f"0301 – {GRUNN}", 45, 55, "stillinger", ["Ingen ledige stillinger"], keyword),
        (f"4601 – {GRUNN}", 7, 14, "behovet", ["Ser behov"], keyword),
        (f"5001 – {GRUNN}", 16, 25, "økonomien", ["Økonomi"], keyword),
        (f"5001 – {GRUNN}", 39, 49, "budsjettet", ["Økonomi"], keyword),
        (f"0301 – {RECOVERY}", 0, 17, "Brukermedvirkning", ["Brukermedvirkning"], keyword),
        (f"0301 – {RECOVERY}", 49, 57, "mestring", ["Ressursfokus & mestring"], keyword),
        (f"1804 – {RECOVERY}", 0, 16, "Hverdagsmestring", ["Ressursfokus & mestring"], keyword),
        (f"1804 – {RECOVERY}", 20, 31, "medvirkning", ["Brukermedvirkning"], keyword),
    ]
    text = source_texts(fresh[0])[f"5001 – {GRUNN}"]
    # Neither UTF-8 bytes nor UTF-16 units would give 16 here: the emoji and "må" sit before it.
    assert len(text[:16].encode("utf-8")) == 22 and len(text[:16].encode("utf-16-le")) // 2 == 17


def test_selection_carries_method_rule_and_score(fresh) -> None:
    first = qde(fresh[0]).find(".//q:PlainTextSelection", NS)
    assert first.get("name") == "økonomi"
    assert first.findtext("q:Description", namespaces=NS) == "okonomi: keyword, rule okonomi_ord, score 1"


def test_cases_carry_typed_variables_and_their_answers(fresh) -> None:
    root = qde(fresh[0])
    variables = {v.get("guid"): (v.get("name"), v.get("typeOfVariable")) for v in root.iterfind(".//q:Variable", NS)}
    assert list(variables.values()) == [("kommune", "Text"), ("fylke", "Text"), ("aar", "Integer"),
                                        ("innbyggere", "Integer"), ("postnr", "Text"), ("planer", "Text")]
    sources = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:TextSource", NS)}
    cases = {}
    for case in root.iterfind(".//q:Case", NS):
        values = [(variables[v.find("q:VariableRef", NS).get("targetGUID")][0], etree.QName(v[1]).localname, v[1].text)
                  for v in case.iterfind("q:VariableValue", NS)]
        cases[case.get("name")] = (values, [sources[r.get("targetGUID")] for r in case.iterfind("q:SourceRef", NS)])
    assert list(cases) == ["0301", "4601", "1804", "5001"]
    assert cases["0301"] == ([("kommune", "TextValue", "Oslo"), ("fylke", "TextValue", "Oslo"),
                              ("aar", "IntegerValue", "2023"), ("innbyggere", "IntegerValue", "709037"),
                              ("postnr", "TextValue", "0150"), ("planer", "TextValue", "Nei")],
                             [f"0301 – {GRUNN}", f"0301 – {RECOVERY}"])
    # 1804 left "innbyggere" empty (no value rather than an invalid integer) and only answered one question.
    assert [name for name, _, _ in cases["1804"][0]] == ["kommune", "fylke", "aar", "postnr", "planer"]
    assert cases["1804"][1] == [f"1804 – {RECOVERY}"]


def test_each_question_is_a_set_of_its_answers(fresh) -> None:
    root = qde(fresh[0])
    sources = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:TextSource", NS)}
    sets = {s.get("name"): [sources[m.get("targetGUID")] for m in s.iterfind("q:MemberSource", NS)]
            for s in root.iterfind(".//q:Set", NS)}
    assert sets == {GRUNN: [f"0301 – {GRUNN}", f"4601 – {GRUNN}", f"5001 – {GRUNN}"],
                    RECOVERY: [f"0301 – {RECOVERY}", f"1804 – {RECOVERY}"]}


def test_codings_file_keeps_hand_codings_drops_no_decisions_and_fills_blank_spans(from_refs) -> None:
    out, code, stdout, _ = from_refs
    assert (code, stdout) == (0, f"Skrev {out}: 5 svar fra 4 respondenter, 5 kodinger i 5 markeringer, "
                                 "6 koder, 6 variabler, 0 notater\n")
    assert schema("Project.xsd").validate(qde(out))
    assert selections(out) == [
        # One span, two codes: one selection per code (MAXQDA and ATLAS.ti count segments per code),
        # each by its own coder.
        (f"0301 – {GRUNN}", 12, 19, "økonomi", ["Hindringer"], ["hand coding"]),
        (f"0301 – {GRUNN}", 12, 19, "økonomi", ["Økonomi"], ["fritekst keyword rules"]),
        # Blank start/end in the file: the whole answer. The "nei" row (45-55) is not exported.
        (f"4601 – {GRUNN}", 0, 38, "Vi ser behovet.\nBrukarane ønskjer det.", ["Ser behov"], ["hand coding"]),
        (f"5001 – {GRUNN}", 16, 25, "økonomien", ["Økonomi"], ["fritekst keyword rules"]),
        (f"0301 – {RECOVERY}", 0, 17, "Brukermedvirkning", ["Brukermedvirkning"], ["fritekst classifier"]),
    ]
    descriptions = [s.findtext("q:Description", namespaces=NS) for s in qde(out).iterfind(".//q:PlainTextSelection", NS)]
    assert descriptions == [None, "okonomi: keyword, rule okonomi_ord, score 1", None,
                            "okonomi: keyword, rule okonomi_ord, score 1",
                            "brukermedvirkning: classifier, rule brukermedvirkning_clf, score 0.8312"]
    whole = qde(out).findall(".//q:PlainTextSelection", NS)[2]
    assert whole.get("name") == "Vi ser behovet. Brukarane ønskjer det."  # line break flattened in the name


def test_hand_codings_of_the_project_win_over_fresh_coding(tmp_path: Path) -> None:
    out = tmp_path / "hand.qdpx"
    code, stdout, _ = run("qdpx", out, "--project", REFI / "fritekst_hand.toml")
    assert (code, stdout) == (0, f"Skrev {out}: 5 svar fra 4 respondenter, 9 kodinger i 9 markeringer, "
                                 "6 koder, 6 variabler, 0 notater\n")
    found = [(s[0], s[1], s[2], s[4], s[5]) for s in selections(out) if s[0].endswith(GRUNN)]
    assert found == [
        (f"0301 – {GRUNN}", 12, 19, ["Økonomi"], ["fritekst keyword rules"]),  # 45-55 overruled by "nei"
        (f"4601 – {GRUNN}", 7, 14, ["Ser behov"], ["fritekst keyword rules"]),
        (f"5001 – {GRUNN}", 0, 60, ["Ingen ledige stillinger"], ["hand coding"]),  # added, whole answer
        (f"5001 – {GRUNN}", 16, 25, ["Økonomi"], ["fritekst keyword rules"]),
        (f"5001 – {GRUNN}", 39, 49, ["Økonomi"], ["fritekst keyword rules"]),
    ]


# --- reproducibility -----------------------------------------------------------------------------

def test_exporting_twice_gives_identical_bytes(tmp_path: Path, fresh) -> None:
    again = tmp_path / "again.qdpx"
    assert run("qdpx", again, "--project", PROJECT)[0] == 0
    assert again.read_bytes() == fresh[0].read_bytes()
    first, second = tmp_path / "1.qdc", tmp_path / "2.qdc"
    run("qdc", first, "--project", PROJECT)
    run("qdc", second, "--project", PROJECT)
    assert first.read_bytes() == second.read_bytes()


def test_timestamp_is_written_only_when_given(tmp_path: Path, fresh, from_refs) -> None:
    assert "creationDateTime" not in zipfile.ZipFile(fresh[0]).read("project.qde").decode()
    assert {i.date_time for i in zipfile.ZipFile(fresh[0]).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    root = qde(from_refs[0])
    stamped = [e for e in root.iter() if e.get("creationDateTime")]
    assert {e.get("creationDateTime") for e in stamped} == {"2024-05-31T12:00:00Z"}  # +02:00 → UTC
    assert {etree.QName(e).localname for e in stamped} == {"Project", "TextSource", "PlainTextSelection", "Coding"}
    assert {i.date_time for i in zipfile.ZipFile(from_refs[0]).infolist()} == {(2024, 5, 31, 12, 0, 0)}
    again = tmp_path / "again.qdpx"
    run("qdpx", again, "--project", PROJECT, "--codings", REFI / "refs.csv", "--timestamp", "2024-05-31T12:00:00Z")
    assert again.read_bytes() == from_refs[0].read_bytes()


def test_default_project_is_fritekst_toml_in_the_current_folder(tmp_path: Path, monkeypatch, fresh) -> None:
    monkeypatch.chdir(REFI)
    out = tmp_path / "default.qdpx"
    code, _, _ = run("qdpx", out)
    assert code == 0
    assert out.read_bytes() == fresh[0].read_bytes()


def test_title_option_names_the_project(tmp_path: Path) -> None:
    out = tmp_path / "t.qdpx"
    assert run("qdpx", out, "--project", PROJECT, "--title", "Kommuneundersøkelsen 2023")[0] == 0
    assert qde(out).get("name") == "Kommuneundersøkelsen 2023"


# --- bad inputs ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["qdpx", "{out}", "--project", "{refi}/fritekst.toml", "--codings", "{refi}/refs_ukjent_kode.csv"],
     "Error: {refi}/refs_ukjent_kode.csv:2: unknown code id 'okonomy'; did you mean 'okonomi'? [E112]"),
    (["qdpx", "{out}", "--project", "{refi}/fritekst.toml", "--codings", "{refi}/refs_utenfor.csv"],
     "Error: {refi}/refs_utenfor.csv:2: span end=99 is past the end of the answer (38 characters); "
     "the corpus may have changed since coding [E113]"),
    (["qdpx", "{out}", "--project", "{refi}/fritekst.toml", "--codings", "{refi}/finnes_ikke.csv"],
     "Error: {refi}/finnes_ikke.csv: codings file not found; check the path [E101]"),
    (["qdpx", "{out}", "--project", "{refi}/finnes_ikke.toml"],
     "Error: {refi}/finnes_ikke.toml: project file not found; run from the project folder or give "
     "the project file's path (see --project, docs/project-file.md) [E301]"),  # one hint
    (["qdpx", "{out}", "--project", "{refi}/fritekst.toml", "--timestamp", "i går"],
     "Error: timestamp 'i går' is not an ISO 8601 date or time; use e.g. 2024-05-31 or 2024-05-31T14:00:00Z "
     "(see --timestamp) [E505]"),
    (["qdpx", "{out}", "--project", "{refi}/fritekst.toml", "--timestamp", "1979-12-31"],
     "Error: timestamp 1979-12-31T00:00:00+00:00 is before 1980, which a zip archive cannot store; "
     "give a later timestamp (see --timestamp) [E505]"),
    (["qdc", "{out}", "--codebook", "{data}/codebooks/gyldig.yaml", "--project", "{refi}/fritekst.toml"],
     "Error: give either --codebook or --project, not both; --codebook exports just those files"),
    (["qdc", "{out}", "--codebook", "{data}/codebooks/gyldig.yaml", "--codebook", "{data}/codebooks/gyldig.yaml"],
     "Error: {data}/codebooks/gyldig.yaml: codebook id 'test_ansette' is also used by "
     "{data}/codebooks/gyldig.yaml; codebooks exported together need different ids; rename one [E205]"),
])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "ut.qdpx"
    values = {"out": out, "refi": REFI, "data": DATA}
    code, stdout, stderr = run(*[a.format(**values) for a in args])
    assert (code, stdout, stderr) == (2, "", message.format(**values) + "\n")
    assert list(tmp_path.iterdir()) == []


def test_failed_export_leaves_the_previous_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "svar.qdpx"
    out.write_bytes(b"forrige eksport")
    code, _, _ = run("qdpx", out, "--project", PROJECT, "--codings", REFI / "refs_utenfor.csv")
    assert code == 2
    assert out.read_bytes() == b"forrige eksport"
    assert list(tmp_path.iterdir()) == [out]


def test_output_folder_must_exist(tmp_path: Path) -> None:
    out = tmp_path / "mangler" / "svar.qdpx"
    assert run("qdpx", out, "--project", PROJECT)[1:] == (
        "", f"Error: {out}: folder {out.parent} does not exist; create it or choose another path [E501]\n")


# --- the library directly ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def project_inputs():
    project = load_project(PROJECT)
    return load_project_corpus(project), list(load_project_codebooks(project).values())


def codings_frame(*rows: tuple[str, str, str, int, int]) -> pd.DataFrame:
    return pd.DataFrame([(*row, "manual", "", 1.0) for row in rows],
                        columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"])


@pytest.mark.parametrize(("row", "message"), [
    (("0301", "grunn", "tilskudd", 0, 5),
     "coding of 'tilskudd' on case 0301 (grunn): code 'tilskudd' is in none of the codebooks exported; "
     "export with the codebooks the codings were made with"),
    (("1804", "grunn", "okonomi", 0, 2),
     "coding of 'okonomi' on case 1804 (grunn): the corpus has no answer to 'grunn' for case 1804; "
     "check that the codings belong to this corpus"),
    (("4601", "grunn", "okonomi", 30, 39),
     "coding of 'okonomi' on case 4601 (grunn): span 30–39 lies outside the answer (38 characters); "
     "the corpus may have changed since coding; code it again"),
])
def test_write_qdpx_rejects_codings_it_cannot_place(tmp_path: Path, project_inputs, row, message) -> None:
    corpus, codebooks = project_inputs
    with pytest.raises(InputError) as caught:
        write_qdpx(tmp_path / "x.qdpx", corpus, codebooks, codings_frame(row))
    assert str(caught.value) == message
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_export_without_a_codebook(tmp_path: Path, project_inputs) -> None:
    with pytest.raises(InputError, match="^no codebook to export; name at least one under"):
        write_qdc(tmp_path / "x.qdc", [])
    assert list(tmp_path.iterdir()) == []


def test_special_and_control_characters_stay_valid_xml(tmp_path: Path, project_inputs) -> None:
    corpus, codebooks = project_inputs
    answers = corpus.answers.copy()
    answers.loc[answers["case_id"].eq("1804"), "text"] = 'Hverdagsmestring & <medvirkning> i "teamet".\x08'
    corpus = type(corpus)(cases=corpus.cases, answers=answers, questions=corpus.questions, source=corpus.source)
    out = tmp_path / "x.qdpx"
    write_qdpx(out, corpus, codebooks, codings_frame(("1804", "recovery", "ressursfokus", 0, 45)),
               {"recovery": 'Spørsmål & "svar" <2023>'}, project_title="A & B")
    root = qde(out)
    assert schema("Project.xsd").validate(root)
    assert root.get("name") == "A & B"
    assert root.find(".//q:PlainTextSelection", NS).get("name") == 'Hverdagsmestring & <medvirkning> i "teamet".\ufffd'
    assert [s.get("name") for s in root.iterfind(".//q:TextSource", NS)][-1] == '1804 – Spørsmål & "svar" <2023>'
    assert source_texts(out)['1804 – Spørsmål & "svar" <2023>'].endswith("\x08")  # the text file is verbatim


def test_stable_guid_is_a_uuid5_of_its_parts() -> None:
    assert stable_guid("case", "0301") == stable_guid("case", "0301") != stable_guid("case", "301")
    assert stable_guid("case", "0301")[14] == "5"  # version 5
