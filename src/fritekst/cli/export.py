"""``fritekst export``: hand codebooks and coded answers on to NVivo, ATLAS.ti, MAXQDA or QualCoder.

``fritekst export qdpx OUT.qdpx`` writes a REFI-QDA project; ``fritekst export qdc OUT.qdc`` writes a
REFI-QDA codebook. See docs/refi-qda.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..rules.codebook import Codebook, load_codebook
from ..errors import FritekstError
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ..outputs.refi import project_export_inputs, project_memos, write_qdpx
from ..outputs.refi_qdc import repeated_labels, write_qdc
from ..outputs.refi_xml import parse_timestamp
from ._common import (UserError, WholeNumber, check_run, fail, lang_option, progress_bar,
                      refuse_codebook_as_project, texts)

PROJECT_HELP = f"Project file naming the corpus, questions and codebooks (default: {DEFAULT_PROJECT_FILE})."


@click.group("export")
def export_group() -> None:
    """Export codebooks and codings in the REFI-QDA exchange format (NVivo, ATLAS.ti, MAXQDA, QualCoder)."""


@export_group.command("qdpx", short_help="Export answers, codings and cases as a REFI-QDA project (.qdpx).")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project_file", type=click.Path(dir_okay=False, path_type=Path),
              callback=refuse_codebook_as_project, help=PROJECT_HELP)
@click.option("--codings", "codings_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Export these codings (refs.csv or a hand-coding file) instead of coding afresh.")
@click.option("--title", help="Project name in the receiving program (default: the project's title).")
@click.option("--timestamp",
              help="Creation time to write, ISO 8601 (e.g. 2024-05-31T14:00:00Z); default: none, "
                   "which keeps the file byte-for-byte reproducible.")
@click.option("--jobs", default=1, show_default=True, type=WholeNumber(min=0),
              help="Worker processes when coding afresh (0 = one per CPU core).")
@click.option("--granularity", type=click.Choice(["span", "answer"]), default="span", show_default=True,
              help="span: one selection per code per coded span (a code's overlapping spans merged); "
                   "answer: one selection per code over the whole answer.")
@click.option("--offsets", type=click.Choice(["codepoints", "utf16"]), default="codepoints", show_default=True,
              help="How positions count: code points (the standard; ATLAS.ti, MAXQDA, QualCoder) or UTF-16 "
                   "units (NVivo).")
@click.option("--documents", type=click.Choice(["answer", "respondent"]), default="answer", show_default=True,
              help="One document per answer, or one per respondent with a section per question "
                   "(like NVivo's survey import).")
@lang_option
def qdpx_command(out: Path, project_file: Path | None, codings_file: Path | None, title: str | None,
                 timestamp: str | None, jobs: int, granularity: str, offsets: str, documents: str,
                 lang: str | None) -> None:
    """Write the project's answers, codes, codings and cases as a REFI-QDA project (OUT.qdpx).

    Memos written in the workbench (the memo files of the hand codings, or of the --codings file)
    go along as notes on their answers and codes.

    \b
    Examples:
      fritekst export qdpx svar.qdpx
      fritekst export qdpx svar.qdpx --codings refs.csv --project fritekst.toml
    """
    try:
        stamp = parse_timestamp(timestamp) if timestamp is not None else None
        project = load_project(project_file or Path(DEFAULT_PROJECT_FILE))
        check_run([codings_file], [out], codebooks=_codebooks_of(project), project=project)
        if codings_file is None:
            with progress_bar(None, "Coding") as advance:
                corpus, codebooks, codings, labels = project_export_inputs(project, jobs=jobs, progress=advance)
        else:
            corpus, codebooks, codings, labels = project_export_inputs(project, codings_file)
        summary = write_qdpx(out, corpus, codebooks, codings, labels, title or project.title,
                             timestamp=stamp, granularity=granularity, offsets=offsets, documents=documents,
                             memos=project_memos(project, codings_file))
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang, project)
    what = tr("export_answers" if documents == "answer" else "export_respondent_documents")
    notes = tr("export_note_one") if summary.notes == 1 else tr("export_note_many", n=summary.notes)
    click.echo(tr("export_qdpx", path=out, sources=summary.sources, what=what, cases=summary.cases,
                  codings=summary.codings, selections=summary.selections, codes=summary.codes,
                  variables=summary.variables, notes=notes))
    _warn_repeated(codebooks)
    if summary.astral_answers and offsets == "codepoints":
        n = summary.astral_answers
        click.echo(f"Note: {n} answer{' contains' if n == 1 else 's contain'} emoji or other characters "
                   "beyond U+FFFF; programs that count UTF-16 units may shift codings there "
                   "(for NVivo, export with --offsets utf16)", err=True)


def _warn_repeated(codebooks: list[Codebook]) -> None:
    repeated = repeated_labels(codebooks)
    if repeated:
        shown = ", ".join(repr(label) for label in repeated[:5]) + (" …" if len(repeated) > 5 else "")
        click.echo(f"Warning: {len(repeated)} code label(s) appear in more than one codebook ({shown}); "
                   "QualCoder merges codes with the same name; rename them to keep them apart", err=True)


@export_group.command("qdc", short_help="Export the codebooks as a REFI-QDA codebook (.qdc).")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project_file", type=click.Path(dir_okay=False, path_type=Path),
              callback=refuse_codebook_as_project, help=PROJECT_HELP)
@click.option("--codebook", "codebook_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Export this YAML codebook instead of the project's; repeat for several.")
@lang_option
def qdc_command(out: Path, project_file: Path | None, codebook_files: tuple[Path, ...], lang: str | None) -> None:
    """Write the codebooks as a REFI-QDA codebook (OUT.qdc), each under its title.

    \b
    Examples:
      fritekst export qdc koder.qdc
      fritekst export qdc koder.qdc --codebook codebooks/ansette.yaml
    """
    if codebook_files and project_file:
        raise UserError("give either --codebook or --project, not both; --codebook exports just those files")
    project = None
    try:
        if codebook_files:
            check_run(codebook_files, [out])
            codebooks = [load_codebook(path) for path in codebook_files]
        else:
            from ..coding.coder import load_project_codebooks  # late: the coder imports spaCy

            project = load_project(project_file or Path(DEFAULT_PROJECT_FILE))
            codebooks = list(load_project_codebooks(project).values())
            check_run([], [out], codebooks=codebooks, project=project)
        n_codes = write_qdc(out, codebooks)
    except FritekstError as exc:
        fail(exc)
    tr = texts(lang, project)
    books = tr("export_codebook_one" if len(codebooks) == 1 else "export_codebook_many", n=len(codebooks))
    click.echo(tr("export_qdc", path=out, codebooks=books, codes=n_codes))
    _warn_repeated(codebooks)


def _codebooks_of(project: Any) -> list[Any]:
    """The project's codebooks (their model files are inputs too)."""
    from ..coding.coder import load_project_codebooks  # late: the coder imports spaCy

    return list(load_project_codebooks(project).values())
