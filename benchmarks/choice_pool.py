"""Which per-code combination choice carries over to answers the rules were not written on (pool only).

Leave one training source out (``--left-out train8`` ...), train on the rest of the pool, and score
several ways of choosing each code's combination (keyword rules alone, union@t, classifier@t) on the
left-out source. Every choice is replayed on the same trained model (``AnswerClassifier.cv_answers_``:
the out-of-fold probabilities the choice is made from), so the choices differ in nothing else.

``--rules fresh``: the codebook as it was *before* the left-out source was added to the pool (the
commit that added ``corpus/<source>/<codebook>.csv``), so the source is new to those rules, and the
whole remaining pool is trained on (sizes ``all``). ``--rules plain``: the plain first codebooks
(``codebooks/examples``), the learning curve at ``--sizes`` (default 50,100,200), ``--draws`` orders
(those of ``benchmarks/curve.py --tune``). ``--rules first``: the same with each code's first rule
only (the rules blind, as ``curve.py --keep-rules 1``). ``--per-code FILE``: per code the classifier
replaced, the rules', union's and classifier's F1 out of fold and on the left-out source. No held-out
answer is read (docs/classifier-and-evaluation.md, eleventh round).

    PYTHONPATH=src python benchmarks/choice_pool.py --rules fresh --codebook ansette \\
        --left-out train5 --left-out train6 --left-out train7 --left-out train8 [--cv-groups answer,source]

Prints a table of micro-F1 on each left-out source (mean over draws) and their mean, per codebook,
fold grouping, choice and size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from curve import DEV, fewer_rules, training_sources  # noqa: E402

from fritekst.analysis.curve import CurveSet, _keyword_codings  # noqa: E402
from fritekst.analysis.evaluate import decisions_of  # noqa: E402
from fritekst.coding.classify import drop_negated, predict_codings  # noqa: E402
from fritekst.coding.frame import ANSWER_KEY  # noqa: E402
from fritekst.rules.classifier import NEVER, THRESHOLD_GRID, seed_answers, train_model  # noqa: E402
from fritekst.rules.classifier import _counts, _f1 as _f1_of_counts, _precision as _precision_of_counts  # noqa: E402
from fritekst.rules.codebook import load_codebook  # noqa: E402


def fresh_codebook(name: str, left_out: str):
    """The codebook from the commit that added ``corpus/<left_out>/<name>.csv`` (rules not yet tuned on it)."""
    path = f"corpus/{left_out}/{name}.csv"
    commits = subprocess.run(["git", "-C", str(ROOT), "log", "--diff-filter=A", "--format=%H", "--", path],
                             capture_output=True, text=True, check=True).stdout.split()
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commits[-1]}:codebooks/{name}.yaml"],
                          capture_output=True, text=True, check=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="choice-pool-"))
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_codebook(folder / f"{name}.yaml"), commits[-1][:7]


# ---- the choices, each from one code's out-of-fold answers -------------------------------------------

# The estimator's own counts and formulas (one F1 in the project), for one boolean column.
def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    return float(_f1_of_counts(_counts(predicted[:, None], truth))[0])


def _precision(predicted: np.ndarray, truth: np.ndarray) -> float:
    return float(_precision_of_counts(_counts(predicted[:, None], truth))[0])


def best_union(cv: dict[str, np.ndarray], own: float, floor: float | None) -> float:
    """The union step of ``choice="best"`` (defaults: ties ``better``, tolerance 0): its threshold."""
    grid = np.append(THRESHOLD_GRID, NEVER)
    kw, p, y, judged = cv["keyword"], cv["proba"], cv["truth"], cv["judged"]
    joined = kw[:, None] | (p[:, None] >= grid[None, :])
    f1 = np.array([_f1(joined[:, k], y) for k in range(len(grid))])
    if floor is not None:
        for k in range(len(grid) - 1):
            if _precision(joined[judged, k], y[judged]) < floor:
                f1[k] = -1.0
    best = np.flatnonzero(f1 >= f1.max())
    rules_f1 = _f1(kw[judged], y[judged])
    own_f1 = _f1(p[judged] >= own, y[judged])
    target = NEVER if rules_f1 >= own_f1 else own
    return float(grid[best[np.argmin(np.abs(grid[best] - target))]])


def candidates(cv: dict[str, np.ndarray], own: float, guard: bool) -> dict[str, Any]:
    """Out-of-fold figures of one code on the hand-coded answers: rules, chosen union, classifier alone."""
    kw, p, y, judged = cv["keyword"], cv["proba"], cv["truth"], cv["judged"]
    kj, pj, yj = kw[judged], p[judged], y[judged]
    floor = float((kj & (yj == 1)).sum() / kj.sum()) if guard and kj.any() else None
    union_t = best_union(cv, own, floor)
    union = kj | (pj >= union_t)
    alone = pj >= own
    return {"union_t": union_t, "union_f1": _f1(union, yj), "alone_f1": _f1(alone, yj),
            "alone_ok": floor is None or _precision(alone, yj) >= floor, "rules_f1": _f1(kj, yj),
            "rules_p": _precision(kj, yj), "positives": int(yj.sum()), "own": own}


Choice = Callable[[dict[str, Any]], tuple[str, float]]


def margin(m: float, min_pos: int = 10) -> Choice:
    """``best``, but the classifier replaces the rules only when it beats the union by more than ``m``."""
    def choose(c: dict[str, Any]) -> tuple[str, float]:
        if c["positives"] >= min_pos and c["alone_ok"] and c["alone_f1"] > c["union_f1"] + m:
            return "classifier", c["own"]
        return ("keyword", NEVER) if c["union_t"] > 1 else ("union", c["union_t"])
    return choose


def precise_union(p0: float, at_own: bool) -> Choice:
    """``best``, but where the rules' out-of-fold precision is at least ``p0`` a replacement becomes a union
    (at the classifier's own threshold, or at the chosen union's)."""
    base = margin(0.0)

    def choose(c: dict[str, Any]) -> tuple[str, float]:
        how, t = base(c)
        if how == "classifier" and c["rules_p"] >= p0:
            t = c["own"] if at_own else c["union_t"]
            return ("keyword", NEVER) if t > 1 else ("union", t)
        return how, t
    return choose


def rules_margin(m: float) -> Choice:
    """``best``, but anything other than the rules alone must beat the rules' out-of-fold F1 by more than ``m``."""
    base = margin(0.0)

    def choose(c: dict[str, Any]) -> tuple[str, float]:
        how, t = base(c)
        gain = (c["alone_f1"] if how == "classifier" else c["union_f1"]) - c["rules_f1"]
        return (how, t) if how == "keyword" or gain > m else ("keyword", NEVER)
    return choose


def replace_bias(slack: float, min_pos: int = 10) -> Choice:
    """``best``, but the classifier replaces the rules when within ``slack`` of the union (a prior for it)."""
    def choose(c: dict[str, Any]) -> tuple[str, float]:
        if c["positives"] >= min_pos and c["alone_ok"] and c["alone_f1"] >= c["union_f1"] - slack:
            return "classifier", c["own"]
        return ("keyword", NEVER) if c["union_t"] > 1 else ("union", c["union_t"])
    return choose


CHOICES: dict[str, Choice] = {
    "best (m 0)": margin(0.0),
    "m 0.01": margin(0.01), "m 0.02": margin(0.02), "m 0.03": margin(0.03), "m 0.05": margin(0.05),
    "m 0.10": margin(0.10), "never replace": margin(np.inf),
    "prec>=0.90 union@own": precise_union(0.90, True), "prec>=0.90 union": precise_union(0.90, False),
    "prec>=0.80 union@own": precise_union(0.80, True),
    "rules margin 0.01": rules_margin(0.01), "rules margin 0.02": rules_margin(0.02),
    "rules margin 0.05": rules_margin(0.05),
    "replace when tied": replace_bias(0.0), "replace within 0.01": replace_bias(0.01),
    "replace within 0.02": replace_bias(0.02),
    "replace from 5 positives": margin(0.0, 5), "replace from 20 positives": margin(0.0, 20),
    "keyword alone": lambda c: ("keyword", NEVER),
}


# ---- scoring on the left-out source -------------------------------------------------------------------

def answer_matrices(model, codebook, test: CurveSet, kw_test: pd.DataFrame, code_ids: list[str]):
    """Truth, keyword presence and classifier probability (after drop_negated), answers x codes."""
    keys = test.keys[ANSWER_KEY].drop_duplicates().reset_index(drop=True)
    held = keys.merge(test.answers[[*ANSWER_KEY, "text"]], on=ANSWER_KEY, how="left")
    index = {k: i for i, k in enumerate(zip(keys["case_id"], keys["question"]))}
    col = {c: j for j, c in enumerate(code_ids)}
    truth = np.zeros((len(keys), len(code_ids)), dtype=int)
    yes = test.gold[decisions_of(test.gold) == "yes"]
    for case, q, code in zip(yes["case_id"], yes["question"], yes["code_id"]):
        if (case, q) in index and code in col:
            truth[index[(case, q)], col[code]] = 1
    keyword = np.zeros_like(truth, dtype=bool)
    for case, q, code in zip(kw_test["case_id"], kw_test["question"], kw_test["code_id"]):
        if (case, q) in index and code in col:
            keyword[index[(case, q)], col[code]] = True
    scored = predict_codings(model, held, kw_test, thresholds={c: 0.0 for c in model.codes})
    scored = drop_negated(scored, held, codebook, kw_test)
    proba = np.zeros(truth.shape)
    for case, q, code, s in zip(scored["case_id"], scored["question"], scored["code_id"], scored["score"]):
        i, j = index[(case, q)], col[code]
        proba[i, j] = max(proba[i, j], float(s))
    return truth, keyword, proba


def micro_f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    return _f1(predicted.ravel(), truth.ravel())


def replaced_codes(model, truth, keyword, proba, code_ids, guard: bool) -> list[dict[str, Any]]:
    """Per code the classifier replaced: out-of-fold and left-out F1 of the rules, the union and the classifier."""
    clf, rows = model.classifier, []
    for j, code in enumerate(code_ids):
        k = clf.classes_.index(code)
        cv = clf.cv_answers_[k]
        if model.combination.get(code) != "classifier" or cv is None or "keyword" not in cv:
            continue
        c = candidates(cv, float(clf.thresholds_[k]), guard)
        union = keyword[:, j] | (proba[:, j] >= c["union_t"])
        rows.append({"code": code, "positives": c["positives"], "cv_rules": c["rules_f1"],
                     "cv_union": c["union_f1"], "cv_classifier": c["alone_f1"], "union_t": c["union_t"],
                     "test_positives": int(truth[:, j].sum()), "test_rules": _f1(keyword[:, j], truth[:, j]),
                     "test_union": _f1(union, truth[:, j]), "test_classifier": _f1(proba[:, j] >= c["own"], truth[:, j])})
    return rows


def score_choices(model, truth, keyword, proba, code_ids, guard: bool) -> dict[str, float]:
    clf = model.classifier
    infos: dict[int, dict[str, Any]] = {}
    for j, code in enumerate(code_ids):
        k = clf.classes_.index(code)
        cv = clf.cv_answers_[k]
        if clf.trained_[k] and cv is not None and "keyword" in cv and cv["judged"].any():
            infos[j] = candidates(cv, float(clf.thresholds_[k]), guard)
    out: dict[str, float] = {}
    shipped = np.array(keyword)  # the model's own choice, as stored
    for j, code in enumerate(code_ids):
        if code in model.codes:
            how, t = model.combination[code], model.union_thresholds[code]
            shipped[:, j] = (proba[:, j] >= t) if how == "classifier" else keyword[:, j] | (proba[:, j] >= t)
    out["model as trained"] = micro_f1(shipped, truth)
    out["classifier alone"] = micro_f1(np.column_stack(
        [proba[:, j] >= model.thresholds.get(c, NEVER) for j, c in enumerate(code_ids)]), truth)
    for name, choose in CHOICES.items():
        predicted = np.array(keyword)
        for j, info in infos.items():
            how, t = choose(info)
            predicted[:, j] = (proba[:, j] >= t) if how == "classifier" else keyword[:, j] | (proba[:, j] >= t)
        out[name] = micro_f1(predicted, truth)
    out["_replaced"] = float(sum(1 for c in code_ids if model.combination.get(c) == "classifier"))
    return out


def run(name: str, rules: str, left_out: list[str], sizes: list[int], draws: int, cv_groups: list[str],
        per_code: list[dict[str, Any]] | None = None):
    rows = []
    for left in left_out:
        if rules == "fresh":
            codebook, rev = fresh_codebook(name, left)
        elif rules == "first":  # the rules blind: each code keeps its first rule (as curve.py --keep-rules 1)
            codebook, rev = fewer_rules(ROOT / "codebooks" / "examples" / f"{name}.yaml", 1), "first rule"
        else:
            codebook, rev = load_codebook(ROOT / "codebooks" / "examples" / f"{name}.yaml"), "plain"
        folders = sorted(f for f in (ROOT / "corpus").glob("train[0-9]*") if f.is_dir())
        sources = training_sources(codebook, name, folders)
        test = next(s for s in sources if s.name.startswith(f"{left}/"))
        pool = CurveSet.join("pool", [s for s in sources if s is not test])
        seeds, seed_gold = seed_answers(codebook)
        texts = pd.concat([pool.answers[[*ANSWER_KEY, "text"]], seeds, test.answers[[*ANSWER_KEY, "text"]]],
                          ignore_index=True)
        gold = pd.concat([pool.gold, seed_gold], ignore_index=True)
        keyword = _keyword_codings(texts, codebook)
        code_ids = list(codebook.code_ids)
        test_keys = test.keys[ANSWER_KEY].drop_duplicates()
        kw_test = keyword.merge(test_keys, on=ANSWER_KEY)
        order_base = pool.keys[ANSWER_KEY].drop_duplicates().sort_values(ANSWER_KEY).reset_index(drop=True)
        for draw in range(draws):
            order = order_base.iloc[np.random.default_rng(draw).permutation(len(order_base))].reset_index(drop=True)
            for size in sizes:
                size = len(order) if size < 0 else min(size, len(order))
                scope = pd.concat([seeds[ANSWER_KEY], order.iloc[:size]], ignore_index=True)
                for groups in cv_groups:
                    start = time.perf_counter()
                    model = train_model(texts, gold, codebook, keyword_codings=keyword, scope=scope,
                                        settings={"random_state": 0, "cv_groups": groups}, source="choice pool")
                    truth, kw, proba = answer_matrices(model, codebook, test, kw_test, code_ids)
                    scores = score_choices(model, truth, kw, proba, code_ids, guard=size < 300)
                    scores["keyword rules"] = micro_f1(kw, truth)
                    if per_code is not None:
                        per_code.extend({"codebook": name, "left_out": left, "n": size, "draw": draw,
                                         "cv_groups": groups, **row}
                                        for row in replaced_codes(model, truth, kw, proba, code_ids, size < 300))
                    for choice, f1 in scores.items():
                        rows.append({"codebook": name, "left_out": left, "rules": rev,
                                     "n": "all" if size == len(order) else size, "draw": draw,
                                     "cv_groups": groups, "choice": choice, "f1": f1})
                    print(f"# {name} {left} ({rev}) n={size} draw={draw} cv={groups}: "
                          f"{time.perf_counter() - start:.0f} s, keyword {scores['keyword rules']:.3f}, "
                          f"as trained {scores['model as trained']:.3f}, best {scores['best (m 0)']:.3f}",
                          file=sys.stderr, flush=True)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", choices=("fresh", "plain", "first"), default="fresh")
    parser.add_argument("--codebook", action="append", choices=sorted(DEV))
    parser.add_argument("--left-out", action="append", required=True)
    parser.add_argument("--sizes", default=None, help="hand-coded answers trained on, 'all': the whole "
                        "pool (default: all with --rules fresh, 50,100,200 with plain)")
    parser.add_argument("--draws", type=int, default=1, help="random orders of the pool (for sizes below all)")
    parser.add_argument("--cv-groups", default="answer", help="comma-separated: answer, source")
    parser.add_argument("--out", type=Path, help="also write every row as CSV")
    parser.add_argument("--per-code", type=Path, help="write, per code the classifier replaced, the rules', "
                        "union's and classifier's F1 out of fold and on the left-out source (CSV)")
    args = parser.parse_args()
    spec = args.sizes or ("all" if args.rules == "fresh" else "50,100,200")
    sizes = [-1 if s == "all" else int(s) for s in spec.split(",")]
    per_code: list[dict[str, Any]] | None = [] if args.per_code else None
    frames = [run(name, args.rules, args.left_out, sizes, args.draws, args.cv_groups.split(","), per_code)
              for name in args.codebook or sorted(DEV)]
    if args.per_code:
        pd.DataFrame(per_code).to_csv(args.per_code, index=False)
    table = pd.concat(frames, ignore_index=True)
    if args.out:
        table.to_csv(args.out, index=False)
    per = table.groupby(["codebook", "cv_groups", "choice", "n", "left_out"], sort=False)["f1"].mean().unstack("left_out")
    per["mean"] = per.mean(axis=1)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(per.round(3).to_string())


if __name__ == "__main__":
    main()
