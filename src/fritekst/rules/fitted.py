"""A trained classifier as it is applied: plain arrays, a feature transform and a matrix product.

Applying a model needs no scikit-learn: :class:`~fritekst.rules.features.FeatureSpace` turns
answers into sparse features (numpy and scipy.sparse), and each code's probability is a logistic
function of one dot product. Importing scikit-learn (and through it scipy.stats) cost more than
two seconds of every cold ``fritekst code``, so the part of a classifier that predicts lives here,
free of it: :class:`LinearCodes` holds the fitted state and predicts;
:class:`~fritekst.rules.classifier.AnswerClassifier` (the scikit-learn estimator that trains) is
a :class:`LinearCodes` too, so training and applying share one prediction code path.
:func:`fritekst.rules.model_file.load_model` rebuilds a saved model as a :class:`FittedClassifier`.

:class:`ClassifierModel` (a classifier plus what it was trained for and on),
:func:`unit_probabilities` and :func:`predict_scores` live here for the same reason; they are
re-exported by :mod:`fritekst.rules.classifier`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelError
from .features import FeatureSpace, Units, make_units, rule_evidence

#: What policy ``learned`` does with a code (index stored in a model's ``combination_``): keyword rules
#: alone, keyword rules OR the classifier, or the classifier alone in place of the keyword rules.
COMBINATIONS = ("keyword", "union", "classifier")


class LinearCodes:
    """Fitted one-vs-rest logistic regressions over a feature space: what predicting needs.

    Attributes
    ----------
    classes_ : list of str
        Code ids, one column of :meth:`predict_proba` each.
    features_ : FeatureSpace
    coef_ : ndarray of shape (n_codes, n_features)
    intercept_, thresholds_, cv_f1_ : ndarray of shape (n_codes,)
    trained_ : ndarray of bool, shape (n_codes,)
        False for codes with too few positives (their probability is always 0).
    calibration_ : ndarray of shape (n_codes, 2)
        Slope and intercept of each code's Platt sigmoid, applied to the decision value.
    threshold_grid_, cv_counts_, union_thresholds_, union_cv_f1_, combination_
        The cross-validated trade-off and combination (see
        :class:`fritekst.rules.classifier.AnswerClassifier`); prediction does not need them.
    """

    classes_: list[str]
    features_: FeatureSpace
    coef_: np.ndarray
    intercept_: np.ndarray
    thresholds_: np.ndarray
    cv_f1_: np.ndarray
    trained_: np.ndarray
    calibration_: np.ndarray
    threshold_grid_: np.ndarray
    cv_counts_: np.ndarray
    union_thresholds_: np.ndarray
    union_cv_f1_: np.ndarray
    combination_: np.ndarray

    def settings(self) -> dict[str, Any]:  # pragma: no cover - both subclasses define it
        raise NotImplementedError

    def predict_proba(self, X: pd.DataFrame | Sequence[str]) -> np.ndarray:
        """Probability of each code for each answer, shape (n_answers, n_codes)."""
        texts, questions, hits = model_inputs(X)
        if self.features_.uses_keywords and hits is None:
            raise ValueError("this classifier uses keyword hits as features; give X a 'keywords' column")
        scores = np.tile(self.intercept_, (len(texts), 1))
        offset = 0
        for block in self.features_.transform_blocks(texts, questions, hits):
            width = block.shape[1]
            scores += np.asarray(block @ self.coef_[:, offset:offset + width].T)
            offset += width
        # Platt scaling learned on out-of-fold scores: probabilities a reader can take at face value
        scores = scores * self.calibration_[:, 0] + self.calibration_[:, 1]
        proba: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(scores, -35, 35)))
        proba[:, ~self.trained_] = 0.0
        return proba

    def predict(self, X: pd.DataFrame | Sequence[str]) -> np.ndarray:
        """Boolean matrix (n_answers, n_codes): probability at or above each code's threshold."""
        result: np.ndarray = self.predict_proba(X) >= self.thresholds_
        return result

    def get_state(self) -> dict[str, Any]:
        """Settings and learned state as plain data (lists, dicts, numpy arrays)."""
        return {"params": self.settings(), "classes": list(self.classes_), "features": self.features_.get_state(),
                "coef": self.coef_, "intercept": self.intercept_, "thresholds": self.thresholds_,
                "cv_f1": self.cv_f1_, "trained": self.trained_.astype(np.int64),
                "calibration": self.calibration_, "threshold_grid": self.threshold_grid_,
                "cv_counts": self.cv_counts_, "union_thresholds": self.union_thresholds_,
                "union_cv_f1": self.union_cv_f1_, "combination": np.asarray(self.combination_, dtype=np.int64)}

    def _set_state(self, state: dict[str, Any]) -> None:
        """Take the learned part of :meth:`get_state` output, checking that the shapes agree."""
        self.classes_ = [str(c) for c in state["classes"]]
        self.features_ = FeatureSpace.from_state(state["features"])
        self.coef_ = np.asarray(state["coef"], dtype=np.float64)
        self.intercept_ = np.asarray(state["intercept"], dtype=np.float64)
        self.thresholds_ = np.asarray(state["thresholds"], dtype=np.float64)
        self.cv_f1_ = np.asarray(state["cv_f1"], dtype=np.float64)
        self.trained_ = np.asarray(state["trained"]).astype(bool)
        n_codes = len(self.classes_)
        # Models written before calibration and the learned combination: identity calibration, no
        # trade-off table, and the combination adds the classifier at its own threshold (plain union).
        self.calibration_ = np.asarray(state.get("calibration", np.tile([1.0, 0.0], (n_codes, 1))),
                                       dtype=np.float64).reshape(n_codes, 2)
        self.threshold_grid_ = np.asarray(state.get("threshold_grid", np.zeros(0)), dtype=np.float64)
        self.cv_counts_ = np.asarray(state.get("cv_counts", np.zeros((n_codes, 0, 3))),
                                     dtype=np.int64).reshape(n_codes, -1, 3)
        self.union_thresholds_ = np.asarray(state.get("union_thresholds", self.thresholds_), dtype=np.float64)
        self.union_cv_f1_ = np.asarray(state.get("union_cv_f1", np.full(n_codes, np.nan)), dtype=np.float64)
        # Models written before the per-code choice: the learned combination was a union, or the
        # keyword rules alone where its threshold is one no probability reaches.
        never = COMBINATIONS.index("keyword"), COMBINATIONS.index("union")
        self.combination_ = np.asarray(state.get("combination", np.where(self.union_thresholds_ > 1, *never)),
                                       dtype=np.int64).reshape(n_codes)
        n_codes, n_features = len(self.classes_), self.features_.n_features
        if self.coef_.shape != (n_codes, n_features) or any(
                len(a) != n_codes for a in (self.intercept_, self.thresholds_, self.trained_)):
            raise ValueError(f"inconsistent shapes: coef {self.coef_.shape}, {n_codes} codes, "
                             f"{n_features} features")


class FittedClassifier(LinearCodes):
    """A loaded classifier: it predicts, and remembers the settings it was trained with.

    Parameters
    ----------
    params : dict
        :meth:`fritekst.rules.classifier.AnswerClassifier.settings` of the classifier that learned it.
    """

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = dict(params)

    def settings(self) -> dict[str, Any]:
        """The training settings as plain data (stored in the model file)."""
        return dict(self.params)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> FittedClassifier:
        """Rebuild a fitted classifier from :meth:`LinearCodes.get_state` output."""
        classifier = cls(dict(state["params"]))
        classifier._set_state(state)
        return classifier


def model_inputs(X: pd.DataFrame | Sequence[str]) -> tuple[list[str], list[str] | None, list[Any] | None]:
    """Texts, questions and keyword hits of a classifier's input (a frame, or plain texts)."""
    if not isinstance(X, pd.DataFrame):
        return [str(t) for t in X], None, None
    texts = X["text"].astype(str).tolist()
    questions = X["question"].astype(str).tolist() if "question" in X.columns else None
    hits = [tuple(h) for h in X["keywords"]] if "keywords" in X.columns else None
    return texts, questions, hits


def keyword_specs(codebook: Any) -> list[Any]:
    """The keyword rules of a codebook as :class:`~fritekst.rules.keyword.KeywordRuleSpec` objects."""
    return [rule.spec for rule in codebook.rules("keyword") if rule.spec is not None]


@dataclass
class ClassifierModel:
    """A trained classifier with what it was trained for and on.

    ``metadata`` keys: ``fritekst_version``, ``sklearn_version``, ``created``, ``codebook`` (``id``,
    ``sha256``, ``code_ids``, ``file``), ``training`` (``n_answers``, ``n_units``, ``unit``,
    ``positives`` per code, ``questions``, ``source``, ``keyword_features``, ``keys``), ``settings``,
    ``thresholds``, ``cv_f1``, ``skipped_codes``.
    """

    classifier: LinearCodes
    metadata: dict[str, Any]
    path: Path | None = None
    #: The codebook's current keyword rules (bound by training or :func:`~fritekst.rules.model_file.load_model`
    #: with a codebook, never stored): where a model with rule-evidence features gets its near misses.
    rule_specs: list[Any] | None = None

    @property
    def uses_evidence(self) -> bool:
        """Whether the keyword block holds the rules' near misses (``<code>|negated`` ...)."""
        return any("|" in c for c in self.classifier.features_.keyword_codes_)

    @property
    def codes(self) -> list[str]:
        """Codes the model actually learned (enough positive examples)."""
        return [c for c, ok in zip(self.classifier.classes_, self.classifier.trained_) if ok]

    @property
    def thresholds(self) -> dict[str, float]:
        """Decision threshold per learned code."""
        return {c: float(t) for c, t, ok in zip(self.classifier.classes_, self.classifier.thresholds_,
                                                 self.classifier.trained_) if ok}

    @property
    def union_thresholds(self) -> dict[str, float]:
        """Per learned code, the threshold for adding classifier codings to keyword codings (``learned``)."""
        return {c: float(t) for c, t, ok in zip(self.classifier.classes_, self.classifier.union_thresholds_,
                                                 self.classifier.trained_) if ok}

    @property
    def combination(self) -> dict[str, str]:
        """Per learned code, what policy ``learned`` does: ``keyword``, ``union`` or ``classifier``."""
        clf = self.classifier
        return {c: COMBINATIONS[int(m)] for c, m, ok in zip(clf.classes_, clf.combination_, clf.trained_) if ok}

    @property
    def replaced_codes(self) -> set[str]:
        """Learned codes whose keyword rules policy ``learned`` replaces by the classifier."""
        return {c for c, how in self.combination.items() if how == "classifier"}

    @property
    def training_keys(self) -> pd.DataFrame:
        """The answers (case_id, question) the model was trained on."""
        keys = self.metadata["training"]["keys"]
        return pd.DataFrame({"case_id": [str(k) for k in keys["case_id"]],
                             "question": [str(q) for q in keys["question"]]})


def unit_probabilities(model: ClassifierModel, answers: pd.DataFrame,
                       keyword_codings: pd.DataFrame | None) -> tuple[Units, np.ndarray]:
    """Units of the answers and the probability of every learned code for each unit."""
    uses_keywords = model.classifier.features_.uses_keywords
    if uses_keywords and keyword_codings is None:
        raise ModelError(f"{model.path or 'model'}: this model uses keyword hits as features but no keyword "
                         "codings were given; code the answers with the codebook's keyword rules first",
                         code="E406")
    if uses_keywords and model.uses_evidence:
        if model.rule_specs is None:
            raise ModelError(f"{model.path or 'model'}: this model learns from where the keyword rules meet "
                             "an answer negated or hedged, so it needs its codebook's rules; load it with "
                             "load_model(path, codebook)", code="E411")
        keyword_codings = pd.concat([keyword_codings, rule_evidence(answers, model.rule_specs)],
                                    ignore_index=True)
    units = make_units(answers, keyword_codings, model.metadata["training"].get("unit", "answer"))
    X = units.X if uses_keywords else units.X.drop(columns="keywords")
    return units, model.classifier.predict_proba(X)


def predict_scores(model: ClassifierModel, answers: pd.DataFrame,
                   keyword_codings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Answer-level probabilities (answers × learned codes): the maximum over each answer's units."""
    answers = answers.reset_index(drop=True)
    if answers.empty:
        return pd.DataFrame(columns=model.codes, dtype=float)
    units, proba = unit_probabilities(model, answers, keyword_codings)
    first = np.flatnonzero(np.r_[True, units.owner[1:] != units.owner[:-1]])
    per_answer = np.maximum.reduceat(proba, first, axis=0)
    frame = pd.DataFrame(per_answer, columns=model.classifier.classes_)
    return frame[model.codes]
