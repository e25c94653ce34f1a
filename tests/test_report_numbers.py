"""Numbers are never broken across lines: "5 000", "38 %", "37–76 %", "p < 0,001" stay whole in the
terminal tables, the HTML page and report.docx, at any width."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from rich.table import Table

from fritekst.cli import main
from fritekst.outputs.report_terminal import NumberText
from fritekst.outputs.texts import unbreakable_numbers

REPO = Path(__file__).parent.parent
STATEMENT = ("«Hva er viktig for deg» varierer etter kommunestørrelse (2023): fra 8 % (20 000 innbyggere og "
             "over) til 36 % (5 000–19 999 innbyggere) (χ² = 21,7, df = 2, p < 0,001).")
WHOLE = ["8 %", "(20 000", "36 %", "(5 000–19 999", "χ² = 21,7,", "df = 2,", "p < 0,001)."]


def test_the_spaces_inside_a_number_become_no_break_spaces() -> None:
    assert unbreakable_numbers("Under 5 000 innbyggere: 38 %, n = 21, 9 ≠ 8, 37–76 %, 2019 2020") == (
        "Under 5\xa0000 innbyggere: 38\xa0%, n\xa0=\xa021, 9\xa0≠\xa08, 37–\u206076\xa0%, 2019 2020")
    assert unbreakable_numbers("37–76 %", ranges=False) == "37–76\xa0%"  # rich never breaks at a dash


@pytest.mark.parametrize("width", range(24, 100, 3))
def test_the_terminal_wraps_between_numbers_never_inside_one(width: int) -> None:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    grid = Table.grid()
    grid.add_column(width=3)
    grid.add_column()
    grid.add_row("•", NumberText.of(STATEMENT))
    console.print(grid)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    for piece in WHOLE:
        assert any(piece in line for line in lines), (piece, lines)
    assert "\xa0" not in "".join(lines)  # printed with plain spaces


def test_a_column_is_never_narrower_than_its_widest_number() -> None:
    console = Console(width=30, file=io.StringIO(), color_system=None)
    grid = Table(show_header=False)
    grid.add_column()
    grid.add_column()
    grid.add_row(NumberText.of("Svarte i alt i hele landet og i alle år samlet"), NumberText.of("12 345 678"))
    console.print(grid)
    assert "12 345 678" in console.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("numbers") / "rapport"
    result = CliRunner().invoke(main, ["report", "--project", str(REPO / "fritekst.toml"), "--out", str(folder)],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output, folder


def test_the_shipped_examples_group_differences_keep_their_numbers_whole_at_80_columns(shipped) -> None:
    output, _ = shipped
    lines = output.splitlines()
    # "20 000 innbyggere" was printed as "20" at the end of one line and "000 innbyggere" on the next
    broken = [(a, b) for a, b in zip(lines, lines[1:])
              if re.search(r"\d\s*$", a) and re.match(r"\s*(\d{3}\b|%|[<=>] \d)", b)]
    assert broken == []
    differences = output[output.index("Forskjeller mellom grupper"):]
    assert differences.count("20 000 innbyggere") >= 2 and "5 000 innbyggere" in differences


#: A space or a dash inside a number where a line may still break (not a no-break space, no word joiner).
BREAKABLE = re.compile(r"\d [\d]{3}(?!\d)|\d %|\d[–-]\d|\b(?:p|n|df) [=<>]|[=<>≠] \d")


def test_the_html_page_and_the_word_file_keep_numbers_whole(shipped) -> None:
    _, folder = shipped
    page = (folder / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<svg\b.*?</svg>|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", "\n", page, flags=re.S)
    assert BREAKABLE.findall(text) == []
    assert "(95\xa0% KI 41–\u206079\xa0%)" in text  # the lead sentence of grunn_ja (its interval moves with the shipped rules and model)
    assert 'href="charts/grunn_ja-temaer.svg"' in page  # attributes are left as written
    with zipfile.ZipFile(folder / "report.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    words = "\n".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body))
    assert BREAKABLE.findall(words) == []
    assert "95\xa0% KI" in words
