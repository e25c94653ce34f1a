"""REFI-QDA export as real readers need it: coder and date on each selection, one selection per code
per span, users who code first, UTF-16 offsets for NVivo, attributes on documents, respondent
documents, repeated-label warning, and the round trip through `fritekst import qdpx`."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from fritekst.cli import main

DATA = Path(__file__).parent / "data"
REFI = DATA / "refi"
PROJECT = REFI / "fritekst.toml"
SCHEMA = etree.XMLSchema(etree.parse("/work/shared/refi-qda/Project.xsd"))
NS = {"q": "urn:QDA-XML:project:1.0"}
RECOVERY = "Hva gjør dere recovery-orientert?"
GRUNN = "Årsaker til planene"

# A classifier sentence with a keyword hit inside it (same code), another code on the same word,
# a hand coding with a memo and a date, and the emoji answer of case 5001.
OVERLAPPING = """case_id,question,code_id,start,end,method,rule_id,score
0301,recovery,brukermedvirkning,0,32,classifier,brukermedvirkning_clf,0.8312
0301,recovery,brukermedvirkning,0,17,keyword,medvirk_ord,1
0301,recovery,ressursfokus,0,17,manual,,
5001,grunn,okonomi,39,49,keyword,okonomi_ord,1
"""


def run(*args: object) -> tuple[int, str, str]:
    # The import summaries are pinned here in English; test_lang.py checks them in Norwegian.
    english = ["--lang", "en"] if args and args[0] == "import" else []
    result = CliRunner().invoke(main, [str(a) for a in args] + english)
    return result.exit_code, result.stdout, result.stderr


def qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def export(tmp_path: Path, *options: str, name: str = "out.qdpx") -> Path:
    codings = tmp_path / "codings.csv"
    codings.write_text(OVERLAPPING, encoding="utf-8")
    out = tmp_path / name
    code, _, stderr = run("export", "qdpx", out, "--project", PROJECT, "--codings", codings, *options)
    assert code == 0, stderr
    assert SCHEMA.validate(qde(out)), SCHEMA.error_log
    return out


def test_one_selection_per_code_per_span_with_coder_and_date_on_it(tmp_path: Path) -> None:
    root = qde(export(tmp_path))
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    found = []
    for sel in root.iterfind(".//q:PlainTextSelection", NS):
        (coding,) = sel.findall("q:Coding", NS)
        assert coding.get("creatingUser") == sel.get("creatingUser")
        found.append((int(sel.get("startPosition")), int(sel.get("endPosition")),
                      codes[coding.find("q:CodeRef", NS).get("targetGUID")], users[sel.get("creatingUser")],
                      sel.get("creationDateTime"), sel.findtext("q:Description", namespaces=NS)))
    assert found == [
        (39, 49, "Økonomi", "fritekst keyword rules", None, "okonomi: keyword, rule okonomi_ord, score 1"),
        # The keyword hit inside the classifier sentence is merged into it: one segment, not two.
        (0, 17, "Ressursfokus & mestring", "hand coding", None, None),
        (0, 32, "Brukermedvirkning", "fritekst keyword rules", None,
         ("brukermedvirkning: keyword, rule medvirk_ord, score 1\n"
          "brukermedvirkning: classifier, rule brukermedvirkning_clf, score 0.8312")),
    ]
    # Users who coded come first (QualCoder adopts the first user); the creator last.
    assert [u.get("name") for u in root.iterfind(".//q:User", NS)] == [
        "hand coding", "fritekst keyword rules", "fritekst classifier", "fritekst"]


def test_granularity_answer_codes_whole_answers(tmp_path: Path) -> None:
    root = qde(export(tmp_path, "--granularity", "answer"))
    spans = [(int(s.get("startPosition")), int(s.get("endPosition"))) for s in root.iterfind(".//q:PlainTextSelection", NS)]
    assert spans == [(0, 60), (0, 58), (0, 58)]


def test_utf16_offsets_count_the_emoji_twice(tmp_path: Path) -> None:
    code_points = qde(export(tmp_path, name="cp.qdpx"))
    utf16 = qde(export(tmp_path, "--offsets", "utf16", name="u16.qdpx"))
    last = code_points.find(".//q:PlainTextSelection", NS)
    last16 = utf16.find(".//q:PlainTextSelection", NS)
    # "Vi må spare 😕 – økonomien er stram,\nog budsjettet": the emoji before "budsjettet" is 2 units.
    assert (last.get("startPosition"), last.get("endPosition")) == ("39", "49")
    assert (last16.get("startPosition"), last16.get("endPosition")) == ("40", "50")
    text = "Vi må spare 😕 – økonomien er stram,\nog budsjettet er kuttet."
    assert text.encode("utf-16-le")[80:100].decode("utf-16-le") == "budsjettet"


def test_attributes_are_also_variables_on_each_document(tmp_path: Path) -> None:
    root = qde(export(tmp_path))
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    source = root.find(".//q:TextSource", NS)
    values = {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text
              for v in source.iterfind("q:VariableValue", NS)}
    assert source.get("name") == f"0301 – {GRUNN}"
    assert values == {"kommune": "Oslo", "fylke": "Oslo", "aar": "2023", "innbyggere": "709037",
                      "postnr": "0150", "planer": "Nei"}


def test_respondent_documents_have_a_section_per_question(tmp_path: Path) -> None:
    out = export(tmp_path, "--documents", "respondent")
    root = qde(out)
    with zipfile.ZipFile(out) as archive:
        texts = {s.get("name"): archive.read("sources/" + s.get("plainTextPath")[len("internal://"):]).decode()
                 for s in root.iterfind(".//q:TextSource", NS)}
    assert list(texts) == ["0301", "4601", "5001", "1804"]
    assert texts["0301"] == (f"{GRUNN}\nVi har ikke økonomi til det, og ingen ledige stillinger.\n\n"
                             f"{RECOVERY}\nBrukermedvirkning i alle vedtak.\nVi har fokus på mestring.\n\n")
    coded = [texts["0301"][int(s.get("startPosition")):int(s.get("endPosition"))]
             for s in root.find(".//q:TextSource", NS).iterfind("q:PlainTextSelection", NS)]
    assert coded == ["Brukermedvirkning", "Brukermedvirkning i alle vedtak."]
    assert root.find(".//q:Sets", NS) is None
    assert [len(c.findall("q:SourceRef", NS)) for c in root.iterfind(".//q:Case", NS)] == [1, 1, 1, 1]


def test_repeated_labels_across_codebooks_are_warned_about(tmp_path: Path) -> None:
    book = tmp_path / "kopi.yaml"
    text = (REFI / "recovery.yaml").read_text(encoding="utf-8").replace("codebook: test_recovery", "codebook: kopi")
    for code_id in ("brukermedvirkning", "ressursfokus"):
        text = text.replace(f"id: {code_id}", f"id: {code_id}_2")
    book.write_text(text, encoding="utf-8")
    code, _, stderr = run("export", "qdc", tmp_path / "x.qdc", "--codebook", REFI / "recovery.yaml", "--codebook", book)
    assert code == 0
    assert stderr == ("Warning: 2 code label(s) appear in more than one codebook ('Brukermedvirkning', "
                      "'Ressursfokus & mestring'); QualCoder merges codes with the same name; rename them "
                      "to keep them apart\n")


def test_round_trip_with_merged_selections_is_identical(tmp_path: Path) -> None:
    first = export(tmp_path, "--timestamp", "2024-05-31T12:00:00Z")
    assert run("import", "qdpx", first, "--out", tmp_path / "imp")[0] == 0
    second = tmp_path / "again.qdpx"
    code, _, stderr = run("export", "qdpx", second, "--project", tmp_path / "imp" / "fritekst.toml",
                          "--codings", tmp_path / "imp" / "codings.csv", "--timestamp", "2024-05-31T12:00:00Z")
    assert code == 0, stderr
    assert second.read_bytes() == first.read_bytes()


def test_hand_coders_dates_and_memos_travel_on_their_selections(tmp_path: Path) -> None:
    import pandas as pd

    from fritekst.coding.coder import load_project_codebooks, load_project_corpus
    from fritekst.outputs.refi import write_qdpx
    from fritekst.sources.project import load_project

    project = load_project(PROJECT)
    corpus, books = load_project_corpus(project), list(load_project_codebooks(project).values())
    codings = pd.DataFrame([
        ["0301", "recovery", "ressursfokus", 0, 17, "manual", "", 1.0, "Kari", "Tydelig eksempel", "2024-03-01T11:00:00+01:00"],
        ["0301", "recovery", "brukermedvirkning", 0, 17, "manual", "", 1.0, "Ola", "", ""],
        ["0301", "recovery", "brukermedvirkning", 0, 32, "classifier", "clf", 0.8, "", "", ""],
    ], columns=["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score", "coder", "note",
                "decided_at"])
    out = tmp_path / "hand.qdpx"
    write_qdpx(out, corpus, books, codings, {}, "t")
    root = qde(out)
    assert SCHEMA.validate(root), SCHEMA.error_log
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    assert list(users.values()) == ["Kari", "Ola", "fritekst classifier", "fritekst"]
    found = [(s.get("startPosition"), s.get("endPosition"), users[s.get("creatingUser")], s.get("creationDateTime"),
              s.findtext("q:Description", namespaces=NS)) for s in root.iterfind(".//q:PlainTextSelection", NS)]
    assert found == [("0", "17", "Kari", "2024-03-01T10:00:00Z", "Tydelig eksempel"),
                     # Ola's hand coding and the classifier's sentence merge; the person is the coder.
                     ("0", "32", "Ola", None, "brukermedvirkning: classifier, rule clf, score 0.8")]
    # And back: the coder, date and memo come back in hand_codings.csv.
    assert run("import", "qdpx", out, "--out", tmp_path / "imp")[0] == 0
    hand = (tmp_path / "imp" / "hand_codings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert hand[1:] == ["0301,recovery,ressursfokus,0,17,manual,Kari,Tydelig eksempel,2024-03-01T10:00:00Z,Brukermedvirkning",
                        "0301,recovery,brukermedvirkning,0,32,manual,Ola,,,Brukermedvirkning i alle vedtak."]


MEMOS = """kind,case_id,question,code_id,coder,memo,updated_at
answer,0301,recovery,,Kari,"Ser ut som medvirkning, men spør Ola.",2024-03-01T11:00:00+01:00
answer,9999,recovery,,Kari,Ingen slik respondent,2024-03-01T11:00:00+01:00
code,,,okonomi,Ola,'=Penger: også budsjett og innsparing,
"""


def notes_of(root: etree._Element) -> dict[str, tuple[str | None, ...]]:
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    return {n.get("guid"): (n.get("name"), users[n.get("creatingUser")], n.get("creationDateTime"),
                            n.findtext("q:PlainTextContent", namespaces=NS))
            for n in root.iterfind("q:Notes/q:Note", NS)}


def test_answer_and_code_memos_are_notes_and_answer_memos_come_back(tmp_path: Path) -> None:
    from fritekst.coding.decisions import read_memos

    (tmp_path / "codings.memos.csv").write_text(MEMOS, encoding="utf-8")
    out = export(tmp_path)  # export() checks exit 0 and the schema
    root = qde(out)
    notes = notes_of(root)
    # The memo on a respondent the corpus does not have is left out; the code memo has no date, so
    # (without --timestamp) none is written; its formula guard is undone before it is exported.
    assert sorted(notes.values()) == [
        ("Memo: 0301 – Hva gjør dere recovery-orientert?", "Kari", "2024-03-01T10:00:00Z",
         "Ser ut som medvirkning, men spør Ola."),
        ("Memo: Økonomi", "Ola", None, "=Penger: også budsjett og innsparing")]
    by_text = {text: guid for guid, (_, _, _, text) in notes.items()}
    source = root.find(".//q:TextSource[@name='0301 – Hva gjør dere recovery-orientert?']", NS)
    assert [r.get("targetGUID") for r in source.iterfind("q:NoteRef", NS)] == [
        by_text["Ser ut som medvirkning, men spør Ola."]]
    code = root.find(".//q:Code[@name='Økonomi']", NS)
    assert [r.get("targetGUID") for r in code.iterfind("q:NoteRef", NS)] == [
        by_text["=Penger: også budsjett og innsparing"]]
    # In the respondent layout the memo hangs on the respondent's document.
    respondents = export(tmp_path, "--documents", "respondent", name="resp.qdpx")
    document = qde(respondents).find(".//q:TextSource[@name='0301']", NS)
    assert len(document.findall("q:NoteRef", NS)) == 1

    # Back: the answer memo becomes the workbench's memo file of hand_codings.csv ...
    code_, stdout, stderr = run("import", "qdpx", out, "--out", tmp_path / "imp")
    assert code_ == 0, stderr
    assert stdout.splitlines()[1].endswith(", 1 answer memo(s)")
    memos = read_memos(tmp_path / "imp" / "hand_codings.memos.csv")
    assert [(m.kind, m.case_id, m.question, m.coder, m.memo, m.updated_at) for m in memos.values()] == [
        ("answer", "0301", "recovery", "Kari", "Ser ut som medvirkning, men spør Ola.", "2024-03-01T10:00:00Z")]
    # ... which the next export carries again as the same note.
    again = tmp_path / "again.qdpx"
    assert run("export", "qdpx", again, "--project", tmp_path / "imp" / "fritekst.toml",
               "--codings", tmp_path / "imp" / "hand_codings.csv")[0] == 0
    assert SCHEMA.validate(qde(again)), SCHEMA.error_log
    answer_note = {g: v for g, v in notes.items() if v[0].startswith("Memo: 0301")}
    assert notes_of(qde(again)) == answer_note


def test_an_export_without_memos_has_no_notes(tmp_path: Path) -> None:
    root = qde(export(tmp_path))
    assert root.find("q:Notes", NS) is None and root.find(".//q:NoteRef", NS) is None
