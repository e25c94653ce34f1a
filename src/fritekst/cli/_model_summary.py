"""What ``fritekst train`` and ``fritekst evaluate`` print about a model, in the command's language.

The model stores numbers and choices; the words come from :mod:`fritekst.outputs.texts`.
"""

from __future__ import annotations

import math
from typing import Any

from ..rules.fitted import ClassifierModel
from ._evaluation import fmt


def combination_text(how: str, threshold: float, tr: Any) -> str:
    """One token for what policy ``learned`` does with a code: ``keyword``, ``union@0.350``, ..."""
    if how == "keyword" or threshold > 1:
        return str(tr("model_combination_keyword"))
    return str(tr(f"model_combination_{how}", t=fmt(threshold, 3, lang=tr.lang)))


def model_summary(model: ClassifierModel, tr: Any) -> str:
    """A few lines about a model: codebook, training data, and per code positives, threshold,
    out-of-fold F1 and the learned combination with its out-of-fold F1."""
    meta = model.metadata
    training = meta["training"]
    clf = model.classifier
    segments = tr("model_segments", n=training["n_units"]) if training.get("unit") == "segment" else ""
    keywords = tr("model_keyword_features") if training.get("keyword_features") else ""
    lines = [tr("model_head", codebook=meta["codebook"]["id"], hash=meta["codebook"]["sha256"][:12],
                created=meta.get("created", "?"), version=meta.get("fritekst_version", "?")),
             tr("model_data", n=training["n_answers"], questions=", ".join(training["questions"]),
                segments=segments, keywords=keywords)]
    lines.append(f"{tr('model_col_code'):<22} {tr('model_col_positives'):>9} {tr('model_col_threshold'):>9} "
                 f"{tr('model_col_cv_f1'):>6}  {tr('model_col_learned'):<20} {tr('model_col_cv_f1'):>6}")
    position = {c: j for j, c in enumerate(clf.classes_)}
    need = meta.get("settings", {}).get("min_positives", 3)
    for code_id in meta["codebook"]["code_ids"]:
        positives = training["positives"].get(code_id, 0)
        j = position.get(code_id)
        if j is None or not clf.trained_[j]:
            lines.append(f"{code_id:<22} {positives:>9} {'-':>9} {'-':>6}"
                         + tr("model_not_learned", n=positives, need=need))
            continue
        how = combination_text(model.combination[code_id], float(clf.union_thresholds_[j]), tr)
        lines.append(f"{code_id:<22} {positives:>9} {fmt(clf.thresholds_[j], 3, lang=tr.lang):>9} "
                     f"{_f1(clf.cv_f1_[j], tr.lang):>6}  {how:<20} {_f1(clf.union_cv_f1_[j], tr.lang):>6}")
    lines.append(tr("model_combination_note"))
    return "\n".join(lines)


def _f1(value: float, lang: str) -> str:
    return "-" if value is None or math.isnan(value) else fmt(value, lang=lang)
