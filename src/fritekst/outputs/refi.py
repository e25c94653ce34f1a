"""REFI-QDA exchange: codebooks as ``.qdc`` and coded projects as ``.qdpx`` for NVivo, ATLAS.ti, MAXQDA…

The REFI-QDA standard (version 1.5, schemas ``Codebook.xsd`` and ``Project.xsd`` 1.0) is what
qualitative-analysis programs use to pass codebooks and coded projects to each other. fritekst writes:

* a **codebook file** (``.qdc``): every codebook as one non-codable top code (its title) with the codes
  nested under it by ``parent``, with colours and descriptions (include/exclude notes appended);
* a **project archive** (``.qdpx``): a zip with ``project.qde`` and one UTF-8 plain-text file per
  answer in ``sources/``. Each answer is a ``TextSource``; each coded span is a ``PlainTextSelection``
  with one ``Coding`` per code; each respondent is a ``Case`` with its attributes as variables and
  references to its answers; each question is a ``Set`` of its answers. The workbench's memos
  (``<stem>.memos.csv``) become ``Note`` elements under ``Notes`` (the standard's section 3.9: a note
  is a text source), each linked by a ``NoteRef`` from its answer's ``TextSource`` or from its
  ``Code``; a coder's note on a single decision stays in its selection's ``Description``.

Selections count Unicode code points from 0 with an exclusive end (the standard's section 10.2 and
its Annex A examples), exactly like fritekst's own offsets, so ``text[start:end]`` is the coded text.
Source files are written without a byte-order mark and with ``\\n`` line breaks, so position *n* in
the XML is code point *n* of the file.

Every GUID is derived (uuid5) from stable ids (codebook and code ids, case id and question), no clock
is read unless a timestamp is given, and zip entries have fixed dates: exporting the same inputs twice
gives the same bytes. The XML is streamed into the archive, so 100 000 answers need no giant tree.

The parts: :mod:`~fritekst.outputs.refi_xml` (GUIDs, escaping, timestamps),
:mod:`~fritekst.outputs.refi_qdc` (the codebook tree and ``.qdc`` files),
:mod:`~fritekst.outputs.refi_qde` (the ``project.qde`` document); this module packs the archive and
gathers a project's inputs. The names below are the public API of all four.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..coding.decisions import Memo, read_memo_files
from ..coding.refs import code_index
from ..errors import OutputError
from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from ..sources.project import Project
from ..sources.tables import atomic_write
from .refi_qdc import check_codebooks, code_description, code_guid, qdc_bytes, repeated_labels, write_qdc
from .refi_qde import (DOCUMENT_LAYOUTS, GRANULARITIES, OFFSET_UNITS, ProjectWriter, merge_selections,
                       prepare_codings)
from .refi_xml import parse_timestamp, stable_guid, timestamp_text, zip_date

__all__ = ["QdpxSummary", "code_description", "code_guid", "merge_selections", "parse_timestamp",
           "project_export_inputs", "project_memos", "qdc_bytes", "repeated_labels", "stable_guid", "write_qdc",
           "write_qdpx"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class QdpxSummary:
    """What :func:`write_qdpx` wrote.

    ``astral_answers`` counts answers with characters outside the Basic Multilingual Plane (emoji):
    programs that count UTF-16 units instead of code points may shift codings in those answers.
    """

    sources: int
    selections: int
    codings: int
    cases: int
    variables: int
    codes: int
    astral_answers: int
    notes: int = 0





def write_qdpx(path: str | Path, corpus: Corpus, codebooks: Sequence[Codebook], codings: pd.DataFrame,
               question_labels: Mapping[str, str] | None = None, project_title: str = "fritekst",
               *, timestamp: datetime | None = None, granularity: str = "span", offsets: str = "codepoints",
               documents: str = "answer", memos: Sequence[Memo] = ()) -> QdpxSummary:
    """Write a REFI-QDA project archive (``.qdpx``) with the answers, codes, codings and cases.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` file; written atomically (nothing is left behind on failure).
    corpus : Corpus
        Answers become text sources; cases and their attributes become cases and variables (and the
        attributes are also written as variables on each source).
    codebooks : sequence of Codebook
        Every code a coding uses must be in one of them.
    codings : DataFrame
        The codings frame (``case_id, question, code_id, start, end, method``, optionally
        ``rule_id, score, decision, decided_at, note``); rows with ``decision == "no"`` are left
        out, blank spans mean the whole answer.
    question_labels : mapping, optional
        Question column → label, used in source names (``"0301 – <label>"``) and set names.
    project_title : str
        The project's name in the receiving program.
    timestamp : datetime, optional
        Creation time written on the project, sources, selections and codings. Without it only hand
        codings with a ``decided_at`` carry a date and the output is byte-for-byte reproducible.
    granularity : {"span", "answer"}
        ``span``: one selection per code per span, a code's overlapping spans merged; ``answer``:
        one selection per code over the whole answer.
    offsets : {"codepoints", "utf16"}
        How positions count: code points (the standard) or UTF-16 code units (NVivo).
    documents : {"answer", "respondent"}
        One document per answer, or one per respondent with a section per question.
    memos : sequence of Memo, optional
        Memos on answers and on codes (the workbench's ``<stem>.memos.csv``, see
        :func:`project_memos`): each becomes a ``Note`` linked from its answer's source (in the
        respondent layout, from the respondent's document) or from its code. Memos on an answer that
        is not exported (empty, or outside the corpus) or on a code of no codebook are left out.

    Returns
    -------
    QdpxSummary

    Raises
    ------
    InputError
        A coding names an unknown answer or code, or its span lies outside the answer.

    Examples
    --------
    Three respondents, one of whom left the question empty: two answers become two text sources.

    >>> import tempfile, pathlib, zipfile
    >>> from fritekst.coding.coder import code_corpus
    >>> from fritekst.rules.codebook import load_codebook
    >>> from fritekst.sources.corpus import load_corpus
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "svar.csv").write_text("case_id,grunn_nei\\n0301,Vi har ikke økonomi til det.\\n"
    ...                                      "0402,\\n1103,Ingen aktuelle kandidater.\\n", encoding="utf-8")
    >>> corpus = load_corpus(folder / "svar.csv", "case_id", ["grunn_nei"])
    >>> book = load_codebook(example / "codebooks" / "ansette.yaml")
    >>> summary = write_qdpx(folder / "svar.qdpx", corpus, [book], code_corpus(corpus, [book]))
    >>> summary.sources, summary.cases, summary.codes
    (2, 3, 12)
    >>> zipfile.ZipFile(folder / "svar.qdpx").namelist()[0]
    'project.qde'
    """
    for value, allowed, name in ((granularity, GRANULARITIES, "granularity"), (offsets, OFFSET_UNITS, "offsets"),
                                 (documents, DOCUMENT_LAYOUTS, "documents")):
        if value not in allowed:
            raise OutputError(f"{name} {value!r} is unknown; expected one of {', '.join(allowed)}", code="E504")
    check_codebooks(codebooks)
    index = code_index(codebooks)
    answers = corpus.answers
    texts = dict(zip(zip(answers["case_id"].astype(str).tolist(), answers["question"].astype(str).tolist()),
                     answers["text"].tolist()))
    grouped = prepare_codings(codings, texts, index)
    date = zip_date(timestamp)
    labels = dict(question_labels or {})
    writer: ProjectWriter | None = None
    try:
        with atomic_write(path, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            with archive.open(_entry("project.qde", date), "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
                writer = ProjectWriter(out, corpus, codebooks, grouped, labels, project_title,
                                        timestamp_text(timestamp), granularity=granularity, offsets=offsets,
                                        layout=documents, memos=memos)
                writer.write()
                out.flush()
                out.detach()
            for document in writer.documents:
                name = f"sources/{writer.source_guids[document.key]}.txt"
                archive.writestr(_entry(name, date), document.text.encode("utf-8"))
    except RuntimeError as exc:
        if "force_zip64" not in str(exc):
            raise
        raise OutputError(f"{path}: project.qde would pass 2 GB, the REFI-QDA limit for a file in the "
                          "archive; export fewer questions at a time", code="E506") from exc
    assert writer is not None
    astral = sum(1 for document in writer.documents if _ASTRAL.search(document.text))
    return QdpxSummary(sources=len(writer.documents), selections=writer.selections, codings=writer.codings,
                       cases=len(corpus.cases), variables=len(corpus.attributes),
                       codes=sum(len(book.codes) for book in codebooks), astral_answers=astral,
                       notes=len(writer.notes))


def _entry(name: str, date: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    # Fixed date, system and permissions: the archive's bytes depend only on its contents.
    info = zipfile.ZipInfo(name, date_time=date)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


# --- inputs from a project -----------------------------------------------------------------------

def project_export_inputs(project: Project, codings_path: str | Path | None = None, *, jobs: int = 1,
                          progress: Callable[[int], None] | None = None
                          ) -> tuple[Corpus, list[Codebook], pd.DataFrame, dict[str, str]]:
    """Corpus, codebooks, codings and question labels of a project, ready for :func:`write_qdpx`.

    Without ``codings_path`` the project is coded afresh and its ``[coding] hand_codings`` files are
    merged over the automatic codings (hand decisions win). With it, the codings are read from that
    file (a ``refs.csv`` or hand-coding file) and checked against the corpus and codebooks.

    Examples
    --------
    A one-question project over two answers, coded afresh:

    >>> import tempfile, pathlib
    >>> from fritekst.sources.project import load_project
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "svar.csv").write_text("case_id,grunn_nei\\n0301,Trang økonomi.\\n"
    ...                                      "0402,Vi har ikke økonomi til det.\\n", encoding="utf-8")
    >>> _ = (folder / "fritekst.toml").write_text(
    ...     '[corpus]\\npath = "svar.csv"\\nid_column = "case_id"\\n'
    ...     f'[codebooks]\\nansette = "{(example / "codebooks" / "ansette.yaml").as_posix()}"\\n'
    ...     '[[questions]]\\ncolumn = "grunn_nei"\\nlabel = "Hvorfor ikke?"\\ncodebook = "ansette"\\n',
    ...     encoding="utf-8")
    >>> corpus, books, codings, labels = project_export_inputs(load_project(folder / "fritekst.toml"))
    >>> len(corpus.answers), [book.id for book in books], labels
    (2, ['ansette'], {'grunn_nei': 'Hvorfor ikke?'})
    >>> "okonomi" in set(codings[codings["case_id"] == "0301"]["code_id"])
    True
    """
    # Imported here: the coder pulls in spaCy, which writing a file from given frames does not need.
    from ..coding.coder import code_project, load_project_codebooks, load_project_corpus
    from ..coding.codings_io import read_codings

    labels = {q.column: q.label for q in project.questions}
    if codings_path is None:
        corpus, named, codings = code_project(project, jobs=jobs, progress=progress)
        codebooks = list(named.values())
    else:
        corpus = load_project_corpus(project)
        codebooks = list(load_project_codebooks(project).values())
        code_ids = {code_id for book in codebooks for code_id in book.code_ids}
        codings = read_codings(codings_path, code_ids=code_ids, answers=corpus.answers, what="codings file")
    return corpus, codebooks, codings, labels


def project_memos(project: Project, codings_path: str | Path | None = None) -> list[Memo]:
    """The memos that go with :func:`project_export_inputs`' codings, for :func:`write_qdpx`.

    Without ``codings_path``: the memo files of the project's ``[coding] hand_codings`` (the hand
    codings merged into a fresh coding; later files win, as their decisions do). With it: the memo
    file beside that codings file (``koding/ane.csv`` → ``koding/ane.memos.csv``), if there is one.

    Examples
    --------
    >>> from fritekst.sources.project import load_project
    >>> project_memos(load_project(example / "fritekst.toml"))
    []
    """
    paths = list(project.hand_codings) if codings_path is None else [Path(codings_path)]
    return list(read_memo_files(paths).values())
