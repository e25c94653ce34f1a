"""`fritekst report` end to end: the real CLI on the test project in tests/data/report/."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from fritekst.cli.report import report_command
from fritekst.sources.project import load_project
from fritekst.outputs.report import make_report
from fritekst.outputs.report_files import write_report
from conftest import invoke as invoke_cli

DATA = Path(__file__).parent / "data" / "report"
REPO = Path(__file__).parent.parent
PROJECT = DATA / "fritekst.toml"
REFS = DATA / "refs.csv"
HEADER = ["question", "question_label", "year", "group_by", "group", "code_id", "code_label", "code_path",
          "n_group", "n_answered", "n_coded", "pct", "ci_low", "ci_high", "flag", "small_cell",
          "n_answered_not_asked"]


def invoke(*args: str):
    return invoke_cli(report_command, *args)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so Excel shows æøå
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    """One full run with the shipped refs.csv: the CLI result and the output folder."""
    before = digest(DATA)
    out = tmp_path_factory.mktemp("report") / "rapport"
    result = invoke("--project", str(PROJECT), "--codings", str(REFS), "--out", str(out))
    assert digest(DATA) == before, "input files must never be modified"
    return result, out


def test_report_writes_all_outputs_and_exits_cleanly(run) -> None:
    result, out = run
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["charts", "frequencies.csv", "report.docx", "report.html",
                                                     "report.xlsx"]
    assert f"Skrev report.html, report.xlsx, report.docx og frequencies.csv til {out}" in squeeze(result.output)


def test_terminal_shows_who_was_asked_and_who_answered(run) -> None:
    text = run[0].output
    # grunn_nei in 2023: the table says 8 said "Nei", 8 were asked in the corpus, 6 answered.
    assert re.search(r"grunn_nei\s*│\s*2023\s*│\s*8\s*│\s*8\s*│\s*6\s*│\s*75 %", text)
    assert re.search(r"grunn_ja\s*│\s*2022\s*│\s*2\s*│\s*2\s*│\s*1\s*│\s*50 %", text)
    assert re.search(r"Økonomi\s*│\s*3\s*│\s*50 %\s*│\s*19–81 %\s*│\s*60 %\s*│\s*50 %", text)
    assert "publisert mot materialet (stemmer)" in squeeze(text)
    assert "AVVIK" not in text


def test_frequencies_csv_long_form_with_hand_checked_row(run) -> None:
    rows = read_csv(run[1] / "frequencies.csv")
    assert list(rows[0]) == HEADER
    key = {(r["question"], r["year"], r["group_by"], r["group"], r["code_id"]): r for r in rows}
    money = key[("grunn_nei", "2023", "alle", "alle", "okonomi")]
    assert [money[c] for c in HEADER[6:]] == ["Økonomi", "Grunner mot å ansette / Økonomi", "8", "6", "3",
                                               "0.5", "0.1876", "0.8124", "", "", "0"]
    none = key[("grunn_nei", "2023", "alle", "alle", "_ingen_tema")]
    assert (none["code_label"], none["n_coded"]) == ("Svarte, men uten tema", "1")
    small = key[("grunn_nei", "2023", "kommunestorrelse", "Under 5 000", "okonomi")]
    # Os, Askvoll, Nord-Fron, Masfjorden and Gjerstad; Gjerstad left the box empty. 4 answers are
    # under the minimum group size (5): no count, no share, "n < 5".
    assert [small[c] for c in HEADER[8:]] == ["5", "4", "", "", "", "", "", "n < 5", "0"]
    assert {r["year"] for r in rows} == {"2022", "2023", "alle"}
    assert {r["group_by"] for r in rows} == {"alle", "kommunestorrelse", "fylke"}


def test_xlsx_has_one_formatted_sheet_per_table(run) -> None:
    book = openpyxl.load_workbook(run[1] / "report.xlsx")
    assert book.sheetnames == ["Oversikt", "tabell", "Svarinngang", "Tema grunn_ja", "Tema grunn_nei",
                               "Tema grunn_vet_ikke", "Frekvenser", "Samforekomst", "Tester", "Sitater"]
    sheet = book["Tema grunn_nei"]
    assert sheet["A1"].value == "Årsaker til at dere ikke har planer om å ansette"
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Tema", "Kode", "Antall 2022 (n=5)", "Andel 2022 (n=5)"]
    money = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == "okonomi")
    assert [money[6].value, money[7].value] == [3, 0.5]  # 2023: count, share
    assert money[7].number_format == "0.0%"
    assert sheet.freeze_panes == "A4"
    assert book["Svarinngang"]["A3"].font.bold


def test_report_with_no_arguments_uses_the_project_in_the_current_folder(run, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(DATA)
    # no --project, no --codings: codes afresh (--no-cache: no codings cache left in tests/data)
    result = invoke("--out", str(tmp_path), "--no-cache")
    assert result.exit_code == 0, result.output
    assert "Testrapport – planer om å ansette" in result.output
    # The keyword rules reproduce the shipped refs.csv, so the numbers are the same.
    assert (tmp_path / "frequencies.csv").read_bytes() == (run[1] / "frequencies.csv").read_bytes()


def test_runs_are_reproducible(run, tmp_path) -> None:
    result = invoke("--project", str(PROJECT), "--codings", str(REFS), "--out", str(tmp_path))
    assert result.exit_code == 0
    # Same data, same seed: the same numbers, charts and quotes (the workbook differs only in its
    # creation time stamp).
    for name in ("report.html", "frequencies.csv"):
        assert (tmp_path / name).read_bytes() == (run[1] / name).read_bytes()


def test_year_and_question_options_narrow_the_report(tmp_path) -> None:
    result = invoke("--project", str(PROJECT), "--codings", str(REFS), "--year", "2023",
                    "--question", "grunn_nei", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "frequencies.csv")
    assert {(r["question"], r["year"]) for r in rows} == {("grunn_nei", "2023")}
    assert "grunn_ja" not in result.output


def test_a_wrong_published_table_is_flagged_in_every_output(tmp_path) -> None:
    result = invoke("--project", str(DATA / "fritekst_feil_tabell.toml"), "--codings", str(REFS),
                    "--out", str(tmp_path))
    assert result.exit_code == 0
    text = squeeze(result.output)
    assert "⚠ 3 advarsler – sjekk før tallene brukes" in text
    assert "AVVIK i tabell, 2023, «Nei»: publisert 9, materialet 8" in text
    assert "AVVIK i grunn_nei, 2023: tabell oppgir 9 som fikk spørsmålet, materialet 8" in text
    assert "9≠8" in text and "17≠16" in text
    assert "Advarsel: 3 avvik eller feil i dataene; se rammen over." in text
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'class="warning" role="alert"' in html and "9\xa0≠\xa08 AVVIK" in html  # never broken in two
    rows = read_csv(tmp_path / "frequencies.csv")
    flagged = {(r["question"], r["year"]) for r in rows if r["flag"]}
    assert flagged == {(q, y) for q in ("grunn_ja", "grunn_nei", "grunn_vet_ikke") for y in ("2023", "alle")}
    assert next(r for r in rows if r["question"] == "grunn_nei" and r["year"] == "2023")["flag"].startswith(
        "AVVIK i grunn_nei, 2023: tabell oppgir 9")
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert book["Oversikt"]["A9"].value == "Avvik"
    assert book["Oversikt"]["A10"].value == "AVVIK i tabell, 2023, «Nei»: publisert 9, materialet 8"
    nei = next(r for r in book["tabell"].iter_rows(min_row=4) if r[0].value == "2023" and r[1].value == "Nei")
    assert [c.value for c in nei] == ["2023", "Nei", 9, 53, 8, 50, "AVVIK"]
    assert nei[0].fill.fgColor.rgb.endswith("F8D7DA")


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "1999"], "svar.csv: no respondents in year 1999 (column 'aar' has 2022, 2023); "
                         "choose one of those (see --year) [E115]"),
    (["--question", "grunn_kanskje"], "fritekst.toml: question 'grunn_kanskje' is not a question of the "
                                      "project (questions: grunn_ja, grunn_nei, grunn_vet_ikke); use one "
                                      "of those column names (see --question) [E305]"),
])
def test_bad_options_fail_with_one_line_and_exit_2(args: list[str], message: str, tmp_path) -> None:
    result = invoke("--project", str(PROJECT), "--codings", str(REFS), "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert result.output.strip().endswith(message)
    assert not (tmp_path / "out").exists()


def test_missing_project_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke()
    assert result.exit_code == 2
    assert result.output.startswith("Error: fritekst.toml: project file not found")


def copy_project(tmp_path: Path) -> Path:
    target = tmp_path / "prosjekt"
    shutil.copytree(DATA, target)
    return target


def test_a_malformed_published_table_names_file_and_line(tmp_path) -> None:
    project = copy_project(tmp_path)
    table = project / "tabell.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("2022,Nei,5,50", "2022,Nei,fem,50"),
                     encoding="utf-8")
    result = invoke("--project", str(project / "fritekst.toml"), "--codings", str(REFS))
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: {table}:3: antall 'fem' is not a whole number; write the "
                                     "published count, e.g. 122 [E111]")


def test_codings_with_an_unknown_code_are_refused(tmp_path) -> None:
    refs = tmp_path / "refs.csv"
    refs.write_text("case_id,question,code_id,start,end,method\n23-3430,grunn_nei,okonomii,18,25,manual\n",
                    encoding="utf-8")
    result = invoke("--project", str(PROJECT), "--codings", str(refs))
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {refs}:2: unknown code id 'okonomii'; did you mean 'okonomi'? [E112]"


def test_out_must_be_a_folder(tmp_path) -> None:
    target = tmp_path / "fil.txt"
    target.write_text("behold meg", encoding="utf-8")
    result = invoke("--project", str(PROJECT), "--codings", str(REFS), "--out", str(target))
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: {target}: exists and is not a folder; give a folder path for "
                                     "the outputs (see --out) [E502]")
    assert target.read_text(encoding="utf-8") == "behold meg"


def test_a_failure_while_rendering_leaves_no_partial_output(tmp_path, monkeypatch) -> None:
    report = make_report(load_project(PROJECT), codings_path=REFS)
    out = tmp_path / "rapport"
    out.mkdir()
    (out / "report.html").write_text("forrige rapport", encoding="utf-8")

    def broken(_report, _previous=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr("fritekst.outputs.report_files.render_xlsx", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(out, report)
    assert [p.name for p in out.iterdir()] == ["report.html"]
    assert (out / "report.html").read_text(encoding="utf-8") == "forrige rapport"


def test_formula_like_answers_are_neutralised_in_the_workbook(tmp_path) -> None:
    project = copy_project(tmp_path)
    corpus = project / "svar.csv"
    corpus.write_text(corpus.read_text(encoding="utf-8")
                      + '23-9999,2023,9999,Testby,Agder,Under 5 000,Nei,Nei,,"=HYPERLINK(""x"") for lite penger",\n',
                      encoding="utf-8")
    toml = (project / "fritekst.toml")
    toml.write_text(toml.read_text(encoding="utf-8").replace('"tabell.csv"', '"tabell_feil.csv"')
                    .replace("quotes_per_code = 2", "quotes_per_code = 9"), encoding="utf-8")
    result = invoke("--project", str(toml), "--out", str(tmp_path / "ut"))
    assert result.exit_code == 0, result.output
    assert "AVVIK" not in result.output  # the extra "Nei" makes the 'wrong' table right
    book = openpyxl.load_workbook(tmp_path / "ut" / "report.xlsx")
    quotes = [row[-1].value for row in book["Sitater"].iter_rows(min_row=4)]
    assert "'=HYPERLINK(\"x\") for lite penger" in quotes


@pytest.mark.skipif(not (REPO / "corpus" / "svar.csv").is_file(),
                    reason="the shipped example corpus corpus/svar.csv is not in this checkout yet")
def test_shipped_example_reproduces_table_14_6_and_the_2023_answer_counts(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(REPO)
    result = invoke("--out", str(tmp_path))  # the README's first command, plus a folder for files
    assert result.exit_code == 0, result.output
    assert "AVVIK" not in result.output
    assert "publisert mot materialet (stemmer)" in squeeze(result.output)
    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    table = {(r[0], r[1]): r[2:5] for r in book["tabell_14_6"].iter_rows(min_row=4, values_only=True)}
    published = {"2019": (56, 149, 88, 17, 310), "2020": (31, 106, 52, 0, 189),
                 "2021": (40, 121, 50, 1, 212), "2022": (22, 104, 62, 0, 188),
                 "2023": (23, 122, 67, 0, 212)}
    for year, counts in published.items():
        for answer, count in zip(("Ja", "Nei", "Vet ikke", "Ikke svart", "Totalt"), counts):
            published_n, _pct, corpus_n = table[(year, answer)]
            assert (published_n, corpus_n) == (count, count), (year, answer)
    asked = {(r[0], r[2]): (r[6], r[5]) for r in book["Svarinngang"].iter_rows(min_row=4, values_only=True)}
    assert asked[("grunn_ja", "2023")] == (21, 23)
    assert asked[("grunn_nei", "2023")] == (103, 122)
    assert asked[("grunn_vet_ikke", "2023")] == (55, 67)
    text = result.output
    assert re.search(r"grunn_nei\s*│\s*2023\s*│\s*122\s*│\s*122\s*│\s*103\s*│\s*84 %", text)


def test_an_answer_from_someone_who_was_not_asked_is_left_out_and_reported(tmp_path) -> None:
    project = copy_project(tmp_path)
    corpus = project / "svar.csv"
    # Says "Ja" to the closed question, yet writes in the box for those who said "Nei".
    corpus.write_text(corpus.read_text(encoding="utf-8")
                      + "23-9998,2023,9998,Prøvestad,Agder,Under 5 000,Nei,Ja,,Ingen penger,\n",
                      encoding="utf-8")
    table = project / "tabell.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("2023,Ja,3,19", "2023,Ja,4,24")
                     .replace("2023,Totalt,16,100", "2023,Totalt,17,100"), encoding="utf-8")
    result = invoke("--project", str(project / "fritekst.toml"), "--question", "grunn_nei",
                    "--out", str(tmp_path / "ut"))
    assert result.exit_code == 0, result.output
    text = squeeze(result.output)
    assert "grunn_nei 2023: 1 svar fra respondenter som ikke skulle få spørsmålet (ikke talt med)" in text
    assert "AVVIK" not in text
    rows = read_csv(tmp_path / "ut" / "frequencies.csv")
    money = next(r for r in rows if (r["year"], r["group_by"], r["code_id"]) == ("2023", "alle", "okonomi"))
    assert (money["n_group"], money["n_answered"], money["n_coded"]) == ("8", "6", "3")
    # Counted apart in every output, never silently dropped: the CSV column, the workbook's and the
    # page's response table (so the Word file's too), each on the 2023 row of grunn_nei.
    assert {r["n_answered_not_asked"] for r in rows if r["year"] == "2023"} == {"1"}
    assert {r["n_answered_not_asked"] for r in rows if r["year"] == "2022"} == {"0"}  # pooled rows: 1
    sheet = openpyxl.load_workbook(tmp_path / "ut" / "report.xlsx")["Svarinngang"]
    table = [[c for c in row] for row in sheet.iter_rows(min_row=3, values_only=True)]
    column = table[0].index("Svarte uten å få spørsmålet (ikke talt med)")
    assert {(r[2], r[column]) for r in table[1:] if r[0] == "grunn_nei"} >= {("2023", 1), ("2022", 0)}
    html = (tmp_path / "ut" / "report.html").read_text(encoding="utf-8")
    assert "<th>Svarte uten å få spørsmålet (ikke talt med)</th>" in html.replace(' class="num"', "")
    assert re.search(r"<td>grunn_nei</td><td>2023</td>(<td[^>]*>[^<]*</td>){4}<td[^>]*>1</td></tr>", html)
    import docx

    word = docx.Document(str(tmp_path / "ut" / "report.docx"))
    responses = next(t for t in word.tables if "Svarte uten å få spørsmålet (ikke talt med)"
                     in [c.text for c in t.rows[0].cells])
    assert [c.text for c in responses.rows[0].cells][-1] == "Svarte uten å få spørsmålet (ikke talt med)"
    assert any([c.text for c in row.cells][:2] == ["grunn_nei", "2023"] and row.cells[-1].text == "1"
               for row in responses.rows)


def test_codings_from_another_codebook_are_refused(tmp_path) -> None:
    project = copy_project(tmp_path)
    extra = project / "andre.yaml"
    extra.write_text("codebook: andre\ntitle: Andre\ncodes:\n  - id: relasjon\n    label: Relasjon\n",
                     encoding="utf-8")
    # A project file by another name is named as it is (the message said "fritekst.toml").
    toml = project / "prosjekt.toml"
    toml.write_text((project / "fritekst.toml").read_text(encoding="utf-8").replace(
        'mini = "mini.yaml"', 'mini = "mini.yaml"\nandre = "andre.yaml"'), encoding="utf-8")
    refs = tmp_path / "refs.csv"
    refs.write_text("case_id,question,code_id,start,end,method\n23-3430,grunn_nei,relasjon,,,manual\n",
                    encoding="utf-8")
    result = invoke("--project", str(toml), "--codings", str(refs))
    assert result.exit_code == 2
    assert result.output.strip() == (f"Error: {refs}: case 23-3430, question grunn_nei: code 'relasjon' is "
                                     f"not in codebook 'mini', which codes grunn_nei in {toml}; fix "
                                     "the code id or remove the row [E112]")


def test_the_projects_quote_choices_are_honoured(tmp_path) -> None:
    project_dir = tmp_path / "prosjekt"
    shutil.copytree(DATA, project_dir)
    (project_dir / "sitatvalg.csv").write_text(
        "question,code_id,case_id,choice,coder,decided_at\n"
        "grunn_nei,okonomi,23-3430,ban,ida,2024-03-01\n"
        "grunn_nei,ingen_stillinger,23-4651,pin,ida,2024-03-01\n"
        "grunn_nei,ukjent_kode,23-4651,pin,ida,2024-03-01\n", encoding="utf-8")
    report = make_report(load_project(project_dir / "fritekst.toml"), codings_path=project_dir / "refs.csv")
    nei = next(q for q in report.questions if q.spec.column == "grunn_nei").quotes
    assert "23-3430" not in set(nei[nei["code_id"] == "okonomi"]["case_id"])
    assert nei[nei["code_id"] == "ingen_stillinger"]["case_id"].tolist()[0] == "23-4651"
    assert any("ukjent_kode" in w for w in report.warnings)


def test_help_names_every_output_and_what_png_changes() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(report_command, ["--help"], env={"COLUMNS": "200"}, terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # click wraps help at 80 columns
    assert ("--out FOLDER Folder for report.html, report.xlsx, report.docx, frequencies.csv and charts/ "
            "(created if missing); default: the terminal only.") in text
    assert "--year YEAR Only this survey year; repeat for several." in text
    assert "--question COLUMN Only this question (its column name); repeat for several." in text
    assert ("--png Also render every chart as charts/<name>.png at twice its size (the page's PNG buttons make "
            "them in the browser anyway), and put these sharper pictures in report.docx for readers that do "
            "not draw its SVG charts (LibreOffice, Word before 2016).") in text
    assert ("fritekst report --out rapport # also rapport/report.html, .xlsx, .docx, frequencies.csv"
            in text)


def test_a_rerun_rewrites_only_the_files_whose_content_changed(project: Path, tmp_path: Path) -> None:
    # README promises it; every file was written again (all time stamps new) though the bytes were the same.
    import os

    out = tmp_path / "rapport"
    assert invoke_cli(report_command, "--project", project, "--out", out).exit_code == 0
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"report.html", "report.xlsx", "report.docx", "frequencies.csv"}
    old = 1_000_000_000
    for path in files:
        os.utime(path, ns=(old, old))
    before = {p: p.read_bytes() for p in files}
    assert invoke_cli(report_command, "--project", project, "--out", out).exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in files} == dict.fromkeys(files, old)
    assert {p: p.read_bytes() for p in files} == before
    # another language changes every text file: those are written, and only those keep no old stamp
    assert invoke_cli(report_command, "--project", project, "--out", out, "--lang", "en").exit_code == 0
    changed = {p.name for p in files if p.stat().st_mtime_ns != old}
    assert {"report.html", "report.xlsx", "report.docx"} <= changed
    assert all(p.read_bytes() != before[p] for p in files if p.name in changed)


def test_a_published_table_passed_from_python_that_is_missing_names_the_path(tmp_path) -> None:
    from fritekst.errors import InputError
    from fritekst.outputs.report import read_published_table

    with pytest.raises(InputError) as raised:
        read_published_table(tmp_path / "tabell.csv")
    assert (str(raised.value), raised.value.code) == (f"{tmp_path / 'tabell.csv'}: published table not found; "
                                                      "check the path", "E101")



def _okonomi(report) -> tuple[list[str], int]:
    nei = next(q for q in report.questions if q.spec.column == "grunn_nei")
    f = nei.frequencies
    pooled = f[(f["year"] == "alle") & (f["group_by"] == "alle") & (f["code_id"] == "okonomi")]
    return nei.quotes[nei.quotes["code_id"] == "okonomi"]["case_id"].tolist(), int(pooled["n_coded"].iloc[0])


def test_a_coding_the_researcher_rejected_is_neither_quoted_nor_counted(tmp_path) -> None:
    project = copy_project(tmp_path)
    toml = project / "fritekst.toml"
    quoted, counted = _okonomi(make_report(load_project(toml)))
    case = quoted[0]  # the first quote of "Økonomi", coded by a keyword rule
    (project / "mine.csv").write_text(f"case_id,question,code_id,start,end,decision\n{case},grunn_nei,okonomi,,,no\n",
                                      encoding="utf-8")
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[coding]\nhand_codings = ["mine.csv"]\n', encoding="utf-8")
    result = invoke("--project", str(toml), "--question", "grunn_nei", "--out", str(tmp_path / "ut"))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "ut" / "report.xlsx")["Sitater"]
    quotes = [(r[1], r[3]) for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "grunn_nei"]
    assert ("Økonomi", quoted[1]) in quotes and ("Økonomi", case) not in quotes
    pooled = [r["n_coded"] for r in read_csv(tmp_path / "ut" / "frequencies.csv")
              if (r["year"], r["group_by"], r["code_id"]) == ("alle", "alle", "okonomi")]
    assert pooled == [str(counted - 1)]
    # In a codings file an automatic row and a "no" on the same answer and code contradict each other.
    refs = project / "refs_med_nei.csv"
    lines = REFS.read_text(encoding="utf-8-sig").splitlines()
    refs.write_text("\n".join([lines[0] + ",decision", *(line + "," for line in lines[1:]),
                               f"{case},grunn_nei,okonomi,,,,,manual,,1," + "," * 7 + "no"]) + "\n", encoding="utf-8")
    refused = invoke("--project", str(toml), "--codings", str(refs))
    assert refused.exit_code == 2 and "[E114]" in refused.output
