"""The project as the workbench sees it: answers, automatic codings, one coder's decisions, the report.

Everything here calls the library functions the CLI calls (load the project, code the corpus, merge
hand codings, summarise); the web layer (:mod:`fritekst.web.app`) only turns requests into calls on a
:class:`Workspace` (or on the views that read one: :mod:`~fritekst.web.grid` for the coding grid and
its decisions, :mod:`~fritekst.web.overview` for the overview, quotes and progress,
:mod:`~fritekst.web.loop` for re-coding, retraining and agreement) and results into JSON.
"""

from __future__ import annotations

import dataclasses
import getpass
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..coding.coder import code_project, load_project_codebooks, load_project_corpus
from ..coding.codings_io import read_codings
from ..coding.decisions import (
    DEFAULT_HAND_FOLDER,
    DecisionStore,
    default_hand_path,
    valid_coder_name,
)
from ..coding.frame import KEY
from ..coding.handcoding import merge_codings
from ..errors import InputError, ProjectError
from ..outputs.report import Frequencies, Report, build_report, whole_sample_frequencies
from ..outputs.texts import check_language
from ..rules.codebook import Codebook
from ..sources.project import Project, load_project
from .fields import text_field


def default_coder() -> str:
    """The login name as a coder name (characters a file name can hold), else ``koder``."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        name = ""
    name = re.sub(r"[^\w.-]", "_", name).lstrip(".")
    return name if valid_coder_name(name) else "koder"


def hand_file_for(project: Project, coder: str | None) -> tuple[str, Path]:
    """Which coder and which hand-coding file a session writes to.

    ``--coder NAME`` always gets its own file, ``koding/NAME.csv`` beside the project file, so coders
    never write into each other's decisions. Without it the project's first ``[coding] hand_codings``
    file is used (its stem names the coder), else ``koding/<login name>.csv``.
    """
    if coder is not None:
        if not valid_coder_name(coder):
            raise InputError(f"coder name {coder!r} is invalid; use letters, digits, '-', '_' or '.'", code="E111")
        return coder, default_hand_path(project.root, coder)
    if project.hand_codings:
        path = Path(project.hand_codings[0])
        return path.stem, path
    name = default_coder()
    return name, default_hand_path(project.root, name)


class Workspace:
    """A loaded project with one coder's decision store, re-coded on demand.

    Parameters
    ----------
    project_path : path-like
        The ``fritekst.toml``.
    coder : str, optional
        The coder's name (see :func:`hand_file_for`).
    lang : {"nb", "en"}, optional
        The language of the page and of its numbers (default: the project's ``[report] lang``), as
        the report speaks.
    """

    def __init__(self, project_path: str | Path, coder: str | None = None, lang: str | None = None) -> None:
        self.project = load_project(project_path)
        self.lang = check_language(lang or self.project.lang)
        self.corpus = load_project_corpus(self.project)
        self.codebooks: dict[str, Codebook] = load_project_codebooks(self.project)
        self.coder, self.hand_path = hand_file_for(self.project, coder)
        answers = self.corpus.answers
        self.texts: dict[tuple[str, str], str] = {
            (c, q): t for c, q, t in answers[["case_id", "question", "text"]].itertuples(index=False)}
        self.attributes = self.corpus.cases.set_index("case_id").to_dict("index")
        self.year_column = self.project.corpus_spec.year_column
        self.lock = threading.RLock()
        self.store = DecisionStore(self.hand_path, self.coder, texts=self.texts,
                                   code_paths=self._code_paths(), validate=self.validate)
        self.models: dict[str, Any] = {}
        self.auto = self._code()
        self.merged = self._merge()
        self._report: Report | None = None
        # Counted now: a coding whose code its codebook lacks is refused at start, as the report did.
        self._numbers: tuple[pd.DataFrame, Frequencies] | None = (self.merged, self._count(self.merged))

    # --- setup -------------------------------------------------------------------------------
    def codebook_of(self, question: str) -> Codebook:
        try:
            return self.codebooks[self.project.question(question).codebook]
        except KeyError:
            raise ProjectError(f"question {question!r} is not in the project; known: "
                             f"{', '.join(q.column for q in self.project.questions)}", code="E305") from None

    def _code_paths(self) -> dict[str, str]:
        return {c: cb.code_path(c) for cb in self.codebooks.values() for c in cb.code_ids}

    def _code(self) -> pd.DataFrame:
        # Through the project's codings cache: a workbench opened after `fritekst code` or `report`
        # (or a second time) codes nothing that has not changed.
        return code_project(self.project, hand_codings=False, corpus=self.corpus, codebooks=self.codebooks,
                            cache=True)[2]

    def other_coder_files(self) -> dict[str, Path]:
        """Other coders' hand files: ``koding/*.csv`` and the project's hand files, by coder name."""
        found: dict[str, Path] = {}
        folder = self.project.root / DEFAULT_HAND_FOLDER
        candidates = list(self.project.hand_codings)
        if folder.is_dir():
            candidates += sorted(p for p in folder.glob("*.csv")
                                 if not p.name.endswith((".memos.csv", ".before-workbench.csv")))
        for path in candidates:
            if Path(path).resolve() != self.hand_path.resolve() and Path(path).is_file():
                found.setdefault(Path(path).stem, Path(path))
        return found

    def read_coder(self, path: Path) -> pd.DataFrame:
        """Another coder's hand file, read again only when it changed on disk (every request asks)."""
        stat = Path(path).stat()
        key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
        cache: dict[str, tuple[tuple[str, int, int], pd.DataFrame]] = self.__dict__.setdefault("_coder_cache", {})
        if key[0] in cache and cache[key[0]][0] == key:
            return cache[key[0]][1]
        code_ids = {c for cb in self.codebooks.values() for c in cb.code_ids}
        frame = read_codings(path, code_ids=code_ids, default_method="manual", answers=self.corpus.answers,
                             what="hand-coding file")
        cache[key[0]] = (key, frame)
        return frame

    def hand_frame(self) -> pd.DataFrame:
        """The project's other hand files and this coder's decisions; this coder's win per answer × code."""
        mine = self.store.frame()
        mine = mine.assign(decision=mine["decision"].astype(str))
        frames = []
        own_keys = set(mine[KEY].itertuples(index=False, name=None))
        for path in self.project.hand_codings:
            if Path(path).resolve() == self.hand_path.resolve():
                continue
            other = self.read_coder(Path(path))
            keep = [k not in own_keys for k in other[KEY].itertuples(index=False, name=None)]
            frames.append(other[keep])
        return pd.concat([*frames, mine], ignore_index=True) if frames else mine

    def _unsuppressed(self) -> Any:
        """The project with no minimum group size: the workbench is for the researcher who codes
        the answers and sees them all; "n < 5" is for published outputs (the report files)."""
        return dataclasses.replace(self.project, min_group_size=1)

    def _merge(self) -> pd.DataFrame:
        return merge_codings(self.auto, self.hand_frame(), self.corpus.answers)[0]

    @property
    def report(self) -> Report:
        """The report on the merged codings, built when a page first asks for it after a re-code.

        A re-code needs only the whole-sample counts (:meth:`frequencies_of`); building the whole
        report (groups, tests, quotes, tables) with it took ~200 ms of every re-code on the example.
        """
        with self.lock:
            if self._report is None:
                self._report = self.report_of(self.merged)
            return self._report

    def frequencies_of(self, merged: pd.DataFrame) -> Frequencies:
        """Per question: the year keys and whole-sample frequency rows of ``merged``, as the report counts.

        Kept for the latest ``merged``, so a re-code counts the codings from before only once.
        """
        with self.lock:
            if self._numbers is not None and self._numbers[0] is merged:
                return self._numbers[1]
            found = self._count(merged)
            if merged is self.merged:
                self._numbers = (merged, found)
            return found

    def _count(self, merged: pd.DataFrame) -> Frequencies:
        return whole_sample_frequencies(self._unsuppressed(), self.corpus.cases, self.corpus.answers, merged,
                                        self.codebooks)

    def report_of(self, merged: pd.DataFrame) -> Report:
        """The report on ``merged`` codings, as the workbench shows it (no minimum group size)."""
        return build_report(self._unsuppressed(), self.corpus.cases, self.corpus.answers, merged, self.codebooks,
                            codings_source="fritekst serve", lang=self.lang)

    def refresh_question(self, question: str) -> None:
        """Summarise one question again (its quotes after a pin or ban), the rest of the report as it is.

        The whole report took 220–340 ms on the example, which made a pin feel slow; one question's
        is what changed.
        """
        with self.lock:
            if self._report is None:
                return  # built with the current quote choices when a page asks for it
            fresh = build_report(self._unsuppressed(), self.corpus.cases, self.corpus.answers, self.merged,
                                 self.codebooks, questions=[question], codings_source="fritekst serve",
                                 lang=self.lang).questions
            self._report = dataclasses.replace(self._report, questions=[
                fresh[0] if q.spec.column == question and fresh else q for q in self._report.questions])

    def rerun(self) -> tuple[pd.DataFrame, Frequencies]:
        """Re-read the codebooks from disk, code again and merge the hand decisions.

        Returns the merged codings and their whole-sample frequencies from before (see
        :meth:`frequencies_of`), so a caller can say what changed; the report is built again when a
        page asks for it.
        """
        with self.lock:
            before = self.merged, self.frequencies_of(self.merged)
            current = self.codebooks, self.auto
            try:
                self.codebooks = load_project_codebooks(self.project)
                self.auto = self._code()
                merged = self._merge()
                # Counting checks every coding's code against its question's codebook (the report
                # refused the codings of a renamed code): a re-code that fails here changes nothing.
                numbers = self._count(merged)
                self.merged, self._numbers, self._report = merged, (merged, numbers), None
            except Exception:
                # A codebook edit that does not code (a renamed code the hand decisions still name, a
                # broken rule) is refused as a whole: the grid keeps the codebooks and codings it
                # showed, and the decisions on the old codes stay visible and undoable.
                self.codebooks, self.auto = current
                raise
        return before

    # --- validation --------------------------------------------------------------------------
    def validate(self, case_id: str, question: str, code_id: str, spans: Sequence[Any]) -> None:
        """Refuse a decision on an unknown answer or code, or with a span outside the answer."""
        codebook = self.codebook_of(question)
        text = self.texts.get((case_id, question))
        if text is None:
            raise InputError(f"case {case_id!r} has no answer to {question!r}; check case_id and question", code="E113")
        if code_id and code_id not in codebook.code_ids:
            raise InputError(f"code {code_id!r} is not in codebook {codebook.id!r}; known: "
                             f"{', '.join(codebook.code_ids)}", code="E112")
        for span in spans:
            if span is None:
                continue
            start, end = span
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise InputError(f"span {start}..{end} is outside the answer (0..{len(text)}); expected "
                                 "0 <= start < end <= the answer's length", code="E113")

    # --- what the views read (web.grid, web.overview, web.loop) -------------------------------
    def auto_by_answer(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Automatic codings by answer, built once per re-code (every request reads them)."""
        cached = getattr(self, "_auto_cache", None)
        if cached is not None and cached[0] is self.auto:
            return cached[1]
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        columns = ["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"]
        for case_id, question, code_id, start, end, method, rule_id, score in \
                self.auto[columns].itertuples(index=False, name=None):
            grouped.setdefault((str(case_id), str(question)), []).append(
                {"code_id": code_id, "start": int(start), "end": int(end), "method": method,
                 "rule_id": rule_id, "score": round(float(score), 4)})
        self._auto_cache = (self.auto, grouped)
        return grouped

    def others_by_key(self) -> dict[tuple[str, str, str], dict[str, str]]:
        """Other coders' decisions: answer × code → coder → yes/no."""
        result: dict[tuple[str, str, str], dict[str, str]] = {}
        for name, path in self.other_coder_files().items():
            try:
                frame = self.read_coder(path)
            except InputError:
                continue  # a broken colleague's file must not stop this coder's work
            for case_id, question, code_id, decision in frame[[*KEY, "decision"]].itertuples(index=False):
                result.setdefault((case_id, question, code_id), {})[name] = str(decision)
        return result

    def memo(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Write a memo on an answer or a code (``POST /api/memos``)."""
        kind = text_field(body, "kind")
        text = body.get("memo")
        if not isinstance(text, str):
            raise InputError("memo must be text (empty text deletes the memo)", code="E111")
        expected = body.get("expected")
        if expected is not None and not isinstance(expected, str):
            raise InputError("expected must be the memo's version text (\"\" when there is none)", code="E111")
        if kind == "code":
            code_id = text_field(body, "code_id")
            if code_id not in self._code_paths():
                raise InputError(f"code {code_id!r} is in no codebook of the project", code="E112")
            memo = self.store.set_memo("code", "", "", code_id, text, expected=expected)
        else:
            memo = self.store.set_memo(kind, text_field(body, "case_id"), text_field(body, "question"), "", text,
                                       expected=expected)
        return {"memo": memo.as_dict() if memo else None}
