"""`fritekst report`/`code` pipeline: validate first, code only what was asked, the codings cache."""

from __future__ import annotations

import csv
import io
import os
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main
from fritekst.coding import coder
from fritekst.coding.cache import cache_dir

def invoke(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


def count_coded(monkeypatch) -> list[int]:
    """Record how many answers each call of code_corpus codes."""
    seen: list[int] = []
    real = coder.code_corpus

    def spy(corpus, *args, **kwargs):
        seen.append(len(corpus.answers))
        return real(corpus, *args, **kwargs)

    monkeypatch.setattr(coder, "code_corpus", spy)
    return seen


def test_year_and_question_code_only_those_answers(project: Path, monkeypatch) -> None:
    seen = count_coded(monkeypatch)
    result = invoke("report", "--project", str(project), "--year", "2023", "--question", "grunn_nei",
                    "--no-cache")
    assert result.exit_code == 0, result.output
    with open(project.parent / "svar.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = sum(1 for r in rows if r["aar"] == "2023" and r["grunn_nei"].strip())
    assert seen == [expected] and 0 < expected < len(rows)
    assert not cache_dir(project.parent).exists()     # --no-cache writes nothing


def test_cache_hit_codes_nothing_and_one_changed_codebook_recodes_its_questions(project: Path,
                                                                               monkeypatch) -> None:
    first = invoke("report", "--project", str(project), "--out", str(project.parent / "a"))
    assert first.exit_code == 0, first.output
    files = sorted(p.name for p in cache_dir(project.parent).glob("*.csv"))
    assert [f.split(".")[0] for f in files] == ["grunn_ja", "grunn_nei", "grunn_vet_ikke"]
    # beside them, the charts' pictures for report.docx (test_report_rasters.py)
    pictures = len(list(cache_dir(project.parent).glob("chart-*.png")))
    assert pictures == len(list((project.parent / "a" / "charts").glob("*.svg"))) == 9
    seen = count_coded(monkeypatch)
    second = invoke("report", "--project", str(project), "--out", str(project.parent / "b"))
    assert second.exit_code == 0 and seen == []      # everything from the cache
    for name in ("frequencies.csv", "report.html"):
        assert (project.parent / "a" / name).read_bytes() == (project.parent / "b" / name).read_bytes()
    # Editing the codebook recodes its questions (here all three share it) and replaces the entries.
    book = project.parent / "mini.yaml"
    book.write_text(book.read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8")
    third = invoke("report", "--project", str(project))
    assert third.exit_code == 0 and len(seen) == 1
    assert len(list(cache_dir(project.parent).glob("*.csv"))) == 3
    cleared = invoke("cache", "clear", "--project", str(project))
    assert (cleared.exit_code, cleared.output) == (0, f"Slettet 12 filer fra kodingsbufferen i "
                                                      f"{cache_dir(project.parent)}\n")
    assert not (project.parent / ".fritekst").exists()


@pytest.mark.parametrize("args, named", [(["--project", "fritekst.tom"], "fritekst.tom"),  # a typo
                                         ([], "fritekst.toml")])  # no project in the folder
def test_cache_clear_without_a_project_file_is_an_error_and_keeps_nothing_else(
        project: Path, monkeypatch, args: list[str], named: str) -> None:
    # It printed "Slettet 0 filer" with exit 0, which reads as if the cache were gone.
    folder = project.parent
    assert invoke("code", "--project", str(project), "--out", str(folder / "refs_ut.csv")).exit_code == 0
    entries = sorted(cache_dir(folder).iterdir())
    project.rename(folder / "gammel.toml")
    monkeypatch.chdir(folder)
    result = invoke("cache", "clear", *args)
    assert (result.exit_code, result.output) == (
        2, f"Error: {named}: project file not found; run from the project folder or give the project file's "
           "path (see --project, docs/project-file.md) [E301]\n")
    assert sorted(cache_dir(folder).iterdir()) == entries and entries


def test_cache_clear_refuses_a_codebook_for_the_project(project: Path) -> None:
    book = project.parent / "mini.yaml"
    result = invoke("cache", "clear", "--project", str(book))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {book}: this is a codebook, not a project file (fritekst.toml)")


def test_cache_files_are_no_more_readable_than_the_corpus(project: Path) -> None:
    os.chmod(project.parent / "svar.csv", 0o600)
    assert invoke("code", "--project", str(project), "--out", str(project.parent / "refs_ut.csv")).exit_code == 0
    folder = cache_dir(project.parent)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}


def test_a_missing_hand_file_fails_before_any_coding(project: Path, monkeypatch) -> None:
    seen = count_coded(monkeypatch)
    started = time.perf_counter()
    result = invoke("code", "--project", str(project), "--hand", str(project.parent / "mangler.csv"),
                    "--out", str(project.parent / "refs_ut.csv"))
    assert result.exit_code == 2 and "mangler.csv" in result.output
    assert seen == [] and time.perf_counter() - started < 5


def test_a_filter_value_that_never_occurs_exits_2_naming_the_values(project: Path, monkeypatch) -> None:
    toml = project.read_text(encoding="utf-8").replace('asked_if = { planer_ansette = "Nei" }',
                                                       'asked_if = { planer_ansette = "nei" }')
    project.write_text(toml, encoding="utf-8")
    seen = count_coded(monkeypatch)
    for command in (["report"], ["check"]):
        result = invoke(*command, "--project", str(project))
        assert result.exit_code == 2, result.output
        assert ("[[questions]] grunn_nei asked_if: planer_ansette = 'nei' never occurs in the corpus "
                "(planer_ansette has 'Ja', 'Nei', 'Vet ikke')") in result.output
    assert seen == []


COLUMNS = "aar, kommunenr, kommune, fylke, kommunestorrelse, ansatt_erfaring, planer_ansette"


@pytest.mark.parametrize("setting, misspelt, where, column", [
    ('year_column = "aar"', 'year_column = "år"', "[corpus] year_column", "år"),
    ('column = "planer_ansette"', 'column = "planer"', "[[tables]] tabell column", "planer"),
    ('asked_if = { planer_ansette = "Nei" }', 'asked_if = { planer = "Nei" }', "[[questions]] grunn_nei asked_if",
     "planer"),
    ('group_by = ["kommunestorrelse", "fylke"]', 'group_by = ["kommunestorrelse", "fylket"]',
     "[report] group_by", "fylket"),
])
def test_a_column_the_corpus_lacks_is_named_by_the_project_file_and_key(
        project: Path, monkeypatch, setting: str, misspelt: str, where: str, column: str) -> None:
    # One message from one place for every column the project file names, in report and check
    # alike; a misspelt year_column with --year used to read "no respondents in year 2022".
    toml = project.read_text(encoding="utf-8")
    assert toml.count(setting) == 1
    project.write_text(toml.replace(setting, misspelt), encoding="utf-8")
    seen = count_coded(monkeypatch)
    for command in (["report"], ["report", "--year", "2022"], ["check"]):
        result = invoke(*command, "--project", str(project))
        assert result.exit_code == 2, result.output
        assert result.output.splitlines()[-1] == (
            f"Error: {project}: {where}: the corpus has no column {column!r} (columns: {COLUMNS}); "
            "use one of those column names [E304]")
    assert seen == []


def _full_disk(*_args, **_kwargs):
    from fritekst.errors import OutputError

    raise OutputError("out: cannot write (No space left on device); free some disk space", code="E501")


@pytest.mark.parametrize("command, module, function", [
    (["code", "--out", "refs.csv", "--matrix", "matrix.xlsx"], "fritekst.coding.refs", "write_xlsx"),
    (["report", "--out", "rapport"], "fritekst.outputs.report_files", "render_outputs"),
], ids=["code", "report"])
def test_a_run_that_fails_after_coding_leaves_no_new_cache_entry(project: Path, monkeypatch, command,
                                                                  module, function) -> None:
    import importlib

    seen = count_coded(monkeypatch)
    monkeypatch.chdir(project.parent)  # the outputs go into the project's folder
    writer = importlib.import_module(module)
    real = getattr(writer, function)
    monkeypatch.setattr(writer, function, _full_disk)
    failed = invoke(*command, "--project", str(project))
    assert failed.exit_code == 2 and "No space left on device" in failed.output, failed.output
    assert len(seen) == 1                                # it did code, and then failed to write
    assert not cache_dir(project.parent).exists()
    # The same run with the outputs writable stores the entries (so the test above can fail).
    monkeypatch.setattr(writer, function, real)
    assert invoke(*command, "--project", str(project)).exit_code == 0
    assert len(list(cache_dir(project.parent).glob("*.csv"))) == 3


def test_a_rerun_into_the_same_folder_renders_only_what_changed(project: Path,
                                                                monkeypatch) -> None:
    from openpyxl import load_workbook

    from fritekst.outputs import report_files, report_xlsx

    out = project.parent / "rapport"
    (out / "charts").mkdir(parents=True)
    (out / "charts" / "gammel.png").write_bytes(b"\x89PNG from an earlier version")
    (out / "charts" / "notat.txt").write_text("the researcher's own file", encoding="utf-8")
    assert invoke("report", "--project", str(project), "--out", str(out)).exit_code == 0
    charts = sorted(p.name for p in (out / "charts").iterdir())
    # only SVGs are written (the page makes PNGs in the browser); a stale chart goes, other files stay
    assert len(charts) > 2 and "notat.txt" in charts and not [c for c in charts if c.endswith(".png")]

    sheets: list[str] = []
    real_write = report_xlsx.write_workbook
    monkeypatch.setattr(report_xlsx, "write_workbook", lambda plans, *a, **k: sheets.extend(p.name for p in plans)
                        or real_write(plans, *a, **k))
    workbook = (out / "report.xlsx").read_bytes()
    words: list[str] = []
    real_docx = report_files.render_docx
    monkeypatch.setattr(report_files, "render_docx", lambda *a, **k: words.append("docx") or real_docx(*a, **k))
    docx = (out / "report.docx").read_bytes()
    assert invoke("report", "--project", str(project), "--out", str(out)).exit_code == 0
    assert words == [] and (out / "report.docx").read_bytes() == docx  # the same page and charts
    assert sheets == [] and (out / "report.xlsx").read_bytes() == workbook  # the same sheets

    # a workbook that is not the one the plan describes is written again
    (out / "report.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    assert invoke("report", "--project", str(project), "--out", str(out)).exit_code == 0
    assert sheets  # written again (a new file: zip entries carry the time they were written)
    assert load_workbook(out / "report.xlsx").sheetnames == sheets

    # a page that differs from the last run's (as after editing a code) makes the Word file again,
    # and so does a Word file that some other writer made from the same page
    page = (out / "report.html").read_text(encoding="utf-8")
    (out / "report.html").write_text(page.replace("<h1>", "<h1>x"), encoding="utf-8")
    assert invoke("report", "--project", str(project), "--out", str(out)).exit_code == 0
    assert words == ["docx"] and (out / "report.html").read_text(encoding="utf-8") == page
    monkeypatch.setattr(report_files, "WRITER_DIGEST", "another-writer")
    assert invoke("report", "--project", str(project), "--out", str(out)).exit_code == 0
    assert words == ["docx", "docx"]


def test_png_renders_every_chart_once_and_puts_them_in_the_word_file(project: Path, monkeypatch) -> None:
    import zipfile

    import docx

    from fritekst.outputs import report_files, report_rasters

    rendered: list[str] = []
    real = report_files.chart_png
    # --no-cache: only the last report's files are reused here (the project's cache of pictures is
    # test_report_rasters.py's). Rendered in this process, so that the calls are counted here (test_report_rasters.py checks
    # that the child renders the same bytes)
    monkeypatch.setattr(report_rasters, "_fork_allowed", lambda: False)
    monkeypatch.setattr(report_files, "chart_png", lambda svg: rendered.append(svg) or real(svg))
    out = project.parent / "rapport"

    def media() -> dict[str, bytes]:
        with zipfile.ZipFile(out / "report.docx") as archive:
            return {n: archive.read(n) for n in archive.namelist() if n.startswith("word/media/")}

    assert invoke("report", "--project", str(project), "--out", str(out), "--png", "--no-cache").exit_code == 0
    svgs = sorted(p.stem for p in (out / "charts").glob("*.svg"))
    pngs = {p.stem: p.read_bytes() for p in (out / "charts").glob("*.png")}
    assert sorted(pngs) == svgs and len(rendered) == len(svgs) > 2
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pngs.values())
    # Word carries each chart twice: the SVG, and its PNG for readers without SVG support
    images = media()
    assert sum(n.endswith(".svg") for n in images) == len(svgs)
    assert {b for n, b in images.items() if n.endswith(".png")} == set(pngs.values())
    assert len(docx.Document(str(out / "report.docx")).inline_shapes) == len(svgs)

    rendered.clear()
    assert invoke("report", "--project", str(project), "--out", str(out), "--png", "--no-cache").exit_code == 0
    assert rendered == []  # unchanged charts keep their PNGs
    assert {p.stem: p.read_bytes() for p in (out / "charts").glob("*.png")} == pngs
    changed = svgs[0]
    (out / "charts" / f"{changed}.svg").write_text("<svg/>", encoding="utf-8")
    assert invoke("report", "--project", str(project), "--out", str(out), "--png", "--no-cache").exit_code == 0
    assert len(rendered) == 1 and (out / "charts" / f"{changed}.png").read_bytes() == pngs[changed]

    # without --png the PNGs go (they would go stale), and Word gets each chart at its own size,
    # rendered for the Word file alone at 3/4 of its size (the --png files are at twice the size)
    assert invoke("report", "--project", str(project), "--out", str(out), "--no-cache").exit_code == 0
    assert not list((out / "charts").glob("*.png"))
    from PIL import Image

    def sizes(images) -> set[tuple[int, int]]:
        return {Image.open(io.BytesIO(b)).size for b in images}

    stand_ins = [b for n, b in media().items() if n.endswith(".png")]  # identical images are stored once
    assert len(stand_ins) > 2 and not set(stand_ins) & set(pngs.values())
    full = sizes(pngs.values())
    assert all(any(abs(w - fw * 0.375) <= 1 and abs(h - fh * 0.375) <= 1 for fw, fh in full)
               for w, h in sizes(stand_ins))
