"""Choose the shipped models' settings and combination on training data only.

For each shipped codebook, two splits of the training pool (never a held-out answer): train on gold
``train`` + ``corpus/train2`` (+ every other ``corpus/train<N>`` folder: ``train3``, ``train4``) and
score on ``corpus/dev``; train on gold ``train`` + ``corpus/dev`` and score on ``corpus/train2`` (+ the
others). ``benchmarks/curve.py --tune --shipped`` leaves each training source out in turn instead. Each classifier
setting is trained once per split and scored as keyword rules alone, classifier alone, and combined
by ``union`` and by ``learned`` (the per-code choice).
Figures are micro P / R / F1 summed over the two scored sets.

    PYTHONPATH=src python benchmarks/tune_models.py [--codebook ansette] \\
        [--settings '{}' --settings '{"C": 3}' ...]

The shipped keyword rules were written looking at these same sets (see codebooks/README.md), so the
keyword rules' figures here are optimistic, and so is every choice that leans on them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from curve import DEV, file_set, gold_set, train2_sets  # noqa: E402
from fritekst.analysis.curve import CurveSet, _keyword_codings  # noqa: E402
from fritekst.analysis.evaluate import evaluate_codings  # noqa: E402
from fritekst.coding.classify import combine_codings, drop_negated, learned_thresholds, predict_codings  # noqa: E402
from fritekst.coding.frame import ANSWER_KEY  # noqa: E402
from fritekst.rules.classifier import train_model  # noqa: E402
from fritekst.rules.codebook import load_codebook  # noqa: E402


def score(codebook, pool: CurveSet, test: CurveSet, settings: dict) -> dict[str, tuple[int, int, int]]:
    """TP, FP, FN of keyword, classifier, union and learned on ``test`` after training on ``pool``."""
    texts = pd.concat([pool.answers[[*ANSWER_KEY, "text"]], test.answers[[*ANSWER_KEY, "text"]]], ignore_index=True)
    keyword = _keyword_codings(texts, codebook)
    model = train_model(texts, pool.gold, codebook, keyword_codings=keyword, scope=pool.keys,
                        settings={"random_state": 0, **settings}, source="tune")
    keys = test.keys[ANSWER_KEY].drop_duplicates().reset_index(drop=True)
    held = keys.merge(test.answers[[*ANSWER_KEY, "text"]], on=ANSWER_KEY)
    kw = keyword.merge(keys, on=ANSWER_KEY)
    alone = drop_negated(predict_codings(model, held, kw), held, codebook, kw)
    at_learned = drop_negated(predict_codings(model, held, kw, thresholds=learned_thresholds(model)),
                              held, codebook, kw)
    runs = {"keyword": kw, "classifier": alone, "union": combine_codings(kw, alone, "union"),
            "learned": combine_codings(kw, at_learned, "learned", replaced=model.replaced_codes)}
    out = {}
    for name, codings in runs.items():
        micro = evaluate_codings(codings, test.gold, keys, list(codebook.code_ids), name=name).micro
        out[name] = (int(micro["tp"]), int(micro["fp"]), int(micro["fn"]))
    out["replaced"] = tuple(sorted(model.replaced_codes))  # type: ignore[assignment]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codebook", action="append", choices=sorted(DEV))
    parser.add_argument("--settings", action="append", help="JSON settings of AnswerClassifier; repeatable")
    args = parser.parse_args()
    variants = [json.loads(s) for s in (args.settings or ["{}"])]
    for name in args.codebook or sorted(DEV):
        codebook = load_codebook(ROOT / "codebooks" / f"{name}.yaml")
        train = gold_set(codebook, name, "train")
        dev = file_set(codebook, ROOT / "corpus" / "dev" / DEV[name], "dev")
        # corpus/train3, train4 (where they exist) join train2: more training answers, scored with it
        extra = [part for folder in sorted(f for f in (ROOT / "corpus").glob("train[0-9]*") if f.is_dir())
                 for part in train2_sets(codebook, name, folder)]
        splits = [(CurveSet.join("gold train + train2", [train, *extra]), dev),
                  (CurveSet.join("gold train + dev", [train, dev]), CurveSet.join("train2", extra))]
        for settings in variants:
            start = time.perf_counter()
            totals: dict[str, list[int]] = {}
            replaced = []
            for pool, test in splits:
                result = score(codebook, pool, test, settings)
                replaced.append(",".join(result.pop("replaced")) or "-")  # type: ignore[arg-type]
                for method, counts in result.items():
                    totals.setdefault(method, [0, 0, 0])
                    totals[method] = [a + b for a, b in zip(totals[method], counts)]
            cells = []
            for method, (tp, fp, fn) in totals.items():
                p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
                cells.append(f"{method} {p:.3f} {r:.3f} {2 * tp / max(2 * tp + fp + fn, 1):.3f}")
            print(f"{name} {json.dumps(settings)} ({time.perf_counter() - start:.0f} s): " + " | ".join(cells))
            print(f"    replaced (dev fold | train2 fold): {' | '.join(replaced)}", flush=True)


if __name__ == "__main__":
    main()
