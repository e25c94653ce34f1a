"""One-off check: the plain-Python tokenizer gives spaCy's tokens on the shared workload's chunks.

    python benchmarks/tokenizer_equality.py --n 200000

Generates the shared workload (``../shared/bench/gen_corpus.py``, seed 42, as benchmarks/run.py
does), takes every distinct whitespace-free chunk of its answers, and compares
:class:`fritekst.language.tokenizer.ChunkTokenizer` with spaCy's tokenizer
(``analyzer._build_tokenizer``) on each, and the analyzer's ``chunk_tokens`` (shortcuts included)
with both. Prints the counts, the first few differences, and the CPU seconds each tokenizer took
over the chunks the analyzer's shortcuts miss (what a run actually sends to it).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import SHARED  # noqa: E402 - the benchmarks folder is not a package

from fritekst.language.analyzer import CHUNK_RE, Analyzer, _build_tokenizer, tokenizer_data  # noqa: E402
from fritekst.language.tokenizer import ChunkTokenizer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200_000, help="answers to generate")
    parser.add_argument("--corpus", type=Path, help="an existing generated corpus instead")
    args = parser.parse_args()
    corpus = args.corpus
    if corpus is None:
        corpus = Path(tempfile.mkdtemp(prefix="fritekst-tok-")) / f"corpus_{args.n}.csv"
        subprocess.run([sys.executable, str(SHARED / "gen_corpus.py"), "--n", str(args.n), "--seed", "42",
                        "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    with corpus.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[: args.n]
    chunks = sorted({m.group() for row in rows for m in CHUNK_RE.finditer(row["text"]) if m.group() != "\n"})
    data = tokenizer_data()
    assert data is not None
    ours, spacy_tokenizer, analyzer = ChunkTokenizer(data), _build_tokenizer(), Analyzer()
    wrong = []
    for chunk in chunks:
        expected = tuple((t.idx, t.idx + len(t.text), t.text) for t in spacy_tokenizer(chunk))
        if not (ours(chunk) == analyzer.chunk_tokens(chunk) == expected):
            wrong.append(chunk)
    print(f"{len(rows)} answers, {len(chunks)} distinct chunks: {len(wrong)} differ", wrong[:10])
    # the chunks a run sends past the shortcuts (analyzer._chunk_tokenizer is what they reach)
    fresh = Analyzer()
    sent: list[str] = []
    real = fresh._chunk_tokenizer
    assert real is not None
    fresh._chunk_tokenizer = lambda c: (sent.append(c), real(c))[1]  # type: ignore[assignment]
    for chunk in chunks:
        fresh.chunk_tokens(chunk)
    for name, tokenize in (("ChunkTokenizer", ChunkTokenizer(data)), ("spaCy", spacy_tokenizer)):
        tokenize("(x-y).")  # both compiled: ours compiles its expressions on first use
        started = time.process_time()
        for chunk in sent:
            tokenize(chunk)
        print(f"{name}: {time.process_time() - started:.2f} s CPU over the {len(sent)} chunks past the shortcuts")


if __name__ == "__main__":
    main()
