"""A coder's hand decisions and memos on disk, saved after every decision and safe against crashes.

The workbench (``fritekst serve``) records each decision a researcher makes the moment it is made.
The decisions live in an ordinary hand-coding file (the ``refs.csv`` format that ``fritekst code
--hand`` reads, see docs/classifier-and-evaluation.md "Hand-coding files") with three more columns:

``coder``
    who decided;
``note``
    the coder's note on this decision (free text);
``decided_at``
    when (ISO 8601, UTC, microseconds). It is also the decision's **version**: a change names the
    version it was made against, and a change made against an older version is refused with
    :class:`~fritekst.errors.ConflictError`, so two browser tabs (or two servers) on one file never overwrite each
    other's decisions silently.

One decision is one answer × code: either ``no`` (one row, blank span) or ``yes`` with one row per
span (blank span = the whole answer). Memos go to a sibling file ``<stem>.memos.csv`` with columns
``kind`` (``answer`` or ``code``), ``case_id``, ``question``, ``code_id``, ``coder``, ``memo``,
``updated_at``.

Every change re-reads the file if another process changed it, applies the change, and replaces the
file atomically (written to a temporary file, flushed to disk, then renamed), all under a lock file.
Killing the process at any moment therefore loses at most the change being written; the file on
disk is always either the old or the new complete version.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = DecisionStore(folder / "ane.csv", coder="ane")
>>> decision = store.decide("0301", "grunn_nei", "okonomi", "yes", spans=[(0, 12)], expected="")
>>> store.get("0301", "grunn_nei", "okonomi").spans
[(0, 12)]
>>> store.decide("0301", "grunn_nei", "okonomi", "no", expected="")
Traceback (most recent call last):
...
fritekst.errors.ConflictError: ...
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ConflictError, InputError, OutputError
from ..sources.tables import atomic_write, read_rows, safe_cell
from .codings_io import DECISION_WORDS, missing_answer_hint

try:  # POSIX advisory locks keep two processes from interleaving read-modify-write cycles.
    import fcntl
except ImportError:  # pragma: no cover - Windows: the in-process lock and version check remain
    fcntl = None  # type: ignore[assignment]

HAND_COLUMNS = ["case_id", "question", "code_id", "code_path", "coded_text", "start", "end", "method",
                "rule_id", "score", "decision", "coder", "note", "decided_at"]
MEMO_COLUMNS = ["kind", "case_id", "question", "code_id", "coder", "memo", "updated_at"]
MEMO_KINDS = ("answer", "code")
#: Where a coder's file goes when the project names none (relative to the project file's folder).
DEFAULT_HAND_FOLDER = "koding"

Key = tuple[str, str, str]
Span = tuple[int, int]




@dataclass
class Decision:
    """One coder's decision on one answer × code.

    ``spans`` lists the coded spans of a ``yes`` (``None`` in the list = the whole answer).
    """

    case_id: str
    question: str
    code_id: str
    decision: str
    spans: list[Span | None] = field(default_factory=list)
    coder: str = ""
    note: str = ""
    decided_at: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> Key:
        return (self.case_id, self.question, self.code_id)

    def as_dict(self) -> dict[str, object]:
        return {"case_id": self.case_id, "question": self.question, "code_id": self.code_id,
                "decision": self.decision, "spans": [list(s) if s else None for s in self.spans],
                "coder": self.coder, "note": self.note, "decided_at": self.decided_at}


@dataclass
class Memo:
    """A memo on an answer (``kind="answer"``) or on a code (``kind="code"``)."""

    kind: str
    case_id: str
    question: str
    code_id: str
    coder: str
    memo: str
    updated_at: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.case_id, self.question, self.code_id)

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in MEMO_COLUMNS}


def now_version(previous: str = "") -> str:
    """The current UTC time in ISO 8601 with microseconds, strictly later than ``previous``."""
    stamp = _dt.datetime.now(_dt.timezone.utc)
    if previous:
        try:
            last = _dt.datetime.fromisoformat(previous)
            if stamp <= last:
                stamp = last + _dt.timedelta(microseconds=1)
        except ValueError:
            pass
    return stamp.isoformat(timespec="microseconds")


def default_hand_path(project_root: Path, coder: str) -> Path:
    """``koding/<coder>.csv`` beside the project file: where a coder's decisions go by default."""
    return project_root / DEFAULT_HAND_FOLDER / f"{coder}.csv"


def memo_path(hand_path: Path) -> Path:
    """The memo file that belongs to a hand-coding file: ``<stem>.memos.csv`` beside it."""
    return hand_path.with_name(f"{hand_path.stem}.memos.csv")


def valid_coder_name(name: str) -> bool:
    """A coder name is used in a file name: letters, digits, ``-``, ``_`` and ``.``, not leading ``.``."""
    return bool(name) and len(name) <= 64 and not name.startswith(".") and \
        all(ch.isalnum() or ch in "-_." for ch in name)


# --- reading -------------------------------------------------------------------------------------

def _read_table(path: Path, what: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Header (lower-cased name → column) and non-blank rows; an empty file is an empty table.

    Reading goes through :func:`fritekst.sources.tables.read_rows` like every other coding file:
    UTF-8 only (the spans are character offsets), separator sniffed, formula guard reversed.
    """
    if not path.read_bytes().strip():
        return {}, []
    header, rows = read_rows(path, what, utf8_only=True)
    return {name.strip().lower(): i for i, name in enumerate(header)}, rows


def _unguard(value: str) -> str:
    """Undo :func:`safe_cell`'s apostrophe in front of formula-like text."""
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


def read_decisions(path: Path, default_coder: str = "") -> dict[Key, Decision]:
    """Every decision in a hand-coding file, by answer × code (a missing file has none)."""
    if not path.is_file():
        return {}
    columns, rows = _read_table(path, "hand-coding file")
    for required in ("case_id", "question", "code_id"):
        if rows and required not in columns:
            raise InputError(f"{path}:1: hand-coding file has no column {required!r}; expected the "
                             "refs.csv columns case_id, question, code_id, ...", code="E106")

    def cell(cells: list[str], name: str, strip: bool = True) -> str:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip() if strip else _unguard(cells[index])

    decisions: dict[Key, Decision] = {}
    for line, cells in rows:
        key = (cell(cells, "case_id"), cell(cells, "question"), cell(cells, "code_id"))
        word = cell(cells, "decision").lower() or "yes"
        decision = DECISION_WORDS.get(word)
        if decision is None or not all(key):
            raise InputError(f"{path}:{line}: needs case_id, question, code_id and a decision yes or no; "
                             "fix the row", code="E111")
        start, end = cell(cells, "start"), cell(cells, "end")
        try:
            span: Span | None = (int(start), int(end)) if start or end else None
        except ValueError:
            raise InputError(f"{path}:{line}: start {start!r} and end {end!r} must be whole numbers or "
                             "both blank", code="E111") from None
        found = decisions.get(key)
        if found is None:
            found = decisions[key] = Decision(
                *key, decision=decision, coder=cell(cells, "coder") or default_coder,
                note=cell(cells, "note", strip=False), decided_at=cell(cells, "decided_at"),
                extra={"rule_id": cell(cells, "rule_id"), "score": cell(cells, "score")})
        if decision == "yes" and found.decision == "yes":
            found.spans.append(span)
    return decisions


def read_memos(path: Path) -> dict[tuple[str, str, str, str], Memo]:
    """Every memo in a memo file, by (kind, case_id, question, code_id)."""
    if not path.is_file():
        return {}
    columns, rows = _read_table(path, "memo file")
    memos: dict[tuple[str, str, str, str], Memo] = {}
    for line, cells in rows:
        values = {name: (_unguard(cells[columns[name]]) if name in columns and columns[name] < len(cells)
                         else "") for name in MEMO_COLUMNS}
        if values["kind"] not in MEMO_KINDS:
            raise InputError(f"{path}:{line}: memo kind {values['kind']!r} is invalid; expected answer or code", code="E111")
        memo = Memo(**values)
        memos[memo.key] = memo
    return memos


# --- writing -------------------------------------------------------------------------------------

def read_memo_files(hand_paths: Sequence[str | Path]) -> dict[tuple[str, str, str, str], Memo]:
    """The memos of several hand-coding files (each file's ``<stem>.memos.csv``); later files win."""
    memos: dict[tuple[str, str, str, str], Memo] = {}
    for path in hand_paths:
        memos.update(read_memos(memo_path(Path(path))))
    return memos


def write_memos(path: Path, memos: Iterable[Memo]) -> None:
    """Write a memo file (:data:`MEMO_COLUMNS`, sorted by kind, answer and code) atomically."""
    rows: list[list[object]] = [[m.kind, m.case_id, m.question, m.code_id, m.coder, m.memo, m.updated_at]
                                for m in sorted(memos, key=lambda m: m.key)]
    _write_durably(path, MEMO_COLUMNS, rows)


def _write_durably(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Replace ``path`` atomically and make sure the new content is on disk before the rename.

    A file another program holds (Excel locks an open CSV on Windows) or may not be written is an
    :class:`OutputError` (E501) naming it, not a bare ``PermissionError``.
    """
    try:
        with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if value is None else safe_cell(value) for value in row])
            handle.flush()
            os.fsync(handle.fileno())
    except PermissionError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc}); is it open in another program, "
                          "such as Excel? Close it there and try again", code="E501") from exc


def decision_rows(decisions: Mapping[Key, Decision], texts: Mapping[tuple[str, str], str],
                  code_paths: Mapping[str, str]) -> list[list[object]]:
    """The file rows of decisions, in :data:`HAND_COLUMNS` order, sorted by answer and code."""
    rows: list[list[object]] = []
    for key in sorted(decisions):
        item = decisions[key]
        text = texts.get((item.case_id, item.question), "")
        spans: list[Span | None] = item.spans if item.decision == "yes" and item.spans else [None]
        for span in spans:
            coded = text[span[0]:span[1]] if span else (text if item.decision == "yes" else "")
            rows.append([item.case_id, item.question, item.code_id, code_paths.get(item.code_id, ""), coded,
                         span[0] if span else "", span[1] if span else "", "manual",
                         item.extra.get("rule_id", ""), item.extra.get("score", "") or 1, item.decision,
                         item.coder, item.note, item.decided_at])
    return rows


class _FileState:
    """A file's contents as last read, reloaded when another process has replaced it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp: tuple[int, int] | None = None

    def changed(self) -> bool:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return self.stamp is not None
        return self.stamp != (stat.st_mtime_ns, stat.st_size)

    def remember(self) -> None:
        try:
            stat = self.path.stat()
            self.stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            self.stamp = None


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``<file>.lock`` beside ``path`` for the length of one change."""
    if fcntl is None or not path.parent.is_dir():  # pragma: no cover
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


Validator = Callable[[str, str, str, "list[Span | None]"], None]


class DecisionStore:
    """One coder's decisions and memos, kept in memory and written to disk after every change.

    Parameters
    ----------
    path : Path
        The hand-coding file (created, with its folder, on the first decision).
    coder : str
        Recorded in the ``coder`` column of every new decision.
    texts : mapping, optional
        ``(case_id, question) → answer text``, to fill ``coded_text``; when given, every decision
        read from the file must name one of these answers (:meth:`_check_answers`).
    code_paths : mapping, optional
        ``code_id → code path`` for the ``code_path`` column.
    validate : callable, optional
        ``validate(case_id, question, code_id, spans)`` raising :class:`InputError` for a decision
        that names an unknown answer or code or a span outside the answer; called before anything
        is written.
    """

    def __init__(self, path: Path, coder: str, *, texts: Mapping[tuple[str, str], str] | None = None,
                 code_paths: Mapping[str, str] | None = None, validate: Validator | None = None) -> None:
        self.path = Path(path)
        self.memo_file = memo_path(self.path)
        self.coder = coder
        self.texts = texts or {}
        self.code_paths = code_paths or {}
        self.validate = validate
        self._lock = threading.RLock()
        self._decisions_file = _FileState(self.path)
        self._memos_file = _FileState(self.memo_file)
        self._decisions: dict[Key, Decision] = {}
        self._memos: dict[tuple[str, str, str, str], Memo] = {}
        self._last_version = ""
        self._reload()

    # reading ---------------------------------------------------------------------------------
    def _reload(self, force: bool = False) -> None:
        if force or self._decisions_file.changed() or self._decisions_file.stamp is None:
            decisions = read_decisions(self.path, self.coder)
            self._check_answers(decisions)
            self._decisions = decisions
            self._decisions_file.remember()
        if force or self._memos_file.changed() or self._memos_file.stamp is None:
            self._memos = read_memos(self.memo_file)
            self._memos_file.remember()

    def _check_answers(self, decisions: Mapping[Key, Decision]) -> None:
        """Refuse a file whose decision names no answer of the corpus, as ``fritekst code --hand`` does.

        A hand file saved from Excel while the workbench runs has ``0301`` turned into ``301``: kept
        silently, the decision was gone from the grid and counted in no answer; refused, every request
        says which case and what to do, and nothing is written until the file is fixed.
        """
        if not self.texts:
            return
        for case_id, question, _ in decisions:
            if (case_id, question) not in self.texts:
                answers = pd.DataFrame(list(self.texts), columns=["case_id", "question"])
                raise InputError(f"{self.path}: case {case_id} has no answer to {question!r} in the corpus; "
                                 + missing_answer_hint(case_id, question, answers, "hand-coding file"), code="E113")

    def decisions(self) -> dict[Key, Decision]:
        """All decisions, by (case_id, question, code_id) (a copy of the mapping)."""
        with self._lock:
            self._reload()
            return dict(self._decisions)

    def get(self, case_id: str, question: str, code_id: str) -> Decision | None:
        with self._lock:
            self._reload()
            return self._decisions.get((case_id, question, code_id))

    def memos(self) -> dict[tuple[str, str, str, str], Memo]:
        with self._lock:
            self._reload()
            return dict(self._memos)

    def frame(self) -> pd.DataFrame:
        """The decisions as a codings frame with ``decision`` (whole-answer spans as ``<NA>``)."""
        rows = decision_rows(self.decisions(), self.texts, self.code_paths)
        frame = pd.DataFrame(rows, columns=HAND_COLUMNS)
        for column in ("start", "end"):
            frame[column] = pd.array([int(v) if v != "" else pd.NA for v in frame[column]], dtype="Int64")
        frame["score"] = pd.to_numeric(frame["score"], errors="coerce").fillna(1.0).astype(float)
        return frame

    # changing --------------------------------------------------------------------------------
    @contextmanager
    def _change(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)  # the lock file lives beside the hand file
        with self._lock, _file_lock(self.path):
            # Another process may have written since we last looked; under the lock the file is read
            # again whatever its time stamp says (two writes can share one mtime tick).
            self._reload(force=True)
            yield

    def _check_version(self, current: str, expected: str | None, what: str, path: Path | None = None) -> None:
        if expected is not None and current != expected:
            raise ConflictError(f"{path or self.path}: {what} was changed elsewhere (version {current or 'none'}, "
                                f"this change was made against {expected or 'none'}); reload and decide again",
                                code="E116")

    def decide(self, case_id: str, question: str, code_id: str, decision: str, *,
               spans: list[Span | None] | None = None, note: str | None = None,
               expected: str | None = None) -> Decision | None:
        """Set the decision on one answer × code; ``decision="clear"`` removes it.

        ``expected`` is the ``decided_at`` version the change was made against (``""`` = no decision
        yet; ``None`` skips the check, for scripts that mean to overwrite).
        """
        if decision not in ("yes", "no", "clear"):
            raise InputError(f"decision {decision!r} is invalid; expected yes, no or clear", code="E111")
        spans = list(spans) if spans else [None]
        if self.validate is not None and decision != "clear":
            self.validate(case_id, question, code_id, spans if decision == "yes" else [None])
        key = (case_id, question, code_id)
        with self._change():
            current = self._decisions.get(key)
            self._check_version(current.decided_at if current else "", expected,
                                f"the decision on {code_id} for case {case_id} ({question})")
            # Written first, kept in memory after: a write that fails (a full disk, a file Excel holds)
            # leaves the decisions as the file has them, so the grid never shows one that is not saved.
            decisions = dict(self._decisions)
            if decision == "clear":
                decisions.pop(key, None)
                result = None
            else:
                self._last_version = now_version(max(self._last_version, current.decided_at if current else ""))
                result = Decision(*key, decision=decision, spans=spans if decision == "yes" else [],
                                  coder=self.coder, note=current.note if note is None and current else (note or ""),
                                  decided_at=self._last_version)
                decisions[key] = result
            self._save_decisions(decisions)
            self._decisions = decisions
            return result

    def add_span(self, case_id: str, question: str, code_id: str, span: Span, *, note: str | None = None,
                 expected: str | None = None) -> Decision:
        """Code one more span with ``code_id`` (a ``no`` on this code becomes a ``yes``)."""
        current = self.get(case_id, question, code_id)
        spans = list(current.spans) if current and current.decision == "yes" else []
        if tuple(span) not in [tuple(s) if s else None for s in spans]:
            spans.append((int(span[0]), int(span[1])))
        result = self.decide(case_id, question, code_id, "yes", spans=spans, note=note, expected=expected)
        assert result is not None
        return result

    def set_memo(self, kind: str, case_id: str, question: str, code_id: str, memo: str, *,
                 expected: str | None = None) -> Memo | None:
        """Write (or, with empty text, delete) a memo on an answer or a code."""
        if kind not in MEMO_KINDS:
            raise InputError(f"memo kind {kind!r} is invalid; expected answer or code", code="E111")
        if kind == "answer" and self.validate is not None:
            self.validate(case_id, question, "", [None])
        if kind == "code" and not code_id:
            raise InputError("a code memo needs a code_id", code="E111")
        key = (kind, case_id if kind == "answer" else "", question if kind == "answer" else "",
               code_id if kind == "code" else "")
        with self._change():
            current = self._memos.get(key)
            self._check_version(current.updated_at if current else "", expected, f"the {kind} memo", self.memo_file)
            memos = dict(self._memos)  # written first, as decisions are
            if not memo.strip():
                memos.pop(key, None)
                result = None
            else:
                self._last_version = now_version(max(self._last_version, current.updated_at if current else ""))
                result = Memo(kind=key[0], case_id=key[1], question=key[2], code_id=key[3],
                              coder=self.coder, memo=memo, updated_at=self._last_version)
                memos[key] = result
            self._save_memos(memos)
            self._memos = memos
            return result

    def _prepare_folder(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)

    def _save_decisions(self, decisions: Mapping[Key, Decision]) -> None:
        self._prepare_folder(self.path)
        self._keep_original()
        _write_durably(self.path, HAND_COLUMNS, decision_rows(decisions, self.texts, self.code_paths))
        self._decisions_file.remember()

    def _save_memos(self, memos: Mapping[tuple[str, str, str, str], Memo]) -> None:
        self._prepare_folder(self.memo_file)
        write_memos(self.memo_file, memos.values())
        self._memos_file.remember()

    def _keep_original(self) -> None:
        """Before first rewriting a hand file the workbench did not write, keep a copy of it."""
        if not self.path.is_file():
            return
        # The header line says it: reading the whole file again here doubled the time of every
        # decision (the file was just read under the lock).
        with open(self.path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            if "decided_at" in handle.readline().lower():
                return
        backup = self.path.with_name(f"{self.path.stem}.before-workbench{self.path.suffix}")
        if not backup.exists():
            shutil.copy2(self.path, backup)


def annotate_refs(refs: pd.DataFrame, hand_paths: list[Path]) -> pd.DataFrame:
    """Add the hand files' ``note`` per decision and ``memo`` per answer to coding references.

    The columns are added only when some hand file has a note or a memo file (``<stem>.memos.csv``),
    so references without workbench decisions keep their columns exactly. With several hand files,
    later files' notes and memos win, as their decisions do.
    """
    notes: dict[Key, str] = {}
    for path in hand_paths:
        notes.update({key: d.note for key, d in read_decisions(Path(path)).items() if d.note})
    memos = {(m.case_id, m.question): m.memo for m in read_memo_files(hand_paths).values() if m.kind == "answer"}
    if not notes and not memos:
        return refs
    out = refs.copy()
    keys = list(zip(out["case_id"], out["question"], out["code_id"]))
    out["note"] = [notes.get(key, "") for key in keys]
    out["memo"] = [memos.get((key[0], key[1]), "") for key in keys]
    return out
