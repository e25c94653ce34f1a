"""One ``fritekst code`` run as a library call: read, check, code, merge hand codings, write refs (and matrix).

:func:`code_input` codes a file named on the command line with the codebooks given; :func:`code_project_run`
codes the questions of a project file, each with its own codebook (and the project's codings cache).
Both check every input and output path once, before anything is read or coded, build every output in
memory, and write them together or not at all (:func:`fritekst.coding.refs.write_tables`). A CSV input
without hand codings is streamed in chunks instead (:func:`fritekst.coding.stream.code_csv_streaming`),
so memory does not grow with the corpus. The command line (:mod:`fritekst.cli.code`) only parses
options, shows progress and prints the :class:`CodeRun` it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutputError
from ..rules.codebook import load_codebook
from ..sources.corpus import CSV_SUFFIXES, keep_attributes, load_corpus
from ..sources.paths import check_run
from ..sources.project import DEFAULT_PROJECT_FILE, Project, load_project
from .coder import (Progress, apply_hand_codings, code_corpus, code_project, load_project_codebooks,
                    load_project_corpus, read_hand_codings)
from .codings_io import hand_coded_keys
from .decisions import annotate_refs
from .handcoding import MergeReport
from .refs import collapse_duplicates, coding_summary, matrix_frame, matrix_labels, refs_frame, write_tables
from .stream import code_csv_streaming

if TYPE_CHECKING:
    import pandas as pd

#: ``progress(total)`` opens a progress display for ``total`` answers (None: unknown) and yields
#: the ``advance(n)`` callback the coder calls; the command line passes a progress bar.
ProgressFactory = Callable[[int | None], AbstractContextManager[Progress | None]]


@dataclass(frozen=True)
class CodeOutputs:
    """Where a run writes: references, optionally the matrix, and in which dialect.

    ``excel_nb``: CSV for Excel with Norwegian settings (``;`` and a decimal comma). A path ending in
    ``.xlsx`` is written as a workbook, with the sheet named ``refs_sheet`` or ``matrix_sheet`` (the
    caller's language).
    """

    refs: Path
    matrix: Path | None = None
    excel_nb: bool = False
    refs_sheet: str = "Kodinger"
    matrix_sheet: str = "Matrise"

    @property
    def plain_csv(self) -> bool:
        """Plain CSV outputs only (what streaming writes)."""
        return not self.excel_nb and not any(str(p).lower().endswith(".xlsx") for p in (self.refs, self.matrix) if p)


@dataclass
class CodeRun:
    """What a run did, for the end-of-run summary.

    ``summary``: per question, answers, empty, coded, uncoded and codings counts
    (:func:`fritekst.coding.refs.coding_summary`); ``merge_report``: how hand codings were merged,
    if any were given.
    """

    source: Path
    encoding: str | None
    n_cases: int
    summary: Mapping[str, Mapping[str, int]]
    n_codings: int
    merge_report: MergeReport | None = None


@contextmanager
def _no_progress(_total: int | None) -> Iterator[Progress | None]:
    yield None


def code_input(input_file: Path, codebook_files: Sequence[Path], id_column: str, text_columns: Sequence[str],
               outputs: CodeOutputs, *, attributes: Sequence[str] = (), hand_files: Sequence[Path] = (),
               encoding: str | None = None, sep: str | None = None, sheet: str | None = None,
               project_file: Path | None = None, jobs: int = 1,
               progress: ProgressFactory = _no_progress) -> CodeRun:
    """Code every answer of ``input_file`` (CSV, Excel, SPSS, Stata, Parquet) with the codebooks' rules.

    ``id_column``, ``text_columns``, ``attributes``, ``encoding``, ``sep`` and ``sheet`` say how to
    read it (:func:`fritekst.sources.corpus.load_corpus`); ``hand_files`` are merged over the automatic
    coding (hand decisions win); ``project_file``, when given, is only guarded against being overwritten.
    The outputs carry only the ``attributes`` columns besides the id and the codes.
    """
    codebooks = [load_codebook(path) for path in codebook_files]
    check_run([input_file, *hand_files, *codebook_files, project_file], [outputs.refs, outputs.matrix],
              codebooks=codebooks)
    if outputs.plain_csv and input_file.suffix.lower() in CSV_SUFFIXES and not hand_files:
        check_hand_codings_kept(outputs.refs, None)
        # CSV without hand codings (which need the whole corpus in memory to be merged): stream it.
        with progress(None) as advance:
            streamed = code_csv_streaming(input_file, codebooks, id_column, list(text_columns), outputs.refs,
                                          outputs.matrix, attribute_columns=list(attributes),
                                          encoding=encoding, sep=sep, jobs=jobs, progress=advance)
        return CodeRun(streamed.source, streamed.encoding, streamed.n_cases, streamed.questions,
                       streamed.n_codings)
    corpus = load_corpus(input_file, id_column, list(text_columns), list(attributes),
                         encoding=encoding, sep=sep, sheet=sheet)
    hand = read_hand_codings(corpus, codebooks, hand_files)
    check_hand_codings_kept(outputs.refs, hand)
    with progress(len(corpus.answers)) as advance:
        codings = code_corpus(corpus, codebooks, jobs=jobs, progress=advance)
    return _finish(codings, corpus, codebooks, hand, hand_files, outputs)


def code_project_run(project: Project | Path | None, outputs: CodeOutputs, *, hand_files: Sequence[Path] = (),
                     jobs: int = 1, cache: bool = True, progress: ProgressFactory = _no_progress) -> CodeRun:
    """Code the questions a project names, each with its own codebook, and write the outputs.

    ``project``: a loaded project, or its file (default: ``fritekst.toml`` here). ``hand_files`` are
    merged after the project's own hand codings; ``cache``: read and fill the project's codings cache
    (:mod:`fritekst.coding.cache`). The outputs carry the project's declared ``[corpus] attributes``.
    """
    if not isinstance(project, Project):
        project = load_project(project or Path(DEFAULT_PROJECT_FILE))
    named = load_project_codebooks(project)
    codebooks = list(named.values())
    check_run([*hand_files], [outputs.refs, outputs.matrix], codebooks=codebooks, project=project)
    corpus = load_project_corpus(project)
    all_hand = [*project.hand_codings, *hand_files]
    assignment = {q.column: [named[q.codebook].id] for q in project.questions}
    labels = {q.column: q.label for q in project.questions}
    hand = read_hand_codings(corpus, codebooks, all_hand)
    check_hand_codings_kept(outputs.refs, hand)
    with progress(None) as advance:
        corpus, named, codings = code_project(project, jobs=jobs, progress=advance, hand_codings=False,
                                              corpus=corpus, codebooks=named, cache=cache)
    corpus = keep_attributes(corpus, project.attributes)
    return _finish(codings, corpus, codebooks, hand, all_hand, outputs, assignment, labels)


def check_hand_codings_kept(refs: Path, hand: pd.DataFrame | None) -> None:
    """Refuse to write over a references file that holds hand codings this run does not read.

    Researchers add ``method=manual`` rows to an earlier ``refs.csv`` in Excel; the next run would
    write the file anew without them. A hand coding counts as read when this run's hand-coding files
    decide the same answer and code (``yes`` or ``no``), as they do when the file is the output of an
    earlier run with the same hand codings. Called before any coding, so the refusal comes at once.

    Raises
    ------
    OutputError
        E508, naming how many would be lost and the first of them.
    """
    written = hand_coded_keys(refs)
    if not written:
        return
    read = set() if hand is None else set(zip(hand["case_id"], hand["question"], hand["code_id"]))
    lost = sorted(written - read)
    if lost:
        case, question, code = lost[0]
        several = f"{len(lost)} hand codings" if len(lost) > 1 else "a hand coding"
        raise OutputError(f"{refs}: holds {several} (method manual) that this run does not read (first: case "
                          f"{case}, {question}, {code}), and writing over it would lose them; rename the file "
                          "and read it as hand codings, or choose another output path", code="E508", option="hand")


def _finish(codings: pd.DataFrame, corpus: Any, codebooks: Sequence[Any], hand: Any, hand_files: Sequence[Path],
            outputs: CodeOutputs, assignment: Mapping[str, Sequence[str]] | None = None,
            labels: Mapping[str, str] | None = None) -> CodeRun:
    """Merge hand codings, build every output in memory, write them all or none."""
    merge_report = None
    if hand is not None:
        codings, merge_report = apply_hand_codings(codings, corpus, hand)
    # notes and memos written in the workbench (fritekst serve) travel with the references
    refs = annotate_refs(refs_frame(codings, corpus, codebooks), list(hand_files))
    tables: list[tuple[pd.DataFrame, Path, dict[str, Any]]] = [
        (refs, outputs.refs, {"excel_nb": outputs.excel_nb, "sheet": outputs.refs_sheet})]
    if outputs.matrix is not None:
        grid = matrix_frame(codings, corpus, codebooks, assignment)
        tables.append((grid, outputs.matrix, {"excel_nb": outputs.excel_nb, "sheet": outputs.matrix_sheet,
                                              "header": matrix_labels(corpus, codebooks, assignment,
                                                                      dict(labels or {}))}))
    write_tables(tables)  # refs and matrix together or not at all
    # Counted as written: refs.csv holds one row per coding, duplicates of a code on a span collapsed
    # (the summary said 2,834 references of a file with 2,795 rows).
    written = collapse_duplicates(codings)
    return CodeRun(corpus.source, corpus.encoding, len(corpus.cases), coding_summary(written, corpus),
                   len(refs), merge_report)
