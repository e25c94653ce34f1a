"""``fritekst code``: code a corpus against codebooks and write NVivo-like references (and a matrix).

A thin command over :mod:`fritekst.coding.pipeline`, which reads, checks, codes and writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

import click

from ..coding.pipeline import CodeOutputs, CodeRun, code_input, code_project_run
from ..errors import FritekstError
from ..sources.corpus import EXCEL_SUFFIXES
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ._common import (UserError, WholeNumber, fail, lang_option, progress_bar, refuse_codebook_as_project,
                      refuse_project_as_codebook, texts)


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


@click.command("code")
@click.argument("input_file", metavar="INPUT", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--codebook", "codebook_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              callback=refuse_project_as_codebook,
              help="YAML codebook; repeat to code with several. Needed with INPUT.")
@click.option("--id-column", help="Column that identifies a respondent. Needed with INPUT.")
@click.option("--text-column", "text_columns", multiple=True,
              help="Column with open answers (a question); repeat for several. Needed with INPUT.")
@click.option("--attribute", "attributes", multiple=True,
              help="Attribute column to carry into the references and the matrix; repeatable. Default: "
                   "none (another question's free text must not travel along). Without INPUT: the "
                   "project's [corpus] attributes.")
@click.option("--out", "out", default="refs.csv", show_default=True, type=click.Path(path_type=Path),
              help="Coding references, one row per coding: CSV (UTF-8 with BOM), or Excel when it ends in .xlsx.")
@click.option("--matrix", type=click.Path(path_type=Path),
              help="Also write a cases × codes 0/1 matrix: CSV, or Excel (code labels in the header) for .xlsx.")
@click.option("--excel-nb", "excel_nb", is_flag=True,
              help="Write CSV for Excel with Norwegian settings: ';' between fields, decimal comma.")
@click.option("--encoding", help="Text encoding of a CSV input (default: UTF-8, else Windows-1252).")
@click.option("--sep", help="CSV separator (default: sniffed from the header).")
@click.option("--sheet", help="Excel sheet name (default: the first sheet).")
@click.option("--project", "project_file", type=click.Path(dir_okay=False, path_type=Path),
              callback=refuse_codebook_as_project,
              help=f"Code the questions of a project file instead (default when INPUT is omitted: "
                   f"{DEFAULT_PROJECT_FILE}).")
@click.option("--hand", "hand_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Hand-coding file (refs format, method=manual, optional decision yes/no) merged over "
                   "the automatic coding: hand decisions always win. Repeatable.")
@click.option("--jobs", default=1, show_default=True, type=WholeNumber(min=0),
              help="Worker processes (0 = one per CPU core).")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="With a project: neither read nor write the codings cache in .fritekst/cache/.")
@lang_option
def code_command(input_file: Path | None, codebook_files: tuple[Path, ...], id_column: str | None,
                 text_columns: tuple[str, ...], attributes: tuple[str, ...], out: Path,
                 matrix: Path | None, encoding: str | None, sep: str | None, sheet: str | None,
                 project_file: Path | None, hand_files: tuple[Path, ...], jobs: int, excel_nb: bool,
                 no_cache: bool, lang: str | None) -> None:
    """Code every answer in INPUT (CSV, Excel, SPSS, Stata, Parquet) with the codebooks' rules.

    \b
    Example:
      fritekst code corpus/svar.csv --codebook codebooks/ansette.yaml \\
          --id-column case_id --text-column grunn_nei --out refs.csv --matrix matrix.csv

    Without INPUT, codes the questions named in fritekst.toml, each with its own codebook.

    The references and the matrix carry the id, the attribute columns named with --attribute (with a
    project: its [corpus] attributes, else the columns it names) and the codes, nothing else.
    """
    if input_file is None:
        ignored = [flag for flag, value in (("--codebook", codebook_files), ("--id-column", id_column),
                                            ("--text-column", text_columns), ("--attribute", attributes),
                                            ("--encoding", encoding), ("--sep", sep), ("--sheet", sheet))
                   if value]
        if ignored:
            raise UserError(f"{', '.join(ignored)} describe INPUT, and no INPUT was given; name the "
                            "file to code, or set these in the project file (fritekst.toml)")
    else:
        _check_input_options(codebook_files, id_column, text_columns)
        if sheet is not None and input_file.suffix.lower() not in EXCEL_SUFFIXES:
            # it was silently ignored: the researcher believed a sheet was chosen
            raise click.UsageError(f"--sheet {sheet}: {input_file} is not an Excel workbook (.xlsx, .xlsm), "
                                   "so it has no sheets; leave out --sheet")
    try:
        # The library checks every path first, so a bad file fails in a second, not after coding.
        if input_file is None:
            project = load_project(project_file or Path(DEFAULT_PROJECT_FILE))
            lang = lang or project.lang
            run = code_project_run(project, _outputs(out, matrix, excel_nb, lang), hand_files=hand_files,
                                   jobs=jobs, cache=not no_cache, progress=_progress)
        else:
            run = code_input(input_file, codebook_files, str(id_column), text_columns,
                             _outputs(out, matrix, excel_nb, lang), attributes=attributes,
                             hand_files=hand_files, encoding=encoding, sep=sep, sheet=sheet,
                             project_file=project_file, jobs=jobs, progress=_progress)
    except FritekstError as exc:
        fail(exc)
    _print_summary(run, out, matrix, lang)
    if run.merge_report is not None:
        merged = run.merge_report
        click.echo(texts(lang)("hand_merged", confirmed=merged.confirmed, overruled=merged.overruled,
                               added=merged.added))
        for note in run.merge_report.moved:
            click.echo(f"Note: {note}")


def _outputs(out: Path, matrix: Path | None, excel_nb: bool, lang: str | None) -> CodeOutputs:
    tr = texts(lang)
    return CodeOutputs(out, matrix, excel_nb, refs_sheet=tr("code_sheet_refs"), matrix_sheet=tr("code_sheet_matrix"))


def _progress(total: int | None) -> AbstractContextManager[Callable[[int], None]]:
    return progress_bar(total, "Coding")


def _check_input_options(codebook_files: tuple[Path, ...], id_column: str | None,
                         text_columns: tuple[str, ...]) -> None:
    missing = [flag for flag, value in (("--codebook", codebook_files), ("--id-column", id_column),
                                        ("--text-column", text_columns)) if not value]
    if missing:
        raise click.UsageError(f"INPUT needs {', '.join(missing)}; see 'fritekst code --help'")


def _print_summary(run: CodeRun, out: Path, matrix: Path | None, lang: str | None) -> None:
    summary: Mapping[str, Mapping[str, int]] = run.summary
    tr = texts(lang)
    head = [tr(f"code_col_{key}") for key in ("question", "answers", "empty", "coded", "uncoded", "codings")]
    width = max([len(head[0]), *map(len, summary)])
    widths = [max(len(name), 5) for name in head[1:]]
    shown = ENCODING_NAMES.get(run.encoding or "", run.encoding)
    click.echo(tr("code_read", n=run.n_cases, source=run.source) + (tr("code_encoding", encoding=shown) if shown else ""))
    click.echo(f"{head[0]:<{width}}" + "".join(f"  {name:>{w}}" for name, w in zip(head[1:], widths)))
    for question, row in summary.items():
        cells = [row[key] for key in ("answers", "empty", "coded", "uncoded", "codings")]
        click.echo(f"{question:<{width}}" + "".join(f"  {cell:>{w}}" for cell, w in zip(cells, widths)))
    click.echo(tr("code_wrote_refs", n=run.n_codings, path=out))
    if matrix:
        click.echo(tr("code_wrote_matrix", path=matrix))
