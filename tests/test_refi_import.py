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
    result = CliRunner().invoke(main, [str(a) for a in args])
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
