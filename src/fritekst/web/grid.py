"""The coding grid: one answer as the page shows it, and the answers of a question filtered,
searched and paged (``GET /api/answers``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..analysis.summary import NO_THEME
from ..coding.decisions import Decision
from ..errors import InputError, ProjectError
from ..sources.corpus import year_value
from .fields import float_param, int_param, text_field

from .workspace import Workspace

#: Classifier codings with a probability below this are "low confidence" in the grid's filter.
LOW_CONFIDENCE = 0.7
STATUSES = ("uncoded", "auto", "low", "disagrees_hand", "disagrees_coder")
MAX_LIMIT = 500


def answer_view(workspace: Workspace, case_id: str, question: str, auto: list[dict[str, Any]],
                mine: Mapping[str, Decision],
                others: Mapping[tuple[str, str, str], dict[str, str]],
                memo: dict[str, str] | None) -> dict[str, Any]:
    """One answer as the grid shows it: text, attributes, chips per code, spans to highlight."""
    text = workspace.texts[(case_id, question)]
    codebook = workspace.codebook_of(question)
    auto_codes = {c["code_id"] for c in auto}
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
    attributes = workspace.attributes.get(case_id, {})
    return {"case_id": case_id, "question": question, "text": text,
            "attributes": {k: ("" if pd.isna(v) else str(v)) for k, v in attributes.items()},
            "codings": auto, "chips": chips, "spans": spans, "memo": memo}


def by_answer(decisions: Mapping[tuple[str, str, str], Decision]) -> dict[tuple[str, str], dict[str, Decision]]:
    """Decisions grouped by answer, ``(case_id, question) → code_id → Decision``, once per request:
    looking each answer's up among all decisions made the grid's time grow with answers × decisions."""
    grouped: dict[tuple[str, str], dict[str, Decision]] = {}
    for (case_id, question, code_id), decision in decisions.items():
        grouped.setdefault((case_id, question), {})[code_id] = decision
    return grouped


def view_of(workspace: Workspace, case_id: str, question: str) -> dict[str, Any]:
    memo = workspace.store.memos().get(("answer", case_id, question, ""))
    mine = {k[2]: d for k, d in workspace.store.decisions().items() if k[0] == case_id and k[1] == question}
    return answer_view(workspace, case_id, question, workspace.auto_by_answer().get((case_id, question), []),
                       mine, workspace.others_by_key(),
                       {"memo": memo.memo, "version": memo.updated_at} if memo else None)

def answers(workspace: Workspace, params: Mapping[str, str]) -> dict[str, Any]:
    """The grid's answers for a question, filtered, searched and paged (``GET /api/answers``)."""
    question = params.get("question") or workspace.project.questions[0].column
    codebook = workspace.codebook_of(question)
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
            if column not in workspace.corpus.attributes:
                raise InputError(f"attribute {column!r} is not in the corpus; known: "
                                 f"{', '.join(workspace.corpus.attributes)}", code="E106")
            filters[column] = value
    if params.get("year"):
        if not workspace.year_column:
            raise ProjectError("the project has no year column; leave out year", code="E303")
        filters[workspace.year_column] = year_value(params["year"])  # as the corpus's years were read
    offset = int_param(params, "offset", 0, 0, 10**9)
    limit = int_param(params, "limit", 50, 1, MAX_LIMIT)
    below = float_param(params, "below", LOW_CONFIDENCE)
    search = searcher(params.get("q") or "", params.get("regex") in ("1", "true", "yes"))
    auto = workspace.auto_by_answer()
    decisions = by_answer(workspace.store.decisions())
    others = workspace.others_by_key() if "disagrees_coder" in statuses else {}
    memos = {(m.case_id, m.question): m for m in workspace.store.memos().values() if m.kind == "answer"}
    matched: list[tuple[str, list[list[int]]]] = []
    n_hits = 0
    case_filter = params.get("case_id") or ""
    for case_id, q in workspace.texts:
        if q != question or (case_filter and case_id != case_filter):
            continue
        attributes = workspace.attributes.get(case_id, {})
        if any(str(attributes.get(c, "")) != v for c, v in filters.items()):
            continue
        codings = auto.get((case_id, q), [])
        mine = decisions.get((case_id, q), {})
        present = ({c["code_id"] for c in codings} - {k for k, d in mine.items() if d.decision == "no"}) \
            | {k for k, d in mine.items() if d.decision == "yes"}
        if code == NO_THEME and present:
            continue
        if code and code != NO_THEME and code not in present:
            continue
        if not _status_ok(statuses, case_id, q, codings, mine, present, others, below):
            continue
        hits: list[list[int]] = []
        if search is not None:
            hits = [[m.start(), m.end()] for m in search.finditer(workspace.texts[(case_id, q)]) if m.end() > m.start()]
            if not hits:
                continue
        n_hits += len(hits)
        matched.append((case_id, hits))
    page = matched[offset:offset + limit]
    others = others or workspace.others_by_key()
    views = []
    for case_id, hits in page:
        memo = memos.get((case_id, question))
        view = answer_view(workspace, case_id, question, auto.get((case_id, question), []),
                           decisions.get((case_id, question), {}), others,
                           {"memo": memo.memo, "version": memo.updated_at} if memo else None)
        view["hits"] = hits
        views.append(view)
    return {"question": question, "total": len(matched), "n_hits": n_hits, "offset": offset,
            "limit": limit, "answers": views}


def _status_ok(statuses: Sequence[str], case_id: str, question: str, codings: list[dict[str, Any]],
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


def record(workspace: Workspace, body: Mapping[str, Any]) -> dict[str, Any]:
    """Apply one decision (``POST /api/decisions``); returns the decision and the answer's new view."""
    case_id, question, code_id = (text_field(body, name) for name in ("case_id", "question", "code_id"))
    action = text_field(body, "action")
    expected = body.get("expected")
    if expected is not None and not isinstance(expected, str):
        raise InputError("expected must be the decision's version text (\"\" when there is none)", code="E111")
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        raise InputError("note must be text", code="E111")
    workspace.validate(case_id, question, code_id, [])
    if action == "accept":
        spans = [(c["start"], c["end"]) for c in workspace.auto_by_answer().get((case_id, question), [])
                 if c["code_id"] == code_id]
        if not spans:
            raise InputError(f"there is no automatic coding of {code_id!r} on case {case_id!r} to accept; "
                             "use action 'whole' or 'span' to code it by hand", code="E113")
        decision = workspace.store.decide(case_id, question, code_id, "yes", spans=list(_merge_spans(spans)),
                                     note=note, expected=expected)
    elif action in ("reject", "remove"):
        decision = workspace.store.decide(case_id, question, code_id, "no", note=note, expected=expected)
    elif action == "whole":
        decision = workspace.store.decide(case_id, question, code_id, "yes", note=note, expected=expected)
    elif action == "span":
        start, end = body.get("start"), body.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            raise InputError("a span decision needs whole-number start and end (character offsets)", code="E111")
        workspace.validate(case_id, question, code_id, [(start, end)])
        decision = workspace.store.add_span(case_id, question, code_id, (start, end), note=note, expected=expected)
    elif action == "clear":
        decision = workspace.store.decide(case_id, question, code_id, "clear", expected=expected)
    elif action == "note":
        current = workspace.store.get(case_id, question, code_id)
        if current is None:
            raise InputError("a note belongs to a decision; decide on the code first", code="E111")
        decision = workspace.store.decide(case_id, question, code_id, current.decision, spans=current.spans,
                                     note=note or "", expected=expected)
    else:
        raise InputError(f"action {action!r} is unknown; expected accept, reject, whole, span, remove, "
                         "clear or note", code="E111")
    return {"decision": decision.as_dict() if decision else None, "answer": view_of(workspace, case_id, question)}


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
