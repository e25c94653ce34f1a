"""Build a report project of N answers from the shared generator, for scale runs of `fritekst report`.

    python benchmarks/scale_project.py --n 200000 --out /tmp/scale_200k
    python benchmarks/scale_project.py --n 200000 --out /tmp/scale_200k --run cold --run warm

``--run cold`` then runs ``fritekst report --project DIR/fritekst.toml --out DIR/rapport`` with an
empty codings cache (``warm``: with the cache the previous run wrote) and prints one line per run:
wall time, user and system CPU seconds of the report and its workers, the peak resident memory of
the largest process (``ru_maxrss``), the peak of all its processes together (VmRSS summed, sampled
every 0.5 s) and the load average before and after (other work on the machine inflates wall time).
``--run phases`` runs a cold report in one process instead and prints the peak resident memory of
each stage (reading the corpus, keyword coding, the classifier, the summaries, each output), sampled
every 20 ms with the stage functions wrapped: where the peak comes from.

The generator (../shared/bench/gen_corpus.py, seed 42) writes ``id,text``; this script gives every
respondent a survey year (2022/2023), a closed answer to "planer om å ansette" (Ja/Nei/Vet ikke,
which routes the text to one of three open questions), a size class and a county, and codes the three
questions with the shipped ``ansette`` codebook *and its classifier* (so prediction is measured too).
Deterministic: the attributes come from the row number.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# ../shared beside the checkout, or beside its parent for a git worktree under wt/
GENERATOR = next((base / "shared" / "bench" / "gen_corpus.py" for base in REPO.parents
                  if (base / "shared" / "bench" / "gen_corpus.py").is_file()),
                 REPO.parent / "shared" / "bench" / "gen_corpus.py")
PLANS = ["Nei", "Nei", "Ja", "Vet ikke"]
SIZES = ["Under 5 000", "5 000–19 999", "20 000 og over"]
COUNTIES = ["Agder", "Innlandet", "Møre og Romsdal", "Nordland", "Oslo", "Rogaland", "Troms",
            "Trøndelag", "Vestfold", "Vestland", "Østfold"]
QUESTIONS = {"Ja": "grunn_ja", "Nei": "grunn_nei", "Vet ikke": "grunn_vet_ikke"}

PROJECT = """[project]
title = "Skalatest, {n} svar"

[corpus]
path = "svar.csv"
id_column = "case_id"
year_column = "aar"

[codebooks]
ansette = "ansette.yaml"

[[questions]]
column = "grunn_ja"
label = "Årsaker til at dere har planer om å ansette"
codebook = "ansette"
asked_if = {{ planer_ansette = "Ja" }}

[[questions]]
column = "grunn_nei"
label = "Årsaker til at dere ikke har planer om å ansette"
codebook = "ansette"
asked_if = {{ planer_ansette = "Nei" }}

[[questions]]
column = "grunn_vet_ikke"
label = "Årsaker til at dere er usikre"
codebook = "ansette"
asked_if = {{ planer_ansette = "Vet ikke" }}

[report]
group_by = ["kommunestorrelse", "fylke"]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--run", action="append", choices=["cold", "warm", "phases"], default=[],
                        help="Then run `fritekst report` on the project and measure it; repeatable, in order.")
    parser.add_argument("--phases-of", type=Path, help=argparse.SUPPRESS)  # the child of --run phases
    args = parser.parse_args()
    if args.phases_of is not None:
        print_phase_peaks(args.phases_of)
        return
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "generated.csv"
    if not raw.exists():
        subprocess.run([sys.executable, str(GENERATOR), "--n", str(args.n), "--seed", "42", "--out", str(raw),
                        "--dict-out", str(out / "dict.json")], check=True)
    with open(raw, encoding="utf-8", newline="") as source, \
            open(out / "svar.csv", "w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["case_id", "aar", "kommunestorrelse", "fylke", "planer_ansette", *QUESTIONS.values()])
        for index, row in enumerate(csv.DictReader(source)):
            plan = PLANS[index % len(PLANS)]
            texts = [row["text"] if QUESTIONS[plan] == q else "" for q in QUESTIONS.values()]
            writer.writerow([row["id"], 2022 + index % 2, SIZES[(index // 2) % 3], COUNTIES[(index // 7) % 11],
                             plan, *texts])
    book = (REPO / "codebooks" / "ansette.yaml").read_text(encoding="utf-8")
    (out / "models").mkdir(exist_ok=True)
    shutil.copy(REPO / "codebooks" / "models" / "ansette.skops", out / "models" / "ansette.skops")
    (out / "ansette.yaml").write_text(book, encoding="utf-8")
    (out / "fritekst.toml").write_text(PROJECT.format(n=args.n), encoding="utf-8")
    print(out / "fritekst.toml")
    for kind in args.run:
        if kind == "phases":
            shutil.rmtree(out / ".fritekst", ignore_errors=True)  # cold, into an empty folder
            shutil.rmtree(out / "rapport", ignore_errors=True)
            subprocess.run([sys.executable, __file__, "--out", str(out), "--phases-of", str(out)], check=True)
        else:
            print(measure_report(out, cold=kind == "cold"), flush=True)


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue  # the process ended while we looked
        pid = int(entry)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 1024


def measure_report(folder: Path, *, cold: bool) -> str:
    """Run `fritekst report` on the project in ``folder`` and describe its time and memory in one line."""
    if cold:
        shutil.rmtree(folder / ".fritekst", ignore_errors=True)
    shutil.rmtree(folder / "rapport", ignore_errors=True)
    command = [str(Path(sys.executable).with_name("fritekst")), "report", "--project", str(folder / "fritekst.toml"),
               "--out", str(folder / "rapport")]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:  # every 0.5 s: cheap enough not to slow the report noticeably
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_mb(process.pid))
                done.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4: this run's own CPU and peak (its workers included), not a total over several runs
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"fritekst report exited {process.returncode}: "
                             f"{errors.read().decode(errors='replace')[-2000:]}")
    return (f"{'cold' if cold else 'warm'}: wall {wall:.1f} s, CPU user {usage.ru_utime:.1f} s + sys "
            f"{usage.ru_stime:.1f} s, peak RSS largest process "
            f"{usage.ru_maxrss / 1024:.0f} MB, all processes {peak[0]:.0f} MB, load {load_before:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after")


#: The stages whose memory ``--run phases`` reports, as (module, function); nested calls nest.
STAGES = [("fritekst.coding.coder", "load_project_corpus"), ("fritekst.coding.coder", "code_project"),
          ("fritekst.coding.coder", "code_corpus"), ("fritekst.coding.coder", "_add_classifier_codings"),
          ("fritekst.outputs.report", "build_report"), ("fritekst.outputs.report_files", "render_outputs"),
          ("fritekst.outputs.report_files", "render_html"), ("fritekst.outputs.report_files", "render_xlsx"),
          ("fritekst.outputs.report_files", "render_docx")]


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def print_phase_peaks(folder: Path) -> None:
    """Run a report on ``folder``'s project in this process; print each stage's peak RSS (MB)."""
    import contextlib
    import functools
    import importlib
    import io

    stack: list[str] = []
    peaks: dict[str, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            name = " / ".join(stack) or "(outside the stages: start-up, checks, the terminal tables)"
            peaks[name] = max(peaks.get(name, 0.0), _rss_mb())
            done.wait(0.02)

    def wrapped(real):  # type: ignore[no-untyped-def]
        @functools.wraps(real)
        def stage(*args, **kwargs):  # type: ignore[no-untyped-def]
            stack.append(real.__name__)
            try:
                return real(*args, **kwargs)
            finally:
                stack.pop()
        return stage

    for module_name, function in STAGES:  # each stage where its caller looks it up
        module = importlib.import_module(module_name)
        setattr(module, function, wrapped(getattr(module, function)))
    from fritekst.cli import main as cli

    threading.Thread(target=sample, daemon=True).start()
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the report's own terminal tables
            cli(["report", "--project", str(folder / "fritekst.toml"), "--out", str(folder / "rapport")])
    except SystemExit as exit_:
        if exit_.code:
            raise
    done.set()
    print(f"phases (one process, {time.perf_counter() - started:.0f} s wall): peak RSS per stage")
    for name, peak in peaks.items():
        print(f"  {peak:7.0f} MB  {name}")


if __name__ == "__main__":
    main()
