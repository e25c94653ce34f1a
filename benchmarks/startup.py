"""Whole-process CPU of fritekst's everyday commands, as ratios to a fixed baseline in ONE run.

    python benchmarks/startup.py --runs 5

The baseline is ``python -c "import pandas, spacy; spacy.blank('nb')"`` (what any spaCy+pandas tool
pays before doing anything). Each command and the baseline run in turn (A B A B ...), each as a fresh
process on the shipped example, and the ratio is taken pair by pair on the CPU seconds (user + sys)
the kernel accounts to the finished child, so machine load cancels; the median ratio is printed. On
a machine shared with other work, wall-clock ratios also include waiting for a core and are noisier.

Commands: ``--help``; ``report`` warm (the codings cache filled by a first run) and cold
(``--no-cache``); ``code`` cold (``--no-cache``). ``--import-time`` also prints the modules that
``fritekst --help`` imports (``python -X importtime``), which must include no pandas, spaCy,
scikit-learn or simplemma dictionaries.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = [sys.executable, "-c", "import pandas, spacy; spacy.blank('nb')"]
CLI = [sys.executable, "-c", "from fritekst.cli import main; main()"]
TARGETS = {"--help": 0.3, "report (warm)": 2.0, "report (cold)": 4.0, "code (cold)": 2.5}


def run(command: list[str]) -> tuple[float, float]:
    """CPU seconds (user + sys) and wall seconds of one finished child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-time", action="store_true")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="fritekst-startup-"))
    project = str(REPO / "fritekst.toml")
    commands = {"--help": [*CLI, "--help"],
                "report (warm)": [*CLI, "report", "--project", project],
                "report (cold)": [*CLI, "report", "--project", project, "--no-cache"],
                "code (cold)": [*CLI, "code", "--project", project, "--no-cache", "--out", str(out / "refs.csv")]}
    run(commands["report (warm)"])  # fills the codings cache and the language data copies
    print(f"{'command':<16} {'CPU ratio':>9} {'wall ratio':>10} {'target':>7}   (median of {args.runs} pairs)")
    for name, command in commands.items():
        run(command)  # warm-up, not counted
        cpu_ratios, wall_ratios = [], []
        for _ in range(args.runs):
            cpu_a, wall_a = run(command)
            cpu_b, wall_b = run(BASELINE)
            cpu_ratios.append(cpu_a / cpu_b)
            wall_ratios.append(wall_a / wall_b)
        print(f"{name:<16} {statistics.median(cpu_ratios):>9.2f} {statistics.median(wall_ratios):>10.2f} "
              f"{'≤ ' + format(TARGETS[name], 'g'):>7}")
    if args.import_time:
        done = subprocess.run([sys.executable, "-X", "importtime", *CLI[1:], "--help"], cwd=REPO,
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO / "src")})
        top = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
        heavy = sorted(top & {"pandas", "numpy", "spacy", "sklearn", "scipy", "skops", "simplemma"})
        print("fritekst --help imports heavy modules:", ", ".join(heavy) or "none")


if __name__ == "__main__":
    main()
