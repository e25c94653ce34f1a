"""The project as the workbench sees it: answers, automatic codings, one coder's decisions, the report.

Everything here calls the library functions the CLI calls (load the project, code the corpus, merge
hand codings, summarise); the web layer (:mod:`fritekst.web.app`) only turns requests into calls on a
:class:`Workspace` and results into JSON.
"""

from __future__ import annotations

import dataclasses

import getpass
import math
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.quote_choices import read_quote_choices, write_quote_choices
from ..analysis.summary import ALL, NO_THEME
from ..coding.coder import code_project, load_project_codebooks, load_project_corpus
from ..coding.codings_io import read_codings
from ..coding.decisions import (
    DEFAULT_HAND_FOLDER,
    Decision,
    DecisionStore,
    default_hand_path,
    now_version,
    valid_coder_name,
)
from ..coding.frame import KEY
from ..coding.handcoding import merge_codings
from ..errors import InputError, ProjectError
from ..outputs.report import Report, build_report, column_label
from ..rules.codebook import Codebook
from ..sources.project import Project, load_project

#: Classifier codings with a probability below this are "low confidence" in the grid's filter.
LOW_CONFIDENCE = 0.7
STATUSES = ("uncoded", "auto", "low", "disagrees_hand", "disagrees_coder")
MAX_LIMIT = 500
#: Attributes with more distinct values than this are shown but not offered as a filter list.
MAX_FILTER_VALUES = 60


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
    """

    def __init__(self, project_path: str | Path, coder: str | None = None) -> None:
        self.project = load_project(project_path)
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
        self.merged, self.report = self._merge_and_report()

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

    def _merge_and_report(self) -> tuple[pd.DataFrame, Report]:
        merged, _ = merge_codings(self.auto, self.hand_frame(), self.corpus.answers)
        report = build_report(self._unsuppressed(), self.corpus.cases, self.corpus.answers, merged, self.codebooks,
                              codings_source="fritekst serve")
        return merged, report

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

    # --- the grid ----------------------------------------------------------------------------
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

    def answer_view(self, case_id: str, question: str, auto: list[dict[str, Any]],
                    decisions: Mapping[tuple[str, str, str], Decision],
                    others: Mapping[tuple[str, str, str], dict[str, str]],
                    memo: dict[str, str] | None) -> dict[str, Any]:
        """One answer as the grid shows it: text, attributes, chips per code, spans to highlight."""
        text = self.texts[(case_id, question)]
        codebook = self.codebook_of(question)
        auto_codes = {c["code_id"] for c in auto}
        mine = {k[2]: d for k, d in decisions.items() if k[0] == case_id and k[1] == question}
        chips, spans = [], []
        for code_id in codebook.code_ids:
            found = code_id in auto_codes
            decision = mine.get(code_id)
            other = others.get((case_id, question, code_id), {})
            if not found and decision is None and not other:
                continue
            if decision is None:
                state = "auto" if found else "other"
            elif decision.decision == "yes":
                state = "accepted" if found else "added"
            else:
                state = "rejected" if found else "absent"
            scores = [c["score"] for c in auto if c["code_id"] == code_id]
            chips.append({"code_id": code_id, "state": state, "score": min(scores) if scores else None,
                          "version": decision.decided_at if decision else "",
                          "note": decision.note if decision else "", "others": other})
            if decision is not None and decision.decision == "yes":
                for span in decision.spans:
                    start, end = span if span else (0, len(text))
                    spans.append({"code_id": code_id, "start": start, "end": end, "kind": "hand"})
            elif decision is None:
                spans.extend({"code_id": code_id, "start": c["start"], "end": c["end"], "kind": "auto"}
                             for c in auto if c["code_id"] == code_id)
        attributes = self.attributes.get(case_id, {})
        return {"case_id": case_id, "question": question, "text": text,
                "attributes": {k: ("" if pd.isna(v) else str(v)) for k, v in attributes.items()},
                "codings": auto, "chips": chips, "spans": spans, "memo": memo}

    def answers(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The grid's answers for a question, filtered, searched and paged (``GET /api/answers``)."""
        question = params.get("question") or self.project.questions[0].column
        codebook = self.codebook_of(question)
        statuses = [s for s in (params.get("status") or "").split(",") if s]
        for status in statuses:
            if status not in STATUSES:
                raise InputError(f"status {status!r} is unknown; expected any of {', '.join(STATUSES)}", code="E111")
        code = params.get("code") or ""
        if code and code not in codebook.code_ids and code != NO_THEME:
            raise InputError(f"code {code!r} is not in codebook {codebook.id!r}", code="E112")
        filters = {}
        for name, value in params.items():
            if name.startswith("attr."):
                column = name[5:]
                if column not in self.corpus.attributes:
                    raise InputError(f"attribute {column!r} is not in the corpus; known: "
                                     f"{', '.join(self.corpus.attributes)}", code="E106")
                filters[column] = value
        if params.get("year"):
            if not self.year_column:
                raise ProjectError("the project has no year column; leave out year", code="E303")
            filters[self.year_column] = params["year"]
        offset = _int(params, "offset", 0, 0, 10**9)
        limit = _int(params, "limit", 50, 1, MAX_LIMIT)
        below = _float(params, "below", LOW_CONFIDENCE)
        search = searcher(params.get("q") or "", params.get("regex") in ("1", "true", "yes"))
        auto = self.auto_by_answer()
        decisions = self.store.decisions()
        others = self.others_by_key() if "disagrees_coder" in statuses else {}
        memos = {(m.case_id, m.question): m for m in self.store.memos().values() if m.kind == "answer"}
        matched: list[tuple[str, list[list[int]]]] = []
        n_hits = 0
        case_filter = params.get("case_id") or ""
        for case_id, q in self.texts:
            if q != question or (case_filter and case_id != case_filter):
                continue
            attributes = self.attributes.get(case_id, {})
            if any(str(attributes.get(c, "")) != v for c, v in filters.items()):
                continue
            codings = auto.get((case_id, q), [])
            mine = {k[2]: d for k, d in decisions.items() if k[0] == case_id and k[1] == q}
            present = ({c["code_id"] for c in codings} - {k for k, d in mine.items() if d.decision == "no"}) \
                | {k for k, d in mine.items() if d.decision == "yes"}
            if code == NO_THEME and present:
                continue
            if code and code != NO_THEME and code not in present:
                continue
            if not self._status_ok(statuses, case_id, q, codings, mine, present, others, below):
                continue
            hits: list[list[int]] = []
            if search is not None:
                hits = [[m.start(), m.end()] for m in search.finditer(self.texts[(case_id, q)]) if m.end() > m.start()]
                if not hits:
                    continue
            n_hits += len(hits)
            matched.append((case_id, hits))
        page = matched[offset:offset + limit]
        others = others or self.others_by_key()
        views = []
        for case_id, hits in page:
            memo = memos.get((case_id, question))
            view = self.answer_view(case_id, question, auto.get((case_id, question), []), decisions, others,
                                    {"memo": memo.memo, "version": memo.updated_at} if memo else None)
            view["hits"] = hits
            views.append(view)
        return {"question": question, "total": len(matched), "n_hits": n_hits, "offset": offset,
                "limit": limit, "answers": views}

    def _status_ok(self, statuses: Sequence[str], case_id: str, question: str, codings: list[dict[str, Any]],
                   mine: Mapping[str, Decision], present: set[str],
                   others: Mapping[tuple[str, str, str], dict[str, str]], below: float) -> bool:
        auto_codes = {c["code_id"] for c in codings}
        for status in statuses:
            if status == "uncoded" and present:
                return False
            if status == "auto" and not (auto_codes - set(mine)):
                return False
            if status == "low" and not any(c["score"] < below and c["code_id"] not in mine for c in codings):
                return False
            if status == "disagrees_hand" and not any(
                    (d.decision == "no") == (code in auto_codes) for code, d in mine.items()):
                return False
            if status == "disagrees_coder":
                mine_or_auto = {code: ("yes" if code in present else "no") for code in set(mine) | auto_codes}
                keys = [k for k in others if k[0] == case_id and k[1] == question]
                if not any(len(set(others[k].values()) | ({mine_or_auto[k[2]]} if k[2] in mine_or_auto
                                                          else {"no"})) > 1 for k in keys):
                    return False
        return True

    # --- decisions ---------------------------------------------------------------------------
    def record(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Apply one decision (``POST /api/decisions``); returns the decision and the answer's new view."""
        case_id, question, code_id = (_text(body, name) for name in ("case_id", "question", "code_id"))
        action = _text(body, "action")
        expected = body.get("expected")
        if expected is not None and not isinstance(expected, str):
            raise InputError("expected must be the decision's version text (\"\" when there is none)", code="E111")
        note = body.get("note")
        if note is not None and not isinstance(note, str):
            raise InputError("note must be text", code="E111")
        self.validate(case_id, question, code_id, [])
        if action == "accept":
            spans = [(c["start"], c["end"]) for c in self.auto_by_answer().get((case_id, question), [])
                     if c["code_id"] == code_id]
            if not spans:
                raise InputError(f"there is no automatic coding of {code_id!r} on case {case_id!r} to accept; "
                                 "use action 'whole' or 'span' to code it by hand", code="E113")
            decision = self.store.decide(case_id, question, code_id, "yes", spans=list(_merge_spans(spans)),
                                         note=note, expected=expected)
        elif action in ("reject", "remove"):
            decision = self.store.decide(case_id, question, code_id, "no", note=note, expected=expected)
        elif action == "whole":
            decision = self.store.decide(case_id, question, code_id, "yes", note=note, expected=expected)
        elif action == "span":
            start, end = body.get("start"), body.get("end")
            if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
                raise InputError("a span decision needs whole-number start and end (character offsets)", code="E111")
            self.validate(case_id, question, code_id, [(start, end)])
            decision = self.store.add_span(case_id, question, code_id, (start, end), note=note, expected=expected)
        elif action == "clear":
            decision = self.store.decide(case_id, question, code_id, "clear", expected=expected)
        elif action == "note":
            current = self.store.get(case_id, question, code_id)
            if current is None:
                raise InputError("a note belongs to a decision; decide on the code first", code="E111")
            decision = self.store.decide(case_id, question, code_id, current.decision, spans=current.spans,
                                         note=note or "", expected=expected)
        else:
            raise InputError(f"action {action!r} is unknown; expected accept, reject, whole, span, remove, "
                             "clear or note", code="E111")
        return {"decision": decision.as_dict() if decision else None, "answer": self.view_of(case_id, question)}

    def view_of(self, case_id: str, question: str) -> dict[str, Any]:
        memo = self.store.memos().get(("answer", case_id, question, ""))
        return self.answer_view(case_id, question, self.auto_by_answer().get((case_id, question), []),
                                self.store.decisions(), self.others_by_key(),
                                {"memo": memo.memo, "version": memo.updated_at} if memo else None)

    def memo(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Write a memo on an answer or a code (``POST /api/memos``)."""
        kind = _text(body, "kind")
        text = body.get("memo")
        if not isinstance(text, str):
            raise InputError("memo must be text (empty text deletes the memo)", code="E111")
        expected = body.get("expected")
        if expected is not None and not isinstance(expected, str):
            raise InputError("expected must be the memo's version text (\"\" when there is none)", code="E111")
        if kind == "code":
            code_id = _text(body, "code_id")
            if code_id not in self._code_paths():
                raise InputError(f"code {code_id!r} is in no codebook of the project", code="E112")
            memo = self.store.set_memo("code", "", "", code_id, text, expected=expected)
        else:
            memo = self.store.set_memo(kind, _text(body, "case_id"), _text(body, "question"), "", text,
                                       expected=expected)
        return {"memo": memo.as_dict() if memo else None}

    # --- the loop ------------------------------------------------------------------------------
    def recode(self) -> dict[str, Any]:
        """Rerun the rules (codebooks re-read from disk), merge the hand decisions, and say what changed."""
        with self.lock:
            before, before_report = self.merged, self.report
            codebooks = load_project_codebooks(self.project)
            self.codebooks = codebooks
            self.auto = self._code()
            self.merged, self.report = self._merge_and_report()
        old = set(before[KEY].itertuples(index=False, name=None))
        new = set(self.merged[KEY].itertuples(index=False, name=None))
        added, removed = sorted(new - old), sorted(old - new)
        changes = [{"change": "added", "case_id": k[0], "question": k[1], "code_id": k[2]} for k in added] + \
                  [{"change": "removed", "case_id": k[0], "question": k[1], "code_id": k[2]} for k in removed]
        return {"added": len(added), "removed": len(removed), "changes": changes[:500],
                "numbers": report_numbers(before_report, self.report)}

    # --- quotes --------------------------------------------------------------------------------
    def quotes(self, question: str) -> dict[str, Any]:
        """The report's quotes per code for a question, with the project's pin/ban choices."""
        spec = self._question_spec(question)
        qreport = next(q for q in self.report.questions if q.spec.column == spec.column)
        path = self.project.quote_choices
        choices = read_quote_choices(path) if path is not None else None
        chosen = {} if choices is None else {
            (r["code_id"], r["case_id"]): r["choice"] for r in choices.to_dict("records") if r["question"] == question}
        quotes = [{"code_id": str(r["code_id"]), "label": str(r["code_label"]), "case_id": str(r["case_id"]),
                   "year": str(r["year"]), "quote": str(r["quote"]),
                   "choice": chosen.get((str(r["code_id"]), str(r["case_id"])), "")}
                  for r in qreport.quotes.to_dict("records")]
        banned = [{"code_id": k[0], "case_id": k[1], "choice": v} for k, v in chosen.items() if v == "ban"]
        return {"question": question, "file": str(path) if path else "", "quotes": quotes, "banned": banned}

    def choose_quote(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Pin, ban or clear a quote in the project's quote-choices file (``POST /api/quotes``)."""
        question, code_id, case_id, choice = (_text(body, n) for n in ("question", "code_id", "case_id", "choice"))
        if choice not in ("pin", "ban", "clear"):
            raise InputError(f"choice {choice!r} is invalid; expected pin, ban or clear", code="E111")
        self.validate(case_id, question, "" if code_id == NO_THEME else code_id, [])
        path = self.project.quote_choices
        if path is None:
            raise ProjectError("the project has no quote-choices file; set [report] quote_choices", code="E303")
        with self.lock:
            frame = read_quote_choices(path)
            same = (frame["question"] == question) & (frame["code_id"] == code_id) & (frame["case_id"] == case_id)
            frame = frame[~same]
            if choice != "clear":
                row = {"question": question, "code_id": code_id, "case_id": case_id, "choice": choice,
                       "coder": self.coder, "decided_at": now_version()[:19]}
                frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
            write_quote_choices(path, frame)
            self.report = build_report(self._unsuppressed(), self.corpus.cases, self.corpus.answers, self.merged,
                                       self.codebooks, codings_source="fritekst serve")
        return self.quotes(question)

    def _question_spec(self, question: str) -> Any:
        if question not in {q.column for q in self.project.questions}:
            raise ProjectError(f"question {question!r} is not in the project", code="E305")
        return self.project.question(question)

    # --- overview, progress ------------------------------------------------------------------
    def overview(self, question: str, by: str, year: str) -> dict[str, Any]:
        """Code × group counts, shares and Wilson intervals of the last re-code (``GET /api/overview``)."""
        spec = self.project.question(question) if question in {q.column for q in self.project.questions} \
            else None
        if spec is None:
            raise ProjectError(f"question {question!r} is not in the project", code="E305")
        by = by or ALL
        if by != ALL and by not in self.project.group_by:
            raise ProjectError(f"cannot split by {by!r}; the report groups by {', '.join(self.project.group_by)}", code="E305")
        qreport = next(q for q in self.report.questions if q.spec.column == question)
        years = qreport.base.year_keys()
        year = year or years[-1]
        if year not in years:
            raise ProjectError(f"year {year!r} has no answers to {question!r}; years: {', '.join(years)}", code="E305")
        freq = qreport.frequencies
        rows = freq[(freq["year"] == year) & (freq["group_by"] == by)]
        groups = list(dict.fromkeys(rows["group"]))
        table = []
        for code_id in qreport.base.theme_ids:
            cells = {}
            for r in rows[rows["code_id"] == code_id].to_dict("records"):
                # Groups under [report] min_group_size have no count or share ("n < 5").
                small = bool(r.get("small_cell"))
                cells[str(r["group"])] = {"n_coded": None if small else int(r["n_coded"]),
                                          "n_answered": int(r["n_answered"]), "small_cell": r.get("small_cell", ""),
                                          "pct": number(r["pct"]), "ci_low": number(r["ci_low"]),
                                          "ci_high": number(r["ci_high"])}
            table.append({"code_id": code_id, "label": qreport.base.labels[code_id], "cells": cells})
        published = []
        for t in self.report.tables:
            if spec.table and t.spec.id == spec.table:
                published = [{k: (number(v) if isinstance(v, float) else (v if not isinstance(v, (bool,)) else bool(v)))
                              for k, v in r.items()} for r in t.link.to_dict("records")]
        return {"question": question, "label": spec.label, "by": by, "by_label": column_label(by),
                "year": year, "years": years, "groupings": [ALL, *self.project.group_by], "groups": groups,
                "rows": table, "published": published, "no_theme": NO_THEME}

    def progress(self) -> list[dict[str, Any]]:
        """Per question and code: how many answers (and automatic codings) this coder has reviewed."""
        decisions = self.store.decisions()
        decided_answers = Counter(k[1] for k in {(k[0], k[1]) for k in decisions} if k in self.texts)
        auto_pairs = {(c, q, code) for (c, q), codings in self.auto_by_answer().items() for code in
                      {x["code_id"] for x in codings}}
        automatic = Counter((q, code) for _, q, code in auto_pairs)
        reviewed = Counter((q, code) for c, q, code in auto_pairs if (c, q, code) in decisions)
        decided = Counter((q, code) for _, q, code in decisions)
        answers = Counter(q for _, q in self.texts)
        result = []
        for spec in self.project.questions:
            q = spec.column
            codes = [{"code_id": code_id, "automatic": automatic[(q, code_id)], "reviewed": reviewed[(q, code_id)],
                      "decided": decided[(q, code_id)]} for code_id in self.codebooks[spec.codebook].code_ids]
            result.append({"question": q, "label": spec.label, "answers": answers[q],
                           "reviewed": decided_answers[q], "codes": codes})
        return result


def report_numbers(before: Report, after: Report) -> list[dict[str, Any]]:
    """Whole-sample counts per question and code in the latest year key, before and after a re-code."""
    def numbers(report: Report) -> dict[tuple[str, str], tuple[int, int, float | None]]:
        found: dict[tuple[str, str], tuple[int, int, float | None]] = {}
        for q in report.questions:
            year = q.base.year_keys()[-1] if q.base.year_keys() else ALL
            f = q.frequencies
            rows = f[(f["group_by"] == ALL) & (f["year"] == year)]
            for code_id, n_coded, n_answered, pct in rows[["code_id", "n_coded", "n_answered", "pct"]].itertuples(
                    index=False, name=None):
                found[(str(q.spec.column), str(code_id))] = (int(n_coded), int(n_answered), number(pct))
        return found
    old, new = numbers(before), numbers(after)
    rows = []
    for key in new:
        n_before = old.get(key, (0, 0, None))
        rows.append({"question": key[0], "code_id": key[1], "before": n_before[0], "after": new[key][0],
                     "n_answered": new[key][1], "pct_before": n_before[2], "pct_after": new[key][2],
                     "changed": n_before[0] != new[key][0]})
    return rows


def searcher(query: str, regex: bool) -> re.Pattern[str] | None:
    """The pattern of a grid search: words (each a word start, any order) or a regular expression."""
    if not query.strip():
        return None
    if len(query) > 200:
        raise InputError("search text is longer than 200 characters; shorten it", code="E111")
    if regex:
        try:
            return re.compile(query, re.IGNORECASE)
        except re.error as exc:
            raise InputError(f"search {query!r} is not a valid regular expression ({exc}); fix it or "
                             "search for words", code="E111") from None
    # A word matches where a word starts and runs on to the word's end ("midl" finds "midlene"); a
    # word that starts or ends with punctuation ("<script>") matches exactly there.
    words = [(r"\b" if w[0].isalnum() else "") + re.escape(w) + (r"\w*" if w[-1].isalnum() else "")
             for w in query.split()]
    return re.compile("|".join(words), re.IGNORECASE)


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number, 6)


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise InputError(f"{name} is missing; send it as text", code="E111")
    return value


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise InputError(f"{name} must be a whole number, got {raw!r}", code="E111") from None
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low} and {high}, got {value}", code="E111")
    return value


def _float(params: Mapping[str, str], name: str, default: float) -> float:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(str(raw))
    except ValueError:
        raise InputError(f"{name} must be a number, got {raw!r}", code="E111") from None
