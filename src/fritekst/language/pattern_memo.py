"""Remembered tokenizations of codebook patterns, so loading a codebook needs no tokenizer.

Checking a codebook tokenizes every keyword pattern; a few of them (hyphenated words such as
"act-team", abbreviations such as "p.t.") miss the analyzer's shortcuts. That once meant building
spaCy's tokenizer (about a second, on every `fritekst check` and every report from cached codings);
since the plain-Python tokenizer (:mod:`.tokenizer`) it means compiling its expressions (~40 ms).
Patterns change rarely, so :func:`remembered_patterns` seeds the analyzer's chunk cache with the tokenizations of
earlier runs and afterwards saves the ones that loading the codebooks added.

Only chunks tokenized *inside* the block are saved, and the block wraps codebook loading only, so the
file holds pieces of keyword patterns, never answer text. It lives in the cache folder of
:mod:`fritekst.language.compact`, keyed by spaCy's version and the analyzer's source, so any change
to the tokenizer rules starts afresh; the results are the analyzer's own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import analyzer as analyzer_module
from .compact import _version, _write_atomically, cache_folder


def _memo_file() -> Path:
    source = Path(analyzer_module.__file__).read_bytes()
    tag = hashlib.sha256(source + _version("spacy").encode()).hexdigest()[:16]
    return cache_folder() / f"pattern-chunks-{tag}.json"


@contextmanager
def remembered_patterns() -> Iterator[None]:
    """Seed the shared analyzer with remembered pattern chunks; save new ones when the block ends."""
    chunks = getattr(analyzer_module.get_default_analyzer(), "_chunks", None)
    if not isinstance(chunks, dict):  # the analyzer changed shape: no memo, same results
        yield
        return
    path = _memo_file()
    try:
        known = {chunk: tuple(tuple(t) for t in tokens)
                 for chunk, tokens in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, TypeError):
        known = {}
    for chunk, tokens in known.items():
        chunks.setdefault(chunk, tokens)
    before = set(chunks)
    yield
    added = {chunk: chunks[chunk] for chunk in set(chunks) - before if chunk in chunks}
    if added:
        merged = {**known, **added}

        def write(target: Path) -> None:
            target.write_text(json.dumps(merged, ensure_ascii=False, sort_keys=True), encoding="utf-8")

        _write_atomically(path, write)
