"""The teaching loop: re-code with the edited rules, retrain a classifier on the hand codings so far,
suggest what to code next, and compare coders. Retraining runs in a background thread so the server
keeps answering.
"""

from __future__ import annotations

import math
import random
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analysis.agree import agreement
from ..analysis.summary import ALL
from ..coding.frame import ANSWER_KEY, KEY
from ..coding.suggest import suggest_answers
from ..errors import FritekstError, InputError, ProjectError
from ..outputs.report import Frequencies
from ..outputs.texts import texts_for
from .fields import number
from .workspace import Workspace

#: The share of reviewed answers held out to measure a retrained classifier.
HELD_OUT_SHARE = 0.25
MIN_REVIEWED = 10


@dataclass
class Job:
    """A background task the page polls: ``state`` is running, done or failed."""

    id: str
    kind: str
    state: str = "running"
    progress: float = 0.0
    message: str = ""
    result: dict[str, Any] | None = None
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "state": self.state, "progress": round(self.progress, 2),
                "message": self.message, "result": self.result, "error": self.error}


@dataclass
class Jobs:
    """The session's background jobs, by id."""

    jobs: dict[str, Job] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, kind: str, work: Any) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], kind=kind)
        with self.lock:
            self.jobs[job.id] = job

        def run() -> None:
            try:
                job.result = work(job)
                job.state, job.progress, job.message = "done", 1.0, "done"
            except FritekstError as exc:
                job.state, job.error = "failed", str(exc)
            except Exception as exc:  # noqa: BLE001 - shown on the page; the server keeps running
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
        threading.Thread(target=run, name=f"fritekst-{kind}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)


def codebook_questions(workspace: Workspace, name: str) -> list[str]:
    if name not in workspace.codebooks:
        raise ProjectError(f"codebook {name!r} is not in the project; known: {', '.join(workspace.codebooks)}", code="E305")
    return [q.column for q in workspace.project.questions if q.codebook == name]


def reviewed_gold(workspace: Workspace, questions: list[str], code_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reviewed answers and their codes: hand decisions where made, automatic codings elsewhere.

    A coder who accepts one code of an answer has looked at the whole answer, so its other automatic
    codings stand as they are; this makes every reviewed answer a fully labelled example.
    """
    keys = sorted({(k[0], k[1]) for k in workspace.store.decisions() if k[1] in questions})
    scope = pd.DataFrame(keys, columns=ANSWER_KEY, dtype=object)
    merged = workspace.merged
    index = pd.MultiIndex.from_frame(merged[ANSWER_KEY])
    gold = merged[index.isin(pd.MultiIndex.from_frame(scope)) & merged["code_id"].isin(code_ids)] \
        if len(scope) else merged.iloc[0:0]
    return scope, gold.reset_index(drop=True)


def retrain(workspace: Workspace, name: str, job: Job) -> dict[str, Any]:
    """Train the codebook's classifier on the reviewed answers, measured on held-out reviewed answers."""
    # scikit-learn only when asked (importing it cost seconds of every workbench start)
    from ..analysis.evaluate import evaluate_codings
    from ..coding.classify import predict_codings
    from ..rules.classifier import train_model

    codebook = workspace.codebooks[name]
    questions = codebook_questions(workspace, name)
    tr = texts_for(workspace.lang)
    job.message, job.progress = tr("web_job_collecting"), 0.05
    scope, gold = reviewed_gold(workspace, questions, codebook.code_ids)
    if len(scope) < MIN_REVIEWED:
        raise InputError(f"only {len(scope)} answers of codebook {name!r} are reviewed; review at least "
                         f"{MIN_REVIEWED} before retraining", code="E115")
    keys = list(scope.itertuples(index=False, name=None))
    random.Random(workspace.project.seed).shuffle(keys)
    n_held = max(2, round(len(keys) * HELD_OUT_SHARE))
    held = pd.DataFrame(sorted(keys[:n_held]), columns=ANSWER_KEY, dtype=object)
    train = pd.DataFrame(sorted(keys[n_held:]), columns=ANSWER_KEY, dtype=object)
    answers = workspace.corpus.answers[workspace.corpus.answers["question"].isin(questions)]
    keyword = workspace.auto[(workspace.auto["method"] == "keyword") & workspace.auto["question"].isin(questions)]
    job.message, job.progress = tr("web_job_training", n=len(train)), 0.2
    model = train_model(answers, gold, codebook, keyword_codings=keyword, scope=train,
                        settings={"random_state": workspace.project.seed, "cv": 3},
                        source=f"{workspace.hand_path.name} (workbench)")
    job.message, job.progress = tr("web_job_evaluating", n=len(held)), 0.8
    held_answers = held.merge(answers, on=ANSWER_KEY, how="left")
    predicted = predict_codings(model, held_answers, keyword)
    result = evaluate_codings(predicted, gold, held, codebook.code_ids, name="retrained classifier")
    current = evaluate_codings(workspace.auto, gold, held, codebook.code_ids, name="current rules")
    workspace.models[name] = model
    per_code = []
    for new, old in zip(result.per_code.to_dict("records"), current.per_code.to_dict("records")):
        per_code.append({"code_id": new["code_id"], "n_gold": int(new["n_gold"]),
                         "precision": number(new["precision"]), "recall": number(new["recall"]), "f1": number(new["f1"]),
                         "current_f1": number(old["f1"])})
    return {"codebook": name, "n_train": len(train), "n_held_out": len(held), "per_code": per_code,
            "micro": {k: number(v) for k, v in result.micro.items()},
            "current_micro": {k: number(v) for k, v in current.micro.items()},
            "skipped": model.metadata.get("skipped_codes", {})}


def suggest(workspace: Workspace, name: str, n: int) -> dict[str, Any]:
    """Unreviewed answers the classifier is least sure of, and answers no rule codes."""
    codebook = workspace.codebooks[name]
    questions = codebook_questions(workspace, name)
    answers = workspace.corpus.answers[workspace.corpus.answers["question"].isin(questions)].reset_index(drop=True)
    keyword = workspace.auto[(workspace.auto["method"] == "keyword") & workspace.auto["question"].isin(questions)]
    model = workspace.models.get(name)
    source = texts_for(workspace.lang)("web_model_session") if model is not None else ""
    if model is None:
        paths = [codebook.classifier] if codebook.classifier is not None else []
        paths += [r.classifier for r in codebook.rules("classifier") if r.classifier is not None]
        if paths:
            from ..rules.model_file import load_model

            model, source = load_model(paths[0], codebook), f"{paths[0].name}"
    scores = None
    if model is not None:
        from ..rules.fitted import predict_scores

        scores = predict_scores(model, answers, keyword)
    mine = workspace.store.frame()
    rows = suggest_answers(answers, workspace.auto[workspace.auto["question"].isin(questions)], scores,
                           model.thresholds if model is not None else None, manual=mine, n=n)
    return {"codebook": name, "model": source,
            "suggestions": [{k: (number(v) if isinstance(v, float) else v) for k, v in r.items()}
                            for r in rows.to_dict("records")]}


def agreement_view(workspace: Workspace, name: str) -> dict[str, Any]:
    """κ and α per code between this coder and every other coder's file, and the disagreements."""
    codebook = workspace.codebooks[name]
    questions = codebook_questions(workspace, name)
    frames = [workspace.store.frame()]
    coders = [workspace.coder]
    for coder, path in workspace.other_coder_files().items():
        frames.append(workspace.read_coder(path))
        coders.append(coder)
    frames = [f[f["question"].isin(questions) & f["code_id"].isin(codebook.code_ids)] for f in frames]
    if len(frames) < 2:
        return {"codebook": name, "coders": coders, "per_code": [], "disagreements": [],
                "message": texts_for(workspace.lang)("web_one_coder")}
    result = agreement(frames, coders, code_ids=codebook.code_ids, assume_complete=False)
    per_code = [{k: (number(v) if isinstance(v, float) else v) for k, v in r.items()}
                for r in result.per_code.to_dict("records")]
    disagreements = [{k: ("" if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                     for r in result.disagreements.head(300).to_dict("records")]
    return {"codebook": name, "coders": coders, "per_code": per_code, "disagreements": disagreements,
            "message": ""}


def recode(workspace: Workspace) -> dict[str, Any]:
    """Rerun the rules (codebooks re-read from disk), merge the hand decisions, and say what changed."""
    before, before_numbers = workspace.rerun()
    old = set(before[KEY].itertuples(index=False, name=None))
    new = set(workspace.merged[KEY].itertuples(index=False, name=None))
    added, removed = sorted(new - old), sorted(old - new)
    changes = [{"change": "added", "case_id": k[0], "question": k[1], "code_id": k[2]} for k in added] + \
              [{"change": "removed", "case_id": k[0], "question": k[1], "code_id": k[2]} for k in removed]
    return {"added": len(added), "removed": len(removed), "changes": changes[:500],
            "numbers": report_numbers(before_numbers, workspace.frequencies_of(workspace.merged))}


def report_numbers(before: Frequencies, after: Frequencies) -> list[dict[str, Any]]:
    """Whole-sample counts per question and code in the latest year key, before and after a re-code.

    ``before`` and ``after`` are :meth:`Workspace.frequencies_of` the codings: the report's own
    counts, without building the report.
    """
    def numbers(frequencies: Frequencies) -> dict[tuple[str, str], tuple[int, int, float | None]]:
        found: dict[tuple[str, str], tuple[int, int, float | None]] = {}
        for question, (year_keys, f) in frequencies.items():
            year = year_keys[-1] if year_keys else ALL
            rows = f[(f["group_by"] == ALL) & (f["year"] == year)]
            for code_id, n_coded, n_answered, pct in rows[["code_id", "n_coded", "n_answered", "pct"]].itertuples(
                    index=False, name=None):
                found[(question, str(code_id))] = (int(n_coded), int(n_answered), number(pct))
        return found
    old, new = numbers(before), numbers(after)
    rows = []
    for key in new:
        n_before = old.get(key, (0, 0, None))
        rows.append({"question": key[0], "code_id": key[1], "before": n_before[0], "after": new[key][0],
                     "n_answered": new[key][1], "pct_before": n_before[2], "pct_after": new[key][2],
                     "changed": n_before[0] != new[key][0]})
    return rows
