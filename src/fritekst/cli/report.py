"""``fritekst report``: theme frequencies linked to the published tables, in the terminal and as files."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from ..errors import FritekstError
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ..outputs.report import make_report
from ..outputs.report_files import REPORT_FILES, write_report
from ..outputs.report_terminal import terminal_renderables
from ._common import check_run, fail, lang_option, progress_bar, texts


@click.command("report")
@click.option("--project", "project_file", default=DEFAULT_PROJECT_FILE, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The project file to report on.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Folder for report.html, report.xlsx and frequencies.csv (created if missing).")
@click.option("--codings", "codings_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use these codings (a refs.csv) instead of coding the corpus afresh.")
@click.option("--year", "years", multiple=True, help="Only this survey year; repeat for several.")
@click.option("--question", "questions", multiple=True,
              help="Only this question (its column name); repeat for several.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Code afresh: neither read nor write the codings cache in .fritekst/cache/.")
@click.option("--png", is_flag=True,
              help="Also render every chart as charts/<name>.png (the page makes PNGs in the browser "
                   "anyway), and put them in report.docx for Word versions without SVG support.")
@lang_option
def report_command(project_file: Path, out_dir: Path | None, codings_file: Path | None,
                   years: tuple[str, ...], questions: tuple[str, ...], no_cache: bool, png: bool,
                   lang: str | None) -> None:
    """Summarise the themes of every open question and check them against the published tables.

    \b
    Examples:
      fritekst report                      # the project in ./fritekst.toml, to the terminal
      fritekst report --out rapport        # also rapport/report.html, report.xlsx, frequencies.csv
      fritekst report --codings refs.csv --year 2023 --question grunn_nei
      fritekst report --lang en --out report   # in English
    """
    try:
        project = load_project(project_file)
        if out_dir is not None:
            from ..coding.coder import load_project_codebooks  # late: the coder imports spaCy

            check_run([codings_file], [], codebooks=load_project_codebooks(project).values(), project=project,
                      output_folder=out_dir, folder_names=REPORT_FILES)
        tr = texts(lang, project)
        with progress_bar(None, tr("progress_report")) as advance:
            report = make_report(project, codings_path=codings_file, years=list(years) or None,
                                 questions=list(questions) or None, progress=advance,
                                 cache=not no_cache, lang=tr.lang)
        if out_dir is not None:
            write_report(out_dir, report, png=png)
    except FritekstError as exc:
        fail(exc)
    console = Console(highlight=False, soft_wrap=False)
    for item in terminal_renderables(report, out_dir):
        console.print(item)
    if report.warnings:
        click.echo(tr("term_warning_count", n=len(report.warnings)), err=True)
