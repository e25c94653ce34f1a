"""The HTML report: self-contained, escaped, and rendered by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from fritekst.rules.codebook import load_codebook
from fritekst.sources.project import CorpusSpec, Project, QuestionSpec, load_project
from fritekst.outputs.report import build_report, make_report
from fritekst.outputs.report_html import PNG_SCRIPT, render_html

DATA = Path(__file__).parent / "data" / "report"
CHROMIUM = Path("/usr/bin/chromium")


def readable(page: str) -> str:
    """The page as a reader sees it: no-break spaces as spaces, without the invisible word joiners."""
    return page.replace("\xa0", " ").replace("\u2060", "")


@pytest.fixture(scope="module")
def html() -> str:
    report = make_report(load_project(DATA / "fritekst.toml"), codings_path=DATA / "refs.csv")
    return render_html(report)


def test_page_is_self_contained_and_needs_no_script(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nb">' in html
    # One inline script, only for the PNG buttons (it draws the page's own SVG; it fetches nothing),
    # at the very end: everything before it reads without scripts.
    assert html.count("<script") == 1 and html.endswith(f"<script>{PNG_SCRIPT}</script></body></html>")
    assert not re.search(r"fetch|XMLHttpRequest|import|http", PNG_SCRIPT)
    page = html.replace(PNG_SCRIPT, "")
    for forbidden in ("<link", "<img", "@import", "url(", "<iframe", "src="):
        assert forbidden not in page
    # The only URL is the SVG namespace, which browsers never fetch.
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}


def test_page_has_the_sections_and_charts_a_reader_expects(html: str) -> None:
    html = readable(html)
    assert "Tabell 1 Planer om å ansette, kommuner uten slike ansatte" in html
    assert "✓ Materialet gjengir tabellen nøyaktig for alle år og svar." in html
    assert "<strong>6 av 8</strong> svarte (75 %)" in html
    assert ("I 2023 fikk 8 spørsmålet og 6 svarte (75 %). Vanligst blant dem som svarte: Økonomi 50 % "
            "(95 % KI 19–81 %)") in html
    # Per question: a theme chart, a trend chart and a heat map. Every group of this small project
    # has fewer than 5 answers in 2023, so each of the two groupings is one line, not blank panels.
    assert html.count("<svg") == 3 * 3
    assert html.count("<h3>Etter fylke (2023)</h3><p class=\"note\">Alle 3 grupper har færre enn 5 svar dette "
                      "året, så andelene vises ikke") == 3
    assert html.count("<h3>Etter kommunestorrelse (2023)</h3><p class=\"note\">Begge gruppene har færre enn "
                      "5 svar dette året, så andelene vises ikke") == 2  # the third question has 3 size groups
    assert html.count("har færre enn 5 svar dette året, så andelene vises ikke") == 3 * 2
    assert html.count('<h3>Utvikling over tid</h3>') == 3
    assert html.count('<h3>Temaer som nevnes sammen</h3>') == 3
    assert ("<blockquote><p>«Kommunen har ikke <mark>økonomi</mark> til nye stillinger.»</p>"
            "<footer>– Respondent 23-3430 · 2023 · Under 5 000 · Innlandet</footer></blockquote>") in html


def test_answers_and_labels_are_escaped() -> None:
    project = Project(path=Path("fritekst.toml"), title="Test <b>rapport</b>",
                      corpus_spec=CorpusSpec(path=Path("svar.csv"), id_column="case_id", year_column="aar"),
                      codebook_paths={"mini": DATA / "mini.yaml"},
                      questions=[QuestionSpec("grunn_nei", "Hvorfor & hvorfor ikke?", "mini",
                                              {"planer": ["Nei"]})],
                      group_by=["fylke"], quotes_per_code=3, seed=1)
    text = "<script>alert('x')</script> for lite penger"
    cases = pd.DataFrame({"case_id": ["1", "2"], "aar": "2023", "planer": "Nei", "fylke": ["<Agder>", "Viken"]})
    answers = pd.DataFrame({"case_id": ["1", "2"], "question": "grunn_nei", "text": [text, "Ingen penger"]})
    start = text.index("penger")
    codings = pd.DataFrame({"case_id": ["1", "2"], "question": "grunn_nei", "code_id": "okonomi",
                            "start": [start, 6], "end": [start + 6, 12]})
    report = build_report(project, cases, answers, codings, {"mini": load_codebook(DATA / "mini.yaml")})
    page = render_html(report)
    assert page.count("<script") == 1 and page.endswith(f"<script>{PNG_SCRIPT}</script></body></html>")
    page = page.replace(f"<script>{PNG_SCRIPT}</script>", "")  # the page's own, for the PNG buttons
    assert "<script" not in page and "<b>" not in page and "<Agder>" not in page
    assert "«&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; for lite <mark>penger</mark>»" in page
    assert "Test &lt;b&gt;rapport&lt;/b&gt;" in page and "Hvorfor &amp; hvorfor ikke?" in page


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.skipif(not CHROMIUM.is_file(),
                    reason="/usr/bin/chromium not installed (Debian: apt-get install chromium); "
                           "the browser rendering of report.html is not checked")
def test_report_renders_in_headless_chromium(html: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={shot}",
               "--window-size=1200,3000", page.as_uri()]
    completed = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")[-2000:]
    assert png_size(shot) == (1200, 3000)
    # A blank or error page compresses to a few kilobytes; this page has tables, charts and text.
    assert shot.stat().st_size > 100_000
