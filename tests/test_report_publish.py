"""A report a researcher can publish: no clipped chart label, no share for a group under the minimum
size, every table in report.docx, charts downloadable as SVG and PNG. On the shipped example."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from fritekst.cli import main

REPO = Path(__file__).parent.parent
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("publish") / "rapport"
    result = CliRunner().invoke(main, ["report", "--project", str(REPO / "fritekst.toml"), "--out",
                                       str(folder)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    (folder.parent / "terminal.txt").write_text(result.output, encoding="utf-8")  # beside, not in, the report
    return folder


def test_no_share_is_shown_for_a_group_under_the_minimum(out: Path) -> None:
    page = (out / "report.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(page)
    texts = [t.text_content() for t in tree.iter("{http://www.w3.org/2000/svg}text", "text")]
    shares = [int(n) for t in texts for n in re.findall(r"\d+ % av (\d+)", t)]
    assert shares and min(shares) >= 5                      # every "x % av n" rests on n >= 5
    small = [t for t in texts if t.strip() == "n < 5"]
    assert small                                            # the example has small groups (fylker)
    frequencies = (out / "frequencies.csv").read_text(encoding="utf-8-sig").splitlines()
    header = frequencies[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in frequencies[1:] if line.count(",") == len(header) - 1]
    small_rows = [r for r in rows if r["small_cell"] == "n < 5"]
    assert small_rows and all(r["pct"] == "" and r["n_coded"] == "" and int(r["n_answered"]) < 5
                              for r in small_rows)


def test_a_grouping_with_every_group_under_the_minimum_is_one_line_not_blank_charts(out: Path) -> None:
    """In 2023 every county has fewer than 5 'Ja' answers (grunn_ja): the page says so in one line
    instead of drawing charts whose every bar is "n < 5"; counties with answers enough keep theirs."""
    frequencies = (out / "frequencies.csv").read_text(encoding="utf-8-sig").splitlines()
    header = frequencies[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in frequencies[1:] if line.count(",") == len(header) - 1]
    ja_2023 = [r for r in rows if (r["question"], r["year"], r["group_by"]) == ("grunn_ja", "2023", "fylke")]
    assert ja_2023 and all(r["small_cell"] == "n < 5" for r in ja_2023)
    counties = len({r["group"] for r in ja_2023})
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count(f"Alle {counties} grupper har færre enn 5 svar dette året, så andelene vises ikke") == 1
    charts = {p.name for p in (out / "charts").glob("*.svg")}
    assert not {c for c in charts if c.startswith("grunn_ja-fylke-")}
    assert {c for c in charts if c.startswith("grunn_nei-fylke-")}


def test_report_docx_holds_every_table_and_chart(out: Path) -> None:
    page = lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    tables = page.xpath("//table")
    document = docx.Document(str(out / "report.docx"))
    assert len(document.tables) == len(tables) > 0
    for html_table, word_table in zip(tables, document.tables):
        # white space folds as on the page; the no-break space that keeps "95 % KI" whole stays
        header = [re.sub(r"[ \t\n]+", " ", th.text_content()).strip() for th in html_table.xpath(".//thead//th")]
        assert [c.text for c in word_table.rows[0].cells] == header
        assert len(word_table.rows) == len(html_table.xpath(".//tr"))
    charts = sorted((out / "charts").glob("*.svg"))
    assert len(document.inline_shapes) == len(charts) > 0
    # A4 (python-docx's template is US Letter), and every chart inside the text block, not over the
    # right margin (16 cm charts in Letter's 15.2 cm block)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    block = section.page_width - section.left_margin - section.right_margin
    assert max(shape.width for shape in document.inline_shapes) <= block
    # each picture is the chart's SVG, as Word stores one (svgBlip), named in its alternative text
    with zipfile.ZipFile(out / "report.docx") as archive:
        media = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".svg")]
        body = archive.read("word/document.xml").decode("utf-8")
    assert len(media) == len(charts) and all(m.startswith(b"<svg") for m in media)
    assert body.count("<asvg:svgBlip") == len(charts)
    titles = {re.sub(r"<title>.*?</title>", "", p.read_text(encoding="utf-8")).encode() for p in charts}
    assert set(media) == titles
    shape = document.inline_shapes[0]
    assert shape.width.cm == pytest.approx(16) and 2 < shape.height.cm < 16
    assert 'descr="' in body and "Stolpediagram" not in body  # the charts' own titles
    # every chart downloads as SVG (a file) and as PNG (made in the browser, next test)
    for link in page.xpath("//a[@download]"):
        assert (out / link.get("href")).is_file()
    assert sorted(b.get("data-png") for b in page.xpath("//button[@data-png]")) == [f"{p.stem}.png" for p in charts]
    assert (out / "charts" / charts[0].name).read_bytes().startswith(b"<svg")
    assert not list((out / "charts").glob("*.png"))  # none rendered while writing the report


def _word_pictures(path: Path) -> list[tuple[bytes, bytes]]:
    """Each picture of a Word file as (raster image, SVG) bytes, in document order."""
    document = docx.Document(str(path))
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    parts = document.part.related_parts
    pictures = []
    for blip in document.element.body.iter(f"{a}blip"):
        svg = next(blip.iter("{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"))
        pictures.append((parts[blip.get(f"{r}embed")].blob, parts[svg.get(f"{r}embed")].blob))
    return pictures


def _svg_size(svg: bytes) -> tuple[int, int]:
    """A chart's width and height in pixels, from its ``<svg>`` element."""
    size = re.search(rb'<svg[^>]*? width="([\d.]+)" height="([\d.]+)"', svg)
    assert size, svg[:200]
    return round(float(size[1])), round(float(size[2]))


def test_every_word_picture_also_shows_its_chart_as_a_raster(out: Path) -> None:
    # Readers that ignore the SVG extension (LibreOffice) show the raster picture: it must be the
    # chart at 3/4 of its size, drawn, not a placeholder.
    from PIL import Image

    pictures = _word_pictures(out / "report.docx")
    assert len(pictures) == len(list((out / "charts").glob("*.svg"))) > 10
    for raster, svg in pictures:
        assert raster.startswith(b"\x89PNG\r\n\x1a\n")
        with Image.open(io.BytesIO(raster)) as image:
            width, height = _svg_size(svg)
            assert image.size[0] == pytest.approx(width * 0.75, abs=1)
            assert image.size[1] == pytest.approx(height * 0.75, abs=1)
            colours = image.convert("RGB").getcolors(1_000_000) or []
        assert len(colours) > 20 and max(colours)[1] == (255, 255, 255)  # white ground, drawn on
        assert any(sum(rgb) < 200 for _, rgb in colours)                   # dark text


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfimages")),
                    reason="needs LibreOffice (soffice) and poppler-utils (pdfimages); CI has neither")
def test_libreoffice_draws_every_chart_of_report_docx(out: Path, tmp_path: Path) -> None:
    # LibreOffice 7.4 ignores Word's SVG extension and draws the raster picture; the PDF it makes
    # must hold each chart's picture at its size (the former placeholder was one pixel), which the
    # test above checks is the chart.
    from PIL import Image

    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "report.docx")],
                   check=True, capture_output=True, timeout=300)
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "report.pdf")], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    images = [line.split() for line in listing]
    drawn = [(int(fields[3]), int(fields[4])) for fields in images if fields[2] == "image"]
    expected = [Image.open(io.BytesIO(raster)).size for raster, _ in _word_pictures(out / "report.docx")]
    assert sorted(drawn) == sorted(expected)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
def test_a_charts_png_download_is_made_in_the_browser_from_its_svg(out: Path, tmp_path: Path) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        page.goto((out / "report.html").as_uri())
        saved = []
        for button in (page.locator("button[data-png]").first, page.locator(".panels button[data-png]").first):
            name = button.get_attribute("data-png")
            svg = button.locator("xpath=../preceding-sibling::*[1]")
            size = (float(svg.get_attribute("width")), float(svg.get_attribute("height")))
            with page.expect_download() as download:
                button.click()
            assert download.value.suggested_filename == name
            target = tmp_path / name
            download.value.save_as(target)
            saved.append((target, size))
        browser.close()
    for target, (width, height) in saved:
        assert target.read_bytes().startswith(b"\x89PNG")
        with Image.open(target) as image:
            assert image.size == (round(width * 2), round(height * 2))  # twice the chart's size
            colours = image.convert("RGB").getcolors(1_000_000) or []
        # a drawn chart, not a blank canvas: white background, dark text, the bars' colours
        assert len(colours) > 50 and max(colours)[1] == (255, 255, 255)
        assert any(sum(rgb) < 200 for _, rgb in colours)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
def test_no_chart_label_is_clipped_in_a_browser(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto((out / "report.html").as_uri())
        clipped = page.evaluate("""() => {
            const bad = [];
            for (const svg of document.querySelectorAll('main svg')) {
                const box = svg.getBoundingClientRect();
                for (const text of svg.querySelectorAll('text')) {
                    const r = text.getBoundingClientRect();
                    if (r.width === 0) continue;
                    if (r.left < box.left - 1 || r.right > box.right + 1 ||
                        r.top < box.top - 1 || r.bottom > box.bottom + 1) {
                        bad.push(svg.getAttribute('aria-label') + ' :: ' + text.textContent.trim());
                    }
                }
            }
            return bad;
        }""")
        n_svg = page.evaluate("() => document.querySelectorAll('main svg').length")
        browser.close()
    assert n_svg > 10
    assert clipped == []


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
@pytest.mark.parametrize(("media", "width"), [("screen", 1200), ("print", 673)])  # 673 px: A4 inside its margins
def test_every_table_and_chart_fits_the_reports_column(out: Path, media: str, width: int) -> None:
    # "Hvem fikk spørsmålet" was 1010 px wide (headers kept on one line) in a 904 px column: it ran
    # past the page on screen and was cut off in print.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.emulate_media(media=media)
        page.goto((out / "report.html").as_uri())
        measured = page.evaluate("""() => {
            const main = document.querySelector('main'), style = getComputedStyle(main);
            const column = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const wide = [...main.querySelectorAll('table, svg, figure, p, ul')]
                .filter(e => e.getBoundingClientRect().width > column + 1)
                .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().width) + ' px: '
                          + e.textContent.trim().slice(0, 40));
            const years = [...document.querySelectorAll('#svarinngang tbody tr.total td:nth-child(2)')]
                .filter(td => td.getClientRects().length && td.offsetHeight > 2 * parseFloat(getComputedStyle(td).lineHeight));
            return {column, wide, page: document.documentElement.scrollWidth, wrappedYears: years.length};
        }""")
        browser.close()
    assert measured["wide"] == [], measured
    assert measured["page"] <= width  # no sideways scrolling
    assert measured["wrappedYears"] == 0  # "Alle år" stays on one line


def test_every_chart_label_is_shown_whole(out: Path) -> None:
    # Trend end labels and heat-map axes shortened a theme to "Konkret tilbud eller tjenes…" and
    # "Annen løsning for brukerpersp…": in a Word file or a print there is no tooltip to read.
    shortened = {p.name: t for p in (out / "charts").glob("*.svg")
                 for t in re.findall(r"<text[^>]*>(?:<title>[^<]*</title>)?([^<]*)</text>", p.read_text("utf-8"))
                 if t.endswith("…")}
    assert shortened == {}
    trend = (out / "charts" / "grunn_ja-utvikling.svg").read_text("utf-8")
    assert "<title>Konkret tilbud eller tjeneste</title>Konkret tilbud eller tjeneste</text>" in trend
    heat = (out / "charts" / "recovery_stor_grad-sammen.svg").read_text("utf-8")
    assert heat.count("<title>Modeller og nettverk for tjenesteutvikling</title>"
                      "Modeller og nettverk for tjenesteutvikling</text>") == 2  # row and column


def test_the_figure_note_counts_the_themes_it_leaves_out(out: Path) -> None:
    # grunn_ja: 8 of the 12 themes are never coded; "answered, but no theme" (0 too) is no theme. A
    # question of one year names its year, not "the selected years".
    page = (out / "report.html").read_text(encoding="utf-8")
    notes = re.findall(r"undertemaene\.([^<]*)</figcaption>", page)
    assert notes == [" 8 temaer som ingen nevner i de valgte årene, er utelatt fra figuren.",
                     " 1 tema som ingen nevner i de valgte årene, er utelatt fra figuren.",
                     " 1 tema som ingen nevner i de valgte årene, er utelatt fra figuren.",
                     " 2 temaer som ingen nevner i 2023, er utelatt fra figuren.",  # recovery: asked in 2023 only
                     " 10 temaer som ingen nevner i 2023, er utelatt fra figuren."]


def test_workbook_columns_are_wide_enough_for_their_headers(out: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(out / "report.xlsx")
    narrow = [(sheet.title, cell.value, sheet.column_dimensions[cell.column_letter].width)
              for sheet in book.worksheets if sheet.freeze_panes == "A4" for cell in sheet[3]
              if cell.value and sheet.column_dimensions[cell.column_letter].width < min(60, len(str(cell.value)) + 3)]
    assert narrow == []
    answers = book["Svarinngang"]
    assert answers["H3"].value == "Andel som svarte" and answers.column_dimensions["H"].width == 19
    # a long theme far down a sheet (row 500 and below were not looked at) gets its width too
    together = book["Samforekomst"]
    longest = max(len(str(c.value)) for c in together["B"][3:])
    assert longest == len("Modeller og nettverk for tjenesteutvikling")
    assert together.column_dimensions["B"].width == longest + 2


def test_the_terminal_names_the_year_of_a_one_year_question_where_nothing_was_coded(out: Path) -> None:
    # the captions wrap with their tables; what leads each one says where it looked
    heads = [line.split(":")[0] + ": " + line.split(":")[1].split(",")[0].strip()
             for line in (out.parent / "terminal.txt").read_text(encoding="utf-8").splitlines()
             if line.startswith("Ingen treff")]
    assert heads == ["Ingen treff i de valgte årene: Økonomi",
                     "Ingen treff i de valgte årene: Konkret tilbud eller tjeneste",
                     "Ingen treff i de valgte årene: Ikke lovpålagt",
                     "Ingen treff i 2023: Mangler kompetanse",      # recovery: asked in 2023 only
                     "Ingen treff i 2023: Hva er viktig for deg"]


def test_a_question_where_no_test_could_be_run_says_so(out: Path) -> None:
    # recovery_liten_grad (6 answers in 2023) read "Ingen av de testede temaene viser en sikker forskjell"
    # followed by "0 tester kunne gjøres": nothing had been tested.
    page = (out / "report.html").read_text(encoding="utf-8").replace("\xa0", " ").replace("\u2060", "")
    section = page[page.index('<section id="q-recovery-liten-grad"'):]
    section = section[section.index("<h3>Forskjeller mellom grupper</h3>"):]
    lead, note = re.findall(r"<p[^>]*>([^<]*)</p>", section)[:2]
    assert lead == "Ingen tester kunne gjøres, så vi kan verken påvise eller avvise forskjeller mellom gruppene."
    assert re.match(r"\d+ ble ikke testet fordi tallene er for små for testen \(\d+ etter kommunestørrelse\)", note)
    assert note.endswith("Alle tester står i regnearket.") and "0 tester" not in note and "tilfeldige" not in note
    assert page.count("Ingen av de testede temaene viser en sikker forskjell") >= 1  # where tests were run


def test_the_workbook_and_the_terminal_give_no_share_of_a_group_under_the_minimum(out: Path) -> None:
    """The HTML and CSV are checked above and report.docx holds the page's very charts; here the
    workbook's long table, and the group differences the terminal and the workbook spell out (each
    names the lowest and the highest group's share, which must rest on 5 answers or more)."""
    import openpyxl

    frequencies = (out / "frequencies.csv").read_text(encoding="utf-8-sig").splitlines()
    header = frequencies[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in frequencies[1:] if line.count(",") == len(header) - 1]
    answered = {(r["question"], r["year"], r["group_by"], r["group"]): int(r["n_answered"]) for r in rows}
    book = openpyxl.load_workbook(out / "report.xlsx")
    long = list(book["Frekvenser"].iter_rows(min_row=3, values_only=True))
    col = {name: long[0].index(name) for name in ("Gruppert etter", "Svarte", "Antall med temaet", "Andel", "KI fra",
                                                    "Liten gruppe")}
    small = [r for r in long[1:] if r[col["Liten gruppe"]] == "n < 5"]
    assert small and all(r[col["Svarte"]] < 5 and r[col["Antall med temaet"]] is None and r[col["Andel"]] is None
                         and r[col["KI fra"]] is None for r in small)
    assert all(r[col["Liten gruppe"]] in (None, "") for r in long[1:] if r[col["Gruppert etter"]] != "Hele utvalget"
               and r[col["Svarte"]] >= 5)
    groupings = {"kommunestørrelse": "kommunestorrelse", "fylke": "fylke"}
    checked = 0
    tests = list(book["Tester"].iter_rows(min_row=3, values_only=True))
    for question, year, grouping, *_, conclusion in tests[1:]:
        named = re.search(r"fra [\d,]+ % \((.+?)\) til [\d,]+ % \((.+?)\)", conclusion or "")
        if not named:
            continue
        year = "alle" if year == "Alle år" else year
        for group in named.groups():
            key = ((question, group, "alle", "alle") if grouping == "år"
                   else (question, year, groupings[grouping], group))
            assert answered[key] >= 5, (conclusion, answered[key])
            checked += 1
    assert checked
    terminal = " ".join((out.parent / "terminal.txt").read_text(encoding="utf-8").split())
    said = re.findall(r"• («[^•]+?p [<=] [\d,]+\)\.)", terminal)
    conclusions = {" ".join(str(r[-1]).split()) for r in tests[1:]}
    assert said and all(sentence in conclusions for sentence in said), said


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed")
def test_printed_the_page_is_a_report_each_question_on_a_new_a4_page(out: Path) -> None:
    """The print stylesheet in effect: each question starts a page, no table or chart is cut by a
    page break, the table of contents and the download links stay off paper; Chromium's PDF is A4."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((out / "report.html").as_uri())
        page.emulate_media(media="print")
        styles = page.evaluate("""() => ({
          sections: [...document.querySelectorAll('section[id^="q-"]')].map(s => getComputedStyle(s).breakBefore),
          kept: [...new Set([...document.querySelectorAll('main figure, main table, main blockquote')]
                            .map(f => getComputedStyle(f).breakInside))],
          hidden: [...new Set([...document.querySelectorAll('nav, .downloads')].map(d => getComputedStyle(d).display))],
        })""")
        pdf = page.pdf(format="A4")
        browser.close()
    assert styles == {"sections": ["page"] * 5, "kept": ["avoid"], "hidden": ["none"]}
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert boxes == {(0, 0, 596, 843)}  # A4 in points (595 × 842, as Chromium rounds it)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) > 5  # the front matter, then a page per question at least
