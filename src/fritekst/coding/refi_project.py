"""A REFI-QDA project (``.qdpx``) as a fritekst project: corpus, codebook(s) and hand codings.

What a project becomes:

* **corpus** (``corpus.csv``): one row per respondent. For a file fritekst exported, each source is one
  answer (``case X, question Y`` in its description) and the rows are the original cases with their
  attributes. For another program's project each text source is one row (``case_id`` = the source
  name) with the text in the column ``tekst``; a source that belongs to a case gets the case's
  variables (and the column ``case``) as attributes, and the source's own variables too.
* **codebook(s)**: see :mod:`fritekst.rules.refi_codebook`.
* **hand codings** (``hand_codings.csv``, refs.csv format): one row per code on a selection with
  ``method=manual``, the ``coder`` (the coding's user, else the selection's), the selection's memo in
  ``note`` and the date in ``decided_at``. For fritekst's own files only the hand codings go there;
  every coding, with its method, rule and score, also goes to ``codings.csv`` (for a faithful
  re-export).
* **memos** (``hand_codings.memos.csv``, the workbench's memo file of ``hand_codings.csv``): the notes
  a source points at (``NoteRef``) become the memo on its answer, with the note's user as coder and
  its date; several notes on one source are joined. Notes on codes stay in the codes' descriptions
  (see :mod:`fritekst.rules.refi_codebook`).

Positions. The standard counts code points; NVivo counts UTF-16 code units and its ``\\r\\n`` as two.
``offsets="auto"`` tries the conventions and keeps the one under which most selections start and end
at word boundaries (and match their ``name``, when the file gives one); positions are then converted
to fritekst's offsets into the corpus text (``\\n`` line breaks, NFC), so ``text[start:end]`` is the
coded text.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, OutputError
from .decisions import Memo, memo_path, write_memos
from ..rules.refi_codebook import ImportedCodebook, codebooks_from_refi
from ..sources.refi_import import RefiProject, RefiSource
from ..sources.tables import atomic_write, safe_cell

OFFSET_MODES = ("auto", "codepoints", "utf16")
#: (unit, newline counting) conventions tried by ``auto``, the standard's first (wins ties).
CONVENTIONS = (("codepoints", "crlf"), ("utf16", "crlf"), ("codepoints", "lf"), ("utf16", "lf"))
HAND_COLUMNS = ["case_id", "question", "code_id", "start", "end", "method", "coder", "note", "decided_at",
                "coded_text"]
_OWN_SOURCE = re.compile(r"^case (.+), question (.+)$")
_AUTOMATIC = re.compile(r"^([a-z][a-z0-9_]*): (keyword|classifier)(?:, rule (.+?))?, score ([0-9.]+)$")
#: The coder names fritekst's export gives its methods.
METHOD_USERS = {"fritekst keyword rules": "keyword", "fritekst classifier": "classifier", "hand coding": "manual"}
TEXT_COLUMN = "tekst"


@dataclass
class ImportedProject:
    """A converted project, ready to be written: see :func:`convert_project`."""

    title: str
    corpus: pd.DataFrame
    questions: list[tuple[str, str]]
    codebooks: list[ImportedCodebook]
    question_codebooks: dict[str, str]
    hand: pd.DataFrame
    codings: pd.DataFrame | None
    convention: tuple[str, str]
    own: bool
    notes: list[str] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)


# --- positions -----------------------------------------------------------------------------------

def _final_text(raw: str) -> str:
    return unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))


class _Offsets:
    """Maps positions in one of the conventions to offsets into the corpus text of one source."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.final = _final_text(raw)
        lf = raw.replace("\r\n", "\n").replace("\r", "\n")
        self.nfc = unicodedata.normalize("NFC", lf) == lf
        self.lf = lf
        self.lf_of_raw = self._lf_index(raw)  # raw code point → lf code point
        self._u16: dict[str, list[int]] = {}

    @staticmethod
    def _lf_index(raw: str) -> list[int]:
        index, n, previous = [0] * (len(raw) + 1), 0, ""
        for i, ch in enumerate(raw):
            index[i] = n
            if not (previous == "\r" and ch == "\n"):
                n += 1
            previous = ch
        index[len(raw)] = n
        return index

    def _cp_of_u16(self, text_key: str) -> list[int]:
        if text_key not in self._u16:
            text = self.raw if text_key == "crlf" else self.lf
            table = []
            for i, ch in enumerate(text):
                table.append(i)
                if ord(ch) > 0xFFFF:
                    table.append(i)  # the low surrogate points at the same character
            table.append(len(text))
            self._u16[text_key] = table
        return self._u16[text_key]

    def to_final(self, position: int, unit: str, newline: str) -> int | None:
        """A position in the convention as an offset into the corpus text (None when out of range)."""
        if unit == "utf16":
            table = self._cp_of_u16(newline)
            if not 0 <= position < len(table):
                return None
            position = table[position]
        limit = len(self.raw) if newline == "crlf" else len(self.lf)
        if not 0 <= position <= limit:
            return None
        lf_position = self.lf_of_raw[position] if newline == "crlf" else position
        if self.nfc:
            return lf_position
        return len(unicodedata.normalize("NFC", self.lf[:lf_position]))


def _aligned(text: str, start: int, end: int, name: str) -> int:
    """How well a converted selection fits: 3 when it equals its name, 1 at word boundaries, else 0."""
    if not 0 <= start < end <= len(text):
        return 0
    coded = " ".join(text[start:end].split())
    label = " ".join(name.split()).rstrip("…")
    if label and len(label) >= 3 and coded.startswith(label):
        return 3
    starts = start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())
    ends = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
    return int(starts and ends)


def choose_convention(sources: Sequence[RefiSource], offsets: dict[str, _Offsets], mode: str,
                      origin: str) -> tuple[str, str]:
    """The position convention to read the selections with (see the module docstring)."""
    if mode == "codepoints":
        return ("codepoints", "crlf")
    if mode == "utf16":
        return ("utf16", "crlf")
    scores: Counter[tuple[str, str]] = Counter()
    for source in sources:
        mapper = offsets.get(source.guid)
        if mapper is None:
            continue
        astral = any(ord(c) > 0xFFFF for c in mapper.raw)
        crlf = "\r\n" in mapper.raw
        for convention in CONVENTIONS:
            unit, newline = convention
            if (unit == "utf16" and not astral) or (newline == "lf" and not crlf):
                continue  # the same as a simpler convention for this source
            for selection in source.selections:
                start = mapper.to_final(selection.start, unit, newline)
                end = mapper.to_final(selection.end, unit, newline)
                if start is not None and end is not None:
                    scores[convention] += _aligned(mapper.final, start, end, selection.name)
    if not scores:
        return ("utf16", "crlf") if origin.lower().startswith("nvivo") else ("codepoints", "crlf")
    best = max(scores.values())
    return next(c for c in CONVENTIONS if scores[c] == best)


# --- conversion ----------------------------------------------------------------------------------

def convert_project(project: RefiProject, *, name: str, offsets: str = "auto") -> ImportedProject:
    """Turn a read project into corpus, codebooks and codings (nothing is written here).

    Parameters
    ----------
    project : RefiProject
        As read by :func:`fritekst.sources.refi_import.read_qdpx`.
    name : str
        Used for the codebook id and title when the project has none (usually the file's stem).
    offsets : {"auto", "codepoints", "utf16"}
        How the file counts positions; ``auto`` decides from the data.

    Raises
    ------
    InputError
        The project has no text source with a text, or ``offsets`` is unknown.
    """
    if offsets not in OFFSET_MODES:
        raise InputError(f"offsets {offsets!r} is unknown; expected one of {', '.join(OFFSET_MODES)}", code="E111")
    sources = [s for s in project.sources if s.text is not None]
    notes = list(project.warnings)
    for kind, count in sorted(project.skipped.items()):
        notes.append(f"{count} {kind} source(s) left out (fritekst codes text only)")
    codebooks = codebooks_from_refi(project.codebook, name, project.name or name, source=f"{name}.qdpx") \
        if project.codebook.codes else []
    if not sources:
        # ATLAS.ti writes projects with a codebook and no documents; the codebook is still worth having.
        notes.append("the project has no text source with a text: only its codebook is imported")
        return ImportedProject(title=project.name or name, corpus=pd.DataFrame(), questions=[],
                               codebooks=codebooks, question_codebooks={}, hand=_frame([], own=False),
                               codings=None, convention=("codepoints", "crlf"), own=False, notes=notes)
    own = project.origin.startswith("fritekst") and all(_OWN_SOURCE.match(s.description) for s in sources)
    guid_codes = {guid: code_id for book in codebooks for guid, code_id in book.guids.items()}
    code_books = {code_id: book.codebook_id for book in codebooks for code_id in book.guids.values()}
    mappers = {s.guid: _Offsets(s.text or "") for s in sources}
    convention = choose_convention(sources, mappers, offsets, project.origin)
    if own:
        corpus, questions, answer_of = _own_corpus(project, sources)
    else:
        corpus, questions, answer_of = _foreign_corpus(project, sources)
    hand_rows: list[dict[str, object]] = []
    all_rows: list[dict[str, object]] = []
    skipped: Counter[str] = Counter()
    for source in sources:
        mapper = mappers[source.guid]
        case_id, question = answer_of[source.guid]
        for selection in source.selections:
            start = mapper.to_final(selection.start, *convention)
            end = mapper.to_final(selection.end, *convention)
            if start is None or end is None or not 0 <= start < end <= len(mapper.final):
                skipped["span outside its source text"] += len(selection.codings) or 1
                continue
            automatic, memo = _automatic_lines(selection.memo) if own else ([], selection.memo)
            for coding in selection.codings:
                code_id = guid_codes.get(coding.code_guid)
                if code_id is None:
                    skipped["coding of a code not in the codebook"] += 1
                    continue
                user = project.users.get(coding.user or selection.user or "", "")
                base = {"case_id": case_id, "question": question, "code_id": code_id, "start": start, "end": end,
                        "coder": user, "note": memo, "decided_at": coding.date or selection.date or "",
                        "coded_text": mapper.final[start:end]}
                method = METHOD_USERS.get(user, "manual") if own else "manual"
                # fritekst writes one selection per code, merging the code's overlapping codings; its
                # description keeps one line per automatic coding, so each comes back as its own row.
                found = [(m, rule, score) for c, m, rule, score in automatic if c == code_id]
                if method == "manual" or not found:
                    found.insert(0, (method, "", 1.0))
                for row_method, rule_id, score in found:
                    row = {**base, "method": row_method, "rule_id": rule_id, "score": score}
                    all_rows.append(row)
                    if row_method == "manual":
                        hand_rows.append(row)
    for reason, count in sorted(skipped.items()):
        notes.append(f"{count} coding(s) left out: {reason}")
    if convention != ("codepoints", "crlf"):
        unit, newline = convention
        counted = "UTF-16 code units" if unit == "utf16" else "code points"
        crlf = " with CRLF counted as one" if newline == "lf" else ""
        notes.append(f"positions read as {counted}{crlf} (as {project.origin or 'the file'} writes them)")
    question_codebooks = _question_codebooks(questions, all_rows, code_books, codebooks)
    hand = _frame(hand_rows, own=False)
    codings = _frame(all_rows, own=True) if own else None
    return ImportedProject(title=project.name or name, corpus=corpus, questions=questions, codebooks=codebooks,
                           question_codebooks=question_codebooks, hand=hand, codings=codings,
                           convention=convention, own=own, notes=notes,
                           memos=_answer_memos(project, sources, answer_of))


def _answer_memos(project: RefiProject, sources: list[RefiSource],
                  answer_of: dict[str, tuple[str, str]]) -> list[Memo]:
    """The notes each source points at, as one memo on its answer (the workbench's kind of memo)."""
    memos = []
    for source in sources:
        notes = [project.notes[guid] for guid in source.note_refs if guid in project.notes]
        if not notes:
            continue
        case_id, question = answer_of[source.guid]
        coder = next((project.users.get(n.user, "") for n in notes if n.user), "")
        dates = sorted(n.date for n in notes if n.date)
        memos.append(Memo(kind="answer", case_id=case_id, question=question, code_id="", coder=coder,
                          memo="\n\n".join(n.text for n in notes), updated_at=dates[-1] if dates else ""))
    return memos


def _automatic_lines(memo: str) -> tuple[list[tuple[str, str, str, float]], str]:
    """fritekst's selection description: its automatic-coding lines, and the rest (the memo)."""
    found, rest = [], []
    for line in memo.splitlines():
        match = _AUTOMATIC.match(line.strip())
        if match:
            found.append((match.group(1), match.group(2), match.group(3) or "", float(match.group(4))))
        else:
            rest.append(line)
    return found, "\n".join(rest).strip()


def _frame(rows: list[dict[str, object]], own: bool) -> pd.DataFrame:
    columns = (["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score", "coder",
                "note", "decided_at"] if own else HAND_COLUMNS)
    frame = pd.DataFrame(rows, columns=list(dict.fromkeys([*HAND_COLUMNS, "rule_id", "score"])))
    return frame[columns]


def _own_corpus(project: RefiProject, sources: list[RefiSource]
                ) -> tuple[pd.DataFrame, list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """fritekst's export back to its corpus: cases in order, a column per question (the sets' order)."""
    answer_of = {}
    for source in sources:
        match = _OWN_SOURCE.match(source.description)
        assert match is not None
        answer_of[source.guid] = (match.group(1), match.group(2))
    labels: dict[str, str] = {}
    for set_name, members in project.sets:
        for guid in members:
            if guid in answer_of:
                labels.setdefault(answer_of[guid][1], set_name)
    order = list(dict.fromkeys([*labels, *(q for _, q in answer_of.values())]))
    variables = [name for name, _ in project.variables]
    rows: dict[str, dict[str, str]] = {}
    for case in project.cases:
        rows[case.name] = {"case_id": case.name, **{v: case.variables.get(v, "") for v in variables}}
    texts = {s.guid: _final_text(s.text or "") for s in sources}
    for guid, (case_id, question) in answer_of.items():
        rows.setdefault(case_id, {"case_id": case_id, **{v: "" for v in variables}})[question] = texts[guid]
    frame = pd.DataFrame(list(rows.values()), columns=["case_id", *variables, *order]).fillna("")
    return frame, [(q, labels.get(q, q)) for q in order], answer_of


def _foreign_corpus(project: RefiProject, sources: list[RefiSource]
                    ) -> tuple[pd.DataFrame, list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """Another program's project: one row per text source, its case's variables as attributes."""
    case_of: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for case in project.cases:
        for guid in case.sources:
            case_of[guid].append((case.name, case.variables))
    used: Counter[str] = Counter()
    rows, answer_of = [], {}
    columns: dict[str, None] = {}
    for source in sources:
        used[source.name] += 1
        case_id = source.name if used[source.name] == 1 else f"{source.name} ({used[source.name]})"
        row: dict[str, str] = {"case_id": case_id}
        cases = case_of.get(source.guid, [])
        if cases:
            row["case"] = "; ".join(name for name, _ in cases)
            for _, values in cases:
                for key, value in values.items():
                    row.setdefault(key, value)
        row.update({key: value for key, value in source.variables.items() if key not in row})
        row[TEXT_COLUMN] = _final_text(source.text or "")
        columns.update(dict.fromkeys(key for key in row if key != TEXT_COLUMN))
        rows.append(row)
        answer_of[source.guid] = (case_id, TEXT_COLUMN)
    frame = pd.DataFrame(rows, columns=[*columns, TEXT_COLUMN]).fillna("")
    return frame, [(TEXT_COLUMN, project.name or "Tekst")], answer_of


def _question_codebooks(questions: list[tuple[str, str]], rows: list[dict[str, object]],
                        code_books: dict[str, str], codebooks: list[ImportedCodebook]) -> dict[str, str]:
    """Each question's codebook: the one whose codes its codings use most, else the first."""
    used: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        used[str(row["question"])][code_books[str(row["code_id"])]] += 1
    default = codebooks[0].codebook_id if codebooks else ""
    return {q: (used[q].most_common(1)[0][0] if used[q] else default) for q, _ in questions}


# --- writing -------------------------------------------------------------------------------------

def write_imported_project(imported: ImportedProject, out_dir: str | Path) -> list[Path]:
    """Write corpus, codebooks, hand codings (and codings) and a ``fritekst.toml`` into ``out_dir``.

    Refuses a folder that already holds any of these files: nothing a researcher made is overwritten.
    """
    out = Path(out_dir)
    has_corpus = not imported.corpus.empty
    names = [*(["corpus.csv", "hand_codings.csv", "fritekst.toml"] if has_corpus else []),
             *(f"{b.codebook_id}.yaml" for b in imported.codebooks)]
    if imported.codings is not None:
        names.append("codings.csv")
    memos = memo_path(out / "hand_codings.csv")
    if has_corpus and imported.memos:
        names.append(memos.name)
    existing = [name for name in names if (out / name).exists()]
    if existing:
        raise OutputError(f"{out / existing[0]}: already exists; import into a new or empty folder", code="E503")
    if not names:
        return []
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for book in imported.codebooks:
        path = out / f"{book.codebook_id}.yaml"
        with atomic_write(path, "w", encoding="utf-8") as handle:
            handle.write(book.yaml_text)
        written.append(path)
    if not has_corpus:
        return written
    # The corpus keeps answers exactly (no formula guard): offsets of the codings point into it.
    _write_table(out / "corpus.csv", imported.corpus, guard=False)
    written.insert(0, out / "corpus.csv")
    _write_table(out / "hand_codings.csv", imported.hand, guard=True)
    written.append(out / "hand_codings.csv")
    if imported.memos:
        write_memos(memos, imported.memos)
        written.append(memos)
    if imported.codings is not None:
        _write_table(out / "codings.csv", imported.codings, guard=True)
        written.append(out / "codings.csv")
    with atomic_write(out / "fritekst.toml", "w", encoding="utf-8") as handle:
        handle.write(project_toml(imported))
    written.append(out / "fritekst.toml")
    return written


#: Columns that must stay exactly as written (they are matched against the corpus and codebooks).
_KEYS = {"case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"}


def _write_table(path: Path, frame: pd.DataFrame, *, guard: bool) -> None:
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(list(frame.columns))
        guarded = [guard and column not in _KEYS for column in frame.columns]
        for row in frame.itertuples(index=False, name=None):
            writer.writerow([_cell(value, g) for value, g in zip(row, guarded)])


def _cell(value: object, guard: bool) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return safe_cell(value) if guard else value


def project_toml(imported: ImportedProject) -> str:
    """The project file of an imported project (paths relative to it)."""
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string

    lines = ["# Imported by fritekst from a REFI-QDA project. Format: docs/project-file.md", "[project]",
             f"title = {q(imported.title)}", "", "[corpus]", 'path = "corpus.csv"', 'id_column = "case_id"', ""]
    if imported.codebooks:
        lines.append("[codebooks]")
        lines += [f"{b.codebook_id} = {q(b.codebook_id + '.yaml')}" for b in imported.codebooks]
        lines.append("")
        for column, label in imported.questions:
            lines += ["[[questions]]", f"column = {q(column)}", f"label = {q(label)}",
                      f"codebook = {q(imported.question_codebooks[column])}", ""]
    return "\n".join(lines)
