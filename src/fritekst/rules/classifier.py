"""Classifier rules: a multi-label scikit-learn model trained on hand-coded answers.

:class:`AnswerClassifier` is one logistic regression per code (one-vs-rest) over the features of
:mod:`fritekst.rules.features`. Each code gets its own decision threshold, chosen on out-of-fold
probabilities from stratified cross-validation (the threshold that maximises F1), because codes are
rare and a fixed 0.5 misses most of them. Everything is deterministic given ``random_state``.

:func:`train_model` learns from the sentence-like segments of hand-coded answers, labelled by the
hand-coded spans they overlap; :func:`unit_probabilities` scores each segment, and
:func:`fritekst.coding.classify.predict_codings` codes each segment above its code's threshold, so a
classifier coding points at the sentence that carries the code. The result is a
:class:`ClassifierModel`: the estimator plus metadata (fritekst version, codebook id and hash, code
ids, training summary, settings, thresholds, date), saved and loaded by :mod:`fritekst.rules.model_file`.

Turning scores into codings, and combining them with keyword codings, is the coding stage's job
(:mod:`fritekst.coding.classify`): this module knows nothing of the codings frame.

Examples
--------
>>> import pandas as pd
>>> texts = ["ingen midler", "ikke økonomi", "ser behov", "brukerne ønsker det"] * 3
>>> labels = pd.DataFrame({"okonomi": [1, 1, 0, 0] * 3, "ser_behov": [0, 0, 1, 1] * 3})
>>> clf = AnswerClassifier(cv=3, min_df=1).fit(pd.DataFrame({"text": texts}), labels)
>>> clf.predict(pd.DataFrame({"text": ["ingen midler i budsjettet"]})).astype(int).tolist()
[[1, 0]]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import sklearn
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from .._version import __version__
from ..errors import InputError
from .features import ANSWER_KEY, FeatureSpace, make_units, rule_evidence, unit_labels
# Applying a model needs no scikit-learn: the predicting half lives in .fitted (re-exported here).
from .fitted import COMBINATIONS, ClassifierModel, LinearCodes, keyword_specs, predict_scores, unit_probabilities
from .fitted import model_inputs as _inputs

__all__ = ["AnswerClassifier", "ClassifierModel", "LinearCodes", "predict_scores", "unit_probabilities",
           "seed_answers", "training_answers", "train_model", "SEED_QUESTION",
           "THRESHOLD_GRID", "COMBINATIONS", "NEVER", "UNION_TIES", "CHOICES", "choose_combination",
           "pooled_anchors"]

#: Threshold candidates tried in cross-validation (a coarse grid does not chase noise in small folds).
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
#: Where policy ``learned`` sends tied combinations (see ``AnswerClassifier._tie_target``).
UNION_TIES = ("better", "classifier", "keyword")
#: A threshold no probability reaches: the classifier adds nothing (keyword rules alone).
NEVER = 1.01
#: How policy ``learned`` picks a code's combination (``AnswerClassifier(choice=...)``).
CHOICES = ("best", "bound", "pooled")
#: Bootstrap resamples of the judged answers behind ``choice="bound"``.
BOUND_DRAWS = 200


class AnswerClassifier(BaseEstimator, LinearCodes):  # type: ignore[misc]  # scikit-learn ships no types
    """One-vs-rest logistic regression with per-code thresholds chosen by cross-validation.

    A scikit-learn estimator: ``get_params(deep)``/``set_params`` come from
    :class:`sklearn.base.BaseEstimator` (``__init__`` only stores its arguments), so
    :func:`sklearn.base.clone`, ``GridSearchCV`` and ``Pipeline`` work; :meth:`fit` returns
    ``self`` and everything it learns ends in ``_``.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of each logistic regression.
    cv : int
        Folds used to choose each code's threshold (fewer when a code has fewer positives).
    min_positives : int
        Codes with fewer positive training rows are not learned (they never fire).
    class_weight : str or None
        ``"balanced"`` weighs the rare positives up; scores are then relative, not calibrated.
    word_ngrams, char_ngrams, min_df, lemmatizer, weights
        Passed to :class:`fritekst.rules.features.FeatureSpace`.
    random_state : int
        Seed for the fold assignment and the solver: same data and seed give the same model.
    replace_rules : bool
        Let policy ``learned`` put the classifier in place of a code's keyword rules where that wins
        out of fold (default); off, ``learned`` chooses between keyword rules alone and a union.
    seed_weight : float
        Sample weight of the codebook's own examples (rows ``judge`` marks False) against 1 for a
        hand-coded answer.
    threshold_tolerance : float
        Thresholds whose out-of-fold F1 is within this of the best count as tied (ties go to the
        threshold nearest 0.5, or for the combination as ``union_ties`` says): a few answers
        of a small fold do not pull a threshold far from the middle.
    precision_guard : float or None
        Policy ``learned`` never adds classifier codings to a code's keyword rules (nor replaces them)
        at an out-of-fold precision more than this below the rules' own (default 0: never below it;
        ``None``: no guard). Chosen on the training pool (docs/classifier-and-evaluation.md).
    scope : {"none", "negation", "hedge", "both"}
        Words in a negation or hedge add a marked word feature (see
        :class:`fritekst.rules.features.FeatureSpace`).
    guard_until : int or None
        The precision guard holds only while fewer than this many hand-coded answers were judged
        (default 300; ``None``: always); from there on the out-of-fold F1 alone chooses the
        combination: with hundreds of hand-coded answers the classifier's own out-of-fold F1 is the
        better judge (docs/classifier-and-evaluation.md, Feature round 3).
    union_ties : {"better", "classifier", "keyword"}
        Where policy ``learned`` goes when several combinations tie out of fold (flat F1 on few
        answers): ``"better"`` (default) to the keyword rules alone when they did at least as well out
        of fold as the classifier alone on the hand-coded answers, else to the classifier's own
        threshold; ``"classifier"`` always to the classifier's threshold (before 2026-12-03);
        ``"keyword"`` always to the rules (docs/classifier-and-evaluation.md).
    replace_min_positives : int
        Policy ``learned`` lets the classifier replace a code's keyword rules only once at least this
        many hand-coded answers (the codebook's examples not counted) have the code (default 10):
        out-of-fold F1 on fewer positives moves by whole answers.
    cv_groups : {"answer", "source"}
        What a cross-validation fold holds out: answers (default), or whole training sources
        (``sources`` in :meth:`fit`: the file or corpus each answer came from), so that thresholds and
        the combination are chosen on phrasings the fold's model has not seen.
    C_grid : tuple of float, optional
        Choose each code's C from these by the same cross-validation (the C whose out-of-fold
        answer-level F1 at its best threshold is highest; ties: nearest ``C`` on a log scale), instead
        of ``C`` for every code. Costs one cross-validation per value at training, nothing at prediction.
    compounds, content_words, tf
        Compound parts as lemma unigrams, function words dropped as unigrams, binary term
        frequency: passed to :class:`fritekst.rules.features.FeatureSpace` (defaults: as before the
        eighth round, docs/classifier-and-evaluation.md).
    choice : {"best", "bound"}
        How policy ``learned`` picks each code's combination from the out-of-fold scores.
        ``"best"`` (default): the highest out-of-fold F1, the rules first weighed against the unions,
        then the classifier alone against the chosen union (``union_ties``, ``precision_guard``,
        ``replace_min_positives``). ``"bound"``: every candidate (rules alone, each union, the
        classifier alone) is scored on the hand-coded answers only, and its F1 lowered by
        ``choice_z`` standard deviations of its paired difference to the rules alone over bootstrap
        resamples of those answers; the highest lowered F1 wins, ties to the safer candidate (the
        rules, then the most cautious union, then the classifier): with thin evidence the rules
        stay, with much the out-of-fold winner is chosen (:func:`choose_combination`).
        ``"pooled"``: the same, but each code is shrunk toward what wins over all codes together
        (:func:`pooled_anchors`: each code's best union if their pooled F1 beats the rules alone by
        more than ``choice_z`` sd, else the rules alone), so blind rules are not the safe choice.
    choice_z : float
        Standard deviations of the bootstrap difference a candidate is lowered by (``choice="bound"``).
    replace_margin : float
        With ``choice="best"``, the classifier replaces a code's rules only when its out-of-fold F1 on
        the hand-coded answers beats the chosen union's by more than this (default 0: by anything), a
        prior for the researcher's rules. Measured in the eleventh round
        (docs/classifier-and-evaluation.md): every margin tried lost on sources the rules were not
        written on, so it is off.
    evidence : bool
        The keyword block also holds the rules' near misses (``<code>|negated``, ``<code>|hedged``,
        :func:`fritekst.rules.features.rule_evidence`), computed from the codebook's current rules by
        :func:`train_model` and at prediction time; the estimator itself only sees them as hits.

    Attributes
    ----------
    classes_ : list of str
        Code ids, the columns of ``Y`` in :meth:`fit`.
    features_ : FeatureSpace
    coef_ : ndarray of shape (n_codes, n_features)
    intercept_, thresholds_, cv_f1_ : ndarray of shape (n_codes,)
        Thresholds apply to calibrated probabilities; ``cv_f1_`` is the out-of-fold answer-level F1
        at the chosen threshold (NaN: too few answers to cross-validate, threshold 0.5).
    calibration_ : ndarray of shape (n_codes, 2)
        Slope and intercept of each code's Platt sigmoid on the decision value (identity ``[1, 0]``
        when there was nothing to calibrate on).
    threshold_grid_ : ndarray of shape (n_thresholds,)
    cv_counts_ : ndarray of int, shape (n_codes, n_thresholds, 3)
        Out-of-fold answer-level TP, FP, FN of each code at each grid threshold: the trade-off
        ``fritekst evaluate`` shows.
    combination_ : ndarray of int, shape (n_codes,)
        Index into :data:`COMBINATIONS`: what policy ``learned`` does with each code (keyword rules
        alone, union, or the classifier in place of the rules), chosen by the same cross-validation.
    union_thresholds_, union_cv_f1_ : ndarray of shape (n_codes,)
        The threshold policy ``learned`` codes each code at, and the out-of-fold answer-level F1 of
        the choice (for ``classifier``: on the hand-coded answers, the codebook's examples left out).
        :data:`NEVER` (1.01): no classifier coding (keyword rules alone). Without keyword hits in
        ``fit`` the same as ``thresholds_`` and ``cv_f1_``.
    trained_ : ndarray of bool, shape (n_codes,)
        False for codes with too few positives (their probability is always 0).
    C_ : ndarray of shape (n_codes,)
        The C each code was learned with (``C``, or the choice from ``C_grid``); not stored in
        model files (training information only).
    cv_answers_ : list of dict or None, one per code
        What the combination was chosen from, per training answer: ``proba`` (the out-of-fold
        probability, the maximum over the answer's segments), ``truth`` (0/1), ``judged`` (a
        hand-coded answer, not a codebook example) and, with keyword hits, ``keyword`` (did the
        rules code it); None for a code not cross-validated. Training information only (not in model
        files): benchmarks/choice_pool.py replays other choices on it.
    """

    def __init__(self, C: float = 10.0, cv: int = 5, min_positives: int = 3,
                 class_weight: str | None = "balanced", word_ngrams: tuple[int, int] = (1, 2),
                 char_ngrams: tuple[int, int] = (2, 5), min_df: int = 1, lemmatizer: str = "lemma",
                 weights: dict[str, float] | None = None, random_state: int = 0,
                 replace_rules: bool = True, seed_weight: float = 1.0,
                 precision_guard: float | None = 0.0,
                 evidence: bool = False, threshold_tolerance: float = 0.0, scope: str = "none",
                 cv_groups: str = "answer", guard_until: int | None = 300, union_ties: str = "better",
                 replace_min_positives: int = 10, compounds: str = "none", content_words: bool = False,
                 tf: str = "sublinear", C_grid: tuple[float, ...] | None = None, choice: str = "best",
                 choice_z: float = 1.0, replace_margin: float = 0.0) -> None:
        self.C = C
        self.cv = cv
        self.min_positives = min_positives
        self.class_weight = class_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.lemmatizer = lemmatizer
        self.weights = weights
        self.random_state = random_state
        self.replace_rules = replace_rules
        self.seed_weight = seed_weight
        self.precision_guard = precision_guard
        self.evidence = evidence
        self.threshold_tolerance = threshold_tolerance
        self.scope = scope
        self.cv_groups = cv_groups
        self.guard_until = guard_until
        self.union_ties = union_ties
        self.replace_min_positives = replace_min_positives
        self.compounds = compounds
        self.content_words = content_words
        self.tf = tf
        self.C_grid = C_grid
        self.choice = choice
        self.choice_z = choice_z
        self.replace_margin = replace_margin

    def settings(self) -> dict[str, Any]:
        """The settings given to ``__init__`` as plain data (stored in the model file)."""
        return {"C": self.C, "cv": self.cv, "min_positives": self.min_positives,
                "class_weight": self.class_weight, "word_ngrams": list(self.word_ngrams),
                "char_ngrams": list(self.char_ngrams), "min_df": self.min_df,
                "lemmatizer": self.lemmatizer, "weights": dict(self.weights or {}),
                "random_state": self.random_state, "replace_rules": self.replace_rules,
                "seed_weight": self.seed_weight, "precision_guard": self.precision_guard,
                "evidence": self.evidence,
                "threshold_tolerance": self.threshold_tolerance, "scope": self.scope,
                "cv_groups": self.cv_groups, "guard_until": self.guard_until, "union_ties": self.union_ties,
                "replace_min_positives": self.replace_min_positives, "compounds": self.compounds,
                "content_words": self.content_words, "tf": self.tf,
                "C_grid": None if self.C_grid is None else [float(c) for c in self.C_grid],
                "choice": self.choice, "choice_z": float(self.choice_z),
                "replace_margin": float(self.replace_margin)}

    def fit(self, X: pd.DataFrame, Y: pd.DataFrame, groups: Sequence[int] | np.ndarray | None = None,
            judge: Sequence[bool] | np.ndarray | None = None,
            sources: Sequence[str] | np.ndarray | None = None) -> AnswerClassifier:
        """Learn features, one logistic regression per code, and per-code thresholds.

        Parameters
        ----------
        X : DataFrame
            Column ``text``; optionally ``question`` and ``keywords`` (iterables of code ids that the
            keyword rules found in the text). Optional columns present here are required later.
        Y : DataFrame
            One 0/1 column per code id, rows aligned with ``X``.
        groups : array of int, optional
            The answer each row belongs to, when rows are segments of answers. Folds then keep an
            answer's segments together, and thresholds are chosen on the answer-level maximum
            probability, which is how predictions are turned into codes.
        judge : array of bool, optional
            Rows that are real hand-coded answers (default: all). :func:`train_model` marks the
            codebook's own examples False: the keyword rules were written with them and code them by
            construction, so they cannot tell how the rules do on real answers. With no judged row
            at all, the combination is the keyword rules alone (``union_thresholds_`` = NEVER).
        sources : array of str, optional
            The training source of each row (with ``cv_groups="source"``: folds hold out sources).
        """
        if len(X) != len(Y):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        if self.cv_groups not in ("answer", "source"):
            raise ValueError(f"cv_groups must be 'answer' or 'source', not {self.cv_groups!r}")
        if self.choice not in CHOICES:
            raise ValueError(f"choice must be one of {', '.join(CHOICES)}, not {self.choice!r}")
        margin = self.replace_margin
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not margin >= 0:
            raise ValueError(f"replace_margin must be a number of at least 0, not {self.replace_margin!r}")
        if self.union_ties not in UNION_TIES:
            raise ValueError(f"union_ties must be one of {', '.join(UNION_TIES)}, not {self.union_ties!r}")
        self.classes_ = [str(c) for c in Y.columns]
        self.features_ = FeatureSpace(word_ngrams=_as_pair(self.word_ngrams), char_ngrams=_as_pair(self.char_ngrams),
                                      min_df=self.min_df, lemmatizer=self.lemmatizer, weights=self.weights,
                                      scope=self.scope, compounds=self.compounds,
                                      content_words=self.content_words, tf=self.tf)
        texts, questions, hits = _inputs(X)
        self.features_.fit(texts, questions, hits, keyword_codes=self.classes_ if hits is not None else None)
        matrix = self.features_.transform(texts, questions, hits)
        labels = Y.to_numpy(dtype=int)
        group_ids = np.unique(np.asarray(groups), return_inverse=True)[1] if groups is not None \
            else np.arange(len(labels))
        n_codes = len(self.classes_)
        keyword_present = _keyword_presence(hits, self.classes_, group_ids)
        judged = np.ones(len(labels), dtype=bool) if judge is None else np.asarray(judge, dtype=bool)
        judged_groups = np.zeros(int(group_ids.max()) + 1 if len(group_ids) else 0, dtype=bool)
        np.logical_or.at(judged_groups, group_ids, judged)
        # the source of each answer (group), when folds are to hold out whole sources
        group_sources = None
        if self.cv_groups == "source" and sources is not None:
            source_ids = np.unique(np.asarray(sources, dtype=str), return_inverse=True)[1]
            group_sources = np.zeros(len(judged_groups), dtype=np.int64)
            group_sources[group_ids] = source_ids
        self.coef_ = np.zeros((n_codes, matrix.shape[1]))
        self.intercept_ = np.zeros(n_codes)
        self.calibration_ = np.tile([1.0, 0.0], (n_codes, 1))
        self.threshold_grid_ = THRESHOLD_GRID.copy()
        self.thresholds_ = np.full(n_codes, 0.5)
        self.cv_f1_ = np.full(n_codes, np.nan)
        self.cv_counts_ = np.zeros((n_codes, len(THRESHOLD_GRID), 3), dtype=np.int64)
        self.union_thresholds_ = np.full(n_codes, NEVER)
        self.union_cv_f1_ = np.full(n_codes, np.nan)
        self.combination_ = np.zeros(n_codes, dtype=np.int64)  # keyword rules alone until chosen
        self.trained_ = np.zeros(n_codes, dtype=bool)
        # The codebook's own examples may weigh more (or less) than a hand-coded answer.
        weight = np.where(judged, 1.0, float(self.seed_weight))
        self.C_ = np.full(n_codes, float(self.C))
        self.cv_answers_: list[dict[str, np.ndarray] | None] = [None] * n_codes
        pending: list[tuple[int, dict[str, Any]]] = []  # choice "pooled": chosen after every code
        for j in range(n_codes):
            y = labels[:, j]
            positives = int(y.sum())
            if positives < self.min_positives or positives == len(y):
                continue
            if self.C_grid:
                self.C_[j] = self._choose_C(matrix, y, group_ids, weight, group_sources)
            C = float(self.C_[j])
            model = self._logistic(C).fit(matrix, y, sample_weight=weight)
            self.coef_[j] = model.coef_[0]
            self.intercept_[j] = model.intercept_[0]
            self.trained_[j] = True
            self._choose_by_cv(j, matrix, y, group_ids, None if keyword_present is None else keyword_present[:, j],
                               judged_groups, weight, group_sources, C=C, pending=pending)
        if pending:  # choice "pooled": every code's choice is shrunk toward what wins over all codes
            anchors = pooled_anchors([inputs for _, inputs in pending], z=float(self.choice_z),
                                     seed=int(self.random_state))
            for (j, inputs), anchor in zip(pending, anchors):
                how, threshold, f1_choice = choose_combination(**inputs, z=float(self.choice_z), anchor=anchor)
                self.combination_[j] = COMBINATIONS.index(how)
                self.union_thresholds_[j], self.union_cv_f1_[j] = threshold, f1_choice
        return self

    # predict_proba, predict and get_state come from LinearCodes (rules/fitted.py)

    # --- persistence ---------------------------------------------------------------------------------
    @classmethod
    def from_state(cls, state: dict[str, Any]) -> AnswerClassifier:
        """Rebuild a fitted classifier from :meth:`get_state` output."""
        params = dict(state["params"])
        params["word_ngrams"] = tuple(params["word_ngrams"])
        params["char_ngrams"] = tuple(params["char_ngrams"])
        params["weights"] = params["weights"] or None
        # a state from before guard_until was trained with the guard always on
        params.setdefault("guard_until", None)
        # and one from before union_ties sent ties to the classifier's own threshold, and let it
        # replace the rules on any number of positives
        params.setdefault("union_ties", "classifier")
        params.setdefault("replace_min_positives", 0)
        # and one from before the bounded choice chose by the best out-of-fold F1
        params.setdefault("choice", "best")
        params.setdefault("choice_z", 1.0)
        # and one from before replace_margin let the classifier replace the rules by any margin
        params.setdefault("replace_margin", 0.0)
        classifier = cls(**params)
        classifier._set_state(state)
        return classifier

    # --- internals -------------------------------------------------------------------------------------
    def _logistic(self, C: float | None = None) -> LogisticRegression:
        return LogisticRegression(C=self.C if C is None else C, class_weight=self.class_weight, solver="liblinear",
                                  random_state=self.random_state, max_iter=1000)

    def _out_of_fold(self, matrix: Any, y: np.ndarray, groups: np.ndarray, n_splits: int,
                     group_y: np.ndarray, weight: np.ndarray,
                     sources: np.ndarray | None = None, C: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Decision values of each row from a model that did not see its answer, and which rows got one."""
        values = np.zeros(len(y))
        scored = np.zeros(len(y), dtype=bool)
        if sources is not None and len(np.unique(sources)) >= 2:
            from sklearn.model_selection import StratifiedGroupKFold

            n_splits = min(self.cv, len(np.unique(sources)))
            splits = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state).split(
                np.zeros(len(group_y)), group_y, sources)
        else:
            splits = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state).split(
                np.zeros(len(group_y)), group_y)
        for train_groups, _ in splits:
            train = np.isin(groups, train_groups)
            if y[train].min() == y[train].max():
                continue  # a fold without both classes cannot be learned; its rows stay unscored
            model = self._logistic(C).fit(matrix[train], y[train], sample_weight=weight[train])
            values[~train] = model.decision_function(matrix[~train])
            scored[~train] = True
        return values, scored

    def _folds(self, y: np.ndarray, groups: np.ndarray) -> tuple[int, np.ndarray, int, int]:
        """``(n_groups, group_y, positives, n_splits)`` of a code's cross-validation: answers (groups),
        whether each has the code, how many do, and the folds both classes allow (at most ``cv``)."""
        n_groups = int(groups.max()) + 1
        group_y = np.zeros(n_groups, dtype=int)
        np.maximum.at(group_y, groups, y)
        positives = int(group_y.sum())
        return n_groups, group_y, positives, min(self.cv, positives, n_groups - positives)

    def _choose_C(self, matrix: Any, y: np.ndarray, groups: np.ndarray, weight: np.ndarray,
                  sources: np.ndarray | None) -> float:
        """The value of ``C_grid`` whose out-of-fold answer-level F1 (best threshold) is highest."""
        grid = [float(c) for c in self.C_grid or ()]
        n_groups, group_y, positives, n_splits = self._folds(y, groups)
        if n_splits < 2 or not grid:
            return float(self.C)
        scores = []
        for C in grid:
            values, scored = self._out_of_fold(matrix, y, groups, n_splits, group_y, weight, sources, C=C)
            group_v = np.full(n_groups, -np.inf)
            np.maximum.at(group_v, groups, np.where(scored, values, -np.inf))
            # F1 at the best cut of the decision values: the Platt sigmoid is monotone, so the
            # threshold grid of the probabilities is a subset of these cuts
            order = np.argsort(-group_v, kind="stable")
            tp = np.cumsum(group_y[order])
            f1 = 2 * tp / (np.arange(1, n_groups + 1) + positives)
            scores.append(float(f1.max()))
        best = max(scores)
        tied = [C for C, f in zip(grid, scores) if f >= best - 1e-12]
        return min(tied, key=lambda C: (abs(np.log(C / float(self.C))), C))

    def _choose_by_cv(self, j: int, matrix: Any, y: np.ndarray, groups: np.ndarray,
                      keyword: np.ndarray | None, judged: np.ndarray, weight: np.ndarray,
                      sources: np.ndarray | None = None, C: float | None = None,
                      pending: list[tuple[int, dict[str, Any]]] | None = None) -> None:
        """Calibration, threshold, trade-off table and combination of code ``j`` from out-of-fold scores.

        One cross-validation gives every training row a score from a model that did not see its answer.
        On those scores: a Platt sigmoid (so the final model's scores become probabilities), the
        threshold maximising answer-level F1 of the classifier alone (ties: nearest 0.5), the counts
        behind the trade-off table, and, when keyword hits are known, the threshold at which classifier
        codings added to the keyword codings maximise F1 of the combination (``NEVER``: add none).
        """
        n_groups, group_y, positives, n_splits = self._folds(y, groups)
        if n_splits < 2:
            if keyword is None:
                self.union_thresholds_[j] = self.thresholds_[j]
                self.combination_[j] = COMBINATIONS.index("classifier")
            return
        values, scored = self._out_of_fold(matrix, y, groups, n_splits, group_y, weight, sources, C=C)
        self.calibration_[j] = _platt(values[scored], y[scored])
        a, b = self.calibration_[j]
        proba = np.where(scored, 1.0 / (1.0 + np.exp(-np.clip(a * values + b, -35, 35))), 0.0)
        group_p = np.zeros(n_groups)
        np.maximum.at(group_p, groups, proba)
        self.cv_answers_[j] = {"proba": group_p, "truth": group_y, "judged": judged,
                               **({} if keyword is None else {"keyword": keyword})}
        predicted = group_p[:, None] >= THRESHOLD_GRID[None, :]
        counts = _counts(predicted, group_y)
        self.cv_counts_[j] = counts
        f1 = _f1(counts)
        best = np.flatnonzero(f1 >= f1.max() - self.threshold_tolerance)
        choice = best[np.argmin(np.abs(THRESHOLD_GRID[best] - 0.5))]
        self.thresholds_[j], self.cv_f1_[j] = float(THRESHOLD_GRID[choice]), float(f1[choice])
        if keyword is None:  # no keyword hits known: the classifier is all there is
            self.union_thresholds_[j], self.union_cv_f1_[j] = self.thresholds_[j], self.cv_f1_[j]
            self.combination_[j] = COMBINATIONS.index("classifier")
            return
        # Candidates: every grid threshold, and NEVER (keyword rules alone). Small folds give flat F1
        # curves; ties go by _tie_target (docs/classifier-and-evaluation.md, seventh round: ties to
        # the classifier's own threshold cost recovery 0.02-0.04 at N = 25-100 on the training pool).
        if not judged.any():
            return  # no hand-coded answer to judge by: keyword rules alone (NEVER)
        if self.choice in ("bound", "pooled"):
            truth = group_y[judged]
            inputs = {"keyword": keyword[judged], "proba": group_p[judged], "truth": truth,
                      "own": float(self.thresholds_[j]), "floor": self._precision_floor(keyword[judged], truth),
                      "replace": bool(self.replace_rules) and int(truth.sum()) >= self.replace_min_positives,
                      "seed": int(self.random_state) + j}
            if self.choice == "pooled" and pending is not None:
                pending.append((j, inputs))  # chosen once every code's scores are known (fit)
                return
            how, threshold, f1_choice = choose_combination(**inputs, z=float(self.choice_z))
            self.combination_[j] = COMBINATIONS.index(how)
            self.union_thresholds_[j], self.union_cv_f1_[j] = threshold, f1_choice
            return
        grid = np.append(THRESHOLD_GRID, NEVER)
        joined = keyword[:, None] | (group_p[:, None] >= grid[None, :])
        f1 = _f1(_counts(joined, group_y))
        floor = self._precision_floor(keyword[judged], group_y[judged])
        if floor is not None:  # never add codings at a precision far below the rules' own
            f1[:-1] = np.where(_precision(_counts(joined[judged][:, :-1], group_y[judged])) >= floor, f1[:-1], -1.0)
        best = np.flatnonzero(f1 >= f1.max() - self.threshold_tolerance)
        target = self._tie_target(keyword[judged], group_p[judged], group_y[judged], self.thresholds_[j])
        choice = int(best[np.argmin(np.abs(grid[best] - target))])
        self.union_thresholds_[j], self.union_cv_f1_[j] = float(grid[choice]), float(f1[choice])
        self.combination_[j] = COMBINATIONS.index("keyword" if grid[choice] > 1 else "union")
        # The classifier alone, in place of the keyword rules, when it beats the best union on the
        # hand-coded answers (not on the codebook's examples, which the rules code by construction):
        # plain rules' false positives stay in every union, so from some hundred answers on a
        # classifier that sees the keyword hits as features does better without them.
        if self.replace_rules:
            truth = group_y[judged]
            union_f1 = _f1(_counts(joined[judged][:, [choice]], truth))[0]
            alone = group_p[judged][:, None] >= np.array([self.thresholds_[j]])[None, :]
            alone_counts = _counts(alone, truth)
            alone_f1 = _f1(alone_counts)[0]
            # a handful of positives is too little to drop rules that were written for the code
            enough = int(truth.sum()) >= self.replace_min_positives
            # replace_margin: a prior for the researcher's rules (off; eleventh round)
            beats = alone_f1 > union_f1 + float(self.replace_margin)
            if beats and enough and (floor is None or _precision(alone_counts)[0] >= floor):
                self.union_thresholds_[j], self.union_cv_f1_[j] = self.thresholds_[j], float(alone_f1)
                self.combination_[j] = COMBINATIONS.index("classifier")


    def _tie_target(self, keyword: np.ndarray, proba: np.ndarray, truth: np.ndarray, own: float) -> float:
        """Where tied combinations go (the candidate nearest this value wins), from the judged answers.

        On a few dozen answers the union's out-of-fold F1 is flat over a range of thresholds: those
        thresholds add no coding there, yet on new answers they add many. ``union_ties="better"``
        sends such ties to the judge that did better out of fold on its own: the keyword rules
        (:data:`NEVER`, or the most cautious tied threshold) when their F1 is at least the
        classifier's at its own threshold, else the classifier's threshold (the earlier rule,
        ``"classifier"``); ``"keyword"`` always goes to the rules.
        """
        if self.union_ties == "classifier":
            return own
        if self.union_ties == "keyword":
            return NEVER
        rules_f1 = _f1(_counts(keyword[:, None], truth))[0]
        own_f1 = _f1(_counts(proba[:, None] >= np.array([[own]]), truth))[0]
        return NEVER if rules_f1 >= own_f1 else own

    def _precision_floor(self, keyword: np.ndarray, truth: np.ndarray) -> float | None:
        """Lowest out-of-fold precision a combination may have: the rules' own minus ``precision_guard``."""
        if self.precision_guard is None or not keyword.any() or (
                self.guard_until is not None and len(truth) >= self.guard_until):
            return None
        return float((keyword & (truth == 1)).sum() / keyword.sum()) - float(self.precision_guard)


def choose_combination(keyword: np.ndarray, proba: np.ndarray, truth: np.ndarray, own: float, *,
                       z: float = 1.0, floor: float | None = None, replace: bool = True, seed: int = 0,
                       draws: int = BOUND_DRAWS, grid: np.ndarray = THRESHOLD_GRID,
                       anchor: float = NEVER) -> tuple[str, float, float]:
    """Policy ``learned``'s choice for one code, shrunk toward the keyword rules when evidence is thin.

    Parameters
    ----------
    keyword, proba, truth : arrays of shape (n_answers,)
        Per hand-coded answer: did the keyword rules code it, the classifier's out-of-fold
        probability, and the hand coding (0/1).
    own : float
        The classifier's own threshold (where it codes alone).
    z : float
        Each candidate's F1 is lowered by ``z`` standard deviations of its difference to the rules
        alone over ``draws`` bootstrap resamples of the answers (Poisson weights, seeded by ``seed``);
        the highest lowered F1 wins. ``z = 0``: the highest F1.
    floor : float, optional
        Lowest precision an added coding may bring: a union or the classifier below it is no candidate.
    replace : bool
        Whether the classifier alone is a candidate.
    anchor : float
        The safe choice the others are measured against and ties go to: :data:`NEVER` (the rules
        alone, default) or a union threshold of ``grid`` (see :func:`pooled_anchors`).

    Returns
    -------
    ``(combination, threshold, f1)``: one of :data:`COMBINATIONS`, the threshold the classifier codes
    at (:data:`NEVER` for the rules alone) and the candidate's F1 on these answers (not lowered).
    Ties go to the safer candidate: the rules, then the unions from the highest threshold down, then
    the classifier.

    >>> kw = np.array([1, 1, 0, 0, 0, 0], dtype=bool)
    >>> y = np.array([1, 1, 1, 1, 0, 0])
    >>> p = np.array([0.9, 0.9, 0.8, 0.7, 0.1, 0.1])
    >>> choose_combination(kw, p, y, 0.5, z=0.0)
    ('union', 0.7, 1.0)
    >>> choose_combination(kw, p, y, 0.5, z=3.0)[0]
    'keyword'
    """
    keyword = np.asarray(keyword, dtype=bool)
    truth = np.asarray(truth, dtype=int)
    proba = np.asarray(proba, dtype=float)
    thresholds = np.sort(np.asarray(grid, dtype=float))[::-1]  # most cautious union first
    columns = [keyword] + [keyword | (proba >= t) for t in thresholds]
    names = ["keyword"] + ["union"] * len(thresholds)
    at = [NEVER, *thresholds.tolist()]
    if replace:
        columns.append(proba >= own)
        names.append("classifier")
        at.append(float(own))
    predicted = np.stack(columns, axis=1)
    counts = _counts(predicted, truth)
    f1 = _f1(counts)
    allowed = np.ones(len(names), dtype=bool)
    if floor is not None:  # never add codings at a precision far below the rules' own
        allowed[1:] = _precision(counts[1:]) >= floor
    base = 0 if anchor > 1 else 1 + int(np.argmin(np.abs(thresholds - anchor)))
    allowed[base] = True
    score = np.where(allowed, f1, -1.0)
    if z > 0 and len(truth):
        weights = np.random.default_rng(seed).poisson(1.0, size=(draws, len(truth))).astype(float)
        positive = truth == 1
        tp = weights @ (predicted & positive[:, None])
        fp = weights @ (predicted & ~positive[:, None])
        fn = (weights @ positive.astype(float))[:, None] - tp
        boot = _f1_of(tp, fp, fn)
        spread = (boot - boot[:, [base]]).std(axis=0)
        score = np.where(allowed, f1 - float(z) * spread, -1.0)
    tied = np.flatnonzero(score >= score.max() - 1e-12)
    choice = base if base in tied else int(tied[0])
    return names[choice], float(at[choice]), float(f1[choice])


def pooled_anchors(codes: Sequence[dict[str, Any]], *, z: float = 1.0, seed: int = 0,
                   draws: int = BOUND_DRAWS, grid: np.ndarray = THRESHOLD_GRID) -> list[float]:
    """The safe choice of each code for ``choice="pooled"``: the rules alone, or each code's best union.

    ``codes`` are the keyword arguments of :func:`choose_combination` per code (``keyword``, ``proba``,
    ``truth``, ``floor`` ...; the same hand-coded answers in the same order for every code). Each
    code's best union (highest F1, ties to the threshold nearest ``own`` if given, else the highest;
    none below ``floor``) and the rules
    alone are summed over all codes; when the unions' pooled micro-F1 beats the rules' by more than
    ``z`` bootstrap sd of the difference, every code's anchor is its best union, else the rules
    alone (:data:`NEVER`). Evidence over all codes is thicker than any one code's: blind rules are
    then no safe choice.

    >>> kw = np.array([1, 1, 0, 0, 0, 0], dtype=bool)
    >>> y = np.array([1, 1, 1, 1, 0, 0])
    >>> p = np.array([0.9, 0.9, 0.8, 0.7, 0.1, 0.1])
    >>> pooled_anchors([{"keyword": kw, "proba": p, "truth": y}] * 2, z=1.0)
    [0.7, 0.7]
    >>> pooled_anchors([{"keyword": y == 1, "proba": p, "truth": y}] * 2, z=1.0)
    [1.01, 1.01]
    """
    thresholds = np.sort(np.asarray(grid, dtype=float))[::-1]
    best, kw_cells, union_cells = [], [], []
    for code in codes:
        keyword = np.asarray(code["keyword"], dtype=bool)
        truth = np.asarray(code["truth"], dtype=int)
        proba = np.asarray(code["proba"], dtype=float)
        unions = keyword[:, None] | (proba[:, None] >= thresholds[None, :])
        counts = _counts(unions, truth)
        f1 = _f1(counts)
        if code.get("floor") is not None:
            f1 = np.where(_precision(counts) >= code["floor"], f1, -1.0)
        # ties go to the threshold nearest the classifier's own (most cautious without one): on
        # blind rules the most cautious tied union adds little that carries over (ninth round)
        tied = np.flatnonzero(f1 >= f1.max() - 1e-12)
        k = int(tied[np.argmin(np.abs(thresholds[tied] - float(code["own"])))] if "own" in code else tied[0])
        union = unions[:, k] if f1[k] >= 0 else keyword
        best.append(float(thresholds[k]) if f1[k] >= 0 else NEVER)
        positive = truth == 1
        kw_cells.append(np.stack([keyword & positive, keyword & ~positive, ~keyword & positive], axis=1))
        union_cells.append(np.stack([union & positive, union & ~positive, ~union & positive], axis=1))
    if not codes:
        return []
    per_answer = np.stack([np.sum(kw_cells, axis=0), np.sum(union_cells, axis=0)], axis=0).astype(float)
    # per_answer: (2 candidates, answers, TP/FP/FN)

    def pooled_f1(weights: np.ndarray) -> np.ndarray:
        totals = np.einsum("ba,caf->bcf", weights, per_answer)
        return _f1_of(totals[..., 0], totals[..., 1], totals[..., 2])

    observed = pooled_f1(np.ones((1, per_answer.shape[1])))[0]
    spread = 0.0
    if z > 0:
        weights = np.random.default_rng(seed).poisson(1.0, size=(draws, per_answer.shape[1])).astype(float)
        boot = pooled_f1(weights)
        spread = float((boot[:, 1] - boot[:, 0]).std())
    if observed[1] - float(z) * spread > observed[0]:
        return best
    return [NEVER] * len(codes)


def _precision(counts: np.ndarray) -> np.ndarray:
    """Precision of each row of :func:`_counts` output (1.0 where nothing was coded)."""
    tp, fp = counts[:, 0], counts[:, 1]
    return np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 1.0)


def _counts(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """TP, FP, FN of each column of a boolean (answers × thresholds) matrix: shape (thresholds, 3)."""
    tp = (predicted & (truth[:, None] == 1)).sum(axis=0)
    fp = (predicted & (truth[:, None] == 0)).sum(axis=0)
    fn = int(truth.sum()) - tp
    return np.stack([tp, fp, fn], axis=1).astype(np.int64)


def _f1(counts: np.ndarray) -> np.ndarray:
    return _f1_of(counts[:, 0], counts[:, 1], counts[:, 2])


def _f1_of(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    """F1 from true positives, false positives and false negatives of any shape (counts, or the
    Poisson-weighted counts of a bootstrap); 0 where nothing was found."""
    return np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1e-12), 0.0)


def _platt(values: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of a sigmoid mapping decision values to probabilities (Platt scaling).

    Fitted with Platt's smoothed targets, so a few separable rows do not give an infinite slope. A
    slope that is not positive (the out-of-fold scores carry no signal) keeps the identity.
    """
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if positives == 0 or negatives == 0:
        return 1.0, 0.0
    target = np.where(y == 1, (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0))
    a, b = 1.0, 0.0
    for _ in range(50):  # Newton's method on the cross-entropy of the two parameters
        p = 1.0 / (1.0 + np.exp(-np.clip(a * values + b, -35, 35)))
        weight = np.maximum(p * (1 - p), 1e-12)
        gradient = np.array([np.sum((p - target) * values), np.sum(p - target)])
        hessian = np.array([[np.sum(weight * values * values), np.sum(weight * values)],
                            [np.sum(weight * values), np.sum(weight)]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    if not np.isfinite(a) or not np.isfinite(b) or a <= 0:
        return 1.0, 0.0
    return float(a), float(b)


def _keyword_presence(hits: list[Any] | None, codes: list[str], groups: np.ndarray) -> np.ndarray | None:
    """Answer × code: did a keyword rule code the answer (from the units' keyword hits)?"""
    if hits is None:
        return None
    position = {c: j for j, c in enumerate(codes)}
    present = np.zeros((int(groups.max()) + 1 if len(groups) else 0, len(codes)), dtype=bool)
    for group, row in zip(groups, hits):
        for code in row:
            if code in position:
                present[group, position[code]] = True
    return present


def _as_pair(ngram_range: Sequence[int]) -> tuple[int, int]:
    """An n-gram range as the ``(low, high)`` tuple FeatureSpace stores, even when given as a list.

    The length is deliberately not checked here: FeatureSpace validates the range when it is fitted
    and words the error itself, so a wrong value is passed on unchanged.

    >>> _as_pair([1, 2])
    (1, 2)
    """
    return cast("tuple[int, int]", tuple(ngram_range))


# ================================================================================================
# Training on hand-coded answers, predicting codings
# ================================================================================================

#: Question name of the seed answers made from a codebook's examples.
SEED_QUESTION = "codebook-examples"
_QUOTED = re.compile(r'"([^"]{3,})"')


def seed_answers(codebook: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A codebook's ``examples`` and quoted ``include`` phrasings as hand-coded answers.

    Each becomes one answer (question ``codebook-examples``) coded with its code, so a classifier
    can be trained before anybody has hand-coded an answer.
    """
    rows, gold = [], []
    for code in codebook.codes:
        texts = list(code.examples) + _QUOTED.findall(code.include or "")
        for i, text in enumerate(dict.fromkeys(t.strip() for t in texts if t.strip())):
            case_id = f"seed:{code.id}:{i}"
            rows.append((case_id, SEED_QUESTION, text))
            gold.append((case_id, SEED_QUESTION, code.id, 0, len(text), "manual", "", 1.0))
    answers = pd.DataFrame(rows, columns=["case_id", "question", "text"])
    codings = pd.DataFrame(gold, columns=["case_id", "question", "code_id", "start", "end", "method",
                                          "rule_id", "score"])
    return answers, codings


def answer_source(case_id: str, question: str) -> str:
    """Where a training answer came from: its pool file, the codebook's examples, or the corpus.

    Pool answers have ids ``<folder>/<file>:<id>`` (see ``fritekst train --pool``), the codebook's
    examples the question :data:`SEED_QUESTION`; every other answer is the corpus's.

    >>> answer_source("train2/ansette.csv:7", "grunn_nei"), answer_source("117", "grunn_nei")
    ('train2/ansette.csv', 'corpus')
    """
    if question == SEED_QUESTION:
        return SEED_QUESTION
    head, sep, _ = str(case_id).rpartition(":")
    return head if sep else "corpus"


def training_answers(answers: pd.DataFrame, gold: pd.DataFrame, scope: pd.DataFrame | None,
                     source: str = "scope") -> pd.DataFrame:
    """The answers to learn from: the scope's answers, or every answer named in the gold file."""
    keys = scope[ANSWER_KEY] if scope is not None else gold[ANSWER_KEY].drop_duplicates()
    merged = keys.merge(answers[[*ANSWER_KEY, "text"]], on=ANSWER_KEY, how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    if len(missing):
        first = missing.iloc[0]
        raise InputError(f"{source}: {len(missing)} answer(s) have no text in the corpus, first case "
                         f"{first['case_id']} question {first['question']!r}; check that the file "
                         "belongs to this corpus and question", code="E113")
    return merged.drop(columns="_merge").sort_values(ANSWER_KEY).reset_index(drop=True)


def train_model(answers: pd.DataFrame, gold: pd.DataFrame, codebook: Any, *,
                keyword_codings: pd.DataFrame | None = None, scope: pd.DataFrame | None = None,
                settings: dict[str, Any] | None = None, unit: str = "segment", source: str = "") -> ClassifierModel:
    """Train a classifier for every code of ``codebook`` on hand-coded answers.

    Parameters
    ----------
    answers : DataFrame
        Corpus answers (``case_id``, ``question``, ``text``).
    gold : DataFrame
        Hand codings (codings frame with optional ``decision``); "yes" rows are the positives.
    codebook : Codebook
        Supplies the code ids and the hash the model is tied to.
    keyword_codings : DataFrame, optional
        Keyword codings of the same answers; when given, keyword hits become features (and must be
        given again at prediction time).
    scope : DataFrame, optional
        The answers to train on (``case_id``, ``question``); default: every answer in ``gold``.
    settings : dict, optional
        Keyword arguments of :class:`AnswerClassifier` (``C``, ``cv``, ``random_state``, ...).
    unit : {"segment", "answer"}
        Learn from sentence-like segments labelled by the gold spans they overlap (default), or from
        whole answers. Segments give cleaner examples when hand coders code spans, and classifier
        codings then point at the sentence that carries the code.
    source : str
        Where the gold data came from, for the metadata and messages.
    """
    code_ids = list(codebook.code_ids)
    train = training_answers(answers, gold, scope, source or "training data")
    if train.empty:
        raise InputError(f"{source or 'training data'}: no hand-coded answers to train on; check the scope "
                         "file and the split chosen", code="E115", option="scope")
    use_keywords = keyword_codings is not None
    specs = keyword_specs(codebook)
    classifier = AnswerClassifier(**(settings or {}))
    if classifier.evidence and use_keywords:
        keyword_codings = pd.concat([keyword_codings, rule_evidence(train, specs)], ignore_index=True)
    units = make_units(train, keyword_codings, unit)
    # Gold rows without a span label every unit of their answer (see unit_labels).
    labels = unit_labels(train, units, gold, code_ids)
    X = units.X if use_keywords else units.X.drop(columns="keywords")
    classifier.fit(
        X, labels, groups=units.owner, judge=(units.X["question"] != SEED_QUESTION).to_numpy(),
        sources=[answer_source(case_id, question) for case_id, question in
                 zip(train["case_id"].to_numpy()[units.owner], units.X["question"])])
    answer_labels = pd.DataFrame(labels).groupby(units.owner).max()
    positives = {c: int(answer_labels[c].sum()) for c in code_ids}
    metadata = {
        "fritekst_version": __version__, "sklearn_version": sklearn.__version__,
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "codebook": {"id": codebook.id, "sha256": str(codebook.sha256), "code_ids": code_ids,
                     "file": Path(getattr(codebook, "path", "")).name},
        "training": {"n_answers": int(len(train)), "n_units": int(len(units.owner)), "unit": unit,
                     "positives": positives, "questions": sorted(train["question"].unique().tolist()),
                     "source": source, "keyword_features": use_keywords,
                     "keys": {"case_id": train["case_id"].tolist(), "question": train["question"].tolist()}},
        "settings": classifier.settings(),
        "thresholds": {c: float(t) for c, t in zip(code_ids, classifier.thresholds_)},
        "cv_f1": {c: (None if np.isnan(f) else float(f)) for c, f in zip(code_ids, classifier.cv_f1_)},
        "union_thresholds": {c: float(t) for c, t in zip(code_ids, classifier.union_thresholds_)},
        "combination": {c: COMBINATIONS[int(m)] for c, m in zip(code_ids, classifier.combination_)},
        "skipped_codes": {c: f"{int(labels[c].sum())} positive example(s), need {classifier.min_positives}"
                          for c, ok in zip(code_ids, classifier.trained_) if not ok},
    }
    return ClassifierModel(classifier, metadata, rule_specs=specs)
