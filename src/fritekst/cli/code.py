"""``fritekst code``: code a corpus against codebooks and write NVivo-like references (and a matrix)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..rules.codebook import load_codebook
from ..coding.coder import (apply_hand_codings, code_corpus, code_project, load_project_codebooks,
                            load_project_corpus, read_hand_codings)
from ..coding.decisions import annotate_refs
from ..sources.corpus import CSV_SUFFIXES, keep_attributes, load_corpus
from ..errors import FritekstError
from ..coding.refs import coding_summary, matrix_frame, matrix_labels, refs_frame, write_tables
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ..coding.stream import code_csv_streaming
from ._common import UserError, check_run, fail, lang_option, progress_bar, texts

if TYPE_CHECKING:
    import pandas as pd


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


@click.command("code")
@click.argument("input_file", metavar="INPUT", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--codebook", "codebook_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="YAML codebook; repeat to code with several.")
@click.option("--id-column", help="Column that identifies a respondent.")
@click.option("--text-column", "text_columns", multiple=True,
              help="Column with open answers (a question); repeat for several.")
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
              help=f"Code the questions of a project file instead (default when INPUT is omitted: "
                   f"{DEFAULT_PROJECT_FILE}).")
@click.option("--hand", "hand_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Hand-coding file (refs format, method=manual, optional decision yes/no) merged over "
                   "the automatic coding: hand decisions always win. Repeatable.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(min=0),
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
    merge_report = None
    if input_file is None:
        ignored = [flag for flag, value in (("--codebook", codebook_files), ("--id-column", id_column),
                                            ("--text-column", text_columns), ("--attribute", attributes),
                                            ("--encoding", encoding), ("--sep", sep), ("--sheet", sheet))
                   if value]
        if ignored:
            raise UserError(f"{', '.join(ignored)} describe INPUT, and no INPUT was given; name the "
                            "file to code, or set these in the project file (fritekst.toml)")
    use_cache = not no_cache
    try:
        plain = not excel_nb and not any(str(p).lower().endswith(".xlsx") for p in (out, matrix) if p)
        assignment = None
        labels: dict[str, str] = {}
        if input_file is not None:
            _check_input_options(codebook_files, id_column, text_columns)
            check_run([input_file, *hand_files, *codebook_files, project_file], [out, matrix])
            codebooks = [load_codebook(path) for path in codebook_files]
            check_run([input_file, *hand_files, *codebook_files, project_file], [out, matrix],
                      codebooks=codebooks)
        if input_file is not None and plain and _streamable(input_file, hand_files):
            # CSV without hand codings: stream it in chunks, so memory does not grow with the corpus.
            with progress_bar(None, "Coding") as advance:
                streamed = code_csv_streaming(input_file, codebooks, str(id_column), list(text_columns),
                                              out, matrix, attribute_columns=list(attributes),
                                              encoding=encoding, sep=sep, jobs=jobs, progress=advance)
            _print_summary(streamed.source, streamed.encoding, streamed.n_cases, streamed.questions,
                           streamed.n_codings, out, matrix, lang)
            return
        # Everything is read and checked before coding, so a bad file fails in a second, not after it.
        if input_file is None:
            project = load_project(project_file or Path(DEFAULT_PROJECT_FILE))
            named = load_project_codebooks(project)
            codebooks = list(named.values())
            check_run([*hand_files], [out, matrix], codebooks=codebooks, project=project)
            corpus = load_project_corpus(project)
            hand_files = (*project.hand_codings, *hand_files)
            assignment = {q.column: [named[q.codebook].id] for q in project.questions}
            labels = {q.column: q.label for q in project.questions}
            hand = read_hand_codings(corpus, codebooks, hand_files)
            with progress_bar(None, "Coding") as advance:
                corpus, named, codings = code_project(project, jobs=jobs, progress=advance,
                                                      hand_codings=False, corpus=corpus,
                                                      codebooks=named, cache=use_cache)
            corpus = keep_attributes(corpus, project.attributes)
            lang = lang or project.lang
        else:
            corpus = load_corpus(input_file, str(id_column), list(text_columns),
                                 list(attributes), encoding=encoding, sep=sep, sheet=sheet)
            hand = read_hand_codings(corpus, codebooks, hand_files)
            with progress_bar(len(corpus.answers), "Coding") as advance:
                codings = code_corpus(corpus, codebooks, jobs=jobs, progress=advance)
        if hand is not None:
            codings, merge_report = apply_hand_codings(codings, corpus, hand)
        # Build every output in memory first so a failure leaves no output half-written.
        # notes and memos written in the workbench (fritekst serve) travel with the references
        refs = annotate_refs(refs_frame(codings, corpus, codebooks), list(hand_files))
        grid = matrix_frame(codings, corpus, codebooks, assignment) if matrix else None
        tr = texts(lang)
        tables: list[tuple[pd.DataFrame, Path, dict[str, Any]]] = [
            (refs, out, {"excel_nb": excel_nb, "sheet": tr("code_sheet_refs")})]
        if grid is not None and matrix is not None:
            tables.append((grid, matrix, {"excel_nb": excel_nb, "sheet": tr("code_sheet_matrix"),
                                          "header": matrix_labels(corpus, codebooks, assignment, labels)}))
        write_tables(tables)  # refs and matrix together or not at all
    except FritekstError as exc:
        fail(exc)
    _print_summary(corpus.source, corpus.encoding, len(corpus.cases), coding_summary(codings, corpus),
                   len(codings), out, matrix, lang)
    if merge_report is not None:
        click.echo(merge_report.summary())
        for note in merge_report.moved:
            click.echo(f"Note: {note}")


def _streamable(input_file: Path, hand_files: tuple[Path, ...]) -> bool:
    """CSV inputs are streamed; hand codings need the whole corpus in memory to be merged."""
    return input_file.suffix.lower() in CSV_SUFFIXES and not hand_files


def _check_input_options(codebook_files: tuple[Path, ...], id_column: str | None,
                         text_columns: tuple[str, ...]) -> None:
    missing = [flag for flag, value in (("--codebook", codebook_files), ("--id-column", id_column),
                                        ("--text-column", text_columns)) if not value]
    if missing:
        raise click.UsageError(f"INPUT needs {', '.join(missing)}; see 'fritekst code --help'")


def _print_summary(source: Path, encoding: str | None, n_cases: int,
                   summary: Mapping[str, Mapping[str, int]], n_codings: int, out: Path,
                   matrix: Path | None, lang: str | None) -> None:
    tr = texts(lang)
    head = [tr(f"code_col_{key}") for key in ("question", "answers", "empty", "coded", "uncoded", "codings")]
    width = max([len(head[0]), *map(len, summary)])
    widths = [max(len(name), 5) for name in head[1:]]
    shown = ENCODING_NAMES.get(encoding or "", encoding)
    click.echo(tr("code_read", n=n_cases, source=source) + (tr("code_encoding", encoding=shown) if shown else ""))
    click.echo(f"{head[0]:<{width}}" + "".join(f"  {name:>{w}}" for name, w in zip(head[1:], widths)))
    for question, row in summary.items():
        cells = [row[key] for key in ("answers", "empty", "coded", "uncoded", "codings")]
        click.echo(f"{question:<{width}}" + "".join(f"  {cell:>{w}}" for cell, w in zip(cells, widths)))
    click.echo(tr("code_wrote_refs", n=n_codings, path=out))
    if matrix:
        click.echo(tr("code_wrote_matrix", path=matrix))
