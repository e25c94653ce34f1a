"""`fritekst code` through the real CLI: outputs, summary screen, and clean failures."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from fritekst.cli import main
from conftest import invoke

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus" / "svar_utf8.csv"
CODEBOOK = DATA / "cli" / "kodebok.yaml"


def run(*args: str | Path) -> tuple[int, str]:
    result = invoke(main, *args)
    return result.exit_code, result.output


SUMMARIES = {
    "nb": ("Leste 4 respondenter fra {corpus} (tegnkoding UTF-8)\n"
           "spørsmål   svar  tomme  kodet  ukodet  kodinger\n"
           "grunn         3      1      3       0         4\n"
           "Skrev 4 kodingsreferanser til {refs}\n"
           "Skrev matrisen respondenter × koder til {matrix}\n"),
    "en": ("Read 4 respondents from {corpus} (encoding UTF-8)\n"
           "question  answers  empty  coded  uncoded  codings\n"
           "grunn           3      1      3        0        4\n"
           "Wrote 4 coding references to {refs}\n"
           "Wrote the respondents × codes matrix to {matrix}\n"),
}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_code_writes_references_and_matrix(tmp_path: Path, lang: str) -> None:
    refs, matrix = tmp_path / "refs.csv", tmp_path / "matrix.csv"
    chosen = [] if lang == "nb" else ["--lang", "en"]  # Norwegian is the default
    code, output = run("code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr",
                       "--text-column", "grunn", "--attribute", "kommune", "--attribute", "fylke",
                       "--attribute", "planer", "--out", refs, "--matrix", matrix, *chosen)
    assert code == 0
    assert output == SUMMARIES[lang].format(corpus=CORPUS, refs=refs, matrix=matrix)
    raw = refs.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    assert raw.decode("utf-8-sig").splitlines() == [
        "case_id,question,code_id,code_path,coded_text,start,end,method,rule_id,score,kommune,fylke,planer",
        "0301,grunn,okonomi,Ansettelse\\Økonomi,økonomi,12,19,keyword,okonomi_ord,1,Oslo,Oslo,Nei",
        "0301,grunn,ingen_stillinger,Ansettelse\\Ingen ledige stillinger,stillinger,45,55,keyword,"
        "stillinger_naer,1,Oslo,Oslo,Nei",
        "4601,grunn,ser_behov,Ansettelse\\Ser behov,behovet,7,14,keyword,behov_ikke_negert,1,Bergen,Vestland,Ja",
        "5001,grunn,ikke_lovpalagt,Ansettelse\\Ikke lovpålagt,lovpålagt,11,20,keyword,lovpalagt_negert,1,"
        "Trondheim,Trøndelag,Nei",
    ]
    assert matrix.read_text(encoding="utf-8-sig").splitlines() == [
        "case_id,kommune,fylke,planer,okonomi,ingen_stillinger,ikke_lovpalagt,ser_behov",
        "0301,Oslo,Oslo,Nei,1,1,0,0",
        "4601,Bergen,Vestland,Ja,0,0,0,1",
        "1804,Bodø,Nordland,Vet ikke,0,0,0,0",
        "5001,Trondheim,Trøndelag,Nei,0,0,1,0",
    ]


def test_formula_like_text_is_neutralised(tmp_path: Path) -> None:
    source = tmp_path / "svar.csv"
    source.write_text("id,svar\n1,=HYPERLINK(\"x\") økonomi\n2,-budsjett\n", encoding="utf-8")
    refs = tmp_path / "refs.csv"
    code, _ = run("code", source, "--codebook", CODEBOOK, "--id-column", "id", "--text-column", "svar",
                  "--out", refs)
    assert code == 0
    lines = refs.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "1,svar,okonomi,Ansettelse\\Økonomi,økonomi,16,23,keyword,okonomi_ord,1"
    assert lines[2] == "2,svar,okonomi,Ansettelse\\Økonomi,budsjett,1,9,keyword,okonomi_ord,1"
    source.write_text("id,svar\n=1,økonomi\n", encoding="utf-8")
    run("code", source, "--codebook", CODEBOOK, "--id-column", "id", "--text-column", "svar", "--out", refs)
    assert refs.read_text(encoding="utf-8-sig").splitlines()[1].startswith("'=1,svar,okonomi")


def test_python_api_gives_the_same_references(tmp_path: Path) -> None:
    from fritekst.rules.codebook import load_codebook
    from fritekst.coding.coder import code_corpus
    from fritekst.sources.corpus import load_corpus
    from fritekst.coding.refs import write_refs_csv

    cli_refs, api_refs = tmp_path / "cli.csv", tmp_path / "api.csv"
    run("code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column", "grunn",
        "--attribute", "kommune", "--out", cli_refs)
    corpus = load_corpus(CORPUS, "kommunenr", ["grunn"], ["kommune"])
    codebook = load_codebook(CODEBOOK)
    write_refs_csv(api_refs, code_corpus(corpus, [codebook]), corpus, [codebook])
    assert api_refs.read_bytes() == cli_refs.read_bytes()


@pytest.mark.parametrize("streamed", [True, False])
def test_matrix_and_references_carry_only_declared_attributes(tmp_path: Path, streamed: bool) -> None:
    # Another question's free text ("annet") is a column of the input; it must not reach the exports.
    source = tmp_path / ("svar.csv" if streamed else "svar.xlsx")
    rows = [["kommunenr", "fylke", "grunn", "annet"],
            ["0301", "Oslo", "Vi har ikke økonomi til det.", "Hemmelig fritekst om en ansatt"],
            ["4601", "Vestland", "Vi ser behovet.", "Mer fritekst"]]
    if streamed:
        source.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        for r in rows:
            book.active.append(r)
        book.save(source)
    refs, matrix = tmp_path / "refs.csv", tmp_path / "matrix.csv"
    code, output = run("code", source, "--codebook", CODEBOOK, "--id-column", "kommunenr",
                       "--text-column", "grunn", "--attribute", "fylke", "--out", refs, "--matrix", matrix)
    assert code == 0, output
    lines = matrix.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["case_id,fylke,okonomi,ingen_stillinger,ikke_lovpalagt,ser_behov",
                     "0301,Oslo,1,0,0,0", "4601,Vestland,0,0,0,1"]
    assert refs.read_text(encoding="utf-8-sig").splitlines()[0] == \
        "case_id,question,code_id,code_path,coded_text,start,end,method,rule_id,score,fylke"
    for written in (refs, matrix):
        assert "fritekst" not in written.read_text(encoding="utf-8-sig").lower()
    # Without --attribute: the id and the codes only.
    code, _ = run("code", source, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column", "grunn",
                  "--out", refs, "--matrix", matrix)
    assert code == 0
    assert matrix.read_text(encoding="utf-8-sig").splitlines()[0] == \
        "case_id,okonomi,ingen_stillinger,ikke_lovpalagt,ser_behov"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("args", "message"), [
    (["{corpus}", "--codebook", "{codebook}", "--id-column", "kommunenr", "--text-column", "grun"],
     "Error: {corpus}: no column 'grun'; the columns are: kommunenr, kommune, fylke, planer, grunn; "
     "did you mean 'grunn'? [E106]"),
    (["{data}/corpus/duplikat_id.csv", "--codebook", "{codebook}", "--id-column", "kommunenr",
      "--text-column", "grunn"],
     "Error: {data}/corpus/duplikat_id.csv: row 4: id '0301' in column 'kommunenr' already used in row 2; "
     "ids must be unique (one row per respondent) [E110]"),
    (["{data}/corpus/ugyldig_bytes.csv", "--codebook", "{codebook}", "--id-column", "kommunenr",
      "--text-column", "grunn"],
     "Error: {data}/corpus/ugyldig_bytes.csv:2:6: byte 0x81 cannot be decoded as utf-8-sig or cp1252; "
     "save it as UTF-8 or name the right encoding (see --encoding) [E102]"),
    (["{corpus}", "--codebook", "{data}/cli/mangler.yaml", "--id-column", "kommunenr", "--text-column",
      "grunn"], "Error: {data}/cli/mangler.yaml: file not found; check the path to the codebook [E201]"),
    (["{corpus}", "--codebook", "{codebook}", "--text-column", "grunn"],
     "Error: INPUT needs --id-column; see 'fritekst code --help'"),
    # a CSV has no sheets: --sheet was silently ignored, as if the sheet had been chosen
    (["{corpus}", "--codebook", "{codebook}", "--id-column", "kommunenr", "--text-column", "grunn",
      "--sheet", "Ark2"],
     "Error: --sheet Ark2: {corpus} is not an Excel workbook (.xlsx, .xlsm), so it has no sheets; leave out --sheet"),
    (["{corpus}", "--codebook", "{codebook}", "--id-column", "kommunenr", "--text-column", "grunn",
      "--codebook", "{codebook}"],
     "Error: {codebook}: code id 'okonomi' is also defined in {codebook}; code ids must be unique across "
     "the codebooks used together; rename one [E205]"),
])
def test_bad_input_is_one_line_exit_2_and_no_output(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "refs.csv"
    values = {"corpus": CORPUS, "codebook": CODEBOOK, "data": DATA}
    before = _digest(CORPUS)
    code, output = run("code", *[a.format(**values) for a in args], "--out", out)
    assert code == 2
    # Usage errors come with click's usage line first; the last line is the message.
    assert output.strip().splitlines()[-1] == message.format(**values)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert _digest(CORPUS) == before


def test_invalid_codebook_lists_every_problem(tmp_path: Path) -> None:
    out = tmp_path / "refs.csv"
    code, output = run("code", CORPUS, "--codebook", DATA / "cli" / "feil.yaml", "--id-column", "kommunenr",
                       "--text-column", "grunn", "--out", out)
    path = DATA / "cli" / "feil.yaml"
    assert code == 2
    assert output.splitlines() == [
        f"Error: {path}:7: keywords pattern '**' of rule 'okonomi:1': invalid pattern \"**\": \"**\" alone is "
        "not a word; put letters with it, e.g. \"økonomi*\" [E203]",
        f"{path}:8: duplicate code id 'okonomi' (first defined on line 4); code ids must be unique",
    ]
    assert not out.exists()


def test_output_folder_must_exist(tmp_path: Path) -> None:
    out = tmp_path / "finnes_ikke" / "refs.csv"
    code, output = run("code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr",
                       "--text-column", "grunn", "--out", out)
    assert code == 2
    assert output.strip() == (f"Error: {out}: folder {out.parent} does not exist; create it or choose "
                              "another path [E501]")


def test_existing_output_survives_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "refs.csv"
    out.write_text("old results\n", encoding="utf-8")
    code, _ = run("code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column",
                  "nope", "--out", out)
    assert code == 2
    assert out.read_text(encoding="utf-8") == "old results\n"


def test_outputs_get_ordinary_file_permissions(tmp_path: Path) -> None:
    import os
    import stat

    out = tmp_path / "refs.csv"
    run("code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column", "grunn",
        "--out", out)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_hand_decisions_win_and_survive_repeated_runs(tmp_path: Path) -> None:
    hand = DATA / "cli" / "hand.csv"
    refs = tmp_path / "refs.csv"
    args = ["code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column", "grunn",
            "--out", refs, "--hand", hand]
    code, output = run(*args)
    assert code == 0
    assert output.splitlines()[-1] == ("håndkodinger: 1 automatiske kodinger bekreftet, 1 overstyrt, "
                                       "1 lagt til for hånd")
    first = refs.read_bytes()
    rows = list(csv.reader(io.StringIO(first.decode("utf-8-sig"))))
    # okonomi on 0301 was overruled ("nei"); ser_behov added by hand on the whole answer; 4601 confirmed.
    assert [row[:3] + row[5:8] for row in rows[1:]] == [
        ["0301", "grunn", "ser_behov", "0", "56", "manual"],
        ["0301", "grunn", "ingen_stillinger", "45", "55", "keyword"],
        ["4601", "grunn", "ser_behov", "7", "14", "manual"],
        ["5001", "grunn", "ikke_lovpalagt", "11", "20", "keyword"],
    ]
    run(*args)
    assert refs.read_bytes() == first
    assert hand.read_text(encoding="utf-8").splitlines()[1] == "0301;grunn;okonomi;;;manual;nei"


def test_an_input_file_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "svar.csv"
    source.write_bytes(CORPUS.read_bytes())
    code, output = run("code", source, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column",
                       "grunn", "--out", source)
    assert code == 2
    assert output.strip() == (f"Error: {source}: is an input of this run and would be overwritten; choose "
                              "another output path [E503]")
    assert source.read_bytes() == CORPUS.read_bytes()


def test_out_and_matrix_must_differ(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    code, output = run("code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column",
                       "grunn", "--out", out, "--matrix", out)
    assert code == 2
    assert output.strip() == (f"Error: {out}: two outputs of this run name the same file ({out}); "
                              "give them different names [E503]")
    assert not out.exists()


def test_the_summary_counts_the_references_it_wrote(tmp_path: Path) -> None:
    # The shipped project, where keyword and classifier rules give some answers the same code on the
    # same span twice: refs.csv holds one row for each, and the summary said so for the rows before.
    import shutil

    root = Path(__file__).resolve().parents[1]
    for name in ("fritekst.toml", "corpus", "codebooks"):
        (shutil.copytree if (root / name).is_dir() else shutil.copy)(root / name, tmp_path / name)
    out = tmp_path / "refs.csv"
    result = invoke(main, "code", "--project", tmp_path / "fritekst.toml", "--out", out, "--no-cache")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines = result.output.splitlines()
    assert lines[-1] == f"Skrev {len(rows)} kodingsreferanser til {out}"
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("spørsmål")) + 1:-1]
    per_question = {line.split()[0]: int(line.split()[-1]) for line in table}
    counted: dict[str, int] = {}
    for row in rows:
        counted[row["question"]] = counted.get(row["question"], 0) + 1
    assert per_question == counted
    assert len({(r["case_id"], r["question"], r["code_id"], r["start"], r["end"]) for r in rows}) == len(rows)


@pytest.mark.parametrize("codebook", ["codebooks/examples/ansette.yaml", "codebooks/ansette.yaml"])
def test_one_file_summary_counts_the_references_it_wrote(tmp_path: Path, codebook: str) -> None:
    # One corpus file coded on its own (the streaming path): keyword-only codebooks go through the
    # fast chunk coder, codebooks with a classifier through the general one; rules that find the same
    # code on the same span are one row of refs.csv, and the summary counts rows, not hits.
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "refs.csv"
    code, output = run("code", root / "corpus" / "svar.csv", "--id-column", "case_id",
                       "--codebook", root / codebook, "--text-column", "grunn_nei", "--out", out, "--no-cache")
    assert code == 0, output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len({(r["case_id"], r["code_id"], r["start"], r["end"]) for r in rows}) == len(rows)
    lines = output.splitlines()
    assert lines[-1] == f"Skrev {len(rows)} kodingsreferanser til {out}"
    (summary,) = [line.split() for line in lines if line.startswith("grunn_nei")]
    assert summary[:3] == ["grunn_nei", "506", "1236"] and summary[-1] == str(len(rows))
