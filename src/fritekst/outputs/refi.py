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
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import pandas as pd

from .._version import __version__
from ..rules.codebook import Code, Codebook
from ..sources.corpus import Corpus
from ..errors import InputError, OutputError
from ..coding.decisions import Memo, read_memo_files
from ..coding.refs import code_index
from ..sources.tables import atomic_write
from ..sources.project import Project

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"fritekst {__version__}"
#: Zip entries cannot be dated before 1980; without a timestamp every entry gets this fixed date.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: Who made a coding, shown as the coder ("user") in the receiving program.
USER_NAMES = {"fritekst": "fritekst", "keyword": "fritekst keyword rules",
              "classifier": "fritekst classifier", "manual": "hand coding"}
SELECTION_NAME_LENGTH = 80
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/fritekst/refi-qda")
_GUID_SEED = hashlib.sha1(_NAMESPACE.bytes)
_VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}
# Characters XML 1.0 cannot carry at all (control characters from spreadsheets, lone surrogates).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")  # no leading zeros: "0301" is an id, not 301
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


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


def stable_guid(*parts: object) -> str:
    r"""A GUID that depends only on ``parts`` (a uuid5), so repeated exports agree.

    Examples
    --------
    >>> stable_guid("code", "ansette", "okonomi") == stable_guid("code", "ansette", "okonomi")
    True
    >>> stable_guid("case", "0301") == str(uuid.uuid5(_NAMESPACE, "case\x1f0301"))
    True
    """
    # uuid.uuid5 by hand: the same value without a UUID object per call (a million calls at 100k
    # answers). SHA-1 of namespace + name; then the version nibble (5) and the RFC 4122 variant bits.
    digest = _GUID_SEED.copy()
    digest.update("\x1f".join(map(str, parts)).encode("utf-8"))
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def _attr(value: object) -> str:
    """A quoted XML attribute value; line breaks survive as character references."""
    return '"' + _NOT_XML.sub("\ufffd", str(value)).translate(_ATTR_ESCAPES) + '"'


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value)).translate(_TEXT_ESCAPES)


def parse_timestamp(text: str) -> datetime:
    """Read an ISO 8601 date or time; one without a zone is taken as UTC (same file everywhere).

    Examples
    --------
    >>> parse_timestamp("2024-05-31T14:00:00+02:00").isoformat()
    '2024-05-31T14:00:00+02:00'
    >>> parse_timestamp("2024-05-31").isoformat()
    '2024-05-31T00:00:00+00:00'
    """
    try:
        # Python 3.10's fromisoformat does not know the "Z" suffix.
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(f"timestamp {text!r} is not an ISO 8601 date or time; use e.g. 2024-05-31 "
                         "or 2024-05-31T14:00:00Z", code="E505", option="timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _timestamp_text(timestamp: datetime | None) -> str | None:
    if timestamp is None:
        return None
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(timezone.utc)
    return timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _zip_date(timestamp: datetime | None) -> tuple[int, int, int, int, int, int]:
    if timestamp is None:
        return ZIP_EPOCH
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(timezone.utc)
    if timestamp.year < 1980:
        raise InputError(f"timestamp {timestamp.isoformat()} is before 1980, which a zip archive cannot "
                         "store; give a later timestamp", code="E505", option="timestamp")
    return (timestamp.year, timestamp.month, timestamp.day, timestamp.hour, timestamp.minute,
            timestamp.second)


# --- codebooks ------------------------------------------------------------------------------------

def code_description(code: Code) -> str:
    """The description a QDA program shows: description, include/exclude notes and the fritekst id.

    Examples
    --------
    >>> print(code_description(Code(id="okonomi", label="Økonomi", description="Mangel på penger.",
    ...                             include="Budsjett.", exclude="Tilskudd.")))
    Mangel på penger.
    Include: Budsjett.
    Exclude: Tilskudd.
    fritekst id: okonomi
    """
    lines = [code.description] if code.description else []
    if code.include:
        lines.append(f"Include: {code.include}")
    if code.exclude:
        lines.append(f"Exclude: {code.exclude}")
    lines.append(f"fritekst id: {code.id}")
    return "\n".join(lines)


def _check_codebooks(codebooks: Sequence[Codebook]) -> None:
    if not codebooks:  # the schemas require at least one code
        raise InputError("no codebook to export; name at least one under [codebooks] or give codebook files",
                         code="E507", option="codebook")
    seen: dict[str, Codebook] = {}
    for book in codebooks:
        if book.id in seen and seen[book.id] is not book:
            raise InputError(f"{book.path}: codebook id {book.id!r} is also used by {seen[book.id].path}; "
                                "codebooks exported together need different ids; rename one", code="E205")
        seen[book.id] = book
    code_index(codebooks)  # a code id in two codebooks would make its codings ambiguous


def _codebook_lines(codebooks: Sequence[Codebook], depth: int,
                    note_refs: Mapping[str, Sequence[str]] | None = None) -> Iterator[str]:
    """``<Code>`` elements: one non-codable top code per codebook, its codes nested by parent.

    ``note_refs`` (code id → note GUIDs) adds a ``NoteRef`` per memo; only projects have notes.
    """
    for book in codebooks:
        children: dict[str | None, list[Code]] = defaultdict(list)
        for code in book.codes:
            children[code.parent].append(code)
        pad = " " * depth
        yield (f"{pad}<Code guid={_attr(stable_guid('codebook', book.id))} name={_attr(book.title)} "
               f'isCodable="false">\n')
        # The codebook id travels in the description, so an import gives the same codebook back.
        about = (book.description + "\n" if book.description else "") + f"fritekst codebook: {book.id}"
        yield f"{pad} <Description>{_text(about)}</Description>\n"
        for code in children[None]:
            yield from _code_lines(book, code, children, depth + 1, note_refs or {})
        yield f"{pad}</Code>\n"


def _code_lines(book: Codebook, code: Code, children: Mapping[str | None, list[Code]],
                depth: int, note_refs: Mapping[str, Sequence[str]]) -> Iterator[str]:
    pad = " " * depth
    yield (f"{pad}<Code guid={_attr(code_guid(book, code.id))} name={_attr(code.label)} "
           f'isCodable="true" color={_attr(code.colour)}>\n')
    yield f"{pad} <Description>{_text(code_description(code))}</Description>\n"
    for guid in note_refs.get(code.id, ()):
        yield f'{pad} <NoteRef targetGUID="{guid}"/>\n'
    for child in children.get(code.id, []):
        yield from _code_lines(book, child, children, depth + 1, note_refs)
    yield f"{pad}</Code>\n"


def code_guid(book: Codebook, code_id: str) -> str:
    """The GUID of a code: the same in ``.qdc`` and ``.qdpx`` files, so both imports agree."""
    return stable_guid("code", book.id, code_id)


def qdc_bytes(codebooks: Sequence[Codebook]) -> bytes:
    """The REFI-QDA codebook document (``Codebook.xsd``) for ``codebooks``, as UTF-8 bytes."""
    _check_codebooks(codebooks)
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n',
             f"<CodeBook xmlns={_attr(CODEBOOK_NS)} origin={_attr(ORIGIN)}>\n", " <Codes>\n",
             *_codebook_lines(codebooks, 2), " </Codes>\n", "</CodeBook>\n"]
    return "".join(parts).encode("utf-8")


def write_qdc(path: str | Path, codebooks: Sequence[Codebook]) -> int:
    """Write a REFI-QDA codebook file (``.qdc``) atomically; return the number of codes written.

    Examples
    --------
    >>> from fritekst.rules.codebook import load_codebook
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "koder.qdc"
    >>> write_qdc(out, [load_codebook(example / "codebooks" / "ansette.yaml")])
    12
    """
    data = qdc_bytes(codebooks)
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return sum(len(book.codes) for book in codebooks)


# --- projects -------------------------------------------------------------------------------------

#: Who made a coding, strongest first: a merged selection is shown as made by the strongest.
METHOD_ORDER = ("manual", "keyword", "classifier")
GRANULARITIES = ("span", "answer")
OFFSET_UNITS = ("codepoints", "utf16")
DOCUMENT_LAYOUTS = ("answer", "respondent")
#: A coding as the writer keeps it: start, end, code id, method, rule id, score, date, note, coder.
Item = tuple[int, int, str, str, str, float, str, str, str]


@dataclass(frozen=True)
class _Document:
    """One ``TextSource``: an answer, or (``respondent`` layout) all answers of one respondent."""

    key: tuple[str, str]
    case_id: str
    name: str
    description: str
    text: str


@dataclass(frozen=True)
class _Note:
    """A memo as a ``Note``: ``target`` is ``("source", case_id, question)`` or ``("code", code_id)``."""

    guid: str
    name: str
    target: tuple[str, ...]
    user: str
    date: str | None
    text: str


def _prepare_codings(codings: pd.DataFrame, texts: Mapping[tuple[str, str], str],
                     index: Mapping[str, Codebook]) -> dict[tuple[str, str], list[Item]]:
    """Check every coding against the answers and codebooks; group them by answer, in order."""
    missing = [c for c in ("case_id", "question", "code_id", "start", "end", "method") if c not in codings]
    if missing:
        raise InputError(f"codings have no column {missing[0]!r}; expected the columns case_id, question, "
                         "code_id, start, end, method (rule_id, score optional)", code="E106")
    frame = codings
    if "decision" in frame.columns:  # explicit "not this code" decisions are not codings
        frame = frame[frame["decision"].fillna("yes").astype(str) != "no"]
    # Plain lists: iterating pandas (often Arrow-backed) columns value by value is many times slower.
    grouped: dict[tuple[str, str], list[Item]] = defaultdict(list)
    rows = zip(frame["case_id"].astype(str).tolist(), frame["question"].astype(str).tolist(),
               frame["code_id"].astype(str).tolist(), _values(frame, "start", None), _values(frame, "end", None),
               frame["method"].astype(str).tolist(), _values(frame, "rule_id", ""), _values(frame, "score", 1.0),
               _values(frame, "decided_at", ""), _values(frame, "note", ""), _values(frame, "coder", ""))
    for case_id, question, code_id, start, end, method, rule_id, score, decided, note, coder in rows:
        key = (case_id, question)
        text = texts.get(key)
        where = f"coding of {code_id!r} on case {case_id} ({question})"
        if text is None:
            raise InputError(f"{where}: the corpus has no answer to {question!r} for case {case_id}; "
                             "check that the codings belong to this corpus", code="E113")
        if code_id not in index:
            raise InputError(f"{where}: code {code_id!r} is in none of the codebooks exported; "
                             "export with the codebooks the codings were made with", code="E112")
        start = 0 if start is None else int(start)  # blank span: the whole answer
        end = len(text) if end is None else int(end)
        if not 0 <= start < end <= len(text):
            raise InputError(f"{where}: span {start}–{end} lies outside the answer ({len(text)} characters); "
                             "the corpus may have changed since coding; code it again", code="E113")
        # A hand coding names its coder (a person); automatic codings are "made" by their method.
        who = str(coder).strip() if method == "manual" and str(coder).strip() not in ("", "nan", "<NA>") else method
        grouped[key].append((start, end, code_id, method, str(rule_id), float(score), str(decided), str(note), who))
    for items in grouped.values():
        items.sort()
    return grouped


def _values(frame: pd.DataFrame, column: str, default: object) -> list[Any]:
    """A column as a plain list with missing cells (NaN, <NA>, None) replaced by ``default``."""
    if column not in frame.columns:
        return [default] * len(frame)
    return frame[column].astype(object).where(frame[column].notna(), default).tolist()


def _score_text(score: float) -> str:
    return str(int(score)) if float(score).is_integer() else str(round(score, 4))


def _selection_name(text: str) -> str:
    name = " ".join(text.split())
    return name if len(name) <= SELECTION_NAME_LENGTH else name[:SELECTION_NAME_LENGTH - 1] + "…"


def _variable_types(cases: pd.DataFrame, attributes: Sequence[str]) -> dict[str, str]:
    types = {}
    for column in attributes:
        values = [v for v in cases[column].astype(str).tolist() if v != ""]
        types[column] = "Integer" if values and all(_INTEGER.match(v) for v in values) else "Text"
    return types


def merge_selections(items: Sequence[Item], text_length: int, granularity: str = "span"
                     ) -> list[tuple[int, int, str, list[Item]]]:
    """One selection per code per span: a code's overlapping spans (a keyword hit inside a classifier
    sentence, the same span coded by hand and by a rule) become one selection covering them all.

    With ``granularity="answer"`` each code is one selection over the whole answer. Returns
    ``(start, end, code_id, items)`` sorted by position, then code.

    Examples
    --------
    >>> a = (0, 20, "okonomi", "classifier", "clf", 0.8, "", "", "classifier")
    >>> b = (5, 12, "okonomi", "keyword", "ord", 1.0, "", "", "keyword")
    >>> c = (5, 12, "tid", "keyword", "tid", 1.0, "", "", "keyword")
    >>> [(s, e, code, len(group)) for s, e, code, group in merge_selections([a, b, c], 30)]
    [(0, 20, 'okonomi', 2), (5, 12, 'tid', 1)]
    """
    by_code: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_code[item[2]].append(item)
    merged: list[tuple[int, int, str, list[Item]]] = []
    for code, group in by_code.items():
        group.sort()
        if granularity == "answer":
            merged.append((0, text_length, code, group))
            continue
        current: list[Item] = []
        start = end = 0
        for item in group:
            if current and item[0] < end:  # overlaps (touching spans stay apart: two sentences)
                end = max(end, item[1])
                current.append(item)
                continue
            if current:
                merged.append((start, end, code, current))
            current, start, end = [item], item[0], item[1]
        if current:
            merged.append((start, end, code, current))
    merged.sort(key=lambda m: (m[0], m[1], m[2]))
    return merged


def repeated_labels(codebooks: Sequence[Codebook]) -> list[str]:
    """Labels used by codes of more than one codebook (QualCoder merges codes with the same name)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for book in codebooks:
        for code in book.codes:
            seen[code.label.casefold()].add(book.id)
    return sorted({code.label for book in codebooks for code in book.codes if len(seen[code.label.casefold()]) > 1})


class _ProjectWriter:
    """Streams ``project.qde``; one instance per export.

    GUIDs and escaped names used more than once are computed once: at 100 000 answers the hashing
    and escaping, not the writing, is what takes the time.
    """

    def __init__(self, out: IO[str], corpus: Corpus, codebooks: Sequence[Codebook],
                 grouped: Mapping[tuple[str, str], list[Item]], labels: Mapping[str, str],
                 title: str, stamp: str | None, *, granularity: str, offsets: str, layout: str,
                 memos: Sequence[Memo] = ()) -> None:
        self.out, self.corpus, self.codebooks = out, corpus, codebooks
        self.title, self.granularity, self.offsets, self.layout = title, granularity, offsets, layout
        self.labels = {q: labels.get(q, q) for q in corpus.questions}
        self.stamp_text = stamp
        self.stamp = f" creationDateTime={_attr(stamp)}" if stamp else ""
        index = code_index(codebooks)
        self.code_guids = {code_id: code_guid(book, code_id) for code_id, book in index.items()}
        self.documents, self.grouped = self._documents(corpus, grouped)
        self.source_guids = {d.key: stable_guid("source", *d.key) for d in self.documents}
        self.selections = self.codings = 0
        used = {item[8] for items in grouped.values() for item in items}
        self.notes = self._notes(memos, index)
        used |= {note.user for note in self.notes}
        # The users who coded come first: QualCoder takes the first user as the project's coder.
        # Named hand coders (people) first, then the methods, then fritekst as the creator.
        people = sorted(used - set(METHOD_ORDER))
        methods = [m for m in METHOD_ORDER if m in used]
        self.users = {name: stable_guid("user", name) for name in [*people, *methods, "fritekst"]}
        attributes = corpus.attributes
        self.types = _variable_types(corpus.cases, attributes)
        self.variable_guids = {name: stable_guid("variable", name) for name in attributes}
        columns = [corpus.cases[c].astype(str).tolist() for c in ["case_id", *attributes]]
        self.case_values = {case_id: values for case_id, *values in zip(*columns)}

    def _documents(self, corpus: Corpus, grouped: Mapping[tuple[str, str], list[Item]]
                   ) -> tuple[list[_Document], dict[tuple[str, str], list[Item]]]:
        answers = corpus.answers
        rows = list(zip(answers["case_id"].astype(str).tolist(), answers["question"].astype(str).tolist(),
                        answers["text"].tolist()))
        if self.layout == "answer":
            names = {q: f" – {label}" for q, label in self.labels.items()}
            return ([_Document((c, q), c, f"{c}{names.get(q, q)}", f"case {c}, question {q}", t)
                     for c, q, t in rows], dict(grouped))
        # One document per respondent, a section per question (as NVivo's survey import makes them):
        # the question label on its own line, the answer, a blank line. Codings move with their answer.
        by_case: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for c, q, t in rows:
            by_case[c].append((q, t))
        order = {q: i for i, q in enumerate(corpus.questions)}
        documents: list[_Document] = []
        moved: dict[tuple[str, str], list[Item]] = {}
        for case_id, parts in by_case.items():
            pieces: list[str] = []
            shifted: list[Item] = []
            position = 0
            for question, text in sorted(parts, key=lambda p: order.get(p[0], 0)):
                heading = f"{self.labels.get(question, question)}\n"
                offset = position + len(heading)
                pieces.append(heading + text + "\n\n")
                shifted += [(s + offset, e + offset, c, m, r, sc, d, n, u)
                            for s, e, c, m, r, sc, d, n, u in grouped.get((case_id, question), [])]
                position += len(pieces[-1])
            key = (case_id, "")
            documents.append(_Document(key, case_id, case_id, f"case {case_id}", "".join(pieces)))
            moved[key] = sorted(shifted)
        return documents, moved

    def _notes(self, memos: Sequence[Memo], index: Mapping[str, Codebook]) -> list[_Note]:
        """The memos that have something to hang on: an exported answer's document, or a code."""
        documents = {d.key: d for d in self.documents}
        answers = self.corpus.answers
        answered = set(zip(answers["case_id"].astype(str).tolist(), answers["question"].astype(str).tolist()))
        notes = []
        for memo in sorted(memos, key=lambda m: m.key):
            if not memo.memo.strip():
                continue
            target: tuple[str, ...]
            if memo.kind == "code":
                book = index.get(memo.code_id)
                if book is None:
                    continue
                target = ("code", memo.code_id)
                name = f"Memo: {book.code(memo.code_id).label}"
            else:
                key = (memo.case_id, memo.question) if self.layout == "answer" else (memo.case_id, "")
                document = documents.get(key)
                if document is None or (memo.case_id, memo.question) not in answered:
                    continue
                target = ("source", *key)
                name = f"Memo: {memo.case_id} – {self.labels.get(memo.question, memo.question)}"
            notes.append(_Note(guid=stable_guid("note", *memo.key), name=name, target=target,
                               user=memo.coder.strip() or "manual", date=_date_text(memo.updated_at),
                               text=memo.memo))
        return notes

    def note_refs(self, *target: str) -> str:
        return "".join(f'{"   " if target[0] == "source" else ""}<NoteRef targetGUID="{note.guid}"/>\n'
                       for note in self.notes if note.target == target)

    def write(self) -> None:
        w = self.out.write
        w('<?xml version="1.0" encoding="utf-8"?>\n')
        modified = self.stamp.replace("creationDateTime", "modifiedDateTime")
        w(f"<Project xmlns={_attr(PROJECT_NS)} name={_attr(self.title)} origin={_attr(ORIGIN)} "
          f'creatingUserGUID="{self.users["fritekst"]}"{self.stamp}{modified}>\n')
        w(" <Users>\n")
        for name, guid in self.users.items():
            w(f'  <User guid="{guid}" name={_attr(USER_NAMES.get(name, name))}/>\n')
        w(" </Users>\n <CodeBook>\n  <Codes>\n")
        code_notes: dict[str, list[str]] = defaultdict(list)
        for note in self.notes:
            if note.target[0] == "code":
                code_notes[note.target[1]].append(note.guid)
        for line in _codebook_lines(self.codebooks, 3, code_notes):
            w(line)
        w("  </Codes>\n </CodeBook>\n")
        self.write_cases()
        self.write_sources()
        self.write_notes()
        self.write_sets()
        w("</Project>\n")

    def _value_lines(self, case_id: str, pad: str) -> str:
        """A ``VariableValue`` per non-empty attribute of a case (missing: no value, not an empty one)."""
        parts = []
        for name, value in zip(self.variable_guids, self.case_values.get(case_id, ())):
            if value != "":
                kind = self.types[name]
                parts.append(f'{pad}<VariableValue><VariableRef targetGUID="{self.variable_guids[name]}"/>'
                             f"<{kind}Value>{_text(value)}</{kind}Value></VariableValue>\n")
        return "".join(parts)

    def write_cases(self) -> None:
        w = self.out.write
        if self.variable_guids:
            w(" <Variables>\n")
            for name, guid in self.variable_guids.items():
                w(f'  <Variable guid="{guid}" name={_attr(name)} typeOfVariable="{self.types[name]}"/>\n')
            w(" </Variables>\n")
        if self.corpus.cases.empty:
            return
        sources: dict[str, list[str]] = defaultdict(list)
        for document in self.documents:
            sources[document.case_id].append(self.source_guids[document.key])
        w(" <Cases>\n")
        for case_id in self.case_values:
            w(f'  <Case guid="{stable_guid("case", case_id)}" name={_attr(case_id)}>\n')
            w(self._value_lines(case_id, "   "))
            for guid in sources.get(case_id, ()):
                w(f'   <SourceRef targetGUID="{guid}"/>\n')
            w("  </Case>\n")
        w(" </Cases>\n")

    def write_sources(self) -> None:
        w = self.out.write
        if not self.documents:
            return
        w(" <Sources>\n")
        for document in self.documents:
            guid = self.source_guids[document.key]
            w(f'  <TextSource guid="{guid}" name={_attr(document.name)} '
              f'plainTextPath="internal://{guid}.txt"{self.stamp}>\n'
              f"   <Description>{_text(document.description)}</Description>\n")
            items = self.grouped.get(document.key)
            if items:
                units = _utf16_units(document.text) if self.offsets == "utf16" else None
                for start, end, code, group in merge_selections(items, len(document.text), self.granularity):
                    self.write_selection(document, start, end, code, group, units)
            w(self.note_refs("source", *document.key))
            # The attributes on the document too: programs that ignore cases still see them.
            w(self._value_lines(document.case_id, "   "))
            w("  </TextSource>\n")
        w(" </Sources>\n")

    def write_selection(self, document: _Document, start: int, end: int, code: str, items: list[Item],
                        units: list[int] | None) -> None:
        # The strongest method names the coder: a span coded by hand and by a rule is shown as hand-coded.
        strongest = min(items, key=lambda item: METHOD_ORDER.index(item[3]) if item[3] in METHOD_ORDER else 9)
        user = self.users[strongest[8]]
        dates = sorted(d for d in (_date_text(item[6]) for item in items) if d)
        # A hand coding's own date wins over the export's timestamp: it says when it was decided.
        stamp = f" creationDateTime={_attr(dates[0])}" if dates else self.stamp
        guid = stable_guid("selection", *document.key, start, end, code)
        position_start, position_end = (units[start], units[end]) if units is not None else (start, end)
        parts = [f'   <PlainTextSelection guid="{guid}" name={_attr(_selection_name(document.text[start:end]))} '
                 f'startPosition="{position_start}" endPosition="{position_end}" creatingUser="{user}"{stamp}>\n']
        # Sorted by method and rule, not span: merged codings keep one order however they arrive.
        automatic = sorted((METHOD_ORDER.index(m) if m in METHOD_ORDER else 9, rule, -score, c, m)
                           for _, _, c, m, rule, score, _, _, _ in items if m != "manual")
        lines = [f"{c}: {m}" + (f", rule {rule}" if rule else "") + f", score {_score_text(-neg)}"
                 for _, rule, neg, c, m in automatic]
        lines += list(dict.fromkeys(item[7] for item in items if item[7]))  # hand notes (memos)
        if lines:
            parts.append(f"    <Description>{_text(chr(10).join(lines))}</Description>\n")
        parts.append(f'    <Coding guid="{stable_guid("coding", guid, code)}" creatingUser="{user}"{stamp}>'
                     f'<CodeRef targetGUID="{self.code_guids[code]}"/></Coding>\n')
        parts.append("   </PlainTextSelection>\n")
        self.out.write("".join(parts))
        self.selections += 1
        self.codings += 1

    def write_notes(self) -> None:
        """The memos as notes (text sources with their text inline), after the sources as the schema orders."""
        if not self.notes:
            return
        w = self.out.write
        w(" <Notes>\n")
        for note in self.notes:
            stamp = f" creationDateTime={_attr(note.date)}" if note.date else self.stamp
            w(f'  <Note guid="{note.guid}" name={_attr(note.name)} creatingUser="{self.users[note.user]}"{stamp}>\n'
              f"   <PlainTextContent>{_text(note.text)}</PlainTextContent>\n  </Note>\n")
        w(" </Notes>\n")

    def write_sets(self) -> None:
        """One set per question, so each question's answers can be coded and queried together."""
        if self.layout != "answer":
            return  # one document holds every question: sets of questions have no members
        w = self.out.write
        members: dict[str, list[str]] = defaultdict(list)
        for document in self.documents:
            members[document.key[1]].append(self.source_guids[document.key])
        if not members:
            return
        w(" <Sets>\n")
        for question in self.corpus.questions:
            if not members.get(question):
                continue
            w(f'  <Set guid="{stable_guid("set", question)}" name={_attr(self.labels[question])}>\n')
            w("".join(f'   <MemberSource targetGUID="{guid}"/>\n' for guid in members[question]))
            w("  </Set>\n")
        w(" </Sets>\n")


def _date_text(value: str) -> str | None:
    """A hand coding's ``decided_at`` as an xsd:dateTime in UTC, or None when blank or unreadable."""
    if not value or value in ("nan", "<NA>", "None"):
        return None
    try:
        return _timestamp_text(parse_timestamp(value))
    except InputError:
        return None


def _utf16_units(text: str) -> list[int]:
    """For each code point offset, the UTF-16 code unit offset (emoji count twice)."""
    units, n = [0] * (len(text) + 1), 0
    for i, ch in enumerate(text):
        units[i] = n
        n += 2 if ord(ch) > 0xFFFF else 1
    units[len(text)] = n
    return units


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
    _check_codebooks(codebooks)
    index = code_index(codebooks)
    answers = corpus.answers
    texts = dict(zip(zip(answers["case_id"].astype(str).tolist(), answers["question"].astype(str).tolist()),
                     answers["text"].tolist()))
    grouped = _prepare_codings(codings, texts, index)
    date = _zip_date(timestamp)
    labels = dict(question_labels or {})
    writer: _ProjectWriter | None = None
    try:
        with atomic_write(path, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            with archive.open(_entry("project.qde", date), "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
                writer = _ProjectWriter(out, corpus, codebooks, grouped, labels, project_title,
                                        _timestamp_text(timestamp), granularity=granularity, offsets=offsets,
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
