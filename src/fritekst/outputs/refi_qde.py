"""The ``project.qde`` document of a REFI-QDA project, streamed: users, codes, cases, sources, notes, sets.

Each answer is a ``TextSource`` (or, in the ``respondent`` layout, one document per respondent with
a section per question); each coded span is a ``PlainTextSelection`` with one ``Coding`` per code;
each respondent is a ``Case`` with its attributes as variables and references to its answers; each
question is a ``Set`` of its answers; memos are ``Note`` elements linked by ``NoteRef``. The archive
around it is written by :func:`fritekst.outputs.refi.write_qdpx`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd

from ..coding.decisions import Memo
from ..coding.refs import code_index
from ..errors import InputError
from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from .refi_qdc import code_guid, codebook_lines
from .refi_xml import ORIGIN, PROJECT_NS, date_text, stable_guid, xml_attr, xml_text

__all__ = ["DOCUMENT_LAYOUTS", "GRANULARITIES", "METHOD_ORDER", "OFFSET_UNITS", "Item", "ProjectWriter",
           "merge_selections", "prepare_codings", "utf16_units"]

#: Who made a coding, shown as the coder ("user") in the receiving program.
USER_NAMES = {"fritekst": "fritekst", "keyword": "fritekst keyword rules",
              "classifier": "fritekst classifier", "manual": "hand coding"}
SELECTION_NAME_LENGTH = 80
_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")  # no leading zeros: "0301" is an id, not 301

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


def prepare_codings(codings: pd.DataFrame, texts: Mapping[tuple[str, str], str],
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



class ProjectWriter:
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
        self.stamp = f" creationDateTime={xml_attr(stamp)}" if stamp else ""
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
                               user=memo.coder.strip() or "manual", date=date_text(memo.updated_at),
                               text=memo.memo))
        return notes

    def note_refs(self, *target: str) -> str:
        return "".join(f'{"   " if target[0] == "source" else ""}<NoteRef targetGUID="{note.guid}"/>\n'
                       for note in self.notes if note.target == target)

    def write(self) -> None:
        w = self.out.write
        w('<?xml version="1.0" encoding="utf-8"?>\n')
        modified = self.stamp.replace("creationDateTime", "modifiedDateTime")
        w(f"<Project xmlns={xml_attr(PROJECT_NS)} name={xml_attr(self.title)} origin={xml_attr(ORIGIN)} "
          f'creatingUserGUID="{self.users["fritekst"]}"{self.stamp}{modified}>\n')
        w(" <Users>\n")
        for name, guid in self.users.items():
            w(f'  <User guid="{guid}" name={xml_attr(USER_NAMES.get(name, name))}/>\n')
        w(" </Users>\n <CodeBook>\n  <Codes>\n")
        code_notes: dict[str, list[str]] = defaultdict(list)
        for note in self.notes:
            if note.target[0] == "code":
                code_notes[note.target[1]].append(note.guid)
        for line in codebook_lines(self.codebooks, 3, code_notes):
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
                             f"<{kind}Value>{xml_text(value)}</{kind}Value></VariableValue>\n")
        return "".join(parts)

    def write_cases(self) -> None:
        w = self.out.write
        if self.variable_guids:
            w(" <Variables>\n")
            for name, guid in self.variable_guids.items():
                w(f'  <Variable guid="{guid}" name={xml_attr(name)} typeOfVariable="{self.types[name]}"/>\n')
            w(" </Variables>\n")
        if self.corpus.cases.empty:
            return
        sources: dict[str, list[str]] = defaultdict(list)
        for document in self.documents:
            sources[document.case_id].append(self.source_guids[document.key])
        w(" <Cases>\n")
        for case_id in self.case_values:
            w(f'  <Case guid="{stable_guid("case", case_id)}" name={xml_attr(case_id)}>\n')
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
            w(f'  <TextSource guid="{guid}" name={xml_attr(document.name)} '
              f'plainTextPath="internal://{guid}.txt"{self.stamp}>\n'
              f"   <Description>{xml_text(document.description)}</Description>\n")
            items = self.grouped.get(document.key)
            if items:
                units = utf16_units(document.text) if self.offsets == "utf16" else None
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
        dates = sorted(d for d in (date_text(item[6]) for item in items) if d)
        # A hand coding's own date wins over the export's timestamp: it says when it was decided.
        stamp = f" creationDateTime={xml_attr(dates[0])}" if dates else self.stamp
        guid = stable_guid("selection", *document.key, start, end, code)
        position_start, position_end = (units[start], units[end]) if units is not None else (start, end)
        parts = [f'   <PlainTextSelection guid="{guid}" name={xml_attr(_selection_name(document.text[start:end]))} '
                 f'startPosition="{position_start}" endPosition="{position_end}" creatingUser="{user}"{stamp}>\n']
        # Sorted by method and rule, not span: merged codings keep one order however they arrive.
        automatic = sorted((METHOD_ORDER.index(m) if m in METHOD_ORDER else 9, rule, -score, c, m)
                           for _, _, c, m, rule, score, _, _, _ in items if m != "manual")
        lines = [f"{c}: {m}" + (f", rule {rule}" if rule else "") + f", score {_score_text(-neg)}"
                 for _, rule, neg, c, m in automatic]
        lines += list(dict.fromkeys(item[7] for item in items if item[7]))  # hand notes (memos)
        if lines:
            parts.append(f"    <Description>{xml_text(chr(10).join(lines))}</Description>\n")
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
            stamp = f" creationDateTime={xml_attr(note.date)}" if note.date else self.stamp
            w(f'  <Note guid="{note.guid}" name={xml_attr(note.name)} creatingUser="{self.users[note.user]}"{stamp}>\n'
              f"   <PlainTextContent>{xml_text(note.text)}</PlainTextContent>\n  </Note>\n")
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
            w(f'  <Set guid="{stable_guid("set", question)}" name={xml_attr(self.labels[question])}>\n')
            w("".join(f'   <MemberSource targetGUID="{guid}"/>\n' for guid in members[question]))
            w("  </Set>\n")
        w(" </Sets>\n")



def utf16_units(text: str) -> list[int]:
    """For each code point offset, the UTF-16 code unit offset (emoji count twice)."""
    units, n = [0] * (len(text) + 1), 0
    for i, ch in enumerate(text):
        units[i] = n
        n += 2 if ord(ch) > 0xFFFF else 1
    units[len(text)] = n
    return units

