"""`fritekst import qdc|qdpx`: REFI-QDA files from fritekst and real exports of NVivo, ATLAS.ti, MAXQDA."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main
from fritekst.rules.codebook import load_codebook

DATA = Path(__file__).parent / "data"
REAL = DATA / "refi" / "real"
PROJECT = DATA / "refi" / "fritekst.toml"


def run(*args: object) -> tuple[int, str, str]:
    # The import summaries are pinned here in English; test_lang.py checks them in Norwegian.
    english = ["--lang", "en"] if args and args[0] == "import" else []
    result = CliRunner().invoke(main, [str(a) for a in args] + english)
    return result.exit_code, result.stdout, result.stderr


# --- codebooks ------------------------------------------------------------------------------------

def test_qdc_round_trip_gives_the_same_codebooks_and_the_same_file(tmp_path: Path) -> None:
    first = tmp_path / "a.qdc"
    assert run("export", "qdc", first, "--project", PROJECT)[0] == 0
    code, stdout, stderr = run("import", "qdc", first, "--out", tmp_path / "books")
    assert code == 0, stderr
    assert stdout.splitlines()[0] == f"Wrote {tmp_path / 'books' / 'test_ansette.yaml'}: codebook 'test_ansette', 4 codes"
    original = load_codebook(DATA / "codebooks" / "gyldig.yaml")
    imported = load_codebook(tmp_path / "books" / "test_ansette.yaml")
    assert [(c.id, c.label, c.parent, c.colour, c.description, c.include, c.exclude) for c in imported.codes] == [
        (c.id, c.label, c.parent, c.colour, c.description, c.include, c.exclude) for c in original.codes]
    assert (imported.title, imported.description) == (original.title, original.description)
    second = tmp_path / "b.qdc"
    run("export", "qdc", second, "--codebook", tmp_path / "books" / "test_ansette.yaml",
        "--codebook", tmp_path / "books" / "test_recovery.yaml")
    assert second.read_bytes() == first.read_bytes()


def test_qdc_with_two_codebooks_needs_a_folder(tmp_path: Path) -> None:
    qdc = tmp_path / "a.qdc"
    run("export", "qdc", qdc, "--project", PROJECT)
    code, _, stderr = run("import", "qdc", qdc, "--out", tmp_path / "one.yaml")
    assert code == 2
    assert "holds 2 fritekst codebooks (test_ansette, test_recovery); give a folder as --out" in stderr


@pytest.mark.parametrize("name, n_codes, first", [
    ("nvivo12_oltas0517.qdpx", 152, ("k_1_oltas_tipusa", "1. Oltás típusa", None)),
    ("maxqda24_icls.qdpx", 307, ("additional_themes_and_ideas", "Additional Themes and Ideas", None)),
    ("atlasti23_target.qdpx", 3, ("commits", "Commits", None)),
])
def test_real_project_codebooks_import_and_pass_check(tmp_path: Path, name: str, n_codes: int, first) -> None:
    out = tmp_path / "book.yaml"
    code, stdout, stderr = run("import", "qdc", REAL / name, "--out", out)
    assert (code, stderr) == (0, ""), stderr
    assert stdout.startswith(f"Wrote {out}: codebook '{Path(name).stem}', {n_codes} codes\n")
    book = load_codebook(out)
    assert (book.codes[0].id, book.codes[0].label, book.codes[0].parent) == first
    assert run("check", out)[0] == 0
    children = [c for c in book.codes if c.parent == book.codes[0].id]
    assert children, "the hierarchy survives"


def test_maxqda_colours_and_descriptions_survive(tmp_path: Path) -> None:
    out = tmp_path / "book.yaml"
    run("import", "qdc", REAL / "maxqda24_icls.qdpx", "--out", out)
    code = load_codebook(out).code("theme_affinity_spaces_gee")
    assert (code.label, code.colour) == ("THEME - Affinity Spaces (Gee)", "#ef8256")
    assert code.description == "Apply this code when a study uses Gee's concept of affinity spaces."


@pytest.mark.parametrize("content", [b"# just a README\n", b"<html><body>no</body></html>",
                                     b"PK\x03\x04broken zip"])
def test_not_a_refi_codebook_is_one_error_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.qdc"
    path.write_bytes(content)
    code, stdout, stderr = run("import", "qdc", path, "--out", tmp_path / "x.yaml")
    assert code == 2 and stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert "is not a REFI-QDA" in stderr
    assert not (tmp_path / "x.yaml").exists()


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.qdc"
    path.write_text('<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">]>'
                    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1" name="&a;"/></Codes>'
                    "</CodeBook>", encoding="utf-8")
    code, _, stderr = run("import", "qdc", path, "--out", tmp_path / "x.yaml")
    assert code == 2 and "declares a DTD or entities" in stderr


def test_foreign_qdc_namespaces_guids_and_memos(tmp_path: Path) -> None:
    # NVivo for Mac writes the namespace as codebook:1:0; ATLAS.ti upper-case GUIDs; both are read.
    path = tmp_path / "nvivo.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 For Mac" '
        'xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
        '<Code guid="{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}" name="Økonomi og ressurser" isCodable="false" color="#46AA00">'
        '<Description>Penger</Description><NoteRef targetGUID="AAAAAAAA-0000-0000-0000-000000000001"/>'
        '<Code guid="2d969af8-c875-4fae-bcd8-f0162bc27396" name="Økonomi og ressurser" isCodable="true" color="grønn"/>'
        '</Code></Codes><Notes><Note guid="aaaaaaaa-0000-0000-0000-000000000001"><PlainTextContent>Et notat'
        '</PlainTextContent></Note></Notes></CodeBook>', encoding="utf-8")
    out = tmp_path / "b.yaml"
    code, stdout, _ = run("import", "qdc", path, "--out", out, "--id", "Økonomi", "--title", "Øk")
    assert code == 0
    book = load_codebook(out)
    assert book.id == "okonomi"
    assert [(c.id, c.parent, c.colour) for c in book.codes] == [
        ("okonomi_og_ressurser", None, "#46aa00"), ("okonomi_og_ressurser_2", "okonomi_og_ressurser", book.codes[1].colour)]
    assert book.codes[0].description == "Penger\n\nEt notat"
    assert "not codable in the source program kept as ordinary codes" in stdout
    assert "colours that are not #rrggbb left out: 'Økonomi og ressurser' (grønn)" in stdout


# --- projects -------------------------------------------------------------------------------------

def _read_csv(path: Path):
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_qdpx_round_trip_is_identical_and_codings_apply_as_hand_codings(tmp_path: Path) -> None:
    first, second, out = tmp_path / "a.qdpx", tmp_path / "b.qdpx", tmp_path / "imp"
    assert run("export", "qdpx", first, "--project", PROJECT, "--codings", DATA / "refi" / "refs.csv")[0] == 0
    code, stdout, stderr = run("import", "qdpx", first, "--out", out)
    assert code == 0, stderr
    assert stdout.splitlines()[1] == (f"Wrote {out}: 4 cases with 5 answers, 6 codes in 2 codebook(s), "
                                      "2 hand codings by 1 coder(s), 5 codings in codings.csv")
    assert run("export", "qdpx", second, "--project", out / "fritekst.toml", "--codings", out / "codings.csv")[0] == 0
    assert second.read_bytes() == first.read_bytes()
    hand = _read_csv(out / "hand_codings.csv")
    assert hand[["case_id", "code_id", "start", "end", "method", "coder", "coded_text"]].values.tolist()[0] == [
        "0301", "hindringer", "12", "19", "manual", "hand coding", "økonomi"]
    code, stdout, stderr = run("code", "--project", out / "fritekst.toml", "--hand", out / "hand_codings.csv",
                               "--out", tmp_path / "refs.csv")
    assert code == 0, stderr
    assert "2 lagt til for hånd" in stdout or "bekreftet" in stdout


def test_nvivo12_project_positions_are_utf16_and_every_coding_lines_up(tmp_path: Path) -> None:
    from fritekst.coding.coder import load_project_corpus
    from fritekst.coding.codings_io import read_codings
    from fritekst.sources.project import load_project

    out = tmp_path / "imp"
    code, stdout, stderr = run("import", "qdpx", REAL / "nvivo12_oltas0517.qdpx", "--out", out)
    assert code == 0, stderr
    assert "positions read as UTF-16 code units (as NVivo for Windows 12.6 writes them)" in stdout
    assert "2 cases with 2 answers, 152 codes in 1 codebook(s), 303 hand codings by 1 coder(s)" in stdout
    hand = _read_csv(out / "hand_codings.csv")
    first = hand.iloc[0]
    assert (first["case_id"], first["code_id"], first["coder"], first["decided_at"]) == (
        "videos_10_selected", "piros", "Gergo", "2025-06-18T02:06:50Z")
    assert first["coded_text"] == ("Senkit nem lehet kötelezni oltásra, ilyet csak ostoba korlátolt agyi "
                                   "kapacitással rendelkező emberhulladék hozhat aki nem szaporodhat és nem élhet.")
    project = load_project(out / "fritekst.toml")
    corpus = load_project_corpus(project)
    codes = set(load_codebook(out / "nvivo12_oltas0517.yaml").code_ids)
    # What `fritekst code --hand` checks: known codes, known answers, spans inside the answers.
    frame = read_codings(out / "hand_codings.csv", code_ids=codes, default_method="manual",
                         answers=corpus.answers, what="hand-coding file")
    assert len(frame) == 303
    texts = dict(zip(zip(corpus.answers["case_id"], corpus.answers["question"]), corpus.answers["text"]))
    aligned = sum(1 for c, q, s, e in frame[["case_id", "question", "start", "end"]].itertuples(index=False)
                  if (s == 0 or not texts[c, q][s - 1].isalnum()) and (e == len(texts[c, q]) or not texts[c, q][e].isalnum()))
    # 295 of 303 start and end at word boundaries (read as code points: 23 of 303); the rest are
    # mid-word in the original too.
    assert aligned == 295


def test_maxqda_and_atlas_projects_import(tmp_path: Path) -> None:
    code, stdout, _ = run("import", "qdpx", REAL / "maxqda24_icls.qdpx", "--out", tmp_path / "mx")
    assert code == 0 and "10 cases with 10 answers, 307 codes in 1 codebook(s), 0 hand codings" in stdout
    corpus = _read_csv(tmp_path / "mx" / "corpus.csv")
    assert corpus["case_id"].tolist()[0] == "ICLS 2024 3-10"
    assert corpus["tekst"].str.len().min() > 5000
    assert run("check", "--project", tmp_path / "mx" / "fritekst.toml")[0] == 0
    code, stdout, _ = run("import", "qdpx", REAL / "atlasti23_target.qdpx", "--out", tmp_path / "at")
    assert code == 0 and "only its codebook is imported" in stdout
    assert sorted(p.name for p in (tmp_path / "at").iterdir()) == ["atlasti23_target.yaml"]
    code, stdout, _ = run("import", "qdpx", REAL / "atlasti23_blank.qdpx", "--out", tmp_path / "bl")
    expected = f"{REAL / 'atlasti23_blank.qdpx'}: the project has no codes and no text sources; nothing to import"
    assert (code, stdout.strip()) == (0, expected)


DEVIANT_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project name="Avvik" origin="SomeQDA 1.0">
 <Users><User guid="{AAAAAAAA-1111-1111-1111-000000000001}" name="Kari"/></Users>
 <CodeBook><Codes>
  <Code guid="C0DE0000-0000-0000-0000-000000000001" name="Økonomi" isCodable="true" color="#112233"/>
  <Code guid="c0de0000-0000-0000-0000-000000000001" name="Tid" isCodable="true"/>
 </Codes></CodeBook>
 <Variables><Variable guid="VVVVVVVV-0000-0000-0000-000000000001" name="fylke" typeOfVariable="Text"/></Variables>
 <Cases><Case guid="CASE0000-0000-0000-0000-000000000001" name="K1">
  <VariableValue><VariableRef targetGUID="vvvvvvvv-0000-0000-0000-000000000001"/><TextValue>Vestland</TextValue></VariableValue>
  <SourceRef targetGUID="50000000-0000-0000-0000-000000000001"/></Case></Cases>
 <Sources>
  <TextSource guid="50000000-0000-0000-0000-000000000001" name="Intervju 1" plainTextPath="50000000-0000-0000-0000-000000000001.txt">
   <PlainTextSelection guid="s1" name="økonomi" startPosition="8" endPosition="15" creatingUser="aaaaaaaa-1111-1111-1111-000000000001">
    <Description>Viktig poeng</Description>
    <Coding guid="k1"><CodeRef targetGUID="{C0DE0000-0000-0000-0000-000000000001}"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <PDFSource guid="60000000-0000-0000-0000-000000000001" name="skjema.pdf" path="internal://x.pdf"/>
 </Sources>
 <Sets/>
</Project>
"""


def test_real_world_deviations_are_tolerated(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "avvik.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Avvik.qde", DEVIANT_QDE)  # named after the project, no namespace
        # BOM and CRLF, under Sources/ with an upper-case folder name.
        archive.writestr("Sources/50000000-0000-0000-0000-000000000001.txt",
                         "\ufeffFørst:\r\nøkonomi og tid.\r\n".encode("utf-8"))
    out = tmp_path / "imp"
    code, stdout, stderr = run("import", "qdpx", path, "--out", out)
    assert code == 0, stderr
    assert "code 'Tid' reuses GUID" in stdout and "1 PDFSource source(s) left out" in stdout
    assert "positions read as code points with CRLF counted as one" not in stdout
    corpus = _read_csv(out / "corpus.csv")
    assert corpus.values.tolist() == [["Intervju 1", "K1", "Vestland", "Først:\nøkonomi og tid.\n"]]
    assert list(corpus.columns) == ["case_id", "case", "fylke", "tekst"]
    hand = _read_csv(out / "hand_codings.csv")
    # Position 8 counted with CRLF as two is code point 7 of the corpus text ("\n" once).
    assert hand[["code_id", "start", "end", "coder", "note", "coded_text"]].values.tolist() == [
        ["okonomi", "7", "14", "Kari", "Viktig poeng", "økonomi"]]


@pytest.mark.parametrize("content", [b"plain text, not a zip", None])
def test_not_a_refi_project_is_one_error_line(tmp_path: Path, content: bytes | None) -> None:
    import zipfile

    path = tmp_path / "x.qdpx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    else:
        path.write_bytes(content)
    code, stdout, stderr = run("import", "qdpx", path, "--out", tmp_path / "imp")
    assert (code, stdout) == (2, "")
    assert len(stderr.strip().splitlines()) == 1 and "is not a REFI-QDA project" in stderr
    assert not (tmp_path / "imp").exists()


def test_zip_members_over_the_cap_are_refused_before_inflating(tmp_path: Path, monkeypatch) -> None:
    import zipfile

    from fritekst.sources import refi_import

    monkeypatch.setattr(refi_import, "MAX_SOURCE_BYTES", 1000)
    path = tmp_path / "stor.qdpx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", DEVIANT_QDE)
        archive.writestr("sources/50000000-0000-0000-0000-000000000001.txt", b"a" * 100_000)
    code, _, stderr = run("import", "qdpx", path, "--out", tmp_path / "imp")
    assert code == 2 and "would inflate to 100000 bytes, more than the 1000 bytes" in stderr


def test_import_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "imp"
    assert run("import", "qdpx", REAL / "maxqda24_icls.qdpx", "--out", out)[0] == 0
    before = (out / "corpus.csv").read_bytes()
    code, _, stderr = run("import", "qdpx", REAL / "maxqda24_icls.qdpx", "--out", out)
    assert code == 2 and "already exists; import into a new or empty folder" in stderr
    assert (out / "corpus.csv").read_bytes() == before


def test_a_project_without_codes_is_not_a_codebook(tmp_path: Path) -> None:
    code, stdout, stderr = run("import", "qdc", REAL / "atlasti23_blank.qdpx", "--out", tmp_path / "x.yaml")
    assert (code, stdout) == (2, "")
    assert "the project has no codebook (no <Code> in its <CodeBook>)" in stderr
    assert not (tmp_path / "x.yaml").exists()
