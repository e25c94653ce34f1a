"""Classifier rules as codings: scores above a threshold become codings, combined with keyword codings.

:mod:`fritekst.rules.classifier` is the estimator (training, scoring); this module is where its
scores meet the codings frame. :func:`predict_codings` codes each unit (segment or answer) whose
probability reaches its code's threshold, :func:`combine_codings` joins keyword and classifier
codings by the codebook's ``combine`` policy (:data:`POLICIES`), and
:func:`apply_classifier_rules` runs a codebook's classifier rules, and :func:`code_with_classifiers`
(the coder's entry point) runs them and combines the result with the keyword codings, with the
per-code choice of each model at hand for policy ``learned``.

Applying a model imports neither scikit-learn nor skops (see :mod:`fritekst.rules.fitted` and
:mod:`fritekst.rules.skops_reader`); the coder imports this module only when a codebook has
classifier rules.
"""

from __future__ import annotations

from dataclasses import replace

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..rules.fitted import ClassifierModel, unit_probabilities
from ..rules.keyword import KeywordMatcher
from ..rules.model_file import bind_to_codebook, load_model
from .frame import ANSWER_KEY, CODING_COLUMNS, concat_codings, empty_codings, sort_codings


#: Answers predicted at once; bounds the memory of feature blocks and probabilities.
PREDICT_CHUNK = 20_000


def predict_codings(model: ClassifierModel, answers: pd.DataFrame,
                    keyword_codings: pd.DataFrame | None = None, *, codes: Iterable[str] | None = None,
                    thresholds: dict[str, float] | None = None,
                    rule_ids: dict[str, str] | None = None) -> pd.DataFrame:
    """Code answers with a classifier: one coding per unit (segment or answer) above a threshold.

    Parameters
    ----------
    model : ClassifierModel
    answers : DataFrame
        ``case_id``, ``question``, ``text``.
    keyword_codings : DataFrame, optional
        Needed when the model uses keyword hits as features.
    codes : iterable of str, optional
        Restrict to these codes (default: every learned code).
    thresholds : dict, optional
        Per-code threshold overrides (a rule's ``threshold``).
    rule_ids : dict, optional
        ``rule_id`` to record per code (default ``"classifier"``).

    Returns
    -------
    DataFrame
        Codings with ``method="classifier"``, the unit's span (the sentence-like segment, or the
        whole answer for models trained on answers), ``score`` = probability.
    """
    wanted = [c for c in (codes if codes is not None else model.codes) if c in model.thresholds]
    answers = answers.reset_index(drop=True)
    if answers.empty or not wanted:
        return empty_codings()
    if len(answers) > PREDICT_CHUNK:
        # In chunks of answers (units never span answers, so the result is the same): the feature
        # blocks and probabilities of 200k answers at once took ~3 GB.
        frames = []
        for first in range(0, len(answers), PREDICT_CHUNK):
            chunk = answers.iloc[first:first + PREDICT_CHUNK]
            hits = (None if keyword_codings is None else
                    keyword_codings[keyword_codings["case_id"].isin(set(chunk["case_id"]))])
            frames.append(predict_codings(model, chunk, hits, codes=wanted, thresholds=thresholds,
                                          rule_ids=rule_ids))
        frames = [f for f in frames if not f.empty]
        return sort_codings(pd.concat(frames, ignore_index=True)) if frames else empty_codings()
    units, proba = unit_probabilities(model, answers, keyword_codings)
    columns = [model.classifier.classes_.index(c) for c in wanted]
    limits = np.array([(thresholds or {}).get(c, model.thresholds[c]) for c in wanted])
    values = proba[:, columns]
    rows, cols = np.nonzero(values >= limits)
    code_array = np.array(wanted, dtype=object)
    owners = units.owner[rows]
    out = pd.DataFrame({
        "case_id": answers["case_id"].to_numpy()[owners], "question": answers["question"].to_numpy()[owners],
        "code_id": code_array[cols], "start": pd.array(units.start[rows], dtype="Int64"),
        "end": pd.array(units.end[rows], dtype="Int64"), "method": "classifier",
        "rule_id": [(rule_ids or {}).get(c, "classifier") for c in code_array[cols]],
        "score": values[rows, cols].round(4)})
    return sort_codings(out[CODING_COLUMNS])


#: How keyword and classifier codings are combined (``combine:`` in the codebook).
POLICIES = {
    "union": "a code applies where keyword rules OR the classifier found it; both codings are kept",
    "learned": "per code, what cross-validation on the model's training answers chose: keyword rules alone, "
               "keyword rules OR the classifier at a threshold, or the classifier alone instead of the rules",
    "fallback": "the classifier codes only answers that no keyword rule coded at all",
    "keyword": "keyword rules only; classifier rules are ignored",
    "classifier": "for codes with a classifier rule only the classifier counts; other codes use keywords",
}


def combine_codings(keyword: pd.DataFrame, classifier: pd.DataFrame, policy: str = "union",
                    classifier_codes: Iterable[str] | None = None,
                    replaced: Iterable[str] | None = None) -> pd.DataFrame:
    """Combine keyword and classifier codings of the same answers by a documented policy.

    Parameters
    ----------
    keyword, classifier : DataFrame
        Codings frames (``method`` keyword and classifier respectively).
    policy : {"union", "fallback", "keyword", "classifier"}
        See :data:`POLICIES`. ``union`` favours recall: the classifier adds codes the keywords
        missed, also on answers the keywords coded otherwise (where both found a code, both codings
        are kept, so the classifier's score stays visible). ``fallback`` favours precision: keyword
        codings stand as they are and the classifier only fills in answers with no keyword coding.
    classifier_codes : iterable of str, optional
        Codes that have a classifier rule (for ``classifier``); default: codes in ``classifier``.
    replaced : iterable of str, optional
        For ``learned``: codes whose keyword codings give way to the classifier's (the model's
        :attr:`~fritekst.rules.fitted.ClassifierModel.replaced_codes`); the classifier codings must
        have been made at the model's learned thresholds (see :func:`learned_thresholds`).

    Examples
    --------
    >>> kw = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["a"], "start": [0],
    ...                    "end": [4], "method": ["keyword"], "rule_id": ["a1"], "score": [1.0]})
    >>> cl = kw.assign(code_id=["b"], end=[9], method=["classifier"], rule_id=["m"], score=[0.8])
    >>> combine_codings(kw, cl, "union")["code_id"].tolist()
    ['a', 'b']
    >>> combine_codings(kw, cl, "fallback")["code_id"].tolist()
    ['a']
    >>> combine_codings(kw, cl, "keyword")["code_id"].tolist()
    ['a']
    >>> combine_codings(kw, cl.assign(code_id=["a"]), "learned", replaced=["a"])["method"].tolist()
    ['classifier']
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown combine policy {policy!r}; expected one of {', '.join(POLICIES)}")
    frames = [keyword]
    if policy == "union":
        frames.append(classifier)
    elif policy == "learned":
        # the classifier codings were made at the model's learned thresholds (NEVER for codes left to
        # the keyword rules); codes the classifier took over lose their keyword codings
        gone = set(replaced or ())
        frames = [keyword[~keyword["code_id"].isin(gone)] if gone else keyword, classifier]
    elif policy == "fallback":
        coded = pd.MultiIndex.from_frame(keyword[ANSWER_KEY])
        frames.append(classifier[~pd.MultiIndex.from_frame(classifier[ANSWER_KEY]).isin(coded)])
    elif policy == "classifier":
        covered = set(classifier_codes) if classifier_codes is not None else set(classifier["code_id"])
        frames = [keyword[~keyword["code_id"].isin(covered)], classifier]
    return concat_codings(frames)


def apply_classifier_rules(answers: pd.DataFrame, codebook: Any,
                           keyword_codings: pd.DataFrame | None = None, policy: str | None = None) -> pd.DataFrame:
    """Run every classifier rule of ``codebook`` on ``answers`` (the codings, not yet combined).

    A code-level rule ``{id, classifier: path, threshold}`` codes its own code (with the rule's
    threshold if given); a codebook-level ``classifier: path`` codes every code the model learned that
    has no rule of its own. Each model file is loaded once and checked against the codebook.

    With policy ``learned`` (default: the codebook's ``combine``) a code without a threshold of its own
    is coded at the model's learned threshold (:func:`learned_thresholds`); which keyword codings
    those codings replace is :func:`code_with_classifiers`' business.

    Returns
    -------
    DataFrame
        Classifier codings (empty when the codebook has no classifier rules).
    """
    return _classifier_codings(answers, codebook, keyword_codings, policy)[0]


def code_with_classifiers(answers: pd.DataFrame, codebook: Any, keyword_codings: pd.DataFrame,
                          policy: str | None = None) -> pd.DataFrame:
    """Keyword codings of ``codebook``'s codes combined with its classifier rules by ``policy``.

    Parameters
    ----------
    answers : DataFrame
        The answers the codebook codes (``case_id``, ``question``, ``text``).
    keyword_codings : DataFrame
        Their keyword codings of this codebook's codes.
    policy : str, optional
        Default: the codebook's ``combine``. With ``learned`` each model's per-code choice is applied
        (keyword rules alone, union, or the classifier in place of the rules); a code whose rule sets
        its own ``threshold`` is a union at that threshold.
    """
    policy = policy or getattr(codebook, "combine", "union") or "union"
    predicted, replaced = _classifier_codings(answers, codebook, keyword_codings, policy)
    return combine_codings(keyword_codings, predicted, policy, replaced=replaced)


def learned_thresholds(model: ClassifierModel) -> dict[str, float]:
    """Per learned code, the threshold policy ``learned`` codes it at (above 1: not at all)."""
    return model.union_thresholds


def _classifier_codings(answers: pd.DataFrame, codebook: Any, keyword_codings: pd.DataFrame | None,
                        policy: str | None) -> tuple[pd.DataFrame, set[str]]:
    """Classifier codings of every classifier rule, and (policy ``learned``) the codes they replace."""
    learned = (policy or getattr(codebook, "combine", "union")) == "learned"
    replaced: set[str] = set()
    jobs: dict[Path, dict[str, tuple[str, float | None]]] = {}
    ruled: set[str] = set()
    for rule in codebook.rules("classifier"):
        jobs.setdefault(Path(rule.classifier), {})[rule.code_id] = (rule.id, rule.threshold)
        ruled.add(rule.code_id)
    models = {path: load_codebook_model(path, codebook) for path in jobs}
    for path, per_code in jobs.items():
        for code_id in per_code:
            if code_id not in models[path].codes:
                reason = models[path].metadata.get("skipped_codes", {}).get(code_id, "not in the model")
                raise ModelError(f"{path}: model has not learned code {code_id!r} ({reason}), yet a rule "
                                 f"of that code uses it; hand-code more examples and retrain, or remove the rule",
                                 code="E406")
    if getattr(codebook, "classifier", None) is not None:
        path = Path(codebook.classifier)
        if path not in models:
            models[path] = load_codebook_model(path, codebook)
        model = models[path]
        per_code = jobs.setdefault(path, {})
        for code_id in model.codes:
            if code_id not in ruled and code_id in codebook:  # a code removed since training
                per_code[code_id] = (f"classifier:{path.name}", None)
    frames = []
    for path, per_code in jobs.items():
        if not per_code:
            continue
        base = learned_thresholds(models[path]) if learned else {}
        if learned:
            replaced |= {c for c in models[path].replaced_codes
                         if c in per_code and per_code[c][1] is None}
        frames.append(predict_codings(
            models[path], answers, keyword_codings, codes=list(per_code),
            thresholds={**base, **{c: t for c, (_, t) in per_code.items() if t is not None}},
            rule_ids={c: r for c, (r, _) in per_code.items()}))
    return drop_negated(concat_codings(frames), answers, codebook, keyword_codings), replaced


#: Model files read in this process, by path: the file's (mtime, size, inode) and the model as read,
#: bound to no codebook.
_READ_MODELS: dict[str, tuple[tuple[int, int, int], ClassifierModel]] = {}


def load_codebook_model(path: str | Path, codebook: Any) -> ClassifierModel:
    """:func:`~fritekst.rules.model_file.load_model` for ``codebook``, reading the file only when it changed.

    The workbench re-codes after each codebook edit with the same model file; reading and checking
    it (zip directory, types, payload) took ~60 ms of every re-code on the example. The binding to
    the codebook is done on every call, as ``load_model(path, codebook)`` does it: the codebook's
    keyword rules as they are now (the near-miss features) and its staleness warnings.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return load_model(path, codebook)  # its error names the missing file
    key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    read = _READ_MODELS.get(str(path))
    if read is None or read[0] != key:
        read = _READ_MODELS[str(path)] = (key, load_model(path))
    return bind_to_codebook(read[1], codebook)


def drop_negated(classifier: pd.DataFrame, answers: pd.DataFrame, codebook: Any,
                 keyword_codings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Drop classifier codings of a code whose keywords the answer names only as absent.

    A classifier sees words, not their negation: "Vi har ikke FACT-team" looks like an answer about
    FACT. When a ``negation: forbid`` keyword rule of the code meets the answer only in negated form
    (its keyword is there, negated, and no keyword rule codes the code), the classifier's coding of
    that code is dropped: the absence of a thing is not its use.
    """
    if classifier.empty:
        return classifier
    specs = [replace(rule.spec, negation="require", rule_id=f"{rule.id}:negated")
             for rule in codebook.rules("keyword") if rule.spec is not None and rule.spec.negation == "forbid"]
    if not specs:
        return classifier
    coded = set()
    if keyword_codings is not None and not keyword_codings.empty:
        coded = set(zip(keyword_codings["case_id"], keyword_codings["question"], keyword_codings["code_id"]))
    # Only an answer with a classifier coding of a code that has such a rule, and no keyword coding
    # of it, can lose a coding: the others are not matched at all (the shipped example: 6 of 892
    # answers; matching them all with a new, cold matcher cost ~0.3 s of a cold `fritekst code`).
    forbidding = {spec.code_id for spec in specs}
    candidates = {(case_id, question) for case_id, question, code_id
                  in zip(classifier["case_id"], classifier["question"], classifier["code_id"])
                  if code_id in forbidding and (case_id, question, code_id) not in coded}
    if not candidates:
        return classifier
    keys = pd.DataFrame(list(candidates), columns=ANSWER_KEY).astype(classifier[ANSWER_KEY].dtypes.to_dict())
    texts = keys.merge(answers[[*ANSWER_KEY, "text"]], on=ANSWER_KEY, how="left")
    matcher = KeywordMatcher(specs)
    vetoed = {(row.case_id, row.question, hit.code_id)
              for row in texts.itertuples(index=False) if isinstance(row.text, str)
              for hit in matcher.match(row.text)}
    vetoed -= coded
    if not vetoed:
        return classifier
    keep = [(c, q, k) not in vetoed for c, q, k in zip(classifier["case_id"], classifier["question"],
                                                        classifier["code_id"])]
    return classifier[keep].reset_index(drop=True)
