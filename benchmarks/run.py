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


def _shared_folder() -> Path:
    """``shared/bench`` beside the checkout (or beside its parent, for a git worktree)."""
    for base in HERE.parents:
        if (base / "shared" / "bench" / "gen_corpus.py").is_file():
            return base / "shared" / "bench"
    return HERE.parent.parent / "shared" / "bench"


SHARED = _shared_folder()
#: CPU seconds of R quanteda 4.3 (glob dictionary, 2 threads) at 200k answers, measured in ANOTHER
#: run (../shared/bench/README.md); quoted for orientation only, never as a ratio of this run.
QUANTEDA_OTHER_RUN_CPU_200K = 51.0
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
    """Largest total PSS of a process and its descendants, sampled in the background.

    It runs in the *parent* of the measured stage: sampling inside the stage process cost 8-20 %
    of its wall time and was counted in its CPU time.
    """

    def __init__(self, root: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        me = self.root
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
        codings = code_corpus(corpus, [codebook], jobs=args.jobs)
    import hashlib

    text = codings.sort_values(list(codings.columns)).to_csv(index=False)
    DIGEST["codings"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
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


def _dictionary(args: argparse.Namespace) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = json.loads(Path(args.dict_json).read_text(encoding="utf-8"))["codes"]
    return codes


def stage_pycoder(args: argparse.Namespace) -> int:
    """Peer: pure-Python ``\\w+`` tokens + dict/prefix lookups with a per-type cache (no lemmas,
    no negation), the generator's pattern semantics."""
    import re

    codes = _dictionary(args)
    exact: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    prefixes: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for code, patterns in codes.items():
        for pattern in patterns:
            words = tuple(pattern.split())
            first = words[0]
            if first.endswith("*") and len(words) == 1:
                prefixes.setdefault(first[:-1], []).append((code, words))
            else:
                exact.setdefault(first, []).append((code, words))
    lengths = sorted({len(p) for p in prefixes})
    word_re = re.compile(r"\w+")
    cache: dict[str, list[tuple[str, tuple[str, ...]]]] = {}

    def candidates(token: str) -> list[tuple[str, tuple[str, ...]]]:
        found = list(exact.get(token, ()))
        for n in lengths:
            if n > len(token):
                break
            found += prefixes.get(token[:n], ())
        cache[token] = found
        return found

    def word_ok(pattern_word: str, token: str) -> bool:
        return token.startswith(pattern_word[:-1]) if pattern_word.endswith("*") else token == pattern_word

    n = hits = 0
    for texts in _texts(args.corpus):
        with TIMER:
            for text in texts:
                tokens = word_re.findall(text.lower())
                codes_found = set()
                for i, token in enumerate(tokens):
                    cands = cache.get(token)
                    if cands is None:
                        cands = candidates(token)
                    for code, words in cands:
                        if len(words) == 1 or (len(tokens) - i >= len(words) and all(
                                word_ok(w, t) for w, t in zip(words[1:], tokens[i + 1:]))):
                            codes_found.add(code)
                hits += len(codes_found)
        n += len(texts)
    return n


def stage_aho(args: argparse.Namespace) -> int:
    """Peer: pyahocorasick over the lowercase text, exact patterns only, with word-boundary checks."""
    import ahocorasick  # type: ignore[import-not-found]

    by_pattern: dict[str, list[str]] = {}
    for code, patterns in _dictionary(args).items():
        for pattern in patterns:
            if "*" not in pattern:
                by_pattern.setdefault(pattern, []).append(code)
    automaton = ahocorasick.Automaton()
    for pattern, pattern_codes in by_pattern.items():
        automaton.add_word(pattern, (len(pattern), tuple(pattern_codes)))
    automaton.make_automaton()
    n = hits = 0
    for texts in _texts(args.corpus):
        with TIMER:
            for text in texts:
                lower = text.lower()
                size = len(lower)
                codes_found: set[str] = set()
                for end, (length, pattern_codes) in automaton.iter(lower):
                    start = end - length + 1
                    if (start == 0 or not lower[start - 1].isalnum()) and (
                            end + 1 == size or not lower[end + 1].isalnum()):
                        codes_found.update(pattern_codes)
                hits += len(codes_found)
        n += len(texts)
    return n


STAGES = {"load": stage_load, "floor": stage_floor, "code": stage_code, "stream": stage_stream,
          "summarise": stage_summarise, "classify": stage_classify, "pycoder": stage_pycoder,
          "aho": stage_aho, "quanteda": None}


def run_stage(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()[0]
    stage = STAGES[args.stage]
    assert stage is not None
    n = stage(args)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"answers": n, "seconds": TIMER.wall, "cpu_seconds": TIMER.cpu,
                      "main_hwm_mb": _status_kb(os.getpid(), "VmHWM") / 1024,
                      "worker_maxrss_mb": children / 1024, "digest": DIGEST.get("codings"),
                      "load_before": load_before, "load_after": os.getloadavg()[0]}))


#: A digest of what a stage produced, for the old-versus-new identity check.
DIGEST: dict[str, str] = {}



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


def measure(stage: str, corpus: Path, codebook: Path, refs: Path, jobs: int, chunk_size: int,
            src: Path | None = None) -> dict[str, Any]:
    """Run one stage in a fresh child (with ``src`` first on its path, for the baseline coder).

    The child reports the CPU seconds of its timed section (getrusage of itself and its workers);
    memory is sampled from here, and the child's whole-process CPU comes from ``wait4``.
    """
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", stage, "--corpus", str(corpus),
               "--codebook", str(codebook), "--refs", str(refs), "--jobs", str(jobs),
               "--chunk-size", str(chunk_size), "--dict-json", str(SHARED / "dict.json")]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env, text=True)
        sampler = MemorySampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        peak = sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        return {"error": (stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result.update(peak_mb=peak / 1024, process_cpu_seconds=usage.ru_utime + usage.ru_stime)
    return result


def quanteda(corpus: Path, workdir: Path) -> dict[str, Any]:
    """R quanteda 4.3 ``tokens()`` + ``tokens_lookup(valuetype="glob")``, 2 threads, if R is here."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return {"skipped": "Rscript not found on this machine: quanteda not measured in this run"}
    long_csv = workdir / "dict_long.csv"
    codes = json.loads((SHARED / "dict.json").read_text(encoding="utf-8"))["codes"]
    with long_csv.open("w", encoding="utf-8", newline="") as handle:
        handle.write("code,pattern\n")
        for code, patterns in codes.items():
            handle.writelines(f'{code},"{p}"\n' for p in patterns)
    script = workdir / "quanteda.R"
    script.write_text("""suppressMessages(library(quanteda)); quanteda_options(threads = 2)
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[2], encoding = "UTF-8", stringsAsFactors = FALSE)
dict <- dictionary(split(d$pattern, d$code))
x <- read.csv(args[1], encoding = "UTF-8", stringsAsFactors = FALSE)
t0 <- proc.time()
res <- tokens_lookup(tokens(x$text), dict, valuetype = "glob")
t <- proc.time() - t0
cat(sprintf('{"answers": %d, "seconds": %f, "cpu_seconds": %f}\\n', nrow(x), t[["elapsed"]],
            t[["user.self"]] + t[["sys.self"]] + t[["user.child"]] + t[["sys.child"]]))
""", encoding="utf-8")
    done = subprocess.run([rscript, str(script), str(corpus), str(long_csv)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        return {"skipped": "quanteda failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def baseline_src(revision: str, workdir: Path) -> Path:
    """``src/`` of ``revision`` of this repository, unpacked into the work folder."""
    target = workdir / f"baseline-{revision}"
    if not (target / "src").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", revision, "src"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


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


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000, 1_000_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts for streaming")
    parser.add_argument("--chunk-size", type=int, default=None, help="rows per streaming chunk")
    parser.add_argument("--workdir", type=Path, help="keep corpora and outputs here (default: a temp dir)")
    parser.add_argument("--stages", nargs="+", default=[s for s in STAGES if s != "load"],
                        choices=list(STAGES))
    parser.add_argument("--baseline", metavar="REV",
                        help="also run code/stream with the coder of git revision REV, interleaved "
                             "(A B A B), and check that its outputs are identical")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--no-cli", action="store_true", help="skip timing `fritekst code` on the example")
    # internal: run one stage in this (child) process
    parser.add_argument("--stage", choices=[s for s, f in STAGES.items() if f], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--codebook", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--refs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dict-json", type=Path, help=argparse.SUPPRESS)
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
    stages = [s for s in args.stages if (s != "classify" or has_classifier()) and (s != "aho" or has_module("ahocorasick"))]
    notes = []
    if "aho" in args.stages and "aho" not in stages:
        notes.append("pyahocorasick is not installed (pip install -e '.[bench]'): that peer was skipped")
    base = baseline_src(args.baseline, workdir) if args.baseline else None
    # (stage, jobs, variant): the baseline and this tree alternate, A B A B, so load drifts cancel.
    plan: list[tuple[str, int, str]] = []
    for stage in stages:
        if stage == "quanteda":
            continue
        for jobs in (args.jobs if stage == "stream" else [1]):
            if base is not None and stage in ("code", "stream"):
                plan.append((stage, jobs, "baseline"))
            plan.append((stage, jobs, "new"))
    if "summarise" in stages and "stream" not in stages:
        sys.exit("the summarise stage reads the refs.csv written by the stream stage; add --stages stream")

    results: list[dict[str, Any]] = []
    for n in args.sizes:
        corpus = make_corpus(n, workdir)
        for stage, jobs, variant in plan:
            refs = workdir / f"refs_{n}_{jobs}{'_baseline' if variant == 'baseline' else ''}.csv"
            if stage == "summarise":
                refs = workdir / f"refs_{n}_1.csv"
            result = measure(stage, corpus, codebook, refs, jobs, args.chunk_size,
                             base if variant == "baseline" else None)
            result.update(size=n, stage=stage, jobs=jobs, variant=variant)
            results.append(result)
            print(_row(result), file=sys.stderr, flush=True)
        if "quanteda" in stages:
            result = quanteda(corpus, workdir)
            result.update(size=n, stage="quanteda", jobs=2, variant="peer")
            results.append(result)
            print(_row(result), file=sys.stderr, flush=True)
        if base is not None:
            notes += identity_notes(results, workdir, n, args.jobs)
        if not args.workdir:
            corpus.unlink()
            for refs in workdir.glob(f"refs_{n}_*.csv"):
                refs.unlink()
    cli = measure_cli(workdir) if not args.no_cli else None
    info = machine()
    print(report(results, info, args, cli, notes))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results, "cli": cli, "notes": notes},
                                        indent=1), encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def identity_notes(results: list[dict[str, Any]], workdir: Path, size: int, jobs: list[int]) -> list[str]:
    """Old versus new coder at one size: refs.csv byte for byte, the in-memory codings by digest."""
    notes = []
    for j in jobs:
        new, old = workdir / f"refs_{size}_{j}.csv", workdir / f"refs_{size}_{j}_baseline.csv"
        if new.is_file() and old.is_file():
            same = new.read_bytes() == old.read_bytes()
            notes.append(f"{size:,} answers, stream jobs={j}: refs.csv of baseline and new coder "
                         f"{'IDENTICAL (byte for byte)' if same else 'DIFFERENT'} ({new.stat().st_size:,} bytes)")
    digests = {r["variant"]: r.get("digest") for r in results
               if r["size"] == size and r["stage"] == "code" and "error" not in r}
    if digests.get("baseline") and digests.get("new"):
        same = digests["baseline"] == digests["new"]
        notes.append(f"{size:,} answers, in-memory code_corpus: sorted codings frame of baseline and new "
                     f"{'IDENTICAL' if same else 'DIFFERENT'} (sha256 {digests['new'][:12]})")
    return notes


LABELS = {"load": "load corpus (load_corpus)", "floor": "spaCy tokenizer alone (floor)",
          "code": "keyword coding in memory (code_corpus)",
          "stream": "keyword coding, streaming (read+code+write refs.csv)",
          "summarise": "summarise (theme frequencies + CIs)", "classify": "classifier predict_proba",
          "pycoder": "peer: pure-Python \\w+ + dict/prefix lookups", "aho": "peer: pyahocorasick (exact patterns)",
          "quanteda": "peer: R quanteda tokens_lookup glob, 2 threads"}


def _label(r: dict[str, Any]) -> str:
    label = LABELS[r["stage"]]
    return label + (" [baseline]" if r.get("variant") == "baseline" else "")


def _row(r: dict[str, Any]) -> str:
    if "skipped" in r:
        return f"| {r['size']:,} | {_label(r)} | {r['jobs']} | skipped: {r['skipped']} | | | | | |"
    if "error" in r:
        return f"| {r['size']:,} | {_label(r)} | {r['jobs']} | error: {r['error']} | | | | | |"
    rate = r["answers"] / r["seconds"] if r["seconds"] else float("inf")
    peak = f"{r['peak_mb']:,.0f}" if "peak_mb" in r else "-"
    load = f"{r['load_before']:.1f}" if "load_before" in r else "-"
    return (f"| {r['size']:,} | {_label(r)} | {r['jobs']} | {r['cpu_seconds']:.1f} | {r['seconds']:.1f} | "
            f"{rate:,.0f} | {peak} | {r.get('main_hwm_mb', 0):,.0f} | {load} |")


def _cpu(results: list[dict[str, Any]], size: int, stage: str, jobs: int = 1,
         variant: str = "new") -> float | None:
    for r in results:
        if (r["size"] == size and r["stage"] == stage and r["jobs"] == jobs and r.get("variant") == variant
                and "cpu_seconds" in r):
            return float(r["cpu_seconds"])
    return None


def report(results: list[dict[str, Any]], info: dict[str, str], args: argparse.Namespace,
           cli: dict[str, Any] | None = None, notes: list[str] | None = None) -> str:
    lines = [f"Machine: {info['cpus']} CPUs, {info['cpu']}, Python {info['python']}, {info['system']}",
             f"Packages: {info['packages']}",
             (f"Command: python benchmarks/run.py --sizes {' '.join(map(str, args.sizes))} "
              f"--jobs {' '.join(map(str, args.jobs))}" + (f" --baseline {args.baseline}" if args.baseline else "")
              + f" (chunk size {args.chunk_size})"), "",
             ("| answers | stage | jobs | CPU s | wall s | answers/s (wall) | peak memory MB "
              "(PSS, all processes) | peak RSS MB (stage process) | load average before |"),
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [_row(r) for r in results]
    lines.append("")
    lines.append("CPU-second ratios, all from this run:")
    for size in args.sizes:
        floor = _cpu(results, size, "floor")
        if not floor:
            continue
        parts = []
        entries = ([("code", 1, v) for v in ("baseline", "new")]
                   + [("stream", j, v) for j in args.jobs for v in ("baseline", "new")]
                   + [("pycoder", 1, "new"), ("aho", 1, "new")])
        for stage, jobs, variant in entries:
            cpu = _cpu(results, size, stage, jobs, variant)
            if cpu is None:
                continue
            tag = f" [{variant}]" if args.baseline and stage in ("code", "stream") else ""
            parts.append(f"{LABELS[stage].split(' (')[0]} jobs={jobs}{tag}: {cpu / floor:.2f}×")
        quant = _cpu(results, size, "quanteda", 2, "peer")
        if quant:
            parts.append(f"R quanteda: {quant / floor:.2f}× (fritekst code / quanteda: "
                         f"{(_cpu(results, size, 'code') or 0) / quant:.2f}×)")
        lines.append(f"- {size:,} answers, CPU relative to the spaCy tokenizer alone: " + "; ".join(parts))
        if args.baseline:
            for stage, jobs in [("code", 1)] + [("stream", j) for j in args.jobs]:
                old, new = _cpu(results, size, stage, jobs, "baseline"), _cpu(results, size, stage, jobs)
                if old and new:
                    lines.append(f"  - {LABELS[stage].split(' (')[0]} jobs={jobs}: new / baseline CPU = "
                                 f"{new / old:.2f} ({old:.1f} → {new:.1f} CPU s)")
    if not any(r["stage"] == "quanteda" and "cpu_seconds" in r for r in results):
        lines.append(f"- R quanteda was not measured in this run. For orientation only, a figure from ANOTHER "
                     f"run (../shared/bench/README.md): {QUANTEDA_OTHER_RUN_CPU_200K:.0f} CPU s at 200k answers "
                     "(glob dictionary, 2 threads); it is not a ratio of this run.")
    lines += [f"- {note}" for note in notes or []]
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
