"""Inter-coder agreement between two or more coders' hand codings of the same answers.

Agreement is measured per code on answer-level presence: for each answer, did the coder apply the
code (1) or not (0)? For every code this gives

* **percent agreement**: share of answers on which all coders gave the same value;
* **Cohen's kappa** for each pair of coders, ``(p_o - p_e) / (1 - p_e)`` where ``p_o`` is observed
  agreement and ``p_e = p1*p2 + (1-p1)*(1-p2)`` the agreement expected from each coder's own share of
  "yes"; with more than two coders the table shows the mean over pairs (Light's kappa);
* **Krippendorff's alpha** (nominal) over all coders, which also allows answers some coders did not
  code: ``alpha = 1 - (n - 1) * D_o / sum_{c != k} n_c * n_k`` from the coincidence matrix, where
  ``D_o`` is the total weight of disagreeing pairs and ``n`` the number of pairable values;

each with the number of answers it rests on. Kappa and alpha are undefined (NaN) when every value is
the same (no variation to agree on); percent agreement is then 100 %.

Which answers count: by default every answer that appears in any coder's file (each coder is assumed
to have read all of them, so an answer absent from a file counts as "no code"). A scope file makes
this explicit and also covers answers nobody coded. With ``assume_complete=False`` a coder only
covers the answers in their own file (any row, including ``decision=no``), others are missing.

Examples
--------
>>> cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0])
0.5
>>> round(krippendorff_alpha_nominal([[1, 1], [1, 0], [0, 0], [0, 0]]), 4)
0.5333
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..coding.frame import ANSWER_KEY, decisions_of

POOLED = "(all codes)"


def cohen_kappa(first: Sequence[int], second: Sequence[int]) -> float:
    """Cohen's kappa of two coders' nominal values on the same units (NaN when ``p_e == 1``).

    Examples
    --------
    >>> cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0])
    1.0
    """
    a, b = np.asarray(first), np.asarray(second)
    if len(a) == 0:
        return math.nan
    observed = float(np.mean(a == b))
    categories = np.union1d(a, b)
    expected = float(sum(np.mean(a == c) * np.mean(b == c) for c in categories))
    if expected >= 1.0:
        return math.nan
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha_nominal(units: Sequence[Sequence[float]]) -> float:
    """Krippendorff's alpha for nominal data; ``units`` holds one row of coder values per unit.

    Missing values are ``None`` or NaN; units with fewer than two values are not pairable and are
    left out. Returns NaN when only one category occurs (no expected disagreement).

    Examples
    --------
    >>> krippendorff_alpha_nominal([[1, 1], [0, 0]])
    1.0
    """
    coincidence: dict[tuple[float, float], float] = {}
    for unit in units:
        values = [v for v in unit if v is not None and not (isinstance(v, float) and math.isnan(v))]
        m = len(values)
        if m < 2:
            continue
        for i, j in ((i, j) for i in range(m) for j in range(m) if i != j):
            key = (values[i], values[j])
            coincidence[key] = coincidence.get(key, 0.0) + 1.0 / (m - 1)
    totals: dict[float, float] = {}
    for (c, _), weight in coincidence.items():
        totals[c] = totals.get(c, 0.0) + weight
    n = sum(totals.values())
    observed = sum(w for (c, k), w in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n == 0 or expected == 0:
        return math.nan
    return 1.0 - (n - 1) * observed / expected


@dataclass
class AgreementResult:
    """Agreement of several coders, per code and pooled.

    Attributes
    ----------
    coders : list of str
    per_code : DataFrame
        ``code_id, n_answers, n_yes, percent_agreement, kappa, alpha`` (last row: all codes pooled,
        every answer × code pair a unit). ``n_yes`` counts "yes" values over all coders.
    pairs : DataFrame
        ``code_id, coder_a, coder_b, n_answers, percent_agreement, kappa`` for every pair of coders.
    disagreements : DataFrame
        ``case_id, question, code_id``, one column per coder (``yes``/``no``/blank), ``text``.
    """

    coders: list[str]
    per_code: pd.DataFrame
    pairs: pd.DataFrame
    disagreements: pd.DataFrame


def agreement(codings: Sequence[pd.DataFrame], coders: Sequence[str], *, code_ids: Sequence[str] | None = None,
              scope: pd.DataFrame | None = None, assume_complete: bool = True) -> AgreementResult:
    """Per-code agreement statistics between coders' codings of the same answers.

    Parameters
    ----------
    codings : sequence of DataFrame
        One codings frame per coder (``decision == "no"`` rows are explicit "not this code").
    coders : sequence of str
        Their names, in the same order.
    code_ids : sequence of str, optional
        Codes to report (default: every code any coder used, sorted).
    scope : DataFrame, optional
        ``case_id, question`` of the answers all coders coded.
    assume_complete : bool
        Whether every coder coded every answer in scope (see module docstring).
    """
    if len(codings) < 2 or len(codings) != len(coders):
        raise ValueError("agreement needs two or more coders, each with a name")
    if scope is None:
        keys = pd.concat([c[ANSWER_KEY] for c in codings]).drop_duplicates()
    else:
        keys = scope[ANSWER_KEY].drop_duplicates()
    keys = keys.sort_values(ANSWER_KEY).reset_index(drop=True)
    index = pd.MultiIndex.from_frame(keys)
    if code_ids is None:
        code_ids = sorted(set().union(*(set(c["code_id"]) for c in codings)))
    values = {code: np.full((len(keys), len(coders)), np.nan) for code in code_ids}
    for j, frame in enumerate(codings):
        covered = index.isin(pd.MultiIndex.from_frame(frame[ANSWER_KEY])) if not assume_complete \
            else np.ones(len(keys), dtype=bool)
        yes = frame[decisions_of(frame) == "yes"]
        for code in code_ids:
            column = np.where(covered, 0.0, np.nan)
            rows = yes[yes["code_id"] == code]
            column[index.isin(pd.MultiIndex.from_frame(rows[ANSWER_KEY]))] = 1.0
            values[code][:, j] = column
    texts = _texts(codings, keys)
    per_code: list[dict[str, object]] = []
    pairs: list[dict[str, object]] = []
    disagreements: list[dict[str, object]] = []
    for code in [*code_ids, POOLED]:
        matrix = np.vstack([values[c] for c in code_ids]) if code == POOLED else values[code]
        per_code.append(_code_row(code, matrix, coders, pairs))
        if code != POOLED:
            disagreements.extend(_disagreeing(code, matrix, keys, coders, texts))
    disagreement_frame = pd.DataFrame(disagreements, columns=[*ANSWER_KEY, "code_id", *coders, "text"])
    return AgreementResult(coders=list(coders), per_code=pd.DataFrame(per_code),
                           pairs=pd.DataFrame(pairs, columns=["code_id", "coder_a", "coder_b", "n_answers",
                                                              "percent_agreement", "kappa"]),
                           disagreements=disagreement_frame)


def _code_row(code: str, matrix: np.ndarray, coders: Sequence[str], pairs: list[dict[str, object]]) -> dict[str, object]:
    present = ~np.isnan(matrix)
    pairable = present.sum(axis=1) >= 2
    rows = matrix[pairable]
    all_agree = [len(set(r[~np.isnan(r)])) == 1 for r in rows]
    kappas = []
    for a, b in combinations(range(len(coders)), 2):
        both = present[:, a] & present[:, b]
        kappa = cohen_kappa(matrix[both, a].astype(int), matrix[both, b].astype(int)) if both.any() else math.nan
        kappas.append(kappa)
        if code != POOLED:
            pairs.append({"code_id": code, "coder_a": coders[a], "coder_b": coders[b],
                          "n_answers": int(both.sum()),
                          "percent_agreement": float(np.mean(matrix[both, a] == matrix[both, b])) * 100
                          if both.any() else math.nan, "kappa": kappa})
    defined = [k for k in kappas if not math.isnan(k)]
    return {"code_id": code, "n_answers": int(pairable.sum()), "n_yes": int(np.nansum(matrix)),
            "percent_agreement": float(np.mean(all_agree)) * 100 if len(rows) else math.nan,
            "kappa": float(np.mean(defined)) if defined and len(defined) == len(kappas) else math.nan,
            "alpha": krippendorff_alpha_nominal(rows.tolist())}


def _disagreeing(code: str, matrix: np.ndarray, keys: pd.DataFrame, coders: Sequence[str],
                 texts: dict[tuple[str, str], str]) -> list[dict[str, object]]:
    out = []
    for i, row in enumerate(matrix):
        known = row[~np.isnan(row)]
        if len(known) >= 2 and len(set(known)) > 1:
            key = (str(keys.iat[i, 0]), str(keys.iat[i, 1]))
            entry: dict[str, object] = {"case_id": key[0], "question": key[1], "code_id": code}
            for name, value in zip(coders, row):
                entry[name] = "" if np.isnan(value) else ("yes" if value == 1 else "no")
            entry["text"] = texts.get(key, "")
            out.append(entry)
    return out


def _texts(codings: Sequence[pd.DataFrame], keys: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Some text per answer for the disagreement list: the longest coded_text any coder has."""
    found: dict[tuple[str, str], str] = {}
    for frame in codings:
        if "coded_text" not in frame.columns:
            continue
        for case_id, question, text in frame[[*ANSWER_KEY, "coded_text"]].itertuples(index=False, name=None):
            if isinstance(text, str) and len(text) > len(found.get((case_id, question), "")):
                found[(case_id, question)] = text
    return found
