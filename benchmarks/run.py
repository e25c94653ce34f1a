"""fritekst benchmark on the shared workload: speed and peak memory of every stage, in one run.

    python benchmarks/run.py --sizes 10000 200000 1000000

What it does (see docs/benchmarks.md for results and how to read them):

1. Converts the shared 120-code dictionary (``../shared/bench/dict.json``) into a fritekst codebook:
   one keyword rule per code with the dictionary's patterns as they are, lemma matching, and
   ``negation: forbid`` on every code whose patterns contain no negation cue (so the negation scope
   is checked at every hit; the 15 codes whose patterns *are* negations, such as "ikke aktuelt",
   keep ``negation: any``).
2. Generates the corpora with ``gen_corpus.py --seed 42`` (cached in the work folder).
3. Runs every stage in a fresh child process and records its wall time and its peak memory: the
   largest sum over the stage's processes (itself and its worker processes) of the proportional set
   size (PSS, shared pages split between the processes that share them), sampled every 50 ms, and
   the stage process's own peak RSS (VmHWM).

Stages: ``load`` (load_corpus of the whole CSV), ``floor`` (spaCy ``blank("nb")`` tokenizer alone
over the same texts, 1 core), ``code`` (code_corpus on texts already in memory, 1 core: the reference
table's setting), ``stream`` (code_csv_streaming: read + code + write refs.csv, jobs=1 and 2),
``summarise`` (theme frequencies with Wilson intervals from the corpus and the codings) and
``classify`` (AnswerClassifier.predict_proba, when fritekst.rules.classifier is available).

This is not part of the test suite; it takes several minutes at 1M answers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench"
#: Reference figures from ../shared/bench/README.md (2-core CI-class machine, 200k answers).
REFERENCE = {"quanteda 4.3 tokens_lookup (glob), 2 threads": 11_500,
             "spaCy blank nb tokenizer alone, 1 core": 34_000,
             "spaCy PhraseMatcher + prefix cache, 1 core": 11_800,
             "scikit-learn TF-IDF + OvR LogisticRegression, predict": 2_900}
#: The classifier is trained (untimed) on the keyword codings of the first answers, for as many
#: codes as the larger shipped codebook has; prediction is what is measured.
CLASSIFIER_CODES = 14
CLASSIFIER_TRAIN = 2000


# --- memory -----------------------------------------------------------------------------------
def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return _status_kb(pid, "VmRSS")
    return 0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    children = [int(c) for c in handle.read().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


class MemorySampler(threading.Thread):
    """Largest total PSS of this process and its descendants, sampled in the background."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._halt.is_set():
            total = sum(_pss_kb(pid) for pid in [me, *_descendants(me)])
            self.peak_kb = max(self.peak_kb, total)
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak_kb


# --- stages (each runs in its own child process) ----------------------------------------------
class Timer:
    """Wall and CPU seconds (this process and its finished children) spent inside ``with`` blocks."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    @staticmethod
    def _cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def __enter__(self) -> Timer:  # noqa: PYI034 (not subclassed)
        self._wall, self._cpu0 = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += self._cpu() - self._cpu0


TIMER = Timer()


def _texts(corpus_csv: Path, chunk: int = 50_000):  # type: ignore[no-untyped-def]
    import pandas as pd

    for frame in pd.read_csv(corpus_csv, dtype=str, keep_default_na=False, chunksize=chunk):
        yield frame["text"].tolist()


def stage_load(args: argparse.Namespace) -> int:
    from fritekst.sources.corpus import load_corpus

    with TIMER:
        corpus = load_corpus(args.corpus, "id", ["text"])
    return len(corpus.answers)


def stage_floor(args: argparse.Namespace) -> int:
    import spacy

    tokenizer = spacy.blank("nb").tokenizer
    n = tokens = 0
    for texts in _texts(args.corpus):
        with TIMER:
            for doc in tokenizer.pipe(texts, batch_size=1000):  # type: ignore[union-attr]
                tokens += len(doc)
        n += len(texts)
    return n


def stage_code(args: argparse.Namespace) -> int:
    from fritekst.rules.codebook import load_codebook
    from fritekst.coding.coder import code_corpus
    from fritekst.sources.corpus import load_corpus

    codebook = load_codebook(args.codebook)
    corpus = load_corpus(args.corpus, "id", ["text"])
    with TIMER:
        code_corpus(corpus, [codebook], jobs=args.jobs)
    return len(corpus.answers)


def stage_stream(args: argparse.Namespace) -> int:
    from fritekst.rules.codebook import load_codebook
    from fritekst.coding.stream import code_csv_streaming

    codebook = load_codebook(args.codebook)
    with TIMER:
        summary = code_csv_streaming(args.corpus, [codebook], "id", ["text"], args.refs, jobs=args.jobs,
                                     chunk_size=args.chunk_size)
    return summary.questions["text"]["answers"]


def stage_summarise(args: argparse.Namespace) -> int:
    from types import SimpleNamespace

    import pandas as pd

    from fritekst.rules.codebook import load_codebook
    from fritekst.sources.corpus import load_corpus
    from fritekst.analysis.summary import build_base, theme_frequencies

    codebook = load_codebook(args.codebook)
    corpus = load_corpus(args.corpus, "id", ["text"])
    codings = pd.read_csv(args.refs, dtype=str, keep_default_na=False,
                          usecols=["case_id", "question", "code_id", "start", "end"])
    spec = SimpleNamespace(column="text", label="text", codebook=codebook.id, asked_if={}, table=None)
    with TIMER:
        base = build_base(corpus.cases, corpus.answers, codings, spec, codebook, year_column=None)
        theme_frequencies(base)
    return len(corpus.answers)


def stage_classify(args: argparse.Namespace) -> int:
    import pandas as pd

    from fritekst.rules.classifier import AnswerClassifier
    from fritekst.rules.codebook import load_codebook
    from fritekst.coding.coder import code_corpus
    from fritekst.sources.corpus import load_corpus

    codebook = load_codebook(args.codebook)
    train = load_corpus(args.corpus, "id", ["text"])
    train.answers = train.answers.head(CLASSIFIER_TRAIN)
    codings = code_corpus(train, [codebook])
    common = codings.drop_duplicates(["case_id", "code_id"])["code_id"].value_counts()
    codes = common.index[:CLASSIFIER_CODES].tolist()
    labels = pd.DataFrame({c: train.answers["case_id"].isin(set(codings.loc[codings["code_id"] == c, "case_id"]))
                           .astype(int) for c in codes})
    model = AnswerClassifier(cv=2).fit(train.answers[["text"]].reset_index(drop=True), labels)
    del train, codings
    n = 0
    for texts in _texts(args.corpus, chunk=20_000):
        frame = pd.DataFrame({"text": texts})
        with TIMER:
            model.predict_proba(frame)
        n += len(texts)
    return n


STAGES = {"load": stage_load, "floor": stage_floor, "code": stage_code, "stream": stage_stream,
          "summarise": stage_summarise, "classify": stage_classify}


def run_stage(args: argparse.Namespace) -> None:
    sampler = MemorySampler()
    sampler.start()
    load_before = os.getloadavg()[0]
    n = STAGES[args.stage](args)
    peak = sampler.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"answers": n, "seconds": TIMER.wall, "cpu_seconds": TIMER.cpu, "peak_mb": peak / 1024,
                      "main_hwm_mb": _status_kb(os.getpid(), "VmHWM") / 1024,
                      "worker_maxrss_mb": children / 1024,
                      "load_before": load_before, "load_after": os.getloadavg()[0]}))



# --- orchestration ----------------------------------------------------------------------------
def make_codebook(dict_json: Path, out: Path) -> None:
    """The shared dictionary as a fritekst codebook: one rule per code, patterns as they are."""
    import yaml

    from fritekst.language.analyzer import get_default_analyzer

    analyzer = get_default_analyzer()
    codes = json.loads(dict_json.read_text(encoding="utf-8"))["codes"]
    entries = []
    for code_id, patterns in codes.items():
        has_cue = any(analyzer.is_negation_cue(word) for p in patterns for word in p.split())
        entries.append({"id": code_id, "label": code_id,
                        "rules": [{"id": code_id, "keywords": list(patterns),
                                   "negation": "any" if has_cue else "forbid"}]})
    document = {"codebook": "bench", "title": "Shared benchmark dictionary", "codes": entries}
    out.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_corpus(n: int, folder: Path) -> Path:
    path = folder / f"corpus_{n}.csv"
    if not path.exists():
        subprocess.run([sys.executable, str(SHARED / "gen_corpus.py"), "--n", str(n), "--seed", "42",
                        "--out", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def measure(stage: str, corpus: Path, codebook: Path, refs: Path, jobs: int, chunk_size: int) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--corpus", str(corpus),
               "--codebook", str(codebook), "--refs", str(refs), "--jobs", str(jobs),
               "--chunk-size", str(chunk_size)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_cli(workdir: Path, runs: int = 3) -> dict[str, Any]:
    """Wall time of ``fritekst code`` on a copy of the shipped example project (refs + matrix)."""
    project = workdir / "example"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    root = HERE.parent
    shutil.copy(root / "fritekst.toml", project / "fritekst.toml")
    for folder in ("corpus", "codebooks"):
        shutil.copytree(root / folder, project / folder)
    command = [sys.executable, "-c", "import sys; from fritekst.cli import main; sys.argv[0] = 'fritekst'; main()",
               "code", "--matrix", "matrix.csv"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    answers = sum(1 for line in done.stdout.splitlines() if line)  # the summary lines, for the log
    return {"seconds": sorted(times), "stdout_lines": answers, "load_before": os.getloadavg()[0]}


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("fritekst", "pandas", "numpy", "spacy", "simplemma", "scikit-learn"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    return {"cpus": str(os.cpu_count()), "cpu": model, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "packages": ", ".join(f"{k} {v}" for k, v in versions.items())}


def has_classifier() -> bool:
    try:
        from fritekst.rules.classifier import AnswerClassifier  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000, 1_000_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts for streaming")
    parser.add_argument("--chunk-size", type=int, default=None, help="rows per streaming chunk")
    parser.add_argument("--workdir", type=Path, help="keep corpora and outputs here (default: a temp dir)")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=list(STAGES))
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--no-cli", action="store_true", help="skip timing `fritekst code` on the example")
    # internal: run one stage in this (child) process
    parser.add_argument("--stage", choices=list(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--codebook", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--refs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.chunk_size is None:
        from fritekst.coding.stream import DEFAULT_STREAM_CHUNK_SIZE

        args.chunk_size = DEFAULT_STREAM_CHUNK_SIZE
    if args.stage:
        args.jobs = args.jobs[0]
        run_stage(args)
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fritekst-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    codebook = workdir / "bench.yaml"
    make_codebook(SHARED / "dict.json", codebook)
    stages = [s for s in args.stages if s != "classify" or has_classifier()]
    plan: list[tuple[str, int]] = []
    for stage in stages:
        if stage == "stream":
            plan += [("stream", j) for j in args.jobs]
        else:
            plan.append((stage, 1))
    if "summarise" in stages and "stream" not in stages:
        sys.exit("the summarise stage reads the refs.csv written by the stream stage; add --stages stream")

    results: list[dict[str, Any]] = []
    for n in args.sizes:
        corpus = make_corpus(n, workdir)
        refs = workdir / f"refs_{n}.csv"
        for stage, jobs in plan:
            result = measure(stage, corpus, codebook, refs, jobs, args.chunk_size)
            result.update(size=n, stage=stage, jobs=jobs)
            results.append(result)
            print(_row(result), file=sys.stderr, flush=True)
        if not args.workdir:
            corpus.unlink()
            refs.unlink(missing_ok=True)
    cli = measure_cli(workdir) if not args.no_cli else None
    info = machine()
    print(report(results, info, args, cli))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results, "cli": cli}, indent=1),
                             encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


LABELS = {"load": "load corpus (load_corpus)", "floor": "spaCy tokenizer alone (floor)",
          "code": "keyword coding in memory (code_corpus)",
          "stream": "keyword coding, streaming (read+code+write refs.csv)",
          "summarise": "summarise (theme frequencies + CIs)", "classify": "classifier predict_proba"}


def _row(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"| {r['size']:,} | {LABELS[r['stage']]} | {r['jobs']} | error: {r['error']} | | | | | |"
    rate = r["answers"] / r["seconds"] if r["seconds"] else float("inf")
    per_cpu = r["answers"] / r["cpu_seconds"] if r["cpu_seconds"] else float("inf")
    return (f"| {r['size']:,} | {LABELS[r['stage']]} | {r['jobs']} | {r['seconds']:.1f} | {rate:,.0f} | "
            f"{per_cpu:,.0f} | {r['peak_mb']:,.0f} | {r['main_hwm_mb']:,.0f} | "
            f"{r['load_before']:.1f} |")


def _rate(results: list[dict[str, Any]], size: int, stage: str, jobs: int = 1) -> float | None:
    for r in results:
        if r["size"] == size and r["stage"] == stage and r["jobs"] == jobs and "error" not in r:
            return r["answers"] / r["seconds"]
    return None


def report(results: list[dict[str, Any]], info: dict[str, str], args: argparse.Namespace,
           cli: dict[str, Any] | None = None) -> str:
    lines = [f"Machine: {info['cpus']} CPUs, {info['cpu']}, Python {info['python']}, {info['system']}",
             f"Packages: {info['packages']}",
             (f"Command: python benchmarks/run.py --sizes {' '.join(map(str, args.sizes))} "
             f"--jobs {' '.join(map(str, args.jobs))} (chunk size {args.chunk_size})"), "",
             ("| answers | stage | jobs | seconds | answers/s | answers per CPU-second | peak memory MB "
             "(PSS, all processes) | peak RSS MB (stage process) | load average before |"),
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [_row(r) for r in results]
    lines.append("")
    for size in args.sizes:
        floor = _rate(results, size, "floor")
        parts = []
        for stage, jobs in [("code", 1)] + [("stream", j) for j in args.jobs]:
            rate = _rate(results, size, stage, jobs)
            if floor and rate:
                parts.append(f"{LABELS[stage].split(' (')[0]} jobs={jobs}: {floor * jobs / rate:.2f}× the floor "
                             f"per core")
        if parts:
            lines.append(f"- {size:,} answers, time per answer relative to the tokenizer floor: "
                         + "; ".join(parts))
    reference_size = 200_000 if 200_000 in args.sizes else max(args.sizes)
    best = max((_rate(results, reference_size, "stream", j) or 0 for j in args.jobs), default=0)
    quanteda = REFERENCE["quanteda 4.3 tokens_lookup (glob), 2 threads"]
    if best:
        lines.append(f"- Reference (../shared/bench/README.md, 200k answers): quanteda ~{quanteda:,}/s on 2 "
                     f"threads, spaCy tokenizer ~{REFERENCE['spaCy blank nb tokenizer alone, 1 core']:,}/s "
                     f"on 1 core. fritekst streaming at {reference_size:,}: {best:,.0f}/s = "
                     f"{best / quanteda:.1f}× quanteda.")
    if cli is not None:
        if "error" in cli:
            lines.append(f"- `fritekst code` on the shipped example: error: {cli['error']}")
        else:
            shown = ", ".join(f"{t:.2f}" for t in cli["seconds"])
            lines.append(f"- `fritekst code --matrix matrix.csv` on the shipped example project, end to end "
                         f"(fresh process each time): {shown} s")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
