"""What the coding adds up to: the overview table, the report's quotes with pin/ban choices, the
coder's progress, and the report's numbers before and after a re-code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..analysis.quote_choices import read_quote_choices, write_quote_choices
from ..analysis.summary import ALL, NO_THEME
from ..coding.decisions import now_version
from ..errors import InputError, ProjectError
from ..outputs.report import column_label
from .fields import number, text_field

from .workspace import Workspace


def quotes(workspace: Workspace, question: str) -> dict[str, Any]:
    """The report's quotes per code for a question, with the project's pin/ban choices."""
    spec = _question_spec(workspace, question)
    qreport = next(q for q in workspace.report.questions if q.spec.column == spec.column)
    path = workspace.project.quote_choices
    choices = read_quote_choices(path) if path is not None else None
    chosen = {} if choices is None else {
        (r["code_id"], r["case_id"]): r["choice"] for r in choices.to_dict("records") if r["question"] == question}
    rows = [{"code_id": str(r["code_id"]), "label": str(r["code_label"]), "case_id": str(r["case_id"]),
             "year": str(r["year"]), "quote": str(r["quote"]),
             "choice": chosen.get((str(r["code_id"]), str(r["case_id"])), "")}
            for r in qreport.quotes.to_dict("records")]
    banned = [{"code_id": k[0], "case_id": k[1], "choice": v} for k, v in chosen.items() if v == "ban"]
    return {"question": question, "file": str(path) if path else "", "quotes": rows, "banned": banned}


def choose_quote(workspace: Workspace, body: Mapping[str, Any]) -> dict[str, Any]:
    """Pin, ban or clear a quote in the project's quote-choices file (``POST /api/quotes``)."""
    question, code_id, case_id, choice = (text_field(body, n) for n in ("question", "code_id", "case_id", "choice"))
    if choice not in ("pin", "ban", "clear"):
        raise InputError(f"choice {choice!r} is invalid; expected pin, ban or clear", code="E111")
    workspace.validate(case_id, question, "" if code_id == NO_THEME else code_id, [])
    path = workspace.project.quote_choices
    if path is None:
        raise ProjectError("the project has no quote-choices file; set [report] quote_choices", code="E303")
    with workspace.lock:
        frame = read_quote_choices(path)
        same = (frame["question"] == question) & (frame["code_id"] == code_id) & (frame["case_id"] == case_id)
        frame = frame[~same]
        if choice != "clear":
            row = {"question": question, "code_id": code_id, "case_id": case_id, "choice": choice,
                   "coder": workspace.coder, "decided_at": now_version()[:19]}
            frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
        write_quote_choices(path, frame)
        workspace.refresh_question(question)
    return quotes(workspace, question)


def _question_spec(workspace: Workspace, question: str) -> Any:
    if question not in {q.column for q in workspace.project.questions}:
        raise ProjectError(f"question {question!r} is not in the project", code="E305")
    return workspace.project.question(question)


def overview(workspace: Workspace, question: str, by: str, year: str) -> dict[str, Any]:
    """Code × group counts, shares and Wilson intervals of the last re-code (``GET /api/overview``)."""
    spec = _question_spec(workspace, question)
    by = by or ALL
    if by != ALL and by not in workspace.project.group_by:
        raise ProjectError(f"cannot split by {by!r}; the report groups by {', '.join(workspace.project.group_by)}", code="E305")
    qreport = next(q for q in workspace.report.questions if q.spec.column == question)
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
    for t in workspace.report.tables:
        if spec.table and t.spec.id == spec.table:
            published = [{k: (number(v) if isinstance(v, float) else (v if not isinstance(v, (bool,)) else bool(v)))
                          for k, v in r.items()} for r in t.link.to_dict("records")]
    groupings = [ALL, *workspace.project.group_by]
    return {"question": question, "label": spec.label, "by": by, "by_label": column_label(by, workspace.project),
            "year": year, "years": years, "groupings": groupings,
            # as the report names them: the project's [report] column_labels ("kommunestørrelse")
            "grouping_labels": {g: column_label(g, workspace.project) for g in groupings if g != ALL},
            "groups": groups,
            "rows": table, "published": published, "no_theme": NO_THEME}


def progress(workspace: Workspace) -> list[dict[str, Any]]:
    """Per question and code: how many answers (and automatic codings) this coder has reviewed."""
    decisions = workspace.store.decisions()
    decided_answers = Counter(k[1] for k in {(k[0], k[1]) for k in decisions} if k in workspace.texts)
    auto_pairs = {(c, q, code) for (c, q), codings in workspace.auto_by_answer().items() for code in
                  {x["code_id"] for x in codings}}
    automatic = Counter((q, code) for _, q, code in auto_pairs)
    reviewed = Counter((q, code) for c, q, code in auto_pairs if (c, q, code) in decisions)
    decided = Counter((q, code) for _, q, code in decisions)
    answers = Counter(q for _, q in workspace.texts)
    result = []
    for spec in workspace.project.questions:
        q = spec.column
        codes = [{"code_id": code_id, "automatic": automatic[(q, code_id)], "reviewed": reviewed[(q, code_id)],
                  "decided": decided[(q, code_id)]} for code_id in workspace.codebooks[spec.codebook].code_ids]
        result.append({"question": q, "label": spec.label, "answers": answers[q],
                       "reviewed": decided_answers[q], "codes": codes})
    return result
