"""One language per report: Norwegian Bokmål by default, English with ``--lang en`` or ``[report] lang``.

Every output is checked in both languages (HTML text via lxml, the workbook's sheets and headers via
openpyxl, report.docx via python-docx, the terminal and command summaries via the real CLI), and no
UI text of the other language may leak in (the list comes from the catalogue itself).
"""

from __future__ import annotations

import io
import re
import zipfile
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import html as lxml_html

from fritekst.cli import main
from fritekst.outputs.report import make_report
from fritekst.outputs.report_files import render_outputs
from fritekst.outputs.texts import LANGUAGES, TEXTS, template_fields, texts_for
from fritekst.sources.project import load_project
from conftest import invoke

DATA = Path(__file__).parent / "data" / "report"


def _outputs(lang: str, years: list[str] | None = None) -> dict[str, bytes]:
    report = make_report(load_project(DATA / "fritekst.toml"), codings_path=DATA / "refs.csv", lang=lang,
                         years=years)
    return render_outputs(report)


@pytest.fixture(scope="module", params=LANGUAGES)
def rendered(request: pytest.FixtureRequest) -> tuple[str, dict[str, bytes]]:
    return request.param, _outputs(request.param)


def _page_text(page: bytes, *, drop_quotes: bool = True) -> str:
    tree = lxml_html.fromstring(page.decode("utf-8"))
    for element in tree.xpath("//style | //svg | //*[local-name()='svg']" + (" | //blockquote" if drop_quotes else "")):
        element.drop_tree()
    return " ".join(tree.text_content().split())


def _chart_text(outputs: dict[str, bytes]) -> str:
    """Every word the charts show or say (labels, titles, descriptions), page and files alike."""
    pieces = []
    for name, data in sorted(outputs.items()):
        if name.startswith("charts/") and name.endswith(".svg"):
            pieces += re.findall(r">([^<>]+)<", data.decode("utf-8"))
    page = lxml_html.fromstring(outputs["report.html"].decode("utf-8"))
    pieces += [svg.text_content() for svg in page.xpath("//*[local-name()='svg']")]
    return " ".join(" ".join(pieces).split())


def _docx_text(data: bytes, *, drop_quotes: bool = True) -> str:
    """The Word file's paragraphs and table cells (quotes, the answers themselves, left out)."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs if not (drop_quotes and p.style is not None
                                                         and p.style.name in ("Quote", "Intense Quote"))]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(texts).split())


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True)


def _row(sheet: object, number: int) -> list[object]:
    return [c.value for c in next(sheet.iter_rows(min_row=number, max_row=number))]  # type: ignore[attr-defined]


def test_every_text_has_both_languages_with_the_same_fields() -> None:
    for key, versions in TEXTS.items():
        assert len(versions) == len(LANGUAGES), key
        assert all(versions), key
        assert template_fields(versions[0]) == template_fields(versions[1]), key


@pytest.mark.parametrize(("lang", "years", "note"), [
    ("nb", ["2023"], " 1 tema som ingen nevner i 2023, er utelatt fra figuren."),
    ("nb", ["2019", "2023"], " 2 temaer som ingen nevner i de valgte årene, er utelatt fra figuren."),
    ("en", ["2023"], " 1 theme that nobody mentions in 2023 is left out of the chart."),
    ("en", ["2019", "2023"], " 2 themes that nobody mentions in the selected years are left out of the chart."),
])
def test_the_note_on_unused_themes_names_the_year_of_a_one_year_question(lang, years, note) -> None:
    tr = texts_for(lang)
    n = 1 if len(years) == 1 else 2
    key = "html_themes_left_out_one" if n == 1 else "html_themes_left_out"
    assert tr(key, n=n, when=tr.when(years)) == note


def test_an_unknown_language_is_refused() -> None:
    from fritekst.errors import OutputError

    with pytest.raises(OutputError) as caught:
        texts_for("de")
    assert caught.value.code == "E308"


EXPECTED_HTML = {
    "nb": {"lang": "nb", "contents": "Innhold", "h2": "Hvem fikk spørsmålet, og hvem svarte",
           "headers": ["Spørsmål", "År", "Publisert", "Fikk spørsmålet", "Svarte", "Andel som svarte",
                       "Svarte uten å få spørsmålet (ikke talt med)"],
           "themes": ["Tema", "Antall", "Andel", "95 % KI", "2022", "2023"],
           "sentence": "I 2023 fikk 8 spørsmålet og 6 svarte (75 %).",
           "answered": "6 av 8 svarte (75 %)", "footer": "Slik er tallene laget"},
    "en": {"lang": "en", "contents": "Contents", "h2": "Who was asked, and who answered",
           "headers": ["Question", "Year", "Published", "Asked", "Answered", "Share who answered",
                       "Answered without being asked (not counted)"],
           "themes": ["Theme", "Count", "Share", "95% CI", "2022", "2023"],
           "sentence": "In 2023, 8 were asked the question and 6 answered (75%).",
           "answered": "6 of 8 answered (75%)", "footer": "How the numbers were made"},
}


def test_html_report_speaks_one_language(rendered: tuple[str, dict[str, bytes]]) -> None:
    lang, outputs = rendered
    want = EXPECTED_HTML[lang]
    tree = lxml_html.fromstring(outputs["report.html"].decode("utf-8"))
    assert tree.get("lang") == want["lang"]
    assert tree.xpath("string(//nav/strong)") == want["contents"]
    assert tree.xpath("string(//section[@id='svarinngang']/h2)") == want["h2"]
    headers = [" ".join(th.text_content().split()) for th in tree.xpath("//section[@id='svarinngang']//thead//th")]
    assert headers == want["headers"]
    theme_headers = [th.text_content().replace("\xa0", " ")  # "95 % KI" is kept on one line
                     for th in tree.xpath("//section[@id='q-grunn-nei']//table[1]//thead//th")]
    assert theme_headers == want["themes"]
    text = _page_text(outputs["report.html"])
    assert want["sentence"] in text and want["answered"] in text
    assert tree.xpath("string(//footer[@class='method']/h3)") == want["footer"]


EXPECTED_SHEETS = {
    "nb": ["Oversikt", "tabell", "Svarinngang", "Tema grunn_ja", "Tema grunn_nei", "Tema grunn_vet_ikke",
           "Frekvenser", "Samforekomst", "Tester", "Sitater"],
    "en": ["Overview", "tabell", "Responses", "Themes grunn_ja", "Themes grunn_nei", "Themes grunn_vet_ikke",
           "Frequencies", "Co-occurrence", "Tests", "Quotes"],
}
EXPECTED_HEADERS = {
    "nb": {"Svarinngang": ["Spørsmål", "Spørsmålstekst", "År", "Respondenter", "Publisert", "Fikk spørsmålet",
                           "Svarte", "Andel som svarte", "Svarte uten å få spørsmålet (ikke talt med)"],
           "tabell": ["År", "Svar", "Publisert antall", "Publisert %", "Antall i materialet", "% i materialet",
                      "Avvik"],
           "Tema grunn_nei": ["Tema", "Kode", "Antall 2022 (n=5)", "Andel 2022 (n=5)", "KI fra", "KI til",
                              "Antall 2023 (n=6)", "Andel 2023 (n=6)", "KI fra", "KI til",
                              "Antall Alle år (n=11)", "Andel Alle år (n=11)", "KI fra", "KI til"],
           "Frekvenser": ["Spørsmål", "Spørsmålstekst", "År", "Gruppert etter", "Gruppe", "Kode", "Tema",
                          "Tema med overtema", "Fikk spørsmålet", "Svarte", "Antall med temaet", "Andel", "KI fra",
                          "KI til", "Avvik", "Svarte uten å få spørsmålet (ikke talt med)", "Liten gruppe"],
           "Sitater": ["Spørsmål", "Tema", "Nr.", "Respondent", "År", "kommunestorrelse", "fylke", "Sitat"]},
    "en": {"Responses": ["Question", "Question text", "Year", "Respondents", "Published", "Asked", "Answered",
                         "Share who answered", "Answered without being asked (not counted)"],
           "tabell": ["Year", "Answer", "Published count", "Published %", "Count in the data", "% in the data",
                      "Mismatch"],
           "Themes grunn_nei": ["Theme", "Code", "Count 2022 (n=5)", "Share 2022 (n=5)", "CI from", "CI to",
                                "Count 2023 (n=6)", "Share 2023 (n=6)", "CI from", "CI to",
                                "Count All years (n=11)", "Share All years (n=11)", "CI from", "CI to"],
           "Frequencies": ["Question", "Question text", "Year", "Grouped by", "Group", "Code", "Theme",
                           "Theme with parents", "Asked", "Answered", "With the theme", "Share", "CI from", "CI to",
                           "Mismatch", "Answered without being asked (not counted)", "Small group"],
           "Quotes": ["Question", "Theme", "No.", "Respondent", "Year", "kommunestorrelse", "fylke", "Quote"]},
}


def test_workbook_sheets_and_headers_speak_one_language(rendered: tuple[str, dict[str, bytes]]) -> None:
    lang, outputs = rendered
    book = _workbook(outputs["report.xlsx"])
    assert book.sheetnames == EXPECTED_SHEETS[lang]
    for sheet, headers in EXPECTED_HEADERS[lang].items():
        assert _row(book[sheet], 3) == headers, sheet
    tests = book[EXPECTED_SHEETS[lang][8]]
    answers = {row[10] for row in tests.iter_rows(min_row=4, values_only=True)}
    assert answers <= ({"ja", "nei"} if lang == "nb" else {"yes", "no"})


def test_frequencies_csv_keeps_its_machine_column_names_in_both_languages() -> None:
    heads = {lang: _outputs(lang)["frequencies.csv"].decode("utf-8-sig").splitlines()[0] for lang in LANGUAGES}
    assert heads["nb"] == heads["en"] == (
        "question,question_label,year,group_by,group,code_id,code_label,code_path,n_group,n_answered,"
        "n_coded,pct,ci_low,ci_high,flag,small_cell,n_answered_not_asked")


EXPECTED_DOCX = {
    "nb": ["Hvem fikk spørsmålet, og hvem svarte", "Temaer", "Forskjeller mellom grupper", "Sitater",
           "Slik er tallene laget"],
    "en": ["Who was asked, and who answered", "Themes", "Differences between groups", "Quotes",
           "How the numbers were made"],
}


def test_docx_speaks_one_language(rendered: tuple[str, dict[str, bytes]]) -> None:
    lang, outputs = rendered
    document = docx.Document(io.BytesIO(outputs["report.docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    for wanted in EXPECTED_DOCX[lang]:
        assert wanted in headings
    header = [cell.text for cell in document.tables[1].rows[0].cells]
    assert header == EXPECTED_HTML[lang]["headers"]
    # Word checks the spelling in the report's language (it checked a Norwegian report as English)
    wanted = {"nb": "nb-NO", "en": "en-GB"}[lang]
    assert document.core_properties.language == wanted
    with zipfile.ZipFile(io.BytesIO(outputs["report.docx"])) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults is not None and re.findall(r'<w:lang [^>]*>', defaults[0]) == [f'<w:lang w:val="{wanted}"/>']


def _ui_phrases(lang: str) -> set[str]:
    """The catalogue's texts in ``lang`` cut at their fields: phrases of two or more words that the
    other language does not also use (numbers and symbols such as "df" or "n < 5" are shared)."""
    index = LANGUAGES.index(lang)
    other = " ".join(versions[1 - index] for versions in TEXTS.values())
    phrases = set()
    for versions in TEXTS.values():
        for piece in re.split(r"\{[^}]*\}|<[^>]+>", versions[index]):
            piece = piece.strip(" .,:;()–-«»“”✓✗⚠")
            if len(re.findall(r"[^\W\d_]{2,}", piece)) >= 2 and piece not in other:
                phrases.add(piece)
    return phrases


def _data_strings() -> str:
    """Text that comes from the project and its codebook (Norwegian whatever the report language)."""
    project = load_project(DATA / "fritekst.toml")
    names = [project.title, *(q.label for q in project.questions), *(t.title for t in project.tables)]
    names += [line.split(":", 1)[1] for line in (DATA / "mini.yaml").read_text(encoding="utf-8").splitlines()
              if line.strip().startswith(("label:", "title:"))]
    return " ".join(names)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_ui_text_of_the_other_language_leaks_in(lang: str) -> None:
    outputs = _outputs(lang)
    other = "en" if lang == "nb" else "nb"
    data = _data_strings()
    foreign = {p for p in _ui_phrases(other) if p not in data}
    assert len(foreign) > 100  # the check is only as good as its list
    book = _workbook(outputs["report.xlsx"])
    cells = " ".join(str(v) for sheet in book.worksheets if sheet.title not in ("Sitater", "Quotes")
                     for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str))
    result = invoke(main, "report", "--project", DATA / "fritekst.toml", "--codings", DATA / "refs.csv",
                    "--lang", lang)
    assert result.exit_code == 0
    terminal = " ".join(result.output.split())
    for name, text in (("report.html", _page_text(outputs["report.html"])), ("report.xlsx", cells),
                       ("terminal", terminal), ("charts", _chart_text(outputs)),
                       ("report.docx", _docx_text(outputs["report.docx"]))):
        leaked = sorted(p for p in foreign if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))
        assert leaked == [], f"{name} ({lang}) has {other} texts: {leaked}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_single_year_report_never_says_all_years(lang: str) -> None:
    outputs = _outputs(lang, years=["2023"])
    pooled = re.compile(r"alle år|all years|alle valgte år|all selected years", re.IGNORECASE)
    page = _page_text(outputs["report.html"], drop_quotes=False)
    assert not pooled.search(page), pooled.search(page)
    book = _workbook(outputs["report.xlsx"])
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and pooled.search(value)), (sheet.title, value)
    for name, text in (("charts", _chart_text(outputs)),
                       ("report.docx", _docx_text(outputs["report.docx"], drop_quotes=False)),
                       ("frequencies.csv", outputs["frequencies.csv"].decode("utf-8-sig"))):
        assert not pooled.search(text), (name, pooled.search(text))
    result = invoke(main, "report", "--project", DATA / "fritekst.toml", "--codings", DATA / "refs.csv",
                    "--year", "2023", "--lang", lang)
    assert result.exit_code == 0 and not pooled.search(result.output)
    # The years line names the one year, in the singular.
    assert ("År: 2023" if lang == "nb" else "Year: 2023") in page


TERMINAL_LINES = {
    "nb": ["Materiale: svar.csv · År: 2022, 2023 · Koding:", "Figurer, gruppefordelinger og sitater: kjør med "
           "--out MAPPE for report.html, report.docx og report.xlsx."],
    "en": ["Data: svar.csv · Years: 2022, 2023 · Coding:", "Charts, group breakdowns and quotes: run with --out "
           "FOLDER for report.html, report.docx and report.xlsx."],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report_terminal_lines(lang: str) -> None:
    result = invoke(main, "report", "--project", DATA / "fritekst.toml", "--codings", DATA / "refs.csv",
                    "--lang", lang)
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert lines[1].startswith(TERMINAL_LINES[lang][0])
    assert lines[-1] == TERMINAL_LINES[lang][1]


def _project_copy(tmp_path: Path, lang_line: str) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(DATA, folder)
    toml = folder / "fritekst.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[report]\n", f"[report]\n{lang_line}\n"),
                    encoding="utf-8")
    return toml


def test_project_language_applies_and_the_command_line_wins(tmp_path: Path) -> None:
    toml = _project_copy(tmp_path, 'lang = "en"')
    result = invoke(main, "report", "--project", toml, "--codings", toml.parent / "refs.csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].rstrip() == TERMINAL_LINES["en"][1]
    result = invoke(main, "report", "--project", toml, "--codings", toml.parent / "refs.csv", "--lang", "nb")
    assert result.output.splitlines()[-1].rstrip() == TERMINAL_LINES["nb"][1]


def test_an_unknown_project_language_is_one_line_and_exit_2(tmp_path: Path) -> None:
    toml = _project_copy(tmp_path, 'lang = "de"')
    result = invoke(main, "report", "--project", toml)
    assert result.exit_code == 2
    assert result.output == (f"Error: {toml}: [report] lang: 'de' is not a language fritekst writes in; write "
                             'lang = "nb" (Norwegian Bokmål) or lang = "en" (English) [E307]\n')


TESTS = Path(__file__).parent / "data"
COMMAND_LINES = {
    "nb": {"check": ["{book}: ok (4 koder, 4 regler)", "{project}: ok (1 spørsmål, 1 tabell)"],
           "qdc": "Skrev {out}: 1 kodebok, 4 koder",
           "evaluate": ["Evaluert på 5 svar (svarene i gullfila) mot {answers}; riktig kode på svaret",
                        "keyword: mikro-F1 1,00, makro-F1 1,00, nøyaktig riktig kodesett på 100 % av svarene"]},
    "en": {"check": ["{book}: ok (4 codes, 4 rules)", "{project}: ok (1 question, 1 table)"],
           "qdc": "Wrote {out}: 1 codebook, 4 codes",
           "evaluate": ["Evaluated on 5 answers (answers in the gold file) against {answers}; answer-level presence",
                        "keyword: micro F1 1.00, macro F1 1.00, exact code set on 100% of answers"]},
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_command_summaries_speak_the_chosen_language(lang: str, tmp_path: Path) -> None:
    want = COMMAND_LINES[lang]
    chosen = ["--lang", lang] if lang != "nb" else []  # Norwegian is the default
    book, project = TESTS / "codebooks" / "gyldig.yaml", TESTS / "project" / "fritekst.toml"
    result = invoke(main, "check", book, *chosen)
    assert (result.exit_code, result.output) == (0, want["check"][0].format(book=book) + "\n")
    result = invoke(main, "check", "--project", project, *chosen)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == want["check"][1].format(project=project)
    out = tmp_path / "koder.qdc"
    result = invoke(main, "export", "qdc", out, "--codebook", book, *chosen)
    assert (result.exit_code, result.output) == (0, want["qdc"].format(out=out) + "\n")
    answers = TESTS / "evaluate" / "svar_med_koder.csv"
    result = invoke(main, "evaluate", "--codebook", TESTS / "classifier" / "kodebok.yaml", "--answers", answers,
                    "--top", "0", *chosen)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == want["evaluate"][0].format(answers=answers)
    assert want["evaluate"][1] in lines


def test_project_mode_exports_the_attributes_the_project_names() -> None:
    project = load_project(DATA / "fritekst.toml")  # no [corpus] attributes: the columns it uses
    assert project.attributes == ["aar", "planer_ansette", "ansatt_erfaring", "kommunestorrelse", "fylke"]
    assert load_project(TESTS / "project" / "fritekst.toml").attributes == ["kommune", "fylke", "planer"]


CLASSIFIER = TESTS / "classifier"
SUMMARIES = {
    "nb": {"agree": ["Kodere: koder_a, koder_b",
                     "kode            svar    ja   enig %      kappa    alfa",
                     "okonomi           10     8     80,0       0,58    0,60",  # decimal comma, as the report
                     "ser_behov         10     4    100,0       1,00    1,00",
                     "─" * 54,
                     "(alle koder)      20    12     90,0       0,76    0,77",
                     "– : udefinert (alle kodere ga alle svar samme verdi)",
                     "Uenigheter (2 i alt):",
                     "  okonomi                04 q              koder_a=ja koder_b=nei  ",
                     "  okonomi                05 q              koder_a=nei koder_b=ja  Trang økonomi",
                     "Skrev 2 uenigheter til {out}"],
           "suggest": ["Ingen klassifikator (gi --model eller legg en til i kodeboka): bare svar uten tema listes",
                       "uten tema   0019 grunn                                                 "
                       "Brukarane etterspør det og det styrker tenestene.",
                       "Skrev forslagene til {out}"],
           "review": ["Skrev 3 svar × 3 koder til {out}"],
           "review_import": ["1 håndbeslutninger fra arket (1 ja, 0 nei): 1 nye, 0 endret, 0 uendret; "
                             "0 tidligere beslutninger beholdt", "Skrev håndbeslutningene til {out}"],
           "dictionary": ["Skrev {out}: kodebok 'mary' fra en liwc-ordbok, 2 koder, 2 regler, 5 mønstre"],
           "qdc": ["Skrev {out}: kodebok 'mini', 3 koder",
                   "  søkeordregler: ingen (REFI-QDA har ingen regler); legg til regler for å kode svar automatisk"],
           "qdpx": "Skrev {out}: 5 svar fra 4 respondenter, 5 kodinger i 5 markeringer, 6 koder, 6 variabler, "
                   "2 notater",
           "import_qdpx": ["Leste {file}: fritekst {version}, 5 kilder, 4 respondenter, 6 brukere",
                           "Skrev {out}: 4 respondenter med 5 svar, 6 koder i 2 kodebok(er), 2 håndkodinger fra "
                           "1 koder(e), 5 kodinger i codings.csv, 1 svarnotat(er)"],
           "import_next": "Neste: fritekst code --project {out}/fritekst.toml --hand {out}/hand_codings.csv",
           "serve": "Laster {project} og koder svarene …",
           "serve_stopped": "Arbeidsbenken er stoppet; alle beslutninger er lagret i {hand}"},
    "en": {"agree": ["Coders: koder_a, koder_b",
                     "code        answers   yes  agree %      kappa   alpha",
                     "okonomi          10     8     80.0       0.58    0.60",
                     "ser_behov        10     4    100.0       1.00    1.00",
                     "─" * 53,
                     "(all codes)      20    12     90.0       0.76    0.77",
                     "– : undefined (every coder gave every answer the same value)",
                     "Disagreements (2 in all):",
                     "  okonomi                04 q              koder_a=yes koder_b=no  ",
                     "  okonomi                05 q              koder_a=no koder_b=yes  Trang økonomi",
                     "Wrote 2 disagreements to {out}"],
           "suggest": ["No classifier (give --model or add one to the codebook): only answers with no theme are "
                       "listed",
                       "no theme    0019 grunn                                                 "
                       "Brukarane etterspør det og det styrker tenestene.",
                       "Wrote suggestions to {out}"],
           "review": ["Wrote 3 answers × 3 codes to {out}"],
           "review_import": ["1 hand decisions from the sheet (1 yes, 0 no): 1 new, 0 changed, 0 unchanged; "
                             "0 earlier decisions kept", "Wrote hand decisions to {out}"],
           "dictionary": ["Wrote {out}: codebook 'mary' from a liwc dictionary, 2 codes, 2 rules, 5 patterns"],
           "qdc": ["Wrote {out}: codebook 'mini', 3 codes",
                   "  keyword rules: none (REFI-QDA has no rules); add rules to code answers automatically"],
           "qdpx": "Wrote {out}: 5 answers from 4 respondents, 5 codings in 5 selections, 6 codes, 6 variables, "
                   "2 notes",
           "import_qdpx": ["Read {file}: fritekst {version}, 5 sources, 4 cases, 6 users",
                           "Wrote {out}: 4 cases with 5 answers, 6 codes in 2 codebook(s), 2 hand codings by "
                           "1 coder(s), 5 codings in codings.csv, 1 answer memo(s)"],
           "import_next": "Next: fritekst code --project {out}/fritekst.toml --hand {out}/hand_codings.csv",
           "serve": "Loading {project} and coding the answers…",
           "serve_stopped": "The workbench has stopped; every decision is saved in {hand}"},
}
# Memos on an answer, on a respondent the corpus lacks (left out) and on a code: two notes go along.
MEMOS = ("kind,case_id,question,code_id,coder,memo,updated_at\n"
         "answer,0301,recovery,,Kari,Ser ut som medvirkning.,2024-03-01T11:00:00+01:00\n"
         "answer,9999,recovery,,Kari,Ingen slik respondent,2024-03-01T11:00:00+01:00\n"
         "code,,,okonomi,Ola,Også budsjett,\n")


def _lines(result: object, key: str, lang: str, **paths: object) -> None:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    want = [line.format(**paths) for line in SUMMARIES[lang][key]]
    assert result.output.splitlines() == want, key  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agree_suggest_and_review_summaries_speak_the_chosen_language(lang: str, tmp_path: Path) -> None:
    chosen = ["--lang", lang] if lang != "nb" else []  # Norwegian is the default
    out = tmp_path / "uenige.csv"
    _lines(invoke(main, "agree", CLASSIFIER / "koder_a.csv", CLASSIFIER / "koder_b.csv", "--scope",
                  CLASSIFIER / "agree_scope.csv", "--disagreements", out, *chosen), "agree", lang, out=out)
    corpus = ["--codebook", CLASSIFIER / "kodebok.yaml", "--corpus", CLASSIFIER / "svar.csv", "--question", "grunn"]
    out = tmp_path / "neste.csv"
    _lines(invoke(main, "suggest", *corpus, "-n", "1", "--out", out, *chosen), "suggest", lang, out=out)
    sheet = tmp_path / "vurdering.xlsx"
    _lines(invoke(main, "review", "export", *corpus, "--limit", "3", "--out", sheet, *chosen), "review", lang,
           out=sheet)
    book = openpyxl.load_workbook(sheet)
    header = [c.value for c in book["review"][1]]
    book["review"].cell(row=2, column=header.index("okonomi") + 1).value = "yes"
    book.save(sheet)
    out = tmp_path / "hand.csv"
    _lines(invoke(main, "review", "import", sheet, "--codebook", CLASSIFIER / "kodebok.yaml", "--out", out,
                  *chosen), "review_import", lang, out=out)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_import_and_export_summaries_speak_the_chosen_language(lang: str, tmp_path: Path) -> None:
    from fritekst import __version__

    chosen = ["--lang", lang] if lang != "nb" else []
    out = tmp_path / "mary.yaml"
    _lines(invoke(main, "import", "dictionary", TESTS / "dictionaries" / "mary.dic", "--out", out, *chosen),
           "dictionary", lang, out=out)
    qdc, out = tmp_path / "mini.qdc", tmp_path / "mini.yaml"
    assert invoke(main, "export", "qdc", qdc, "--codebook", CLASSIFIER / "kodebok.yaml").exit_code == 0
    _lines(invoke(main, "import", "qdc", qdc, "--out", out, *chosen), "qdc", lang, out=out)
    codings = tmp_path / "codings.csv"
    shutil.copy(TESTS / "refi" / "refs.csv", codings)
    (tmp_path / "codings.memos.csv").write_text(MEMOS, encoding="utf-8")
    qdpx = tmp_path / "svar.qdpx"
    result = invoke(main, "export", "qdpx", qdpx, "--project", TESTS / "refi" / "fritekst.toml", "--codings",
                    codings, *chosen)
    assert (result.exit_code, result.stdout) == (0, SUMMARIES[lang]["qdpx"].format(out=qdpx) + "\n")
    out = tmp_path / "importert"
    result = invoke(main, "import", "qdpx", qdpx, "--out", out, *chosen)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [line.format(file=qdpx, out=out, version=__version__)
                         for line in SUMMARIES[lang]["import_qdpx"]]
    assert lines[-1] == SUMMARIES[lang]["import_next"].format(out=out)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbench_start_up_line_follows_the_project_language(lang: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    folder = tmp_path / "web"
    shutil.copytree(TESTS / "web", folder)
    toml = folder / "fritekst.toml"
    if lang == "en":  # no --lang: the project's [report] lang decides
        toml.write_text(toml.read_text(encoding="utf-8").replace("[report]\n", '[report]\nlang = "en"\n'),
                        encoding="utf-8")
    # The server returns at once, as after Ctrl+C: the start-up line and the stop line, both in the language
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    result = invoke(main, "serve", "--project", toml, "--no-browser", "--coder", "ane")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        SUMMARIES[lang]["serve"].format(project=toml),
        SUMMARIES[lang]["serve_stopped"].format(hand=folder / "koding" / "ane.csv")]


@pytest.mark.parametrize("lang, line", [("nb", "Slettet 0 filer fra kodingsbufferen i {folder}"),
                                        ("en", "Removed 0 cached files from {folder}")])
def test_cache_clear_follows_the_project_language(lang: str, line: str, tmp_path: Path) -> None:
    toml = _project_copy(tmp_path, f'lang = "{lang}"')
    shutil.rmtree(toml.parent / ".fritekst", ignore_errors=True)  # a cache other tests left in tests/data
    result = invoke(main, "cache", "clear", "--project", toml)
    assert (result.exit_code, result.output) == (0, line.format(folder=toml.parent / ".fritekst" / "cache") + "\n")


def test_the_workbooks_frequencies_sheet_names_years_and_groups_in_the_reports_language(
        rendered: tuple[str, dict[str, bytes]]) -> None:
    # It showed the CSV's keys ("alle", "kommunestorrelse") under headers in words, in both languages.
    lang, outputs = rendered
    book = _workbook(outputs["report.xlsx"])
    sheet = book[{"nb": "Frekvenser", "en": "Frequencies"}[lang]]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    years, groupings, groups = ({row[i] for row in rows} for i in (2, 3, 4))
    whole, all_years = {"nb": ("Hele utvalget", "Alle år"), "en": ("Whole sample", "All years")}[lang]
    assert all_years in years and "alle" not in years
    assert whole in groupings and "alle" not in groupings and "alle" not in groups
    assert {row[4] for row in rows if row[3] == whole} == {whole}
    assert {row[3] for row in rows} - {whole} <= {"fylke", "kommunestørrelse", "kommunestorrelse"}
