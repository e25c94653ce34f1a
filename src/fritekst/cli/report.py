"""``fritekst report``: theme frequencies linked to the published tables, in the terminal and as files."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console

from ..errors import FritekstError
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ._common import check_run, fail, lang_option, progress_bar, refuse_codebook_as_project, texts

#: The cyclic collector's first threshold while a report runs (Python's default is 700 objects).
COLLECT_EVERY = 10_000


def collect_less() -> Callable[[], None]:
    """Let the cyclic garbage collector run less often during a report, which makes few cycles.

    With Python's defaults a first report on the shipped example spent ~0.3 s of CPU (about a tenth
    of its whole CPU) in the collector, most of it in full collections that walk every object
    pandas and spaCy left behind when imported: they live until the process ends. A young
    generation of 10,000 objects instead of 700 and, once the libraries are imported, moving what
    exists into the permanent generation (:func:`gc.freeze`; it is still freed by reference
    counting) bring that to ~0.1 s. Memory is unaffected: only cyclic garbage waits longer, and at
    most 10,000 objects of it. Returns what puts the collector back as it was (for a command run
    inside another program, such as a test).
    """
    before = gc.get_threshold()
    gc.set_threshold(COLLECT_EVERY, 10, 10)

    def restore() -> None:
        gc.unfreeze()
        gc.set_threshold(*before)

    return restore


@click.command("report")
@click.option("--project", "project_file", default=DEFAULT_PROJECT_FILE, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), callback=refuse_codebook_as_project,
              help="The project file to report on.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), metavar="FOLDER",
              help="Folder for report.html, report.xlsx, report.docx, frequencies.csv and charts/ (created if "
                   "missing); default: the terminal only.")
@click.option("--codings", "codings_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use these codings (a refs.csv) instead of coding the corpus afresh.")
@click.option("--year", "years", multiple=True, metavar="YEAR", help="Only this survey year; repeat for several.")
@click.option("--question", "questions", multiple=True, metavar="COLUMN",
              help="Only this question (its column name); repeat for several.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Code afresh and render every chart picture: neither read nor write the cache in "
                   ".fritekst/cache/.")
@click.option("--png", is_flag=True,
              help="Also render every chart as charts/<name>.png at twice its size (the page's PNG "
                   "buttons make them in the browser anyway), and put these sharper pictures in report.docx "
                   "for readers that do not draw its SVG charts (LibreOffice, Word before 2016).")
@lang_option
def report_command(project_file: Path, out_dir: Path | None, codings_file: Path | None,
                   years: tuple[str, ...], questions: tuple[str, ...], no_cache: bool, png: bool,
                   lang: str | None) -> None:
    """Summarise the themes of every open question and check them against the published tables.

    \b
    Examples:
      fritekst report                      # the project in ./fritekst.toml, to the terminal
      fritekst report --out rapport        # also rapport/report.html, .xlsx, .docx, frequencies.csv
      fritekst report --codings refs.csv --year 2023 --question grunn_nei
      fritekst report --lang en --out report   # in English
    """
    restore_collector = collect_less()
    try:
        _report(project_file, out_dir, codings_file, years, questions, no_cache, png, lang)
    finally:
        restore_collector()


def _report(project_file: Path, out_dir: Path | None, codings_file: Path | None, years: tuple[str, ...],
            questions: tuple[str, ...], no_cache: bool, png: bool, lang: str | None) -> None:
    try:
        project = load_project(project_file)  # a missing or broken project file fails before any import
        # Imported only now, after collect_less(): importing pandas alone made the collector walk
        # its young objects ~200 times with the default threshold.
        from ..coding.coder import load_project_codebooks  # the coder imports spaCy
        from ..outputs.report import make_report
        from ..outputs.report_files import REPORT_FILES, write_report

        codebooks = load_project_codebooks(project)
        if out_dir is not None:
            check_run([codings_file], [], codebooks=codebooks.values(), project=project,
                      output_folder=out_dir, folder_names=REPORT_FILES)
        gc.freeze()  # the libraries and codebooks, which stay until the process ends
        tr = texts(lang, project)
        with progress_bar(None, tr("progress_report")) as advance:
            report = make_report(project, codings_path=codings_file, years=list(years) or None,
                                 questions=list(questions) or None, progress=advance,
                                 cache=not no_cache, lang=tr.lang, codebooks=codebooks)
        if out_dir is not None:
            from ..outputs.report_files import raster_cache_for

            pictures = None if no_cache else raster_cache_for(project.root, project.corpus_spec.path, png=png)
            write_report(out_dir, report, png=png, raster_cache=pictures)
    except FritekstError as exc:
        fail(exc)
    from ..outputs.report_terminal import terminal_renderables

    console = Console(highlight=False, soft_wrap=False)
    for item in terminal_renderables(report, out_dir):
        console.print(item)
    if report.warnings:
        click.echo(tr("term_warning_count", n=len(report.warnings)), err=True)
