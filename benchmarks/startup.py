"""Whole-process CPU of fritekst's everyday commands, as ratios to a fixed baseline in ONE run.

    python benchmarks/startup.py --runs 5
    python benchmarks/startup.py --runs 5 --before /path/to/older/checkout/src
    python benchmarks/startup.py --runs 5 --only "report (first)"

The baseline is ``python -c "import pandas, spacy; spacy.blank('nb')"`` (what any spaCy+pandas tool
pays before doing anything). Each command and the baseline run in turn (A B A B ...), each as a fresh
process on the shipped example, and the ratio is taken pair by pair on the CPU seconds (user + sys)
the kernel accounts to the finished child, so machine load cancels; the median ratio is printed. On
a machine shared with other work, wall-clock ratios also include waiting for a core and are noisier.

Commands: ``--help``; ``report`` warm (the codings cache filled by a first run) and cold
(``--no-cache``), both into the same ``--out`` folder as a researcher's reruns; ``report (first)``:
cold into a new, empty folder each time, so every output is rendered; ``report (new, warm)``: into a
new, empty folder with the project's cache filled (codings and chart pictures; a researcher's next
draft in a folder of its own); ``code`` cold
(``--no-cache``); ``serve`` until its page has been served once (the process is then stopped; its
CPU is accounted as for the others). ``--before SRC`` also runs
every command with another source tree (e.g. a checkout of main) on the path, in the same rounds
(before, baseline, after, baseline, ...), so before and after are compared within one run.
``--import-time`` also prints the modules that ``fritekst --help`` imports (``python -X importtime``),
which must include no pandas, spaCy, scikit-learn or simplemma dictionaries, and those of a cold
``code`` that are never needed to apply a model (scikit-learn, skops, scipy.stats) or to tokenize
once the tokenizer data is stored (spaCy).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = [sys.executable, "-c", "import pandas, spacy; spacy.blank('nb')"]
CLI = [sys.executable, "-c", "from fritekst.cli import main; main()"]
TARGETS = {"--help": 0.3, "report (warm)": 2.0, "report (cold)": 4.0, "report (first)": 4.0,
           "report (new, warm)": None, "code (cold)": 2.5, "serve (page)": None}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], src: Path) -> tuple[float, float]:
    """CPU seconds (user + sys) and wall seconds of one finished child process."""
    before = _cpu()
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env={**os.environ, "PYTHONPATH": str(src)})
    return _cpu() - before, time.perf_counter() - started


def run_serve(command: list[str], src: Path) -> tuple[float, float]:
    """CPU and wall seconds of ``serve`` from start until its first page has been answered."""
    before = _cpu()
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                          env={**os.environ, "PYTHONPATH": str(src)}) as server:
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            # the token in the URL becomes a cookie through a redirect, as in a browser
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            with opener.open(url, timeout=300) as page:
                page.read()
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=60)
    return _cpu() - before, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="Another source tree to compare with, in the same run.")
    parser.add_argument("--import-time", action="store_true")
    parser.add_argument("--only", action="append", choices=list(TARGETS), metavar="COMMAND",
                        help="Measure only this command (repeat for several), e.g. --only 'report (first)'.")
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                        help="Skip the uncounted first run of each command (a busy machine, little time).")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="fritekst-startup-"))
    trees = {"after": REPO / "src"}
    if args.before is not None:
        # Its own copy of the project: the codings cache is keyed by the coding source, so two trees
        # sharing one project would replace each other's entries and no "warm" run would be warm.
        before = out / "before"
        before.mkdir()
        for name in ("fritekst.toml", "corpus", "codebooks"):
            (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, before / name)
        trees = {"before": args.before.resolve(), **trees}

    fresh = itertools.count()

    def commands(tree: str) -> dict[str, list[str]]:
        project = str((out / "before" if tree == "before" else REPO) / "fritekst.toml")
        # Each tree reruns into a folder of its own: a report keeps the outputs that would come out
        # the same, which the other tree's outputs never are.
        again = str(out / f"report-{tree}")
        first = str(out / f"first-{next(fresh)}")  # a folder no run has written to
        return {"--help": [*CLI, "--help"],
                "report (warm)": [*CLI, "report", "--project", project, "--out", again],
                "report (cold)": [*CLI, "report", "--project", project, "--no-cache", "--out", again],
                "report (first)": [*CLI, "report", "--project", project, "--no-cache", "--out", first],
                "report (new, warm)": [*CLI, "report", "--project", project, "--out", first],
                "code (cold)": [*CLI, "code", "--project", project, "--no-cache", "--out", str(out / "refs.csv")],
                "serve (page)": [*CLI, "serve", "--project", project, "--no-browser", "--coder", "benchmark"]}

    for tree, src in trees.items():
        run(commands(tree)["report (warm)"], src)  # fills the codings cache and the language data copies
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    print(f"{'command':<18} {'tree':<7} {'CPU s':>6} {'base s':>6} {'CPU ratio':>9} {'wall ratio':>10} "
          f"{'target':>7}   (median of {args.runs} pairs)", flush=True)
    for name in args.only or TARGETS:
        runner = run_serve if name.startswith("serve") else run
        if args.warm_up:
            for tree, src in trees.items():
                runner(commands(tree)[name], src)  # warm-up, not counted
        cpu: dict[str, list[tuple[float, float]]] = {tree: [] for tree in trees}
        wall: dict[str, list[float]] = {tree: [] for tree in trees}
        for _ in range(args.runs):
            for tree, src in trees.items():
                cpu_a, wall_a = runner(commands(tree)[name], src)
                cpu_b, wall_b = run(BASELINE, REPO / "src")
                cpu[tree].append((cpu_a, cpu_b))
                wall[tree].append(wall_a / wall_b)
        for tree in trees:
            target = TARGETS[name]
            print(f"{name:<18} {tree:<7} {statistics.median(a for a, _ in cpu[tree]):>6.2f} "
                  f"{statistics.median(b for _, b in cpu[tree]):>6.2f} "
                  f"{statistics.median(a / b for a, b in cpu[tree]):>9.2f} {statistics.median(wall[tree]):>10.2f} "
                  f"{'≤ ' + format(target, 'g') if target else '-':>7}", flush=True)
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.import_time:
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        done = subprocess.run([sys.executable, "-X", "importtime", *CLI[1:], "--help"], cwd=REPO,
                              capture_output=True, text=True, env=env)
        top = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
        heavy = sorted(top & {"pandas", "numpy", "spacy", "sklearn", "scipy", "skops", "simplemma"})
        print("fritekst --help imports heavy modules:", ", ".join(heavy) or "none")
        done = subprocess.run([sys.executable, "-X", "importtime", *commands("after")["code (cold)"][1:]], cwd=REPO,
                              capture_output=True, text=True, env=env)
        names = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        unneeded = sorted({n.split(".")[0] for n in names if n.split(".")[0] in ("sklearn", "skops", "spacy")}
                          | {"scipy.stats" for n in names if n.startswith("scipy.stats")})
        print("cold code imports:", ", ".join(unneeded) or "no scikit-learn, skops, spaCy or scipy.stats")


if __name__ == "__main__":
    main()
