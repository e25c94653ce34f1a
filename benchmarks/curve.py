"""Learning curve of the plain first codebooks: the figures of README's quality section.

Training pool: the ``train`` split of ``corpus/gold`` + ``corpus/dev`` + ``corpus/train2`` (each
hand-coded answer of the question's codebook; every ``--train-folder``, by default every
``corpus/train<N>`` folder: ``train2``, ``train3``, ``train4`` where they exist); scored on the
held-out sets ``corpus/gold`` ``heldout`` and ``corpus/heldout2``, which nothing was tuned on.
``--tune`` scores on training data only: each training source (gold train, dev, each file of each
training folder) is left out in turn and scored after training on the others, and the mean over them
is printed. ``--keep-rules K`` (with ``--tune``) keeps only the first K keyword rules of each code,
so that the rules miss phrasings on training data as the plain codebooks do on held-out answers
(docs/classifier-and-evaluation.md). ``--shipped`` (with ``--tune``) runs the shipped codebooks
instead of the plain first ones. ``--left-out NAME`` (with ``--tune``) leaves out only the sources
whose name contains NAME: ``--left-out train5`` is a pool-only learning curve scored on train5,
where the plain rules miss phrasings as on held-out answers (docs/classifier-and-evaluation.md,
seventh round). With ``--tune`` a size at or above a pool's size is that whole pool, shown as ``all``.

    PYTHONPATH=src python benchmarks/curve.py [--tune [--keep-rules 1] [--shipped] [--left-out train5] [--quiet]]
        [--draws 5]
        [--codebook ansette] [--train-folder corpus/train3 ...]
        [--settings '{"C": 10}' [--settings '{"precision_guard": null}' ...]] [--policy learned]

Prints one table per codebook, classifier setting and test set: N, then micro P / R / F1 of keyword,
classifier and combined (F1 mean ± sd over draws). Several ``--settings`` are run in the same
session on the same pool, draws and test sets (e.g. before and after a change, as one scoring).
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

from fritekst.analysis.curve import CurveSet, learning_curve, summarise_curve  # noqa: E402
from fritekst.analysis.evaluate import read_coded_answers  # noqa: E402
from fritekst.coding.codings_io import read_codings, read_scope  # noqa: E402
from fritekst.rules.codebook import load_codebook  # noqa: E402
from fritekst.sources.corpus import load_corpus  # noqa: E402

DEV = {"ansette": "ansette_dev.csv", "recovery": "recovery_dev.csv"}


def gold_set(codebook, name: str, split: str) -> CurveSet:
    gold = read_codings(ROOT / "corpus" / "gold" / f"{name}.csv", code_ids=list(codebook.code_ids),
                        default_method="manual", what="gold file")
    scope = read_scope(ROOT / "corpus" / "gold" / "split.csv", split)
    scope = scope[scope["question"].isin(set(gold["question"]))].reset_index(drop=True)
    answers = load_corpus(ROOT / "corpus" / "svar.csv", "case_id", sorted(set(scope["question"]))).answers
    return CurveSet(f"gold {split}", answers, gold, scope)


def file_set(codebook, path: Path, label: str) -> CurveSet:
    answers, gold, keys = read_coded_answers(path, list(codebook.code_ids))
    for frame in (answers, gold, keys):
        frame["case_id"] = f"{label}:" + frame["case_id"].astype(str)
    return CurveSet(label, answers, gold, keys)


def train2_sets(codebook, name: str, folder: Path) -> list[CurveSet]:
    return [file_set(codebook, p, f"{folder.name}/{p.name}") for p in sorted(folder.glob(f"{name}*.csv"))]


def fewer_rules(path: Path, keep: int):
    """The codebook with only the first ``keep`` keyword rules of each code (a rougher first draft)."""
    import tempfile

    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for code in data["codes"]:
        code["rules"] = code.get("rules", [])[:keep]
    folder = Path(tempfile.mkdtemp(prefix="curve-rules-"))
    (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_codebook(folder / path.name)


def training_sources(codebook, name: str, folders: list[Path]) -> list[CurveSet]:
    """Every training source of a question: gold ``train``, ``corpus/dev`` and each training folder."""
    sources = [gold_set(codebook, name, "train"), file_set(codebook, ROOT / "corpus" / "dev" / DEV[name], "dev")]
    for folder in folders:
        sources.extend(train2_sets(codebook, name, folder))
    return sources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", action="store_true", help="score on training data only")
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--sizes", default="0,25,50,100,200")
    parser.add_argument("--codebook", action="append", choices=sorted(DEV))
    parser.add_argument("--settings", action="append", help="JSON settings of AnswerClassifier; repeatable")
    parser.add_argument("--policy", default=None)
    parser.add_argument("--train-folder", type=Path, action="append", dest="folders",
                        help="folder of extra training files <codebook>*.csv (repeatable; default "
                             "every corpus/train<N> folder)")
    parser.add_argument("--quiet", action="store_true", help="with --tune: only the mean over folds")
    parser.add_argument("--shipped", action="store_true",
                        help="the shipped codebooks (codebooks/<name>.yaml) instead of the plain first ones")
    parser.add_argument("--left-out", action="append", default=None,
                        help="with --tune: leave out only the sources whose name contains this (repeatable), "
                             "e.g. train5: a pool-only curve scored on one source")
    parser.add_argument("--keep-rules", type=int, default=None,
                        help="with --tune: keep only the first K keyword rules of each code, so the rules "
                             "miss phrasings on training data as the plain codebooks do on held-out answers")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folders = args.folders or sorted(f for f in (ROOT / "corpus").glob("train[0-9]*") if f.is_dir())
    if args.left_out and not args.tune:
        parser.error("--left-out is for --tune only")
    if args.shipped and not args.tune:
        parser.error("--shipped is for --tune only (the shipped rules were written looking at the pool)")
    for name in args.codebook or sorted(DEV):
        path = ROOT / "codebooks" / ("" if args.shipped else "examples") / f"{name}.yaml"
        codebook = load_codebook(path)
        if args.keep_rules is not None:
            if not args.tune:
                parser.error("--keep-rules is for --tune only")
            codebook = fewer_rules(path, args.keep_rules)
        sources = training_sources(codebook, name, folders)
        if args.tune:
            # leave one training source out: pool = the others, scored on it
            runs = [(CurveSet.join(" + ".join(s.name for s in sources if s is not left),
                                   [s for s in sources if s is not left]), [left]) for left in sources
                    if not args.left_out or any(part in left.name for part in args.left_out)]
        else:
            tests = [gold_set(codebook, name, "heldout"),
                     file_set(codebook, ROOT / "corpus" / "heldout2" / f"{name}.csv", "heldout2")]
            runs = [(CurveSet.join(" + ".join(s.name for s in sources), sources), tests)]
        for settings in args.settings or ["{}"]:
            folds = []
            start = time.perf_counter()
            for pool, tests in runs:
                curve = learning_curve(codebook, pool, tests, sizes, draws=args.draws, policy=args.policy,
                                       settings=json.loads(settings))
                summary = summarise_curve(curve)
                # a size capped at the pool is "the whole pool" (-1 in the mean), whatever its size
                n_pool = len(pool.keys.drop_duplicates())
                folds.append(summary.assign(n=summary["n"].where(summary["n"] < n_pool, -1)))
                if args.quiet:
                    continue
                print(f"\n{name}: pool {pool.name} ({n_pool} answers), settings {settings}, {args.draws} draws")
                for test in tests:
                    print(f"  scored on {test.name} ({len(test.keys.drop_duplicates())} answers)")
                    _print_table(summary[summary["test"] == test.name])
            if args.tune:
                mean = pd.concat(folds).groupby(["n", "method"], sort=False)[["precision", "recall", "f1"]].mean()
                print(f"\n{name}: settings {settings}, mean over {len(runs)} left-out sources, {args.draws} draws, "
                      f"{time.perf_counter() - start:.0f} s")
                _print_table(mean.reset_index().assign(f1_sd=float("nan")))
            sys.stdout.flush()


def _print_table(rows: pd.DataFrame) -> None:
    for n in dict.fromkeys(rows["n"]):
        cells = []
        for method in ("keyword", "classifier", "combined"):
            r = rows[(rows["n"] == n) & (rows["method"] == method)].iloc[0]
            sd = f"±{r['f1_sd']:.2f}" if method != "keyword" and r["f1_sd"] == r["f1_sd"] else ""
            cells.append(f"{r['precision']:.3f} {r['recall']:.3f} {r['f1']:.3f}{sd}")
        print(f"  {'all' if n < 0 else int(n):>4} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
