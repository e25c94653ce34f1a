"""Code a CSV corpus of any size in bounded memory: read, code and write it chunk by chunk.

The in-memory path (:func:`fritekst.sources.corpus.load_corpus`, :func:`fritekst.coding.coder.code_corpus`,
:func:`fritekst.coding.refs.write_refs_csv`) holds the whole file, every answer and every coding at once.
:func:`code_csv_streaming` gives byte-identical ``refs.csv`` and ``matrix.csv`` while holding only a
few chunks of rows:

1. The file is decoded once in blocks to pick the encoding (UTF-8 with or without BOM, else
   Windows-1252, as :mod:`fritekst.sources.corpus` does), and the separator is sniffed from the header line.
2. pandas reads it in chunks of ``chunk_size`` rows. Each chunk goes through the same
   :func:`~fritekst.sources.corpus.corpus_from_frame` as a whole file (column and id checks, NFC, empty
   answers), is coded, and is turned into finished CSV text, in worker processes when ``jobs > 1``
   (a bounded number of chunks is in flight, so reading never runs ahead of coding).
3. ``matrix.csv`` is in file order, so its rows are appended as chunks finish. ``refs.csv`` is
   sorted by ``case_id`` (as text) over the *whole* corpus; every case's rows come from one chunk,
   so each chunk yields one text block per case, sorted blocks are spilled to run files, and the runs
   are merged by case id at the end (an external merge sort over cases, not rows).
4. Both outputs go to temporary files renamed into place only when everything succeeded.

Errors: when a chunk (or the final merge, for a case id repeated in two chunks) finds a problem with
the input, the file is handed to :func:`~fritekst.sources.corpus.load_corpus` to raise exactly the error the
in-memory path raises, with the same message and the same precedence between problems. That costs a
full read, but only when the input is wrong.

Examples
--------
Three respondents, one of whom left the question empty, coded in chunks of two rows; ``refs.csv`` is
the same file, byte for byte, as the in-memory path writes:

>>> import tempfile, pathlib
>>> from fritekst.coding.coder import code_corpus
>>> from fritekst.coding.refs import write_refs_csv
>>> from fritekst.rules.codebook import load_codebook
>>> from fritekst.sources.corpus import load_corpus
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> svar = folder / "svar.csv"
>>> _ = svar.write_text("case_id,grunn_nei\\n0301,Vi har ikke økonomi til det.\\n0402,\\n"
...                     "1103,Vi finner ingen aktuelle kandidater.\\n", encoding="utf-8")
>>> book = load_codebook(example / "codebooks" / "ansette.yaml")
>>> summary = code_csv_streaming(svar, [book], "case_id", ["grunn_nei"], folder / "refs.csv",
...                              chunk_size=2)
>>> summary.n_cases, summary.questions["grunn_nei"]["answers"], summary.questions["grunn_nei"]["empty"]
(3, 2, 1)
>>> corpus = load_corpus(svar, "case_id", ["grunn_nei"])
>>> _ = write_refs_csv(folder / "refs-in-memory.csv", code_corpus(corpus, [book]), corpus, [book])
>>> (folder / "refs.csv").read_bytes() == (folder / "refs-in-memory.csv").read_bytes()
True
"""

from __future__ import annotations

import codecs
import csv
import heapq
import io
import itertools
import os
import re
import struct
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from . import coder
from ..language.compact import expect_large_corpus
from ..rules.codebook import Codebook
from ..rules.keyword import KeywordMatcher
from ..sources.corpus import CSV_SUFFIXES, Corpus, corpus_from_frame, csv_header, fit_header, load_corpus, read_csv_text
from ..sources.tables import decode_bytes, detect_encoding, header_line, sniff_separator
from ..errors import FritekstError, InputError
from .frame import empty_codings
from .refs import code_index, coding_summary, collapse_duplicates, matrix_columns, matrix_frame, refs_frame
from ..sources.tables import atomic_write, csv_cell, safe_cell

__all__ = ["DEFAULT_STREAM_CHUNK_SIZE", "StreamSummary", "code_csv_streaming"]

#: Rows per chunk: large enough that pandas' per-chunk overhead is small against the coding,
#: small enough that a few chunks in flight stay a few megabytes.
DEFAULT_STREAM_CHUNK_SIZE = 5000
#: Cases held in memory before their refs blocks are spilled to a sorted run file.
RUN_CASES = 50_000
#: Most run files merged at once (keeps open file handles well below common limits).
MAX_MERGE_FANIN = 64
_DECODE_BLOCK = 1 << 20
_RUN_BATCH = 2000
_WRITE_BATCH = 4096

Progress = Callable[[int], None]
#: One case in a run: its id and its refs rows as finished UTF-8 CSV bytes (b"" when it has none).
CaseBlock = tuple[str, bytes]
#: A spill file's record header: the byte lengths of the case id and of its block.
_RUN_RECORD = struct.Struct("<II")


@dataclass
class StreamSummary:
    """What :func:`code_csv_streaming` read and wrote.

    Attributes
    ----------
    source : Path
        The CSV read.
    encoding : str
        The text encoding used.
    n_cases : int
        Respondent rows read.
    n_codings : int
        Coding references written to ``refs.csv``.
    questions : dict
        Per question the same counts as :func:`fritekst.coding.refs.coding_summary`: ``cases``,
        ``empty``, ``answers``, ``coded``, ``uncoded``, ``codings``.
    """

    source: Path
    encoding: str
    n_cases: int = 0
    n_codings: int = 0
    questions: dict[str, dict[str, int]] = field(default_factory=dict)


def code_csv_streaming(path: str | Path, codebooks: Sequence[Codebook], id_column: str,
                       text_columns: Sequence[str], refs_out: str | Path,
                       matrix_out: str | Path | None = None, *,
                       attribute_columns: Sequence[str] | None = None,
                       questions: Mapping[str, Sequence[str]] | None = None,
                       encoding: str | None = None, sep: str | None = None, jobs: int = 1,
                       chunk_size: int = DEFAULT_STREAM_CHUNK_SIZE,
                       progress: Progress | None = None) -> StreamSummary:
    """Code a CSV corpus chunk by chunk and write ``refs.csv`` (and ``matrix.csv``) incrementally.

    The outputs are byte-identical to ``load_corpus`` + ``code_corpus`` + ``write_refs_csv`` /
    ``write_matrix_csv``; memory stays bounded by ``chunk_size`` and ``jobs``, not the corpus.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.tsv`` or ``.txt`` file (UTF-8 with or without BOM, or Windows-1252).
    codebooks : sequence of Codebook
    id_column, text_columns, attribute_columns, encoding, sep
        As for :func:`fritekst.sources.corpus.load_corpus`.
    refs_out : str or Path
        Where the coding references go (UTF-8 with BOM).
    matrix_out : str or Path, optional
        Where the cases × codes 0/1 matrix goes, if wanted.
    questions : mapping of question → codebook ids, optional
        Which codebooks code which question (default: every codebook codes every question).
    jobs : int
        Worker processes; ``0`` means one per CPU core.
    chunk_size : int
        Rows per chunk.
    progress : callable, optional
        Called with the number of answers just coded after every chunk.

    Returns
    -------
    StreamSummary

    Raises
    ------
    InputError
        The same error, with the same message, as :func:`fritekst.sources.corpus.load_corpus`.
    FritekstError
        A code id defined in two codebooks; an output folder that does not exist.

    Examples
    --------
    Two answers coded in worker processes, with the cases × codes matrix beside the references (the
    module's example shows that the references equal the in-memory path's):

    >>> import tempfile, pathlib
    >>> from fritekst.rules.codebook import load_codebook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "svar.csv").write_text("case_id,grunn_nei\\n0301,Trang økonomi.\\n"
    ...                                      "0402,Vi har ikke økonomi til det.\\n", encoding="utf-8")
    >>> summary = code_csv_streaming(folder / "svar.csv", [load_codebook(example / "codebooks" / "ansette.yaml")],
    ...                              "case_id", ["grunn_nei"], folder / "refs.csv", folder / "matrix.csv",
    ...                              jobs=2)
    >>> summary.n_cases, summary.questions["grunn_nei"]["answers"]
    (2, 2)
    >>> import pandas as pd
    >>> pd.read_csv(folder / "matrix.csv", encoding="utf-8-sig")["okonomi"].tolist()
    [1, 1]
    """
    path = Path(path)
    if not text_columns:
        raise InputError(f"{path}: no text column given; name at least one text column",
                         code="E108", option="text_columns")
    if not path.is_file():
        raise InputError(f"{path}: file not found; check the path", code="E101")
    if path.suffix.lower() not in CSV_SUFFIXES:
        raise InputError(f"{path}: streaming reads only CSV ({', '.join(sorted(CSV_SUFFIXES))}), not "
                         f"'{path.suffix}'; convert the file to CSV or code it without streaming",
                         code="E104")
    code_index(codebooks)  # a code id in two codebooks fails now, not after coding everything
    assignment = _assignment(codebooks, text_columns, questions)
    used = _detect_encoding(path, encoding, sep)
    first = _first_record(path, used)
    delimiter = sep or sniff_separator(first)
    header = csv_header(path, first, delimiter)
    settings = _Settings(path=path, id_column=id_column, text_columns=list(text_columns),
                         attribute_columns=list(attribute_columns) if attribute_columns is not None else None,
                         encoding=used, codebooks=list(codebooks), assignment=assignment,
                         with_matrix=matrix_out is not None)
    summary = StreamSummary(source=path, encoding=used)

    def load_error(recorded: BaseException) -> BaseException:
        # Let the in-memory loader name the problem: same message, same precedence.
        try:
            load_corpus(path, id_column, list(text_columns), settings.attribute_columns,
                        encoding=encoding, sep=sep)
        except FritekstError as exc:
            return exc
        return recorded

    refs_path = Path(refs_out)
    # Binary files with the BOM written by hand: the workers send finished UTF-8 bytes, so the
    # text is encoded once, in parallel, and never decoded again (same bytes as "utf-8-sig").
    with atomic_write(refs_path, "wb") as refs_handle, \
            _optional_output(matrix_out) as matrix_handle, \
            tempfile.TemporaryDirectory(prefix=f".{refs_path.name}.runs.",
                                        dir=refs_path.parent if str(refs_path.parent) else ".") as tmp, \
            ExitStack() as stack:
        runs = _RunSpiller(Path(tmp))
        refs_header: bytes | None = None
        try:
            chunks = _read_chunks(path, used, delimiter, chunk_size, header)
            # closing(): on any error here the workers are stopped now, not when the generator is freed
            for result in stack.enter_context(closing(_results(chunks, settings, jobs))):
                if isinstance(result, BaseException):
                    raise load_error(result)
                if refs_header is None:
                    refs_header = result.refs_header
                    if matrix_handle is not None:
                        matrix_handle.write(codecs.BOM_UTF8 + result.matrix_header)
                if matrix_handle is not None:
                    matrix_handle.write(result.matrix_text)
                runs.add(result.blocks)
                _add_counts(summary, result)
                if progress is not None:
                    progress(result.n_answers)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError, InputError) as exc:
            raise load_error(exc) from exc
        # pandas yields one (empty) chunk for a header without rows: it was coded into an empty refs.csv
        if refs_header is None or summary.n_cases == 0:
            raise load_error(InputError(f"{path}: no rows could be read; check the file", code="E105"))
        refs_handle.write(codecs.BOM_UTF8 + refs_header)
        previous: str | None = None
        batch: list[bytes] = []
        for case_id, block in runs.merged():
            if case_id == previous:  # the same id in two chunks
                raise load_error(InputError(f"{path}: id {case_id!r} in column {id_column!r} is used "
                                            "twice; ids must be unique (one row per respondent)",
                                            code="E110"))
            previous = case_id
            if block:
                batch.append(block)
                if len(batch) >= _WRITE_BATCH:
                    refs_handle.write(b"".join(batch))
                    batch.clear()
        refs_handle.write(b"".join(batch))
    return summary


# --- settings shared with the workers ---------------------------------------------------------
@dataclass
class _Settings:
    path: Path
    id_column: str
    text_columns: list[str]
    attribute_columns: list[str] | None
    encoding: str
    codebooks: list[Codebook]
    assignment: dict[str, tuple[str, ...]]
    with_matrix: bool

    @property
    def has_classifiers(self) -> bool:
        """Whether some codebook has classifier rules (they need the general, frame-based path)."""
        return any(cb.classifier is not None or any(cb.rules("classifier")) for cb in self.codebooks)


@dataclass
class _ChunkResult:
    n_cases: int
    n_answers: int
    counts: Mapping[str, dict[str, int]]
    blocks: list[CaseBlock]
    refs_header: bytes
    matrix_header: bytes
    matrix_text: bytes


def _assignment(codebooks: Sequence[Codebook], text_columns: Sequence[str],
                questions: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """Question → codebook ids, checked the way :func:`fritekst.coding.coder.code_corpus` checks them."""
    return {q: tuple(ids) for q, ids in coder.question_assignment(codebooks, text_columns, questions).items()}


# --- reading ------------------------------------------------------------------------------------
def _detect_encoding(path: Path, encoding: str | None, sep: str | None) -> str:
    """The encoding :func:`fritekst.sources.tables.detect_encoding` picks, checked over the whole file.

    Read in blocks (bounded memory); a byte the encoding cannot decode, or a file with no text,
    raises the in-memory loader's error with the same message.
    """
    candidate = detect_encoding(path, encoding)
    decoder = codecs.getincrementaldecoder(candidate)()
    has_text = False
    try:
        with path.open("rb") as handle:
            while block := handle.read(_DECODE_BLOCK):
                has_text = bool(decoder.decode(block).strip()) or has_text
            has_text = bool(decoder.decode(b"", final=True).strip()) or has_text
    except UnicodeDecodeError:
        decode_bytes(path, path.read_bytes(), encoding)  # raises the loader's error with line and column
        raise
    if not has_text:
        read_csv_text(path, encoding, sep)  # raises the loader's "file is empty" error
    return candidate


def _first_record(path: Path, encoding: str) -> str:
    """The text up to the first line break (LF, or CR in a CR-only file), as separator sniffing sees it."""
    parts: list[str] = []
    with path.open("r", encoding=encoding, newline="") as handle:
        while block := handle.read(1 << 16):
            head = header_line(block)
            parts.append(head)
            if len(head) < len(block):
                break
    return "".join(parts)


def _cr_only(path: Path, encoding: str) -> bool:
    """Whether the file ends its lines with CR alone (Excel's "CSV (Macintosh)"), judged on its start."""
    with path.open("r", encoding=encoding, newline="") as handle:
        block = handle.read(1 << 16)
    return "\r" in block and "\n" not in block


def _read_chunks(path: Path, encoding: str, delimiter: str, chunk_size: int,
                 header: Sequence[str]) -> Iterator[pd.DataFrame]:
    # newline="" hands line endings to pandas untranslated, exactly as the loader's StringIO does;
    # a CR-only file is translated to LF (the loader's pandas reads CR as a line end the same way).
    newline = None if _cr_only(path, encoding) else ""
    with path.open("r", encoding=encoding, newline=newline) as handle:
        reader = pd.read_csv(handle, sep=delimiter, dtype=str, keep_default_na=False, na_filter=False,
                             engine="python" if len(delimiter) > 1 else "c", chunksize=chunk_size)
        with reader:
            first_row = 2
            for frame in reader:
                yield fit_header(path, frame, header, first_row)
                first_row += len(frame)


# --- coding chunks ------------------------------------------------------------------------------
_SETTINGS: _Settings | None = None


def _init_pool_worker(settings: _Settings) -> None:
    coder.quiet_worker_signals()
    _init_worker(settings)


def _init_worker(settings: _Settings) -> None:
    global _SETTINGS, _FORMATS
    if _SETTINGS is settings:  # a worker forked after the main process coded a chunk: keep it warm
        return
    _SETTINGS, _FORMATS = settings, None
    _HEADERS.clear()
    # The coder's per-process matchers: compiled once, their caches warm across chunks.
    coder.init_worker({cb.id: coder.keyword_specs(cb) for cb in settings.codebooks})


def _code_frame(frame: pd.DataFrame) -> _ChunkResult | InputError:
    """Code one chunk of rows into finished CSV text; an input problem is returned, not raised.

    The rows are formatted here rather than through ``export.refs_frame`` + ``export.write_csv``
    (a pandas frame per chunk costs more than the coding). Each row holds the values ``refs_frame``
    puts in it, passed through ``export.csv_cell`` as ``write_csv`` does; each distinct field is
    rendered once by ``csv.writer`` (with minimal quoting a field's text does not depend on its
    neighbours) and rows are joined from the rendered fields. Cases come out in the order
    ``frame.sort_codings`` gives. The headers come from the export functions themselves.
    """
    settings = _SETTINGS
    assert settings is not None, "worker not initialised"
    try:
        corpus = corpus_from_frame(frame, settings.path, settings.id_column, settings.text_columns,
                                   settings.attribute_columns, settings.encoding)
    except InputError as exc:
        return exc
    if settings.has_classifiers:
        return _code_corpus_general(corpus, settings)
    matchers = coder.worker_matchers()
    with coder.paused_gc():  # no garbage cycles here; see coder.paused_gc
        return _code_answers(corpus, settings, matchers)


def _code_answers(corpus: Corpus, settings: _Settings, matchers: Mapping[str, KeywordMatcher]) -> _ChunkResult:
    """The rows of one chunk's coded answers, as :func:`_code_frame` describes."""
    cases, answers = corpus.cases, corpus.answers
    case_ids = cases["case_id"].tolist()
    row_of = {case_id: row for row, case_id in enumerate(case_ids)}
    attribute_values = [cases[c].tolist() for c in cases.columns[1:]]
    formats = _formats(settings)
    render = formats.render
    assignment = settings.assignment
    rule_fields = formats.rule_fields
    n_answers = dict.fromkeys(corpus.questions, 0)
    n_coded = dict.fromkeys(corpus.questions, 0)
    n_codings = dict.fromkeys(corpus.questions, 0)
    # Per case: (question, its rows as CSV text, the codes) for every coded answer.
    coded_answers: dict[str, list[tuple[str, str, set[tuple[str, str]]]]] = {}
    tails: dict[str, str] = {}  # per case: ",score,attributes\r\n"
    text_fields: dict[str, str] = {}  # coded texts repeat ("økonomi"): render each once per chunk

    def field(coded_text: str) -> str:
        rendered = text_fields[coded_text] = render(safe_cell(coded_text))
        return rendered

    starts: list[int] = []
    ends: list[int] = []
    code_ids: list[str] = []
    rule_ids: list[str] = []
    for case_id, question, text in zip(answers["case_id"].tolist(), answers["question"].tolist(),
                                       answers["text"].tolist()):
        n_answers[question] += 1
        codebook_ids = assignment.get(question, ())
        hits: Sequence[tuple[str, str, int, int]]
        if len(codebook_ids) == 1:
            # the matcher's columns, without a Hit per hit (the same hits in the same order)
            if not matchers[codebook_ids[0]].hits_into(text, starts, ends, code_ids, rule_ids):
                continue
            hits = list(zip(code_ids, rule_ids, starts, ends))
            starts.clear()
            ends.clear()
            code_ids.clear()
            rule_ids.clear()
        else:
            # One matcher's hits come sorted by start, end, code, rule: merge in that order.
            hits = sorted((h for cb in codebook_ids for h in matchers[cb].match(text)),
                          key=lambda h: (h[2], h[3], h[0], h[1]))
        if not hits:
            continue
        n_coded[question] += 1
        # Counted as refs.csv holds them: one row per code and span, whichever rules found it.
        collapsed = _collapsed(hits, rule_fields, render)
        n_codings[question] += len(collapsed)
        tail = tails.get(case_id)
        if tail is None:
            row = row_of[case_id]
            attributes = [render(csv_cell(column[row])) for column in attribute_values]
            tail = tails[case_id] = ",".join(["", formats.score_field, *attributes]) + "\r\n"
        head = render(csv_cell(case_id)) + ","
        middles = formats.middles[question]
        rows = "".join([
            f"{head}{middles[code_id]}{text_fields.get(coded := text[start:end]) or field(coded)},"
            f"{start},{end},{rule_field}{tail}"
            for code_id, rule_field, start, end in collapsed])
        coded_answers.setdefault(case_id, []).append(
            (question, rows, {(question, h[0]) for h in hits} if settings.with_matrix else set()))

    blocks: list[CaseBlock] = []
    matrix_rows: list[list[Any]] = []
    for row, case_id in enumerate(case_ids):
        parts = coded_answers.get(case_id)
        if parts is None:
            blocks.append((case_id, b""))
        elif len(parts) == 1:
            blocks.append((case_id, parts[0][1].encode("utf-8")))
        else:
            # A case's rows are ordered by question first (then start, end, code, rule).
            parts.sort(key=lambda part: part[0])
            blocks.append((case_id, "".join(part[1] for part in parts).encode("utf-8")))
        if settings.with_matrix:
            coded = set().union(*(part[2] for part in parts or ()))
            matrix_rows.append([csv_cell(case_id),
                                *[csv_cell(column[row]) for column in attribute_values],
                                *[0 if coded.isdisjoint(pairs) else 1 for pairs in formats.matrix_pairs]])
    headers = _headers(corpus, settings)
    blocks.sort()  # by case id (ids are unique within a chunk, else corpus_from_frame refused it)
    counts = {q: {"cases": len(case_ids), "empty": corpus.n_empty.get(q, 0), "answers": n_answers[q],
                  "coded": n_coded[q], "uncoded": n_answers[q] - n_coded[q], "codings": n_codings[q]}
              for q in corpus.questions}
    return _ChunkResult(n_cases=len(case_ids), n_answers=len(answers), counts=counts, blocks=blocks,
                        refs_header=headers[0], matrix_header=headers[1],
                        matrix_text=_csv_text(matrix_rows).encode("utf-8") if settings.with_matrix else b"")


def _code_corpus_general(corpus: Corpus, settings: _Settings) -> _ChunkResult:
    """Any codebook, classifier rules included: exactly the in-memory functions, on one chunk.

    Every answer is coded on its own (keyword hits, classifier probabilities, and the combine
    policies, which look at one answer at a time), so coding chunk by chunk gives the same codings.
    """
    codings = coder.code_corpus(corpus, settings.codebooks, dict(settings.assignment), jobs=1)
    refs = refs_frame(codings, corpus, settings.codebooks)
    blocks = dict.fromkeys(corpus.cases["case_id"].tolist(), b"")
    lines = _csv_lines(refs)
    case_ids = refs["case_id"].tolist()
    begin = 0
    for end in range(1, len(case_ids) + 1):  # refs are sorted by case id: each case is one run
        if end == len(case_ids) or case_ids[end] != case_ids[begin]:
            blocks[case_ids[begin]] = "".join(lines[begin:end]).encode("utf-8")
            begin = end
    matrix_text = b""
    if settings.with_matrix:
        matrix_text = "".join(_csv_lines(matrix_frame(codings, corpus, settings.codebooks,
                                                      settings.assignment))).encode("utf-8")
    headers = _headers(corpus, settings)
    return _ChunkResult(n_cases=len(corpus.cases), n_answers=len(corpus.answers),
                        counts=coding_summary(collapse_duplicates(codings), corpus), blocks=sorted(blocks.items()),
                        refs_header=headers[0], matrix_header=headers[1], matrix_text=matrix_text)


def _csv_lines(frame: pd.DataFrame) -> list[str]:
    """Each row of ``frame`` as one CSV line, as :func:`fritekst.coding.refs.write_csv` writes it."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([csv_cell(v) for v in row])
    return lines


class _Formats:
    """Rendered CSV fields that repeat on every row, each rendered once per worker.

    A refs row is ``case_id, question, code_id, code_path, coded_text, start, end, method,
    rule_id, score, attributes...``; ``middles`` holds "question,code_id,code_path," and
    ``rule_fields`` "method,rule_id" (``score`` follows in the tail).
    """

    def __init__(self, settings: _Settings) -> None:
        index = code_index(settings.codebooks)
        render = self.render
        self.middles = {q: {c: ",".join([render(csv_cell(q)), render(csv_cell(c)),
                                         render(csv_cell(index[c].code_path(c)))]) + ","
                            for c in index}
                        for q in settings.text_columns}
        self.rule_fields = {rule.id: render(csv_cell("keyword")) + "," + render(csv_cell(rule.id))
                            for cb in settings.codebooks for rule in cb.rules("keyword")}
        self.score_field = render(csv_cell(1.0))
        # Per matrix column, the (question, code) pairs that make it 1 (parents count their children).
        self.matrix_pairs = [frozenset((q, c) for q in (settings.text_columns if question is None else [question])
                                       for c in ids)
                             for _, question, ids in matrix_columns(settings.text_columns, settings.codebooks,
                                                                    settings.assignment)]

    @staticmethod
    def render(value: Any) -> str:
        """One field as ``csv.writer`` writes it inside a row.

        With minimal quoting, ',' and '\\r\\n', the writer quotes a field exactly when it holds a
        comma, a double quote, CR or LF (checked for every code point); those few go through
        the writer itself.
        """
        if value.__class__ is not str:
            return _csv_text([[value]])[:-2]
        if _NEEDS_QUOTES.search(value) is None:
            return value
        return _csv_text([[value]])[:-2]


_NEEDS_QUOTES = re.compile('[,"\r\n]')


def _collapsed(hits: Sequence[tuple[str, str, int, int]], rule_fields: dict[str, str],
               render: Callable[[Any], str]) -> list[tuple[str, str, int, int]]:
    """Hits of one answer as refs rows: one per code and span, the rules that found it listed.

    As :func:`fritekst.coding.refs.collapse_duplicates` does for the in-memory path (keyword hits
    only here, so every row is a keyword coding with score 1).
    """
    rows: list[tuple[str, list[str], int, int]] = []
    seen: dict[tuple[str, int, int], list[str]] = {}
    for code_id, rule_id, start, end in hits:
        rules = seen.get((code_id, start, end))
        if rules is None:
            rules = seen[(code_id, start, end)] = [rule_id]
            rows.append((code_id, rules, start, end))
        elif rule_id not in rules:
            rules.append(rule_id)
    return [(code_id, rule_fields[rules[0]] if len(rules) == 1
             else rule_fields[rules[0]].split(",", 1)[0] + "," + render(csv_cell("; ".join(rules))), start, end)
            for code_id, rules, start, end in rows]
_FORMATS: _Formats | None = None
_HEADERS: dict[tuple[str, ...], tuple[bytes, bytes]] = {}


def _formats(settings: _Settings) -> _Formats:
    global _FORMATS
    if _FORMATS is None:
        _FORMATS = _Formats(settings)
    return _FORMATS


def _headers(corpus: Corpus, settings: _Settings) -> tuple[bytes, bytes]:
    """The refs and matrix header lines, from the export functions run on no codings."""
    key = tuple(corpus.cases.columns)
    if key not in _HEADERS:
        empty = Corpus(cases=corpus.cases.iloc[:0], answers=corpus.answers.iloc[:0],
                       questions=corpus.questions, source=corpus.source)
        refs = refs_frame(empty_codings(), empty, settings.codebooks)
        matrix_header = b""
        if settings.with_matrix:
            matrix = matrix_frame(empty_codings(), empty, settings.codebooks, settings.assignment)
            matrix_header = _csv_text([[safe_cell(str(c)) for c in matrix.columns]]).encode("utf-8")
        _HEADERS[key] = (_csv_text([[safe_cell(str(c)) for c in refs.columns]]).encode("utf-8"), matrix_header)
    return _HEADERS[key]


def _csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


class _Lines(list):  # type: ignore[type-arg]
    """A csv.writer target that keeps each row's text apart (the writer writes once per row)."""

    write = list.append


def _results(chunks: Iterator[pd.DataFrame], settings: _Settings,
             jobs: int) -> Generator[_ChunkResult | InputError, None, None]:
    """Chunk results in file order; with ``jobs > 1`` at most ``2 × jobs`` chunks are in flight."""
    jobs = (os.cpu_count() or 1) if jobs == 0 else max(1, jobs)
    if jobs > 1:
        # More workers than chunks only costs start-up time: look at up to `jobs` chunks first.
        first = list(itertools.islice(chunks, jobs))
        jobs = min(jobs, len(first))
        chunks = itertools.chain(first, chunks)
    if _file_size(settings.path) >= LARGE_CORPUS_BYTES:
        expect_large_corpus()  # before the pool forks: the workers share the loaded dictionaries
    _init_worker(settings)
    if jobs <= 1:
        yield from map(_code_frame, chunks)
        return
    # The first chunk is coded here, before the pool forks: the workers inherit the matchers'
    # word-form caches instead of each repeating that warm-up (same codings, less CPU).
    for frame in itertools.islice(chunks, 1):
        yield _code_frame(frame)
    yield from coder.pool_map(_code_frame, chunks, jobs, _init_pool_worker, (settings,))


#: A corpus file this large holds more than :data:`~fritekst.language.compact.LARGE_CORPUS_ANSWERS`
#: answers of a few sentences (the shared workload: ~180 bytes per answer).
LARGE_CORPUS_BYTES = 1_000_000


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _add_counts(summary: StreamSummary, result: _ChunkResult) -> None:
    summary.n_cases += result.n_cases
    for question, counts in result.counts.items():
        total = summary.questions.setdefault(question, dict.fromkeys(counts, 0))
        for key, value in counts.items():
            total[key] += value
        summary.n_codings += counts["codings"]


# --- writing ------------------------------------------------------------------------------------
def _optional_output(path: str | Path | None) -> AbstractContextManager[IO[bytes] | None]:
    """``atomic_write`` for the matrix when one is wanted, else a context that yields None."""
    if path is None:
        return nullcontext(None)
    return atomic_write(path, "wb")


class _RunSpiller:
    """Collects sorted case blocks; spills them to sorted run files; merges everything by case id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.buffer: list[list[CaseBlock]] = []
        self.buffered = 0
        self.runs: list[Path] = []
        # Run names come from a counter, never from len(self.runs): merging in rounds shortens that
        # list, and a merged run named after its length overwrote a run still being read.
        self.written = 0

    def add(self, blocks: list[CaseBlock]) -> None:
        self.buffer.append(blocks)
        self.buffered += len(blocks)
        if self.buffered >= RUN_CASES:
            self._spill()

    def _spill(self) -> None:
        self.runs.append(self._write_run(heapq.merge(*self.buffer)))
        self.buffer, self.buffered = [], 0

    def _write_run(self, blocks: Iterable[CaseBlock]) -> Path:
        # Plain length-prefixed records (id, block), not pickle: a spill file is read back by this
        # process only, but nothing fritekst reads from disk may be able to run code.
        path = self.folder / f"run{self.written:06d}.bin"
        self.written += 1
        pack = _RUN_RECORD.pack
        with path.open("wb") as handle:
            batch: list[bytes] = []
            for case_id, block in blocks:
                key = case_id.encode("utf-8")
                batch += (pack(len(key), len(block)), key, block)
                if len(batch) >= 3 * _RUN_BATCH:
                    handle.write(b"".join(batch))
                    batch = []
            handle.write(b"".join(batch))
        return path

    @staticmethod
    def _read_run(path: Path) -> Iterator[CaseBlock]:
        unpack, size = _RUN_RECORD.unpack, _RUN_RECORD.size
        with path.open("rb") as handle:
            while head := handle.read(size):
                key_length, block_length = unpack(head)
                yield handle.read(key_length).decode("utf-8"), handle.read(block_length)

    def merged(self) -> Iterator[CaseBlock]:
        """Every case block, ordered by case id (string order, as pandas sorts the codings)."""
        while len(self.runs) > MAX_MERGE_FANIN:  # very large inputs: merge runs in rounds
            first, self.runs = self.runs[:MAX_MERGE_FANIN], self.runs[MAX_MERGE_FANIN:]
            merged = self._write_run(heapq.merge(*map(self._read_run, first)))
            for path in first:
                path.unlink()
            self.runs.append(merged)
        sources: list[Iterable[CaseBlock]] = [*map(self._read_run, self.runs), *self.buffer]
        # Plain tuple order: by case id; blocks are compared only for a repeated id (an error).
        return heapq.merge(*sources)
